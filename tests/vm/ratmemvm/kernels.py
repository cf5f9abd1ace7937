"""The kernels the bench boots: Debian's stock 6.1 and 6.12, and two
kernels built with tests/vm/debug.config: a debug 6.12 from Debian 12's
linux-source-6.12 and 7.2 from Debian unstable's linux-source-7.2.

Everything is cached under ~/.cache/ratmem, keyed by package version
(and, for built kernels, by the hash of the config fragment), so only
the first run downloads or builds.
"""

import functools
import glob
import os
import shutil
import tempfile

from . import deps
from .util import REPO, cache_dir, die, file_hash, run, say

STOCK = {
    # bench name: (meta package naming the current image, image prefix)
    "6.1": ("linux-image-amd64", "linux-image-6.1"),
    "6.12": ("linux-image-6.12-amd64", "linux-image-6.12"),
}
DEBUG_FRAGMENT = os.path.join(REPO, "tests", "vm", "debug.config")
COVERAGE_FRAGMENT = os.path.join(REPO, "tests", "vm", "coverage.config")
# The config fragments of each built kernel, applied in this order.
FRAGMENTS = {"debug": [DEBUG_FRAGMENT, COVERAGE_FRAGMENT], "7.2": [DEBUG_FRAGMENT]}

# Kernels built from source with tests/vm/debug.config (KUnit, KASAN,
# lockdep, kmemleak, UBSAN): bench name -> (source package, suite).
# "debug" is Debian 12's own 6.12; "7.2" comes from Debian unstable,
# fetched through a private apt setup (deps.fetch_unstable) and built
# with Debian 12's gcc-12.
BUILT = {
    "debug": ("linux-source-6.12", None),
    "7.2": ("linux-source-7.2", "unstable"),
}
ALL = ["6.1", "6.12", "debug", "7.2"]


class Kernel:
    """A bootable kernel plus the tree that out-of-tree modules build against."""

    def __init__(self, name, release, vmlinuz, kdir, debug):
        self.name = name
        self.release = release
        self.vmlinuz = vmlinuz
        self.kdir = kdir
        self.debug = debug

    def __repr__(self):
        return f"Kernel({self.name}, {self.release})"


def _stock(name):
    meta, prefix = STOCK[name]
    image = deps.depends_of(meta, prefix)           # linux-image-<release>
    release = image[len("linux-image-"):]
    headers = "linux-headers-" + release
    deps.ensure([headers])
    unsigned = image + "-unsigned"
    version = deps.package_version(unsigned)
    key = f"stock-{release}-{version}".replace("~", "_").replace(":", "_")
    out = cache_dir("kernels", key)
    vmlinuz = os.path.join(out, "vmlinuz")
    if not os.path.exists(vmlinuz):
        say(f"kernel {name}: downloading {unsigned} {version}")
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            run(["apt-get", "download", "-q", "-o", "APT::Sandbox::User=root", f"{unsigned}={version}"], cwd=tmp,
                stdout=open(os.devnull, "w"))
            debs = glob.glob(os.path.join(tmp, "*.deb"))
            root = os.path.join(tmp, "root")
            run(["dpkg-deb", "-x", debs[0], root])
            shutil.copy(os.path.join(root, "boot", "config-" + release),
                        os.path.join(out, "config"))
            shutil.copy(os.path.join(root, "boot", "vmlinuz-" + release), vmlinuz + ".part")
            os.rename(vmlinuz + ".part", vmlinuz)
    kdir = f"/usr/src/linux-headers-{release}"
    if not os.path.isdir(kdir):
        die(f"headers for {release} are missing at {kdir}")
    return Kernel(name, release, vmlinuz, kdir, debug=False)


@functools.lru_cache(maxsize=None)
def _source_tarball(name):
    """Return (version, path of the source tarball) for a built kernel.
    Debian 12's sources are installed with apt; unstable's .deb is only
    downloaded and the tarball taken out of it, into the cache."""
    pkg, suite = BUILT[name]
    if suite is None:
        version = deps.installed_version(pkg)
        found = glob.glob(f"/usr/src/{pkg}.tar.*")
        if not found:
            die(f"{pkg} is installed but its tarball is not in /usr/src")
        return version, found[0]
    deb, version = deps.fetch_unstable(pkg)
    out = cache_dir("sources", f"{pkg}-{version}".replace("~", "_").replace(":", "_"))
    tarball = os.path.join(out, f"{pkg}.tar.xz")
    if not os.path.exists(tarball):
        say(f"kernel {name}: unpacking {os.path.basename(deb)}")
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            run(["dpkg-deb", "-x", deb, tmp])
            found = glob.glob(os.path.join(tmp, "usr", "src", f"{pkg}.tar.*"))
            if not found:
                die(f"{deb} holds no /usr/src/{pkg}.tar.*")
            os.rename(found[0], tarball)
    return version, tarball


def tree_dir(name="debug"):
    """Where the tree of a built kernel lives: keyed by the source
    version and the hash of the config fragment."""
    pkg = BUILT[name][0]
    version, tarball = _source_tarball(name)
    # debug.config's hash, then one short hash per further fragment.
    extra = "".join("-" + file_hash(f)[:8] for f in FRAGMENTS[name][1:])
    key = f"{name}-{version}-{file_hash(DEBUG_FRAGMENT)}{extra}".replace("~", "_").replace(":", "_")
    return os.path.join(cache_dir("kernels"), key), tarball, pkg


def _fragment_lines(name):
    lines = []
    for path in FRAGMENTS[name]:
        with open(path) as f:
            lines += [line.strip() for line in f
                      if line.startswith("CONFIG_") or line.startswith("# CONFIG_")]
    return lines


def extract_source(name="debug"):
    """Extract a built kernel's source into the cache; return the tree path."""
    top, tarball, pkg = tree_dir(name)
    src = os.path.join(top, "src")
    if os.path.exists(os.path.join(top, ".extracted")):
        return src
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)
    say(f"kernel {name}: extracting {os.path.basename(tarball)}")
    run(["tar", "xf", tarball, "-C", top])
    os.rename(os.path.join(top, pkg), src)
    open(os.path.join(top, ".extracted"), "w").close()
    return src


def extract_debug_source():
    """The 6.12 debug tree (lint takes checkpatch and kernel-doc from it)."""
    return extract_source("debug")


def _built(name):
    top = tree_dir(name)[0]
    src = extract_source(name)
    done = os.path.join(top, ".built")
    image = os.path.join(src, "arch", "x86", "boot", "bzImage")
    if not os.path.exists(done):
        log = os.path.join(top, "build.log")
        jobs = str(os.cpu_count() or 2)
        say(f"kernel {name}: configuring and building (log: {log}); "
            "about 10 minutes on a 2-core machine")
        # Debian 12's gcc is gcc-12; modules later build with the same
        # compiler, so the tree's CC_VERSION_TEXT matches.
        make = ["make", "-C", src]
        run(make + ["tinyconfig"], log=log)
        run([os.path.join(src, "scripts", "kconfig", "merge_config.sh"), "-m",
             "-O", src, os.path.join(src, ".config")] + FRAGMENTS[name], log=log, cwd=src)
        run(make + ["olddefconfig"], log=log)
        with open(os.path.join(src, ".config")) as f:
            have = set(line.strip() for line in f)
        lost = [line for line in _fragment_lines(name) if line not in have]
        if lost:
            die(f"kernel {name}: config lost options after olddefconfig: " + ", ".join(lost))
        run(make + ["-j" + jobs, "bzImage", "modules"], log=log)
        open(done, "w").close()
    release = open(os.path.join(src, "include", "config", "kernel.release")).read().strip()
    return Kernel(name, release, image, src, debug=True)


def provide(name):
    """Return the Kernel for a bench name, downloading or building it if needed."""
    if name in BUILT:
        return _built(name)
    if name in STOCK:
        return _stock(name)
    die(f"unknown kernel '{name}' (known: {', '.join(ALL)})")
    return None
