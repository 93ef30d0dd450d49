#!/usr/bin/env python3
"""Validates a JSON document (or the part at a JSON pointer) against a JSON Schema (draft 2020-12).

Exit 0 valid, 1 invalid, 2 usage, 3 no jsonschema."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3 module jsonschema is missing (apt-get install python3-jsonschema)", file=sys.stderr)
    sys.exit(3)

if len(sys.argv) not in (3, 4):
    print("usage: validate_json.py SCHEMA DOCUMENT [/json/pointer]", file=sys.stderr)
    sys.exit(2)

with open(sys.argv[1]) as f:
    schema = json.load(f)
with open(sys.argv[2]) as f:
    document = json.load(f)
if len(sys.argv) == 4:
    for part in sys.argv[3].split("/")[1:]:
        document = document[int(part)] if isinstance(document, list) else document[part]

validator = jsonschema.Draft202012Validator(schema)
errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
for e in errors:
    print("%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(root)", e.message), file=sys.stderr)
sys.exit(1 if errors else 0)
