"""Compares toml_decode's output with toml-test's expected JSON.

usage: toml_compare.py EXPECTED.json < OUTPUT.json; exit 0 when they
mean the same document. Scalars are compared as toml-test compares them:
integers and floats by value (every NaN alike), date-times after
normalising the separator, 'z', a space and trailing zeros of fractions.
"""
import json
import math
import sys

KINDS = {"string", "integer", "float", "bool", "datetime", "datetime-local",
         "date-local", "time-local"}


def moment(text):
    text = text.upper()
    if len(text) > 10 and text[10] == " ":
        text = text[:10] + "T" + text[11:]
    offset = ""
    if text.endswith("Z"):
        text, offset = text[:-1], "+00:00"
    elif len(text) > 6 and text[-6] in "+-" and text[-3] == ":" and "T" in text:
        text, offset = text[:-6], text[-6:]
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text + offset


def leaf(value):
    kind, text = value["type"], value["value"]
    if kind == "integer":
        return kind, int(text)
    if kind == "float":
        number = float(text)
        return kind, "nan" if math.isnan(number) else repr(number)
    if kind in ("datetime", "datetime-local", "date-local", "time-local"):
        return kind, moment(text)
    return kind, text


def normal(value):
    if isinstance(value, dict):
        if set(value) == {"type", "value"} and value["type"] in KINDS \
                and isinstance(value["value"], str):
            return leaf(value)
        return {key: normal(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normal(item) for item in value]
    return value


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        want = json.load(handle)
    got = json.load(sys.stdin)
    if normal(want) != normal(got):
        print("expected:", json.dumps(want, sort_keys=True)[:400])
        print("got:     ", json.dumps(got, sort_keys=True)[:400])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
