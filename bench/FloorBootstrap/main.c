// The cold-start and runtime-loop floor: a minimal Lambda bootstrap in C doing what stripe-webhook
// does for one delivery, and nothing else. It reads AWS_LAMBDA_RUNTIME_API, keeps one loopback
// connection, and loops: GET next -> verify Stripe-Signature (HMAC-SHA256, OpenSSL) over the body it
// finds in the API Gateway event -> scan for the payment id -> POST a 200 response. No store: the
// floor of starting and answering. The bench runs it beside our bootstrap, in the same run.
//
// FLOOR_SECRET is the webhook secret; FLOOR_LIMIT stops after that many invocations (0: forever).
#define _GNU_SOURCE
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int connect_to(const char *address) {
    char host[256];
    const char *colon = strrchr(address, ':');
    if (!colon || (size_t)(colon - address) >= sizeof host) return -1;
    memcpy(host, address, (size_t)(colon - address));
    host[colon - address] = 0;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *list;
    if (getaddrinfo(host, colon + 1, &hints, &list) != 0) return -1;
    int fd = socket(list->ai_family, list->ai_socktype, list->ai_protocol);
    if (fd < 0 || connect(fd, list->ai_addr, list->ai_addrlen) != 0) { freeaddrinfo(list); return -1; }
    freeaddrinfo(list);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int send_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t sent = send(fd, data, length, MSG_NOSIGNAL);
        if (sent <= 0) return -1;
        data += sent;
        length -= (size_t)sent;
    }
    return 0;
}

// Reads one response with a Content-Length body into buffer; returns the body's offset or -1.
static long read_response(int fd, char *buffer, size_t capacity, size_t *total, long *body_length) {
    size_t have = 0;
    char *end = NULL;
    while (!(end = memmem(buffer, have, "\r\n\r\n", 4))) {
        ssize_t got = recv(fd, buffer + have, capacity - have - 1, 0);
        if (got <= 0) return -1;
        have += (size_t)got;
    }
    buffer[have] = 0;
    char *length_header = strcasestr(buffer, "\r\ncontent-length:");
    long length = length_header ? strtol(length_header + 17, NULL, 10) : 0;
    long body = (end - buffer) + 4;
    while ((long)have < body + length) {
        ssize_t got = recv(fd, buffer + have, capacity - have - 1, 0);
        if (got <= 0) return -1;
        have += (size_t)got;
    }
    buffer[have] = 0;
    *total = have;
    *body_length = length;
    return body;
}

// The JSON string value after `key` in `json`, unescaping \" \\ \n, into out. Returns its length or -1.
static long json_string(const char *json, const char *key, char *out, size_t capacity) {
    const char *at = strstr(json, key);
    if (!at) return -1;
    at += strlen(key);
    size_t n = 0;
    while (*at && *at != '"' && n + 1 < capacity) {
        if (*at == '\\') {
            at++;
            char c = *at == 'n' ? '\n' : *at == 't' ? '\t' : *at;
            out[n++] = c;
        } else {
            out[n++] = *at;
        }
        at++;
    }
    out[n] = 0;
    return (long)n;
}

static int hex(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }

static int verify(const char *header, const char *body, size_t body_length, const char *secret) {
    if (strncmp(header, "t=", 2) != 0) return 0;
    const char *comma = strchr(header, ',');
    const char *v1 = strstr(header, "v1=");
    if (!comma || !v1 || strlen(v1) < 67) return 0;
    unsigned char expected[32], mac[32];
    for (int i = 0; i < 32; i++) {
        int h = hex(v1[3 + 2 * i]), l = hex(v1[4 + 2 * i]);
        if (h < 0 || l < 0) return 0;
        expected[i] = (unsigned char)(h << 4 | l);
    }
    size_t prefix = (size_t)(comma - header - 2);
    static char payload[1 << 19];
    if (prefix + 1 + body_length > sizeof payload) return 0;
    memcpy(payload, header + 2, prefix);
    payload[prefix] = '.';
    memcpy(payload + prefix + 1, body, body_length);
    unsigned int length = 0;
    HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)payload, prefix + 1 + body_length, mac, &length);
    return CRYPTO_memcmp(mac, expected, 32) == 0;
}

int main(void) {
    const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
    const char *secret = getenv("FLOOR_SECRET");
    long limit = getenv("FLOOR_LIMIT") ? strtol(getenv("FLOOR_LIMIT"), NULL, 10) : 0;
    if (!api || !secret) { fprintf(stderr, "AWS_LAMBDA_RUNTIME_API and FLOOR_SECRET are needed\n"); return 64; }
    int fd = connect_to(api);
    if (fd < 0) return 1;
    static char buffer[1 << 20], body[1 << 19], signature[512], request[1024], answer[512];
    for (long served = 0; limit == 0 || served < limit; served++) {
        int n = snprintf(request, sizeof request, "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n\r\n", api);
        if (send_all(fd, request, (size_t)n) != 0) return 1;
        size_t total;
        long event_length;
        long start = read_response(fd, buffer, sizeof buffer, &total, &event_length);
        if (start < 0) return 1;
        char id[128];
        const char *id_header = strcasestr(buffer, "\r\nlambda-runtime-aws-request-id:");
        if (!id_header) return 1;
        sscanf(id_header + 32, " %127[^\r\n]", id);
        const char *event = buffer + start;
        long body_length = json_string(event, "\"body\":\"", body, sizeof body);
        long signature_length = json_string(event, "\"stripe-signature\":\"", signature, sizeof signature);
        int status = 400;
        if (body_length >= 0 && signature_length > 0 && verify(signature, body, (size_t)body_length, secret)) {
            char payment[128];
            status = json_string(body, "\"payment_id\":\"", payment, sizeof payment) > 0 ? 200 : 400;
        }
        int answer_length = snprintf(answer, sizeof answer, "{\"statusCode\":%d,\"body\":\"{\\\"received\\\":true}\"}", status);
        n = snprintf(request, sizeof request,
                     "POST /2018-06-01/runtime/invocation/%s/response HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n%s",
                     id, api, answer_length, answer);
        if (send_all(fd, request, (size_t)n) != 0) return 1;
        if (read_response(fd, buffer, sizeof buffer, &total, &event_length) < 0) return 1;
    }
    close(fd);
    return 0;
}
