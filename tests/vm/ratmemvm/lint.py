"""make lint: checkpatch.pl --strict and kernel-doc (from the debug
kernel's source tree) and sparse (through Kbuild, C=2) over the
module's sources."""

import glob
import os
import subprocess

from . import deps, kernels
from .util import REPO, say
from .verdict import Item

LINT_FILES = (sorted(glob.glob(os.path.join(REPO, "module", "*.[ch]")))
              + sorted(glob.glob(os.path.join(REPO, "module", "probes", "*.c")))
              + sorted(glob.glob(os.path.join(REPO, "tests", "kunit", "*.c")))
              + [os.path.join(REPO, "uapi", "linux", "ratmem.h")])


def checkpatch():
    src = kernels.extract_debug_source()
    say("lint: checkpatch.pl --strict")
    res = subprocess.run(["perl", os.path.join(src, "scripts", "checkpatch.pl"), "--strict",
                          "--no-tree", "--terse", "--show-types", "-f"] + LINT_FILES,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    bad = [line for line in res.stdout.splitlines()
           if ": ERROR:" in line or ": WARNING:" in line or ": CHECK:" in line]
    for line in bad:
        print("  " + line.replace(REPO + "/", ""))
    return Item("checkpatch", "fail" if bad else "pass", f"{len(bad)} reports" if bad else "")


def kernel_doc():
    src = kernels.extract_debug_source()
    say("lint: kernel-doc -Wall")
    files = [f for f in LINT_FILES if "/probes/" not in f and "/kunit/" not in f]
    res = subprocess.run(["perl", os.path.join(src, "scripts", "kernel-doc"), "-none", "-Wall"]
                         + files, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    bad = [line for line in res.stdout.splitlines() if line.strip()]
    for line in bad:
        print("  " + line.replace(REPO + "/", ""))
    return Item("kernel-doc", "fail" if bad or res.returncode else "pass",
                f"{len(bad)} reports" if bad else "")


def sparse(kernel):
    from . import build
    deps.ensure(["sparse"])
    dest = os.path.join(build.build_root(), "lint")
    src = os.path.join(dest, "src")
    os.makedirs(src, exist_ok=True)
    build._copy_sources(src)
    say(f"lint: sparse against {kernel.release}")
    subprocess.run(["make", "-C", src, "clean-module", "KDIR=" + kernel.kdir],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    res = subprocess.run(["make", "-C", src, "module", "KDIR=" + kernel.kdir, "C=2",
                          "CHECK=sparse"],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    bad = [line for line in res.stdout.splitlines()
           if (": warning:" in line or ": error:" in line) and dest in line]
    for line in bad:
        print("  " + line.replace(src + "/", ""))
    if res.returncode != 0:
        bad.append("build failed")
    checked = sum(1 for line in res.stdout.splitlines() if line.strip().startswith("CHECK "))
    if checked == 0:
        bad.append("sparse checked no file")
        print("  sparse did not run over any file")
    return Item("sparse", "fail" if bad else "pass", f"{len(bad)} reports" if bad else "")


def lint():
    return [checkpatch(), kernel_doc(), sparse(kernels.provide("6.12"))]
