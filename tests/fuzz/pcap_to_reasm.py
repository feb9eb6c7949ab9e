#!/usr/bin/env python3
"""Turns pcap files into fuzz-reasm inputs (tests/fuzz/fuzz_reasm.c): a
link-type byte, then each frame as a 2-byte length and its bytes.

usage: pcap_to_reasm.py OUTDIR FILE.pcap...
"""
import os
import struct
import sys

LINKS = [1, 113, 276, 101, 0, 108]  # fuzz_reasm.c's order

out = sys.argv[1]
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    link = struct.unpack("<I", data[20:24])[0]
    blob = bytearray([LINKS.index(link)])
    off = 24
    while off + 16 <= len(data):
        _, _, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        blob += struct.pack("!H", len(frame) | (0x8000 if orig > incl else 0)) + frame
        off += 16 + incl
    name = os.path.splitext(os.path.basename(path))[0]
    open(os.path.join(out, name + ".bin"), "wb").write(blob)
