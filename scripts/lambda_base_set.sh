# Sourced by scripts/package.sh and scripts/check_zips.sh: the shared libraries Lambda's provided.al2023
# image brings (Amazon Linux 2023 minimal; see /work/shared/FACTS.md and docs/deploy.md), by soname.
# A library a bootstrap needs that is not named here goes into its zip under lib/.
#
# glibc 2.34 (its split-out libraries included), libstdc++ and libgcc_s of GCC 11, libcurl-minimal
# with OpenSSL 3, nghttp2 and zlib. libsqlite3 is deliberately NOT here: the image is not known to
# carry it, so it is bundled.
AL2023_BASE_SONAMES="
ld-linux-x86-64.so.2
libc.so.6
libm.so.6
libpthread.so.0
libdl.so.2
librt.so.1
libresolv.so.2
libutil.so.1
libstdc++.so.6
libgcc_s.so.1
libcurl.so.4
libssl.so.3
libcrypto.so.3
libnghttp2.so.14
libz.so.1
"

# The newest symbol versions provided.al2023 defines: glibc 2.34, libstdc++ of GCC 11 (GLIBCXX_3.4.29,
# CXXABI_1.3.13).
AL2023_MAX_GLIBC=2.34
AL2023_MAX_GLIBCXX=3.4.29
AL2023_MAX_CXXABI=1.3.13

al2023_in_base_set() {
    case " $(echo $AL2023_BASE_SONAMES) " in *" $1 "*) return 0 ;; *) return 1 ;; esac
}
