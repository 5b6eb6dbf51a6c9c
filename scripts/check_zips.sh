#!/usr/bin/env bash
# Proves that each dist/FUNCTION.zip loads and answers where it will run: Lambda's provided.al2023.
#
#   bash scripts/check_zips.sh              # every dist/*.zip (scripts/package.sh writes them)
#   bash scripts/check_zips.sh dist/X.zip   # only these
#
# For each zip:
#  1. its layout: `bootstrap` executable at the root, under 10 MB, DT_RPATH $ORIGIN/lib when it has lib/;
#  2. symbol versions (objdump -T) of bootstrap and every lib/ file against al2023: GLIBC <= 2.34,
#     GLIBCXX <= 3.4.29, CXXABI <= 1.3.13; every DT_NEEDED is in the base set or in lib/;
#  3. a root file system holding ONLY the base set (this machine's copies of glibc, libstdc++, libgcc_s,
#     and libcurl with its whole ldd closure standing in for libcurl-minimal, which brings OpenSSL 3,
#     nghttp2 and zlib; never libsqlite3), the zip unpacked at /var/task, /tmp, /dev/null, /dev/zero,
#     /dev/urandom. The loader, run in that root with Lambda's LD_LIBRARY_PATH, must resolve every
#     library, the bundled ones from /var/task/lib, even with a decoy libsqlite3.so.0 in /lib64
#     (the image's path comes first: this is what DT_RPATH buys);
#  4. the bootstrap started in that root (chroot: run as root) with a cleared environment under a local
#     Runtime API (scripts/lambda_chroot_invoke.py) must answer one invocation: GET /payments/pay_unknown
#     -> 404 for payment functions, an unsigned "{}" -> 400 for webhooks, {"Records":[]} ->
#     {"batchItemFailures":[]} for outbox-relay (and the SQS consumers once they exist).
# Ends with "zips: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lambda_base_set.sh

if [ "$(id -u)" != 0 ]; then
    echo "check_zips.sh runs each bootstrap in a chroot, which needs root (CI and this machine run as root)" >&2
    exit 1
fi

if [ "$#" -gt 0 ]; then zips=("$@"); else zips=(dist/*.zip); fi
if [ ! -e "${zips[0]}" ]; then
    echo "no zips: run scripts/package.sh first" >&2
    exit 1
fi

chroot=$(command -v chroot)
work=$(mktemp -d /tmp/check-zips.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The base set, from this machine: every soname of AL2023_BASE_SONAMES, plus libcurl's dependency
# closure as ldd finds it here (Debian's libcurl needs more than al2023's libcurl-minimal: those extras
# are in this root too, since they stand in for what libcurl-minimal resolves by itself).
base=$work/base
mkdir -p "$base/usr/lib64"
# (awk reads to the end rather than exit early: with pipefail, an early exit's SIGPIPE fails the pipe.)
curl_so=$(ldconfig -p | awk '$1 == "libcurl.so.4" && /x86-64/ && !found { print $NF; found = 1 }')
[ -n "$curl_so" ] || { echo "libcurl.so.4 not found on this machine (bash scripts/setup.sh installs it)" >&2; exit 1; }
add_base() { # SONAME PATH
    [ -e "$base/usr/lib64/$1" ] || cp -L "$2" "$base/usr/lib64/$1"
}
for soname in $AL2023_BASE_SONAMES; do
    path=$(ldconfig -p | awk -v s="$soname" '$1 == s && /x86-64/ && !found { print $NF; found = 1 }')
    [ -n "$path" ] || { echo "base-set library $soname not found on this machine" >&2; exit 1; }
    add_base "$soname" "$path"
done
while read -r soname _ path _; do
    case "$soname" in linux-vdso*|"") continue ;; esac
    case "$soname" in libsqlite3*) echo "libcurl's closure holds $soname: left out of the base set" >&2; continue ;; esac
    [ -n "$path" ] && [ "${path#/}" != "$path" ] && add_base "$soname" "$path"
done < <(ldd "$curl_so" | grep '=>')
ln -s usr/lib64 "$base/lib64"
ln -s usr/lib64 "$base/lib"
mkdir -p "$base/tmp" "$base/dev" "$base/var/task" "$base/var/runtime" "$base/var/lang/lib" "$base/opt/lib"
chmod 1777 "$base/tmp"
mknod -m 666 "$base/dev/null" c 1 3
mknod -m 666 "$base/dev/zero" c 1 5
mknod -m 444 "$base/dev/urandom" c 1 9
mknod -m 444 "$base/dev/random" c 1 8
if compgen -G "$base/usr/lib64/*sqlite*" >/dev/null; then echo "the base root holds libsqlite3" >&2; exit 1; fi
echo "base set root: $(ls "$base/usr/lib64" | wc -l) libraries ($(ls "$base/usr/lib64" | tr '\n' ' '))"

# version_ok VERSION MAX: VERSION <= MAX, as dotted numbers.
version_ok() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -1)" = "$2" ]; }

# symbol_problems FILE: the versioned references above al2023's.
symbol_problems() {
    local file=$1 out="" version
    for version in $(objdump -T "$file" | grep -oE '\b(GLIBC|GLIBCXX|CXXABI)_[0-9][0-9.]*' | sort -u); do
        case "$version" in
            GLIBC_*) version_ok "${version#GLIBC_}" "$AL2023_MAX_GLIBC" || out="$out $version" ;;
            GLIBCXX_*) version_ok "${version#GLIBCXX_}" "$AL2023_MAX_GLIBCXX" || out="$out $version" ;;
            CXXABI_*) version_ok "${version#CXXABI_}" "$AL2023_MAX_CXXABI" || out="$out $version" ;;
        esac
    done
    echo "$out"
}

newest() { # FILE PREFIX
    objdump -T "$1" | grep -oE "\b$2_[0-9][0-9.]*" | sort -uV | tail -1
}

passed=0
failed=0
for zip in "${zips[@]}"; do
    function=$(basename "$zip" .zip)
    problems=""
    root=$work/root-$function
    cp -a "$base" "$root"
    unzip -q "$zip" -d "$root/var/task"
    task=$root/var/task

    # 1. layout
    [ -f "$task/bootstrap" ] && [ -x "$task/bootstrap" ] || problems="$problems no executable bootstrap at the zip's root;"
    size=$(stat -c %s "$zip")
    [ "$size" -lt 10000000 ] || problems="$problems zip is $size bytes (target: under 10 MB);"
    if [ -d "$task/lib" ]; then
        readelf -d "$task/bootstrap" | grep -q '(RPATH).*\[\$ORIGIN/lib\]' || problems="$problems bootstrap lacks DT_RPATH \$ORIGIN/lib;"
    fi

    # 2. symbol versions and needed libraries
    for file in "$task/bootstrap" $( [ -d "$task/lib" ] && ls -d "$task"/lib/* ); do
        too_new=$(symbol_problems "$file")
        [ -z "$too_new" ] || problems="$problems ${file#$task/} needs$too_new;"
        for soname in $(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
            al2023_in_base_set "$soname" || [ -e "$task/lib/$soname" ] || problems="$problems ${file#$task/} needs $soname, in neither the base set nor lib/;"
        done
    done

    # 3. the loader's view in the root, with a decoy libsqlite3 in /lib64 (first on Lambda's path)
    if [ -z "$problems" ]; then
        printf 'not a library\n' > "$root/usr/lib64/libsqlite3.so.0"
        listing=$(env -i LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib \
            "$chroot" "$root" /lib64/ld-linux-x86-64.so.2 --list /var/task/bootstrap 2>&1) || problems="$problems the loader fails in the base root: $(echo "$listing" | tail -2 | tr '\n' ' ');"
        rm -f "$root/usr/lib64/libsqlite3.so.0"
        if [[ $listing == *"not found"* ]]; then problems="$problems unresolved: $(grep "not found" <<<"$listing" | tr '\n' ' ');"; fi
        for bundled in $( [ -d "$task/lib" ] && ls "$task/lib" ); do
            [[ $listing == *"$bundled => /var/task/lib/$bundled"* ]] || problems="$problems $bundled is not loaded from /var/task/lib: $(echo "$listing" | grep "$bundled" | tr -s ' \t' ' ');"
        done
    fi

    # 4. one invocation under a local Runtime API, chrooted, cleared environment
    if [ -z "$problems" ]; then
        cp Tests/Fixtures/PayPal/certs/leaf.pem "$root/tmp/paypal-leaf.pem"
        if ! python3 scripts/lambda_chroot_invoke.py "$root" "$function"; then
            problems="$problems the invocation failed (above);"
        fi
    fi

    if [ -z "$problems" ]; then
        passed=$((passed + 1))
        printf 'ok   %-18s %5.2f MB zip, newest symbols %s %s %s, lib/: %s\n' "$function" "$(awk "BEGIN{print $size/1e6}")" \
            "$(newest "$task/bootstrap" GLIBC)" "$(newest "$task/bootstrap" GLIBCXX)" "$(newest "$task/bootstrap" CXXABI)" \
            "$( [ -d "$task/lib" ] && (cd "$task/lib" && ls | tr '\n' ' ') || echo none)"
    else
        failed=$((failed + 1))
        echo "FAIL $function:$problems"
    fi
    rm -rf "$root"
done
echo "zips: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
