"""Builds what goes into the guest: ratmem.ko (and the KUnit module)
per kernel, and the static user-space programs once per run."""

import os
import shutil

from .util import REPO, run, say

# What a kernel build needs from the repo (copied: Kbuild builds in the
# source tree, and each kernel needs its own objects).
MODULE_SOURCES = ["Kbuild", "Makefile", "module", "uapi", "tests/kunit"]


def build_root():
    path = os.environ.get("RATMEM_BUILD") or os.path.join(REPO, "build")
    os.makedirs(path, exist_ok=True)
    return path


def _copy_sources(dest):
    for rel in MODULE_SOURCES:
        src = os.path.join(REPO, rel)
        dst = os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.isdir(src):
            # Keep the build's own files, or the next build of unchanged
            # sources keeps its objects but has lost their gcov notes
            # (.gcno), and the debug kernel's coverage finds nothing.
            run(["rsync", "-a", "--delete", "--exclude", "*.o", "--exclude", ".*.cmd",
                 "--exclude", "*.gcno", "--exclude", "*.gcda",
                 "--exclude", "probed.h", src + "/", dst + "/"])
        else:
            shutil.copy(src, dst)


def module(kernel):
    """Build ratmem.ko (and ratmem_kunit.ko where KUnit is on) for kernel.

    Returns the list of .ko paths built."""
    dest = os.path.join(build_root(), "kernel-" + kernel.name)
    src = os.path.join(dest, "src")
    os.makedirs(src, exist_ok=True)
    _copy_sources(src)
    log = os.path.join(dest, "build.log")
    open(log, "w").close()
    say(f"kernel {kernel.name}: building ratmem.ko against {kernel.kdir}")
    run(["make", "-C", src, "module", "KDIR=" + kernel.kdir], log=log)
    kos = [os.path.join(src, ko) for ko in ("ratmem.ko", "ratmem_kunit.ko")
           if os.path.exists(os.path.join(src, ko))]
    if kernel.debug and len(kos) != 2:
        from .util import die
        die(f"kernel {kernel.name}: the KUnit module was not built (log: {log})")
    return kos


def userspace():
    """Build librat, the selftests, ratmemctl and the demo programs,
    statically. Returns a dict of name -> list of binaries."""
    root = build_root()
    log = os.path.join(root, "user-build.log")
    open(log, "w").close()
    say("building librat, ratmemctl, the examples and the selftests (static)")
    lib = os.path.join(root, "lib")
    librat = os.path.join(lib, "librat.a")
    run(["make", "-C", os.path.join(REPO, "lib"), "O=" + lib], log=log)
    st = os.path.join(root, "selftests")
    run(["make", "-C", os.path.join(REPO, "tests", "selftests"), "O=" + st,
         "LIBRAT=" + librat], log=log)
    tools = os.path.join(root, "tools-static")
    run(["make", "-C", os.path.join(REPO, "tools"), "O=" + tools, "STATIC=1",
         "LIBRAT=" + librat], log=log)
    examples = os.path.join(root, "examples-static")
    run(["make", "-C", os.path.join(REPO, "examples"), "O=" + examples, "STATIC=1",
         "LIBRAT=" + librat], log=log)
    selftests = sorted(os.path.join(st, f) for f in os.listdir(st)
                       if f.startswith("test_") and not f.endswith(".o"))
    return {"selftests": selftests, "shim": os.path.join(lib, "librat-malloc.so"),
            "tools": [os.path.join(tools, "ratmemctl"),
                                              os.path.join(examples, "rat_hello"),
                                              os.path.join(examples, "rat_tour")]}


def bench():
    """Build the static benchmark programs; returns their paths
    (ratmem_bench, fault_bench, numa_bench, heap_bench) and librat-malloc.so's."""
    root = build_root()
    log = os.path.join(root, "bench-build.log")
    open(log, "w").close()
    out = os.path.join(root, "bench")
    say("building ratmem_bench, fault_bench, numa_bench and heap_bench (static)")
    run(["make", "-C", os.path.join(REPO, "tests", "bench"), "O=" + out], log=log)
    return ([os.path.join(out, name) for name in ("ratmem_bench", "fault_bench", "numa_bench",
                                                 "heap_bench")],
            os.path.join(out, "lib", "librat-malloc.so"))
