#!/usr/bin/env python3
"""Validate JSON documents against a JSON Schema (draft 2020-12).

usage: python3 tests/schema_check.py SCHEMA FILE...

  SCHEMA  e.g. docs/report.schema.json (siplogscan --format json) or
          docs/explain.schema.json (siplogscan explain --format json)
  FILE    a JSON file, or '-' for standard input

The schema itself is checked first (Draft202012Validator.check_schema). Then every error of
every file is printed as "FILE: PATH: MESSAGE", PATH being the JSON path of the offending
value ($ is the document, $.input.files[0].status a key in it).

Exit status: 0 every file is valid; 1 a file is invalid or is not JSON; 2 usage error, the
schema is not valid, or python3-jsonschema is missing. Works with Debian 12's
python3-jsonschema (4.10.3) and later versions.
"""
import json
import sys

USAGE = "usage: python3 tests/schema_check.py SCHEMA FILE...  (FILE may be '-' for stdin)"


def json_path(path):
    """The deque of keys and indexes of an error as a JSON path: $.a.b[0]["odd key"]."""
    out = "$"
    for p in path:
        if isinstance(p, int):
            out += "[%d]" % p
        elif p.isidentifier():
            out += "." + p
        else:
            out += "[%s]" % json.dumps(p)
    return out


def short(value, limit=80):
    s = json.dumps(value, ensure_ascii=True)
    return s if len(s) <= limit else s[:limit - 3] + "..."


def load(name):
    if name == "-":
        return json.load(sys.stdin)
    with open(name, encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    if len(argv) == 2 and argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if len(argv) < 3:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        import jsonschema
        from jsonschema import Draft202012Validator
    except ImportError:
        print("python3-jsonschema is not installed: apt-get install python3-jsonschema",
              file=sys.stderr)
        return 2

    schema_file, files = argv[1], argv[2:]
    if files.count("-") > 1:
        print("schema_check: '-' (stdin) may be given only once\n" + USAGE, file=sys.stderr)
        return 2
    try:
        schema = load(schema_file)
    except (OSError, ValueError) as e:
        print("schema_check: %s: cannot read the schema: %s" % (schema_file, e), file=sys.stderr)
        return 2
    try:
        Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print("schema_check: %s: not a valid draft 2020-12 schema: %s: %s"
              % (schema_file, json_path(e.absolute_path), e.message), file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

    bad = 0
    for name in files:
        shown = "<stdin>" if name == "-" else name
        try:
            doc = load(name)
        except (OSError, ValueError) as e:
            print("%s: not a JSON document: %s" % (shown, e))
            bad += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
        for e in errors:
            print("%s: %s: %s" % (shown, json_path(e.absolute_path), e.message))
            # the errors under anyOf/oneOf/if say which branch failed and why
            for sub in sorted(e.context or (), key=lambda s: list(map(str, s.absolute_path))):
                print("%s:   %s: %s" % (shown, json_path(sub.absolute_path), sub.message))
        if errors:
            bad += 1
        else:
            print("%s: valid (%s)" % (shown, short(doc.get("schema") if isinstance(doc, dict) else None)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
