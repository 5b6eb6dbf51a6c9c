#!/usr/bin/env bash
# The proof that `payments emulate` speaks the real Lambda Runtime API: a Python handler run by AWS's
# official runtime client, awslambdaric from PyPI (`python -m awslambdaric`), behind the
# Runtime-Interface-Emulator-compatible endpoint: event in, result out; an exception as a function
# error with its type and message; a timeout; a crash; then SIGTERM and SIGKILL of the emulator must
# leave no runtime process behind.
# Ends with `emulate: N passed, M failed`, non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

PY="$PWD/.venv/bin/python"
"$PY" -c "import awslambdaric" 2>/dev/null || { echo "awslambdaric is not in .venv: run bash scripts/setup.sh" >&2; exit 1; }
swift build --product payments >/dev/null || exit 1
PAYMENTS="$(swift build --show-bin-path)/payments"
WORK="$(mktemp -d)"
EMULATOR=""
# The emulator is stopped however this script ends; its runtimes die with it.
trap '[ -n "$EMULATOR" ] && kill "$EMULATOR" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
passed=0
failed=0
check() { # check NAME COMMAND...: one assertion
    local name="$1"; shift
    if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }
header() { grep -i "^$2:" "$1" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
start_emulator() { # start_emulator TIMEOUT: payments emulate on a free port; its URL in $URL, its pid in $EMULATOR
    AWS_LAMBDA_FUNCTION_TIMEOUT="$1" AWS_LAMBDA_FUNCTION_NAME=emulate-test AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512 \
        EMULATE_TEST_SETTING=passed-on PYTHONPATH="$PWD/scripts/emulate" \
        "$PAYMENTS" emulate --port 0 -- "$PY" -m awslambdaric ric_handler.handle >"$WORK/emulate.out" 2>"$WORK/emulate.log" &
    EMULATOR=$!
    URL=""
    for _ in $(seq 100); do
        URL="$(sed -n 's/^payments emulate: listening on //p' "$WORK/emulate.out")"
        [ -n "$URL" ] && break
        sleep 0.1
    done
    [ -n "$URL" ] || { echo "payments emulate did not start:"; cat "$WORK/emulate.log"; exit 1; }
}
invoke() { # invoke NAME JSON [CURL ARGS...]: body in $WORK/NAME.json, headers in $WORK/NAME.headers, status echoed
    local name="$1" event="$2"; shift 2
    curl -s -o "$WORK/$name.json" -D "$WORK/$name.headers" -w '%{http_code}' -X POST "$URL" -d "$event" "$@"
}
gone() { # gone PID: true once the process no longer exists (waits up to 5 s)
    for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    return 1
}

start_emulator 2
on_loopback() { echo "$URL" | grep -Eq '^http://127\.0\.0\.1:[0-9]+/2015-03-31/functions/function/invocations$'; }
check "the URL is on loopback with RIE's path" on_loopback

status=$(invoke echo '{"action":"echo","n":42}' -H 'X-Amzn-Trace-Id: Root=1-5e1b4151-5ac6c58f5b5dbd2a3e1c2e3f;Sampled=1' \
    -H "X-Amz-Client-Context: $(printf '{"custom":{"shop":"demo"}}' | base64 -w0)")
check "an event in, the handler's result out (200)" [ "$status" = 200 ]
check "the event reached the handler" [ "$(field "$WORK/echo.json" '["echo"]["n"]')" = 42 ]
check "the request id is the one the invoker got" [ "$(field "$WORK/echo.json" '["requestId"]')" = "$(header "$WORK/echo.headers" X-Amzn-RequestId)" ]
check "AWS_LAMBDA_FUNCTION_NAME is the function's name" [ "$(field "$WORK/echo.json" '["functionName"]')" = emulate-test ]
check "AWS_LAMBDA_FUNCTION_MEMORY_SIZE is its memory" [ "$(field "$WORK/echo.json" '["memoryLimitInMB"]')" = 512 ]
check "the function ARN names it" [ "$(field "$WORK/echo.json" '["invokedFunctionArn"]')" = "arn:aws:lambda:us-east-1:012345678912:function:emulate-test" ]
check "the deadline follows AWS_LAMBDA_FUNCTION_TIMEOUT" [ "$(field "$WORK/echo.json" '["remainingMs"]')" -le 2000 ]
check "X-Amzn-Trace-Id reaches the runtime" [ "$(field "$WORK/echo.json" '["traceId"]')" = "Root=1-5e1b4151-5ac6c58f5b5dbd2a3e1c2e3f;Sampled=1" ]
check "X-Amz-Client-Context reaches the handler" [ "$(field "$WORK/echo.json" '["clientContext"]["shop"]')" = demo ]
check "the environment is passed on" [ "$(field "$WORK/echo.json" '["setting"]')" = passed-on ]
first_pid=$(field "$WORK/echo.json" '["pid"]')

status=$(invoke raise '{"action":"raise","message":"amount must be positive"}')
check "an exception is a function error: 200" [ "$status" = 200 ]
check "... with X-Amz-Function-Error: Unhandled" [ "$(header "$WORK/raise.headers" X-Amz-Function-Error)" = Unhandled ]
check "... and its type" [ "$(field "$WORK/raise.json" '["errorType"]')" = ValueError ]
check "... and its message" [ "$(field "$WORK/raise.json" '["errorMessage"]')" = "amount must be positive" ]
invoke again '{"action":"echo"}' >/dev/null
check "the same runtime serves on after a function error" [ "$(field "$WORK/again.json" '["pid"]')" = "$first_pid" ]

status=$(invoke slow '{"action":"sleep","seconds":30}')
check "a timeout answers 200" [ "$status" = 200 ]
check "... Task timed out after 2.00 seconds" grep -q "Task timed out after 2.00 seconds" "$WORK/slow.json"
check "... and is logged like Lambda" grep -q "Task timed out after 2.00 seconds" "$WORK/emulate.log"
check "the timed-out runtime was killed" gone "$first_pid"
status=$(invoke after_timeout '{"action":"echo"}')
fresh_pid=$(field "$WORK/after_timeout.json" '["pid"]')
check "the next request is served by a fresh runtime" [ "$status" = 200 -a "$fresh_pid" != "$first_pid" ]

status=$(invoke crash '{"action":"exit","code":3}')
check "a crashed runtime answers 502" [ "$status" = 502 ]
check "... Runtime.ExitError" [ "$(field "$WORK/crash.json" '["errorType"]')" = Runtime.ExitError ]
check "... with its exit status" grep -q "Runtime exited with error: exit status 3" "$WORK/crash.json"
status=$(invoke after_crash '{"action":"echo"}')
check "the next request after a crash is served" [ "$status" = 200 ]

runtime_pid=$(field "$WORK/after_crash.json" '["pid"]')
kill -TERM "$EMULATOR"
wait "$EMULATOR"
check "SIGTERM stops the emulator cleanly (exit 0)" [ $? = 0 ]
check "... and its runtime" gone "$runtime_pid"
EMULATOR=""

# Killed outright, the emulator cannot clean up: the kernel's parent-death signal must end the runtime,
# even one busy in a handler (not waiting on the Runtime API, where a closed connection would end it).
start_emulator 60
invoke orphan '{"action":"echo"}' >/dev/null
orphan_pid=$(field "$WORK/orphan.json" '["pid"]')
check "a runtime is running" kill -0 "$orphan_pid"
curl -s -o /dev/null -X POST "$URL" -d '{"action":"sleep","seconds":30}' &
sleep 1
kill -KILL "$EMULATOR"
wait "$EMULATOR" 2>/dev/null
EMULATOR=""
check "SIGKILL of the emulator leaves no runtime behind, even mid-invocation" gone "$orphan_pid"
wait

echo "emulate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
