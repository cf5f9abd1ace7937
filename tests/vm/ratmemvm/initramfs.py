"""Packs the guest's initramfs: busybox, /init, the modules, the
selftests and tools, extra user programs and the run plan."""

import os
import shutil
import subprocess

from . import plan as plan_vars
from .util import REPO, die

BUSYBOX = "/bin/busybox"
# systemd-udevd is udevadm under another name (Debian 12's udev package).
UDEVADM = "/bin/udevadm"
# The group the udev rule names, with a gid the guest can check.
RATMEM_GID = 977


def _add_udev(root):
    """systemd-udevd and udevadm with their shared libraries, the
    project's rule as the only rule, and the users and groups it needs."""
    if not os.path.exists(UDEVADM):
        die("udevadm is missing (install Debian's udev package)")
    os.makedirs(os.path.join(root, "udev"))
    shutil.copy(UDEVADM, os.path.join(root, "udev", "udevadm"))
    os.symlink("udevadm", os.path.join(root, "udev", "systemd-udevd"))
    _copy_libs(root, UDEVADM)
    rules = os.path.join(root, "etc", "udev", "rules.d")
    os.makedirs(rules)
    shutil.copy(os.path.join(REPO, "dist", "60-ratmem.rules"), rules)
    with open(os.path.join(root, "etc", "group"), "w") as f:
        f.write(f"root:x:0:\nratmem:x:{RATMEM_GID}:\n")
    with open(os.path.join(root, "etc", "passwd"), "w") as f:
        f.write("root:x:0:0:root:/:/bin/sh\n")


# Unmodified programs that run on librat-malloc.so in the guest
# (tests/selftests/librat/test_apps.c), under /apps/bin.
APPS = {"sqlite3": "/usr/bin/sqlite3", "python3": "/usr/bin/python3.11",
        "xz": "/usr/bin/xz", "gzip": "/bin/gzip"}
PYTHON_LIB = "/usr/lib/python3.11"
# Parts of Python's library the guest's scripts never import.
PYTHON_SKIP = ("test", "idlelib", "tkinter", "turtledemo", "lib2to3", "ensurepip",
               "pydoc_data", "distutils", "config-3.11-x86_64-linux-gnu", "site-packages",
               "dist-packages", "__pycache__")


def _copy_libs(root, binary):
    """The shared libraries binary needs (and the loader), at their paths."""
    ldd = subprocess.run(["ldd", binary], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    for line in ldd.splitlines():
        words = line.split()
        lib = words[2] if len(words) > 2 and words[1] == "=>" else words[0]
        if not lib.startswith("/"):
            continue                                    # linux-vdso
        dest = os.path.join(root, lib.lstrip("/"))
        if not os.path.exists(dest):
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            shutil.copy(os.path.realpath(lib), dest)


def _add_apps(root, shim):
    """The programs of APPS with their libraries, Python's library, and
    librat-malloc.so, under /apps."""
    os.makedirs(os.path.join(root, "apps", "bin"))
    shutil.copy(shim, os.path.join(root, "apps", "librat-malloc.so"))
    for name, prog in APPS.items():
        if not os.path.exists(prog):
            die(f"{prog} is missing (the bench installs sqlite3 and python3)")
        shutil.copy(prog, os.path.join(root, "apps", "bin", name))
        _copy_libs(root, prog)
    shutil.copytree(PYTHON_LIB, os.path.join(root, PYTHON_LIB.lstrip("/")), symlinks=True,
                    ignore=shutil.ignore_patterns(*PYTHON_SKIP))


KMOD = "/bin/kmod"


def _add_kmod(root):
    """kmod as /sbin/modprobe and /sbin/depmod (before busybox's applets,
    which do not replace existing files): the kernel's request_module()
    runs /sbin/modprobe, and the autoload steps of guest-init.sh test the
    module's aliases with the real one."""
    if not os.path.exists(KMOD):
        die("kmod is not installed")
    shutil.copy(KMOD, os.path.join(root, "bin", "kmod"))
    _copy_libs(root, KMOD)
    os.makedirs(os.path.join(root, "sbin"), exist_ok=True)
    for name in ("modprobe", "depmod"):
        os.symlink("/bin/kmod", os.path.join(root, "sbin", name))


def pack(path, kos, user, plan, extras=(), demo=None, udev=False, apps=False):
    """Write a gzip'd newc cpio archive to path."""
    root = path + ".d"
    shutil.rmtree(root, ignore_errors=True)
    for d in ("bin", "dev", "proc", "sys", "tmp", "etc/ratmem", "lib/ratmem",
              "selftests", "extra", "usr/bin"):
        os.makedirs(os.path.join(root, d))
    if not os.path.exists(BUSYBOX):
        die("busybox-static is not installed")
    shutil.copy(BUSYBOX, os.path.join(root, "bin", "busybox"))
    _add_kmod(root)
    shutil.copy(os.path.join(REPO, "tests", "vm", "guest-init.sh"), os.path.join(root, "init"))
    os.chmod(os.path.join(root, "init"), 0o755)
    for ko in kos:
        shutil.copy(ko, os.path.join(root, "lib", "ratmem"))
    for prog in user["selftests"]:
        shutil.copy(prog, os.path.join(root, "selftests"))
    for prog in user["tools"]:
        shutil.copy(prog, os.path.join(root, "usr", "bin"))
    for i, prog in enumerate(extras):
        shutil.copy(prog, os.path.join(root, "extra", f"{i:02d}-{os.path.basename(prog)}"))
    if demo:
        shutil.copy(demo, os.path.join(root, "demo.sh"))
    if udev:
        _add_udev(root)
    if apps:
        _add_apps(root, user["shim"])
    with open(os.path.join(root, "etc", "ratmem", "plan"), "w") as f:
        plan_vars.write(f, plan)
    files = subprocess.run(["find", ".", "-mindepth", "1"], cwd=root, check=True,
                           stdout=subprocess.PIPE).stdout
    with open(path, "wb") as out:
        cpio = subprocess.Popen(["cpio", "-o", "-H", "newc", "--quiet", "-R", "0:0"], cwd=root,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        gz = subprocess.Popen(["gzip", "-1"], stdin=cpio.stdout, stdout=out)
        cpio.stdout.close()
        cpio.communicate(files)
        gz.wait()
        if cpio.returncode or gz.returncode:
            die("packing the initramfs failed")
    shutil.rmtree(root)
    return path
