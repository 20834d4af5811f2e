#!/usr/bin/env python3
"""Runs a command on a pseudo-terminal and answers its prompts.

    pty_session.py KEYS TRANSCRIPT -- COMMAND...

Each character of KEYS is typed when the command next shows a prompt
ending in "] " (the question of `asyncmod check --fix --interactive`).
The transcript of the session goes to TRANSCRIPT. Prints
"exit STATUS restored yes|no": whether the terminal settings after the
command are the ones it started with.
"""
import os
import select
import subprocess
import sys
import termios
import time


def main():
    keys, transcript = sys.argv[1], sys.argv[2]
    command = sys.argv[sys.argv.index("--") + 1:]
    keys = keys.replace("^C", "\x03").replace("^M", "\r")
    master, slave = os.openpty()
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    out = bytearray()

    def pump(until=None, timeout=10.0):
        end = time.time() + timeout
        while time.time() < end:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    return False
                if not data:
                    return False
                out.extend(data)
                if until is not None and out.endswith(until):
                    return True
            elif until is None and proc.poll() is not None:
                return True
        return False

    for key in keys:
        if not pump(until=b"] "):
            break
        os.write(master, key.encode())
        out.extend(b"<" + repr(key).encode() + b">")
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    pump(timeout=0.5)
    restored = termios.tcgetattr(slave) == before
    with open(transcript, "wb") as f:
        f.write(bytes(out))
    print("exit %d restored %s" % (proc.returncode, "yes" if restored else "no"))


if __name__ == "__main__":
    main()
