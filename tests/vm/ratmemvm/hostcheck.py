"""Checks that run on the host: librat installs and is usable through
pkg-config, both shared (soname, symbol versions) and static."""

import os
import subprocess
import tempfile

from .util import REPO, say
from .verdict import Item

PROGRAM = r"""
#include <rat.h>
#include <stdio.h>
int main(void)
{
	/* No module on the host: the call must fail cleanly. */
	RatStatus st = RatInit();
	printf("%s %d\n", RatStatusString(st), RatGetLastError() == st);
	return st == RAT_STATUS_OK ? 1 : 0;
}
"""


def _sh(cmd, env=None, cwd=None):
    res = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, env=env, cwd=cwd)
    return res.returncode, res.stdout.strip()


def install_and_link():
    """make install DESTDIR=..., then build and run a program with
    `pkg-config --cflags --libs librat`, shared and static."""
    say("host: make install DESTDIR=... and a pkg-config build against librat")
    with tempfile.TemporaryDirectory() as tmp:
        dest, build = os.path.join(tmp, "root"), os.path.join(tmp, "build")
        rc, out = _sh(f"make -s -C {REPO} install DESTDIR={dest} PREFIX=/usr BUILD={build}")
        if rc:
            return [Item("install", "fail", out.splitlines()[-1] if out else f"exit {rc}")]
        items = [Item("install", "pass")]
        libdir = os.path.join(dest, "usr", "lib")
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"),
                   PKG_CONFIG_SYSROOT_DIR=dest, LD_LIBRARY_PATH=libdir)
        with open(os.path.join(tmp, "prog.c"), "w") as f:
            f.write(PROGRAM)
        checks = {
            "pkg-config-shared": "cc -std=c11 -Wall -Werror prog.c -o prog "
                                 "$(pkg-config --cflags --libs librat) && ./prog",
            "pkg-config-static": "cc -std=c11 -Wall -Werror -static prog.c -o prog_s "
                                 "$(pkg-config --static --cflags --libs librat) && ./prog_s",
            "soname-and-versions": f"objdump -p {libdir}/librat.so.0 | grep -q 'SONAME *librat.so.0' "
                                   f"&& objdump -T {libdir}/librat.so.0 | grep -q 'LIBRAT_0.1 *RatInit' "
                                   f"&& ! objdump -T {libdir}/librat.so.0 | grep -q rat_set_status",
        }
        for name, cmd in checks.items():
            rc, out = _sh(cmd, env=env, cwd=tmp)
            ok = rc == 0 and (name == "soname-and-versions" or out == "not found 1")
            items.append(Item(name, "pass" if ok else "fail", "" if ok else out[-200:]))
        return items
