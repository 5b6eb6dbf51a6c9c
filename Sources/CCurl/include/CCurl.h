#ifndef CCURL_H
#define CCURL_H
#include <curl/curl.h>

// libcurl is loaded with dlopen the first time a function needs HTTPS, not at start: mapping it and
// its ~35 dependencies is most of a bootstrap's start-up, and a webhook on SQLite never needs it.
// The header gives the types and constants only; every call goes through these wrappers.

// Loads libcurl.so.4 and runs curl_global_init, once per process. Returns 1 when libcurl is usable.
int ccurl_load(void);
// Why loading failed (dlerror's text), or NULL.
const char *ccurl_load_error(void);

CURL *ccurl_easy_init(void);
void ccurl_easy_cleanup(CURL *handle);
void ccurl_easy_reset(CURL *handle);
CURLcode ccurl_easy_perform(CURL *handle);
const char *ccurl_easy_strerror(CURLcode code);
struct curl_slist *ccurl_slist_append(struct curl_slist *list, const char *text);
void ccurl_slist_free_all(struct curl_slist *list);

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call; these fix one type each.
CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, const void *value);
CURLcode ccurl_setopt_write_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *));
CURLcode ccurl_setopt_header_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *));
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);

// TLS verification on (peer and host name), only http and https, no redirects (and none but https if a
// caller ever turns them on). Returns the first option libcurl refused, or CURLE_OK.
CURLcode ccurl_setopt_safety(CURL *handle);

#endif
