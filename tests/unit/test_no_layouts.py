#!/usr/bin/env python3
"""Fails when an OpenFlow layout is written by hand in the codec (src/ofp)
rather than in the description, src/ofp/spec/openflow.def.

    test_no_layouts.py SOURCE_ROOT

A layout in C is a field table: entries made with the field-table
shorthands of src/ofp/schema.h (F_U8, F_U16, F_PAD, F_LEN, ...), or, in the
codecs that read the wire themselves (the hot-path codec and the typed
one), a pointer plus a literal offset. Every such
entry outside schema.h's own definitions must be one the list below knows,
file by file, each with why it is still in C; a new one fails, and so does
a file that holds fewer than the list says (move its line out of the list
when its layouts move). The hot-path codec (fast_msg.c, fast_match.c) reads
and writes at the description's offsets (OFPO_/OFPS_ constants). The self-check first proves the patterns catch their examples."""
import pathlib
import re
import sys

ENTRY = re.compile(r"\bF_(?:U8|U16|U32|U64|UINT|PAD|LEN|LEN_HIDDEN|MAC|IPV4|IPV6|STR|DEF|CONST|UINTS|LENOF|"
                   r"LENOF_HIDDEN|DATA|DATA_MIN)\(")
EXAMPLES = ['F_U16("port_no")', "F_PAD(6)", 'F_LEN(2, "len")', 'F_DEF(2, "type", 3)', 'F_UINTS(4, "masks", 2)']
# What is still laid out in C: file -> (entries, why).
STILL_IN_C = {}
# Packets are not OpenFlow messages: their layouts are written in C in the
# packet library (src/packet), which this test does not read. Its one
# allowance, the packet library's files, is by name: nothing under src/ofp.
PACKET_LIBRARY = {"packet.c", "json_out.c", "json_in.c", "packet_int.h"}
SKIP = {"schema.c", "typed.c"}  # the interpreters of the field tables: they define and walk the kinds
# The codecs that read and write wire bytes themselves must take every
# offset from the description (OFPO_/OFPS_ in ofp/ofp_spec.h): a pointer
# plus a number, or indexed by one, is a layout written by hand.
OFFSET = re.compile(r"\b(?:msg|p|q|h|m|a|pos)\s*(?:\+\s*\d+\b(?!\s*[<>])|\[\d+\])|\bpos\s*\+=\s*\d+\b")
OFFSET_EXAMPLES = ["wire_get32(msg + 8)", "pi->reason = msg[16];", "wire_put16(p + 2, len)", "q[4]",
                   "wire_get16(t->msg + pos + 2)", "pos += 4;"]
# (paths under src/: ofctl_rest's flow text writer reads flow stats replies
# straight from the wire too)
BY_OFFSETS = ["ofp/fast_msg.c", "ofp/fast_match.c", "ofp/typed.c", "rest/ofctl/flow_text.c"]


def main(root):
    for ex in EXAMPLES:
        if not ENTRY.search(ex):
            print(f"self-check: the pattern misses {ex!r}")
            return 1
    for ex in OFFSET_EXAMPLES:
        if not OFFSET.search(ex):
            print(f"self-check: the offset pattern misses {ex!r}")
            return 1
    failed = []
    for name in BY_OFFSETS:
        text = re.sub(r"/\*.*?\*/", "", pathlib.Path(root, "src", name).read_text(encoding="utf-8"), flags=re.S)
        for m in OFFSET.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            failed.append(f"{name}:{line}: a wire offset written by hand ({m.group(0)!r}): use the OFPO_ constant")
    counts = {}
    for path in sorted(pathlib.Path(root, "src", "ofp").glob("*.c")):
        if path.name in SKIP:
            continue
        text = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        n = len(ENTRY.findall(text))
        if n:
            counts[path.name] = n
    for name, n in counts.items():
        allowed = STILL_IN_C.get(name, (0, ""))[0]
        if n > allowed:
            failed.append(f"{name}: {n} field-table entries written by hand (the list allows {allowed}): "
                          "describe the layout in src/ofp/spec/openflow.def")
    for name, (allowed, why) in STILL_IN_C.items():
        if counts.get(name, 0) < allowed:
            failed.append(f"{name}: {counts.get(name, 0)} entries, the list says {allowed}: shrink the list")
    for path in sorted(pathlib.Path(root, "src", "packet").glob("*.[ch]")):
        if path.name not in PACKET_LIBRARY:
            failed.append(f"src/packet/{path.name}: not a packet library file this test knows: add it to "
                          "PACKET_LIBRARY if it lays out packets, not OpenFlow")
    for f in failed:
        print("FAIL " + f)
    left = sum(n for n, _ in STILL_IN_C.values())
    print(f"{len(failed)} failures; still in C: {left} entries in {len(STILL_IN_C)} files")
    for name, (n, why) in STILL_IN_C.items():
        print(f"  {name}: {n} ({why})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
