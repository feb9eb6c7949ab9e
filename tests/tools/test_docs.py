#!/usr/bin/env python3
"""The examples of README.md and the tool docs run as shown.

In a fenced code block, a line "$ COMMAND" is a command; the lines after it,
up to the next "$ " line or the end of the block, are what it prints
(stdout and stderr together), compared line by line; a line "..." stands
for any number of lines. Commands run with bash in a scratch directory
where build/, tests/ and docs/ are the tree's, so `build/ken-ofp ...`
works as the README shows it and files a command writes stay there.

A code-block line that calls a tool (build/ken-...) without "$ " fails the
test: every tool example must be a runnable one.

usage: test_docs.py BUILD_DIR SOURCE_ROOT FILE.md...
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from checks import check, finish


def blocks(path):
    """(line number, lines) of each fenced code block."""
    out, cur, start = [], None, 0
    for i, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if line.startswith("```"):
            if cur is None:
                cur, start = [], i + 1
            else:
                out.append((start, cur))
                cur = None
        elif cur is not None:
            cur.append(line)
    return out


def examples(path):
    """(line, command, expected lines or None) of every "$ " command."""
    out, loose = [], []
    for start, lines in blocks(path):
        cmd = None
        for k, line in enumerate(lines):
            if line.startswith("$ "):
                if cmd:
                    out.append(cmd)
                cmd = (start + k, line[2:], [])
            elif cmd:
                cmd[2].append(line)
            elif re.search(r"(^|[|;&]\s*)build/ken-", line):
                loose.append((start + k, line))
        if cmd:
            out.append(cmd)
    return out, loose


def matches(want, got):
    """want's lines against got's; "..." matches any run of lines."""
    if not want:
        return not got
    if want[0] == "...":
        return any(matches(want[1:], got[i:]) for i in range(len(got) + 1))
    return bool(got) and want[0] == got[0] and matches(want[1:], got[1:])


def main():
    build, root, docs = sys.argv[1], sys.argv[2], sys.argv[3:]
    work = tempfile.mkdtemp(prefix="ken-docs-")
    try:
        os.symlink(os.path.abspath(build), os.path.join(work, "build"))
        for d in ("tests", "docs"):
            os.symlink(os.path.join(os.path.abspath(root), d), os.path.join(work, d))
        for doc in docs:
            name = os.path.relpath(doc, root)
            cmds, loose = examples(doc)
            check(not loose, f"{name}: every tool command in a code block is a '$ ' example"
                  + ("" if not loose else f" (not: {loose})"))
            check(len(cmds) > 0, f"{name}: has examples to run ({len(cmds)})")
            for line, cmd, want in cmds:
                p = subprocess.run(["bash", "-c", cmd], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, timeout=60)
                got = p.stdout.splitlines()
                # a command shown without output must succeed and print nothing
                ok = matches(want, got) and (want or p.returncode == 0)
                check(ok, f"{name}:{line}: $ {cmd}" + ("" if ok else
                      f"\n  exit {p.returncode}\n  shown: {want}\n  got:   {got}"))
    finally:
        shutil.rmtree(work)
    finish()


if __name__ == "__main__":
    main()
