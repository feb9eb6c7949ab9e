#!/usr/bin/env python3
"""The public headers stand alone: each one compiles as the only include of
a C11 file under -Wpedantic, and all of them together compile as C++ (an
app may be written in either), with each C++ compiler given.
The generated headers (ken/ofp_types.h) come from BUILDINC.
Usage: test_headers.py SRCROOT BUILDINC CC CXX [CXX...]."""
import glob
import os
import subprocess
import sys
import tempfile

root, build_include, cc, cxxs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
include = os.path.join(root, 'include')
headers = sorted(os.path.relpath(h, include) for h in glob.glob(os.path.join(include, 'ken', '*.h')))
headers += sorted(os.path.relpath(h, build_include) for h in glob.glob(os.path.join(build_include, 'ken', '*.h')))
if 'ken/ofp_types.h' not in headers:
    sys.exit('FAIL: %s/ken/ofp_types.h was not generated' % build_include)
strict = ['-Wall', '-Wextra', '-Wpedantic', '-Werror', '-fsyntax-only', '-I', include, '-I', build_include]
failed = []


def compiles(compiler, std, suffix, text, what):
    with tempfile.NamedTemporaryFile('w', suffix=suffix) as f:
        f.write(text)
        f.flush()
        run = subprocess.run([compiler, std] + strict + [f.name], capture_output=True, text=True)
    if run.returncode:
        failed.append(what)
        print('FAIL %s\n%s' % (what, run.stdout + run.stderr))


for h in headers:
    compiles(cc, '-std=c11', '.c', '#include "%s"\n' % h, 'C11: ' + h)
# Twice over, so a header without its guard fails too.
every = ''.join('#include "%s"\n' % h for h in headers + headers)
for cxx in cxxs:
    compiles(cxx, '-std=c++17', '.cc', every + 'int main() { return 0; }\n', 'C++17 (%s): all headers' % cxx)
print('%d of %d checks failed' % (len(failed), len(headers) + len(cxxs)))
sys.exit(1 if failed else 0)
