"""The typed view of the description: one version-neutral C struct per
OS-Ken class, with the tables the typed codec (src/ofp/typed.c) walks.

Every layout the description gives a class (a message body, a multipart
request or reply, a nested structure) adds its fields to the class's
struct; a field in several layouts is one member, as wide as its widest
wire form. The typed codec walks a layout's field table (the same
struct ofp_desc the JSON codec walks) beside a parallel table that says
where each field lives in the C struct.
"""
import re


class SpecError(Exception):
    pass


# Structures the C codec describes whose typed form is a public hand-made
# struct (ken/ofp_msg.h) rather than a generated one.
MATCH_DESCS = {"ofp_match_desc", "ofp_match10_desc", "ofp_match_head"}
PORT_DESCS = {"of10_phy_port", "ofp_port_12", "ofp_port_14", "ofp_port_15"}
# Irregular parts (custom codecs, TLV families) with a typed form.
SPECIAL = {"ofp_instructions": "instructions", "ofp_actions": "actions", "ofp_of10_actions": "actions",
           "packet_in_data": "data", "ofp_packet_data": "data", "of10_packet": "data", "msg_mac": "mac",
           "of10_ports": "ports", "features_ports": "ports", "ofp_ignore_rest": None,
           # an error's code: for an experimenter error (type 0xffff) its
           # exp_type, and data then starts with the experimenter id
           "error_code": "code16",
           # 1.5's OXS statistics: read into struct ken_ofp_stats
           "flow_removed_stats": "stats", "mp_aggregate_15": "stats",
           # a flow monitor reply's updates: entries of three structures
           "mp_flow_updates": "updates",
           # OXM field ids (table features, port descriptions)
           "ofp_oxm_ids": "oxm_ids",
           # a Nicira learn action's flow-mod specs; a ct action's actions
           # (a list of its version's actions)
           "nx_learn_specs": "learn_specs", "ct_actions": "actions",
           # OXM fields with their values and masks, no match header (1.5's
           # table-features OXM values): a struct ken_match
           "ofp_oxm_list": "oxm_list",
           # Nicira lists of 16-bit ids (dec_ttl_cnt_ids' ids, bundle's
           # slaves), and a note's bytes
           "cnt_ids": "nx_u16s", "slaves": "nx_u16s", "note": "data",
           # reg_load2's one OXM field (OS-Ken's dst, value, mask): a
           # one-field struct ken_match
           "reg_load2": "oxm_list",
           # a set-field action's one OXM field (value and, 1.5, mask): a
           # one-field struct ken_match too; a copy-field action's two OXM
           # ids (src, dst)
           "ofp_oxm_one": "oxm_list", "copy_field_ids": "oxm_ids",
           # NAT's range_present and the ranges it announces; controller2's
           # properties
           "nat": "nat", "controller2": "controller2",
           # text to the end of its structure (a controller-status URI)
           "ofp_text_rest": "text",
           # a hello's elements, and a version bitmap as the versions it names
           "hello_elements": "hello_elems", "hello_versions": "versions"}
STATS_DESCS = {"ofp_stats_desc"}
# Nicira structures with a typed class: NAT's ranges (struct
# ken_ofp_nx_action_nat_ranges, a member of the NAT action's struct).
TYPED_NX_STRUCTS = {"nx_nat_ranges"}
# The Nicira, 1.0 and 1.2+ actions have a typed class each (struct
# ken_action's KEN_ACT_TYPED), but for these: output is KEN_ACT_OUTPUT, and
# an action of a subtype, vendor or experimenter ken does not know stays its
# bytes. (The 1.2+ actions struct ken_action has a kind for, push-vlan,
# group, ..., have a class too, but decode to that kind: fast_msg.c tries
# it first.)
UNTYPED_ACTIONS = {"OFPActionOutput", "NXActionUnknown", "OFPActionVendorUnknown", "OFPActionExperimenterUnknown"}
# Custom codecs that read a list of one described structure (with a quirk
# of their own): typed as that list.
CUSTOM_LISTS = {"mp_meter_features_15": "meter_features_15"}
# Kinds read as a list of one C type: a member pointing at the first and a
# count (n_<member>).
LIST_KINDS = {"hello_elems": "struct ken_ofp_tlv", "tlvs": "struct ken_ofp_tlv", "updates": "struct ken_ofp_tlv",
              "ports": "struct ken_port", "instructions": "struct ken_instruction", "actions": "struct ken_action",
              "oxm_ids": "struct ken_ofp_oxm_id", "nx_u16s": "uint16_t", "learn_specs": "struct ken_nx_learn_spec"}


def snake(cls):
    if cls.startswith("NXAction"):  # NXActionCTClear: nx_action_ct_clear
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", "Nx" + cls[2:]).lower()
    name = cls[3:] if cls.startswith("OFP") else cls
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class Member:
    def __init__(self, name, kind, size=0, sub=None):
        self.name, self.kind, self.size, self.sub = name, kind, size, sub

    def decl(self, typed):
        n = self.name
        k = self.kind
        if k == "uint":
            return [f"uint{8 * self.size}_t {n};"]
        if k == "uints":
            return [f"uint{8 * self.size}_t {n}[{self.count}];"]
        if k == "uintlist":
            return [f"const uint{8 * self.size}_t *{n};", f"size_t n_{n};"]
        if k == "nxm":
            return [f"uint32_t {n}; /* an NXM/OXM field header (KEN_OXM_* | has-mask | length), 0: none */"]
        if k == "mac":
            return [f"uint8_t {n}[6];"]
        if k == "str":
            return [f"char {n}[{self.size + 1}]; /* NUL-terminated */"]
        if k in LIST_KINDS:  # a pointer to the first element and their count
            return [f"const {LIST_KINDS[k]} *{n};", f"size_t n_{n};"]
        if k == "data":
            return [f"const uint8_t *{n}; /* points into the message */", f"size_t {n}_len;"]
        if k == "nested":
            return [f"struct ken_ofp_tlv {n}; /* the inner message: class, struct, bytes */"]
        if k == "versions":
            return [f"const uint32_t *{n}; /* wire version numbers, as OS-Ken lists them */", f"size_t n_{n};"]
        if k == "text":
            return [f"const char *{n}; /* points into the message; not NUL-terminated */", f"size_t {n}_len;"]
        if k == "match":
            return [f"struct ken_match {n};"]
        if k == "oxm_list":
            return [f"struct ken_match {n}; /* the OXM fields with values, as a match's */"]
        if k == "port":
            return [f"struct ken_port {n};"]
        if k == "obj":
            return [f"struct ken_ofp_{typed[self.sub].snake} {n};"]
        if k == "list":
            return [f"const struct ken_ofp_{typed[self.sub].snake} *{n};", f"size_t n_{n};"]
        if k == "raw":
            return [f"struct ken_ofp_raw {n}; /* wire bytes of this version */"]
        if k == "stats":
            return [f"struct ken_ofp_stats {n};"]
        if k == "nat":
            return [f"uint16_t {n}; /* bit i: range's i-th member is on the wire */",
                    "struct ken_ofp_nx_action_nat_ranges range;"]
        if k == "controller2":
            return [f"struct ken_nx_controller2 {n};"]
        raise SpecError(f"no C form for {k}")


class TClass:
    def __init__(self, cls):
        self.cls = cls
        self.snake = snake(cls)
        self.enum = "KEN_OFP_" + self.snake.upper()
        self.layouts = []  # (version, desc_var, fields, type number or None, mp or None)
        self.members = {}
        self.deps = set()
        self.is_msg = False


FAMILIES = set()  # the TLV families the description lays out (set by build)


def field_member(field, struct_classes):
    """The member a wire field fills, or None (pads, lengths, the multipart type)."""
    macro, size, name, sym = field
    if macro in ("F_PAD", "F_LEN", "F_LEN_HIDDEN", "F_JSON_ONLY", "F_DEF", "F_CONST", "F_LENOF", "F_LENOF_HIDDEN", "F_ONLY_IN"):
        return None
    if macro == "F_NXM":
        return Member(name, "nxm", 4)  # a field's NXM/OXM header
    if macro in ("F_U8", "F_U16", "F_U32", "F_U64"):
        return Member(name, "uint", size)
    if macro == "F_IPV4":
        return Member(name, "uint", 4)  # host order
    if macro == "F_IPV6":
        return Member(name, "raw")
    if macro == "F_UINTS" and sym == 0:
        return Member(name, "uintlist", size)  # as many as fill the structure
    if macro == "F_UINTS":
        m = Member(name, "uints", size)
        m.count = sym
        return m
    if macro == "F_NESTED":
        return Member(name, "nested")  # the inner message: its class, struct and bytes
    if macro == "F_MAC":
        return Member(name, "mac")
    if macro == "F_STR":
        return Member(name, "str", size)
    if macro in ("F_DATA", "F_DATA_MIN"):
        return Member(name, "data")
    if macro in ("F_OBJ", "F_OBJ_OPT"):
        if sym in MATCH_DESCS:
            return Member(name, "match")
        if sym in PORT_DESCS:
            return Member(name, "port")
        if sym in STATS_DESCS:
            return Member(name, "stats")
        if sym in struct_classes:
            return Member(name, "obj", sub=struct_classes[sym])
        return Member(name, "raw")
    if macro == "F_LIST":
        if sym in PORT_DESCS:
            return Member(name, "ports")
        if sym in struct_classes:
            return Member(name, "list", sub=struct_classes[sym])
        return Member(name, "raw")
    if macro == "F_PLIST" and sym in FAMILIES and sym not in SPECIAL:
        return Member(name, "tlvs")
    if macro == "F_CUSTOM" and sym in CUSTOM_LISTS:
        return Member(name, "list", sub=struct_classes[CUSTOM_LISTS[sym]])
    if macro in ("F_PLIST", "F_CUSTOM"):
        if sym in SPECIAL and SPECIAL[sym] is None:
            return None  # bytes that mean nothing (a 1.0 hello's tail)
        kind = SPECIAL.get(sym, "raw")
        if kind == "code16":
            return Member(name, "uint", 2)
        return Member(name, kind)
    raise SpecError(f"field {name}: unknown macro {macro}")


def build(spec, desc_vars):
    """desc_vars maps (what, block name, version) -> the generated desc's C
    name (what: body, request, reply, struct)."""
    typed = {}
    struct_classes = {b.name: b.attrs.get("as", b.attrs["class"]) for b in spec.structs}
    FAMILIES.clear()
    FAMILIES.update(b.name for b in spec.families)

    def tclass(cls):
        if cls not in typed:
            typed[cls] = TClass(cls)
        return typed[cls]

    def add(tc, version, var, fields, number, mp, hidden=0):
        names = []
        tc.layouts.append((version, var, fields, number, mp, names))
        for i, f in enumerate(fields):
            m = None if i < hidden else field_member(f, struct_classes)
            names.append(m and m.name)
            if m is None:
                continue
            old = tc.members.get(m.name)
            if old is not None and m.kind != old.kind and "raw" in (m.kind, old.kind):
                # a part one version has typed and another keeps as bytes
                # (1.5's OXS stats where 1.3 has counters): its own member
                m.name += "_raw"
                names[-1] = m.name
                old = tc.members.get(m.name)
            elif old is not None and m.kind != old.kind and m.kind == "stats":
                # 1.5's aggregate reply: OXS statistics where 1.3 has a body
                m.name = "stats"
                names[-1] = m.name
                old = tc.members.get(m.name)
            if old is None:
                tc.members[m.name] = m
            elif {old.kind, m.kind} == {"obj", "list"} and old.sub == m.sub:
                # one structure in some versions, a list of exactly one in
                # others (1.0's aggregate stats): one structure
                old.kind = "obj"
            elif old.kind != m.kind or old.sub != m.sub or getattr(old, "count", None) != getattr(m, "count", None):
                raise SpecError(f"{tc.cls}.{m.name} is {old.kind} in one layout and {m.kind} in another")
            else:
                old.size = max(old.size, m.size)
            if m.kind in ("obj", "list"):
                tc.deps.add(m.sub)
            if m.kind == "nat":
                tc.deps.add("NXActionNATRanges")
            count = f"n_{m.name}"
            if m.kind == "nx_u16s" and count in names[:-1]:
                # the wire's count of a list (bundle's n_slaves) is the
                # list's n_ member: the list sets it when encoding
                names[names.index(count)] = None
                del tc.members[count]

    for b in spec.structs:
        if b.name in MATCH_DESCS or b.name in PORT_DESCS:
            continue  # typed as ken/ofp_msg.h's struct ken_match / ken_port
        if (not struct_classes[b.name].startswith("OFP") and b.name not in TYPED_NX_STRUCTS) or b.name == "ofp_header":
            continue  # an experimenter's parts (Nicira, ONF), inside codecs the typed view keeps raw
        add(tclass(struct_classes[b.name]), None, b.name, b.fields, None, None)
    for var, (fam, cls, fields) in spec.family_descs.items():
        if (fam.name in SPECIAL and fam.name != "ofp_actions") or fam.attrs["kind"] == "nx_msg":
            continue  # typed as ken/ofp_msg.h's struct ken_instruction (ofp_actions' entries: a class each)
        if fam.attrs["kind"] in ("nx_action", "action10", "action") and cls in UNTYPED_ACTIONS:
            continue  # KEN_ACT_OUTPUT, or KEN_ACT_RAW: bytes ken does not know
        tc = tclass(cls)
        tc.tlv = True
        # a Nicira action's header (type, len, experimenter, subtype) and a
        # 1.2+ action's type are its class's, written from the description,
        # not members to set
        hidden = {"nx_action": 4, "action": 1}.get(fam.attrs["kind"], 0)
        add(tc, None, var, fields, None, None, hidden=hidden)
    for b in spec.messages:
        for v, (fields, _) in b.bodies.items():
            tc = tclass(b.by_version[v][0][1])
            tc.is_msg = True
            add(tc, v, desc_vars[("body", b.name, v)], fields, spec.number(b, v), None)
    for what, column in (("request", 1), ("reply", 2)):
        message = next(b for b in spec.messages if b.name == f"MULTIPART_{what.upper()}")
        header = spec.mpheaders[what].bodies
        for b in spec.multiparts:
            if "exp" in b.attrs:
                continue  # an experimenter's form: typed as the generic experimenter class
            bodies = b.bodies if what == "request" else b.replies
            for v, (fields, _) in bodies.items():
                cls = b.by_version[v][0][column]
                if cls in ("OFPStatsReply", "OFPStatsRequest"):
                    # 1.2's one class for every reply: typed by the later versions' class
                    later = [w for w in spec.versions if w > v and w in b.by_version]
                    if not later:
                        continue
                    cls = b.by_version[later[0]][0][column]
                if cls == "-":
                    continue
                tc = tclass(cls)
                tc.is_msg = True
                add(tc, v, desc_vars[(what, b.name, v)], header[v][0] + fields, spec.number(message, v),
                    spec.number(b, v))
    for tc in typed.values():
        for d in tc.deps:
            if d not in typed:
                raise SpecError(f"{tc.cls} nests {d}, which has no layout")
    return typed


def order(typed):
    done, out = set(), []

    def visit(cls, stack=()):
        if cls in done:
            return
        if cls in stack:
            raise SpecError(f"{cls} nests itself")
        for d in sorted(typed[cls].deps):
            visit(d, stack + (cls,))
        done.add(cls)
        out.append(typed[cls])

    for cls in sorted(typed):
        visit(cls)
    return out


def gen_public_header(spec, typed, event_classes):
    out = ["/* Generated by src/ofp/gen/ofpgen.py from src/ofp/spec/openflow.def: do not edit.",
           " *",
           " * Every OpenFlow message as a C struct, one per OS-Ken class and shared by",
           " * every version (docs/ofp.md, \"Typed messages\"). A member is as wide as",
           " * the field's widest wire form; a member a version lacks stays zero. */",
           "#ifndef KEN_OFP_TYPES_H", "#define KEN_OFP_TYPES_H", "",
           "#include <stddef.h>", "#include <stdint.h>", "", '#include "ken/ofp_msg.h"', "",
           "/* The bytes of a part the typed codec keeps as it is on the wire (a",
           " * property list, an OXS stats field, ...): read it with the JSON codec, or",
           " * give it back as is when encoding for the same version. */",
           "struct ken_ofp_raw {", "    const uint8_t *data;", "    size_t len;", "};", "",
           "/* One entry of a TLV list (properties, meter bands, queue properties):",
           " * its class, its struct (NULL when ken has no struct for it, as for a",
           " * property of an unknown type) and its wire bytes. To encode one, set cls",
           " * and msg (or raw alone: its bytes are copied). */",
           "struct ken_ofp_tlv {", "    int cls; /* enum ken_ofp_class */", "    const void *msg;",
           "    struct ken_ofp_raw raw;", "};", "",
           ] + gen_stats_struct(spec) + [
           "/* The typed classes: an id per struct. */", "enum ken_ofp_class {", "    KEN_OFP_CLASS_NONE,"]
    ordered = order(typed)
    by_name = sorted(typed.values(), key=lambda t: t.cls)
    out += [f"    {t.enum}, /* {t.cls} */" for t in by_name]
    out += ["    KEN_OFP_N_CLASSES", "};", ""]
    out += ["/* Event class names, for ken_handler's class: a misspelled one is a",
            " * compile error. */"]
    for cls in sorted(event_classes):
        out.append(f'#define KEN_EV_OFP_{snake(cls).upper()} "Event{cls}"')
    out.append("")
    for t in ordered:
        vs = sorted({l[0] for l in t.layouts if l[0]})
        where = f"OpenFlow {', '.join(vs)}" if vs else "nested in other messages"
        out.append(f"/* {t.cls} ({where}). */")
        out.append(f"struct ken_ofp_{t.snake} {{")
        if not t.members:
            out.append("    char unused_; /* no fields: C needs a member */")
        for m in t.members.values():
            out += ["    " + d for d in m.decl(typed)]
        out += ["};", ""]
    out += ["/* The accessors and builders of each message class (ken/ofp_typed.h",
            " * has the rest of the typed API). ken_ev_ofp_<name>(ev): the event's",
            " * message decoded (once, kept with the event), NULL when the event",
            " * carries another class or the message does not decode. */",
            "struct ken_event;",
            "const void *ken_ev_ofp_as(const struct ken_event *ev, enum ken_ofp_class cls);",
            "int ken_ofp_init(void *msg, enum ken_ofp_class cls, uint8_t version);", ""]
    for t in by_name:
        st = f"struct ken_ofp_{t.snake}"
        if t.is_msg:
            out += [f"static inline const {st} *ken_ev_ofp_{t.snake}(const struct ken_event *ev)",
                    f"{{ return (const {st} *)ken_ev_ofp_as(ev, {t.enum}); }}"]
        out += [f"static inline int ken_ofp_{t.snake}_init({st} *msg, uint8_t version)",
                f"{{ return ken_ofp_init(msg, {t.enum}, version); }}"]
    out += ["", "/* A TLV list entry's struct when it is of class cls, else NULL. */",
            "static inline const void *ken_ofp_tlv_as(const struct ken_ofp_tlv *tlv, enum ken_ofp_class cls)",
            "{ return tlv->cls == (int)cls ? tlv->msg : NULL; }"]
    out += ["", "#endif", ""]
    return "\n".join(out)


def stat_fields(spec):
    """1.5's OXS statistics (the description's family=stat block): (name,
    field number, size, format)."""
    return [(e[0], e[1], e[2], e[3]) for b in spec.oxms if b.attrs.get("family") == "stat" for e in b.entries]


def stat_members(name, size, fmt):
    """The C members one OXS field is read into: a pair is two halves."""
    if fmt == "pair":
        return [(f"{name}_sec", size // 2), (f"{name}_nsec", size // 2)]
    return [(name, size)]


def gen_stats_struct(spec):
    out = ["/* One flow-mod spec of a Nicira learn action (OS-Ken's NXFlowSpecMatch,",
           " * NXFlowSpecLoad, NXFlowSpecOutput by dst_type). Its source is a",
           " * subfield (src_field, an NXM/OXM header, at bit src_ofs) or, when",
           " * src_value is set, an immediate: (n_bits + 15) / 16 * 2 bytes in network",
           " * order (decoded: pointing into the message). A match or load writes the",
           " * subfield dst_field at bit dst_ofs; an output has no destination. */",
           "enum { KEN_NX_LEARN_MATCH, KEN_NX_LEARN_LOAD, KEN_NX_LEARN_OUTPUT };",
           "struct ken_nx_learn_spec {", "    uint8_t dst_type;", "    uint16_t n_bits;",
           "    uint32_t src_field;", "    uint16_t src_ofs;", "    const uint8_t *src_value;",
           "    uint32_t dst_field;", "    uint16_t dst_ofs;", "};", "",
           "/* A Nicira controller2 action's properties (OS-Ken shows each as a key",
           " * of the action): present has bit (1u << KEN_NX_C2_<NAME>) for each one",
           " * on the wire (built: written, in this order); userdata points into the",
           " * message when decoded. */",
           "enum { KEN_NX_C2_MAX_LEN, KEN_NX_C2_CONTROLLER_ID, KEN_NX_C2_REASON, KEN_NX_C2_USERDATA,",
           "       KEN_NX_C2_PAUSE };",
           "struct ken_nx_controller2 {", "    uint32_t present;", "    uint16_t max_len;",
           "    uint16_t controller_id;", "    uint8_t reason;", "    const uint8_t *userdata;",
           "    size_t userdata_len;", "};",
           "",
           "/* An OXM field's id (the fields a table matches or a port description",
           " * lists): its header as on the wire (class, field, has-mask bit, value",
           " * length) and, for the experimenter class 0xffff, the experimenter. */",
           "struct ken_ofp_oxm_id {", "    uint32_t header;", "    uint32_t experimenter;", "};", "",
           "/* OpenFlow 1.5's flow statistics (OXS fields; OS-Ken's OFPStats), read",
           " * into numbers: present has bit (1u << KEN_OXS_<FIELD>) for each field",
           " * the switch sent (others stay 0). raw is the whole structure as it came;",
           " * encoding copies raw when it is set, else writes the present fields. */"]
    for name, field, _, _ in stat_fields(spec):
        out.append(f"#define KEN_OXS_{name.upper()} {field}")
    out += ["struct ken_ofp_stats {", "    uint32_t present;"]
    for name, _, size, fmt in stat_fields(spec):
        for member, width in stat_members(name, size, fmt):
            out.append(f"    uint{8 * width}_t {member};")
    out += ["    struct ken_ofp_raw raw;", "};", ""]
    return out


def gen_stats_table(spec):
    """Where each OXS field's value goes in struct ken_ofp_stats."""
    rows = []
    for name, field, size, fmt in stat_fields(spec):
        parts = stat_members(name, size, fmt)
        offs = ", ".join(f"offsetof(struct ken_ofp_stats, {m})" for m, _ in parts)
        rows.append(f'    {{"{name}", {field}, {size}, {len(parts)}, {{{offs}}}}},')
    return (["const struct ofp_stat_member ofp_stat_members[] = {"] + rows +
            ["};", f"const size_t ofp_n_stat_members = {len(rows)};", ""])


TK = {"controller2": "TK_CONTROLLER2", "nat": "TK_NAT", "nx_u16s": "TK_NX_U16S", "oxm_list": "TK_OXM_LIST", "learn_specs": "TK_LEARN_SPECS", "nxm": "TK_NXM", "nested": "TK_NESTED", "versions": "TK_VERSIONS", "hello_elems": "TK_HELLO_ELEMS", "text": "TK_DATA", "stats": "TK_STATS", "updates": "TK_UPDATES", "oxm_ids": "TK_OXM_IDS", "uint": "TK_UINT", "uints": "TK_UINTS", "uintlist": "TK_UINTLIST", "tlvs": "TK_TLVS", "mac": "TK_MAC", "str": "TK_STR", "data": "TK_DATA", "match": "TK_MATCH", "port": "TK_PORT",
      "ports": "TK_PORTS", "obj": "TK_OBJ", "list": "TK_LIST", "instructions": "TK_INSTRUCTIONS",
      "actions": "TK_ACTIONS", "raw": "TK_RAW"}


def gen_tables(spec, typed):
    """C for the end of ofp_spec.c (where the descs are): the typed tables."""
    out = ["", "/* ---- the typed codec's tables (src/ofp/typed.c) ---- */", "",
           '#include "ken/ofp_types.h"', '#include "ofp/typed.h"', ""]
    ordered = order(typed)
    out += [f"extern const struct ofp_tclass ofp_tclass_{t.snake};" for t in ordered] + [""]
    finds = []
    for t in ordered:
        st = f"struct ken_ofp_{t.snake}"
        lays = []
        for i, (v, var, fields, number, mp, names) in enumerate(t.layouts):
            tfs = []
            for f, mname in zip(fields, names):
                if f[0] == "F_ONLY_IN":  # no bytes, but the entry's versions: checked both ways
                    tfs.append("{TK_GATE, 0, 0, 0, NULL}")
                    continue
                if mname is None:
                    tfs.append("{TK_SKIP, 0, 0, 0, NULL}")
                    continue
                m = mm = t.members[mname]
                csize = mm.size if mm.kind in ("uint", "str", "uints", "uintlist", "nxm") else 0
                n_off = "0"
                if m.kind in ("data", "text"):
                    n_off = f"offsetof({st}, {m.name}_len)"
                elif mm.kind == "nat":
                    n_off = f"offsetof({st}, range)"  # where the ranges go
                elif mm.kind in ("ports", "list", "instructions", "actions", "tlvs", "uintlist", "updates",
                                 "oxm_ids", "versions", "hello_elems", "learn_specs", "nx_u16s"):
                    n_off = f"offsetof({st}, n_{m.name})"
                sub = f"&ofp_tclass_{typed[m.sub].snake}" if mm.kind in ("obj", "list") else "NULL"
                tfs.append(f"{{{TK[mm.kind]}, {csize}, offsetof({st}, {m.name}), {n_off}, {sub}}}")
            name = f"tf_{t.snake}_{i}"
            out.append(f"static const struct ofp_tfield {name}[] = {{{', '.join(tfs + ['{TK_END, 0, 0, 0, NULL}'])}}};")
            vb = f"{spec.versions[v]:#04x}" if v else "0"
            lays.append(f"{{{vb}, {number if number is not None else 0}, "
                        f"{mp if mp is not None else 'OFP_NO_MP'}, &{var}, {name}}}")
            if v:
                finds.append((spec.versions[v], number, mp, t, len(lays) - 1))
        out.append(f"static const struct ofp_tlayout tl_{t.snake}[] = {{{', '.join(lays)}}};")
        out.append(f'const struct ofp_tclass ofp_tclass_{t.snake} = {{"{t.cls}", {t.enum}, sizeof({st}), '
                   f"tl_{t.snake}, {len(lays)}}};")
        out.append("")
    # the TLV entries' layouts, found by their desc when a list is decoded
    tlv_rows = []
    for t in ordered:
        for i, lay in enumerate(t.layouts):
            if getattr(t, "tlv", False) and lay[1] in spec.family_descs:
                tlv_rows.append(f"    {{&{lay[1]}, &ofp_tclass_{t.snake}, &tl_{t.snake}[{i}]}},")
    out += ["const struct ofp_tlv_layout ofp_tlv_layouts[] = {"] + tlv_rows + ["};",
            f"const size_t ofp_n_tlv_layouts = {len(tlv_rows)};", ""]
    out += gen_stats_table(spec)
    out += ["const struct ofp_tclass *const ofp_tclasses[KEN_OFP_N_CLASSES] = {"]
    out += [f"    [{t.enum}] = &ofp_tclass_{t.snake}," for t in ordered]
    out += ["};", ""]
    out += ["const struct ofp_tlayout *ofp_tlayout_find(uint8_t version, uint8_t type, int32_t mp,",
            "                                           const struct ofp_tclass **tc)", "{",
            "    switch ((uint64_t)version << 40 | (uint64_t)type << 32 | (uint32_t)mp) {"]
    for w, number, mp, t, i in finds:
        key = f"(uint64_t){w:#04x} << 40 | (uint64_t){number} << 32 | (uint32_t){mp if mp is not None else 'OFP_NO_MP'}"
        out.append(f"    case {key}: *tc = &ofp_tclass_{t.snake}; return &tl_{t.snake}[{i}];")
    out += ["    default: return NULL;", "    }", "}", ""]
    return out
