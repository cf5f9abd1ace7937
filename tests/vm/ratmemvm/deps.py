"""Host packages the bench needs, installed with apt when missing."""

import os

from .util import cache_dir, output, run, say, die

# Needed for every run: QEMU, the guest userland, module and library builds.
BASE_PACKAGES = [
    "qemu-system-x86", "busybox-static", "cpio", "kmod", "gzip", "xz-utils",
    "make", "gcc", "libc6-dev", "bc", "bison", "flex", "libelf-dev",
    "libssl-dev", "sparse", "rsync", "pkgconf", "binutils",
    "libnl-3-dev", "libnl-genl-3-dev",
    # make check: the DKMS install and systemd-udevd in the guest.
    "dkms", "udev",
    # make check and bench: real programs on librat-malloc.so in the guest.
    "sqlite3", "python3",
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


# Debian unstable, reached without touching the machine's apt setup: a
# private sources list, lists and archive directory under the cache.
UNSTABLE_SOURCES = ("deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
                    "http://deb.debian.org/debian unstable main\n")


def _unstable_apt():
    top = cache_dir("apt-unstable")
    for sub in ("lists/partial", "archives/partial"):
        os.makedirs(os.path.join(top, sub), exist_ok=True)
    sources = os.path.join(top, "sources.list")
    with open(sources, "w") as f:
        f.write(UNSTABLE_SOURCES)
    return top, ["-o", "Dir::Etc::SourceList=" + sources,
                 "-o", "Dir::Etc::SourceParts=" + os.path.join(top, "no-parts"),
                 "-o", "Dir::State::Lists=" + os.path.join(top, "lists"),
                 "-o", "Dir::Cache::Archives=" + os.path.join(top, "archives"),
                 "-o", "APT::Sandbox::User=root"]


def _cached_unstable(archives, pkg):
    """The .deb of pkg already in the cache (newest by version), or None."""
    debs = [f for f in os.listdir(archives) if f.startswith(pkg + "_") and f.endswith(".deb")]
    if not debs:
        return None
    best = debs[0]
    for deb in debs[1:]:
        if run(["dpkg", "--compare-versions", deb.split("_")[1].replace("%3a", ":"), "gt",
                best.split("_")[1].replace("%3a", ":")], check=False).returncode == 0:
            best = deb
    return os.path.join(archives, best), best.split("_")[1].replace("%3a", ":")


def fetch_unstable(pkg):
    """Download pkg's newest .deb from Debian unstable into the cache
    (once per version) without installing it. Returns (path, version).
    When the mirror cannot be reached or no longer carries pkg, the
    cached .deb is used, and the bench says so."""
    top, opts = _unstable_apt()
    archives = os.path.join(top, "archives")
    say(f"apt-get update (private Debian unstable lists, for {pkg})")
    version = ""
    if run(["apt-get", "-q"] + opts + ["update"], check=False,
           stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w")).returncode == 0:
        for line in output(["apt-cache"] + opts + ["policy", pkg]).splitlines():
            line = line.strip()
            if line.startswith("Candidate:"):
                version = line.split()[1]
    if not version or version == "(none)":
        cached = _cached_unstable(archives, pkg)
        if not cached:
            die(f"cannot get {pkg} from Debian unstable, and none is cached")
        say(f"Debian unstable did not answer for {pkg}: using the cached {cached[1]}")
        return cached
    deb = os.path.join(archives, f"{pkg}_{version.replace(':', '%3a')}_all.deb")
    if not os.path.exists(deb):
        say(f"downloading {pkg} {version} from Debian unstable")
        for old in os.listdir(archives):
            if old.startswith(pkg + "_"):
                os.remove(os.path.join(archives, old))
        run(["apt-get", "-q"] + opts + ["download", f"{pkg}={version}"], cwd=archives,
            stdout=open(os.devnull, "w"))
    if not os.path.exists(deb):
        die(f"apt-get download {pkg}={version} left no {deb}")
    return deb, version
