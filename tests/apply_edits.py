#!/usr/bin/env python3
"""Applies the fix edits of `asyncmod check --output-format json`.

    apply_edits.py FINDINGS.json SOURCE OUT [INDEX]
    apply_edits.py --tree FINDINGS.json ORIGINAL FIXED
    apply_edits.py --trees LIST

Reads SOURCE as bytes (a UTF-8 byte order mark is kept and not counted in
columns, as asyncmod counts them), applies the `fix.edits` of the finding
number INDEX of FINDINGS (0-based, among the findings of SOURCE that carry
a fix), or of every finding with a fix when INDEX is absent, and writes
the result to OUT. Rows are lines (LF, CRLF or CR ends), columns count
characters from 1. Edits that are the same edit are made once; edits that
overlap are an error (exit 3); edits at one point are made in the order
listed. Prints the number of fixes applied.

With --tree, FINDINGS is the output for the folder ORIGINAL (run from
inside it) and FIXED a copy of ORIGINAL after `--fix` with the same
options. For every file: with no fix in FINDINGS, `--fix` must have left
it alone; with one fix, applying its edits must give exactly the fixed
file; with several, each applied alone must give text Python compiles
(when the original compiles). Prints "N files: S one fix, M several, Z
none" or the problems, exit 1. --trees does the same for each line
"FINDINGS ORIGINAL FIXED LABEL" of the file LIST, with one total.
"""
import json
import os
import sys


def offsets(text):
    """Start offset (in characters) of each line of `text`."""
    starts = [0]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                i += 1
            starts.append(i + 1)
        elif c == "\n":
            starts.append(i + 1)
        i += 1
    return starts


def apply(findings, raw, index=None):
    """The bytes `raw` after the fixes of `findings` (or fix number
    `index` alone); raises ValueError on overlapping edits."""
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
    starts = offsets(text)
    fixes = [f["fix"] for f in findings if f.get("fix")]
    if index is not None:
        fixes = [fixes[index]]

    def at(loc):
        return starts[loc["row"] - 1] + loc["column"] - 1

    edits = []
    for fix in fixes:
        assert fix["applicability"] in ("safe", "unsafe"), fix
        assert isinstance(fix["message"], str) and fix["message"], fix
        for e in fix["edits"]:
            edit = (at(e["location"]), at(e["end_location"]), e["content"])
            if edit not in edits:
                edits.append(edit)
    pos, out = 0, []
    for start, end, content in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos or end < start:
            raise ValueError("overlapping edits at character %d" % start)
        out.append(text[pos:start])
        out.append(content)
        pos = end
    out.append(text[pos:])
    return (b"\xef\xbb\xbf" if bom else b"") + "".join(out).encode("utf-8")


def compiles(data):
    try:
        compile(data, "<fixed>", "exec", dont_inherit=True)
        return True
    except (SyntaxError, ValueError):
        return False


def trees(listing):
    """--trees LIST: --tree for each line "FINDINGS ORIGINAL FIXED LABEL"
    of LIST; problems are prefixed with the label, counts summed."""
    total, bad = [0, 0, 0], []
    for line in open(listing, encoding="utf-8"):
        findings, original, fixed, label = line.rstrip("\n").split(" ", 3)
        counts, problems = check_tree(findings, original, fixed)
        total = [a + b for a, b in zip(total, counts)]
        bad += ["%s: %s" % (label, p) for p in problems]
    if bad:
        print("\n".join(bad[:20]))
        return 1
    print("%d files: %d one fix, %d several, %d none" % (sum(total), *total))
    return 0


def tree(argv):
    counts, problems = check_tree(*argv[:3])
    if problems:
        print("\n".join(problems[:20]))
        return 1
    print("%d files: %d one fix, %d several, %d none" % (sum(counts), *counts))
    return 0


def check_tree(findings_path, original, fixed):
    findings = json.load(open(findings_path, encoding="utf-8"))
    by_path = {}
    for f in findings:
        if f.get("code") is None:
            return [0, 0, 0], ["error in the run: %s: %s" % (f.get("path"), f["message"])]
        by_path.setdefault(os.path.normpath(f["path"]), []).append(f)
    problems, counts = [], [0, 0, 0]
    for root, dirs, names in os.walk(original):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # a cache of results
        for name in sorted(names):
            path = os.path.join(root, name)
            rel = os.path.normpath(os.path.relpath(path, original))
            raw = open(path, "rb").read()
            after = open(os.path.join(fixed, rel), "rb").read()
            mine = by_path.get(rel, [])
            nfix = sum(1 for f in mine if f.get("fix"))
            try:
                if nfix == 0:
                    counts[2] += 1
                    if after != raw:
                        problems.append("%s: no fix in the JSON, but --fix changed it" % rel)
                elif nfix == 1:
                    counts[0] += 1
                    if apply(mine, raw) != after:
                        problems.append("%s: its one fix does not give what --fix writes" % rel)
                else:
                    counts[1] += 1
                    for i in range(nfix):
                        if compiles(raw) and not compiles(apply(mine, raw, i)):
                            problems.append("%s: fix %d alone does not compile" % (rel, i))
            except (ValueError, IndexError, KeyError) as e:
                problems.append("%s: %s" % (rel, e))
    return counts, problems


def main(argv):
    if argv[1] == "--tree":
        return tree(argv[2:])
    if argv[1] == "--trees":
        return trees(argv[2])
    findings = json.load(open(argv[1], encoding="utf-8"))
    raw = open(argv[2], "rb").read()
    index = int(argv[4]) if len(argv) > 4 else None
    fixes = [f for f in findings if f.get("fix")]
    try:
        data = apply(findings, raw, index)
    except ValueError as e:
        print(e)
        return 3
    with open(argv[3], "wb") as f:
        f.write(data)
    if index is not None:
        fixes = [fixes[index]]
    print(len(fixes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
