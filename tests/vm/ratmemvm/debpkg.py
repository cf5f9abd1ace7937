"""The Debian packages (debian/) end to end, on the host, no VM: `make
deb` in a temporary copy of the tree (dpkg-buildpackage, then lintian),
then the four packages installed with apt into a Debian 12 chroot that
has the 6.1 kernel headers (linux-headers-amd64), used there, and purged.

Checked in the chroot: DKMS built and installed ratmem.ko for the
headers' kernel (dkms status "installed", the module under
/lib/modules/<release>/updates/dkms with this version and that
vermagic); a program builds with `pkg-config --cflags --libs librat`
(shared and static) and runs (RatInit fails cleanly: there is no
/dev/ratmem); `ratmemctl --version` runs; the group ratmem exists
(addgroup made it: no systemd in the chroot); `apt-get purge` of the
four leaves none of their files, no /usr/src/ratmem-*, no dkms tree
entry and no module behind. Then the sysusers path: with
systemd-standalone-sysusers installed and the group deleted, installing
ratmem-tools makes the group again through systemd-sysusers. The group
itself is kept on purge, as Debian does for system groups.

The chroot (debootstrap --variant=minbase bookworm, plus
linux-headers-amd64) is cached as a tarball under
${XDG_CACHE_HOME:-~/.cache}/ratmem/chroot/, keyed by CHROOT_VERSION, and
unpacked afresh for each run; apt's downloads are kept next to it. Each
command runs in its own mount namespace (unshare), so nothing stays
mounted when it ends. Needs root. Alone: `make deb-check`
(tests/vm/ratmem-vm debcheck).

In `make check` the chroot also gets the headers of the stock 6.1 guest
kernel, and the ratmem.ko that the package's DKMS built there is kept:
ratmem-vm then boots the 6.1 guest on that module (row "6.1 deb": the
autoload steps from /lib/modules, insmod, and one grant/revoke test)."""

import glob
import os
import shutil
import subprocess
import tempfile
import time

from . import deps
from .hostcheck import PROGRAM
from .util import REPO, cache_dir, die, say
from .verdict import Item

# Bump to build a new chroot (e.g. after changing what _make_base puts in).
CHROOT_VERSION = "bookworm-minbase-headers-1"
SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"
SOURCES = [(MIRROR, SUITE), (MIRROR, SUITE + "-updates"),
           ("http://deb.debian.org/debian-security", SUITE + "-security")]
HEADERS = "linux-headers-amd64"       # Debian 12's 6.1 headers
PACKAGES = ["ratmem-dkms", "librat1", "librat-dev", "ratmem-tools"]
# What the host needs: the package build, lintian, the chroot.
HOST_PACKAGES = ["make", "gcc", "libc6-dev", "dpkg-dev", "debhelper", "dh-dkms", "lintian",
                 "libnl-genl-3-dev", "pkgconf", "debootstrap", "zstd"]
# Inside the chroot besides the packages: what the test program needs.
EXTRA = ["gcc", "libc6-dev", "pkgconf"]
CHROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class Chroot:
    """A Debian 12 tree unpacked from the cached tarball into a
    temporary directory; run() executes a shell script inside it."""

    def __init__(self, root, log):
        self.root = root
        self.log = log
        self.archives = cache_dir("chroot", "apt-archives")

    def run(self, script, timeout=1800):
        """Run script with sh -e in the chroot, its output appended to the
        log. Returns (exit status, output)."""
        r = self.root
        setup = (f"set -e; mount -t proc proc {r}/proc; mount --rbind /dev {r}/dev; "
                 f"mount --rbind /sys {r}/sys; "
                 f"mount --bind {self.archives} {r}/var/cache/apt/archives; "
                 f'exec chroot {r} /usr/bin/env -i PATH={CHROOT_PATH} HOME=/root LC_ALL=C.UTF-8 '
                 f'DEBIAN_FRONTEND=noninteractive /bin/sh -ec "$1"')
        try:
            res = subprocess.run(["unshare", "--mount", "--propagation", "private",
                                  "sh", "-c", setup, "sh", script],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 timeout=timeout)
            rc, out = res.returncode, res.stdout
        except subprocess.TimeoutExpired as e:
            rc, out = 124, (e.stdout or b"").decode(errors="replace") + "\n(timed out)"
        with open(self.log, "a") as f:
            f.write(f"\n### {script}\n{out}### exit {rc}\n")
        return rc, out.strip()


def _tarball():
    return os.path.join(cache_dir("chroot"), CHROOT_VERSION + ".tar.zst")


def _make_base(tmp, log):
    """debootstrap bookworm (minbase) with the kernel headers, packed
    into the cache."""
    root = os.path.join(tmp, "base")
    say(f"debcheck: debootstrap --variant=minbase {SUITE} (cached afterwards as "
        f"{_tarball()})")
    with open(log, "a") as f:
        res = subprocess.run(["debootstrap", "--variant=minbase", SUITE, root, MIRROR],
                             stdout=f, stderr=subprocess.STDOUT)
    if res.returncode:
        die(f"debootstrap failed (log: {log})")
    # No services are started from maintainer scripts in the chroot.
    with open(os.path.join(root, "usr", "sbin", "policy-rc.d"), "w") as f:
        f.write("#!/bin/sh\nexit 101\n")
    os.chmod(os.path.join(root, "usr", "sbin", "policy-rc.d"), 0o755)
    # Debian 12 as installed: with its updates and security archives.
    with open(os.path.join(root, "etc", "apt", "sources.list"), "w") as f:
        f.write("".join(f"deb {m} {s} main\n" for m, s in SOURCES))
    say(f"debcheck: installing {HEADERS} in the chroot")
    rc, _ = Chroot(root, log).run(f"apt-get update -q; apt-get install -y -q "
                                  f"--no-install-recommends {HEADERS}")
    if rc:
        die(f"installing {HEADERS} in the chroot failed (log: {log})")
    part = _tarball() + ".part"
    res = subprocess.run(["tar", "--zstd", "-C", root, "-cf", part, "."],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if res.returncode:
        die(f"packing the chroot failed: {res.stdout.strip()[-200:]}")
    os.replace(part, _tarball())
    shutil.rmtree(root)


def _unpack(tmp, log):
    """A fresh tree from the cached tarball (made first if missing)."""
    if not os.path.exists(_tarball()):
        _make_base(tmp, log)
    else:
        say(f"debcheck: chroot from {_tarball()}")
    root = os.path.join(tmp, "root")
    os.makedirs(root)
    subprocess.run(["tar", "--zstd", "-C", root, "-xf", _tarball()], check=True)
    shutil.copy("/etc/resolv.conf", os.path.join(root, "etc", "resolv.conf"))
    return Chroot(root, log)


def _build(tmp, log):
    """make deb into tmp/deb. Returns (items, {package: .deb path})."""
    say("debcheck: make deb (dpkg-buildpackage -b, lintian) in a copy of the tree")
    out_dir = os.path.join(tmp, "deb")
    with open(log, "a") as f:
        res = subprocess.run(["make", "-C", REPO, "deb", "DEB_DIR=" + out_dir],
                             stdout=f, stderr=subprocess.STDOUT)
    debs = {}
    for pkg in PACKAGES:
        found = glob.glob(os.path.join(out_dir, f"{pkg}_*.deb"))
        if found:
            debs[pkg] = found[0]
    lintian = os.path.join(out_dir, "lintian.txt")
    built = len(debs) == len(PACKAGES) and os.path.exists(lintian)
    items = [Item("deb-build", "pass" if built else "fail",
                  "" if built else f"make deb failed (log: {log})")]
    if not built:
        return items, {}
    tags = [line for line in open(lintian).read().splitlines()
            if line[:2] in ("E:", "W:", "I:", "P:")]
    ok = res.returncode == 0 and not tags
    items.append(Item("lintian", "pass" if ok else "fail",
                      "" if ok else "; ".join(tags[:4]) or f"make deb exit {res.returncode}"))
    # debian/librat1.symbols is what debian/symbols-from-map makes of
    # lib/librat.map (the build already compared it with the library).
    src = glob.glob(os.path.join(out_dir, "ratmem-*", "debian", "symbols-from-map"))
    rc, diff = 1, "no debian/symbols-from-map"
    if src:
        res = subprocess.run([src[0], "--check"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        rc, diff = res.returncode, res.stdout.strip()
    items.append(Item("symbols-file-matches-map", "fail" if rc else "pass",
                      diff.splitlines()[-1] if rc and diff else ""))
    return items, debs


def _check(name, ok, detail=""):
    return Item(name, "pass" if ok else "fail", "" if ok else detail[-300:])


def _in_chroot(ch, debs, version, guest_release=None, keep_ko=None):
    """Install, use and purge the packages in the chroot. guest_release:
    the kernel a guest will boot the packaged module on; its headers are
    installed too, and the module DKMS built for it is copied to keep_ko
    before the purge."""
    items = []
    os.makedirs(os.path.join(ch.root, "tmp", "debs"))
    for deb in debs.values():
        shutil.copy(deb, os.path.join(ch.root, "tmp", "debs"))
    with open(os.path.join(ch.root, "tmp", "prog.c"), "w") as f:
        f.write(PROGRAM)

    say("debcheck: apt-get install of the four packages in the chroot (DKMS builds the module)")
    local = " ".join("/tmp/debs/" + os.path.basename(debs[p]) for p in PACKAGES)
    # The guest's headers first, so that DKMS builds for its kernel too
    # (a no-op when the cached chroot's linux-headers-amd64 is that one).
    headers = f"linux-headers-{guest_release}" if guest_release else ""
    rc, out = ch.run(f"apt-get update -q; apt-get install -y -q --no-install-recommends "
                     f"{headers} {local} {' '.join(EXTRA)}")
    items.append(_check("apt-install", rc == 0, f"exit {rc}: {out}"))
    if rc:
        return items

    # DKMS: built and installed for the headers' kernel.
    rc, kvers = ch.run("for d in /lib/modules/*/build; do [ -e \"$d\" ] && "
                       "basename \"$(dirname \"$d\")\"; done")
    kvers = kvers.split()
    if not kvers:
        items.append(Item("dkms-installed", "fail", "no kernel headers in the chroot"))
    for kver in kvers:
        rc, status = ch.run(f"dkms status -m ratmem -v {version} -k {kver}")
        rc2, ko = ch.run(f"ls /lib/modules/{kver}/updates/dkms/ratmem.ko*")
        rc3, info = ch.run(f"modinfo -F version {ko}; modinfo -F vermagic {ko}") \
            if rc2 == 0 else (1, "")
        info = info.split()
        problems = []
        if not status.endswith("installed"):
            problems.append(f"dkms status {status!r}")
        if rc2:
            problems.append(f"no /lib/modules/{kver}/updates/dkms/ratmem.ko*")
        elif info[:2] != [version, kver]:
            problems.append(f"modinfo version/vermagic {info[:2]}, want {[version, kver]}")
        items.append(_check(f"dkms-installed {kver}", not problems, "; ".join(problems)))

    rc, out = ch.run("cd /tmp && cc -std=c11 -Wall -Werror prog.c -o prog "
                     "$(pkg-config --cflags --libs librat) && ./prog && "
                     "ldd ./prog | grep -Eq 'librat\\.so\\.1 => (/usr)?/lib/[^ ]*/librat\\.so\\.1'")
    items.append(_check("pkg-config-shared", rc == 0 and out == "not found 1",
                        f"exit {rc}: {out}"))
    rc, out = ch.run("cd /tmp && cc -std=c11 -Wall -Werror -static prog.c -o prog_s "
                     "$(pkg-config --static --cflags --libs librat) && ./prog_s")
    items.append(_check("pkg-config-static", rc == 0 and out == "not found 1",
                        f"exit {rc}: {out}"))
    rc, out = ch.run("ratmemctl --version")
    items.append(_check("ratmemctl-version", rc == 0 and version in out, f"exit {rc}: {out}"))
    rc, out = ch.run("getent group ratmem")
    items.append(_check("group-ratmem", rc == 0 and out.startswith("ratmem:"),
                        f"exit {rc}: {out}"))
    rc, out = ch.run("test -f /lib/udev/rules.d/60-ratmem.rules && "
                     "test -f /usr/share/bash-completion/completions/ratmemctl && "
                     "grep -qx 'g ratmem -' /usr/lib/sysusers.d/ratmem.conf && "
                     "test ! -e /etc/udev/rules.d/60-ratmem.rules")
    items.append(_check("installed-paths", rc == 0,
                        "udev rule, bash completion or sysusers.d entry not where expected"))

    if guest_release and keep_ko:
        ko = os.path.join(ch.root, "lib", "modules", guest_release, "updates", "dkms",
                          "ratmem.ko")
        if os.path.exists(ko):
            shutil.copy(ko, keep_ko)
        items.append(_check(f"dkms-module-for-guest {guest_release}", os.path.exists(ko),
                            f"no {ko[len(ch.root):]}: DKMS did not build for the guest's kernel"))

    # Purge: first the list of what the packages installed.
    rc, listed = ch.run("dpkg -L " + " ".join(PACKAGES))
    with open(os.path.join(ch.root, "tmp", "listed"), "w") as f:
        f.write(listed + "\n")
    say("debcheck: apt-get purge of the four packages")
    rc, out = ch.run("apt-get purge -y -q " + " ".join(PACKAGES))
    items.append(_check("apt-purge", rc == 0, f"exit {rc}: {out}"))
    # Files and symlinks must be gone; directories too, unless another
    # package still owns them (or they are the merged-/usr symlinks).
    rc, left = ch.run(
        "while read -r p; do "
        "  [ \"$p\" != /. ] || continue; "
        "  if [ -L \"$p\" ] || [ -f \"$p\" ]; then "
        "    [ -d \"$p\" ] || echo \"$p\"; "
        "  elif [ -d \"$p\" ] && ! dpkg -S \"$p\" >/dev/null 2>&1; then echo \"$p/\"; fi; "
        "done </tmp/listed; "
        "ls -d /usr/src/ratmem-* /var/lib/dkms/ratmem /lib/modules/*/updates/dkms/ratmem.ko* "
        "2>/dev/null || true; "
        "dkms status -m ratmem; "
        "for p in " + " ".join(PACKAGES) + "; do "
        "  s=$(dpkg-query -W -f='${db:Status-Abbrev}' $p 2>/dev/null || true); "
        "  [ -z \"$s\" ] || [ \"$s\" = 'un ' ] || echo \"$p: $s\"; done")
    left = left.split("\n") if left else []
    items.append(_check("purge-leaves-nothing", rc == 0 and not left,
                        "left: " + ", ".join(left[:6])))

    # The other branch of ratmem-tools' postinst: systemd-sysusers.
    say("debcheck: ratmem-tools again, with systemd-standalone-sysusers and no group")
    tools = " ".join("/tmp/debs/" + os.path.basename(debs[p])
                     for p in ("librat1", "ratmem-tools"))
    rc, out = ch.run("groupdel ratmem; apt-get install -y -q --no-install-recommends "
                     "systemd-standalone-sysusers")
    if rc == 0:
        rc, out = ch.run(f"apt-get install -y -q --no-install-recommends {tools} && "
                         "getent group ratmem && apt-get purge -y -q ratmem-tools librat1")
    made = "Creating group 'ratmem'" in out and "\nratmem:" in out
    items.append(_check("group-by-systemd-sysusers", rc == 0 and made,
                        f"exit {rc}: {out}"))
    return items


def module_for_guest(logdir):
    """Where check() leaves the packaged module for a guest."""
    return os.path.join(logdir, "ratmem.ko")


def check(logdir, guest_release=None):
    """The whole check; returns a list of Items. With guest_release, the
    module the package's DKMS built for that kernel is left in
    logdir/ratmem.ko (see module_for_guest())."""
    if os.geteuid() != 0:
        die("debcheck needs root (debootstrap, chroot, apt in the chroot)")
    deps.ensure(HOST_PACKAGES)
    os.makedirs(logdir, exist_ok=True)
    log = os.path.join(logdir, "debcheck.log")
    open(log, "w").close()
    version = ""
    with open(os.path.join(REPO, "dkms.conf")) as f:
        for line in f:
            if line.startswith("PACKAGE_VERSION="):
                version = line.split("=", 1)[1].strip().strip('"')
    tmp = tempfile.mkdtemp(prefix="ratmem-debcheck-")
    try:
        start = time.time()
        items, debs = _build(tmp, log)
        say(f"debcheck: packages built in {time.time() - start:.0f}s")
        if not debs:
            return items
        start = time.time()
        ch = _unpack(tmp, log)
        say(f"debcheck: chroot ready in {time.time() - start:.0f}s")
        start = time.time()
        keep = module_for_guest(logdir)
        if os.path.exists(keep):
            os.unlink(keep)
        items += _in_chroot(ch, debs, version, guest_release, keep)
        say(f"debcheck: install, checks and purge in {time.time() - start:.0f}s "
            f"(log: {log})")
        return items
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
