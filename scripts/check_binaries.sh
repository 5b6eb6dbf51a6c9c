#!/usr/bin/env bash
# Checks the deployable bootstraps (every function executable) as Lambda provided.al2023 needs them:
# release build with the static Swift stdlib, no full Foundation / ICU / SwiftNIO / shared Swift runtime,
# and no glibc symbol newer than 2.34. Prints each binary's size.
set -euo pipefail
cd "$(dirname "$0")/.."

functions=$(swift package dump-package | python3 -c '
import json, sys
package = json.load(sys.stdin)
names = [p["name"] for p in package["products"] if "executable" in p["type"]]
print(" ".join(n for n in names if n not in ("payments", "payments-bench")))')

bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
for function in $functions; do
    swift build -c release --static-swift-stdlib --product "$function" >/dev/null
done

passed=0
failed=0
for function in $functions; do
    binary="$bin/$function"
    problems=""
    forbidden=$(ldd "$binary" | grep -oE "lib(Foundation|FoundationEssentials|FoundationInternationalization|_FoundationICU|icu[a-z]*|swiftCore|NIO[A-Za-z]*)[^ ]*" || true)
    [ -z "$forbidden" ] || problems="$problems links $forbidden;"
    newest=$(objdump -T "$binary" | grep -oE "GLIBC_[0-9]+\.[0-9]+" | sort -uV | tail -1)
    if [ "$(printf '%s\nGLIBC_2.34\n' "$newest" | sort -V | tail -1)" != "GLIBC_2.34" ]; then
        problems="$problems needs $newest (provided.al2023 has 2.34): $(objdump -T "$binary" | grep -E "GLIBC_2\.(3[5-9]|[4-9][0-9])" | awk '{print $NF}' | tr '\n' ' ');"
    fi
    size=$(stat -c %s "$binary")
    stripped=$(strip -o /tmp/check-binaries-stripped "$binary" && stat -c %s /tmp/check-binaries-stripped)
    if [ -z "$problems" ]; then
        passed=$((passed + 1))
        printf 'ok   %-18s %5.1f MB (%4.1f MB stripped), %d shared libraries, newest glibc symbol %s\n' \
            "$function" "$(awk "BEGIN{print $size/1048576}")" "$(awk "BEGIN{print $stripped/1048576}")" "$(ldd "$binary" | wc -l)" "$newest"
    else
        failed=$((failed + 1))
        echo "FAIL $function:$problems"
    fi
done
echo "binaries: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
