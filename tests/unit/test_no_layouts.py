#!/usr/bin/env python3
"""Fails when an OpenFlow layout is written by hand in the codec (src/ofp)
rather than in the description, src/ofp/spec/openflow.def.

    test_no_layouts.py SOURCE_ROOT

A layout in C is a field table: entries made with the field-table
shorthands of src/ofp/schema.h (F_U8, F_U16, F_PAD, F_LEN, ...). Every such
entry outside schema.h's own definitions must be one the list below knows,
file by file, each with why it is still in C; a new one fails, and so does
a file that holds fewer than the list says (move its line out of the list
when its layouts move). The hot-path codec (fast_msg.c, fast_match.c) reads
and writes wire offsets directly; fuzz-diff holds it to the described
layouts. The self-check first proves the pattern catches its examples."""
import pathlib
import re
import sys

ENTRY = re.compile(r"\bF_(?:U8|U16|U32|U64|UINT|PAD|LEN|LEN_HIDDEN|MAC|IPV4|IPV6|STR|DEF|CONST|UINTS|LENOF|"
                   r"LENOF_HIDDEN|DATA|DATA_MIN)\(")
EXAMPLES = ['F_U16("port_no")', "F_PAD(6)", 'F_LEN(2, "len")', 'F_DEF(2, "type", 3)', 'F_UINTS(4, "masks", 2)']
# What is still laid out in C: file -> (entries, why).
STILL_IN_C = {
    "packet_json.c": (23, "the packet library's headers (Ethernet, ARP, ICMP) OS-Ken shows inside "
                          "packet-in data: packets, not OpenFlow messages"),
}
SKIP = {"schema.c", "typed.c"}  # the interpreters: they define and walk the kinds


def main(root):
    for ex in EXAMPLES:
        if not ENTRY.search(ex):
            print(f"self-check: the pattern misses {ex!r}")
            return 1
    failed = []
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
    for f in failed:
        print("FAIL " + f)
    left = sum(n for n, _ in STILL_IN_C.values())
    print(f"{len(failed)} failures; still in C: {left} entries in {len(STILL_IN_C)} files")
    for name, (n, why) in STILL_IN_C.items():
        print(f"  {name}: {n} ({why})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
