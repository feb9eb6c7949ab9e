#!/usr/bin/env python3
"""Fetches one file of a pinned npm package at build time (meson's
custom_target for the topology page, apps/gui/): `npm pack NAME@VERSION`
into a scratch directory, the tarball checked against the pinned sha512
integrity, the file taken out of it.

    npm-fetch.py NAME VERSION INTEGRITY PATH-IN-PACKAGE OUTPUT

Nothing is fetched at run time: the file is embedded into ken. A missing
npm or a failed download fails the build with the reason."""
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile


def main():
    name, version, integrity, member, output = sys.argv[1:6]
    npm = shutil.which("npm")
    if not npm:
        sys.exit("npm-fetch: npm not found: the topology page (-Dgui) needs npm to fetch %s@%s "
                 "(or configure with -Dgui=disabled)" % (name, version))
    with tempfile.TemporaryDirectory(prefix="ken-npm-") as tmp:
        r = subprocess.run([npm, "pack", "%s@%s" % (name, version), "--pack-destination", tmp, "--silent",
                            "--ignore-scripts"], cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=300)
        if r.returncode:
            sys.exit("npm-fetch: npm pack %s@%s failed (%d): %s" % (name, version, r.returncode,
                                                                     r.stderr.strip()[-500:]))
        tgz = [f for f in os.listdir(tmp) if f.endswith(".tgz")]
        if len(tgz) != 1:
            sys.exit("npm-fetch: npm pack left %r" % tgz)
        data = open(os.path.join(tmp, tgz[0]), "rb").read()
        algo, _, want = integrity.partition("-")
        got = base64.b64encode(hashlib.new(algo, data).digest()).decode()
        if got != want:
            sys.exit("npm-fetch: %s@%s: integrity %s-%s, pinned %s" % (name, version, algo, got, integrity))
        with tarfile.open(os.path.join(tmp, tgz[0])) as t:
            f = t.extractfile("package/" + member)
            if f is None:
                sys.exit("npm-fetch: no %s in %s@%s" % (member, name, version))
            body = f.read()
    tmp_out = output + ".tmp"
    with open(tmp_out, "wb") as out:
        out.write(body)
    os.replace(tmp_out, output)


if __name__ == "__main__":
    main()
