"""The standard's own examples as the acceptance suite.

Reads spec/python-async-standard.zh.md, takes every ```python block, splits
it into its labelled examples (a `# ✅ ...` or `# ❌ ...` comment at the
start of a line opens one) and checks them with asyncmod:

  - every ❌ example gets a finding (every rule selected, those off by
    default too), unless misses.txt lists it with its reason;
  - every ✅ example gets no finding under the default settings (one
    labelled as the form for Python 3.10 and earlier is checked with
    --target-version py310), unless exceptions.txt lists it with the codes
    it gets and why the example itself is wrong;
  - every section `asyncmod explain` cites is a heading path of the
    standard, and every line it quotes stands in that section;
  - every pair in fixes.txt: the fix of the ❌ example gives the ✅ one
    ("same", compared as ASTs with names and docstrings left out), or is
    listed as intentionally different ("differs": a fix is made, not the
    standard's form) or as not fixed ("nofix"), with the reason.

A block is named by its headings and its ordinal under them ("A > B #1"),
an example by its block and its ordinal in it ("A > B #1.2"); every table
entry must name an example that exists, so a change to the standard fails a
case instead of passing quietly. count.txt holds the number of blocks and
examples: a change of either fails until the tables are reviewed.

usage: standard.py SPEC ASYNCMOD TABLEDIR WORKDIR
Prints one PASS:/FAIL: line per case (details indented below a failure).
"""
import ast
import json
import os
import re
import subprocess
import sys

LABEL = re.compile(r"^# (✅|❌)\s*(.*)$")
OLD_TARGET = re.compile(r"3\.10-")


class Example:
    def __init__(self, block, ordinal, mark, title, first, lines):
        self.block = block
        self.id = "%s.%d" % (block.id, ordinal)
        self.good = mark == "✅"
        self.title = title
        self.first = first          # 0-based line in the block
        self.lines = lines

    @property
    def text(self):
        return "\n".join(self.lines) + "\n"


class Block:
    def __init__(self, id, lines):
        self.id = id
        self.lines = lines
        self.examples = []


def read_blocks(path):
    heads = {}
    ordinals = {}
    blocks = []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"^(#{2,6}) (.*)$", line)
        if m:
            level = len(m.group(1))
            heads = {k: v for k, v in heads.items() if k < level}
            heads[level] = m.group(2).strip()
        elif line.strip() == "```python":
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            where = " > ".join(heads[k] for k in sorted(heads))
            ordinals[where] = ordinals.get(where, 0) + 1
            block = Block("%s #%d" % (where, ordinals[where]), lines[i + 1:j])
            blocks.append(block)
            i = j
        i += 1
    for block in blocks:
        starts = [(n, LABEL.match(l)) for n, l in enumerate(block.lines) if LABEL.match(l)]
        for k, (n, m) in enumerate(starts):
            end = starts[k + 1][0] if k + 1 < len(starts) else len(block.lines)
            block.examples.append(Example(block, k + 1, m.group(1), m.group(2),
                                          n, block.lines[n:end]))
    return blocks


def read_sections(path):
    """Each heading path ("A > B") with the stripped lines of its section,
    subsections included."""
    sections = {}
    heads = {}
    for line in open(path, encoding="utf-8").read().split("\n"):
        m = re.match(r"^(#{2,6}) (.*)$", line)
        if m:
            level = len(m.group(1))
            heads = {k: v for k, v in heads.items() if k < level}
            heads[level] = m.group(2).strip()
            sections.setdefault(" > ".join(heads[k] for k in sorted(heads)), set())
            continue
        for k in heads:
            path_k = " > ".join(heads[j] for j in sorted(heads) if j <= k)
            sections.setdefault(path_k, set()).add(line.strip())
    return sections


def explain_citations(text):
    """(section, quoted line) pairs of an `asyncmod explain` text."""
    out = []
    lines = text.split("\n")
    section = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("  The standard") and "section \"" in line:
            cite = line.strip()
            while '" (' not in cite and i + 1 < len(lines):
                i += 1
                cite += " " + lines[i].strip()
            section = cite[cite.index('section "') + 9:cite.index('" (')]
        elif (section is not None and line.startswith("      ")
              and not line.startswith("      English: ")
              and not line.startswith("               ")
              and line.strip() != "..."):  # lines left out between quotes
            out.append((section, line[6:].strip()))
        elif line and not line.startswith(" "):
            section = None
        i += 1
    return out


def check_citations(c, spec, asyncmod):
    """Every section `explain` cites is a heading path of the standard, and
    every line it quotes stands in that section."""
    sections = read_sections(spec)
    codes = [l.split()[0] for l in subprocess.run(
        [asyncmod, "rules"], capture_output=True, text=True).stdout.splitlines() if l]
    for code in codes:
        text = subprocess.run([asyncmod, "explain", code], capture_output=True,
                              text=True).stdout
        wrong = []
        for section, quote in explain_citations(text):
            if section not in sections:
                wrong.append("no such section: %s" % section)
            elif quote not in sections[section]:
                wrong.append("not in section %s: %s" % (section, quote))
        if wrong:
            c.bad("explain %s: its citations are the standard's own" % code, *wrong)
        else:
            c.ok("explain %s: its citations are the standard's own" % code)


def read_table(path, fields):
    """Tab-separated rows; '#' starts a comment line."""
    rows = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != fields:
            raise SystemExit("%s:%d: expected %d tab-separated fields" % (path, n, fields))
        rows.append([p.strip() for p in parts])
    return rows


class Checker:
    def __init__(self, asyncmod, work):
        self.asyncmod = asyncmod
        self.work = work
        self.passed = 0
        self.failed = 0
        rules = json.loads(subprocess.run([asyncmod, "rules", "--output-format", "json"],
                                          check=True, capture_output=True).stdout)
        self.every_rule = ",".join(r["code"] for r in rules)

    def ok(self, name):
        self.passed += 1
        print("PASS: %s" % name)

    def bad(self, name, *details):
        self.failed += 1
        print("FAIL: %s" % name)
        for d in details:
            for line in str(d).splitlines():
                print("      %s" % line)

    def run(self, path, *args, fix=False):
        cmd = [self.asyncmod, "check", "--isolated", "--jobs", "1", "--quiet"]
        if fix:
            cmd += ["--fix"]
        else:
            cmd += ["--output-format", "json"]
        proc = subprocess.run(cmd + list(args) + [path], capture_output=True, text=True,
                              timeout=60)
        if proc.returncode > 1:
            raise RuntimeError("asyncmod exited %d: %s" % (proc.returncode, proc.stderr.strip()))
        return None if fix else json.loads(proc.stdout or "[]")


def prefix_text(imports, block):
    text = imports.get(block.id, "")
    return "".join(s.strip() + "\n" for s in text.split(";") if s.strip())


def findings_in(findings, offset, example):
    first = offset + example.first + 1
    last = first + len(example.lines) - 1
    return [f for f in findings if first <= f["line"] <= last]


def describe(findings):
    return ["%d: %s %s" % (f["line"], f["code"], f["message"]) for f in findings]


def normalized(text):
    """The functions and classes of `text` as an AST dump, their names,
    docstrings and the module's imports left out."""
    out = []
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                body = body[1:]
            node.body = body or [ast.Pass()]
            node.name = "_"
            out.append(ast.dump(node, annotate_fields=True))
    return out


def main():
    spec, asyncmod, tables, work = sys.argv[1:5]
    blocks = read_blocks(spec)
    examples = {e.id: e for b in blocks for e in b.examples}
    c = Checker(asyncmod, work)

    # the inventory
    good = sum(e.good for e in examples.values())
    count = "blocks %d examples %d good %d bad %d" % (len(blocks), len(examples), good,
                                                       len(examples) - good)
    want = open(os.path.join(tables, "count.txt"), encoding="utf-8").read().strip()
    if count == want:
        c.ok("inventory: %s" % count)
    else:
        c.bad("inventory: the standard now has %s; count.txt says %s (review the tables)"
              % (count, want), *("%s %s %s" % (e.id, "✅" if e.good else "❌", e.title)
                                 for e in examples.values()))
    for b in blocks:
        if not b.examples:
            c.bad("%s: a block with no ✅/❌ label" % b.id)

    imports = dict(read_table(os.path.join(tables, "imports.txt"), 2))
    exceptions = {r[0]: r for r in read_table(os.path.join(tables, "exceptions.txt"), 3)}
    misses = {r[0]: r for r in read_table(os.path.join(tables, "misses.txt"), 2)}
    fixes = read_table(os.path.join(tables, "fixes.txt"), 5)
    for name, ids in (("imports.txt", imports), ("exceptions.txt", exceptions),
                      ("misses.txt", misses)):
        for key in ids:
            known = key in examples if name != "imports.txt" else \
                any(b.id == key for b in blocks)
            if not known:
                c.bad("%s: '%s' names nothing in the standard" % (name, key))
    for row in fixes:
        for key in row[:2]:
            if key not in examples:
                c.bad("fixes.txt: '%s' names no example of the standard" % key)

    # the standard configures pytest-asyncio in a block of its own (the
    # pyproject.toml of its projects): the examples are checked under it
    table = "[tool.pytest.ini_options]"
    config = [b for b in blocks if table in (l.strip() for l in b.lines)]
    if len(config) == 1:
        lines = config[0].lines
        start = [l.strip() for l in lines].index(table)
        with open(os.path.join(work, "pyproject.toml"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines[start:]) + "\n")
        c.ok("pytest configuration: %s" % config[0].id)
    else:
        c.bad("pytest configuration: %d blocks hold %s (expected one)" % (len(config), table))

    # detection: each block once per setting, findings split by example
    for n, b in enumerate(blocks):
        prefix = prefix_text(imports, b)
        offset = prefix.count("\n")
        path = os.path.join(work, "block%02d.py" % n)
        with open(path, "w", encoding="utf-8") as f:
            f.write(prefix + "\n".join(b.lines) + "\n")
        try:
            every = c.run(path, "--select", c.every_rule)
            default = c.run(path)
            old = c.run(path, "--target-version", "py310")
        except (RuntimeError, subprocess.TimeoutExpired, ValueError) as e:
            c.bad("%s: asyncmod failed" % b.id, e)
            continue
        for e in b.examples:
            name = "%s %s %s" % (e.id, "✅" if e.good else "❌", e.title)
            if not e.good:
                got = findings_in(every, offset, e)
                if e.id in misses:
                    if got:
                        c.bad("%s: listed in misses.txt but now detected" % name,
                              *describe(got))
                    else:
                        c.ok("%s: not detected, as misses.txt says (%s)"
                             % (name, misses[e.id][1]))
                elif got:
                    c.ok("%s: detected (%s)" % (name, ", ".join(sorted({f["code"] for f in got}))))
                else:
                    c.bad("%s: not detected" % name)
                continue
            old_form = bool(OLD_TARGET.search(e.title))
            got = findings_in(old if old_form else default, offset, e)
            setting = "--target-version py310" if old_form else "default settings"
            codes = ",".join(sorted({f["code"] for f in got})) or "-"
            if e.id in exceptions:
                want_codes = exceptions[e.id][1]
                if codes == want_codes:
                    c.ok("%s: %s under %s, as exceptions.txt says (%s)"
                         % (name, codes, setting, exceptions[e.id][2]))
                else:
                    c.bad("%s: exceptions.txt expects %s under %s, got %s"
                          % (name, want_codes, setting, codes), *describe(got))
            elif got:
                c.bad("%s: findings under %s" % (name, setting), *describe(got))
            else:
                c.ok("%s: no finding under %s" % (name, setting))

    # fixes
    for n, (bad_id, good_id, args, verdict, reason) in enumerate(fixes):
        if bad_id not in examples or good_id not in examples:
            continue
        bad, good = examples[bad_id], examples[good_id]
        name = "fix %s -> %s" % (bad_id, good_id)
        path = os.path.join(work, "fix%02d.py" % n)
        with open(path, "w", encoding="utf-8") as f:
            f.write(prefix_text(imports, bad.block) + bad.text)
        try:
            c.run(path, *args.split(), fix=True)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            c.bad("%s: asyncmod failed" % name, e)
            continue
        fixed = open(path, encoding="utf-8").read()
        try:
            got = normalized(fixed)
        except SyntaxError as e:
            c.bad("%s: the fixed code does not parse" % name, e, fixed)
            continue
        same = got == normalized(good.text)
        changed = fixed != prefix_text(imports, bad.block) + bad.text
        if verdict == "same":
            if same:
                c.ok("%s: the fix writes the standard's form" % name)
            else:
                c.bad("%s: the fix differs from the standard's form" % name, fixed)
        elif verdict == "differs":
            if same:
                c.bad("%s: listed as different but the fix now writes the standard's form" % name)
            elif not changed:
                c.bad("%s: no fix was applied" % name)
            else:
                c.ok("%s: fixed, intentionally not the standard's form (%s)" % (name, reason))
        elif verdict == "nofix":
            if changed:
                c.bad("%s: listed as not fixed, but a fix now changes it" % name, fixed)
            else:
                c.ok("%s: not fixed, as fixes.txt says (%s)" % (name, reason))
        else:
            c.bad("%s: fixes.txt verdict must be 'same', 'differs' or 'nofix'" % name)

    check_citations(c, spec, asyncmod)
    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
