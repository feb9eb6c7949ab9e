/* etcd's v3 JSON gateway over libcurl (see etcd.h). */
#include <curl/curl.h>
#include <errno.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "cluster/etcd.h"
#include "runtime/xalloc.h"

char *etcd_b64_encode(const void *data, size_t n)
{
    char *out = ken_xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)out, data, (int)n); /* standard, padded; NUL-terminated */
    return out;
}

static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

char *etcd_b64_decode(const char *text, size_t *len)
{
    size_t n = strlen(text);
    if (n % 4)
        return NULL;
    uint8_t *out = ken_xmalloc(n / 4 * 3 + 1), *o = out;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            char c = text[i + k];
            if (c == '=' && i + 4 == n && k >= 2) {
                v[k] = 0;
                pad++;
                continue;
            }
            v[k] = pad ? -1 : b64_value(c); /* nothing after padding */
            if (v[k] < 0) {
                free(out);
                return NULL;
            }
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        *o++ = (uint8_t)(w >> 16);
        if (pad < 2)
            *o++ = (uint8_t)(w >> 8);
        if (pad < 1)
            *o++ = (uint8_t)w;
    }
    *o = '\0';
    if (len)
        *len = (size_t)(o - out);
    return (char *)out;
}

struct json_object *etcd_json_b64(const void *data, size_t n)
{
    char *s = etcd_b64_encode(data, n);
    struct json_object *j = json_object_new_string(s);
    free(s);
    return j;
}

struct json_object *etcd_json_key(const char *key) { return etcd_json_b64(key, strlen(key)); }

struct json_object *etcd_json_prefix_end(const char *prefix)
{
    size_t n = strlen(prefix);
    char *end = ken_xstrdup(prefix);
    /* the last byte below 0xff, plus one, and nothing after it */
    while (n && (uint8_t)end[n - 1] == 0xff)
        n--;
    struct json_object *j;
    if (!n) {
        j = etcd_json_b64("\0", 1); /* every key */
    } else {
        end[n - 1] = (char)((uint8_t)end[n - 1] + 1);
        j = etcd_json_b64(end, n);
    }
    free(end);
    return j;
}

int64_t etcd_json_i64(struct json_object *obj, const char *member)
{
    struct json_object *v;
    if (!obj || !json_object_object_get_ex(obj, member, &v))
        return 0;
    if (json_object_is_type(v, json_type_string))
        return strtoll(json_object_get_string(v), NULL, 10);
    return json_object_get_int64(v);
}

void etcd_kv_free(struct etcd_kv *kv)
{
    free(kv->key);
    free(kv->value);
}

void etcd_kvs_free(struct etcd_kv *kvs, long n)
{
    for (long i = 0; i < n; i++)
        etcd_kv_free(&kvs[i]);
    free(kvs);
}

/* One kv object ({"key": b64, "value": b64, ...}) into out. */
static int kv_decode(struct json_object *o, struct etcd_kv *out)
{
    struct json_object *k, *v;
    memset(out, 0, sizeof *out);
    if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "key", &k) ||
        !json_object_is_type(k, json_type_string))
        return -1;
    out->key = etcd_b64_decode(json_object_get_string(k), NULL);
    if (!out->key)
        return -1;
    if (json_object_object_get_ex(o, "value", &v) && json_object_is_type(v, json_type_string))
        out->value = etcd_b64_decode(json_object_get_string(v), &out->value_len);
    else
        out->value = ken_xstrdup(""); /* an empty value is left out */
    if (!out->value) {
        free(out->key);
        return -1;
    }
    out->create_revision = etcd_json_i64(o, "create_revision");
    out->mod_revision = etcd_json_i64(o, "mod_revision");
    out->lease = etcd_json_i64(o, "lease");
    return 0;
}

long etcd_kvs_decode(struct json_object *resp, struct etcd_kv **out)
{
    *out = NULL;
    struct json_object *kvs;
    if (!resp || !json_object_object_get_ex(resp, "kvs", &kvs))
        return 0;
    if (!json_object_is_type(kvs, json_type_array))
        return -1;
    size_t n = json_object_array_length(kvs);
    struct etcd_kv *v = ken_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        if (kv_decode(json_object_array_get_idx(kvs, i), &v[i])) {
            etcd_kvs_free(v, (long)i);
            return -1;
        }
    }
    *out = v;
    return (long)n;
}

/* ---- HTTP ---- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }
void etcd_global_init(void) { pthread_once(&curl_once, curl_init_once); }

int etcd_init(struct etcd *e, const char *urls, long timeout_ms, char *why, size_t why_len)
{
    memset(e, 0, sizeof *e);
    e->timeout_ms = timeout_ms;
    char *copy = ken_xstrdup(urls ? urls : ""), *save = NULL;
    for (char *u = strtok_r(copy, ",", &save); u; u = strtok_r(NULL, ",", &save)) {
        while (*u == ' ')
            u++;
        size_t n = strlen(u);
        while (n && (u[n - 1] == ' ' || u[n - 1] == '/'))
            u[--n] = '\0';
        if (!n)
            continue;
        if (strncmp(u, "http://", 7) && strncmp(u, "https://", 8)) {
            snprintf(why, why_len, "etcd endpoint '%s' is not an http:// or https:// URL", u);
            free(copy);
            etcd_destroy(e);
            return EINVAL;
        }
        e->urls = ken_xrealloc(e->urls, (e->n_urls + 1) * sizeof *e->urls);
        e->urls[e->n_urls++] = ken_xstrdup(u);
    }
    free(copy);
    if (!e->n_urls) {
        snprintf(why, why_len, "no etcd endpoint given");
        return EINVAL;
    }
    etcd_global_init();
    return 0;
}

void etcd_destroy(struct etcd *e)
{
    for (size_t i = 0; i < e->n_urls; i++)
        free(e->urls[i]);
    free(e->urls);
    if (e->curl)
        curl_easy_cleanup(e->curl);
    memset(e, 0, sizeof *e);
}

struct body {
    char *data;
    size_t len;
};

#define BODY_MAX (64u << 20)

static size_t body_write(char *p, size_t size, size_t n, void *arg)
{
    struct body *b = arg;
    size_t add = size * n;
    if (b->len + add > BODY_MAX)
        return 0; /* an answer this big is no etcd's */
    b->data = ken_xrealloc(b->data, b->len + add + 1);
    memcpy(b->data + b->len, p, add);
    b->len += add;
    b->data[b->len] = '\0';
    return add;
}

int etcd_call(struct etcd *e, const char *path, struct json_object *req, struct json_object **resp, char *why,
              size_t why_len)
{
    char dummy[8];
    if (!why) {
        why = dummy;
        why_len = sizeof dummy;
    }
    *resp = NULL;
    if (!e->curl && !(e->curl = curl_easy_init())) {
        snprintf(why, why_len, "curl_easy_init failed");
        return ENOMEM;
    }
    CURL *c = e->curl;
    const char *payload = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
    int err = ECONNREFUSED;
    for (size_t k = 0; k < e->n_urls; k++) {
        size_t at = (e->cur + k) % e->n_urls;
        char url[512];
        snprintf(url, sizeof url, "%s%s", e->urls[at], path);
        struct body b = {0};
        struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
        curl_easy_reset(c);
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_write);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, e->timeout_ms);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, e->timeout_ms);
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
        CURLcode rc = curl_easy_perform(c);
        curl_slist_free_all(hdr);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (rc != CURLE_OK) {
            err = rc == CURLE_OPERATION_TIMEDOUT ? ETIMEDOUT : ECONNREFUSED;
            snprintf(why, why_len, "%s: %s", url, curl_easy_strerror(rc));
            free(b.data);
            continue; /* the next endpoint */
        }
        e->cur = at;
        struct json_object *j = b.data ? json_tokener_parse(b.data) : NULL;
        if (!j || !json_object_is_type(j, json_type_object)) {
            snprintf(why, why_len, "%s: HTTP %ld, not a JSON object", url, status);
            json_object_put(j);
            free(b.data);
            return EPROTO;
        }
        free(b.data);
        *resp = j;
        struct json_object *msg;
        if (json_object_object_get_ex(j, "error", &msg) || status != 200) {
            snprintf(why, why_len, "%s: HTTP %ld: %s", url, status,
                     msg ? json_object_get_string(msg) : "(no message)");
            return EIO;
        }
        return 0;
    }
    return err;
}
