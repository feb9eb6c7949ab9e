#!/usr/bin/env python3
"""Writes a C file holding files as byte arrays, for ken to serve them
from memory (the topology page, apps/gui/).

    embed-assets.py OUTPUT.c URL-PATH=CONTENT-TYPE=FILE (the type may hold "=", the file may not) ...

The table is `const struct gui_asset gui_assets[]` (apps/gui_assets.h),
ended by an entry whose path is NULL."""
import sys


def main():
    out, specs = sys.argv[1], sys.argv[2:]
    lines = ["#include \"apps/gui_assets.h\"", ""]
    table = []
    for i, spec in enumerate(specs):
        path, rest = spec.split("=", 1)
        ctype, fname = rest.rsplit("=", 1)
        data = open(fname, "rb").read()
        lines.append("static const unsigned char asset_%d[%d] = {" % (i, len(data) + 1))
        for off in range(0, len(data), 24):
            lines.append("    " + ",".join(str(b) for b in data[off:off + 24]) + ",")
        lines.append("    0};")
        table.append('    {"%s", "%s", asset_%d, %d},' % (path, ctype, i, len(data)))
    lines.append("const struct gui_asset gui_assets[] = {")
    lines += table
    lines.append("    {0, 0, 0, 0},")
    lines.append("};")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
