#!/usr/bin/env python3
"""install-man: each man page lists exactly the options its tool's --help
prints (every option of --help is an entry of the page, every option the
page names is one --help names), ken.conf(5) has a setting for every
option of ken-manager but --help, --version and --config-file (and none
more), and `man --warnings` finds nothing to say about any page.
Independent of dist/gen-man.py: it reads --help and the troff source
with its own plain patterns.

    check-man.py TOOL PAGE [TOOL PAGE]... --conf KEN_MANAGER KEN_CONF_PAGE"""
import re
import subprocess
import sys

TOKEN = re.compile(r'(?<![\w-])(--?[A-Za-z][\w-]*)')
fails = 0


def check(ok, what):
    global fails
    print(('ok: ' if ok else 'FAIL: ') + what)
    if not ok:
        fails += 1


def help_text(tool):
    return subprocess.run([tool, '--help'], check=True, stdout=subprocess.PIPE, text=True).stdout


def defined_options(text):
    """Options --help defines: the first words of lines starting with '-'."""
    out = set()
    for line in text.split('\n'):
        s = line.strip()
        if s.startswith('-'):
            out.update(TOKEN.findall(re.split(r'\s{2,}', s)[0]))
    return out


def troff_plain(path):
    src = open(path).read()
    lines = [l for l in src.split('\n') if not l.startswith('.\\"')]
    text = '\n'.join(lines)
    text = re.sub(r'\\f[BIRP]|\\f\[\w*\]', '', text).replace('\\-', '-').replace('\\e', '\\').replace('\\&', '')
    return text


def man_warnings(path):
    r = subprocess.run(['man', '--warnings', '-E', 'UTF-8', '-l', '-Tutf8', '-Z', path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                       env={'LC_ALL': 'C.UTF-8', 'MANROFFSEQ': '', 'MANWIDTH': '80', 'PATH': '/usr/bin:/bin'})
    return r.returncode, r.stderr.strip()


def main(argv):
    conf = None
    if '--conf' in argv:
        i = argv.index('--conf')
        conf = argv[i + 1:i + 3]
        argv = argv[:i]
    pairs = list(zip(argv[0::2], argv[1::2]))
    for tool, page in pairs:
        name = page.rsplit('/', 1)[-1]
        h = help_text(tool)
        plain = troff_plain(page)
        in_help, in_page = set(TOKEN.findall(h)), set(TOKEN.findall(plain))
        check(in_help <= in_page, '%s: every option --help prints is in the page%s' % (
            name, '' if in_help <= in_page else ' (missing: %s)' % ' '.join(sorted(in_help - in_page))))
        check(in_page <= in_help, '%s: every option the page names is one --help prints%s' % (
            name, '' if in_page <= in_help else ' (not in --help: %s)' % ' '.join(sorted(in_page - in_help))))
        entries = set()
        for m in re.finditer(r'^\.TP\n\.B (.*)$', plain, re.M):
            entries.update(TOKEN.findall(m.group(1)))
        defined = defined_options(h)
        check(defined and defined <= entries, '%s: each option --help defines (%d) has an entry of its own%s' % (
            name, len(defined), '' if defined <= entries else ' (missing: %s)' % ' '.join(sorted(defined - entries))))
        rc, err = man_warnings(page)
        check(rc == 0 and not err, '%s: man --warnings is silent%s' % (name, '' if not err else ': ' + err))
    if conf:
        tool, page = conf
        defined = {o[2:] for o in defined_options(help_text(tool)) if o.startswith('--')}
        want = {o.replace('-', '_') for o in defined - {'help', 'version', 'config-file'}}
        plain = troff_plain(page)
        section = plain.split('.SH OPTIONS', 1)[1].split('\n.SH ', 1)[0]
        got = set(re.findall(r'^\.BI "(\w+) = "', section, re.M))
        name = page.rsplit('/', 1)[-1]
        check(want == got and len(want) > 10, '%s: a setting for each option but help, version, config-file '
              '(%d)%s' % (name, len(want), '' if want == got else ' (missing: %s; extra: %s)' % (
                  sorted(want - got), sorted(got - want))))
        rc, err = man_warnings(page)
        check(rc == 0 and not err, '%s: man --warnings is silent%s' % (name, '' if not err else ': ' + err))
    print('install-man: %d failed' % fails)
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
