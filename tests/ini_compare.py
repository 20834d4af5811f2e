"""The INI reader (src/ini.c, through tests/ini_decode) against iniconfig,
the reader pytest itself uses for pytest.ini, tox.ini and setup.cfg.

    ini_compare.py DECODE WORKDIR

Cases: the hand-written ones below (the dialect's corners: comments, a
section header with a comment, `:` against `=`, continuations, CR and CRLF
line ends, form feeds, duplicates, a BOM) and random texts over the
characters that matter, seeded so a failure repeats. For each, both read
the same file: the same entries, or both refuse it (at the same line).
Prints PASS/FAIL lines.
"""
import os
import random
import subprocess
import sys

import iniconfig

CASES = [
    "[pytest]\nasyncio_mode = auto\n",
    "[pytest]\nasyncio_mode=auto # not a comment in a value\n",
    "[pytest]\naddopts = -ra\n  --asyncio-mode=auto\n",
    "asyncio_mode = auto\n",
    "[pytest]\n[pytest]\n",
    "[pytest]\na=1\na=2\n",
    "[]\n",
    "[pytest] ; comment\nx: y\n",
    "[a]b]\nk = v\n",
    "[pytest\nk = v\n",
    "[p]\n  continued after a header\n",
    "  continued at the top\n",
    "[p]\nk =\n  v1\n  v2\n",
    "[p]\nk:v=w\n",
    "[p]\nk=v:w\n",
    "[p]\njustaword\n",
    "[p]\n= empty name\n",
    "[p]\r\nk = v\r\n",
    "[p]\rk = v\r",
    "# c\n; c\n[p]\n  # an indented comment\nk = v\n",
    "[p]\nk = v\n\n  after a blank line\n",
    "[p]\nk = v\n\t\ttabbed\n",
    "[ p ]\nk = v\n",
    "[p]\n k = v\n",
    "\ufeff[p]\nk = v\n",
    "[p]\nk = \x0cv\n",
    "[p]\nk = a\x0bb\n",
    "[p]#]\n",
    "[#]\n",
    "[p]\nk = a\\b\n",
    "",
    "\n\n",
]
ALPHABET = ["[", "]", "=", ":", "#", ";", " ", "\t", "\n", "\n", "\n", "a", "p", "k", "\r",
            "\r\n", "\x0c", "\x1f", "\\", "é"]
RANDOM = 1500


def expected(text):
    try:
        doc = iniconfig.IniConfig("case", data=text)
    except iniconfig.ParseError as e:
        return ["ERROR %d" % e.lineno if hasattr(e, "lineno") else "ERROR"]
    out = []
    for section in doc.sections:
        out.append("[%s]" % esc(section))
        for name, value in doc.sections[section].items():
            out.append("%s|%s|%s" % (esc(section), esc(name), esc(value)))
    return out


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n")


def main():
    decode, work = sys.argv[1:3]
    rng = random.Random(20261206)
    cases = [("case %d" % i, t) for i, t in enumerate(CASES)]
    for i in range(RANDOM):
        t = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 48)))
        if rng.random() < 0.5:
            t = "[pytest]\n" + t
        cases.append(("random %d" % i, t))
    paths = []
    for i, (_, text) in enumerate(cases):
        path = os.path.join(work, "c%04d.ini" % i)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        paths.append(path)
    got = {}
    for k in range(0, len(paths), 200):
        out = subprocess.run([decode] + paths[k:k + 200], capture_output=True,
                             encoding="utf-8", check=True).stdout
        current = None
        for line in out.split("\n")[:-1]:
            if line.startswith("== "):
                current = line[3:]
                got[current] = []
            else:
                got[current].append(line)
    failed = 0
    for (name, text), path in zip(cases, paths):
        want = expected(text)
        have = got.get(path)
        # iniconfig's ParseError line is 0-based; ours is 1-based
        if want and want[0].startswith("ERROR ") and have and have[0].startswith("ERROR "):
            want = ["ERROR %d" % (int(want[0].split()[1]) + 1)]
        if have == want:
            if name.startswith("case"):
                print("PASS: %s %r" % (name, text[:40]))
        else:
            failed += 1
            print("FAIL: %s %r" % (name, text))
            print("      iniconfig: %r" % want)
            print("      ours:      %r" % have)
    print("PASS: %d random texts read as iniconfig reads them" % (RANDOM - failed)
          if not failed else "FAIL: %d cases differ" % failed)


main()
