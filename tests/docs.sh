#!/bin/sh
# The manual page and the README keep up with the rules: every code that
# `asyncmod rules` lists has an entry in the RULES section of
# man/asyncmod.1 and a row in the README's rules table, and each names
# every reason token the rule can give.
. "$SRCDIR/tests/lib.sh"

PY=${PYTHON:-python3}
"$ASYNCMOD" rules --output-format json >"$TMPROOT/rules.json" || fail "asyncmod rules failed"
"$PY" - "$TMPROOT/rules.json" "$SRCDIR/man/asyncmod.1" "$SRCDIR/README.md" <<'PY' >"$TMPROOT/results"
import json, re, sys

rules = json.load(open(sys.argv[1]))
man = open(sys.argv[2], encoding="utf-8").read()
readme = open(sys.argv[3], encoding="utf-8").read()

section = man.split("\n.SH RULES\n", 1)[1].split("\n.SH ", 1)[0]
entries = {}
for chunk in section.split("\n.TP\n")[1:]:
    head = chunk.split("\n", 1)[0]
    for code in re.findall(r"[A-Z]+[0-9]+", head):
        entries[code] = chunk
rows = {}
table = readme.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
for line in table.splitlines():
    m = re.match(r"\| ((?:[A-Z]+[0-9]+(?: / )?)+) \|", line)
    if m:
        for code in re.findall(r"[A-Z]+[0-9]+", m.group(1)):
            rows[code] = line

for r in rules:
    code = r["code"]
    problems = []
    entry = entries.get(code)
    if entry is None:
        problems.append("no entry in the RULES section of the manual page")
    else:
        for reason in r["reasons"]:
            if reason.replace("-", "\\-") not in entry:
                problems.append("the manual page's entry does not name " + reason)
    row = rows.get(code)
    if row is None:
        problems.append("no row in the README's rules table")
    else:
        for reason in r["reasons"]:
            if "`" + reason + "`" not in row:
                problems.append("the README's row does not name " + reason)
    print(code + "\t" + "; ".join(problems))
PY
while IFS='	' read -r code problems; do
    if [ -n "$problems" ]; then fail "$code documented" "$problems"; else pass "$code documented"; fi
done <"$TMPROOT/results"
[ -s "$TMPROOT/results" ] || fail "no rules checked"

# Every long option `--help` shows is one the command line knows: a
# misspelling's "did you mean" can name it, and a command it does not
# belong to says so instead of calling it unknown.
for opt in $("$ASYNCMOD" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    out=$("$ASYNCMOD" rules "$opt" 2>&1)
    if printf '%s\n' "$out" | grep -q "unknown option '$opt'"; then
        fail "$opt is in the list of known options" "$out"
    else
        pass "$opt is in the list of known options"
    fi
done
finish
