#!/usr/bin/env bash
# Writes one Lambda zip per function: dist/FUNCTION.zip with `bootstrap` at its root, for the
# provided.al2023 runtime on x86_64.
#
#   bash scripts/package.sh                 # every function executable of Package.swift
#   bash scripts/package.sh stripe-webhook  # only the ones named
#
# Each bootstrap is a release build with the static Swift standard library, stripped. A shared library
# it needs is either in provided.al2023's base set (scripts/lambda_base_set.sh: glibc, libstdc++,
# libgcc_s, libcurl, OpenSSL 3, nghttp2, zlib) or copied from this machine into the zip's lib/
# (today: libsqlite3), together with whatever that library needs outside the base set. The bootstrap's
# search path is set to `$ORIGIN/lib` as DT_RPATH (not DT_RUNPATH): the loader reads DT_RPATH *before*
# LD_LIBRARY_PATH, which on provided.al2023 starts with /lib64, whereas DT_RUNPATH comes after it, so
# only DT_RPATH makes the bundled copy win over a copy the image may have.
#
# Prints a table of sizes and writes it to dist/sizes.tsv. Fails if a zip is 10 MB (10,000,000 bytes)
# or larger. scripts/check_zips.sh proves the zips load on a file system holding only the base set.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lambda_base_set.sh

limit=10000000
dist=dist
stage=.build/lambda-package

if [ "$(uname -m)" != x86_64 ]; then
    echo "package.sh builds x86_64 zips on an x86_64 machine (this is $(uname -m)); see docs/deploy.md for arm64" >&2
    exit 1
fi

if ! command -v patchelf >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing patchelf (Debian)" >&2
        apt-get install -y -qq patchelf >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq patchelf >/dev/null; }
    else
        echo "package.sh needs patchelf (apt-get install patchelf)" >&2
        exit 1
    fi
fi

if [ "$#" -gt 0 ]; then
    functions="$*"
else
    # Every executable except the command-line tools, as scripts/check_binaries.sh finds them.
    functions=$(swift package dump-package | python3 -c '
import json, sys
package = json.load(sys.stdin)
names = [p["name"] for p in package["products"] if "executable" in p["type"]]
print(" ".join(n for n in names if n not in ("payments", "payments-bench")))')
fi

# SwiftPM builds one --product per invocation; after the first, the others only compile their own
# main.swift and link (seconds each), since they share every library target.
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
for function in $functions; do
    echo "building $function (release, static Swift stdlib)" >&2
    swift build -c release --static-swift-stdlib --product "$function" >/dev/null
done

# The host path of a soname, as the loader finds it for FILE.
host_path() { # FILE SONAME
    ldd "$1" | awk -v soname="$2" '$1 == soname && $3 ~ /^\// && !found { print $3; found = 1 }'
}
needed() { # FILE -> its DT_NEEDED sonames
    readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
}

# Copies into DIR/lib every library FILE needs outside the base set, recursively.
bundle() { # FILE DIR
    local file=$1 dir=$2 soname path
    for soname in $(needed "$file"); do
        al2023_in_base_set "$soname" && continue
        [ -e "$dir/lib/$soname" ] && continue
        path=$(host_path "$file" "$soname")
        if [ -z "$path" ]; then
            echo "package.sh: $file needs $soname, which this machine does not have" >&2
            exit 1
        fi
        mkdir -p "$dir/lib"
        cp -L "$path" "$dir/lib/$soname"
        chmod 0755 "$dir/lib/$soname"
        strip --strip-unneeded "$dir/lib/$soname"
        # Its own bundled dependencies sit beside it.
        patchelf --force-rpath --set-rpath '$ORIGIN' "$dir/lib/$soname"
        bundle "$path" "$dir"
    done
}

mkdir -p "$dist"
rm -rf "$stage"
printf 'function\tbootstrap_bytes\tzip_bytes\tbundled\n' > "$dist/sizes.tsv"
printf '%-18s %10s %10s  %s\n' function bootstrap zip "lib/ (bundled)"
over=0
for function in $functions; do
    dir="$stage/$function"
    mkdir -p "$dir"
    cp "$bin/$function" "$dir/bootstrap"
    chmod 0755 "$dir/bootstrap"
    strip "$dir/bootstrap"
    bundle "$bin/$function" "$dir"
    if [ -d "$dir/lib" ]; then
        patchelf --force-rpath --set-rpath '$ORIGIN/lib' "$dir/bootstrap"
    else
        patchelf --remove-rpath "$dir/bootstrap"
    fi
    # Fixed times make the zip depend only on its contents, so an unchanged build keeps its hash
    # (Terraform's source_code_hash, Serverless's artifact upload).
    find "$dir" -exec touch -h -d '2000-01-01 00:00:00 UTC' {} +
    rm -f "$dist/$function.zip"
    (cd "$dir" && zip -q -X -9 -r "$OLDPWD/$dist/$function.zip" bootstrap $( [ -d lib ] && echo lib ))
    bootstrap_bytes=$(stat -c %s "$dir/bootstrap")
    zip_bytes=$(stat -c %s "$dist/$function.zip")
    bundled=$( [ -d "$dir/lib" ] && (cd "$dir/lib" && ls | tr '\n' ' ') || echo "-")
    printf '%s\t%s\t%s\t%s\n' "$function" "$bootstrap_bytes" "$zip_bytes" "$bundled" >> "$dist/sizes.tsv"
    printf '%-18s %8.1f MB %8.2f MB  %s\n' "$function" "$(awk "BEGIN{print $bootstrap_bytes/1e6}")" \
        "$(awk "BEGIN{print $zip_bytes/1e6}")" "$bundled"
    if [ "$zip_bytes" -ge "$limit" ]; then
        echo "FAIL $function.zip is $zip_bytes bytes, over the 10 MB target" >&2
        over=$((over + 1))
    fi
done
[ "$over" -eq 0 ] || exit 1
echo "zips in $dist/ (sizes in $dist/sizes.tsv)"
