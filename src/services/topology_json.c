/* The topology data as JSON in Ryu's to_dict shapes (ken/topology.h):
 * json-c objects for C users, and the same documents written straight as
 * text for the REST answers. Apart from the switches app: it knows only
 * the data structs. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ken/datapath.h"
#include "ken/topology.h"

static void mac_str(const uint8_t m[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* A port name from the wire as valid UTF-8: Ryu decodes it as UTF-8,
 * and a name that is not (a switch's garbage) must not make the REST
 * answer invalid JSON: each bad byte becomes U+FFFD. */
static void name_utf8(const char *name, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)name;
    size_t o = 0;
    while (*p && o + 4 < cap) {
        size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
        uint32_t cp = n == 1 ? *p : n == 2 ? *p & 0x1fu : n == 3 ? *p & 0x0fu : *p & 0x07u;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80) { /* also stops at the NUL */
                n = 0;
                break;
            }
            cp = cp << 6 | (p[i] & 0x3fu);
        }
        static const uint32_t min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (!n || cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
            continue;
        }
        memcpy(out + o, p, n);
        o += n;
        p += n;
    }
    out[o] = '\0';
}

struct json_object *ken_topo_port_to_json(const struct ken_topo_port *p)
{
    char name[sizeof p->name * 3 + 4];
    name_utf8(p->name, name, sizeof name);
    char dpid[17], port_no[9], mac[18];
    ken_dpid_to_str(p->dpid, dpid);
    snprintf(port_no, sizeof port_no, "%08" PRIx32, p->port_no);
    mac_str(p->hw_addr, mac);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "dpid", json_object_new_string(dpid));
    json_object_object_add(o, "port_no", json_object_new_string(port_no));
    json_object_object_add(o, "hw_addr", json_object_new_string(mac));
    json_object_object_add(o, "name", json_object_new_string(name));
    return o;
}

struct json_object *ken_topo_switch_to_json(const struct ken_topo_switch *s)
{
    char dpid[17];
    ken_dpid_to_str(s->dpid, dpid);
    struct json_object *o = json_object_new_object(), *ports = json_object_new_array_ext((int)s->n_ports);
    json_object_object_add(o, "dpid", json_object_new_string(dpid));
    for (size_t i = 0; i < s->n_ports; i++)
        json_object_array_add(ports, ken_topo_port_to_json(&s->ports[i]));
    json_object_object_add(o, "ports", ports);
    return o;
}

struct json_object *ken_topo_link_to_json(const struct ken_topo_link *l)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "src", ken_topo_port_to_json(&l->src));
    json_object_object_add(o, "dst", ken_topo_port_to_json(&l->dst));
    return o;
}

struct json_object *ken_topo_host_to_json(const struct ken_topo_host *h)
{
    char mac[18], ip[INET6_ADDRSTRLEN];
    mac_str(h->mac, mac);
    struct json_object *o = json_object_new_object(), *v4 = json_object_new_array(), *v6 = json_object_new_array();
    for (size_t i = 0; i < h->n_ipv4; i++)
        json_object_array_add(v4, json_object_new_string(inet_ntop(AF_INET, h->ipv4[i], ip, sizeof ip)));
    for (size_t i = 0; i < h->n_ipv6; i++)
        json_object_array_add(v6, json_object_new_string(inet_ntop(AF_INET6, h->ipv6[i], ip, sizeof ip)));
    json_object_object_add(o, "mac", json_object_new_string(mac));
    json_object_object_add(o, "ipv4", v4);
    json_object_object_add(o, "ipv6", v6);
    json_object_object_add(o, "port", ken_topo_port_to_json(&h->port));
    return o;
}

/* ---- JSON text, written directly ----
 * The same documents as the json-c builders above, written straight into
 * a buffer: for thousands of links, building a json-c object per string
 * costs ten times the text (the REST answer of a large network). */

static void put_str(struct ken_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    ken_buf_put8(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            ken_buf_put8(b, '\\');
            ken_buf_put8(b, *p);
        } else if (*p < 0x20) {
            char esc[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            ken_buf_put(b, esc, sizeof esc);
        } else {
            ken_buf_put8(b, *p);
        }
    }
    ken_buf_put8(b, '"');
}

static void put_lit(struct ken_buf *b, const char *s) { ken_buf_put(b, s, strlen(s)); }

static void put_port(struct ken_buf *b, const struct ken_topo_port *p)
{
    char dpid[17], port_no[9], mac[18], name[sizeof p->name * 3 + 4];
    ken_dpid_to_str(p->dpid, dpid);
    snprintf(port_no, sizeof port_no, "%08" PRIx32, p->port_no);
    mac_str(p->hw_addr, mac);
    name_utf8(p->name, name, sizeof name);
    put_lit(b, "{\"dpid\":\"");
    put_lit(b, dpid);
    put_lit(b, "\",\"port_no\":\"");
    put_lit(b, port_no);
    put_lit(b, "\",\"hw_addr\":\"");
    put_lit(b, mac);
    put_lit(b, "\",\"name\":");
    put_str(b, name);
    ken_buf_put8(b, '}');
}

void ken_topo_switches_write_json(struct ken_buf *b, const struct ken_topo_switch *s, size_t n)
{
    ken_buf_put8(b, '[');
    for (size_t i = 0; i < n; i++) {
        char dpid[17];
        ken_dpid_to_str(s[i].dpid, dpid);
        put_lit(b, i ? ",{\"dpid\":\"" : "{\"dpid\":\"");
        put_lit(b, dpid);
        put_lit(b, "\",\"ports\":[");
        for (size_t k = 0; k < s[i].n_ports; k++) {
            if (k)
                ken_buf_put8(b, ',');
            put_port(b, &s[i].ports[k]);
        }
        put_lit(b, "]}");
    }
    ken_buf_put8(b, ']');
}

void ken_topo_links_write_json(struct ken_buf *b, const struct ken_topo_link *l, size_t n)
{
    ken_buf_put8(b, '[');
    for (size_t i = 0; i < n; i++) {
        put_lit(b, i ? ",{\"src\":" : "{\"src\":");
        put_port(b, &l[i].src);
        put_lit(b, ",\"dst\":");
        put_port(b, &l[i].dst);
        ken_buf_put8(b, '}');
    }
    ken_buf_put8(b, ']');
}

void ken_topo_hosts_write_json(struct ken_buf *b, const struct ken_topo_host *h, size_t n)
{
    ken_buf_put8(b, '[');
    for (size_t i = 0; i < n; i++) {
        char mac[18], ip[INET6_ADDRSTRLEN];
        mac_str(h[i].mac, mac);
        put_lit(b, i ? ",{\"mac\":\"" : "{\"mac\":\"");
        put_lit(b, mac);
        put_lit(b, "\",\"ipv4\":[");
        for (size_t k = 0; k < h[i].n_ipv4; k++) {
            put_lit(b, k ? ",\"" : "\"");
            put_lit(b, inet_ntop(AF_INET, h[i].ipv4[k], ip, sizeof ip));
            ken_buf_put8(b, '"');
        }
        put_lit(b, "],\"ipv6\":[");
        for (size_t k = 0; k < h[i].n_ipv6; k++) {
            put_lit(b, k ? ",\"" : "\"");
            put_lit(b, inet_ntop(AF_INET6, h[i].ipv6[k], ip, sizeof ip));
            ken_buf_put8(b, '"');
        }
        put_lit(b, "],\"port\":");
        put_port(b, &h[i].port);
        ken_buf_put8(b, '}');
    }
    ken_buf_put8(b, ']');
}
