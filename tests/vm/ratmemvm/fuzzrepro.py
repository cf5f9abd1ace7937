"""Reproducers the fuzzer (tests/fuzz/) printed in a guest's results: each
block between "# fuzz: reproducer begin" and "# fuzz: reproducer end" is
written to the run's log directory as fuzz-repro-N.prog, ready to be
copied to tests/fuzz/repro/ (where it becomes a regression test)."""

import os

from .util import say

BEGIN = "# fuzz: reproducer begin"
END = "# fuzz: reproducer end"


def blocks(results):
    """The reproducers in a results log, as lists of lines."""
    found, cur = [], None
    for line in results.splitlines():
        line = line.rstrip("\r")
        if line == BEGIN:
            cur = []
        elif line == END and cur is not None:
            found.append(cur)
            cur = None
        elif cur is not None:
            cur.append(line)
    return found


def save(results, logdir):
    """Write every reproducer in results to logdir; return their paths."""
    paths = []
    for i, lines in enumerate(blocks(results), 1):
        path = os.path.join(logdir, f"fuzz-repro-{i}.prog")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        say(f"fuzzer reproducer saved: {path} (copy it to tests/fuzz/repro/ to keep it)")
        paths.append(path)
    return paths
