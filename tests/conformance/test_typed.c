/* The typed codec over the shared OS-Ken corpus, member by member against
 * OS-Ken's own JSON for each message (the .packet.json beside it):
 *
 * - every message the description lays out decodes to its class's struct,
 *   and each member holds the value OS-Ken shows for that field (integers,
 *   addresses, names, data, nested structures and lists, the number of
 *   match fields, instructions and actions); every action OS-Ken reads
 *   as fields (Nicira, 1.0, and the 1.2+ ones struct ken_action has no
 *   kind of its own for) is its class's struct, member by member (field
 *   headers by name, learn specs, ct's actions, a set-field's field), and
 *   so are 1.5's table-features OXM values, field by field;
 * - encoding the struct again gives the message's bytes back, or (where
 *   the struct keeps a normal form: 1.0 wildcard counts, lengths OS-Ken
 *   ignores) bytes whose JSON is the input's in that form (normal_form.h).
 *
 * Skips (exit 77) when ../shared/conformance is absent. */
#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/ofp.h"
#include "ken/ofp_typed.h"
#include "ofp/msgs.h"
#include "ofp/oxm.h"
#include "ofp/schema.h"
#include "ofp/typed.h"
#include "corpus.h"
#include "normal_form.h"

static int checked_members;

static const char *cur;

static int mismatch(const char *what, const char *name, const char *detail)
{
    printf("FAIL %s: %s.%s: %s\n", cur, what, name, detail);
    return 1;
}

/* OS-Ken wraps a nested structure as {"OFPClass": {...}}. */
static json_object *unwrapped(json_object *j)
{
    json_object *in = ofp_unwrap(j, NULL);
    return in && json_object_is_type(in, json_type_object) ? in : j;
}

/* A list's length; OS-Ken shows 1.0's features-reply ports as an object
 * keyed by port number. */
static int list_len(json_object *j)
{
    if (json_object_is_type(j, json_type_object))
        return json_object_object_length(j);
    return json_object_is_type(j, json_type_array) ? (int)json_object_array_length(j) : -1;
}

static int compare_struct(const struct ofp_tlayout *l, const void *s, json_object *body);
static int compare_actions(const char *cls, const char *name, const struct ken_action *acts, size_t n, json_object *j);
static int compare_subfield(const char *cls, const char *name, uint32_t h, uint16_t ofs, json_object *j);
static int compare_oxm_value(const char *cls, const char *name, const struct ken_match_field *fd, const uint8_t *v,
                             json_object *fname, json_object *value, json_object *mask);
static uint8_t cur_version;
static int typed_actions, action_members, learn_specs, oxm_values, nat_members, c2_members;
static int compare_controller2(const char *cls, const struct ken_nx_controller2 *c2, json_object *body);
static int compare_nat(const char *cls, unsigned present, const uint8_t *ranges, json_object *body);

/* The typed layout of the n-byte message at buf (its multipart type included). */
static const struct ofp_tlayout *message_layout(const uint8_t *buf, size_t n)
{
    const struct ofp_tclass *tc;
    const struct ken_ofproto *p = n >= 8 ? ken_ofproto_get(buf[0]) : NULL;
    if (!p)
        return NULL;
    int32_t mp = n >= 10 && (buf[1] == p->OFPT_MULTIPART_REQUEST || buf[1] == p->OFPT_MULTIPART_REPLY)
                     ? (int32_t)(buf[8] << 8 | buf[9])
                     : OFP_NO_MP;
    return ofp_tlayout_find(buf[0], buf[1], mp, &tc);
}

/* 1.5's OXS statistics: every OXSTlv OS-Ken shows has its value in the
 * struct's members and its bit in present, and no other bit is set. */
static int compare_stats(const char *cls, const char *name, const struct ken_ofp_stats *st, json_object *j)
{
    json_object *agg = unwrapped(j), *fields = NULL, *sj;
    if (json_object_object_get_ex(agg, "stats", &sj)) /* 1.5's aggregate reply: OFPAggregateStats */
        j = sj;
    uint32_t seen = 0;
    if (!json_object_is_type(j, json_type_null) &&
        !json_object_object_get_ex(unwrapped(j), "oxs_fields", &fields))
        return mismatch(cls, name, "OS-Ken's stats have no oxs_fields");
    char buf[128];
    for (int i = 0; fields && i < (int)json_object_array_length(fields); i++) {
        json_object *tlv = unwrapped(json_object_array_get_idx(fields, i)), *fj, *vj;
        if (!json_object_object_get_ex(tlv, "field", &fj) || !json_object_object_get_ex(tlv, "value", &vj))
            return mismatch(cls, name, "an OXSTlv without field and value");
        const struct ofp_stat_member *sm = NULL;
        for (size_t k = 0; k < ofp_n_stat_members; k++)
            if (!strcmp(ofp_stat_members[k].name, json_object_get_string(fj)))
                sm = &ofp_stat_members[k];
        if (!sm)
            continue; /* a field ken does not read into numbers */
        seen |= 1u << sm->field;
        checked_members++;
        for (size_t k = 0; k < sm->n_parts; k++) {
            const uint8_t *p = (const uint8_t *)st + sm->off[k];
            uint64_t got = sm->size / sm->n_parts == 8 ? *(const uint64_t *)p : *(const uint32_t *)p;
            json_object *want = sm->n_parts > 1 ? json_object_array_get_idx(vj, k) : vj;
            if (!want || json_object_get_uint64(want) != got) {
                snprintf(buf, sizeof buf, "%s = %llu, OS-Ken %s", sm->name, (unsigned long long)got,
                         json_object_to_json_string(vj));
                return mismatch(cls, name, buf);
            }
        }
    }
    if (seen != st->present) {
        snprintf(buf, sizeof buf, "present 0x%x, OS-Ken shows 0x%x", st->present, seen);
        return mismatch(cls, name, buf);
    }
    return 0;
}

static int compare_field(const struct ofp_tlayout *l, const struct ofp_field *f, const struct ofp_tfield *tf,
                         const void *s, json_object *body)
{
    const uint8_t *m = (const uint8_t *)s + tf->off;
    size_t n = tf->n_off && tf->kind != TK_NAT ? *(const size_t *)((const uint8_t *)s + tf->n_off) : 0;
    const char *cls = l->desc->cls;
    json_object *j;
    if (tf->kind == TK_CONTROLLER2) /* OS-Ken shows each property as a key of the action */
        return compare_controller2(l->desc->cls, (const void *)m, body);
    if (tf->kind == TK_NAT) /* OS-Ken shows the ranges, not the bits that announce them */
        return compare_nat(l->desc->cls, *(const uint16_t *)m, (const uint8_t *)s + tf->n_off, body);
    if (!json_object_object_get_ex(body, f->name, &j)) {
        if (tf->kind == TK_RAW) /* a part OS-Ken shows under another name, or not at all */
            return 0;
        return mismatch(cls, f->name, "OS-Ken's JSON has no such key");
    }
    char buf[64];
    checked_members++;
    if (tf->kind == TK_UINT && json_object_is_type(j, json_type_null) && !strcmp(f->name, "code")) {
        /* an experimenter error: OS-Ken shows the code as exp_type, and
         * data after the experimenter id that ken's data starts with */
        json_object_object_get_ex(body, "exp_type", &j);
    }
    if (tf->kind == TK_DATA && json_object_object_get_ex(body, "experimenter", NULL) &&
        json_object_object_get_ex(body, "exp_type", NULL) && !strcmp(cls, "OFPErrorMsg"))
        return 0;
    if (tf->kind == TK_DATA && f->kind == FK_CUSTOM && f->sub == &ofp_text_rest) { /* text: as OS-Ken shows it */
        json_object *text = ofp_json_text(*(const uint8_t *const *)m, n);
        int bad = strcmp(json_object_get_string(text), json_object_get_string(j));
        json_object_put(text);
        return bad ? mismatch(cls, f->name, "other text") : 0;
    }
    if (tf->kind == TK_DATA && json_object_is_type(j, json_type_array)) { /* a Nicira note: its bytes as numbers */
        const uint8_t *p = *(const uint8_t *const *)m;
        if (list_len(j) != (int)n)
            return mismatch(cls, f->name, "another number of bytes");
        for (size_t i = 0; i < n; i++)
            if (json_object_get_int(json_object_array_get_idx(j, i)) != p[i])
                return mismatch(cls, f->name, "another byte");
        return 0;
    }
    if (tf->kind == TK_DATA && !json_object_is_type(j, json_type_string))
        return 0; /* OS-Ken shows a packet it could parse as the packet library's JSON */
    switch (tf->kind) {
    case TK_UINT: {
        uint64_t v = tf->csize == 1 ? *m : tf->csize == 2 ? *(const uint16_t *)m : tf->csize == 4 ? *(const uint32_t *)m
                                                                                                  : *(const uint64_t *)m;
        if (!json_object_is_type(j, json_type_int) || json_object_get_uint64(j) != v) {
            snprintf(buf, sizeof buf, "%llu, OS-Ken %s", (unsigned long long)v, json_object_to_json_string(j));
            return mismatch(cls, f->name, buf);
        }
        return 0;
    }
    case TK_MAC: {
        char mac[18], want[18];
        ofp_fmt_mac(mac, m);
        snprintf(want, sizeof want, "%s", json_object_get_string(j));
        for (char *c = want; *c; c++) /* OS-Ken writes 1.2's port-mod address with '-' */
            *c = *c == '-' ? ':' : *c;
        return strcmp(mac, want) ? mismatch(cls, f->name, mac) : 0;
    }
    case TK_STR:
        /* names with bytes that are not UTF-8 show as escapes in JSON */
        return strcmp((const char *)m, json_object_get_string(j)) && !strchr(json_object_get_string(j), '\\')
                   ? mismatch(cls, f->name, (const char *)m)
                   : 0;
    case TK_DATA: {
        json_object *b64 = ofp_json_base64(*(const uint8_t *const *)m, n);
        int bad = strcmp(json_object_get_string(b64), json_object_get_string(j));
        json_object_put(b64);
        return bad ? mismatch(cls, f->name, "other bytes") : 0;
    }
    case TK_MATCH: {
        const struct ken_match *match = (const void *)m;
        json_object *fields;
        json_object *mj = unwrapped(j);
        if (json_object_object_get_ex(mj, "oxm_fields", &fields) && list_len(fields) != match->n) {
            snprintf(buf, sizeof buf, "%u match fields, OS-Ken %d", match->n, list_len(fields));
            return mismatch(cls, f->name, buf);
        }
        return 0;
    }
    case TK_INSTRUCTIONS:
    case TK_ACTIONS:
    case TK_PORTS:
        if (list_len(j) != (int)n) {
            snprintf(buf, sizeof buf, "%zu entries, OS-Ken %d", n, list_len(j));
            return mismatch(cls, f->name, buf);
        }
        if (tf->kind == TK_ACTIONS)
            return compare_actions(cls, f->name, *(const struct ken_action *const *)m, n, j);
        if (tf->kind == TK_INSTRUCTIONS) {
            const struct ken_instruction *in = *(const struct ken_instruction *const *)m;
            int bad = 0;
            for (size_t i = 0; i < n; i++) {
                json_object *ij = unwrapped(json_object_array_get_idx(j, i)), *aj;
                if (in[i].n_actions && json_object_object_get_ex(ij, "actions", &aj)) {
                    if (list_len(aj) != (int)in[i].n_actions)
                        bad |= mismatch(cls, "instructions.actions", "another number of actions");
                    else
                        bad |= compare_actions(cls, "instructions.actions", in[i].actions, in[i].n_actions, aj);
                }
            }
            return bad;
        }
        return 0;
    case TK_NX_U16S: { /* a Nicira action's 16-bit ids */
        const uint16_t *ids = *(const uint16_t *const *)m;
        if (list_len(j) != (int)n)
            return mismatch(cls, f->name, "another number of ids");
        for (size_t i = 0; i < n; i++)
            if (json_object_get_int(json_object_array_get_idx(j, i)) != ids[i])
                return mismatch(cls, f->name, "another id");
        return 0;
    }
    case TK_OXM_LIST: { /* each field's name, value and mask as OS-Ken shows them */
        const struct ken_match *match = (const void *)m;
        json_object *tlv = unwrapped(j), *fname = NULL;
        if (json_object_is_type(tlv, json_type_object) && json_object_object_get_ex(tlv, "field", &fname)) {
            /* a set-field's one field, as an OXMTlv */
            json_object *value = NULL, *mask = NULL;
            size_t it = 0;
            struct ken_match_field fd;
            const uint8_t *v = ken_match_next(match, &it, &fd);
            json_object_object_get_ex(tlv, "value", &value);
            json_object_object_get_ex(tlv, "mask", &mask);
            if (match->n != 1 || !v)
                return mismatch(cls, f->name, "not one field");
            oxm_values++;
            return compare_oxm_value(cls, f->name, &fd, v, fname, value, mask);
        }
        if (!json_object_is_type(j, json_type_array)) { /* reg_load2: one field, as the action's dst, value, mask */
            json_object *dst = NULL, *mask = NULL;
            size_t it = 0;
            struct ken_match_field fd;
            const uint8_t *v = ken_match_next(match, &it, &fd);
            json_object_object_get_ex(body, "dst", &dst);
            json_object_object_get_ex(body, "mask", &mask);
            if (match->n != 1 || !v)
                return mismatch(cls, f->name, "not one field");
            oxm_values++;
            return compare_oxm_value(cls, f->name, &fd, v, dst, j, mask);
        }
        if (list_len(j) != match->n) {
            snprintf(buf, sizeof buf, "%u fields, OS-Ken %d", match->n, list_len(j));
            return mismatch(cls, f->name, buf);
        }
        size_t it = 0;
        struct ken_match_field fd;
        const uint8_t *v;
        int bad = 0;
        for (int i = 0; (v = ken_match_next(match, &it, &fd)); i++) {
            json_object *fj = unwrapped(json_object_array_get_idx(j, i)), *name, *value, *mask;
            json_object_object_get_ex(fj, "field", &name);
            json_object_object_get_ex(fj, "value", &value);
            json_object_object_get_ex(fj, "mask", &mask);
            bad |= compare_oxm_value(cls, f->name, &fd, v, name, value, mask);
            oxm_values++;
        }
        return bad;
    }
    case TK_LEARN_SPECS: { /* each spec's class, n_bits, source and destination as OS-Ken shows them */
        static const char *const spec_cls[] = {"NXFlowSpecMatch", "NXFlowSpecLoad", "NXFlowSpecOutput"};
        const struct ken_nx_learn_spec *sp = *(const struct ken_nx_learn_spec *const *)m;
        if (list_len(j) != (int)n) {
            snprintf(buf, sizeof buf, "%zu specs, OS-Ken %d", n, list_len(j));
            return mismatch(cls, f->name, buf);
        }
        int bad = 0;
        for (size_t i = 0; i < n; i++) {
            const char *want = NULL;
            json_object *sj = ofp_unwrap(json_object_array_get_idx(j, i), &want), *nb, *src, *dst;
            if (!want || sp[i].dst_type > 2 || strcmp(want, spec_cls[sp[i].dst_type]) ||
                !json_object_object_get_ex(sj, "n_bits", &nb) || json_object_get_int(nb) != sp[i].n_bits ||
                !json_object_object_get_ex(sj, "src", &src) || !json_object_object_get_ex(sj, "dst", &dst)) {
                bad |= mismatch(cls, f->name, "another spec class or n_bits");
                continue;
            }
            if (sp[i].src_value) {
                size_t k = ((size_t)sp[i].n_bits + 15) / 16 * 2;
                uint64_t v = 0;
                for (size_t b = 0; b < k; b++)
                    v = v << 8 | sp[i].src_value[b];
                if (k <= 8 && (!json_object_is_type(src, json_type_int) || json_object_get_uint64(src) != v))
                    bad |= mismatch(cls, f->name, "another immediate source");
            } else {
                bad |= compare_subfield(cls, f->name, sp[i].src_field, sp[i].src_ofs, src);
            }
            if (sp[i].dst_type != KEN_NX_LEARN_OUTPUT)
                bad |= compare_subfield(cls, f->name, sp[i].dst_field, sp[i].dst_ofs, dst);
            learn_specs++;
        }
        return bad;
    }
    case TK_NXM: { /* the header names the field OS-Ken names; 0: OS-Ken's 0 or "" */
        uint32_t h = *(const uint32_t *)m;
        if (!h)
            return (json_object_is_type(j, json_type_int) && json_object_get_int64(j) == 0) ||
                           (json_object_is_type(j, json_type_string) && !json_object_get_string_len(j))
                       ? 0
                       : mismatch(cls, f->name, "no field where OS-Ken has one");
        uint8_t wire[4] = {(uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h};
        struct ofp_oxm_info info;
        size_t used;
        if (ofp_oxm_from_header(wire, sizeof wire, l->version ? l->version : cur_version, &info, &used) ||
            strcmp(info.name, json_object_get_string(j))) {
            snprintf(buf, sizeof buf, "header 0x%08x, OS-Ken %s", h, json_object_to_json_string(j));
            return mismatch(cls, f->name, buf);
        }
        return 0;
    }
    case TK_PORT: {
        const struct ken_port *p = (const void *)m;
        json_object *pj = unwrapped(j), *no;
        if (!json_object_object_get_ex(pj, "port_no", &no) || json_object_get_uint64(no) != p->port_no)
            return mismatch(cls, f->name, "port_no");
        return 0;
    }
    case TK_OBJ: {
        const struct ofp_tlayout *sl = NULL;
        for (size_t i = 0; i < tf->sub->n_layouts; i++)
            if (tf->sub->layouts[i].desc == f->sub)
                sl = &tf->sub->layouts[i];
        if (json_object_is_type(j, json_type_array)) /* 1.0's list of one */
            j = json_object_array_get_idx(j, 0);
        return sl ? compare_struct(sl, m, unwrapped(j)) : mismatch(cls, f->name, "no layout");
    }
    case TK_TLVS: /* property lists; hello elements and flow updates: each its class and struct */
    case TK_HELLO_ELEMS:
    case TK_UPDATES: {
        if (list_len(j) != (int)n) {
            snprintf(buf, sizeof buf, "%zu entries, OS-Ken %d", n, list_len(j));
            return mismatch(cls, f->name, buf);
        }
        const struct ken_ofp_tlv *items = *(const struct ken_ofp_tlv *const *)m;
        int bad = 0;
        for (size_t i = 0; i < n; i++) {
            const char *want = NULL;
            json_object *ej = ofp_unwrap(json_object_array_get_idx(j, i), &want);
            const char *got = ken_ofp_class_name((enum ken_ofp_class)items[i].cls);
            if (!items[i].msg) { /* no struct: OS-Ken shows it as an unknown property */
                if (tf->kind != TK_TLVS || strcmp(want ? want : "", "OFPPropUnknown"))
                    bad |= mismatch(cls, f->name, "an entry without a struct that OS-Ken knows");
                continue;
            }
            if (!got || !want || strcmp(got, want)) {
                bad |= mismatch(cls, f->name, got ? got : "no class");
                continue;
            }
            if (tf->kind != TK_TLVS) { /* a structure's class: one layout */
                bad |= compare_struct(&ofp_tclasses[items[i].cls]->layouts[0], items[i].msg, ej);
                continue;
            }
            for (size_t k = 0; k < ofp_n_tlv_layouts; k++)
                if (ofp_tlv_layouts[k].tc->id == items[i].cls) {
                    bad |= compare_struct(ofp_tlv_layouts[k].l, items[i].msg, ej);
                    break;
                }
        }
        return bad;
    }
    case TK_LIST: {
        if (list_len(j) != (int)n) {
            snprintf(buf, sizeof buf, "%zu entries, OS-Ken %d", n, list_len(j));
            return mismatch(cls, f->name, buf);
        }
        const struct ofp_tlayout *sl = NULL;
        for (size_t i = 0; i < tf->sub->n_layouts; i++)
            if (tf->sub->layouts[i].desc == f->sub)
                sl = &tf->sub->layouts[i];
        if (!sl)
            return mismatch(cls, f->name, "no layout");
        const uint8_t *items = *(const uint8_t *const *)m;
        int bad = 0;
        for (size_t i = 0; i < n; i++)
            bad |= compare_struct(sl, items + i * tf->sub->size, unwrapped(json_object_array_get_idx(j, i)));
        return bad;
    }
    case TK_STATS:
        return compare_stats(cls, f->name, (const struct ken_ofp_stats *)m, j);
    case TK_OXM_IDS: { /* each id's has-mask bit and length as OS-Ken shows them */
        if (list_len(j) != (int)n) {
            snprintf(buf, sizeof buf, "%zu ids, OS-Ken %d", n, list_len(j));
            return mismatch(cls, f->name, buf);
        }
        const struct ken_ofp_oxm_id *ids = *(const struct ken_ofp_oxm_id *const *)m;
        for (size_t i = 0; i < n; i++) {
            json_object *ij = unwrapped(json_object_array_get_idx(j, i)), *hm, *len;
            if (!json_object_object_get_ex(ij, "hasmask", &hm) || !json_object_object_get_ex(ij, "length", &len) ||
                json_object_get_boolean(hm) != !!(ids[i].header & 0x100) ||
                json_object_get_uint64(len) != (ids[i].header & 0xff)) {
                snprintf(buf, sizeof buf, "id %zu: header 0x%08x, OS-Ken %s", i, ids[i].header,
                         json_object_to_json_string(ij));
                return mismatch(cls, f->name, buf);
            }
        }
        return 0;
    }
    case TK_NESTED: { /* a message inside: its class, and its struct member by member */
        const struct ken_ofp_tlv *item = (const void *)m;
        const char *want = NULL;
        json_object *ej = ofp_unwrap(j, &want);
        const char *got = ken_ofp_class_name((enum ken_ofp_class)item->cls);
        const struct ofp_tlayout *il = message_layout(item->raw.data, item->raw.len);
        if (!item->msg || !got || !want || !il)
            return mismatch(cls, f->name, "an inner message without a struct");
        if (strcmp(got, want))
            return mismatch(cls, f->name, got);
        return compare_struct(il, item->msg, ej);
    }
    case TK_VERSIONS: { /* a version bitmap: the versions OS-Ken lists */
        if (list_len(j) != (int)n) {
            snprintf(buf, sizeof buf, "%zu versions, OS-Ken %d", n, list_len(j));
            return mismatch(cls, f->name, buf);
        }
        const uint32_t *vs = *(const uint32_t *const *)m;
        for (size_t i = 0; i < n; i++)
            if (json_object_get_uint64(json_object_array_get_idx(j, (int)i)) != vs[i])
                return mismatch(cls, f->name, "another version");
        return 0;
    }
    default:
        return 0;
    }
}

/* OS-Ken's JSON of one OXM value (or mask) of len bytes: an integer, or
 * an address as text; false for a form this check does not read. */
static bool same_oxm_bytes(const uint8_t *p, unsigned len, json_object *j, bool *known)
{
    *known = true;
    if (json_object_is_type(j, json_type_int) && len <= 8) {
        uint64_t v = 0;
        for (unsigned i = 0; i < len; i++)
            v = v << 8 | p[i];
        return json_object_get_uint64(j) == v;
    }
    char text[48];
    if (json_object_is_type(j, json_type_string) && len == 6) {
        ofp_fmt_mac(text, p);
        return !strcmp(text, json_object_get_string(j));
    }
    if (json_object_is_type(j, json_type_string) && len == 4) {
        snprintf(text, sizeof text, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
        return !strcmp(text, json_object_get_string(j));
    }
    *known = false;
    return true;
}

static int compare_oxm_value(const char *cls, const char *name, const struct ken_match_field *fd, const uint8_t *v,
                             json_object *fname, json_object *value, json_object *mask)
{
    uint32_t h = fd->id | (fd->masked ? 0x100u : 0) | (uint32_t)(fd->len * (fd->masked ? 2 : 1) + (fd->exp ? 4 : 0));
    /* the header as on the wire; an experimenter field's value may start
     * with the old EXT-256 form's exp_type (ONF's pbb_uca in 1.3), part of
     * its header */
    uint8_t wire[10] = {(uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h,
                        (uint8_t)(fd->exp >> 24), (uint8_t)(fd->exp >> 16), (uint8_t)(fd->exp >> 8), (uint8_t)fd->exp};
    size_t have = fd->exp ? 8 : 4, extra = fd->exp && fd->len >= 2 ? 2 : 0;
    memcpy(wire + have, v, extra);
    struct ofp_oxm_info info;
    size_t used;
    char buf[96];
    bool known;
    if (ofp_oxm_from_header(wire, have + extra, cur_version, &info, &used) || !fname ||
        strcmp(info.name, json_object_get_string(fname))) {
        snprintf(buf, sizeof buf, "field 0x%08x, OS-Ken %s", h, fname ? json_object_get_string(fname) : "none");
        return mismatch(cls, name, buf);
    }
    size_t skip = used > have ? used - have : 0; /* the exp_type, when the header took it */
    if (!value || !same_oxm_bytes(v + skip, fd->len - skip, value, &known))
        return mismatch(cls, name, "another value");
    if (fd->masked ? !mask || !same_oxm_bytes(v + fd->len + skip, fd->len - skip, mask, &known)
                   : mask && !json_object_is_type(mask, json_type_null))
        return mismatch(cls, name, "another mask");
    return 0;
}

/* controller2's properties against OS-Ken's keys: each present one its
 * value, the others absent. */
static int compare_controller2(const char *cls, const struct ken_nx_controller2 *c2, json_object *body)
{
    static const char *const names[] = {"max_len", "controller_id", "reason", "userdata", "pause"};
    int bad = 0;
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        json_object *j = NULL;
        bool shown = json_object_object_get_ex(body, names[i], &j) && !json_object_is_type(j, json_type_null);
        checked_members++;
        c2_members++;
        if (!(c2->present & 1u << i)) {
            if (shown)
                bad |= mismatch(cls, names[i], "absent, OS-Ken shows it");
            continue;
        }
        bool same = shown;
        if (same && i == KEN_NX_C2_USERDATA) {
            same = list_len(j) == (int)c2->userdata_len;
            for (size_t k = 0; same && k < c2->userdata_len; k++)
                same = json_object_get_int(json_object_array_get_idx(j, k)) == c2->userdata[k];
        } else if (same && i != KEN_NX_C2_PAUSE) {
            unsigned v = i == KEN_NX_C2_MAX_LEN ? c2->max_len : i == KEN_NX_C2_REASON ? c2->reason : c2->controller_id;
            same = json_object_get_int(j) == (int)v;
        }
        if (!same)
            bad |= mismatch(cls, names[i], "another value");
    }
    return bad;
}

/* NAT's ranges against OS-Ken's range_* keys: an announced one its value
 * (an address as text, a port as a number), another "" or null. */
extern const struct ofp_desc nx_nat_ranges;
static int compare_nat(const char *cls, unsigned present, const uint8_t *ranges, json_object *body)
{
    const struct ofp_tclass *tc = NULL;
    const struct ofp_tlayout *l = NULL;
    for (size_t k = 0; k < KEN_OFP_N_CLASSES && !l; k++)
        if (ofp_tclasses[k] && ofp_tclasses[k]->layouts[0].desc == &nx_nat_ranges)
            l = &(tc = ofp_tclasses[k])->layouts[0];
    if (!l)
        return mismatch(cls, "range", "no typed layout");
    int bad = 0;
    for (size_t i = 0; l->desc->fields[i].kind != FK_END; i++) {
        const struct ofp_field *f = &l->desc->fields[i];
        const uint8_t *m = ranges + l->tf[i].off;
        json_object *j = NULL;
        json_object_object_get_ex(body, f->name, &j);
        char text[INET6_ADDRSTRLEN] = "";
        checked_members++;
        nat_members++;
        if (!(present & 1u << i)) {
            if (j && !json_object_is_type(j, json_type_null) && json_object_get_string_len(j))
                bad |= mismatch(cls, f->name, "absent, OS-Ken shows one");
            continue;
        }
        if (f->kind == FK_IPV4) {
            uint32_t v = *(const uint32_t *)m;
            snprintf(text, sizeof text, "%u.%u.%u.%u", v >> 24, v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff);
        } else if (f->kind == FK_IPV6) {
            const struct ken_ofp_raw *r = (const void *)m;
            if (r->len != 16 || !inet_ntop(AF_INET6, r->data, text, sizeof text))
                text[0] = 0;
        } else {
            snprintf(text, sizeof text, "%u", *(const uint16_t *)m);
        }
        if (!j || strcmp(text, json_object_get_string(j)))
            bad |= mismatch(cls, f->name, text);
    }
    return bad;
}

/* A learn spec's subfield against OS-Ken's [name, offset]. */
static int compare_subfield(const char *cls, const char *name, uint32_t h, uint16_t ofs, json_object *j)
{
    uint8_t wire[4] = {(uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h};
    struct ofp_oxm_info info;
    size_t used;
    if (!json_object_is_type(j, json_type_array) || json_object_array_length(j) != 2 ||
        ofp_oxm_from_header(wire, sizeof wire, cur_version, &info, &used) ||
        strcmp(info.name, json_object_get_string(json_object_array_get_idx(j, 0))) ||
        json_object_get_int(json_object_array_get_idx(j, 1)) != ofs) {
        char buf[96];
        snprintf(buf, sizeof buf, "subfield 0x%08x/%u, OS-Ken %s", h, ofs, json_object_to_json_string(j));
        return mismatch(cls, name, buf);
    }
    return 0;
}

/* Whether ken has a typed action class of this name (OS-Ken's). */
static bool typed_action_class(const char *name)
{
    for (size_t k = 0; name && k < ofp_n_tlv_layouts; k++)
        if (!strcmp(ofp_tlv_layouts[k].tc->cls, name))
            return true;
    return false;
}

/* Each action against OS-Ken's: one ken has a class for and struct
 * ken_action no kind of its own (a 1.2+ output, set-field, push-vlan, ...)
 * is that class's struct (KEN_ACT_TYPED), member by member; only what
 * OS-Ken does not know either (NXActionUnknown, another vendor's or
 * experimenter's) is bytes. */
static int compare_actions(const char *cls, const char *name, const struct ken_action *acts, size_t n, json_object *j)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const char *want = NULL;
        json_object *body = ofp_unwrap(json_object_array_get_idx(j, i), &want);
        const struct ken_action *a = &acts[i];
        if (a->type != KEN_ACT_TYPED) {
            bool unknown = want && (strstr(want, "Unknown") || !strcmp(want, "OFPActionOutput"));
            if (a->type == KEN_ACT_RAW && typed_action_class(want) && !unknown)
                bad |= mismatch(cls, name, want); /* OS-Ken reads it as fields: so must ken */
            continue;
        }
        const char *got = ken_ofp_class_name((enum ken_ofp_class)a->u.typed.cls);
        if (!got || !want || strcmp(got, want)) {
            bad |= mismatch(cls, name, got ? got : "no class");
            continue;
        }
        typed_actions++;
        int before = checked_members;
        for (size_t k = 0; k < ofp_n_tlv_layouts; k++)
            if (ofp_tlv_layouts[k].tc->id == a->u.typed.cls) {
                bad |= compare_struct(ofp_tlv_layouts[k].l, a->u.typed.msg, body);
                break;
            }
        action_members += checked_members - before;
    }
    return bad;
}

static int compare_struct(const struct ofp_tlayout *l, const void *s, json_object *body)
{
    int bad = 0;
    for (size_t i = 0; l->desc->fields[i].kind != FK_END; i++)
        if (l->tf[i].kind != TK_SKIP && l->tf[i].kind != TK_GATE)
            bad |= compare_field(l, &l->desc->fields[i], &l->tf[i], s, body);
    return bad;
}

static int check_file(const char *path, const uint8_t *buf, size_t n, int *typed, int *untyped, int *roundtrips,
                      int *as_base, int *normal_forms)
{
    cur = path;
    cur_version = n ? buf[0] : 0;
    char jpath[8200];
    snprintf(jpath, sizeof jpath, "%s.json", path);
    json_object *expect = json_object_from_file(jpath);
    struct ken_ofp_header h;
    if (ken_ofp_header_parse(buf, n, &h) || h.length != n || !expect) {
        json_object_put(expect);
        return 0; /* not a whole message, or no expected JSON: nothing to hold it to */
    }
    struct ken_arena a = KEN_ARENA_INIT;
    enum ken_ofp_class cls;
    void *msg;
    char why[KEN_WHY_LEN];
    int err = ken_ofp_decode(buf, n, &a, &cls, &msg, why), bad = 0;
    if (err == EPROTONOSUPPORT) {
        (*untyped)++;
    } else if (err) {
        printf("FAIL %s: typed decode: %s: %s\n", path, ken_err_name(err), why);
        bad = 1;
    } else {
        (*typed)++;
        const struct ofp_tclass *tc;
        int32_t mp = (buf[1] == ken_ofproto_get(buf[0])->OFPT_MULTIPART_REQUEST ||
                      buf[1] == ken_ofproto_get(buf[0])->OFPT_MULTIPART_REPLY)
                         ? (int32_t)(buf[8] << 8 | buf[9])
                         : OFP_NO_MP;
        const struct ofp_tlayout *l = ofp_tlayout_find(buf[0], buf[1], mp, &tc);
        const char *want_cls = NULL;
        ofp_unwrap(expect, &want_cls);
        /* OS-Ken reads some experimenter messages as their own classes
         * (ONF flow monitor, Nicira): ken types them as the base class,
         * whose members OS-Ken's JSON does not show */
        if (want_cls && (!strcmp(want_cls, tc->cls) || !strcmp(want_cls, "OFPStatsReply") ||
                         !strcmp(want_cls, "OFPStatsRequest")))
            bad |= compare_struct(l, msg, unwrapped(expect));
        else
            (*as_base)++;
        struct ken_buf out = KEN_BUF_INIT;
        uint32_t xid = (uint32_t)buf[4] << 24 | (uint32_t)buf[5] << 16 | (uint32_t)buf[6] << 8 | buf[7];
        err = ken_ofp_encode(&out, buf[0], xid, cls, msg, why);
        if (err == EPROTONOSUPPORT && strstr(why, "ports")) {
            /* ports are decoded, not encoded: the controller never sends them */
        } else if (err) {
            printf("FAIL %s: typed encode: %s: %s\n", path, ken_err_name(err), why);
            bad = 1;
        } else if (out.len != n || memcmp(out.data, buf, n)) {
            json_object *want = NULL, *got = NULL;
            char why2[KEN_WHY_LEN];
            bool same = !ken_ofp_to_json(buf, n, &want, why) && !ken_ofp_to_json(out.data, out.len, &got, why2);
            if (same) {
                ofp_normal_form(want);
                ofp_normal_form(got);
                same = json_object_equal(want, got);
            }
            json_object_put(want);
            json_object_put(got);
            if (same) {
                (*normal_forms)++;
            } else {
                size_t i = 0;
                while (i < n && i < out.len && out.data[i] == buf[i])
                    i++;
                printf("FAIL %s: typed encode(decode) differs at byte %zu (%zu vs %zu bytes)\n", path, i, out.len,
                       n);
                bad = 1;
            }
        } else {
            (*roundtrips)++;
        }
        ken_buf_free(&out);
    }
    ken_arena_free(&a);
    json_object_put(expect);
    return bad;
}

struct tally {
    int typed, untyped, roundtrips, as_base, normal_forms;
};

static int check_one(const char *path, const uint8_t *bytes, size_t n, void *arg)
{
    struct tally *t = arg;
    return check_file(path, bytes, n, &t->typed, &t->untyped, &t->roundtrips, &t->as_base, &t->normal_forms);
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : "../shared/conformance/ofp";
    struct tally t = {0};
    int total;
    int failed = corpus_each(root, check_one, &t, &total);
    if (failed < 0) {
        printf("SKIP: %s not found: the shared OpenFlow corpus is absent\n", root);
        return 77;
    }
    printf("typed: %d messages, %d typed (%d members checked against OS-Ken, %d of them in %d typed (Nicira, 1.0 and 1.2+) "
           "actions with %d learn specs, %d NAT ranges and %d controller2 properties, %d OXM values, %d as a base class OS-Ken subclasses, %d encoded back to the same bytes, %d to bytes of the "
           "same meaning), %d without a typed layout yet, %d failed\n",
           total, t.typed, checked_members, action_members, typed_actions, learn_specs, nat_members, c2_members, oxm_values,
           t.as_base, t.roundtrips, t.normal_forms,
           t.untyped, failed);
    return failed || t.typed == 0 ? 1 : 0;
}
