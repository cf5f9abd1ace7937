"""The kernels the bench boots: Debian's stock 6.1 and 6.12, and a
debug 6.12 built from linux-source-6.12 with tests/vm/debug.config.

Everything is cached under ~/.cache/ratmem/kernels, keyed by package
version (and, for the debug kernel, by the hash of the config fragment),
so only the first run downloads or builds.
"""

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
DEBUG_SOURCE = "linux-source-6.12"
DEBUG_FRAGMENT = os.path.join(REPO, "tests", "vm", "debug.config")
ALL = ["6.1", "6.12", "debug"]


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


def debug_tree_dir():
    """Where the debug kernel tree for the current source and fragment lives."""
    deps.ensure([DEBUG_SOURCE])
    version = deps.installed_version(DEBUG_SOURCE)
    key = f"debug-{version}-{file_hash(DEBUG_FRAGMENT)}".replace("~", "_").replace(":", "_")
    return os.path.join(cache_dir("kernels"), key)


def _fragment_lines():
    with open(DEBUG_FRAGMENT) as f:
        return [line.strip() for line in f
                if line.startswith("CONFIG_") or line.startswith("# CONFIG_")]


def extract_debug_source():
    """Extract linux-source-6.12 into the cache; return the tree path."""
    top = debug_tree_dir()
    src = os.path.join(top, "src")
    if os.path.exists(os.path.join(top, ".extracted")):
        return src
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(top)
    tarball = glob.glob(f"/usr/src/{DEBUG_SOURCE}.tar.*")
    if not tarball:
        die(f"{DEBUG_SOURCE} is installed but its tarball is not in /usr/src")
    say(f"debug kernel: extracting {os.path.basename(tarball[0])}")
    run(["tar", "xf", tarball[0], "-C", top])
    os.rename(os.path.join(top, DEBUG_SOURCE), src)
    open(os.path.join(top, ".extracted"), "w").close()
    return src


def _debug():
    top = debug_tree_dir()
    src = extract_debug_source()
    done = os.path.join(top, ".built")
    image = os.path.join(src, "arch", "x86", "boot", "bzImage")
    if not os.path.exists(done):
        log = os.path.join(top, "build.log")
        jobs = str(os.cpu_count() or 2)
        say(f"debug kernel: configuring and building (log: {log}); "
            "several minutes on a 2-core machine")
        run(["make", "-C", src, "tinyconfig"], log=log)
        run([os.path.join(src, "scripts", "kconfig", "merge_config.sh"), "-m",
             "-O", src, os.path.join(src, ".config"), DEBUG_FRAGMENT], log=log, cwd=src)
        run(["make", "-C", src, "olddefconfig"], log=log)
        with open(os.path.join(src, ".config")) as f:
            have = set(line.strip() for line in f)
        lost = [line for line in _fragment_lines() if line not in have]
        if lost:
            die("debug config lost options after olddefconfig: " + ", ".join(lost))
        run(["make", "-C", src, "-j" + jobs, "bzImage", "modules"], log=log)
        open(done, "w").close()
    release = open(os.path.join(src, "include", "config", "kernel.release")).read().strip()
    return Kernel("debug", release, image, src, debug=True)


def provide(name):
    """Return the Kernel for a bench name, downloading or building it if needed."""
    if name == "debug":
        return _debug()
    if name in STOCK:
        return _stock(name)
    die(f"unknown kernel '{name}' (known: {', '.join(ALL)})")
    return None
