/* Route templates and path matching (see route.h). */
#include "rest/route.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void why_set(char *why, const char *fmt, const char *a, const char *b)
{
    snprintf(why, ROUTE_WHY_LEN, fmt, a, b);
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

void route_free(struct route_compiled *rc)
{
    for (size_t i = 0; i < rc->n_parts; i++) {
        free(rc->parts[i].literal);
        if (rc->parts[i].has_regex)
            regfree(&rc->parts[i].regex);
    }
    free(rc->parts);
    for (size_t i = 0; i < rc->n_params; i++)
        free(rc->param_names[i]);
    free(rc->param_names);
    for (size_t i = 0; i < rc->n_methods; i++)
        free(rc->methods[i]);
    free(rc->methods);
    memset(rc, 0, sizeof *rc);
}

/* "GET, PUT,POST" -> {"GET", "PUT", "POST"}. */
static int methods_parse(struct route_compiled *rc, const char *list, char *why)
{
    if (!list)
        return 0;
    size_t cap = 1;
    for (const char *c = list; *c; c++)
        cap += *c == ',';
    if (!(rc->methods = calloc(cap, sizeof *rc->methods)))
        return ENOMEM;
    const char *p = list;
    for (;;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, ", ");
        const char *end = p + n;
        while (*end == ' ')
            end++;
        if (!n || (*end && *end != ',')) {
            why_set(why, "route %s: bad method list \"%s\"", rc->route->name ? rc->route->name : "?", list);
            return EINVAL;
        }
        if (!(rc->methods[rc->n_methods++] = dup_n(p, n)))
            return ENOMEM;
        if (!*end)
            return 0;
        p = end + 1;
    }
}

static int param_find(const struct route_compiled *rc, const char *name)
{
    for (size_t i = 0; i < rc->n_params; i++)
        if (!strcmp(rc->param_names[i], name))
            return (int)i;
    return -1;
}

static int requirement_add(struct route_compiled *rc, const struct ken_ws_requirement *req, char *why)
{
    const char *rname = rc->route->name ? rc->route->name : rc->route->path;
    if (!req->param || !req->regex) {
        why_set(why, "route %s: a requirement without %s", rname, req->param ? "a regex" : "a name");
        return EINVAL;
    }
    int idx = param_find(rc, req->param);
    if (idx < 0) {
        snprintf(why, ROUTE_WHY_LEN, "route %s: requirement for {%s}, which the template lacks", rname, req->param);
        return EINVAL;
    }
    struct route_part *part = NULL;
    for (size_t i = 0; i < rc->n_parts && !part; i++)
        if (!rc->parts[i].literal && rc->parts[i].param == (size_t)idx)
            part = &rc->parts[i];
    if (part->has_regex) {
        snprintf(why, ROUTE_WHY_LEN, "route %s: two requirements for {%s}", rname, req->param);
        return EINVAL;
    }
    /* Anchored: the whole part must match, not a piece of it. */
    size_t n = strlen(req->regex) + 5;
    char *anchored = malloc(n);
    if (!anchored)
        return ENOMEM;
    snprintf(anchored, n, "^(%s)$", req->regex);
    int err = regcomp(&part->regex, anchored, REG_EXTENDED | REG_NOSUB);
    free(anchored);
    if (err) {
        char msg[96];
        regerror(err, &part->regex, msg, sizeof msg);
        snprintf(why, ROUTE_WHY_LEN, "route %s: requirement of {%s}: bad regex \"%.40s\": %s", rname, req->param,
                 req->regex, msg);
        return EINVAL;
    }
    part->has_regex = true;
    return 0;
}

int route_compile(const struct ken_route *r, void *owner, struct route_compiled *out, char why[ROUTE_WHY_LEN])
{
    memset(out, 0, sizeof *out);
    out->route = r;
    out->owner = owner;
    const char *rname = r->name ? r->name : r->path ? r->path : "?";
    if (!r->path || r->path[0] != '/') {
        why_set(why, "route %s: the path template must start with '/' (\"%s\")", rname, r->path ? r->path : "");
        return EINVAL;
    }
    if (!r->fn) {
        why_set(why, "route %s: no handler function%s", rname, "");
        return EINVAL;
    }
    size_t cap = 0;
    for (const char *c = r->path; *c; c++)
        cap += *c == '/';
    int err = ENOMEM;
    if (!(out->parts = calloc(cap, sizeof *out->parts)) || !(out->param_names = calloc(cap, sizeof(char *))))
        goto fail;
    for (const char *p = r->path + 1;; ) {
        size_t n = strcspn(p, "/");
        struct route_part *part = &out->parts[out->n_parts++];
        const char *open = memchr(p, '{', n), *close = memchr(p, '}', n);
        if (open || close) {
            /* A {name} is a whole part: "{id}", not "x{id}" or "{id}.json". */
            if (open != p || close != p + n - 1 || n < 3 || memchr(p + 1, '{', n - 2) ||
                memchr(p + 1, '}', n - 2)) {
                snprintf(why, ROUTE_WHY_LEN, "route %s: \"%.*s\" in %s: a {name} must be a whole part", rname,
                         (int)(n > 60 ? 60 : n), p, r->path);
                err = EINVAL;
                goto fail;
            }
            char *name = dup_n(p + 1, n - 2);
            if (!name)
                goto fail;
            if (param_find(out, name) >= 0) {
                snprintf(why, ROUTE_WHY_LEN, "route %s: {%s} twice in %s", rname, name, r->path);
                free(name);
                err = EINVAL;
                goto fail;
            }
            part->param = out->n_params;
            out->param_names[out->n_params++] = name;
        } else if (!(part->literal = dup_n(p, n))) {
            goto fail;
        }
        if (!p[n])
            break;
        p += n + 1;
    }
    for (const struct ken_ws_requirement *q = r->requirements; q && (q->param || q->regex); q++)
        if ((err = requirement_add(out, q, why)))
            goto fail;
    if ((err = methods_parse(out, r->methods, why)))
        goto fail;
    return 0;
fail:
    if (err == ENOMEM)
        why_set(why, "route %s: out of memory%s", rname, "");
    route_free(out);
    return err;
}

int route_check_list(const struct ken_route *routes, char why[ROUTE_WHY_LEN])
{
    for (size_t i = 0; routes && routes[i].path; i++) {
        struct route_compiled rc;
        int err = route_compile(&routes[i], NULL, &rc, why);
        if (err)
            return err;
        route_free(&rc);
    }
    return 0;
}

/* ---- paths ---- */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long route_decode(const char *src, size_t len, char *dst, bool plus_is_space)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = src[i];
        if (c == '%') {
            if (i + 2 >= len)
                return -1;
            int h = hex_value(src[i + 1]), l = hex_value(src[i + 2]);
            if (h < 0 || l < 0)
                return -1;
            c = (char)(h << 4 | l);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        }
        if (c == '\0')
            return -1;
        dst[o++] = c;
    }
    dst[o] = '\0';
    return (long)o;
}

void route_path_free(struct route_path *p)
{
    free(p->segs);
    free(p->decoded);
    free(p->storage);
    memset(p, 0, sizeof *p);
}

int route_path_parse(const char *raw, size_t len, struct route_path *p, char why[ROUTE_WHY_LEN])
{
    memset(p, 0, sizeof *p);
    if (!len || raw[0] != '/') {
        snprintf(why, ROUTE_WHY_LEN, "the path must start with '/'");
        return EINVAL;
    }
    if (memchr(raw, '\0', len)) {
        snprintf(why, ROUTE_WHY_LEN, "NUL in the path");
        return EINVAL;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += raw[i] == '/';
    p->segs = malloc(n * sizeof *p->segs);
    p->decoded = malloc(len + 1);
    p->storage = malloc(len + 1); /* segments, each NUL-ended, fit: each '/' gives way to a NUL */
    if (!p->segs || !p->decoded || !p->storage) {
        route_path_free(p);
        snprintf(why, ROUTE_WHY_LEN, "out of memory");
        return ENOMEM;
    }
    if (route_decode(raw, len, p->decoded, false) < 0) {
        route_path_free(p);
        snprintf(why, ROUTE_WHY_LEN, "invalid percent-escape or NUL in the path");
        return EINVAL;
    }
    /* Split first, then decode each part: "%2F" stays inside its part. */
    char *out = p->storage;
    for (size_t i = 1;;) {
        size_t m = 0;
        while (i + m < len && raw[i + m] != '/')
            m++;
        long d = route_decode(raw + i, m, out, false);
        p->segs[p->n_segs++] = out;
        out += d + 1;
        i += m + 1;
        if (i > len)
            break;
    }
    return 0;
}

/* ---- matching ---- */

bool route_method_ok(const struct route_compiled *rc, const char *method)
{
    if (!rc->n_methods)
        return true;
    for (size_t i = 0; i < rc->n_methods; i++)
        if (!strcmp(rc->methods[i], method))
            return true;
    return false;
}

static bool path_matches(const struct route_compiled *rc, const struct route_path *p, const char **values)
{
    if (rc->n_parts != p->n_segs)
        return false;
    for (size_t i = 0; i < rc->n_parts; i++) {
        const struct route_part *part = &rc->parts[i];
        const char *seg = p->segs[i];
        if (part->literal) {
            if (strcmp(part->literal, seg))
                return false;
        } else if (part->has_regex ? regexec(&part->regex, seg, 0, NULL, 0) != 0 : !*seg) {
            return false; /* without a requirement a part is any non-empty segment */
        }
    }
    for (size_t i = 0; values && i < rc->n_parts; i++)
        if (!rc->parts[i].literal)
            values[rc->parts[i].param] = p->segs[i];
    return true;
}

static void allow_add(char *allow, size_t allow_len, const char *method)
{
    size_t used = strlen(allow), m = strlen(method);
    /* Each method once. */
    for (const char *a = allow; *a;) {
        size_t n = strcspn(a, ",");
        if (n == m && !memcmp(a, method, m))
            return;
        a += n;
        while (*a == ',' || *a == ' ')
            a++;
    }
    if (used + m + 3 > allow_len)
        return;
    if (used) {
        memcpy(allow + used, ", ", 2);
        used += 2;
    }
    memcpy(allow + used, method, m + 1);
}

enum route_result route_match(const struct route_compiled *routes, size_t n, const struct route_path *p,
                              const char *method, size_t *index, const char **values, char *allow,
                              size_t allow_len)
{
    bool path_seen = false;
    if (allow_len)
        allow[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const struct route_compiled *rc = &routes[i];
        if (!path_matches(rc, p, values))
            continue;
        if (route_method_ok(rc, method)) {
            *index = i;
            return ROUTE_FOUND;
        }
        path_seen = true;
        for (size_t k = 0; k < rc->n_methods && allow_len; k++)
            allow_add(allow, allow_len, rc->methods[k]);
    }
    return path_seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}
