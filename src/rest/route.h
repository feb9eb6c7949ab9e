/* Route templates and path matching for the REST server, without HTTP:
 * compiling a struct ken_route, splitting and percent-decoding a request
 * path, and choosing the route (first match wins; 404 vs 405).
 * Unit-tested alone (tests/rest/test_route.c). */
#ifndef KEN_REST_ROUTE_H
#define KEN_REST_ROUTE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "ken/wsapi.h"

#define ROUTE_WHY_LEN 192

/* One '/'-separated part of a template: a literal, or a {name} that
 * matches one path segment (with its requirement when one is given). */
struct route_part {
    char *literal;   /* NULL for a {name} */
    size_t param;    /* index among the template's parameters */
    bool has_regex;
    regex_t regex;   /* anchored at both ends */
};

struct route_compiled {
    const struct ken_route *route;
    void *owner;               /* the app serving it (opaque here) */
    size_t n_parts;
    struct route_part *parts;
    size_t n_params;
    char **param_names;        /* template order */
    size_t n_methods;          /* 0: every method */
    char **methods;
};

/* Compiles r. 0, or EINVAL with a reason in why: a template not starting
 * with '/', a part mixing text and {name}, a repeated or empty name, a
 * requirement for a name the template lacks, a regex that does not
 * compile, an empty method. */
int route_compile(const struct ken_route *r, void *owner, struct route_compiled *out, char why[ROUTE_WHY_LEN]);
void route_free(struct route_compiled *rc);
/* Checks every route of a descriptor's list (NULL is fine). */
int route_check_list(const struct ken_route *routes, char why[ROUTE_WHY_LEN]);

/* A request path split at '/' and each segment percent-decoded. */
struct route_path {
    size_t n_segs;
    const char **segs;
    char *decoded;   /* the whole path decoded (for ken_ws_request.path) */
    char *storage;   /* what segs point into */
};

/* Splits raw (len bytes, no query) into p; the arrays come from malloc
 * (route_path_free). 0, or EINVAL with why for a path that does not
 * start with '/', an invalid escape ("%4", "%zz") or a NUL (raw or %00);
 * ENOMEM. */
int route_path_parse(const char *raw, size_t len, struct route_path *p, char why[ROUTE_WHY_LEN]);
void route_path_free(struct route_path *p);

/* Percent-decodes src (len bytes) into dst (room for len + 1); in a query,
 * '+' is a space. Returns the decoded length, or -1 for an invalid escape
 * or a NUL. */
long route_decode(const char *src, size_t len, char *dst, bool plus_is_space);

enum route_result {
    ROUTE_FOUND,
    ROUTE_NOT_FOUND,     /* 404 */
    ROUTE_BAD_METHOD,    /* 405: allow holds the methods of the routes the path matches */
};

/* The first of routes[0..n) whose template and requirements match the path
 * and whose methods hold method. On ROUTE_FOUND, *index is it and
 * values[0..n_params) point into p's segments. On ROUTE_BAD_METHOD, allow
 * gets "GET, PUT" (each method once, in route order; cut to allow_len). */
enum route_result route_match(const struct route_compiled *routes, size_t n, const struct route_path *p,
                              const char *method, size_t *index, const char **values, char *allow,
                              size_t allow_len);

/* Whether methods (a route's list) holds method. */
bool route_method_ok(const struct route_compiled *rc, const char *method);

#endif
