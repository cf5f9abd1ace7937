"""Host packages the bench needs, installed with apt when missing."""

import os

from .util import output, run, say, die

# Needed for every run: QEMU, the guest userland, module and library builds.
BASE_PACKAGES = [
    "qemu-system-x86", "busybox-static", "cpio", "kmod", "gzip", "xz-utils",
    "make", "gcc", "libc6-dev", "bc", "bison", "flex", "libelf-dev",
    "libssl-dev", "sparse", "rsync", "pkgconf", "binutils",
    "libnl-3-dev", "libnl-genl-3-dev",
]

_updated = False


def installed(pkg):
    """True when dpkg reports the package as installed."""
    return output(["dpkg-query", "-W", "-f=${Status}", pkg]).endswith("install ok installed")


def apt_update():
    """Refresh apt's lists once per run (look-ups need fresh lists)."""
    global _updated
    if _updated:
        return
    say("apt-get update")
    run(["apt-get", "update", "-q"], stdout=open(os.devnull, "w"))
    _updated = True


def ensure(packages):
    """Install the packages that are missing, saying which."""
    missing = [p for p in packages if not installed(p)]
    if not missing:
        return
    if os.geteuid() != 0:
        die("missing packages (run as root or install them): " + " ".join(missing))
    apt_update()
    say("installing: " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "install", "-y", "-q", "--no-install-recommends"] + missing,
        env=env, stdout=open(os.devnull, "w"))


def depends_of(meta, prefix):
    """Resolve a meta package to the versioned package it depends on."""
    apt_update()
    for line in output(["apt-cache", "depends", meta]).splitlines():
        line = line.strip()
        if line.startswith("Depends: " + prefix):
            return line.split()[1]
    die(f"cannot resolve {meta} to a {prefix}* package")
    return None


def package_version(pkg):
    """The candidate version apt would install for pkg."""
    for line in output(["apt-cache", "policy", pkg]).splitlines():
        line = line.strip()
        if line.startswith("Candidate:"):
            return line.split()[1]
    die(f"no candidate version for {pkg}")
    return None


def installed_version(pkg):
    """The installed version of pkg, installing it first if needed."""
    ensure([pkg])
    return output(["dpkg-query", "-W", "-f=${Version}", pkg])
