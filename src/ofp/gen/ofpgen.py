#!/usr/bin/env python3
"""Turns the OpenFlow description (src/ofp/spec/openflow.def) into C.

    ofpgen.py DESCRIPTION OFP_CONSTS_H OUT_H OUT_C

OUT_H: the type and multipart enums the codec's tables use.
OUT_C: the per-version struct ken_ofproto tables, who may send each type,
the OS-Ken class of each type and multipart type, and the field tables and
message-table rows (ofp_rows_spec) of the messages whose body is described.

OFP_CONSTS_H is read for struct ken_ofproto's member names: the struct is
public (apps read ken_datapath_ofproto(dp)->OFPT_...), so it stays in include/ken; every
member must have a number in the description, and every message a member.
Its KEN_OFPP_* macros must equal the description's numbers.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ofptypes  # noqa: E402

SENDERS = {"controller": "OFP_SENT_BY_CONTROLLER", "switch": "OFP_SENT_BY_SWITCH",
           "both": "OFP_SENT_BY_CONTROLLER | OFP_SENT_BY_SWITCH"}
# ken_ofproto's "none" per field width.
NONE = {"OFPT": "0xff", "OFPMP": "0xffff"}


class SpecError(Exception):
    pass


class Block:
    def __init__(self, kind, name, attrs, where):
        self.kind, self.name, self.attrs, self.where = kind, name, attrs, where
        self.by_version = {}  # version name -> (fields, attrs)
        self.bodies = {}  # version name -> ([(kind, size, name)...], where)
        self.replies = {}  # the same for a multipart reply's body
        self.fields = []  # a struct block's fields


def split_attrs(words):
    plain = [w for w in words if "=" not in w]
    attrs = dict(w.split("=", 1) for w in words if "=" in w)
    return plain, attrs


def parse(path):
    versions = {}  # "1.3" -> wire byte, in file order
    blocks = []
    block = None
    last_fields = None  # the fields of the body line before, which a line of fields continues
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            where = f"{path}:{lineno}"
            line = raw.split("#", 1)[0].rstrip()
            if not line:
                continue
            words, attrs = split_attrs(line.split())
            if raw[0].isspace() and block is not None and block.kind == "struct":
                block.fields += [parse_field(w, where) for w in line.split()]
                continue
            if raw[0].isspace() and block is not None and block.kind == "oxm":
                ws = line.split()
                extra = dict(w.split("=", 1) for w in ws[5:] if "=" in w)
                if len(ws) < 5 or set(extra) - {"exp_type"} or len(ws) != 5 + len(extra) or ws[3] not in OXM_FORMATS:
                    raise SpecError(f"{where}: expected 'NAME FIELD SIZE {'|'.join(OXM_FORMATS)} VERSIONS [exp_type=N]'")
                block.entries.append((ws[0], int(ws[1], 0), int(ws[2], 0), ws[3],
                                      versions_list(ws[4], versions, where), int(extra.get("exp_type", "0"), 0)))
                continue
            if raw[0].isspace() and block is not None and block.kind == "family":
                if ":" in line.split()[0] and block.entries and block.entries[-1][2] is not None:
                    block.entries[-1][2].extend(parse_field(w, where) for w in line.split())  # continues the entry
                else:
                    parse_entry(block, line.split(), where)
                continue
            if raw[0].isspace() and last_fields is not None and ":" in line.split()[0]:
                last_fields += [parse_field(w, where) for w in line.split()]
                continue
            last_fields = None
            if raw[0].isspace() and block is not None and (block.kind == "mpheader" or line.split()[0] in (
                    "body", "request", "reply")):
                words, attrs = line.split(), {}  # a field's "=DEFAULT" is not an attribute
            if not raw[0].isspace():
                kind = words[0]
                if kind == "version":
                    versions[words[1]] = int(words[2], 0)
                    block = None
                elif kind == "struct":
                    if len(words) != 3 or set(attrs) - {"as", "align", "bad_len", "len"} or not re.fullmatch(
                            r"[a-z_][a-z0-9_]*", words[1]):
                        raise SpecError(f"{where}: expected 'struct C_NAME OS-KEN-CLASS [as=TYPED-CLASS] [align=N] "
                                        "[bad_len=bucket]'")
                    block = Block(kind, words[1], {"class": words[2], **attrs}, where)
                    blocks.append(block)
                elif kind == "oxm":
                    if len(words) != 3 or set(attrs) - {"exp", "family"} or attrs.get("family", "match") not in (
                            "match", "stat"):
                        raise SpecError(f"{where}: expected 'oxm NAME CLASS [exp=ID] [family=stat]'")
                    block = Block(kind, words[1], {"class": int(words[2], 0), **attrs}, where)
                    block.entries = []
                    blocks.append(block)
                elif kind == "family":
                    if len(words) != 3 or words[2] not in FAMILY_KINDS or set(attrs) - {"what", "static"}:
                        raise SpecError(f"{where}: expected 'family C_NAME {'|'.join(FAMILY_KINDS)} what=WORDS'")
                    block = Block(kind, words[1], {"kind": words[2], **attrs}, where)
                    block.entries = []
                    block.entry_opts = {}
                    blocks.append(block)
                elif kind == "error":
                    if len(words) != 2 or set(attrs) - {"fallback"}:
                        raise SpecError(f"{where}: expected 'error NAME [fallback=NAME]'")
                    block = Block(kind, words[1], attrs, where)
                    blocks.append(block)
                elif kind in ("message", "multipart", "constant", "mpheader"):
                    if len(words) != 2:
                        raise SpecError(f"{where}: expected '{kind} NAME [key=value...]'")
                    block = Block(kind, words[1], attrs, where)
                    blocks.append(block)
                else:
                    raise SpecError(f"{where}: unknown kind {kind!r}")
                continue
            if block is None:
                raise SpecError(f"{where}: an indented line outside a block")
            if block.kind == "mpheader":
                words = ["header"] + words
            if words[0] in ("body", "request", "reply", "header"):
                owner = {"body": "message", "request": "multipart", "reply": "multipart",
                         "header": "mpheader"}[words[0]]
                if block.kind != owner or len(words) < 2:
                    raise SpecError(f"{where}: '{words[0]} RANGE FIELD...' belongs in a {owner} block")
                fields = last_fields = [parse_field(w, where) for w in words[2:]]
                bodies = block.replies if words[0] == "reply" else block.bodies
                for v in version_range(words[1], versions, where):
                    if v in bodies:
                        raise SpecError(f"{where}: {block.name} has two {words[0]} bodies for {v}")
                    bodies[v] = (fields, where)
                continue
            for v in version_range(words[0], versions, where):
                if v in block.by_version:
                    raise SpecError(f"{where}: {block.name} has two lines for {v}")
                block.by_version[v] = (words[1:], attrs)
    return versions, blocks


# A body field: NAME:KIND, or pad:N for N zero bytes. The kinds are the
# regular ones of the field-table language (src/ofp/schema.h).
FIELD_KINDS = {"u8": ("F_U8", 1), "u16": ("F_U16", 2), "u32": ("F_U32", 4), "u64": ("F_U64", 8),
               "mac": ("F_MAC", 6), "data": ("F_DATA", 0),
               # the structure's own length, 2 bytes
               "len": ("F_LEN", 2),
               # the multipart type in the multipart header, shown or not in JSON
               "mp": ("F_DEF", 2), "mp_hidden": ("F_CONST", 2)}


def parse_field(word, where):
    """(macro, size, name, default): default is None, a number or the name
    of a constant block (OS-Ken's constructor default, used when the JSON
    leaves the field out)."""
    word, _, default = word.partition("=")
    name, _, kind = word.partition(":")
    if name == "pad" and kind.isdigit() and not default:
        return ("F_PAD", int(kind), None, None)
    if kind.startswith("str:") and kind[4:].isdigit() and not default:
        return ("F_STR", int(kind[4:]), name, None)
    if kind.partition(":")[0] in ("lenof", "lenof_hidden") and not default:
        # a 2-byte length of the named field after it (lenof_hidden: not in JSON)
        target = kind.partition(":")[2]
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", target):
            raise SpecError(f"{where}: bad field {word!r} (NAME:lenof:FIELD)")
        return ("F_LENOF_HIDDEN" if kind.startswith("lenof_hidden") else "F_LENOF", 2, name, target)
    if kind == "const16" and default:
        return ("F_CONST", 2, name, int(default, 0))  # a fixed value, not in JSON
    m = re.fullmatch(r"data(\d+)", kind)
    if m and not default:
        return ("F_DATA_MIN", int(m.group(1)), name, None)  # the rest, at least N bytes
    if kind == "json" and default:
        return ("F_JSON_ONLY", 0, name, int(default, 0))  # a number in the JSON only, never on the wire
    if kind == "len_hidden" and not default:
        return ("F_LEN_HIDDEN", 2, name, None)  # the structure's length, not in JSON
    if kind == "ipv4" and not default:
        return ("F_IPV4", 4, name, None)  # "a.b.c.d" in JSON
    if kind == "ipv6" and not default:
        return ("F_IPV6", 16, name, None)  # RFC 5952 text in JSON
    if kind == "zero32" and not default:
        return ("F_CONST", 4, name, 0)  # 4 reserved bytes, zero, not in JSON
    m = re.fullmatch(r"nxm:(\d+):(none|int|empty)", kind)
    if m and not default:
        # an NXM/OXM field header in a slot of N bytes (0: the header's own
        # size); an all-zero slot means: required (none), 0 (int) or "" (empty)
        return ("F_NXM", int(m.group(1)), name, "NXZ_" + m.group(2).upper())
    m = re.fullmatch(r"u(8|16|32|64)s", kind)
    if m and not default:
        return ("F_UINTS", int(m.group(1)) // 8, name, 0)  # integers up to the end of the structure
    m = re.fullmatch(r"u(8|16|32|64)x(\d+)", kind)
    if m and not default:
        return ("F_UINTS", int(m.group(1)) // 8, name, int(m.group(2)))  # a fixed array of integers
    if kind in ("message", "message_then_props") and not default:
        # one whole message of the same version (message_then_props: padded
        # to 8 when properties follow, with its own xid, as bundle-add)
        return ("F_NESTED", 0, name, kind == "message_then_props")
    sub, _, sym = kind.partition(":")
    width = None
    if sub == "custom" and re.fullmatch(r"[a-z_][a-z0-9_]*:\d+", sym):
        sym, width = sym.split(":")[0], int(sym.split(":")[1])  # an irregular part of a fixed width
    if sub in ("obj", "list", "plist", "custom"):
        # obj: one nested structure, a struct ofp_desc the C codec defines
        # (=None: the JSON may leave it out, OS-Ken's None, and it encodes
        # from {}: an empty match); list: such structures up to the end;
        # plist: TLVs of a family (a struct ofp_poly) up to the end;
        # custom: a struct ofp_custom, C for an irregular part
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", sym) or default not in ("", "None") or (
                default and sub != "obj"):
            raise SpecError(f"{where}: bad field {word!r} (NAME:obj|list|plist|custom:SYMBOL, NAME:obj:SYMBOL=None)")
        macro = {"obj": "F_OBJ_OPT" if default else "F_OBJ", "list": "F_LIST", "plist": "F_PLIST",
                 "custom": "F_CUSTOM"}[sub]
        if width is not None:
            CUSTOM_WIDTHS[(name, sym)] = width
        return (macro, 0, name, sym)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or kind not in FIELD_KINDS:
        raise SpecError(f"{where}: bad field {word!r} (NAME:{'|'.join(FIELD_KINDS)}[=DEFAULT], NAME:str:N or pad:N)")
    if default and not kind.startswith("u"):
        raise SpecError(f"{where}: {word!r}: only integer fields take a default")
    if default and not re.fullmatch(r"0x[0-9a-fA-F]+|[0-9]+|[A-Z][A-Z0-9_]*", default):
        raise SpecError(f"{where}: {word!r}: a default is a number or a constant's name")
    if default and default[0].isdigit():
        default = int(default, 0)
    return (FIELD_KINDS[kind][0], FIELD_KINDS[kind][1], name, default or None)


# TLV families: each kind fixes the header every entry starts with, the
# padding, and the errors for an unknown type and a bad length.
#   header: the entry's leading fields, TYPE standing for the entry's type
#   align/flags: the struct ofp_desc's; errors: the family's struct ofp_poly's
FAMILY_KINDS = {
    # 1.4+ properties: type, length without the padding, padded to 8
    "prop": {"header": "type:TYPE length:len", "align": 8, "flags": "DF_LEN_EXCL_PAD",
             "errors": ("KEN_OFPBPC_BAD_TYPE", "KEN_OFPBPC_BAD_LEN")},
    # meter bands: type, len, rate, burst size
    "band": {"header": "type:TYPE len:len rate:u32 burst_size:u32", "align": 0, "flags": "0",
             "errors": ("KEN_OFPMMFC_BAD_BAND", "KEN_OFPBRC_BAD_LEN")},
    # 1.0-1.3 queue properties: property, len, 4 bytes of padding
    "queue_prop": {"header": "property:TYPE len:len pad:4", "align": 0, "flags": "0",
                   "errors": ("KEN_OFPQOFC_BAD_QUEUE", "KEN_OFPBRC_BAD_LEN")},
    # 1.2-1.5 actions: type, len (padding included), a multiple of 8; the
    # Nicira actions (nx.c) are tried first
    "action": {"header": "type:TYPE len:len", "align": 8, "flags": "0",
               "errors": ("KEN_OFPBAC_BAD_TYPE", "KEN_OFPBAC_BAD_LEN"),
               "more": ("ofp_nx_action_entries", "&ofp_n_nx_action_entries"), "len_multiple": 8, "gate": 0},
    # the Nicira actions: type 0xffff, len, experimenter 0x2320, subtype;
    # emitted as the entries (and count) both action families try first
    "nx_action": {"header": "type:u16=0xffff len:len experimenter:u32=0x2320 subtype:TYPE", "align": 8,
                  "flags": "0", "key": ("0xffff", "0x2320", "TYPE"), "entries_only": True},
    # 1.0 actions: type and len, which OS-Ken's 1.0 JSON leaves out; each
    # standard one has a fixed size (of10_action_size, emitted too)
    "action10": {"header": "type:const16=TYPE len:len_hidden", "align": 0, "flags": "0",
                 "errors": ("KEN_OFPBAC_BAD_TYPE", "KEN_OFPBAC_BAD_LEN"),
                 "more": ("ofp_nx_action_entries", "&ofp_n_nx_action_entries"), "len_multiple": 8, "sizes": True},
    # table features' action and instruction ids: any type, type and len
    # (OS-Ken skips what follows the header and writes length 4)
    "action_id": {"header": "type:TYPE len:len", "align": 0, "flags": "0",
                  "errors": ("KEN_OFPBAC_BAD_TYPE", "KEN_OFPBAC_BAD_LEN")},
    "instruction_id": {"header": "type:TYPE len:len", "align": 0, "flags": "0",
                       "errors": ("KEN_OFPBIC_UNKNOWN_INST", "KEN_OFPBIC_BAD_LEN")},
    # the Nicira messages of 1.0 (inside OFPVendor): vendor id, subtype,
    # then OS-Ken's empty "data"; emitted as an array of descs and the
    # encoding rows keyed by the vendor id
    "nx_msg": {"header": "vendor:u32=0x2320 subtype:u32=TYPE", "trailer": "data:custom:of10_null", "align": 0,
               "flags": "0", "descs_only": True},
    # 1.2-1.5 instructions
    "instruction": {"header": "type:TYPE len:len", "align": 8, "flags": "0",
                    "errors": ("KEN_OFPBIC_UNKNOWN_INST", "KEN_OFPBIC_BAD_LEN"), "gate": 1},
}


def parse_entry(block, words, where):
    """A family entry: TYPES CLASS FIELDS...; TYPES is a number, numbers
    joined by commas, "exp" (the experimenter type 0xffff with the shared
    experimenter layout) or "unknown" (any other type: OFPPropUnknown)."""
    types = words[0]
    if types == "any":  # any other subtype (nx_action): its own layout, the subtype shown
        if len(words) < 2:
            raise SpecError(f"{where}: 'any OFPClass FIELD...'")
        block.entries.append((["any"], words[1], [parse_field(w, where) for w in words[2:]]))
        block.entry_opts[words[1]] = {"type": ""}
        return
    if types == "unknown":
        if len(words) != 1 or block.attrs["kind"] != "prop":
            raise SpecError(f"{where}: 'unknown' takes nothing more, and only properties have it")
        block.entries.append((None, "OFPPropUnknown", None))
        return
    if len(words) < 2 or not re.fullmatch(r"(?:OFP|NX)\w+", words[1]):
        raise SpecError(f"{where}: expected 'TYPES OFPClass [@OPTION...] FIELD...'")
    # options: @fixed (the entry spans its fields whatever its length says,
    # as OS-Ken reads some instructions), @in=RANGE (only those versions
    # have it), @type (the type is not defaulted: one class, several types)
    opts = {}
    while len(words) > 2 and words[2].startswith("@"):
        key, _, val = words[2][1:].partition("=")
        if key not in ("fixed", "in", "type", "align"):
            raise SpecError(f"{where}: unknown entry option @{key}")
        opts[key] = val
        words = words[:2] + words[3:]
    if types == "exp":
        numbers = [0xffff]
        fields = [parse_field(w, where) for w in "experimenter:u32 exp_type:u32 data:u32s".split()] \
            if block.attrs["kind"] == "prop" else None
        if fields is None or len(words) != 2:
            if len(words) == 2:
                raise SpecError(f"{where}: 'exp' needs its fields in a {block.attrs['kind']} family")
            fields = [parse_field(w, where) for w in words[2:]]
    else:
        try:
            numbers = [int(n, 0) for n in types.split(",")]
        except ValueError:
            raise SpecError(f"{where}: bad type list {types!r}") from None
        fields = [parse_field(w, where) for w in words[2:]]
    block.entries.append((numbers, words[1], fields))
    block.entry_opts[words[1]] = opts


OXM_FORMATS = {"int": "OXF_INT", "mac": "OXF_MAC", "ipv4": "OXF_IPV4", "ipv6": "OXF_IPV6", "pair": "OXF_PAIR",
               "bytes": "OXF_BYTES"}


def versions_list(text, versions, where):
    """Version ranges joined by commas ("1.0,1.2-1.5")."""
    out = []
    for part in text.split(","):
        out += [v for v in version_range(part, versions, where) if v not in out]
    return out


def version_range(text, versions, where):
    names = list(versions)
    lo, _, hi = text.partition("-")
    hi = hi or lo
    if lo not in versions or hi not in versions or names.index(lo) > names.index(hi):
        raise SpecError(f"{where}: bad version range {text!r}")
    return names[names.index(lo):names.index(hi) + 1]


class Spec:
    def __init__(self, path):
        self.versions, blocks = parse(path)
        self.messages = [b for b in blocks if b.kind == "message"]
        self.multiparts = [b for b in blocks if b.kind == "multipart"]
        self.constants = [b for b in blocks if b.kind == "constant"]
        self.mpheaders = {b.name: b for b in blocks if b.kind == "mpheader"}
        self.structs = [b for b in blocks if b.kind == "struct"]
        self.families = [b for b in blocks if b.kind == "family"]
        self.oxms = [b for b in blocks if b.kind == "oxm"]
        self.errors = [b for b in blocks if b.kind == "error"]
        self.desc_vars = {}  # (body|request|reply, block, version) -> the desc's C name
        expect = {"message": 2, "multipart": 3, "constant": 1, "error": 2}
        request_header = self.mpheaders.get("request")
        for b in self.multiparts:
            for v in b.bodies:
                if not request_header or v not in request_header.bodies:
                    raise SpecError(f"{b.bodies[v][1]}: {b.name} has a request body for {v} but no "
                                    "'mpheader request' there")
        for b in blocks:
            if b.kind == "message" and b.attrs.get("sender") not in SENDERS:
                raise SpecError(f"{b.where}: {b.name} needs sender=controller|switch|both")
            for v, (fields, _) in b.by_version.items():
                if len(fields) != expect[b.kind]:
                    raise SpecError(f"{b.where}: {b.name} {v}: expected {expect[b.kind]} fields")
        for b in self.messages + self.multiparts:
            for v in list(b.bodies) + list(b.replies):
                if v not in b.by_version:
                    raise SpecError(f"{b.bodies[v][1]}: {b.name} has a body for {v} but no number there")
        for group in (self.messages, [b for b in self.multiparts if "exp" not in b.attrs]):
            for v in self.versions:
                seen = {}
                for b in group:
                    if v in b.by_version:
                        n = self.number(b, v)
                        if n in seen:
                            raise SpecError(f"{b.where}: {b.name} and {seen[n]} share number {n} in {v}")
                        seen[n] = b.name

    @staticmethod
    def number(block, version):
        return int(block.by_version[version][0][0], 0)


def family_enum(spec, blocks, prefix, versions, what):
    """One enum constant per name for a family of versions whose numbers
    agree; the generator refuses a family in which they differ."""
    lines = []
    for b in blocks:
        present = [v for v in versions if v in b.by_version]
        if not present or "exp" in b.attrs:  # an experimenter's form of another block's number
            continue
        numbers = {spec.number(b, v) for v in present}
        if len(numbers) != 1:
            raise SpecError(f"{b.where}: {what} {b.name} has different numbers in {', '.join(present)}; "
                            "the family's enum needs one")
        n = numbers.pop()
        names = [b.name] + sorted({b.by_version[v][1]["name"] for v in present
                                   if "name" in b.by_version[v][1]} - {b.name})
        for name in names:
            lines.append(f"    {prefix}{name} = {c_num(n)},")
    return lines


def ofproto_members(header):
    text = open(header, encoding="utf-8").read()
    body = re.search(r"struct ken_ofproto \{(.*?)\n\};", text, re.S)
    if not body:
        raise SpecError(f"{header}: no struct ken_ofproto")
    return re.findall(r"\b(OFP(?:T|MP|P)_[A-Z0-9_]+)\b", re.sub(r"/\*.*?\*/", "", body.group(1), flags=re.S))


def check_public_ports(spec, header):
    """include/ken/ofp_consts.h keeps KEN_OFPP_* as macros (apps need them
    as constants without the build directory's headers): each must be the
    description's number for the versions after 1.0, which share it."""
    text = open(header, encoding="utf-8").read()
    by_name = {b.name: b for b in spec.constants}
    later = list(spec.versions)[1:]
    for name, value in re.findall(r"#define KEN_(OFPP_[A-Z_]+) (0x[0-9a-fA-F]+)u?\b", text):
        b = by_name.get(name)
        if b is None:
            raise SpecError(f"{header}: KEN_{name} is not in the description")
        described = {spec.number(b, v) for v in later if v in b.by_version}
        if described != {int(value, 0)}:
            raise SpecError(f"{header}: KEN_{name} is {value}, the description says "
                            f"{', '.join(hex(n) for n in sorted(described))}")


def c_id(version):
    return "ofproto" + version.replace(".", "")


CUSTOM_WIDTHS = {}  # (field name, codec) -> the fixed width a description gave it
STRUCT_FIELDS = {}  # struct block name -> its fields, for the width of a nested structure
FIXED = {"F_U8", "F_U16", "F_U32", "F_U64", "F_PAD", "F_MAC", "F_STR", "F_LEN", "F_LEN_HIDDEN", "F_CONST", "F_DEF",
         "F_IPV4", "F_IPV6", "F_LENOF", "F_LENOF_HIDDEN", "F_ONLY_IN", "F_JSON_ONLY"}


def field_width(field):
    """A field's fixed width on the wire, or None when it varies."""
    macro, size, _, target = field
    if macro in ("F_ONLY_IN", "F_JSON_ONLY"):
        return 0
    if macro in FIXED:
        return size
    if macro == "F_UINTS" and target:
        return size * target
    if macro == "F_NXM" and size:
        return size
    if macro == "F_CUSTOM" and (field[2], target) in CUSTOM_WIDTHS:
        return CUSTOM_WIDTHS[(field[2], target)]
    if macro in ("F_OBJ", "F_OBJ_OPT") and target in STRUCT_FIELDS:
        widths = [field_width(f) for f in STRUCT_FIELDS[target]]
        return None if None in widths else sum(widths)
    return None


def gen_offsets(spec):
    """OFPO_<LAYOUT>_<FIELD>: where each field of a described layout starts
    (from the message's first byte for a message, from the structure's for
    a structure or TLV entry), as far as every field before it has a fixed
    width; OFPS_<LAYOUT>: the bytes of that fixed part. The hot-path codec
    reads and writes at these offsets, so no layout is written twice."""
    gen_bodies(spec)  # names the layouts
    STRUCT_FIELDS.update({b.name: b.fields for b in spec.structs})
    layouts = {}
    for (kind, name, v), var in spec.desc_vars.items():
        if var in layouts:
            continue
        if kind == "body":
            b = next(x for x in spec.messages if x.name == name)
            layouts[var] = (8, b.bodies[v][0])
        else:
            b = next(x for x in spec.multiparts if x.name == name)
            fields = (b.bodies if kind == "request" else b.replies)[v][0]
            layouts[var] = (8, spec.mpheaders[kind].bodies[v][0] + fields)
    for b in spec.structs:
        layouts[b.name] = (0, b.fields)
    for var, (_, _, fields) in spec.family_descs.items():
        layouts[var] = (0, fields)
    out = ["/* The constants one number serves in every version that has them. */"]
    for b in spec.constants:
        values = {spec.number(b, v) for v in b.by_version}
        if len(values) == 1:
            out.append(f"#define OFPC_{b.name} {c_num(values.pop())}")
    out += ["", "/* Field offsets of the described layouts (the hot-path codec's). */"]
    # the type number of each TLV entry that has one
    for b in spec.families:
        for numbers, cls, _ in b.entries:
            if numbers and len(numbers) == 1 and isinstance(numbers[0], int):
                out.append(f"#define OFPK_{b.name.upper()}_{ofptypes.snake(cls).upper()} {c_num(numbers[0])}")
    for var in sorted(layouts):
        at, fields = layouts[var]
        seen = set()
        for f in fields:
            name = f[2]
            if name and name not in seen and f[0] not in ("F_ONLY_IN", "F_JSON_ONLY"):
                seen.add(name)
                out.append(f"#define OFPO_{var.upper()}_{name.upper()} {at}")
                if f[0] in ("F_U8", "F_U16", "F_U32", "F_U64") and isinstance(f[3], int):
                    out.append(f"#define OFPD_{var.upper()}_{name.upper()} {c_num(f[3])}")  # its default
            w = field_width(f)
            if w is None:
                break
            at += w
        out.append(f"#define OFPS_{var.upper()} {at}")
    return out + [""]


def gen_header(spec):
    out = ["/* Generated by src/ofp/gen/ofpgen.py from src/ofp/spec/openflow.def: do not edit. */",
           "#ifndef KEN_OFP_SPEC_H", "#define KEN_OFP_SPEC_H", "", "#include <stdbool.h>", "#include <stdint.h>", ""]
    out += gen_offsets(spec)
    first, rest = list(spec.versions)[0], list(spec.versions)[1:]
    tag = first.replace(".", "")
    out += [f"/* Wire version bytes. */", "enum {"]
    out += [f"    OFP_SPEC_V{v.replace('.', '')} = {w:#04x}," for v, w in spec.versions.items()]
    out += ["};", ""]
    out += [f"/* OpenFlow {first} message types. */", "enum {"]
    out += family_enum(spec, spec.messages, f"OFPT{tag}_", [first], "message")
    out += ["};", f"/* OpenFlow {rest[0]}-{rest[-1]} message types (each has one number in all of them). */",
            "enum {"]
    out += family_enum(spec, spec.messages, "OFPT_", rest, "message")
    out += ["};", f"/* OpenFlow {first} stats types. */", "enum {"]
    out += family_enum(spec, spec.multiparts, f"OFPST{tag}_", [first], "multipart")
    out += ["};", f"/* OpenFlow {rest[0]}-{rest[-1]} multipart (stats) types. */", "enum {"]
    out += family_enum(spec, spec.multiparts, "OFPMP_", rest, "multipart")
    out += ["};", ""]
    out += ["/* OXM classes and experimenter ids (the description's oxm blocks). */"]
    done = set()
    for b in spec.oxms:
        if "exp" in b.attrs:
            out.append(f"#define OXM_EXP_{b.name} {int(b.attrs['exp'], 0):#010x}u")
            if "EXPERIMENTER" not in done:
                out.append(f"#define OXM_CLASS_EXPERIMENTER {b.attrs['class']:#06x}")
                done.add("EXPERIMENTER")
        else:
            out.append(f"#define OXM_CLASS_{b.name} {b.attrs['class']:#06x}")
    out.append("")
    max_type = max(spec.number(b, v) for b in spec.messages for v in b.by_version)
    max_wire = max(spec.versions.values())
    out += ["/* Who may send a message type: bits of ofp_type_senders[version][type];",
            " * 0: the version has no such type. */",
            "enum { OFP_SENT_BY_CONTROLLER = 1, OFP_SENT_BY_SWITCH = 2 };",
            f"#define OFP_SPEC_MAX_WIRE_VERSION {max_wire}",
            f"#define OFP_SPEC_MAX_TYPE {max_type}",
            "extern const uint8_t ofp_type_senders[OFP_SPEC_MAX_WIRE_VERSION + 1][OFP_SPEC_MAX_TYPE + 1];", "",
            "/* The OS-Ken class of a message type, and of a multipart type's request",
            " * or reply; NULL where the description has none. */",
            "const char *ofp_spec_msg_class(uint8_t version, uint8_t type);",
            "const char *ofp_spec_mp_class(uint8_t version, uint16_t mp, bool reply);",
            "/* The description's name of a multipart type (\"PORT_STATS\"); NULL where none. */",
            "const char *ofp_spec_mp_name(uint8_t version, uint16_t mp);", "", "#endif", ""]
    return "\n".join(out)


def gen_source(spec, members):
    blocks = {("OFPT", b.name): b for b in spec.messages}
    blocks.update({("OFPMP", b.name): b for b in spec.multiparts})
    blocks.update({("OFPP", b.name[len("OFPP_"):]): b for b in spec.constants if b.name.startswith("OFPP_")})
    described = {f"OFPT_{b.name}" for b in spec.messages}
    missing = described - set(members)
    if missing:
        raise SpecError(f"struct ken_ofproto lacks {', '.join(sorted(missing))}: add the member(s)")
    out = ["/* Generated by src/ofp/gen/ofpgen.py from src/ofp/spec/openflow.def: do not edit. */",
           '#include "ken/ofp_consts.h"', '#include "ofp/actions.h"', '#include "ofp/msgs.h"', '#include "ofp/nx.h"', '#include "ofp/msgtable.h"',
           '#include "ofp/ofp_spec.h"', '#include "ofp/oxm.h"', "",
           "#include <stddef.h>", ""]
    for v in spec.versions:
        out.append(f"static const struct ken_ofproto {c_id(v)} = {{")
        out.append(f'    .version = {spec.versions[v]:#04x}, .name = "{v}",')
        for m in members:
            prefix, name = m.split("_", 1)
            b = blocks.get((prefix, name))
            if b is None:
                raise SpecError(f"struct ken_ofproto's {m} is not in the description")
            value = b.by_version[v][0][0] if v in b.by_version else NONE.get(prefix)
            if value is None:
                raise SpecError(f"{b.where}: {m} has no value for {v}")
            out.append(f"    .{m} = {value},")
        out += ["};", ""]
    out += ["const struct ken_ofproto *ken_ofproto_get(uint8_t version)", "{", "    switch (version) {"]
    out += [f"    case {w:#04x}: return &{c_id(v)};" for v, w in spec.versions.items()]
    out += ["    default: return NULL;", "    }", "}", ""]
    out += ["const uint8_t ofp_type_senders[OFP_SPEC_MAX_WIRE_VERSION + 1][OFP_SPEC_MAX_TYPE + 1] = {"]
    for v, w in spec.versions.items():
        out.append(f"    [{w:#04x}] = {{")
        for b in spec.messages:
            if v in b.by_version:
                out.append(f"        [{spec.number(b, v)}] = {SENDERS[b.attrs['sender']]}, /* {b.name} */")
        out.append("    },")
    out += ["};", ""]

    def cstr(s):
        return "NULL" if s == "-" else f'"{s}"'

    out += ["const char *ofp_spec_msg_class(uint8_t version, uint8_t type)", "{", "    switch (version << 8 | type) {"]
    for b in spec.messages:
        for v, (fields, _) in b.by_version.items():
            out.append(f"    case {spec.versions[v]:#04x} << 8 | {fields[0]}: return {cstr(fields[1])};")
    out += ["    default: return NULL;", "    }", "}", ""]
    out += ["const char *ofp_spec_mp_class(uint8_t version, uint16_t mp, bool reply)", "{",
            "    switch ((uint32_t)version << 16 | mp) {"]
    for b in spec.multiparts:
        if "exp" in b.attrs:
            continue  # its class comes from its row
        for v, (fields, _) in b.by_version.items():
            out.append(f"    case (uint32_t){spec.versions[v]:#04x} << 16 | {fields[0]}: "
                       f"return reply ? {cstr(fields[2])} : {cstr(fields[1])};")
    out += ["    default: return NULL;", "    }", "}", ""]
    out += ["const char *ofp_spec_mp_name(uint8_t version, uint16_t mp)", "{",
            "    switch ((uint32_t)version << 16 | mp) {"]
    for b in spec.multiparts:
        if "exp" in b.attrs:
            continue
        for v, (fields, _) in b.by_version.items():
            out.append(f'    case (uint32_t){spec.versions[v]:#04x} << 16 | {fields[0]}: return "{b.name}";')
    out += ["    default: return NULL;", "    }", "}", ""]
    out += gen_bodies(spec)
    out += gen_oxm_table(spec)
    out += ofptypes.gen_tables(spec, ofptypes.build(spec, spec.desc_vars))
    return "\n".join(out)


def c_num(n):
    return str(n) if n < 256 else hex(n)


def c_fields(spec, fields, version, mp=None):
    """The field-table entries of a layout; a lenof field names the field
    whose length it holds, which becomes that field's index."""
    out = []
    for f in fields:
        macro, size, name, target = f
        if macro in ("F_LENOF", "F_LENOF_HIDDEN"):
            idx = [g[2] for g in fields].index(target) if target in [g[2] for g in fields] else -1
            if idx <= fields.index(f):
                raise SpecError(f"{name}: lenof names {target!r}, which is not a later field of the layout")
            out.append(f'F_LENOF({size}, "{name}", {idx})' if macro == "F_LENOF" else f"F_LENOF_HIDDEN({size}, {idx})")
        elif macro == "F_CONST" and target is not None:
            out.append(f'F_CONST({size}, "{name}", {c_num(target)})')
        elif macro == "F_DATA_MIN":
            out.append(f'F_DATA_MIN("{name}", {size})')
        elif macro == "F_JSON_ONLY":
            out.append(f'F_JSON_ONLY("{name}", {target})')
        elif macro == "F_LEN_HIDDEN":
            out.append(f"F_LEN_HIDDEN({size})")
        elif macro in ("F_IPV4", "F_IPV6"):
            out.append(f'{macro}("{name}")')
        elif macro == "F_UINTS":
            out.append(f'F_UINTS({size}, "{name}", {target})')
        elif macro == "F_NXM":
            out.append(f'F_NXM("{name}", {size}, {target})')
        elif macro == "F_ONLY_IN":
            out.append(f'F_ONLY_IN("{name}", {target[0]}, {target[1]})')
        elif macro == "F_NESTED":
            # the message's offset in its own message, for its xid
            at = 8 + sum(g[1] * (g[3] if g[0] == "F_UINTS" else 1) for g in fields[:fields.index(f)]) if target else 0
            out.append(f'F_NESTED("{name}", {at})')
        else:
            out.append(c_field(spec, f, version, mp))
    return tuple(out)


def c_field(spec, field, version, mp=None):
    """A field-table entry; mp is the multipart type the header's type
    field holds."""
    macro, size, name, default = field
    if macro == "F_PAD":
        return f"F_PAD({size})"
    if macro in ("F_STR", "F_LEN"):
        return f'{macro}({size}, "{name}")'
    if macro in ("F_DEF", "F_CONST"):
        return f'{macro}(2, "{name}", {c_num(mp)})'
    if macro == "F_CUSTOM" and default == "ofp_ignore_rest":
        return 'F_CUSTOM("", &ofp_ignore_rest)'  # whatever follows is ignored: no JSON key
    if macro in ("F_OBJ", "F_OBJ_OPT", "F_LIST", "F_PLIST", "F_CUSTOM"):
        return f'{macro}("{name}", &{default})'
    if isinstance(default, str):
        b = next((c for c in spec.constants if c.name == default), None)
        if b is None or version not in b.by_version:
            raise SpecError(f"{name}={default}: no constant {default} for {version}")
        default = spec.number(b, version)
    if default is not None:
        if default >> (8 * size):
            raise SpecError(f"{name}={default:#x}: does not fit {size} bytes")
        return f'F_DEF({size}, "{name}", {c_num(default)})'
    return f'{macro}("{name}")'


def family_entry_fields(spec, block, cls, number, fields, where):
    kind = FAMILY_KINDS[block.attrs["kind"]]
    opts = block.entry_opts.get(cls, {})
    typ = "u16" if "type" in opts else f"u16={number}"
    header = [parse_field(w.replace("=TYPE", f"={number}").replace("TYPE", typ), where)
              for w in kind["header"].split()]
    trailer = [parse_field(w, where) for w in kind.get("trailer", "").split()]
    if "in" in opts:
        # a zero-width check that refuses the entry in the other versions
        vs = version_range(opts["in"], spec.versions, where)
        mask = " | ".join(f"OFPV({spec.versions[v]:#04x})" for v in vs)
        header.append(("F_ONLY_IN", 0, cls, (mask, kind["gate"])))
    return header + fields + trailer


def gen_oxm_table(spec):
    """The OXM/OXS field table (struct oxm_def, src/ofp/oxm.h), in the
    description's order."""
    rows = []
    for b in spec.oxms:
        fam = "OXM_FAM_STAT" if b.attrs.get("family") == "stat" else "OXM_FAM_MATCH"
        exp = f"{int(b.attrs['exp'], 0):#010x}u" if "exp" in b.attrs else "0"
        for name, field, size, fmt, vs, exp_type in b.entries:
            if field >> 7:
                raise SpecError(f"{b.where}: {name}: field {field} does not fit 7 bits")
            mask = " | ".join(f"OFPV({spec.versions[v]:#04x})" for v in vs)
            rows.append(f'    {{"{name}", {b.attrs["class"]:#06x}, {field}, {size}, {OXM_FORMATS[fmt]}, {mask}, {fam}, '
                        f"{exp_type}, {exp}}},")
    return ["", "const struct oxm_def oxm_defs[] = {"] + rows + ["};",
                                                               "const size_t oxm_n_defs = sizeof oxm_defs / sizeof oxm_defs[0];", ""]


def gen_families(spec):
    """The TLV families: a struct ofp_desc per entry class, the entries, and
    the struct ofp_poly the codec walks. spec.family_descs gets, per desc,
    (family block, class, fields) for the typed view."""
    out = []
    spec.family_descs = {}
    for b in spec.families:
        kind = FAMILY_KINDS[b.attrs["kind"]]
        entries, made, sizes = [], {}, {}
        for numbers, cls, fields in b.entries:
            if numbers is None:
                entries.append("{OFP_ANY, OFP_ANY, OFP_ANY, &ofp_prop_unknown}")
                continue
            var = made.get(cls)
            if var is None:
                var = made[cls] = f"{b.name}_{ofptypes.snake(cls)}"
                all_fields = family_entry_fields(spec, b, cls, 0 if numbers[0] == "any" else numbers[0], fields,
                                                 b.where)
                items = c_fields(spec, all_fields, None)
                opts = b.entry_opts.get(cls, {})
                flags = "DF_FIXED_SIZE" if "fixed" in opts else kind["flags"]
                align = opts.get("align", kind["align"])
                out.append(f"static const struct ofp_field {var}_fields[] = {{{', '.join(items + ('F_END',))}}};")
                out.append(f'static const struct ofp_desc {var} = {{"{cls}", {var}_fields, {align}, {flags}}};')
                if kind.get("sizes") and isinstance(numbers[0], int) and numbers[0] < 0x100:
                    sizes[numbers[0]] = sum(fld[1] for fld in all_fields)
                spec.family_descs[var] = (b, cls, all_fields)
            for n in numbers:
                num = "OFP_ANY" if n == "any" else c_num(n)
                key = [k.replace("TYPE", num) for k in kind.get("key", ("TYPE", "OFP_ANY", "OFP_ANY"))]
                entries.append(f"{{{', '.join(key)}, &{var}}}")
        if kind.get("descs_only"):
            descs = list(made.values())
            out.append(f"const struct ofp_desc *const {b.name}[] = {{{', '.join('&' + d for d in descs)}}};")
            out.append(f"const size_t {b.name}_n = {len(descs)};")
            rows = ", ".join(f"{{OFPV({spec.versions['1.0']:#04x}), OFPT10_VENDOR, OFP_NO_MP, 0x2320, &{d}}}"
                             for d in descs)
            out.append(f"static const struct ofp_msg_row {b.name}_row_array[] = {{{rows}}};")
            out.append(f"OFP_MSG_ROWS(ofp_rows_{b.name}, {b.name}_row_array);")
            out.append("")
            continue
        if kind.get("entries_only"):
            out.append(f"const struct ofp_poly_entry {b.name}[] = {{{', '.join(entries)}}};")
            base = b.name[len("ofp_"):] if b.name.startswith("ofp_") else b.name
            out.append(f"const size_t ofp_n_{base} = sizeof {b.name} / sizeof {b.name}[0];")

            out.append("")
            continue
        if sizes:  # the fixed size of each standard entry, by type
            if sorted(sizes) != list(range(len(sizes))):
                raise SpecError(f"{b.where}: {b.name}: the sized types must run 0..N")
            out.append(f"const uint8_t {b.name}_size[] = {{{', '.join(str(sizes[t]) for t in sorted(sizes))}}};")
            out.append(f"const size_t {b.name}_n_sizes = {len(sizes)};")
        what = b.attrs.get("what", b.name).replace("_", " ")
        err_type, err_len = kind["errors"]
        out.append(f"static const struct ofp_poly_entry {b.name}_entries[] = {{{', '.join(entries)}}};")
        more, n_more = kind.get("more", ("NULL", "NULL"))
        out.append(f'const struct ofp_poly {b.name} = {{"{what}", {b.name}_entries, '
                   f"sizeof {b.name}_entries / sizeof {b.name}_entries[0], {err_type}, {err_len}, 2, {more}, {n_more}, "
                   f"{kind.get('len_multiple', 0)}}};")
        out.append("")
    return out


def gen_bodies(spec):
    """The field tables of the described bodies and their message-table
    rows: one table per run of versions with one layout and one class,
    one row per (type, multipart type) within it."""
    out, rows = [], []

    exp_rows = []

    def emit(var, what, groups, row_key, exp="OFP_ANY"):
        kind, block = what.split(" ") if " " in what else ("body", what)
        for (items, cls), vs in groups.items():
            name = f"{var}_{vs[0].replace('.', '')}"
            for v in vs:
                spec.desc_vars[(kind, block, v)] = name
            out.append(f"static const struct ofp_field {name}_fields[] = {{{', '.join(items + ('F_END',))}}};")
            out.append(f'static const struct ofp_desc {name} = {{"{cls}", {name}_fields, 0, 0}};')
            by_key = {}
            for v in vs:
                by_key.setdefault(row_key(v), []).append(v)
            for (number, mp), kvs in by_key.items():
                mask = " | ".join(f"OFPV({spec.versions[v]:#04x})" for v in kvs)
                # an experimenter's own form is searched before the generic one
                (exp_rows if exp != "OFP_ANY" else rows).append(
                    f"    {{{mask}, {number}, {mp}, {exp}, &{name}}}, /* {what} */")

    for b in spec.messages:
        groups = {}  # (field-table entries, class) -> [versions]
        for v, (fields, _) in b.bodies.items():
            groups.setdefault((c_fields(spec, fields, v), b.by_version[v][0][1]), []).append(v)
        emit(f"body_{b.name.lower()}", b.name, groups, lambda v, b=b: (spec.number(b, v), "OFP_NO_MP"))
    for what, column in (("request", 1), ("reply", 2)):
        message = next(b for b in spec.messages if b.name == f"MULTIPART_{what.upper()}")
        header = spec.mpheaders[what].bodies if what in spec.mpheaders else {}
        for b in spec.multiparts:
            groups = {}
            for v, (fields, _) in (b.bodies if what == "request" else b.replies).items():
                items = c_fields(spec, header[v][0] + fields, v, spec.number(b, v))
                groups.setdefault((items, b.by_version[v][0][column]), []).append(v)
            emit(f"{what}_{b.name.lower()}", f"{what} {b.name}", groups,
                 lambda v, b=b, m=message: (spec.number(m, v), c_num(spec.number(b, v))),
                 f"{int(b.attrs['exp'], 0):#x}u" if "exp" in b.attrs else "OFP_ANY")
    # the described structures, which the bodies above and the C codec use
    # (not static: msgs.h and the like declare those the C needs)
    structs = []
    for b in spec.structs:
        items = c_fields(spec, b.fields, None)
        structs.append(f"static const struct ofp_field {b.name}_fields[] = {{{', '.join(items + ('F_END',))}}};")
        align = b.attrs.get("align", "0")
        flags = " | ".join(f for f, on in (("DF_BAD_BUCKET", b.attrs.get("bad_len") == "bucket"),
                                           ("DF_LEN_EXCL_PAD", b.attrs.get("len") == "excl_pad")) if on) or "0"
        structs.append(f'const struct ofp_desc {b.name} = {{"{b.attrs["class"]}", {b.name}_fields, {align}, {flags}}};')
    out[:0] = structs + [""] + gen_families(spec)
    # the C codec's structures the description names, declared here
    subs = {}
    family_fields = [(f, None) for (_, _, f) in spec.family_descs.values()]
    for b in spec.messages + spec.multiparts + spec.structs + [None]:
        groups = family_fields if b is None else list(b.bodies.values()) + list(b.replies.values()) + [(b.fields, None)]
        for fields, _ in groups:
            for macro, _, _, sym in fields:
                if macro in ("F_OBJ", "F_OBJ_OPT", "F_LIST"):
                    subs[sym] = "struct ofp_desc"
                elif macro == "F_CUSTOM":
                    subs[sym] = "struct ofp_custom"
                elif macro == "F_PLIST":
                    subs[sym] = "struct ofp_poly"
    out[:0] = [f"extern const {t} {sym};" for sym, t in sorted(subs.items())] + [""]
    out += ["", "static const struct ofp_msg_row spec_rows[] = {"] + exp_rows + rows + ["};",
            "OFP_MSG_ROWS(ofp_rows_spec, spec_rows);", ""]
    return out


def gen_error_list(spec):
    """ken/ofp_error_list.h: the X-macro list of errors ken/ofp_errors.h
    builds its enum and tables from."""
    names = {b.name for b in spec.errors}
    first = list(spec.versions)[0]
    out = ["/* Generated by src/ofp/gen/ofpgen.py from src/ofp/spec/openflow.def: do not edit.",
           " * X(name, t10, c10, type, code, since, fallback): see ken/ofp_errors.h. */",
           "#ifndef KEN_OFP_ERROR_LIST_H", "#define KEN_OFP_ERROR_LIST_H", "", "#define KEN_OFPERR_LIST(X) \\"]
    rows = []
    for b in spec.errors:
        fallback = b.attrs.get("fallback", b.name)
        if fallback not in names:
            raise SpecError(f"{b.where}: {b.name}: no error {fallback}")
        t10, c10 = (int(x, 0) for x in b.by_version[first][0]) if first in b.by_version else (-1, -1)
        later = [v for v in list(spec.versions)[1:] if v in b.by_version]
        if not later or later != list(spec.versions)[list(spec.versions).index(later[0]):]:
            raise SpecError(f"{b.where}: {b.name}: its versions after {first} must run to the last")
        pairs = {tuple(int(x, 0) for x in b.by_version[v][0]) for v in later}
        if len(pairs) != 1:
            raise SpecError(f"{b.where}: {b.name}: one (type, code) from {later[0]} on")
        (t, c), = pairs
        if "fallback" not in b.attrs and (t10 < 0 or later[0] != list(spec.versions)[1]):
            raise SpecError(f"{b.where}: {b.name}: an error some version lacks needs a fallback=")
        rows.append(f"    X({b.name}, {t10}, {c10}, {t}, {c}, {spec.versions[later[0]]}, {fallback})")
    out += [r + " \\" for r in rows[:-1]] + rows[-1:]
    out += ["", "/* How many errors the list holds. */", f"enum {{ KEN_OFPERR_LIST_LEN = {len(rows)} }};", "", "#endif", ""]
    return "\n".join(out)


def gen_oxm_header(spec):
    """ken/ofp_oxm_fields.h: a KEN_OXM_<NAME> id for every OXM field of the
    classes without an experimenter id (the ids struct ken_match uses)."""
    out = ["/* Generated by src/ofp/gen/ofpgen.py from src/ofp/spec/openflow.def: do not edit.",
           " * The OXM field ids of ken/ofp_msg.h's struct ken_match: KEN_OXM_ID(class, field). */",
           "#ifndef KEN_OFP_OXM_FIELDS_H", "#define KEN_OFP_OXM_FIELDS_H", "",
           "#define KEN_OXM_ID(cls, field) ((uint32_t)(cls) << 16 | (uint32_t)(field) << 9)", ""]
    seen = set()
    for b in spec.oxms:
        if "exp" in b.attrs or b.attrs.get("family") == "stat":
            continue
        out.append(f"/* class {b.name} */")
        for name, field, size, fmt, vs, _ in b.entries:
            macro = "KEN_OXM_" + name.upper()
            if macro in seen:
                continue
            seen.add(macro)
            out.append(f"#define {macro} KEN_OXM_ID({b.attrs['class']:#06x}, {field}) /* {size} bytes */")
    out += ["", "/* How many ids this header defines. */", f"enum {{ KEN_OXM_IDS = {len(seen)} }};", "", "#endif", ""]
    return "\n".join(out)


def event_classes(spec):
    names = set()
    for b in spec.messages:
        names |= {f[1] for f, _ in b.by_version.values()}
    for b in spec.multiparts:
        names |= {f[1] for f, _ in b.by_version.values()} | {f[2] for f, _ in b.by_version.values()}
    return names - {"-"}


def main(argv):
    if len(argv) == 4 and argv[1] == "--types-header":
        # OUT: the public ken/ofp_types.h
        try:
            spec = Spec(argv[2])
            gen_bodies(spec)  # names the descs
            text = ofptypes.gen_public_header(spec, ofptypes.build(spec, spec.desc_vars), event_classes(spec))
        except (SpecError, ofptypes.SpecError) as e:
            sys.exit(f"ofpgen: {e}")
        with open(argv[3], "w", encoding="utf-8") as f:
            f.write(text)
        return
    if len(argv) == 4 and argv[1] in ("--errors-header", "--oxm-header"):
        try:
            text = (gen_error_list if argv[1] == "--errors-header" else gen_oxm_header)(Spec(argv[2]))
        except SpecError as e:
            sys.exit(f"ofpgen: {e}")
        with open(argv[3], "w", encoding="utf-8") as f:
            f.write(text)
        return
    if len(argv) != 5:
        sys.exit(__doc__)
    try:
        spec = Spec(argv[1])
        check_public_ports(spec, argv[2])
        header, source = gen_header(spec), gen_source(spec, ofproto_members(argv[2]))
    except (SpecError, ofptypes.SpecError) as e:
        sys.exit(f"ofpgen: {e}")
    for path, text in ((argv[3], header), (argv[4], source)):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main(sys.argv)
