#!/usr/bin/env bash
# Every check of the deployment, in one command (for the test command: `bash scripts/deploy_checks.sh`):
#   a. the virtualenv .venv (made if missing) with scripts/requirements-deploy.txt;
#   b. every .tf file parses with python-hcl2;
#   c. checkov on terraform/: 0 failed checks (a skip must carry its reason on the resource);
#   d. terraform fmt -check -recursive terraform (when a terraform binary exists);
#   e. scripts/deploy_consistency.py: terraform/, serverless/, the function registry and DESIGN.md agree;
#   g. scripts/terraform_evaluate.py: Terraform (no provider needed) computes the functions' environments
#      and roles: secrets only as SSM parameter names, each role exactly its own parameters; the
#      variables' validations refuse what they must;
#   f. scripts/package.sh and scripts/check_zips.sh: the zips, and that each loads and answers in a
#      chroot holding only provided.al2023's base set (root needed).
#
#   bash scripts/deploy_checks.sh            # all of it (about 1 minute when the release build is fresh,
#                                            # 5-10 minutes on a clean clone of 2 cores)
#   bash scripts/deploy_checks.sh --no-zips  # all but f
#
# Ends with "deploy checks: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."

zips=1
[ "${1:-}" = "--no-zips" ] && zips=0

passed=0
failed=0
step() { # NAME COMMAND...
    local name=$1
    shift
    echo "== $name"
    if "$@"; then
        passed=$((passed + 1))
        echo "-- ok: $name"
    else
        failed=$((failed + 1))
        echo "-- FAIL: $name"
    fi
}

# a. The virtualenv. checkov brings bc-python-hcl2, which installs a package named `hcl2` as
# python-hcl2 does, so python-hcl2 goes into its own folder (.venv/python-hcl2), put on PYTHONPATH
# only for b and e. A stamp of the requirements file skips pip when nothing changed.
venv() {
    [ -x .venv/bin/python ] || python3 -m venv .venv || return 1
    local stamp=.venv/.deploy-requirements.sha256
    local want
    want=$(sha256sum scripts/requirements-deploy.txt | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && [ -d .venv/python-hcl2/hcl2 ] && [ -x .venv/bin/checkov ]; then
        echo "requirements already installed"
        return 0
    fi
    local main hcl
    main=$(grep -E '^(checkov|pyyaml)==' scripts/requirements-deploy.txt)
    hcl=$(grep -E '^python-hcl2==' scripts/requirements-deploy.txt)
    .venv/bin/pip install --quiet --disable-pip-version-check $main || return 1
    rm -rf .venv/python-hcl2
    # python-hcl2's own dependencies (lark, regex) are already there with checkov.
    .venv/bin/pip install --quiet --disable-pip-version-check --no-deps --target .venv/python-hcl2 "$hcl" || return 1
    PYTHONPATH=.venv/python-hcl2 .venv/bin/python -c 'import hcl2, lark, regex' || return 1
    echo "$want" > "$stamp"
}
step "a. virtualenv .venv with scripts/requirements-deploy.txt" venv

hcl_parse() {
    PYTHONPATH=.venv/python-hcl2 .venv/bin/python - <<'EOF'
import glob, sys
import hcl2
files = sorted(glob.glob("terraform/**/*.tf", recursive=True))
bad = 0
for path in files:
    try:
        with open(path) as handle:
            hcl2.load(handle)
    except Exception as error:  # noqa: BLE001 - report every file
        bad += 1
        print(f"FAIL {path}: {error}")
print(f"{len(files) - bad} of {len(files)} .tf files parse")
sys.exit(1 if bad or not files else 0)
EOF
}
step "b. every .tf parses (python-hcl2)" hcl_parse

skip_references() {
    .venv/bin/python - <<'EOF2'
import glob, re, sys
bad = 0
for path in sorted(glob.glob("terraform/**/*.tf", recursive=True)):
    for number, line in enumerate(open(path), 1):
        skip = re.search(r"checkov:skip=([A-Z0-9_]+):(.*)", line)
        if not skip:
            continue
        for document, anchor in re.findall(r"([\w./-]+\.md)(?:#([\w-]+))?", skip.group(2)):
            where = f"{path}:{number} {skip.group(1)} points at {document}{'#' + anchor if anchor else ''}"
            try:
                text = open(document).read()
            except OSError:
                print(f"{where}: no such file"); bad += 1; continue
            if not anchor:
                print(f"{where}: name the section (FILE.md#anchor)"); bad += 1; continue
            # GitHub's anchors: the heading lower-cased, punctuation dropped, spaces as dashes.
            slugs = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#+ (.*)$", text, re.M)}
            if anchor not in slugs:
                print(f"{where}: no such section"); bad += 1
            else:
                print(f"{where}: the section exists")
sys.exit(1 if bad else 0)
EOF2
}

checkov_run() {
    local out
    # checkov gives up parsing a file after HCL_PARSE_TIMEOUT_SEC (10 s by default), which a loaded
    # machine reaches: that file is then left out of the scan, reported only as a parsing error.
    out=$(HCL_PARSE_TIMEOUT_SEC=${HCL_PARSE_TIMEOUT_SEC:-300} .venv/bin/checkov -d terraform --framework terraform --compact --quiet 2>&1)
    local status=$?
    echo "$out" | tail -40
    # Every skip carries a reason (checkov:skip=CKV_...:reason).
    local unexplained
    unexplained=$(grep -rnE 'checkov:skip=[A-Z0-9_]+ *$' terraform || true)
    [ -z "$unexplained" ] || { echo "skips without a reason:"; echo "$unexplained"; return 1; }
    # A reason that sends the reader to a document names the section (FILE.md#anchor), which must exist.
    skip_references || return 1
    echo "$out" | grep -qE 'Passed checks: [0-9]+, Failed checks: 0,' || return 1
    # A file checkov could not parse was not checked at all.
    ! echo "$out" | grep -qE 'Parsing errors: [1-9]' || { echo "checkov could not parse every file"; return 1; }
    return $status
}
step "c. checkov -d terraform --framework terraform" checkov_run

fmt_check() {
    if ! command -v terraform >/dev/null; then
        echo "no terraform binary: skipped"
        return 0
    fi
    terraform fmt -check -recursive terraform 2>/dev/null
}
step "d. terraform fmt -check -recursive terraform" fmt_check

consistency() {
    PYTHONPATH=.venv/python-hcl2 .venv/bin/python scripts/deploy_consistency.py
}
step "e. terraform, serverless, the function registry and DESIGN.md agree" consistency

evaluation() {
    PYTHONPATH=.venv/python-hcl2 .venv/bin/python scripts/terraform_evaluate.py
}
step "g. terraform evaluates the environments, the roles and the validations: no secret value" evaluation

if [ "$zips" = 1 ]; then
    step "f1. scripts/package.sh" bash scripts/package.sh
    step "f2. scripts/check_zips.sh" bash scripts/check_zips.sh
fi

echo "deploy checks: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
