/* What the ofctl modules of OpenFlow 1.2 to 1.5 share (Ryu's
 * ofctl_utils.py): Python's int(str(x), 0), the reserved names of
 * OFCtlUtil in both directions, the match and action conversions, base64,
 * and the requests every version builds the same way.
 *
 * Conventions: a function returning enum ofctl_status fills why on
 * failure and leaves its outputs untouched (nothing to free). Where Ryu
 * would fail later (struct.error when a message is packed, an address
 * netaddr refuses), these fail with OFCTL_BAD_REQUEST: the client gets 400
 * where Ryu gives 500, and nothing half-built is sent (between
 * ofctl_defer_begin/end such packing-time failures are noted and read as
 * 0 instead, so that a later 501 wins as in Ryu). Where Ryu raises
 * AttributeError (a body of the wrong JSON type, an action the version
 * lacks) they give OFCTL_UNSUPPORTED, Ryu's 501.
 *
 * "version" is always the wire version (KEN_OFP12 ... KEN_OFP15). */
#ifndef KEN_REST_OFCTL_UTIL_H
#define KEN_REST_OFCTL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofctl.h"

struct json_object;

/* ---- Python's int(str(x), 0) ---------------------------------------- */

/* A whole number as Python would hold it: sign and magnitude, with big
 * set when the magnitude does not fit 64 bits (mag then holds its low 64
 * bits, which is all an OXM field of up to 64 bits keeps of it). */
struct ofctl_int {
    uint64_t mag;
    bool neg;
    bool big;
};

/* int(s, 0) on the len bytes at s: optional whitespace and sign, 0x/0o/0b
 * prefixes, underscores between digits, no leading zeros on a decimal
 * other than zero. False where Python raises ValueError. */
bool ofctl_parse_int_text(const char *s, size_t len, struct ofctl_int *out);
/* int(s, 0) (base0) or int(s) (decimal only, leading zeros allowed). */
bool ofctl_parse_py_int(const char *s, size_t len, bool base0, struct ofctl_int *out);
/* int(str(v), 0) for a JSON value: a JSON integer is itself; a string is
 * parsed as above; null, booleans, doubles, arrays and objects print as
 * no integer in Python (str(None) == "None"), so are false. */
bool ofctl_parse_int(struct json_object *v, struct ofctl_int *out);
/* ofctl_parse_int for a field of the wire message of 0..max; what names
 * the field in why. */
enum ofctl_status ofctl_to_uint(struct json_object *v, uint64_t max, const char *what, uint64_t *out,
                                char why[KEN_WHY_LEN]);
/* obj.get(key, dflt) then ofctl_to_uint: a key present with JSON null is
 * Python's None (no number), not the default. obj NULL: the default. */
enum ofctl_status ofctl_get_uint(struct json_object *obj, const char *key, uint64_t dflt, uint64_t max,
                                 uint64_t *out, char why[KEN_WHY_LEN]);
/* The JSON of a number (int64 when negative, uint64 otherwise); NULL when
 * big (the caller refuses). */
struct json_object *ofctl_int_json(const struct ofctl_int *v);

/* dict.get(key) of a JSON object: *found says whether the key is there
 * (its value may be NULL, JSON null). obj need not be an object. */
struct json_object *ofctl_get(struct json_object *obj, const char *key, bool *found);

/* ---- OFCtlUtil's reserved names -------------------------------------- */

/* The name sets of OFCtlUtil, each an ofproto prefix. */
enum ofctl_names {
    OFCTL_NAMES_PORT,              /* OFPP_ */
    OFCTL_NAMES_TABLE,             /* OFPTT_ */
    OFCTL_NAMES_GROUP,             /* OFPG_ */
    OFCTL_NAMES_METER,             /* OFPM_ */
    OFCTL_NAMES_QUEUE,             /* OFPQ_ */
    OFCTL_NAMES_CML,               /* OFPCML_ */
    OFCTL_NAMES_ROLE,              /* OFPCR_ROLE_ */
    OFCTL_NAMES_ACTION_TYPE,       /* OFPAT_ */
    OFCTL_NAMES_INSTRUCTION_TYPE,  /* OFPIT_ */
    OFCTL_NAMES_GROUP_TYPE,        /* OFPGT_ */
    OFCTL_NAMES_METER_BAND_TYPE,   /* OFPMBT_ */
    OFCTL_NAMES_TABLE_FEATURE_PROP_TYPE, /* OFPTFPT_ (without the deprecated aliases) */
    OFCTL_NAMES_METER_FLAGS,       /* OFPMF_ */
    OFCTL_NAMES_PORT_FEATURES,     /* OFPPF_ */
    OFCTL_NAMES_PORT_MOD_PROP_TYPE,   /* OFPPMPT_ */
    OFCTL_NAMES_PORT_DESC_PROP_TYPE,  /* OFPPDPT_ */
    OFCTL_NAMES_PORT_STATS_PROP_TYPE, /* OFPPSPT_ */
    OFCTL_NAMES_QUEUE_DESC_PROP_TYPE, /* OFPQDPT_ */
    OFCTL_NAMES_QUEUE_STATS_PROP_TYPE, /* OFPQSPT_ */
    OFCTL_NAMES_GROUP_CAPABILITIES,   /* OFPGFC_ */
    OFCTL_NAMES_BUCKET_PROP_TYPE,     /* OFPGBPT_ */
    OFCTL_NAMES_N
};

/* _reserved_num_to_user: the name (prefix dropped) that the version's
 * ofproto defines first for value, NULL when none. */
const char *ofctl_name_of(uint8_t version, enum ofctl_names set, uint64_t value);
/* The same as JSON: the name as a string, else the number itself. v is a
 * value from a decoded reply; one that is no integer is copied as it is. */
struct json_object *ofctl_to_user(uint8_t version, enum ofctl_names set, struct json_object *v);
struct json_object *ofctl_to_user_u(uint8_t version, enum ofctl_names set, uint64_t value);
/* _reserved_num_from_user: a number (int(str(v), 0)), else a name with or
 * without the prefix ("ANY", "any", "OFPP_ANY"), within 0..max. */
enum ofctl_status ofctl_from_user(uint8_t version, enum ofctl_names set, struct json_object *v, uint64_t max,
                                  const char *what, uint64_t *out, char why[KEN_WHY_LEN]);
/* obj.get(key, dflt) then ofctl_from_user (JSON null present: refused). */
enum ofctl_status ofctl_get_from_user(uint8_t version, enum ofctl_names set, struct json_object *obj,
                                      const char *key, uint64_t dflt, uint64_t max, uint64_t *out,
                                      char why[KEN_WHY_LEN]);
/* ofp_buffer_from_user: "OFP_NO_BUFFER"/"NO_BUFFER" or a JSON integer
 * (Ryu does not parse strings here). */
enum ofctl_status ofctl_buffer_from_user(struct json_object *v, uint64_t *out, char why[KEN_WHY_LEN]);

/* ---- matches --------------------------------------------------------- */

/* to_match: Ryu's match object (field names old and new, its string forms
 * "v/m", "10.0.0.0/24", decimal vlan ids) into OS-Ken's
 * {"OFPMatch": {"oxm_fields": [...]}} with OS-Ken's order and its masking
 * of values; the fields and the old names each version's to_match knows
 * (unknown ones are skipped, as Ryu logs and skips them). attrs NULL: an
 * empty match. A non-object attrs: OFCTL_UNSUPPORTED (AttributeError). */
enum ofctl_status ofctl_to_match(uint8_t version, struct json_object *attrs, struct json_object **match,
                                 char why[KEN_WHY_LEN]);
/* match_to_str: a decoded {"OFPMatch": ...} into Ryu's match object (old
 * names up to 1.3, "v/m" strings, vlan and port forms). */
enum ofctl_status ofctl_match_to_str(uint8_t version, struct json_object *ofpmatch, struct json_object **out,
                                     char why[KEN_WHY_LEN]);

/* ---- actions --------------------------------------------------------- */

/* ofctl_utils.to_action for one action object: *action is the OS-Ken JSON
 * of the action, or NULL (and OFCTL_OK) where Ryu's gives None (an unknown
 * type, METER before 1.5, an unknown data_type): the caller then tries its
 * instructions or skips it. */
enum ofctl_status ofctl_to_action(uint8_t version, struct json_object *dic, struct json_object **action,
                                  char why[KEN_WHY_LEN]);

/* ---- text helpers ---------------------------------------------------- */

/* Python's str() of a decoded JSON value into buf (ints in decimal,
 * strings as they are, None/True/False, floats as repr); false when it
 * does not fit. */
bool ofctl_pystr(struct json_object *v, char *buf, size_t size);
/* Standard base64 of n bytes, NUL-terminated into out (room for
 * 4 * ((n + 2) / 3) + 1); returns the length. */
size_t ofctl_b64encode(const uint8_t *p, size_t n, char *out);
/* Python's base64.b64decode(s) (non-strict: characters outside the
 * alphabet are skipped; padding as binascii checks it). *out is malloc'd
 * (free it), *n its length; false where Python raises binascii.Error. */
bool ofctl_b64decode(const char *s, size_t len, uint8_t **out, size_t *n);

/* ---- requests every version builds the same way ----------------------- */

/* send_experimenter: {"OFPExperimenter": ...} from the body; *msg NULL
 * (and OFCTL_OK) for an unknown data_type, which Ryu logs and sends
 * nothing for. */
enum ofctl_status ofctl_experimenter(struct json_object *body, struct json_object **msg, char why[KEN_WHY_LEN]);
/* set_role: {"OFPRoleRequest": {"role": ..., "generation_id": 0}}. */
enum ofctl_status ofctl_set_role(uint8_t version, struct json_object *body, struct json_object **msg,
                                 char why[KEN_WHY_LEN]);
/* get_role's request (role NOCHANGE, generation 0) and its answer: each
 * reply's body with the role named. */
struct json_object *ofctl_role_request(void);
enum ofctl_status ofctl_role_answer(uint8_t version, struct json_object *const *replies, size_t n,
                                    struct json_object **out, char why[KEN_WHY_LEN]);

/* The body of a decoded message {"OFPClass": {...}}: the inner object when
 * the class is cls (cls NULL: any class), else NULL. */
struct json_object *ofctl_msg_body(struct json_object *msg, const char *cls);
/* A new {"<cls>": inner} (inner taken over). */
struct json_object *ofctl_msg_new(const char *cls, struct json_object *inner);

/* ---- Ryu's string forms of 1.2 and 1.3 (ofctl_v1_2/ofctl_v1_3) --------- */

/* action_to_str: a decoded action as Ryu's text ("OUTPUT:2",
 * "SET_FIELD: {eth_dst:aa:bb:cc:dd:ee:ff}", the Nicira forms on 1.3).
 * *out is a new JSON string. OFCTL_UNSUPPORTED where Ryu's code raises
 * AttributeError (Nicira actions it has no text for). */
enum ofctl_status ofctl_legacy_action_to_str(uint8_t version, struct json_object *action, struct json_object **out,
                                             char why[KEN_WHY_LEN]);
/* actions_to_str: decoded instructions into Ryu's list of strings (and
 * {"WRITE_ACTIONS": [...]}); *out a new array. */
enum ofctl_status ofctl_legacy_instructions_to_str(uint8_t version, struct json_object *instructions,
                                                   struct json_object **out, char why[KEN_WHY_LEN]);
/* to_actions: Ryu's "actions" list of a flow entry (actions mixed with
 * GOTO_TABLE, WRITE_METADATA, METER (1.3), WRITE_ACTIONS, CLEAR_ACTIONS)
 * into OS-Ken instructions, apply-actions last; *out a new array. acts
 * NULL: none. */
enum ofctl_status ofctl_legacy_to_instructions(uint8_t version, struct json_object *acts, struct json_object **out,
                                               char why[KEN_WHY_LEN]);
/* Iterating a JSON value the way Python's for loop does over a body's
 * list: an array gives its items; an empty object or string gives none;
 * a non-empty object or string gives strings (whose .get is an
 * AttributeError: OFCTL_UNSUPPORTED); anything else is a TypeError
 * (OFCTL_BAD_REQUEST). OFCTL_OK means v is NULL-free to index as an array
 * (*n items, possibly 0). */
enum ofctl_status ofctl_iter_list(struct json_object *v, const char *what, size_t *n, char why[KEN_WHY_LEN]);

/* Address text as netaddr reads it (the forms OS-Ken takes), into bytes. */
bool ofctl_parse_mac(const char *s, size_t len, uint8_t mac[6]);

/* Python's truth of a JSON value (None, {}, [], "", 0, 0.0 and false are
 * false): one definition for every "if not x" of Ryu that ken follows
 * (ofctl_rest's body dpid, the flow filters of every version). */
bool ofctl_py_truthy(struct json_object *v);

/* ---- requests and answers 1.2 and 1.3 share ------------------------------ */

/* The flow filter of get_flow_stats / get_aggregate_flow_stats (Ryu's
 * defaults: all tables, OFPP_ANY, OFPG_ANY, cookie and mask 0, an empty
 * match) as {"<cls>": ...}, cls "OFPFlowStatsRequest" or
 * "OFPAggregateStatsRequest". *priority gets the filter's "priority"
 * (Ryu filters the reply by it; -1: none). body NULL or empty: no filter. */
enum ofctl_status ofctl_legacy_flow_request(uint8_t version, const char *cls, struct json_object *body,
                                            struct json_object **msg, struct ofctl_int *priority,
                                            char why[KEN_WHY_LEN]);
/* get_flow_stats' answer over all reply parts (1.3 adds "flags"). */
enum ofctl_status ofctl_legacy_flow_answer(uint8_t version, struct json_object *body,
                                           struct json_object *const *replies, size_t n, struct json_object **out,
                                           char why[KEN_WHY_LEN]);
/* mod_flow_entry, mod_group_entry, mod_port_behavior. */
enum ofctl_status ofctl_legacy_flow_mod(uint8_t version, struct json_object *body, int command,
                                        struct json_object **msg, char why[KEN_WHY_LEN]);
enum ofctl_status ofctl_legacy_group_mod(uint8_t version, struct json_object *body, int command,
                                         struct json_object **msg, char why[KEN_WHY_LEN]);
enum ofctl_status ofctl_legacy_port_mod(uint8_t version, struct json_object *body,
                                        const struct ken_ofp_port_defaults *defaults, struct json_object **msg,
                                        char why[KEN_WHY_LEN]);
/* get_queue_config, get_group_features and get_group_desc answers. */
enum ofctl_status ofctl_legacy_queue_config_answer(uint8_t version, struct json_object *const *replies, size_t n,
                                                   struct json_object **out, char why[KEN_WHY_LEN]);
enum ofctl_status ofctl_legacy_group_features_answer(uint8_t version, struct json_object *const *replies, size_t n,
                                                     struct json_object **out, char why[KEN_WHY_LEN]);
enum ofctl_status ofctl_legacy_group_desc_answer(uint8_t version, struct json_object *const *replies, size_t n,
                                                 struct json_object **out, char why[KEN_WHY_LEN]);
/* The parts of the request building 1.2 and 1.3 share, written once so
 * the two versions cannot drift apart. */
/* A JSON integer for v (json-c holds values above INT64_MAX as uint64). */
struct json_object *ofctl_uint_json(uint64_t v);
/* A stats request {"cls": {"flags": 0, k1: v1, k2: v2}}; k1, k2 NULL: left out. */
struct json_object *ofctl_legacy_stats_request(const char *cls, const char *k1, uint64_t v1, const char *k2,
                                               uint64_t v2);
/* A path part: str_to_int of it, or dflt when the route has none; 400
 * when it is no int literal or not within 0..max. */
enum ofctl_status ofctl_path_int(const char *s, uint64_t dflt, uint64_t max, const char *what, uint64_t *out,
                                 char why[KEN_WHY_LEN]);
/* build() of 1.2 and 1.3: the requests both build alike here, the others
 * (and the refusal of the ones the version lacks) by own. */
enum ofctl_status ofctl_legacy_build(uint8_t version, const struct ofctl_args *args,
                                     enum ofctl_status (*own)(const struct ofctl_args *args, struct json_object **msg,
                                                              char why[KEN_WHY_LEN]),
                                     struct json_object **msgs, size_t max, size_t *n, char why[KEN_WHY_LEN]);

/* The answer plumbing 1.2 and 1.3 share, written once for both. */
/* answer() of 1.2 and 1.3: the answers both give alike here, the others
 * (and the refusal of the ones the version lacks) by own. */
enum ofctl_status ofctl_legacy_answer(uint8_t version, const struct ofctl_args *args,
                                      struct json_object *const *replies, size_t n,
                                      enum ofctl_status (*own)(const struct ofctl_args *args,
                                                               struct json_object *const *replies, size_t n,
                                                               struct json_object **out, char why[KEN_WHY_LEN]),
                                      struct json_object **out, char why[KEN_WHY_LEN]);
/* o's member k, NULL when it has none. */
struct json_object *ofctl_member(struct json_object *o, const char *k);
/* o's member k when it is a whole number >= 0, else 0. */
uint64_t ofctl_member_u(struct json_object *o, const char *k);
/* A list of stats entries being built: each entry gets keys copied as
 * they are and named_key (when not NULL) through the name set names. */
struct ofctl_collect {
    uint8_t version;
    struct json_object *list;
    const char *const *keys;
    const char *named_key;
    enum ofctl_names names;
};
/* Appends stat's entry to c->list (an ofctl_each_stat callback, arg a struct ofctl_collect). */
enum ofctl_status ofctl_plain_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN]);
/* The entries of every reply part as a new list: fn (ofctl_plain_stat
 * when NULL) called with each and a struct ofctl_collect. */
enum ofctl_status ofctl_collect(uint8_t version, struct json_object *const *replies, size_t n,
                                const char *const *keys, const char *named_key, enum ofctl_names names,
                                enum ofctl_status (*fn)(struct json_object *, void *, char *), struct json_object **out,
                                char why[KEN_WHY_LEN]);
/* ofctl_plain_stat plus the list in_key of stat (each item's inner_keys)
 * as out_key; lacks: the reason when an item lacks one. */
enum ofctl_status ofctl_nested_stat(struct json_object *stat, struct ofctl_collect *c, const char *in_key,
                                    const char *out_key, const char *const *inner_keys, const char *lacks,
                                    char why[KEN_WHY_LEN]);
/* get_desc_stats' answer: the last part's description ({} without one);
 * text that is not ASCII is a 400. */
enum ofctl_status ofctl_legacy_desc_answer(struct json_object *const *replies, size_t n, struct json_object **out,
                                           char why[KEN_WHY_LEN]);
/* Each item of every reply part's "body" list (or the body object itself
 * when it is no list), unwrapped from {"OFPClass": ...}: fn is called with
 * it and returns a status. */
enum ofctl_status ofctl_each_stat(struct json_object *const *replies, size_t n,
                                  enum ofctl_status (*fn)(struct json_object *stat, void *arg, char why[KEN_WHY_LEN]),
                                  void *arg, char why[KEN_WHY_LEN]);
/* Copies keys (a NULL-ended list) from src into dst (deep copies); false
 * when one is missing. */
bool ofctl_copy_keys(struct json_object *dst, struct json_object *src, const char *const *keys);

/* ---- Ryu's order of errors ------------------------------------------------
 * Ryu finds some bad values only when the message is packed (an unknown
 * reserved name, a number too wide for its field), after it has read the
 * whole body; a later AttributeError (501) wins over them. Between
 * ofctl_defer_begin and ofctl_defer_end such failures are noted instead of
 * returned (the value reads as 0); ofctl_defer_end(st, why) gives st when
 * it is an error, else the first noted failure (400, its reason in why),
 * else OFCTL_OK. Calls nest; the state is per thread. */
void ofctl_defer_begin(void);
enum ofctl_status ofctl_defer_end(enum ofctl_status st, char why[KEN_WHY_LEN]);
/* ofctl_defer_end for a builder of one message (the closing step every
 * such builder shares): on failure *msg, when built, is freed and NULL. */
enum ofctl_status ofctl_defer_end_msg(enum ofctl_status st, struct json_object **msg, char why[KEN_WHY_LEN]);

/* ---- text fields of replies ------------------------------------------------
 * A decoded reply keeps a text field's wire bytes, UTF-8 or not. */
/* Whether the string's bytes are UTF-8 (Python's strict decode). */
bool ofctl_text_valid(struct json_object *s);
/* bytes.decode('utf-8', errors='replace'): a new string, each maximal
 * ill-formed part U+FFFD. */
struct json_object *ofctl_text_replace(struct json_object *s);

#endif
