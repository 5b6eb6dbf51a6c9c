#!/usr/bin/env python3
"""Prints Terraform's `serverless_params` output as `--param=KEY=VALUE` arguments for `serverless deploy`.

    cd serverless && npx serverless@3.40.0 deploy --stage prod $(python3 ../scripts/serverless_params.py)

Reads `terraform -chdir=terraform output -json serverless_params` (run from the repository's root or
its serverless/ folder), or the JSON given on standard input with `-`.
"""
import json
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if sys.argv[1:] == ["-"]:
    params = json.load(sys.stdin)
else:
    output = subprocess.run(["terraform", f"-chdir={os.path.join(root, 'terraform')}", "output", "-json", "serverless_params"],
                            check=True, stdout=subprocess.PIPE).stdout
    params = json.loads(output)
for key, value in sorted(params.items()):
    if value is None or value == "":
        continue
    if any(c.isspace() for c in str(value)):
        sys.exit(f"serverless_params.py: {key} holds whitespace, which a shell word cannot carry: {value!r}")
    print(f"--param={key}={value}")
