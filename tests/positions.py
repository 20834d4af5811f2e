#!/usr/bin/env python3
"""Prints the findings an asyncmod report lists, one per line, sorted:

    PATH LINE COLUMN CODE

    positions.py FORMAT REPORT

FORMAT is text, concise, json, sarif or github: the output of that
format (JSON findings already applied are left out, as the other formats
leave them out). Used to check that every format puts a finding at the
same place.
"""
import json
import re
import sys
import urllib.parse


def main(fmt, path):
    rows = []
    data = open(path, encoding="utf-8", errors="surrogateescape").read()
    if fmt in ("text", "concise"):
        for line in data.splitlines():
            m = re.match(r"^(.+?):(\d+):(\d+): (\S+) ", line)
            if m:
                rows.append((m[1], int(m[2]), int(m[3]), m[4]))
    elif fmt == "json":
        for f in json.loads(data):
            if f["code"] and not f["applied"]:
                assert (f["location"]["row"], f["location"]["column"]) == (f["line"], f["column"])
                rows.append((f["path"], f["line"], f["column"], f["code"]))
    elif fmt == "sarif":
        for r in json.loads(data)["runs"][0]["results"]:
            loc = r["locations"][0]["physicalLocation"]
            uri = urllib.parse.unquote(loc["artifactLocation"]["uri"])
            rows.append((uri, loc["region"]["startLine"], loc["region"]["startColumn"],
                         r["ruleId"]))
    elif fmt == "github":
        for line in data.splitlines():
            m = re.match(r"^::warning file=([^,]*),line=(\d+),col=(\d+),.*,title=([^:]*)::", line)
            if m:
                rows.append((urllib.parse.unquote(m[1]), int(m[2]), int(m[3]), m[4]))
    for r in sorted(rows):
        print("%s %d %d %s" % r)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
