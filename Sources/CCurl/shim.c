// CURLOPT_PROTOCOLS is deprecated, but it is how a libcurl older than 7.85 is told the protocols.
#define CURL_DISABLE_DEPRECATION 1
#include "CCurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static struct {
    void *library;
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[512];

#define RESOLVE(field, name)                                                              \
    if (!(*(void **)(&curl.field) = dlsym(library, name))) {                              \
        snprintf(load_error, sizeof load_error, "libcurl.so.4 has no %s", name);          \
        dlclose(library);                                                                 \
        return;                                                                           \
    }

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *reason = dlerror();
        snprintf(load_error, sizeof load_error, "%s", reason ? reason : "libcurl.so.4 could not be loaded");
        return;
    }
    RESOLVE(global_init, "curl_global_init")
    RESOLVE(easy_init, "curl_easy_init")
    RESOLVE(easy_cleanup, "curl_easy_cleanup")
    RESOLVE(easy_reset, "curl_easy_reset")
    RESOLVE(easy_perform, "curl_easy_perform")
    RESOLVE(easy_strerror, "curl_easy_strerror")
    RESOLVE(easy_setopt, "curl_easy_setopt")
    RESOLVE(easy_getinfo, "curl_easy_getinfo")
    RESOLVE(slist_append, "curl_slist_append")
    RESOLVE(slist_free_all, "curl_slist_free_all")
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "curl_global_init failed");
        dlclose(library);
        return;
    }
    curl.library = library;
}

int ccurl_load(void) {
    pthread_once(&once, load);
    return curl.library != NULL;
}

const char *ccurl_load_error(void) { return load_error[0] ? load_error : NULL; }

CURL *ccurl_easy_init(void) { return ccurl_load() ? curl.easy_init() : NULL; }
void ccurl_easy_cleanup(CURL *handle) { if (handle) curl.easy_cleanup(handle); }
void ccurl_easy_reset(CURL *handle) { curl.easy_reset(handle); }
CURLcode ccurl_easy_perform(CURL *handle) { return curl.easy_perform(handle); }
const char *ccurl_easy_strerror(CURLcode code) { return curl.easy_strerror(code); }
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text) { return curl.slist_append(list, text); }
void ccurl_slist_free_all(struct curl_slist *list) { if (list) curl.slist_free_all(list); }

CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl.easy_setopt(handle, option, value);
}

CURLcode ccurl_setopt_write_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *)) {
    return curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

CURLcode ccurl_setopt_header_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *)) {
    return curl.easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl.easy_getinfo(handle, info, value);
}

// Headers older than 7.85 lack the names; the numbers are libcurl's stable ABI.
#if LIBCURL_VERSION_NUM >= 0x075500
#define CCURL_PROTOCOLS_STR CURLOPT_PROTOCOLS_STR
#define CCURL_REDIR_PROTOCOLS_STR CURLOPT_REDIR_PROTOCOLS_STR
#else
#define CCURL_PROTOCOLS_STR ((CURLoption)10318)
#define CCURL_REDIR_PROTOCOLS_STR ((CURLoption)10319)
#endif

// Set on every transfer, after curl_easy_reset, so no default of the libcurl build decides them.
CURLcode ccurl_setopt_safety(CURL *handle) {
    CURLcode code;
    if ((code = curl.easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L)) != CURLE_OK) return code;
    if ((code = curl.easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L)) != CURLE_OK) return code;
    if ((code = curl.easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L)) != CURLE_OK) return code;
    // The string forms exist since 7.85; an older libcurl (loaded at run time) answers CURLE_UNKNOWN_OPTION.
    code = curl.easy_setopt(handle, CCURL_PROTOCOLS_STR, "http,https");
    if (code == CURLE_UNKNOWN_OPTION) code = curl.easy_setopt(handle, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    if (code != CURLE_OK) return code;
    code = curl.easy_setopt(handle, CCURL_REDIR_PROTOCOLS_STR, "https");
    if (code == CURLE_UNKNOWN_OPTION) code = curl.easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS, (long)CURLPROTO_HTTPS);
    return code;
}
