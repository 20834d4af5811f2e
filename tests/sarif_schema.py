#!/usr/bin/env python3
"""sarif_schema: validates a SARIF log against the structure of the SARIF 2.1.0 schema.

The official schema file cannot be fetched here, so SCHEMA below is the part
of it that a log like asyncmod's touches, written from the SARIF 2.1.0
specification (OASIS, sections 3.13 and on): for each object, its properties
(no others allowed, as the schema's "additionalProperties": false says), the
required ones, the types, the enumerations (level, kind, columnKind,
version) and the minimums (lines and columns from 1, indexes from -1). The
validation is done by python3-jsonschema (Draft 7).

When Debian's python3-sarif-python-om is installed, the schema itself is
checked against it first: that package's classes are generated from the
official schema, so every property named here must be a property of the
matching class, and the required ones must be exactly the class's fields
without a default. A schema that drifted from the official one fails there.

usage: sarif_schema.py LOG...     (prints "ok: LOG" per valid log, else the
       problems, and exits 1)
       sarif_schema.py --self-test   (the validator must reject broken logs)
"""
import copy
import json
import sys

import jsonschema


def obj(props, required=(), any_of=None):
    """An object with exactly these properties (and `properties`, a property bag)."""
    out = {"type": "object", "additionalProperties": False,
           "properties": dict(props, properties={"$ref": "#/definitions/propertyBag"})}
    if required:
        out["required"] = list(required)
    if any_of:
        out["anyOf"] = [{"required": [k]} for k in any_of]
    return out


def ref(name):
    return {"$ref": "#/definitions/" + name}


def array(item, min_items=0, unique=False):
    return {"type": "array", "minItems": min_items, "uniqueItems": unique, "items": item}


STR = {"type": "string"}
BOOL = {"type": "boolean"}
INT = {"type": "integer"}
URI = {"type": "string", "minLength": 1}
LEVEL = {"enum": ["none", "note", "warning", "error"]}
ANY = {}


def int_min(n):
    return {"type": "integer", "minimum": n}


DEFS = {
    "propertyBag": {"type": "object", "additionalProperties": True,
                    "properties": {"tags": array(STR, unique=True)}},
    "message": obj({"text": STR, "markdown": STR, "id": STR, "arguments": array(STR)},
                   any_of=("text", "id")),
    "multiformatMessageString": obj({"text": STR, "markdown": STR}, required=("text",)),
    "artifactLocation": obj({"uri": URI, "uriBaseId": STR, "index": int_min(-1),
                             "description": ref("message")}),
    "artifactContent": obj({"text": STR, "binary": STR, "rendered": ref("multiformatMessageString")}),
    "region": obj({"startLine": int_min(1), "startColumn": int_min(1), "endLine": int_min(1),
                   "endColumn": int_min(1), "charOffset": int_min(-1), "charLength": int_min(0),
                   "byteOffset": int_min(-1), "byteLength": int_min(0),
                   "snippet": ref("artifactContent"), "message": ref("message"),
                   "sourceLanguage": STR}),
    "physicalLocation": obj({"address": ANY, "artifactLocation": ref("artifactLocation"),
                             "region": ref("region"), "contextRegion": ref("region")},
                            any_of=("address", "artifactLocation")),
    "location": obj({"id": int_min(-1), "physicalLocation": ref("physicalLocation"),
                     "logicalLocations": array(ANY), "message": ref("message"),
                     "annotations": array(ref("region")), "relationships": array(ANY)}),
    "replacement": obj({"deletedRegion": ref("region"), "insertedContent": ref("artifactContent")},
                       required=("deletedRegion",)),
    "artifactChange": obj({"artifactLocation": ref("artifactLocation"),
                           "replacements": array(ref("replacement"), min_items=1)},
                          required=("artifactLocation", "replacements")),
    "fix": obj({"description": ref("message"),
                "artifactChanges": array(ref("artifactChange"), min_items=1, unique=True)},
               required=("artifactChanges",)),
    "reportingConfiguration": obj({"enabled": BOOL, "level": LEVEL,
                                   "rank": {"type": "number", "minimum": -1, "maximum": 100},
                                   "parameters": ref("propertyBag")}),
    "reportingDescriptor": obj({"id": STR, "deprecatedIds": array(STR, unique=True),
                                "guid": STR, "deprecatedGuids": array(STR, unique=True),
                                "name": STR, "deprecatedNames": array(STR, unique=True),
                                "shortDescription": ref("multiformatMessageString"),
                                "fullDescription": ref("multiformatMessageString"),
                                "messageStrings": {"type": "object", "additionalProperties":
                                                   ref("multiformatMessageString")},
                                "defaultConfiguration": ref("reportingConfiguration"),
                                "helpUri": URI, "help": ref("multiformatMessageString"),
                                "relationships": array(ANY, unique=True)},
                               required=("id",)),
    "toolComponent": obj({"guid": STR, "name": STR, "organization": STR, "product": STR,
                          "productSuite": STR, "shortDescription": ref("multiformatMessageString"),
                          "fullDescription": ref("multiformatMessageString"), "fullName": STR,
                          "version": STR, "semanticVersion": STR, "dottedQuadFileVersion": STR,
                          "releaseDateUtc": STR, "downloadUri": URI, "informationUri": URI,
                          "globalMessageStrings": {"type": "object"},
                          "notifications": array(ref("reportingDescriptor"), unique=True),
                          "rules": array(ref("reportingDescriptor"), unique=True),
                          "taxa": array(ref("reportingDescriptor"), unique=True),
                          "language": STR},
                         required=("name",)),
    "tool": obj({"driver": ref("toolComponent"),
                 "extensions": array(ref("toolComponent"), unique=True)},
                required=("driver",)),
    "notification": obj({"locations": array(ref("location")), "message": ref("message"),
                         "level": LEVEL, "threadId": INT, "timeUtc": STR, "exception": ANY,
                         "descriptor": ANY, "associatedRule": ANY},
                        required=("message",)),
    "invocation": obj({"commandLine": STR, "arguments": array(STR), "startTimeUtc": STR,
                       "endTimeUtc": STR, "exitCode": INT, "exitCodeDescription": STR,
                       "exitSignalName": STR, "exitSignalNumber": INT,
                       "processStartFailureMessage": STR, "executionSuccessful": BOOL,
                       "machine": STR, "account": STR, "processId": INT,
                       "executableLocation": ref("artifactLocation"),
                       "workingDirectory": ref("artifactLocation"),
                       "environmentVariables": {"type": "object", "additionalProperties": STR},
                       "toolExecutionNotifications": array(ref("notification")),
                       "toolConfigurationNotifications": array(ref("notification"))},
                      required=("executionSuccessful",)),
    "result": obj({"ruleId": STR, "ruleIndex": int_min(-1), "rule": ANY,
                   "kind": {"enum": ["notApplicable", "pass", "fail", "review", "open",
                                     "informational"]},
                   "level": LEVEL, "message": ref("message"),
                   "analysisTarget": ref("artifactLocation"), "locations": array(ref("location")),
                   "guid": STR, "correlationGuid": STR, "occurrenceCount": int_min(1),
                   "partialFingerprints": {"type": "object", "additionalProperties": STR},
                   "fingerprints": {"type": "object", "additionalProperties": STR},
                   "relatedLocations": array(ref("location"), unique=True),
                   "suppressions": array(ANY, unique=True),
                   "baselineState": {"enum": ["new", "unchanged", "updated", "absent"]},
                   "rank": {"type": "number", "minimum": -1, "maximum": 100},
                   "fixes": array(ref("fix"), unique=True)},
                  required=("message",)),
    "run": obj({"tool": ref("tool"), "invocations": array(ref("invocation")),
                "originalUriBaseIds": {"type": "object",
                                       "additionalProperties": ref("artifactLocation")},
                "artifacts": array(ANY, unique=True), "results": array(ref("result")),
                "automationDetails": ANY, "baselineGuid": STR, "defaultEncoding": STR,
                "defaultSourceLanguage": STR,
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                "newlineSequences": array(STR, min_items=1, unique=True),
                "redactionTokens": array(STR, unique=True)},
               required=("tool",)),
}

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "definitions": DEFS,
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "runs"],
    "properties": {
        "$schema": URI,
        "version": {"enum": ["2.1.0"]},
        "runs": {"type": ["array", "null"], "items": ref("run")},
        "inlineExternalProperties": array(ANY, unique=True),
        "properties": ref("propertyBag"),
    },
}

# The python3-sarif-python-om class of each definition.
CLASSES = {"message": "Message", "multiformatMessageString": "MultiformatMessageString",
           "artifactLocation": "ArtifactLocation", "artifactContent": "ArtifactContent",
           "region": "Region", "physicalLocation": "PhysicalLocation", "location": "Location",
           "replacement": "Replacement", "artifactChange": "ArtifactChange", "fix": "Fix",
           "reportingConfiguration": "ReportingConfiguration",
           "reportingDescriptor": "ReportingDescriptor", "toolComponent": "ToolComponent",
           "tool": "Tool", "notification": "Notification", "invocation": "Invocation",
           "result": "Result", "run": "Run", "propertyBag": "PropertyBag"}


def check_against_object_model():
    """Problems of SCHEMA against sarif_om, or None when it is not installed."""
    try:
        import attr
        import sarif_om
    except ImportError:
        return None
    problems = []
    for name, cls in list(CLASSES.items()) + [("(log)", "SarifLog")]:
        d = SCHEMA if name == "(log)" else DEFS[name]
        fields = attr.fields(getattr(sarif_om, cls))
        known = {f.metadata.get("schema_property_name") for f in fields}
        required = {f.metadata.get("schema_property_name") for f in fields
                    if f.default is attr.NOTHING}
        for prop in d.get("properties", {}):
            if prop not in known:
                problems.append("%s: property %r is not in sarif_om.%s" % (name, prop, cls))
        if set(d.get("required", ())) != required:
            problems.append("%s: required %s, sarif_om.%s requires %s"
                            % (name, sorted(d.get("required", ())), cls, sorted(required)))
    return problems


def validate(log):
    validator = jsonschema.Draft7Validator(SCHEMA)
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(log)", e.message)
            for e in sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))]


def self_test():
    """The validator must accept a small valid log and reject each broken copy."""
    good = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "t", "rules": [{"id": "R1"}]}},
                      "results": [{"ruleId": "R1", "ruleIndex": 0, "level": "warning",
                                   "message": {"text": "m"},
                                   "locations": [{"physicalLocation": {
                                       "artifactLocation": {"uri": "a.py"},
                                       "region": {"startLine": 1, "startColumn": 1}}}]}]}]}
    breaks = {
        "no version": lambda l: l.pop("version"),
        "version 2.0.0": lambda l: l.update(version="2.0.0"),
        "no tool": lambda l: l["runs"][0].pop("tool"),
        "a driver without name": lambda l: l["runs"][0]["tool"]["driver"].pop("name"),
        "a result without message": lambda l: l["runs"][0]["results"][0].pop("message"),
        "level 'warn'": lambda l: l["runs"][0]["results"][0].update(level="warn"),
        "startLine 0": lambda l: l["runs"][0]["results"][0]["locations"][0]
        ["physicalLocation"]["region"].update(startLine=0),
        "an unknown property": lambda l: l["runs"][0]["results"][0].update(severity="high"),
        "ruleIndex -2": lambda l: l["runs"][0]["results"][0].update(ruleIndex=-2),
        "a message without text or id": lambda l: l["runs"][0]["results"][0].update(
            message={"markdown": "m"}),
        "a fix without changes": lambda l: l["runs"][0]["results"][0].update(
            fixes=[{"description": {"text": "d"}, "artifactChanges": []}]),
        "a physical location without artifact": lambda l: l["runs"][0]["results"][0]
        ["locations"][0]["physicalLocation"].pop("artifactLocation"),
    }
    problems = ["the valid log: " + p for p in validate(good)]
    for what, brk in breaks.items():
        log = copy.deepcopy(good)
        brk(log)
        if not validate(log):
            problems.append("a log with %s was accepted" % what)
    return problems


def main(argv):
    drift = check_against_object_model()
    problems = list(drift or [])
    if drift is None:
        print("note: python3-sarif-python-om is not installed: the schema is not cross-checked")
    if argv == ["--self-test"]:
        problems += self_test()
        if not problems:
            print("ok: self-test")
    else:
        for path in argv:
            with open(path, encoding="utf-8") as f:
                found = validate(json.load(f))
            problems += ["%s: %s" % (path, p) for p in found]
            if not found:
                print("ok: " + path)
    for p in problems:
        print(p)
    return 1 if problems or not argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
