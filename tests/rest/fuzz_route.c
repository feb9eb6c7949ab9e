/* libFuzzer: request paths and queries against the route matcher. Any
 * bytes: no crash, no leak, and the matcher's promises hold (a decoded
 * part holds no NUL and is no longer than its raw form; a found route's
 * parameters are its path's segments; the Allow list of a 405 is non-empty). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rest/route.h"

static void fn(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    (void)req;
    (void)resp;
}

static const struct ken_route routes[] = {
    {"switches", "/stats/switches", "GET", NULL, fn},
    {"port", "/stats/port/{dpid}/{port}", "GET", (const struct ken_ws_requirement[]){{"dpid", "[0-9]+"}, {NULL, NULL}},
     fn},
    {"flow", "/stats/flowentry/{cmd}", "POST,PUT", NULL, fn},
    {"any", "/any/{x}", NULL, NULL, fn},
    {"root", "/", "GET", NULL, fn},
    {"maybe", "/m/{v}/end", "DELETE", (const struct ken_ws_requirement[]){{"v", "[a-z%]*"}, {NULL, NULL}}, fn},
    {NULL, NULL, NULL, NULL, NULL},
};

#define CHECK(c) \
    do { \
        if (!(c)) \
            abort(); \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct route_compiled table[8];
    static size_t n;
    if (!n) {
        char why[ROUTE_WHY_LEN];
        for (; routes[n].path; n++)
            CHECK(route_compile(&routes[n], NULL, &table[n], why) == 0);
    }
    static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH"};
    const char *method = methods[size ? data[0] % 5 : 0];
    const char *raw = size ? (const char *)data + 1 : "";
    size_t len = size ? size - 1 : 0;

    char *dst = malloc(len + 1);
    long d = route_decode(raw, len, dst, true);
    CHECK(d < 0 || ((size_t)d <= len && strlen(dst) == (size_t)d));
    free(dst);

    char why[ROUTE_WHY_LEN];
    struct route_path p;
    if (route_path_parse(raw, len, &p, why))
        return 0;
    CHECK(p.n_segs >= 1 && strlen(p.decoded) <= len);
    const char **values = calloc(p.n_segs, sizeof *values);
    char allow[64];
    size_t index = 0;
    enum route_result r = route_match(table, n, &p, method, &index, values, allow, sizeof allow);
    if (r == ROUTE_FOUND) {
        CHECK(index < n && table[index].n_parts == p.n_segs && route_method_ok(&table[index], method));
        for (size_t i = 0; i < table[index].n_params; i++) {
            CHECK(values[i] != NULL);
            bool is_segment = false;
            for (size_t k = 0; k < p.n_segs; k++)
                is_segment |= values[i] == p.segs[k];
            CHECK(is_segment);
        }
    } else if (r == ROUTE_BAD_METHOD) {
        CHECK(allow[0] != '\0');
    }
    free(values);
    route_path_free(&p);
    return 0;
}
