"""Checks that run on the host: librat installs and is usable through
pkg-config, both shared (soname, symbol versions) and static, and
without any flag under /usr/include; `make install` puts the udev rule,
the modprobe.d/modules-load.d examples and ratmemctl's bash completion
in place and `make uninstall` takes everything away again; the install
honours PREFIX after a plain `make`, a multiarch LIBDIR, CPPFLAGS and
LDFLAGS, and runs ldconfig; librat.a exports nothing internal; the
packaging files agree with the module (version, parameters, device)."""

import glob
import os
import re
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
        # A plain build first (PREFIX /usr/local): the install must still
        # write PREFIX=/usr into librat.pc.
        rc, out = _sh(f"make -s -C {REPO} lib BUILD={build}")
        if rc == 0:
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
            # As if under /usr/include: rat.h finds its uapi header itself.
            "include-without-flags": f"cc -std=c11 -Wall -Werror -I{dest}/usr/include "
                                     "-c prog.c -o prog_noflags.o && echo 'not found 1'",
            "pc-prefix-follows-install": f"grep -qx 'prefix=/usr' {libdir}/pkgconfig/librat.pc "
                                         f"&& grep -qx 'libdir=/usr/lib' {libdir}/pkgconfig/librat.pc "
                                         "&& echo 'not found 1'",
            "soname-and-versions": f"objdump -p {libdir}/librat.so.1 | grep -q 'SONAME *librat.so.1' "
                                   f"&& objdump -T {libdir}/librat.so.1 | grep -q 'LIBRAT_1.0 *RatInit' "
                                   f"&& ! objdump -T {libdir}/librat.so.1 | grep -q rat_set_status",
        }
        for name, cmd in checks.items():
            rc, out = _sh(cmd, env=env, cwd=tmp)
            ok = rc == 0 and (name == "soname-and-versions" or out == "not found 1")
            items.append(Item(name, "pass" if ok else "fail", "" if ok else out[-200:]))
        items.append(_installed_files(dest))
        rc, out = _sh(f"make -s -C {REPO} uninstall DESTDIR={dest} PREFIX=/usr BUILD={build}")
        left = [os.path.relpath(os.path.join(d, f), dest)
                for d, _, files in os.walk(dest) for f in files]
        bad = rc or left
        items.append(Item("uninstall", "fail" if bad else "pass",
                          (out[-200:] if rc else "left: " + ", ".join(left[:5])) if bad else ""))
        items += _build_flags(tmp) + [_private_symbols(build)]
        return items


MULTIARCH = "/usr/lib/x86_64-linux-gnu"
PROBE = "-DRATMEM_CPPFLAGS_PROBE"


def _build_flags(tmp):
    """A multiarch LIBDIR installs (LIBDIR is only the install path);
    CPPFLAGS reaches every compile and LDFLAGS every link; the install
    on the real system runs ldconfig."""
    items = []
    dest, build = os.path.join(tmp, "root-ma"), os.path.join(tmp, "build-ma")
    rc, out = _sh(f"make -s -C {REPO} install DESTDIR={dest} PREFIX=/usr LIBDIR={MULTIARCH} "
                  f"BUILD={build}")
    pc = os.path.join(dest, MULTIARCH.lstrip("/"), "pkgconfig", "librat.pc")
    ok = (rc == 0 and os.path.isfile(os.path.join(dest, MULTIARCH.lstrip("/"), "librat.so.1"))
          and os.path.isfile(pc) and f"libdir={MULTIARCH}\n" in open(pc).read())
    items.append(Item("install-multiarch-libdir", "pass" if ok else "fail",
                      "" if ok else (out[-200:] or "librat.so.1 or librat.pc not in LIBDIR")))

    flags = f"CPPFLAGS={PROBE} LDFLAGS=-Wl,-z,now"
    rc, out = _sh(f"make -B -n -C {REPO} lib tools examples selftests BUILD={build} {flags}")
    cmds = [line for line in out.splitlines() if re.match(r"\s*(cc|gcc)\s", line)]
    compiles = [c for c in cmds if " -c " in c or c.rstrip().endswith(".c")]
    links = [c for c in cmds if " -o " in c and " -c " not in c]
    missing = [c for c in compiles if PROBE not in c] + [c for c in links if "-z,now" not in c]
    ok = rc == 0 and compiles and links and not missing
    items.append(Item("cppflags-ldflags", "pass" if ok else "fail",
                      "" if ok else (missing[0][:200] if missing else out[-200:])))

    rc, out = _sh(f"make -n -C {REPO} install PREFIX=/usr/local BUILD={build} LDCONFIG=ldconfig")
    ok = rc == 0 and re.search(r"^\s*ldconfig;", out, re.M) is not None
    items.append(Item("install-runs-ldconfig", "pass" if ok else "fail",
                      "" if ok else "no ldconfig in `make -n install`"))
    return items


def _private_symbols(build):
    """librat.a defines, as global symbols, exactly the version map's
    public ones: no internal rat_* name leaks into programs."""
    public = set(re.findall(r"^\s+(\w+);", open(os.path.join(REPO, "lib", "librat.map")).read(),
                            re.M))
    rc, out = _sh(f"nm -g --defined-only {build}/lib/librat.a")
    defined = {f[2] for f in (line.split() for line in out.splitlines()) if len(f) == 3}
    extra = sorted(defined - public)
    ok = rc == 0 and defined and not extra
    return Item("no-internal-symbols", "pass" if ok else "fail",
                "" if ok else "global in librat.a but not public: " + ", ".join(extra[:8]))


WANT_FILES = {
    "etc/udev/rules.d/60-ratmem.rules": "dist/60-ratmem.rules",
    "usr/share/doc/ratmem/examples/modprobe.d/ratmem.conf": "dist/modprobe.d-ratmem.conf",
    "usr/share/doc/ratmem/examples/modules-load.d/ratmem.conf": "dist/modules-load.d-ratmem.conf",
    "usr/share/man/man8/ratmemctl.8": "man/man8/ratmemctl.8",
    "usr/share/bash-completion/completions/ratmemctl": "dist/ratmemctl.bash-completion",
    "usr/share/man/man7/librat.7": "man/man7/librat.7",
    "usr/share/man/man3/RatSharedMemCreate.3": "man/man3/RatSharedMemCreate.3",
    "usr/bin/ratmemctl": None,
    "usr/include/rat.h": "lib/include/rat.h",
    "usr/include/rat/linux/ratmem.h": "uapi/linux/ratmem.h",
    "usr/include/rat/linux/ratmem_genl.h": "uapi/linux/ratmem_genl.h",
    "usr/lib/librat.a": None,
}


def _installed_files(dest):
    """Every packaging file landed where the README says, unchanged."""
    bad = []
    for rel, src in WANT_FILES.items():
        path = os.path.join(dest, rel)
        if not os.path.isfile(path):
            bad.append("missing " + rel)
        elif src and open(path, "rb").read() != open(os.path.join(REPO, src), "rb").read():
            bad.append("differs " + rel)
    return Item("installed-files", "fail" if bad else "pass", "; ".join(bad))


def _module_params():
    names = set()
    for path in glob.glob(os.path.join(REPO, "module", "*.c")):
        text = open(path).read()
        names |= set(re.findall(r"module_param(?:_named|_cb)?\(\s*(\w+)", text))
    return names


def packaging():
    """The packaging files agree with the module: dkms.conf's version is
    RATMEM_MODULE_VERSION, the modprobe.d example documents every module
    parameter (and no other), and the udev rule names the device the
    module registers, group ratmem, mode 0660."""
    items = []
    ratmem_h = open(os.path.join(REPO, "module", "ratmem.h")).read()
    mod_version = re.search(r'#define RATMEM_MODULE_VERSION\s+"([^"]+)"', ratmem_h)
    dkms_conf = open(os.path.join(REPO, "dkms.conf")).read()
    dkms_version = re.search(r'^PACKAGE_VERSION="([^"]+)"', dkms_conf, re.M)
    same = mod_version and dkms_version and mod_version.group(1) == dkms_version.group(1)
    items.append(Item("dkms-version", "pass" if same else "fail",
                      "" if same else f"dkms.conf {dkms_version and dkms_version.group(1)} "
                      f"!= module {mod_version and mod_version.group(1)}"))

    example = open(os.path.join(REPO, "dist", "modprobe.d-ratmem.conf")).read()
    documented = set(re.findall(r"^# (\w+)\s{2,}", example, re.M))
    params = _module_params()
    diff = sorted(params ^ documented)
    items.append(Item("modprobe-example", "fail" if diff or not params else "pass",
                      "not both in the module and the example: " + ", ".join(diff) if diff else ""))

    uapi = open(os.path.join(REPO, "uapi", "linux", "ratmem.h")).read()
    devname = re.search(r'#define RATMEM_DEVICE_NAME\s+"(\w+)"', uapi)
    rules = [line for line in open(os.path.join(REPO, "dist", "60-ratmem.rules"))
             if line.strip() and not line.startswith("#")]
    keys = dict(re.findall(r'(\w+)={1,2}"([^"]*)"', rules[0])) if len(rules) == 1 else {}
    want = {"SUBSYSTEM": "misc", "KERNEL": devname and devname.group(1),
            "GROUP": "ratmem", "MODE": "0660"}
    wrong = [f"{k}={keys.get(k)!r}" for k, v in want.items() if keys.get(k) != v]
    items.append(Item("udev-rule-text", "fail" if wrong or len(rules) != 1 else "pass",
                      ("one rule line expected; " if len(rules) != 1 else "") + ", ".join(wrong)))
    return items


def heap():
    """The heap's own tests on the host (tests/heap): lib/heap*.c over a
    stub region layer, run plain, under AddressSanitizer+UBSan and under
    ThreadSanitizer, and librat-malloc.so's code (over the same stub)
    preloaded into shim_test. One Item per test case and build."""
    say("host: the heap under ASan/UBSan and TSan (tests/heap)")
    items = []
    with tempfile.TemporaryDirectory() as tmp:
        rc, out = _sh(f"make -s -C {os.path.join(REPO, 'tests', 'heap')} O={tmp} all")
        if rc:
            return [Item("heap-build", "fail", out.splitlines()[-1] if out else f"exit {rc}")]
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0",
                   TSAN_OPTIONS="halt_on_error=1 exitcode=66")
        shim = dict(env, LD_PRELOAD=os.path.join(tmp, "librat-malloc-stub.so"))
        for build in ("heap_test", "heap_test-asan", "heap_test-tsan", "shim_test"):
            res = subprocess.run([os.path.join(tmp, build)], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True,
                                 env=shim if build == "shim_test" else env, timeout=600)
            seen = 0
            for line in res.stdout.splitlines():
                m = re.match(r"^(not ok|ok) \d+ (\S+)", line)
                if m:
                    seen += 1
                    items.append(Item(f"{build}.{m.group(2)}",
                                      "pass" if m.group(1) == "ok" else "fail",
                                      "" if m.group(1) == "ok" else "see its output"))
            if res.returncode or not seen:
                tail = res.stdout.strip().splitlines()[-3:] if res.stdout.strip() else []
                items.append(Item(build, "fail",
                                  f"exit {res.returncode}: {' | '.join(tail)}"))
    return items


def tools():
    """ratmemctl's formatting and argument parsers on the host
    (tools/fmt_test.c, `make -C tools check`). One Item per test case."""
    say("host: ratmemctl's formatters (tools/fmt_test)")
    with tempfile.TemporaryDirectory() as tmp:
        rc, out = _sh(f"make -s -C {os.path.join(REPO, 'tools')} O={tmp} check")
    items = []
    for line in out.splitlines():
        m = re.match(r"^(not ok|ok) \d+ (\S+)", line)
        if m:
            items.append(Item(f"ratmemctl.{m.group(2)}", "pass" if m.group(1) == "ok" else "fail",
                              "" if m.group(1) == "ok" else "see its output"))
    if rc or not items:
        items.append(Item("ratmemctl-fmt_test", "fail",
                          out.splitlines()[-1] if out else f"exit {rc}"))
    return items
