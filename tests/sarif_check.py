#!/usr/bin/env python3
"""sarif_check: validates `asyncmod check --output-format sarif` field by field.

Checks what GitHub code scanning needs of a SARIF 2.1.0 log (the version and
schema, the tool and its rules, each result's rule, message and location,
the structure of fixes), and that the results match the findings of the
concise text output of the same run. Standard library only.

usage: sarif_check.py [--text CONCISE] [--rules CODES] [--apply ROOT [--fixed DIR]] LOG

  --text CONCISE  the `--output-format concise` output of the same run: the
                  results must be exactly those findings, in order
  --rules CODES   a file whose lines start with every rule code (the output
                  of `asyncmod rules`): the driver must list exactly those
  --apply ROOT    apply every fix to the files below ROOT and check that the
                  result still compiles
  --fixed DIR     and that it is the file of the same path below DIR (the
                  text `check --fix` wrote, for files whose fixes need no
                  import or module-level statement)

Prints one line `ok: R results, N rules, F fixes` and exits 0, or prints
each problem and exits 1.
"""
import argparse
import json
import os
import re
import sys
import urllib.parse

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = ("none", "note", "warning", "error")
CONCISE = re.compile(r"^(.*):(\d+):(\d+): (\S+) (?:\[\*\] )?(.*)$")


class Checker:
    def __init__(self):
        self.problems = []

    def fail(self, where, what):
        self.problems.append(f"{where}: {what}")

    def get(self, obj, key, kind, where):
        """obj[key] when it is present and of type `kind`, else None (and a problem)."""
        if not isinstance(obj, dict):
            self.fail(where, "not an object")
            return None
        if key not in obj:
            self.fail(where, f"missing '{key}'")
            return None
        value = obj[key]
        if kind is int and isinstance(value, bool):
            self.fail(f"{where}.{key}", "a boolean, expected an integer")
            return None
        if not isinstance(value, kind):
            self.fail(f"{where}.{key}", f"{type(value).__name__}, expected {kind.__name__}")
            return None
        return value

    def text(self, obj, key, where):
        """obj[key].text, a non-empty string."""
        msg = self.get(obj, key, dict, where)
        if msg is None:
            return None
        text = self.get(msg, "text", str, f"{where}.{key}")
        if text is not None and not text.strip():
            self.fail(f"{where}.{key}.text", "empty")
        return text

    def region(self, obj, key, where):
        """obj[key] as (startLine, startColumn, endLine, endColumn), all 1-based."""
        reg = self.get(obj, key, dict, where)
        if reg is None:
            return None
        where = f"{where}.{key}"
        vals = [self.get(reg, k, int, where)
                for k in ("startLine", "startColumn", "endLine", "endColumn")]
        if None in vals:
            return None
        sl, sc, el, ec = vals
        if sl < 1 or sc < 1 or el < 1 or ec < 1:
            self.fail(where, f"lines and columns must be >= 1, got {vals}")
        if (el, ec) < (sl, sc):
            self.fail(where, f"ends before it starts: {vals}")
        return sl, sc, el, ec

    def uri(self, obj, where):
        """The relative URI of an artifactLocation, decoded to a path."""
        uri = self.get(obj, "uri", str, where)
        if uri is None:
            return None
        parsed = urllib.parse.urlparse(uri)
        if parsed.scheme or uri.startswith("/") or parsed.netloc:
            self.fail(f"{where}.uri", f"not relative: {uri!r}")
        if "\\" in uri or " " in uri:
            self.fail(f"{where}.uri", f"unencoded character in {uri!r}")
        if uri.startswith("../") or uri.startswith("./"):
            self.fail(f"{where}.uri", f"not normalized: {uri!r}")
        if obj.get("uriBaseId") != "%SRCROOT%":
            self.fail(f"{where}.uriBaseId", f"{obj.get('uriBaseId')!r}, expected '%SRCROOT%'")
        return urllib.parse.unquote(uri)


def check_rules(c, driver, codes):
    rules = c.get(driver, "rules", list, "driver") or []
    ids = []
    for i, rule in enumerate(rules):
        where = f"rules[{i}]"
        rid = c.get(rule, "id", str, where)
        if rid is None:
            continue
        where = f"rules[{i}] ({rid})"
        ids.append(rid)
        if not re.fullmatch(r"[A-Z]+[0-9]+", rid):
            c.fail(where, f"unexpected id {rid!r}")
        c.get(rule, "name", str, where)
        c.text(rule, "shortDescription", where)
        c.text(rule, "fullDescription", where)
        help_ = c.get(rule, "help", dict, where)
        if help_ is not None:
            for key in ("text", "markdown"):
                value = c.get(help_, key, str, f"{where}.help")
                if value is not None and rid not in value:
                    c.fail(f"{where}.help.{key}", "does not name the rule")
        conf = c.get(rule, "defaultConfiguration", dict, where)
        if conf is not None and conf.get("level") != "warning":
            c.fail(f"{where}.defaultConfiguration.level", f"{conf.get('level')!r}")
        props = c.get(rule, "properties", dict, where)
        if props is not None:
            tags = c.get(props, "tags", list, f"{where}.properties")
            if tags is not None and (not tags or len(tags) > 20 or
                                     not all(isinstance(t, str) and t for t in tags)):
                c.fail(f"{where}.properties.tags", f"not 1..20 non-empty strings: {tags!r}")
    if len(set(ids)) != len(ids):
        c.fail("rules", f"duplicate ids: {sorted(i for i in set(ids) if ids.count(i) > 1)}")
    if codes is not None and ids != codes:
        c.fail("rules", f"ids {ids} differ from `asyncmod rules` {codes}")
    return ids


def check_fix(c, fix, uri, where):
    """Returns [(path, region, text)] for the replacements of one fix."""
    out = []
    c.text(fix, "description", where)
    changes = c.get(fix, "artifactChanges", list, where) or []
    if not changes:
        c.fail(f"{where}.artifactChanges", "empty")
    for k, change in enumerate(changes):
        cw = f"{where}.artifactChanges[{k}]"
        loc = c.get(change, "artifactLocation", dict, cw)
        path = c.uri(loc, f"{cw}.artifactLocation") if loc is not None else None
        if path is not None and path != uri:
            c.fail(f"{cw}.artifactLocation.uri", f"{path!r} is not the result's {uri!r}")
        repls = c.get(change, "replacements", list, cw) or []
        if not repls:
            c.fail(f"{cw}.replacements", "empty")
        for m, rep in enumerate(repls):
            rw = f"{cw}.replacements[{m}]"
            reg = c.region(rep, "deletedRegion", rw)
            ins = c.get(rep, "insertedContent", dict, rw)
            text = c.get(ins, "text", str, f"{rw}.insertedContent") if ins is not None else None
            if reg is not None and text is not None and path is not None:
                out.append((path, reg, text))
    return out


def check_results(c, run, ids, concise):
    results = c.get(run, "results", list, "run") or []
    edits = []
    nfixes = 0
    for i, res in enumerate(results):
        where = f"results[{i}]"
        rid = c.get(res, "ruleId", str, where)
        index = c.get(res, "ruleIndex", int, where)
        if rid is not None and rid not in ids:
            c.fail(f"{where}.ruleId", f"{rid!r} is not a rule of the driver")
        if index is not None and rid is not None and not (0 <= index < len(ids) and ids[index] == rid):
            c.fail(f"{where}.ruleIndex", f"{index} does not point at {rid!r}")
        if res.get("level") not in LEVELS:
            c.fail(f"{where}.level", f"{res.get('level')!r}")
        message = c.text(res, "message", where)
        locs = c.get(res, "locations", list, where) or []
        if len(locs) != 1:
            c.fail(f"{where}.locations", f"{len(locs)} locations, expected 1")
            continue
        phys = c.get(locs[0], "physicalLocation", dict, f"{where}.locations[0]")
        if phys is None:
            continue
        pw = f"{where}.locations[0].physicalLocation"
        art = c.get(phys, "artifactLocation", dict, pw)
        uri = c.uri(art, f"{pw}.artifactLocation") if art is not None else None
        reg = c.region(phys, "region", pw)
        if concise is not None and i < len(concise):
            want = concise[i]
            got = (uri, reg[0] if reg else None, reg[1] if reg else None, rid, message)
            if got != want:
                c.fail(where, f"is {got}, the text output says {want}")
        fixes = res.get("fixes")
        if fixes is None:
            continue
        if not isinstance(fixes, list) or not fixes:
            c.fail(f"{where}.fixes", "not a non-empty array")
            continue
        if message and "(reason: " in message:
            c.fail(f"{where}.fixes", "a finding with a reason offers a fix")
        for k, fix in enumerate(fixes):
            nfixes += 1
            edits.extend(check_fix(c, fix, uri, f"{where}.fixes[{k}]"))
    if concise is not None and len(concise) != len(results):
        c.fail("results", f"{len(results)} results, the text output has {len(concise)} findings")
    return results, edits, nfixes


def offset(lines, line, column, where, c):
    """The index in the file's text of a 1-based line and code point column."""
    if line > len(lines) + 1:
        c.fail(where, f"line {line} is past the end of the file")
        return None
    start = sum(len(l) for l in lines[:line - 1])
    text = lines[line - 1] if line <= len(lines) else ""
    if column - 1 > len(text.rstrip("\r\n")):
        c.fail(where, f"column {column} is past the end of line {line}")
        return None
    return start + column - 1


def apply_fixes(c, root, edits, fixed):
    """Applies the replacements per file, back to front; each result must
    compile and, with `fixed`, equal the file below it."""
    by_file = {}
    for path, reg, text in edits:
        by_file.setdefault(path, []).append((reg, text))
    for path, reps in sorted(by_file.items()):
        with open(os.path.join(root, path), encoding="utf-8", newline="") as f:
            src = f.read()
        lines = src.splitlines(keepends=True)
        spans = []
        for reg, text in reps:
            where = f"fix in {path} at {reg}"
            a = offset(lines, reg[0], reg[1], where, c)
            b = offset(lines, reg[2], reg[3], where, c)
            if a is not None and b is not None:
                spans.append((a, b, text))
        spans.sort()
        for (a1, b1, _), (a2, _, _) in zip(spans, spans[1:]):
            if a2 < b1:
                c.fail(path, f"fixes overlap at {a1}..{b1} and {a2}")
        for a, b, text in sorted(spans, reverse=True):
            src = src[:a] + text + src[b:]
        try:
            compile(src, path, "exec")
        except SyntaxError as e:
            c.fail(path, f"does not compile after the fixes: {e}")
        if fixed:
            with open(os.path.join(fixed, path), encoding="utf-8", newline="") as f:
                want = f.read()
            if src != want:
                c.fail(path, f"the fixes give {src!r}, `check --fix` wrote {want!r}")


def read_concise(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = CONCISE.match(line.rstrip("\n"))
            if not m:
                raise SystemExit(f"sarif_check: cannot read text finding: {line!r}")
            p, ln, col, code, msg = m.groups()
            out.append((os.path.normpath(p), int(ln), int(col), code, msg))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--text")
    ap.add_argument("--rules")
    ap.add_argument("--apply")
    ap.add_argument("--fixed")
    ap.add_argument("log")
    args = ap.parse_args()

    c = Checker()
    with open(args.log, encoding="utf-8") as f:
        try:
            log = json.load(f)
        except json.JSONDecodeError as e:
            print(f"{args.log}: not JSON: {e}")
            return 1
    codes = None
    if args.rules:
        with open(args.rules, encoding="utf-8") as f:
            codes = [line.split()[0] for line in f if line.strip()]
    concise = read_concise(args.text) if args.text else None

    if log.get("version") != "2.1.0":
        c.fail("version", f"{log.get('version')!r}")
    if log.get("$schema") != SCHEMA:
        c.fail("$schema", f"{log.get('$schema')!r}")
    runs = c.get(log, "runs", list, "log") or []
    if len(runs) != 1:
        c.fail("runs", f"{len(runs)} runs, expected 1")
    if not runs:
        print("\n".join(c.problems))
        return 1
    run = runs[0]
    tool = c.get(run, "tool", dict, "run")
    driver = c.get(tool, "driver", dict, "tool") if tool is not None else None
    ids = []
    if driver is not None:
        if driver.get("name") != "asyncmod":
            c.fail("driver.name", f"{driver.get('name')!r}")
        version = c.get(driver, "version", str, "driver")
        if version is not None and not re.fullmatch(r"\d+\.\d+\.\d+.*", version):
            c.fail("driver.version", f"{version!r}")
        ids = check_rules(c, driver, codes)
    if run.get("columnKind") != "unicodeCodePoints":
        c.fail("run.columnKind", f"{run.get('columnKind')!r}")
    results, edits, nfixes = check_results(c, run, ids, concise)
    if args.apply and edits:
        apply_fixes(c, args.apply, edits, args.fixed)

    if c.problems:
        print("\n".join(c.problems))
        return 1
    print(f"ok: {len(results)} results, {len(ids)} rules, {nfixes} fixes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
