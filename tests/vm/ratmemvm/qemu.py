"""Boots a kernel + initramfs in QEMU and collects its two serial ports.

ttyS0 is the kernel console (and the interactive shell), ttyS1 the
results port written by the guest's /init. Every boot has a wall-clock
limit; QEMU is killed when it is reached.
"""

import os
import subprocess
import time

from .util import say

BOOT_MARK = b"@@ratmem boot"


def _kvm_usable():
    # A PVM-style nested hypervisor exposes /dev/kvm but cannot boot
    # standard kernels (machine-facts.md): do not even try there.
    return (os.access("/dev/kvm", os.R_OK | os.W_OK)
            and not os.path.exists("/sys/module/kvm_pvm"))


def _cmdline(kernel):
    # panic=-1: a panic reboots at once, which -no-reboot turns into exit.
    args = ["console=ttyS0,115200", "panic=-1", "loglevel=7", "printk.time=1"]
    if kernel.debug:
        args += ["kasan.fault=report"]
    return " ".join(args)


# Kernels booted with two NUMA nodes (512 MiB and one vCPU each), where
# the NUMA tests (test_numa.c) run; the others have one node, and those
# tests skip there with the reason.
NUMA_KERNELS = ("6.12", "debug")


def numa_args(kernel):
    """QEMU options for the kernel's memory and CPU topology: two nodes or one."""
    args = ["-m", "1024"]
    if kernel.name not in NUMA_KERNELS:
        return args + ["-smp", "2"]
    # Two sockets of one core: no cache is shared across the nodes
    # (topology_sane() WARNs otherwise).
    args += ["-smp", "2,sockets=2,cores=1,threads=1"]
    for node in (0, 1):
        args += ["-object", f"memory-backend-ram,id=mem{node},size=512M",
                 "-numa", f"node,nodeid={node},cpus={node},memdev=mem{node}"]
    return args


def boot(kernel, initrd, logdir, timeout, accel="auto", interactive=False, boot_wait=60):
    """Boot and wait for the guest to power off. Returns a dict with the
    console and results text, whether the run timed out, and the accel."""
    os.makedirs(logdir, exist_ok=True)
    console = os.path.join(logdir, "console.log")
    results = os.path.join(logdir, "results.log")
    accels = {"auto": ["kvm", "tcg"] if _kvm_usable() else ["tcg"],
              "kvm": ["kvm", "tcg"], "tcg": ["tcg"]}[accel]
    for i, acc in enumerate(accels):
        for p in (console, results):
            open(p, "wb").close()
        cmd = ["qemu-system-x86_64", "-accel", acc, *numa_args(kernel),
               "-kernel", kernel.vmlinuz, "-initrd", initrd,
               "-append", _cmdline(kernel),
               "-nodefaults", "-display", "none", "-no-reboot", "-monitor", "none",
               "-serial", "stdio" if interactive else "file:" + console,
               "-serial", "file:" + results]
        if acc == "kvm":
            cmd += ["-cpu", "host"]
        say(f"kernel {kernel.name}: booting under {acc} (logs: {logdir})")
        start = time.time()
        proc = subprocess.Popen(cmd, stdin=None if interactive else subprocess.DEVNULL)
        timed_out = False
        fell_back = False
        while proc.poll() is None:
            elapsed = time.time() - start
            if elapsed > timeout:
                timed_out = True
                break
            if (i + 1 < len(accels) and elapsed > boot_wait
                    and BOOT_MARK not in open(results, "rb").read()):
                fell_back = True
                break
            time.sleep(0.5)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if not fell_back and i + 1 < len(accels) and BOOT_MARK not in open(results, "rb").read():
            fell_back = True
        if fell_back:
            say(f"kernel {kernel.name}: no boot under {acc}; falling back to {accels[i + 1]}")
            continue
        return {
            "console": open(console, "rb").read().decode("utf-8", "replace"),
            "results": open(results, "rb").read().decode("utf-8", "replace"),
            "timed_out": timed_out,
            "seconds": time.time() - start,
            "accel": acc,
        }
    raise AssertionError("unreachable")
