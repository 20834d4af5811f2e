"""Judges one `check --fix` run over a copy of real code, for tests/realcode.sh.

    realcode.py judge ORIG FIXED LIST FINDINGS.json OUT
        LIST names the files (relative to both trees, one a line) that the
        fix changed. For each of them: did it compile before, does it still;
        which pyflakes messages about names (undefined name, imported but
        unused, local referenced before assignment) are new. Prints the
        problems to OUT, one a line, and the fixes per code from the JSON
        findings to stdout. Exit status 0 whatever it finds; 2 on a usage
        error.

Messages are compared by file and text without line numbers (lines move),
counted per file and text, so a second copy of a message already there is
still new.
"""

import collections
import json
import os
import sys

from pyflakes import api, messages, reporter

WATCHED = (messages.UndefinedName, messages.UndefinedLocal, messages.UnusedImport)


class Collect(reporter.Reporter):
    """Keeps the watched messages; syntax errors count as not compiling."""

    def __init__(self):
        self.found = []

    def unexpectedError(self, filename, msg):
        self.found.append("unexpected error: %s" % msg)

    def syntaxError(self, filename, msg, lineno, offset, text):
        self.found.append("syntax error: %s" % msg)

    def flake(self, message):
        if isinstance(message, WATCHED):
            self.found.append(message.message % message.message_args)


def flakes(path):
    rep = Collect()
    api.checkPath(path, rep)
    return collections.Counter(rep.found)


def compiles(path):
    try:
        with open(path, "rb") as f:
            compile(f.read(), path, "exec", dont_inherit=True)
        return True
    except Exception:  # SyntaxError, ValueError (null bytes), UnicodeDecodeError
        return False


def judge(orig, fixed, listing, findings, out):
    with open(listing, encoding="utf-8", errors="surrogateescape") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    problems = []
    for rel in files:
        before, after = os.path.join(orig, rel), os.path.join(fixed, rel)
        if compiles(before) and not compiles(after):
            problems.append("%s: compiled before the fix, does not after" % rel)
            continue
        new = flakes(after) - flakes(before)
        for text, n in sorted(new.items()):
            problems.append("%s: new pyflakes message%s: %s" % (rel, " (x%d)" % n if n > 1 else "", text))
    with open(out, "w", encoding="utf-8", errors="surrogateescape") as f:
        for p in problems:
            f.write(p + "\n")

    with open(findings, encoding="utf-8") as f:
        records = json.load(f)
    applied = collections.Counter(r["code"] for r in records if r.get("applied"))
    # a fix that was made but not kept: its finding's fix is null, the
    # reason says why
    not_kept = ("conflict", "fix-broke-syntax", "fix-broke-names", "write-failed", "not-committed")
    refused = collections.Counter(
        "%s %s" % (r["code"], r["reason"]) for r in records
        if not r.get("applied") and r.get("reason") in not_kept)
    print("fixes per code: " + (" ".join("%s=%d" % kv for kv in sorted(applied.items())) or "none"))
    print("fixes total: %d, findings total: %d" % (sum(applied.values()), len(records)))
    for k, n in sorted(refused.items()):
        print("fix not applied: %s x%d" % (k, n))


def main(argv):
    if len(argv) == 7 and argv[1] == "judge":
        judge(*argv[2:])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
