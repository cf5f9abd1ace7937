"""The DKMS check: on the host, `make dkms-install` against the headers
of Debian's stock kernels (dkms add, build, install), the module dkms
installed checked and handed to the guest that boots that kernel, and
`make dkms-remove` at the end.

A machine where this version was already installed with dkms keeps it:
the bench then rebuilds it from this tree but does not remove it."""

import os
import subprocess

from . import deps
from .build import build_root
from .util import REPO, output, run, say
from .verdict import Item


def version():
    """PACKAGE_VERSION from dkms.conf."""
    with open(os.path.join(REPO, "dkms.conf")) as f:
        for line in f:
            if line.startswith("PACKAGE_VERSION="):
                return line.split("=", 1)[1].strip().strip('"')
    return ""


def _status():
    return output(["dkms", "status", "-m", "ratmem", "-v", version()])


class Dkms:
    def __init__(self):
        deps.ensure(["dkms"])
        self.version = version()
        self.preinstalled = bool(_status())
        self.items = []
        if self.preinstalled:
            say(f"dkms: ratmem/{self.version} was already added; it will be rebuilt, not removed")

    def install(self, kernel):
        """`make dkms-install` for kernel; returns the path of an
        uncompressed copy of the installed module, or None (with a
        failing Item)."""
        name = f"dkms {kernel.name}"
        log = os.path.join(build_root(), f"dkms-{kernel.name}.log")
        open(log, "w").close()
        say(f"kernel {kernel.name}: make dkms-install KVER={kernel.release}")
        res = run(["make", "-C", REPO, "dkms-install", "KVER=" + kernel.release], log=log,
                  check=False)
        if res.returncode:
            self.items.append(Item(name, "fail", f"make dkms-install failed (log: {log})"))
            return None
        where = f"/lib/modules/{kernel.release}/updates/dkms/ratmem.ko"
        found = [p for p in (where, where + ".xz") if os.path.exists(p)]
        if not found:
            self.items.append(Item(name, "fail", f"dkms installed no {where}[.xz]"))
            return None
        dest = os.path.join(build_root(), "dkms-" + kernel.name)
        os.makedirs(dest, exist_ok=True)
        ko = os.path.join(dest, "ratmem.ko")
        # busybox insmod passes the file to init_module(), which wants ELF.
        with open(ko, "wb") as out:
            cmd = ["xz", "-dc", found[0]] if found[0].endswith(".xz") else ["cat", found[0]]
            subprocess.run(cmd, stdout=out, check=True)
        got_version = output(["modinfo", "-F", "version", ko])
        vermagic = output(["modinfo", "-F", "vermagic", ko]).split(" ")[0]
        state = output(["dkms", "status", "-m", "ratmem", "-v", self.version,
                        "-k", kernel.release])
        problems = []
        if got_version != self.version:
            problems.append(f"version {got_version!r}, want {self.version!r}")
        if vermagic != kernel.release:
            problems.append(f"vermagic {vermagic!r}, want {kernel.release!r}")
        if not state.endswith("installed"):
            problems.append(f"dkms status {state!r}")
        self.items.append(Item(name, "fail" if problems else "pass", "; ".join(problems)))
        return None if problems else ko

    def remove(self):
        """`make dkms-remove`, unless the version was installed before the
        run; checks that nothing of it is left."""
        if self.preinstalled:
            return
        log = os.path.join(build_root(), "dkms-remove.log")
        open(log, "w").close()
        say("make dkms-remove")
        res = run(["make", "-C", REPO, "dkms-remove"], log=log, check=False)
        left = [p for p in ("/usr/src/ratmem-" + self.version, "/var/lib/dkms/ratmem/" + self.version)
                if os.path.exists(p)]
        left += [os.path.join(d, "updates", "dkms", f)
                 for d in (os.path.join("/lib/modules", k) for k in os.listdir("/lib/modules"))
                 if os.path.isdir(os.path.join(d, "updates", "dkms"))
                 for f in os.listdir(os.path.join(d, "updates", "dkms")) if f.startswith("ratmem.ko")]
        bad = res.returncode != 0 or left or _status()
        detail = f"exit {res.returncode}; left: {', '.join(left) or _status()}" if bad else ""
        self.items.append(Item("dkms remove", "fail" if bad else "pass", detail))
