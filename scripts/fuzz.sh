#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/: the strict JSON reader, the providers' webhook headers,
# certificates and payloads, the events Lambda delivers) with AddressSanitizer, and runs each for
# SECONDS (default 30). Fails on any crash, broken invariant, leak, timeout (10 s on one input) or
# memory above the RSS limit, leaving the input that did it in .build-fuzz/findings/TARGET/.
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
# Seeds are fuzz/corpus/TARGET (committed; fuzz/seeds.py writes them); what a run adds goes to
# fuzz/corpus-grown/TARGET (git-ignored), which the next run starts from. docs/security.md, "Fuzzing".
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
all=(json stripe-signature paypal-transmission paypal-certificates safexml braintree-webhook apigateway-event sqs-event dynamodb-stream)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

# swiftc keeps only the last -sanitize= it is given, and SwiftPM passes one per --sanitize: the
# combined flag after them is what gives the Swift code both coverage and ASan (clang takes all).
build=(swift build --package-path fuzz --scratch-path .build-fuzz --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address)
started=$(date +%s)
mkdir -p .build-fuzz
"${build[@]}" > .build-fuzz/build.log 2>&1 || { tail -40 .build-fuzz/build.log; echo "fuzz: the build failed (.build-fuzz/build.log)" >&2; exit 1; }
binary="$("${build[@]}" --show-bin-path)/payments-fuzz"
echo "fuzz: targets built in $(( $(date +%s) - started )) s"

failed=()
for target in "${targets[@]}"; do
    grown="fuzz/corpus-grown/$target" findings=".build-fuzz/findings/$target" log=".build-fuzz/fuzz-$target.log"
    mkdir -p "$grown" "$findings"
    status=0
    # The grown folder comes first: libFuzzer writes what it finds new into the first folder only.
    # Swift's own crash backtracer trips ASan while it reads the stack: libFuzzer's report is enough.
    FUZZ_TARGET="$target" SWIFT_BACKTRACE=enable=no ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}" \
        LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:${LSAN_OPTIONS:-}" "$binary" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 -detect_leaks=1 \
        -max_len=16384 -print_final_stats=1 -artifact_prefix="$findings/" \
        "$grown" "fuzz/corpus/$target" > "$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ "$status" -ne 0 ]; then
        grep -E "ERROR|Fatal error|==[0-9]+==|SUMMARY|Test unit written|Base64" "$log" | head -20 >&2 || tail -30 "$log" >&2
        echo "fuzz: $target FAILED (exit $status; $log, the input in $findings/)" >&2
        failed+=("$target")
    else
        echo "fuzz: $target: ${runs:-?} inputs in $seconds s, no crash, leak or timeout"
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran $seconds s each, clean (total $(( $(date +%s) - started )) s with the build)"
