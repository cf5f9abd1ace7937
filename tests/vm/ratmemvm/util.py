"""Small helpers shared by the bench: logging, commands, the cache."""

import hashlib
import os
import subprocess
import sys

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def say(msg):
    """Print a progress line for the human watching the run."""
    print(f"[ratmem-vm] {msg}", flush=True)


def die(msg, code=2):
    """Stop the bench with a clear message and a non-zero exit."""
    print(f"[ratmem-vm] error: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


def run(cmd, log=None, check=True, **kw):
    """Run a command; with log=PATH its output goes to that file."""
    if log:
        with open(log, "ab") as f:
            res = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, **kw)
    else:
        res = subprocess.run(cmd, **kw)
    if check and res.returncode != 0:
        where = f" (log: {log})" if log else ""
        die(f"command failed with {res.returncode}: {' '.join(map(str, cmd))}{where}")
    return res


def output(cmd):
    """Return a command's stdout as text, or '' when it fails."""
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return res.stdout.strip() if res.returncode == 0 else ""


def cache_dir(*parts):
    """Return (and create) a directory under the ratmem cache."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "ratmem", *parts)
    os.makedirs(path, exist_ok=True)
    return path


def file_hash(*paths):
    """Short sha256 over the contents of the given files."""
    h = hashlib.sha256()
    for p in paths:
        with open(p, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:12]
