"""Compares the outcomes of test_asyncio runs written by testsuite_run.py.

usage:
  testsuite_compare.py rerun BEFORE AFTER
      prints the modules holding a test whose outcome differs, one a line
  testsuite_compare.py judge LABEL SUITE FIXES EXPECTED BEFORE... -- AFTER...
      BEFORE and AFTER are the runs of each side, the whole suite first,
      then the reruns of the modules `rerun` printed. A test changed if
      the outcome it has most often differs between the sides (on a tie,
      the whole-suite run decides): a test that flakes once keeps its
      outcome, one that changes every time does not. FIXES is the JSON
      that `asyncmod check --fix --output-format json` wrote; EXPECTED
      lists the changes allowed (`-` for none), one a line:
          SUITE TEST_ID BEFORE AFTER RULE WHY...
      where RULE must have fixed the test's own module (or test_asyncio's
      helpers; any module of the asyncio package for SUITE `asyncio`).
      Exits 1 if a change is not listed.
"""
import collections
import json
import os
import re
import sys

KINDS = ("ok", "FAIL", "ERROR", "skipped", "xfail", "xpass", "missing")
HELPERS = ("utils.py", "functional.py", "__init__.py")
SHOWN = 8


def read(path):
    runs = {}
    with open(path) as f:
        for line in f:
            tid, outcome, note = line.rstrip("\n").split("\t", 2)
            runs[tid] = (outcome, note)
    return runs


def module_of(tid):
    """The module of test.test_asyncio a test id (or a load error) is in."""
    m = re.search(r"(test\.test_asyncio\.\w+)", tid)
    if m:
        return m.group(1)
    m = re.match(r"unittest\.loader\._FailedTest\.(\w+)$", tid)
    if m:
        return "test.test_asyncio." + m.group(1)
    return None


def load_error(run, mod):
    """Why a module did not load in a run, if it did not."""
    for tid, (outcome, note) in run.items():
        if tid.startswith("unittest.loader._FailedTest.") and module_of(tid) == mod:
            return "its module did not load: " + note
    return ""


def changed(before, after):
    ids = set(before) | set(after)
    return sorted(t for t in ids
                  if before.get(t, ("missing",))[0] != after.get(t, ("missing",))[0])


def counts(run):
    c = collections.Counter(o for o, _ in run.values())
    return " ".join("%s=%d" % (k, c[k]) for k in KINDS[:-1] if c[k] or k in ("ok", "FAIL", "ERROR", "skipped"))


def usual(outcomes):
    """The outcome seen most often; on a tie, the first run's."""
    c = collections.Counter(outcomes)
    top = max(c.values())
    return next(o for o in outcomes if c[o] == top)


def samples(tid, runs):
    """The outcomes of a test: the whole run's, then each rerun's of its
    module (a rerun of other modules says nothing about it)."""
    mod = module_of(tid)
    out = [runs[0].get(tid, ("missing", ""))[0]]
    for r in runs[1:]:
        if mod is not None and mod in {module_of(t) for t in r}:
            out.append(r.get(tid, ("missing", ""))[0])
    return out


def fixed_rules(fixes_path, suite, tid):
    """Rules whose fixes landed where they can change this test."""
    if fixes_path == "-":
        return collections.Counter()
    with open(fixes_path) as f:
        findings = json.load(f)
    mod = module_of(tid)
    own = mod.rsplit(".", 1)[1] + ".py" if mod else None
    c = collections.Counter()
    for x in findings:
        if not x.get("applied"):
            continue
        base = os.path.basename(x["path"])
        if suite == "asyncio" or base == own or base in HELPERS:
            c[x["code"]] += 1
    return c


def main():
    if sys.argv[1] == "rerun":
        before, after = read(sys.argv[2]), read(sys.argv[3])
        mods = sorted({module_of(t) for t in changed(before, after)} - {None})
        print("\n".join(mods))
        return 0
    label, suite, fixes, expected_path = sys.argv[2:6]
    rest = sys.argv[6:]
    cut = rest.index("--")
    before = [read(p) for p in rest[:cut]]
    after = [read(p) for p in rest[cut + 1:]]
    expected = {}
    if expected_path != "-":
        with open(expected_path) as f:
            for line in f:
                if not line.strip() or line.startswith("#"):
                    continue
                fields = line.split(None, 5)
                if len(fields) == 6 and fields[0] == suite:
                    expected[(fields[1], fields[2], fields[3])] = (fields[4], fields[5].strip())
    print("%s: before %s" % (label, counts(before[0])))
    print("%s: after  %s" % (label, counts(after[0])))
    bad = []
    flaky = []
    seen = set()
    for tid in changed(before[0], after[0]):
        b = samples(tid, before)
        a = samples(tid, after)
        note = after[0].get(tid, ("", ""))[1] or before[0].get(tid, ("", ""))[1]
        ub, ua = usual(b), usual(a)
        if ub == ua:
            flaky.append("%s: before %s, after %s" % (tid, ",".join(b), ",".join(a)))
            continue
        rules = fixed_rules(fixes, suite, tid)
        why = ", ".join("%s x%d" % kv for kv in sorted(rules.items())) or "none"
        exp = expected.get((tid, ub, ua))
        if exp and exp[0] in rules:
            seen.add((tid, ub, ua))
            print("%s: expected %s %s -> %s (%s: %s)" % (label, tid, ub, ua, exp[0], exp[1]))
            continue
        if ua == "missing" and not note:
            note = load_error(after[0], module_of(tid))
        bad.append((module_of(tid) or "", ub, ua, why, note,
                    "%s [runs %s / %s]" % (tid, ",".join(b), ",".join(a))))
    for f in flaky:
        print("%s: flaky, not a change: %s" % (label, f))
    for key in sorted(set(expected) - seen):
        why = load_error(after[0], module_of(key[0]))
        print("%s: listed change did not happen: %s %s -> %s%s"
              % ((label,) + key + ("; " + why if why else "",)))
    # the changes, by module and kind, at most SHOWN tests of each
    groups = collections.defaultdict(list)
    for mod, ub, ua, why, note, line in bad:
        groups[(mod, ub, ua, why)].append((line, note))
    for (mod, ub, ua, why), tests in sorted(groups.items()):
        print("%s: CHANGED %d tests of %s: %s -> %s; fixes there: %s"
              % (label, len(tests), mod, ub, ua, why))
        for line, note in tests[:SHOWN]:
            print("    %s%s" % (line, "; " + note if note else ""))
        if len(tests) > SHOWN:
            print("    ... and %d more" % (len(tests) - SHOWN))
    print("%s: %d changed, %d expected, %d flaky"
          % (label, len(bad), len(seen), len(flaky)))
    return 1 if bad else 0


sys.exit(main())
