#!/usr/bin/env python3
"""Writes the ```c blocks of a Markdown file, in order, as one C file:
the guide's example program (see docs/apps.md)."""
import sys

def main():
    src, dst = sys.argv[1], sys.argv[2]
    out, block = [], None
    with open(src, encoding='utf-8') as f:
        for line in f:
            if block is None and line.strip() == '```c':
                block = []
            elif block is not None and line.strip() == '```':
                out.append(''.join(block))
                block = None
            elif block is not None:
                block.append(line)
    with open(dst, 'w', encoding='utf-8') as f:
        f.write('/* Generated from %s: do not edit. */\n' % src)
        f.write('\n'.join(out))

main()
