#!/usr/bin/env python3
"""Fails when a message type or multipart type number is written by hand in
the codec (src/ofp, include/ken) rather than taken from the description,
src/ofp/spec/openflow.def, through the generated enums (ofp/ofp_spec.h).

    test_no_numbers.py SOURCE_ROOT

Each pattern below is a shape in which such a number used to be written;
the self-check first proves each still catches its example."""
import pathlib
import re
import sys

NUM = r"(?:0x[0-9a-fA-F]+|\d+)"
NAME = r"(?:T|MP|OFPT\d*|OFPST\d*|OFPMP|KEN_OFPT|KEN_OFPMP)_[A-Z0-9_]+"
PATTERNS = {
    "a ken_ofproto member given a number": (rf"\.OFP(?:T|MP|ST)_\w+\s*=\s*{NUM}", ".OFPT_HELLO = 0,"),
    "an enum of type numbers": (rf"\b{NAME}\s*=\s*{NUM}\b", "T_HELLO = 0, T_ERROR = 1,"),
    "a #define of a type number": (rf"#\s*define\s+{NAME}\s+\(?{NUM}", "#define OFPT10_VENDOR 4"),
    "a sender table indexed by type": (rf"\[\s*{NUM}\s*\]\s*=\s*\{{\s*OFPV", "[0] = {OFPV(1), SYM},"),
    "a multipart header with a literal type": (rf"\b(?:MP_HDR\w*|STATS_EMPTY|STATS|REPLY_LIST|REPLY_ONE)\("
                                               rf"(?:\w+,\s*\"[^\"]*\",\s*)?{NUM}\s*[,)]",
                                               'STATS(port_request, "OFPPortStatsRequest", 4, F_U16("port_no"))'),
    "a 1.0-or-later choice of literal types": (r"\?\s*(?:1[6-9]|2[0-3])\s*:\s*(?:1[6-9]|2[0-3])\b",
                                               "version == KEN_OFP10 ? 17 : 19"),
    "a header built or checked with a literal type": (
        rf"\b(?:put_header|check_msg|check_mp_reply)\([^,]+,[^,]+,\s*{NUM}\s*,", "put_header(b, version, 14, xid)"),
}
# Message-table rows (in a struct ofp_msg_row array): ROW(...) or {vmask,
# type, mp, exp, &desc}; a literal in any place but the description's is a
# restated version, type or multipart number.
TABLE = re.compile(r"struct ofp_msg_row\s+\w+\[\]\s*=\s*\{(.*?)\n\};", re.S)
ROW = re.compile(r"^\s*(?:\w*ROW\((.*)\)|\{(.*)\}),?\s*$", re.M)
EXAMPLE_ROWS = ["    ROW(10, packet_in),", "    ROW(V12, T_REQ, 4, port_req_12),",
                "    STATS_ROW(OFPT10_STATS_REQUEST, 0, desc_request),", "    {V13, 18, MP_X, OFP_ANY, &x},"]


def split_args(text):
    args, depth, cur = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
            continue
        depth += ch in "({"
        depth -= ch in ")}"
        cur += ch
    return args + [cur.strip()]


def row_offences(text):
    for table in TABLE.finditer(text):
        for m in ROW.finditer(table.group(1)):
            args = split_args(m.group(1) if m.group(1) is not None else m.group(2))
            if any(re.fullmatch(NUM, a) for a in args[:-1]):
                yield table.start(1) + m.start(), "a message-table row with a literal number"


def offences(text):
    for what, (pattern, _) in PATTERNS.items():
        for m in re.finditer(pattern, text):
            yield m.start(), what
    yield from row_offences(text)


def self_check():
    ok = True
    for what, (pattern, example) in PATTERNS.items():
        if not re.search(pattern, example):
            print(f"self-check: the pattern for {what} misses {example!r}")
            ok = False
    for example in EXAMPLE_ROWS:
        if not list(row_offences(f"static const struct ofp_msg_row rows[] = {{\n{example}\n}};")):
            print(f"self-check: the row check misses {example!r}")
            ok = False
    return ok


def main(root):
    root = pathlib.Path(root)
    files = [p for p in sorted((root / "src" / "ofp").rglob("*.[ch]"))] + sorted((root / "include" / "ken").glob("*.h"))
    bad = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        for at, what in offences(text):
            line = text.count("\n", 0, at) + 1
            print(f"{path.relative_to(root)}:{line}: {what}: {text.splitlines()[line - 1].strip()}")
            bad += 1
    if bad:
        print(f"{bad} number(s) written by hand: give them a name in src/ofp/spec/openflow.def and use the "
              "generated enum (docs/ofp.md, 'The description and its generator')")
    return 0 if self_check() and not bad else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
