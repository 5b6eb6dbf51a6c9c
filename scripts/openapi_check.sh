#!/usr/bin/env bash
# Checks docs/openapi.yaml: it is a valid OpenAPI 3.1 document (openapi-spec-validator, pinned in
# scripts/requirements.txt), and its operations are exactly the function registry's HTTP routes
# (`payments functions`), so the two cannot drift apart.
#
#   bash scripts/openapi_check.sh                    # builds the payments CLI and asks it
#   bash scripts/openapi_check.sh --functions FILE   # compares with saved `payments functions` output
set -euo pipefail
cd "$(dirname "$0")/.."

spec=docs/openapi.yaml
functions_file=""
if [[ "${1:-}" == "--functions" ]]; then
    functions_file="${2:?--functions needs a file}"
fi

python=python3
[[ -x .venv/bin/python3 ]] && python=.venv/bin/python3
if ! "$python" -c 'import openapi_spec_validator' 2>/dev/null; then
    echo "openapi_check: openapi-spec-validator is not installed for $python; run: bash scripts/setup.sh" >&2
    echo "  (or: $python -m pip install -r scripts/requirements.txt)" >&2
    exit 2
fi

if [[ -z "$functions_file" ]]; then
    swift build --product payments >&2
    functions_file="$(mktemp)"
    trap 'rm -f "$functions_file"' EXIT
    "$(swift build --show-bin-path)/payments" functions > "$functions_file"
fi

"$python" - "$spec" "$functions_file" <<'PY'
import re, sys
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

spec_path, functions_path = sys.argv[1], sys.argv[2]
document, _ = read_from_filename(spec_path)
validate(document)  # raises with the offending path when invalid
if not str(document.get("openapi", "")).startswith("3.1"):
    sys.exit(f"openapi_check: {spec_path} must be OpenAPI 3.1, not {document.get('openapi')!r}")

methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
in_spec = {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item if method in methods}

# `payments functions` prints "NAME<TAB>TRIGGER"; an HTTP function's trigger is its route keys joined with ", ".
in_registry = set()
for line in open(functions_path, encoding="utf-8"):
    name, _, trigger = line.rstrip("\n").partition("\t")
    for item in trigger.split(", "):
        if re.fullmatch(r"[A-Z]+ /\S*", item):
            in_registry.add(item)
if not in_registry:
    sys.exit(f"openapi_check: no HTTP route found in the function registry's listing ({functions_path})")

missing, extra = sorted(in_registry - in_spec), sorted(in_spec - in_registry)
for route in missing:
    print(f"openapi_check: route {route} is served by a function but not described in {spec_path}", file=sys.stderr)
for route in extra:
    print(f"openapi_check: {spec_path} describes {route}, which no function serves", file=sys.stderr)
if missing or extra:
    sys.exit(1)
print(f"openapi_check: {spec_path} is valid OpenAPI {document['openapi']} and describes exactly the {len(in_spec)} routes of the function registry")
PY
