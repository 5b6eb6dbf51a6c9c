#!/usr/bin/env bash
# The test command (README): installs what it needs, then runs every test.
#   1. the Swift unit and integration tests (XCTest and Swift Testing);
#   2. the command-line end-to-end test: payments invoke/replay/show/events against the fake
#      Stripe, PayPal and Braintree APIs, on webhooks freshly signed (Stripe's and Braintree's own
#      SDKs, a fresh PayPal test CA);
#   2b. `payments emulate` under AWS's official runtime client (awslambdaric): scripts/emulate_test.sh;
#   2c. the local demo (scripts/demo.sh: `payments serve` with the providers' simulators), checked;
#   2d. the routes' contract: docs/openapi.yaml validated, schemathesis against `payments serve`;
#   3. the AWS end-to-end test: aws init, the functions on DynamoDB, payments relay to EventBridge and
#      the consumers' queues, against moto_server with signature checks on, then under injected faults;
#   4. the deployable binary checks: static release build, no Foundation/ICU, glibc <= 2.34;
#   5. the deploy checks: the Lambda zips (each loaded in a chroot of al2023's base set), terraform/
#      parsed and checked by checkov, serverless/ and terraform/ consistent with the function registry.
set -euo pipefail
cd "$(dirname "$0")/.."
# Nothing here reads standard input; from /dev/null, no step can wait on a terminal or an open pipe.
exec </dev/null

bash scripts/setup.sh
# The test peers and the AWS emulator live in the virtualenv setup.sh made.
export PATH="$PWD/.venv/bin:$PATH"
swift build --build-tests

# Every step has a time limit well above its usual length (CI gives the whole run 90 minutes), so a
# step that hangs fails with its name instead of using up the run in silence.
bounded() {  # SECONDS NAME COMMAND...: runs COMMAND (and what it starts) under `timeout`
    local limit=$1 name=$2 status=0
    shift 2
    timeout --kill-after=20 "$limit" "$@" || status=$?
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        echo "$name did not finish within $limit s: stopped" >&2
    fi
    return "$status"
}

status=0
bounded 900 "swift test" swift test > .build/swift-test.log 2>&1 || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    # A run that hangs (it takes 2-4 minutes here) is reported with the tests it was in, then run
    # once more: a failing test fails both times, and the report stays in the log for whoever reads it.
    python3 scripts/unfinished_tests.py .build/swift-test.log >&2 || true
    echo "swift test hung (above: the tests that never ended); running it once more" >&2
    mv .build/swift-test.log .build/swift-test-hung.log
    status=0
    bounded 900 "swift test" swift test > .build/swift-test.log 2>&1 || status=$?
fi
# Progress lines are noise in CI logs; failures, suites and the closing counts are kept.
grep -vE "^(Test Case .* (started|passed)|◇|↳)" .build/swift-test.log || true
if [ "$status" -ne 0 ]; then
    # The tests that started and never ended name a hang.
    python3 scripts/unfinished_tests.py .build/swift-test.log >&2 || true
    echo "swift test failed (exit $status)" >&2
    exit "$status"
fi
bounded 900 "the CLI end-to-end test" bash scripts/cli_e2e_test.sh
bounded 600 "the emulate test" bash scripts/emulate_test.sh
# The README's first command, the local demo on `payments serve`, must stay green too.
bounded 600 "the demo" bash scripts/demo.sh > .build/demo.log 2>&1 || { tail -40 .build/demo.log; echo "the demo failed (.build/demo.log)" >&2; exit 1; }
echo "demo: green (seven payments through the local stack ended as expected; .build/demo.log)"
bounded 900 "the contract test" bash scripts/contract_test.sh
bounded 1200 "the AWS end-to-end test" bash scripts/aws_e2e_test.sh
bounded 900 "the binary checks" bash scripts/check_binaries.sh
bounded 1500 "the deploy checks" bash scripts/deploy_checks.sh
# 6. the libFuzzer targets (scripts/fuzz.sh: the parsers of what an attacker sends), 10 s each here.
bounded 900 "the fuzz targets" bash scripts/fuzz.sh 10
