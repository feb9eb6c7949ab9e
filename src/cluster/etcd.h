/* A small client of etcd's v3 JSON gateway (etcd 3.4: POST /v3/kv/range,
 * /v3/kv/txn, /v3/lease/grant ...; keys and values base64) over libcurl,
 * and the base64 and JSON helpers it needs. Blocking calls with a timeout;
 * one struct etcd per thread (its curl handle keeps the connection). */
#ifndef KEN_CLUSTER_ETCD_H
#define KEN_CLUSTER_ETCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/* Base64 (RFC 4648, with padding). encode: out gets a NUL-terminated
 * string of 4 * ceil(n / 3) characters (malloc'ed). decode: NULL for
 * text that is not base64; *len gets the length, the result is
 * NUL-terminated past it. */
char *etcd_b64_encode(const void *data, size_t n);
char *etcd_b64_decode(const char *text, size_t *len);

/* A JSON string holding data's base64. */
struct json_object *etcd_json_b64(const void *data, size_t n);
struct json_object *etcd_json_key(const char *key);
/* The end of the range of keys starting with prefix (prefix with its last
 * byte plus one, as etcd's clients compute it), base64'ed. */
struct json_object *etcd_json_prefix_end(const char *prefix);
/* etcd's 64-bit numbers travel as JSON strings ("42"); absent is 0. */
int64_t etcd_json_i64(struct json_object *obj, const char *member);

/* One key-value of a range response, decoded. */
struct etcd_kv {
    char *key;
    char *value;
    size_t value_len;
    int64_t create_revision, mod_revision, lease;
};
void etcd_kv_free(struct etcd_kv *kv);
/* Decodes the "kvs" of a range response (absent: none). Returns the count,
 * or -1 for bad input; *out (malloc'ed) holds them. */
long etcd_kvs_decode(struct json_object *range_response, struct etcd_kv **out);
void etcd_kvs_free(struct etcd_kv *kvs, long n);

struct etcd {
    char **urls;         /* "http://127.0.0.1:2379", no trailing slash */
    size_t n_urls;
    size_t cur;          /* the endpoint that answered last */
    long timeout_ms;
    void *curl;          /* CURL *, made on first use */
};

/* Parses "URL[,URL...]"; EINVAL with why for a bad list. */
int etcd_init(struct etcd *e, const char *urls, long timeout_ms, char *why, size_t why_len);
void etcd_destroy(struct etcd *e);

/* POSTs req (not consumed) to path ("/v3/kv/range") and parses the answer
 * into *resp. Tries each endpoint once, starting with the one that
 * answered last. Returns 0; ECONNREFUSED (no endpoint reachable);
 * ETIMEDOUT; EPROTO (not JSON); EIO (etcd's error: {"error": ...}, in
 * *resp as well). why (may be NULL) says what. */
int etcd_call(struct etcd *e, const char *path, struct json_object *req, struct json_object **resp, char *why,
              size_t why_len);

/* Needed once per process before any thread uses curl. */
void etcd_global_init(void);

#endif
