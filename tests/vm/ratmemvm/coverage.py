"""Line coverage of module/ from a boot of a kernel with CONFIG_GCOV_KERNEL
(the debug kernels). Kbuild builds the module with GCOV_PROFILE there;
after rmmod the guest prints each of the module's .gcda files (kept by
gcov_persist), base64-encoded after a line "gcda PATH", in the step
"gcov". Here they are written back next to the module's objects (PATH is
the build path the guest's kernel recorded, the same on this machine),
and gcov turns them into annotated sources and one figure per file,
under build/coverage/<kernel>/."""

import base64
import os
import re
import subprocess

from . import verdict
from .build import build_root
from .util import say

GCOV_ROOT = "/sys/kernel/debug/gcov"


def _gcda_files(results):
    """{host path: bytes} from the gcov step's output."""
    files, path, chunks = {}, None, []
    for line in verdict.step_output(results, "gcov"):
        if line.startswith("gcda "):
            if path:
                files[path] = base64.b64decode("".join(chunks))
            path, chunks = line[5:].strip(), []
            if path.startswith(GCOV_ROOT):
                path = path[len(GCOV_ROOT):]
        elif path:
            chunks.append(line.strip())
    if path:
        files[path] = base64.b64decode("".join(chunks))
    return files


def has_gcov(kernel):
    """Was kernel built with CONFIG_GCOV_KERNEL (the debug kernel, not 7.2)?"""
    try:
        with open(os.path.join(kernel.kdir, ".config")) as f:
            return "CONFIG_GCOV_KERNEL=y\n" in f.read()
    except OSError:
        return False


def report(kernel, results):
    """Write the .gcda files, run gcov over module/*.c, print one line per
    file and the total. Returns the Items: the coverage figure (a pass
    that carries the number), or a failure when nothing came back. A
    kernel without CONFIG_GCOV_KERNEL gives no Item."""
    if not has_gcov(kernel):
        return []
    src = os.path.join(build_root(), "kernel-" + kernel.name, "src")
    objdir = os.path.join(src, "module")
    files = {p: data for p, data in _gcda_files(results).items()
             if os.path.dirname(p) == objdir}
    if not files:
        return [verdict.Item("coverage", "fail", "the guest sent no .gcda file of the module")]
    for path, data in files.items():
        with open(path, "wb") as f:
            f.write(data)
    out = os.path.join(build_root(), "coverage", kernel.name)
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        os.remove(os.path.join(out, old))
    sources = sorted(f for f in os.listdir(objdir) if f.endswith(".c"))
    rows, total, hit = [], 0, 0
    for name in sources:
        res = subprocess.run(["gcov", "-o", objdir, os.path.join(objdir, name)], cwd=out,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        m = re.search(r"File '[^']*module/" + re.escape(name) + r"'\nLines executed:([\d.]+)% of (\d+)",
                      res.stdout)
        if not m:
            continue
        lines = int(m.group(2))
        covered = round(float(m.group(1)) * lines / 100)
        rows.append((name, lines, covered))
        total += lines
        hit += covered
    # Only module/*.c: gcov also writes the headers' inline functions.
    for f in os.listdir(out):
        if not any(f == name + ".gcov" for name, _, _ in rows):
            os.remove(os.path.join(out, f))
    say(f"coverage of module/ on {kernel.name} (annotated sources: {out}):")
    for name, lines, covered in sorted(rows, key=lambda r: r[2] / max(r[1], 1)):
        say(f"  {name:<18} {covered:>5}/{lines:<5} {100.0 * covered / max(lines, 1):5.1f}%")
    pct = 100.0 * hit / max(total, 1)
    say(f"  {'module/ total':<18} {hit:>5}/{total:<5} {pct:5.1f}%")
    with open(os.path.join(out, "summary.txt"), "w") as f:
        for name, lines, covered in rows:
            f.write(f"{name} {covered} {lines}\n")
        f.write(f"total {hit} {total}\n")
    if not rows:
        return [verdict.Item("coverage", "fail", "gcov produced no figures")]
    return [verdict.Item("coverage", "pass", f"{pct:.1f}% of {total} module lines")]
