#!/usr/bin/env python3
"""Each example app in C is at most 1.5 times the lines of its Python
original, comments and blank lines aside (issue 8).

    line_count.py SOURCE_ROOT [DIR...]

The originals of Ryu and OS-Ken are not part of ken: their counts are
written down below, with where they come from, and recounted whenever the
file is found (in a DIR given, or in ../shared/reference/ryu/ryu/app
beside the tree, or in an installed os_ken), so a wrong number fails.
flow_watch_13's original is ken's own and is counted every time.

Counting: a line is code when something other than a comment or
whitespace is on it. A C comment is /* ... */ or // ...; a Python comment
is # ..., and a string that stands alone as a statement (a docstring).
"""
import io
import os
import sys
import tokenize

RATIO = 1.5

# C app -> (original, where it is found, its code lines when recorded)
APPS = {
    "apps/simple_switch_13.c": ("simple_switch_13.py", "OS-Ken os_ken/app/simple_switch_13.py "
                                "(openstack/os-ken 9f1f1726)", 73),
    "apps/simple_switch_12.c": ("simple_switch_12.py", "Ryu ryu/app/simple_switch_12.py "
                                "(faucetsdn/ryu, last state)", 58),
    "apps/simple_switch_14.c": ("simple_switch_14.py", "Ryu ryu/app/simple_switch_14.py "
                                "(faucetsdn/ryu, last state)", 61),
    "apps/simple_switch_15.c": ("simple_switch_15.py", "Ryu ryu/app/simple_switch_15.py "
                                "(faucetsdn/ryu, last state)", 62),
    "apps/simple_monitor_13.c": ("simple_monitor_13.py", "Ryu ryu/app/simple_monitor_13.py "
                                 "(faucetsdn/ryu, last state)", 67),
    "apps/flow_watch_13.c": ("tests/apps/flow_watch_13.py", "ken's own, in the tree", None),
}


def c_code_lines(text):
    """Lines of C with something besides comments and whitespace."""
    code = set()
    line, i, n = 1, 0, len(text)
    state = None  # None, "block", "line", '"', "'"
    while i < n:
        c = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if c == "\n":
            line += 1
            if state == "line":
                state = None
            i += 1
            continue
        if state == "block":
            if c == "*" and nxt == "/":
                state, i = None, i + 2
            else:
                i += 1
            continue
        if state == "line":
            i += 1
            continue
        if state in ('"', "'"):
            code.add(line)
            if c == "\\":
                i += 2
                continue
            if c == state:
                state = None
            i += 1
            continue
        if c == "/" and nxt == "*":
            state, i = "block", i + 2
            continue
        if c == "/" and nxt == "/":
            state, i = "line", i + 2
            continue
        if c in "\"'":
            state = c
        if not c.isspace():
            code.add(line)
        i += 1
    return len(code)


def py_code_lines(text):
    """Lines of Python with a token besides comments, docstrings and layout."""
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENCODING, tokenize.ENDMARKER}
    toks = list(tokenize.generate_tokens(io.StringIO(text).readline))
    code = set()
    prev = tokenize.NEWLINE
    for k, tok in enumerate(toks):
        if tok.type in skip:
            if tok.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
                prev = tok.type
            continue
        nxt = next((t for t in toks[k + 1:] if t.type not in (tokenize.COMMENT, tokenize.NL)), None)
        docstring = (tok.type == tokenize.STRING and prev in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
                     and nxt is not None and nxt.type in (tokenize.NEWLINE, tokenize.ENDMARKER))
        prev = tok.type
        if not docstring:
            code.update(range(tok.start[0], tok.end[0] + 1))
    return len(code)


def find(name, dirs):
    for d in dirs:
        path = os.path.join(d, name)
        if os.path.isfile(path):
            return path
    return None


def self_test():
    c = "/* a\n * b */\nint x; // y\n\n  /* z */ int y = '/'; /* w\n */\nchar *s = \"/* no */\";\n"
    assert c_code_lines(c) == 3, c_code_lines(c)
    py = '"""doc\nstring"""\nimport os  # why\n\n# only\nx = """a\nb"""\ndef f():\n    """doc"""\n    return 1\n'
    assert py_code_lines(py) == 5, py_code_lines(py)


def main(argv):
    self_test()
    root = argv[1]
    dirs = argv[2:] + [os.path.join(root, "..", "shared", "reference", "ryu", "ryu", "app")]
    try:
        import os_ken.app  # noqa: F401  (Debian's python3-os-ken strips the examples; a full one has them)
        dirs += list(os_ken.app.__path__)
    except ImportError:
        pass
    failed = False
    print(f"{'app':28} {'C':>4} {'Python':>6} {'ratio':>5}  original")
    for capp, (orig, where, recorded) in APPS.items():
        with open(os.path.join(root, capp), encoding="utf-8") as f:
            clines = c_code_lines(f.read())
        path = os.path.join(root, orig) if recorded is None else find(orig, dirs)
        note = where
        if path:
            with open(path, encoding="utf-8") as f:
                pylines = py_code_lines(f.read())
            if recorded is not None and pylines != recorded:
                print(f"FAIL: {path} has {pylines} code lines, {recorded} recorded here: "
                      f"check the original and the number")
                failed = True
            note += f"; counted in {path}" if recorded is not None else ""
        else:
            pylines = recorded
            note += "; recorded count (file not here)"
        ratio = clines / pylines
        ok = ratio <= RATIO
        failed |= not ok
        print(f"{capp:28} {clines:4} {pylines:6} {ratio:5.2f}  {note}{'' if ok else '  FAIL: over 1.5x'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
