#!/usr/bin/env python3
"""Writes a man page from a tool's --help and a hand-written template.

    gen-man.py --tool build/ken-manager --version 0.1.0 IN OUT

The template (dist/man/*.in) is troff with placeholders:
  @VERSION@, @SYSCONFDIR@, @LIBDIR@  the values given
  @SYNOPSIS@        the Usage: lines of --help, as a SYNOPSIS section
  @HELP@            the rest of --help: paragraphs, option lists (.TP),
                    headings (.SS) and indented blocks (examples) kept as
                    they are
  @CONFIG_OPTIONS@  the options of --help as config-file settings
                    (name_with_underscores = VALUE), for ken.conf(5)
So the options a page lists are the ones --help prints, by construction;
tests/install/check-man.py checks the result against --help again.

--dump-options prints the options --help lists, one a line, and exits
(the check uses it)."""
import argparse
import re
import subprocess
import sys

OPT_START = re.compile(r'^-{1,2}[A-Za-z0-9?]')
# Options that are not settings of a config file.
NOT_IN_CONFIG = {'help', 'version', 'config-file'}


def run_help(tool):
    out = subprocess.run([tool, '--help'], check=True, stdout=subprocess.PIPE, text=True).stdout
    return out.rstrip('\n').split('\n')


def esc(text):
    """Plain text to troff: backslashes, option dashes, a leading dot."""
    text = text.replace('\\', '\\e')
    text = re.sub(r'(?<![\w-])(--?)(?=[A-Za-z0-9?])', lambda m: '\\-' * len(m.group(1)), text)
    if text.startswith(('.', "'")):
        text = '\\&' + text
    return text


def indent_of(line):
    return len(line) - len(line.lstrip(' '))


def split_term(line, prev_col):
    """(term, description, description column) of an option or subcommand
    line, or None. The description starts after two spaces, or at the
    column of the previous item when only one space separates them."""
    ind = indent_of(line)
    body = line[ind:]
    is_opt = bool(OPT_START.match(body))
    is_cmd = ind == 0 and re.match(r'^[a-z][a-z-]*\s{2,}\S', body)
    if not (is_opt or is_cmd):
        return None
    m = re.search(r'\S(\s{2,})(\S)', body)
    if m:
        col = ind + m.start(2)
        return body[:m.start(1) + 1].strip(), line[col:], col
    if prev_col and len(line) > prev_col and line[prev_col - 1] == ' ' and line[prev_col] != ' ':
        return line[ind:prev_col].strip(), line[prev_col:], prev_col
    return body.strip(), '', None


def parse(lines):
    """--help lines -> (usage lines, blocks). A block is ('para', [text]),
    ('head', text), ('item', term, [desc lines]), ('note', [text]) (prose
    indented under an option list) or ('pre', [lines]) (examples)."""
    usage = []
    i = 0
    if lines and lines[0].startswith('Usage:'):
        usage.append(lines[0][len('Usage:'):].strip())
        i = 1
        while i < len(lines) and lines[i].startswith(' ') and lines[i].strip():
            usage.append(lines[i].strip())
            i += 1
    blocks = []
    prev_col = None
    item_col = None
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip():
            blocks.append(('blank',))
            item_col = None
            continue
        ind = indent_of(line)
        last = blocks[-1] if blocks else None
        if item_col is not None and ind >= item_col and last and last[0] == 'item':
            last[2].append(line.strip())
            continue
        t = split_term(line, prev_col)
        if t and t[2] is None and ind > 0 and last and last[0] == 'pre':
            t = None  # an example's continuation line that starts with an option
        if t:
            term, desc, col = t
            blocks.append(('item', term, [desc.strip()] if desc.strip() else []))
            item_col = col if col else ind + 4
            prev_col = col or prev_col
            continue
        item_col = None
        if ind == 0 and line.rstrip().endswith(':') and len(line) < 60:
            blocks.append(('head', line.rstrip()[:-1]))
        elif ind > 0 and last and last[0] in ('item', 'note'):
            # Indented prose right under an option list: a note to it.
            if last[0] == 'note':
                last[1].append(line.strip())
            else:
                blocks.append(('note', [line.strip()]))
        elif ind > 0:
            if last and last[0] == 'pre':
                last[1].append(line)
            else:
                blocks.append(('pre', [line]))
        else:
            if last and last[0] == 'para':
                last[1].append(line.strip())
            else:
                blocks.append(('para', [line.strip()]))
    return usage, blocks


def options_of(blocks):
    """Every option name (--long, -s) the items define, in order."""
    names = []
    for b in blocks:
        if b[0] == 'item':
            for n in re.findall(r'(?<![\w-])(--?[A-Za-z0-9?][\w-]*)', b[1]):
                if n not in names:
                    names.append(n)
    return names


def render_synopsis(usage):
    """Each Usage: line: the tool in bold, its arguments, and what it
    does when the line says so after two spaces."""
    out = ['.SH SYNOPSIS']
    for u in usage:
        parts = re.split(r'\s{2,}', u, maxsplit=1)
        tool, _, args = parts[0].partition(' ')
        out.append('.B ' + esc(tool))
        line = esc(args)
        if len(parts) > 1:
            line += ' \\(em ' + esc(parts[1])
        if line:
            out.append(line)
        out.append('.br')
    out.pop()
    return '\n'.join(out)


def render_help(blocks):
    out = ['.SH DESCRIPTION']
    need_pp = False
    for b in blocks:
        kind = b[0]
        if kind == 'blank':
            need_pp = True
            continue
        if kind == 'head':
            out.append('.SS ' + esc(b[1]))
            need_pp = False
        elif kind == 'para':
            if need_pp and out[-1] != '.SH DESCRIPTION':
                out.append('.PP')
            out.extend(esc(t) for t in b[1])
        elif kind == 'item':
            out.append('.TP')
            out.append('.B ' + esc(b[1]))
            out.extend(esc(t) for t in b[2])
        elif kind == 'note':
            out.append('.IP')
            out.extend(esc(t) for t in b[1])
        elif kind == 'pre':
            base = min(indent_of(x) for x in b[1])
            out.append('.PP')
            out.append('.RS 4')
            out.append('.nf')
            out.extend(esc(x[base:]) for x in b[1])
            out.append('.fi')
            out.append('.RE')
        need_pp = False
    return '\n'.join(x for x in out if x != '')


def render_config(blocks):
    """The options as settings: every item but the NOT_IN_CONFIG ones,
    under the same group headings as --help."""
    out = []
    pending_head = None
    for b in blocks:
        if b[0] == 'head':
            pending_head = b[1]
        elif b[0] == 'item':
            m = re.match(r'^(?:-\w, )?--([\w-]+)(?: (\S+))?$', b[1])
            if not m or m.group(1) in NOT_IN_CONFIG:
                continue
            if pending_head:
                out.append('.SS ' + esc(pending_head))
                pending_head = None
            name = m.group(1).replace('-', '_')
            value = m.group(2) or 'true|false'
            out.append('.TP')
            out.append('.BI "%s = " %s' % (name, esc(value)))
            out.extend(esc(t) for t in b[2])
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tool', required=True)
    ap.add_argument('--version', default='')
    ap.add_argument('--sysconfdir', default='/etc')
    ap.add_argument('--libdir', default='/usr/lib')
    ap.add_argument('--dump-options', action='store_true')
    ap.add_argument('template', nargs='?')
    ap.add_argument('output', nargs='?')
    a = ap.parse_args()
    usage, blocks = parse(run_help(a.tool))
    if a.dump_options:
        print('\n'.join(options_of(blocks)))
        return 0
    text = open(a.template).read()
    for key, value in (('@VERSION@', a.version), ('@SYSCONFDIR@', a.sysconfdir), ('@LIBDIR@', a.libdir)):
        text = text.replace(key, value)
    if '@SYNOPSIS@' in text:
        text = text.replace('@SYNOPSIS@', render_synopsis(usage))
    if '@HELP@' in text:
        text = text.replace('@HELP@', render_help(blocks))
    if '@CONFIG_OPTIONS@' in text:
        text = text.replace('@CONFIG_OPTIONS@', render_config(blocks))
    with open(a.output, 'w') as f:
        f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
