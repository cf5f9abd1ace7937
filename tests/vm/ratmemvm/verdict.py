"""Judges one boot from its two logs.

results.log (ttyS1) holds the guest's steps between @@ratmem markers:
KTAP from KUnit and the selftests, exit codes, the kmemleak report.
console.log (ttyS0) holds the kernel's messages; any splat there fails
the boot even when every test said ok.
"""

import re
from dataclasses import dataclass, field

MARK = re.compile(r"^@@ratmem (\S+)(?: (.*))?$")
RESULT = re.compile(r"^(\s*)(not ok|ok) (\d+)(?: (?:- )?([^#]*?))?\s*(?:#\s*(.*))?$")
PLAN = re.compile(r"^(\s*)1\.\.(\d+)")

# Kernel messages that mean something went wrong, whatever the tests say.
SPLATS = [
    # Specific reports first: a line is classified by its first match.
    ("KASAN", re.compile(r"BUG: KASAN|\bKASAN:")),
    ("UBSAN", re.compile(r"\bUBSAN:")),
    ("lockdep", re.compile(r"possible (?:circular|recursive) locking|inconsistent lock state"
                           r"|lock held when returning|bad unlock balance")),
    ("kmemleak", re.compile(r"kmemleak: \d+ new suspected memory leaks")),
    ("hung task", re.compile(r"INFO: task .* blocked for more than")),
    ("RCU stall", re.compile(r"rcu: INFO: .* detected stalls?")),
    ("panic", re.compile(r"Kernel panic")),
    ("general protection fault", re.compile(r"general protection fault")),
    ("BUG", re.compile(r"\bBUG:")),
    ("WARNING", re.compile(r"\bWARNING:")),
    ("Oops", re.compile(r"\bOops\b")),
    ("stack trace", re.compile(r"\bCall Trace:")),
]

# Lines that match a pattern above but are known not to be a defect.
BENIGN = [
    # CPU vulnerability notices printed at boot by stock kernels under TCG.
    re.compile(r"RETBleed: WARNING|Spectre V2 : WARNING|MDS: WARNING|MMIO Stale Data: WARNING"),
]


# Taint bits that mean a defect: B bad page (5), D died (7), W warning
# (9), L soft lockup (14). O and E (out-of-tree, unsigned) are expected.
BAD_TAINT = (1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)


@dataclass
class Item:
    """One counted result: a test case or a bench check."""
    name: str
    outcome: str            # "pass", "fail" or "skip"
    detail: str = ""

    def __repr__(self):
        return f"{self.outcome}: {self.name} {self.detail}".strip()


@dataclass
class Step:
    """One step of the guest's run, between its @@ratmem begin/end marks."""
    name: str               # "selftest test_vma", "insmod", "extra 00-prog", ...
    lines: list = field(default_factory=list)
    rc: int = None          # None: it never finished

    @property
    def kind(self):
        return self.name.partition(" ")[0]


def steps(results):
    """Split the results port into its steps: ([Step], set of marks seen)."""
    found, current, lines = [], None, []
    marks = set()
    for raw in results.splitlines():
        line = raw.rstrip("\r")
        m = MARK.match(line)
        if not m:
            if current is not None:
                lines.append(line)
            continue
        kind, rest = m.group(1), m.group(2) or ""
        marks.add(kind)
        if kind == "begin":
            if current is not None:
                found.append(Step(current, lines, None))
            current, lines = rest, []
        elif kind == "end":
            name, _, rc = rest.rpartition(" rc=")
            if current == name:
                found.append(Step(current, lines, int(rc) if rc.lstrip("-").isdigit() else -1))
                current, lines = None, []
    if current is not None:
        found.append(Step(current, lines, None))
    return found, marks


def step_output(results, name):
    """The lines of the step called name ([] when it did not run)."""
    return [line for s in steps(results)[0] if s.name == name for line in s.lines]


def judge_bench(results, step_name):
    """The bench program's own verdict: it ran, and printed its ratios."""
    prog = step_name.split("-", 1)[-1]
    ran = [s for s in steps(results)[0] if s.name == step_name]
    if not ran:
        return [Item("bench", "fail", f"{prog} did not run")]
    if ran[0].rc == 0 and not any(line.startswith("ratio ") for line in ran[0].lines):
        return [Item("bench", "fail", f"{prog} printed no ratios")]
    return []


def _ktap(prefix, lines, depth_of_cases):
    """Results at the given nesting depth; a plan mismatch is a failure.

    depth_of_cases counts the KTAP nesting levels (4 spaces each)."""
    items, planned, numbers = [], None, []
    diag = []       # the "# ..." lines since the last result at this depth
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#") and len(line) - len(line.lstrip()) == 4 * depth_of_cases:
            diag.append(stripped.lstrip("# ").strip())
            continue
        m = PLAN.match(line)
        if m and len(m.group(1)) // 4 == depth_of_cases and planned is None:
            planned = int(m.group(2))
            continue
        m = RESULT.match(line)
        if not m or len(m.group(1)) // 4 != depth_of_cases:
            continue
        numbers.append(int(m.group(3)))
        name = (m.group(4) or f"#{m.group(3)}").strip()
        directive = (m.group(5) or "").strip()
        said, diag = diag[-2:], []
        if m.group(2) == "ok" and directive.upper().startswith("SKIP"):
            items.append(Item(f"{prefix}.{name}", "skip", directive))
        elif m.group(2) == "ok":
            items.append(Item(f"{prefix}.{name}", "pass"))
        else:
            # The case's last words (its failed assertion) make the
            # summary's FAIL line say why, not only that it failed.
            items.append(Item(f"{prefix}.{name}", "fail",
                              "; ".join([directive] + [d for d in said if d])))
    if planned is None:
        items.append(Item(prefix, "fail", "no KTAP plan: the program did not run"))
    elif planned != len(items):
        items.append(Item(prefix, "fail", f"planned {planned} results, got {len(items)}"))
    elif numbers != list(range(1, planned + 1)):
        items.append(Item(prefix, "fail", "results are not numbered 1..N in order"))
    return items


# test_memcg makes the memory cgroup's OOM killer act on purpose, and the
# OOM report always carries a stack dump. Between these two lines (which
# the test writes to the kernel log) the stack dump of an OOM report is
# expected; every other kind of splat still counts there.
EXPECTED_OOM_BEGIN = re.compile(r"ratmem selftest test_memcg: a memcg OOM kill .* is expected now")
EXPECTED_OOM_END = re.compile(r"ratmem selftest test_memcg: end of the expected memcg OOM kill")
OOM_REPORT = re.compile(r"invoked oom-killer")


def splats(console):
    """Return [(kind, line)] for every suspicious kernel message."""
    found = []
    in_oom_window = oom_seen = False
    for line in console.splitlines():
        if EXPECTED_OOM_BEGIN.search(line):
            in_oom_window, oom_seen = True, False
            continue
        if EXPECTED_OOM_END.search(line):
            in_oom_window = False
            continue
        if in_oom_window and OOM_REPORT.search(line):
            oom_seen = True
        if any(b.search(line) for b in BENIGN):
            continue
        for kind, pattern in SPLATS:
            if kind == "stack trace" and in_oom_window and oom_seen:
                break
            if pattern.search(line):
                found.append((kind, line.strip()))
                break
    return found


def judge(console, results, timed_out=False, debug=False, expect=()):
    """Turn one boot's logs into a list of Items.

    expect: step kinds ("kunit", "selftest") that must have run at
    least once; a suite that silently ran nothing is a failure."""
    items = []
    run, marks = steps(results)
    selftest_results = 0
    if "boot" not in marks:
        items.append(Item("boot", "fail", "the guest never reached /init"))
    else:
        items.append(Item("boot", "pass"))

    for step in run:
        name, lines, rc = step.name, step.lines, step.rc
        kind, _, arg = name.partition(" ")
        if rc is None:
            items.append(Item(name, "fail", "never finished (crash or timeout)"))
            continue
        if kind == "selftest":
            found = _ktap(arg, lines, 0)
            selftest_results += sum(1 for i in found if i.name.startswith(arg + "."))
            items += found
            if rc != 0 and not any(i.outcome == "fail" and i.name.startswith(arg + ".")
                                   for i in items):
                items.append(Item(arg, "fail", f"exit status {rc}"))
        elif kind == "kunit":
            items += _ktap(arg, lines, 1)
            if not any(i.name == arg or i.name.startswith(arg + ".") for i in items):
                items.append(Item(arg, "fail", "no KUnit results"))
        elif kind == "kmemleak":
            leaks = [line for line in lines if line.strip()]
            items.append(Item("kmemleak", "fail" if leaks else "pass",
                              f"{sum('unreferenced object' in x for x in leaks)} leak reports"
                              if leaks else ""))
        elif kind == "tainted":
            value = int(lines[0].strip()) if lines and lines[0].strip().isdigit() else -1
            bad = value < 0 or value & BAD_TAINT
            items.append(Item("tainted", "fail" if bad else "pass",
                              f"taint flags {value:#x}" if bad else ""))
        elif kind == "dmesg":
            found = splats("\n".join(lines))
            items.append(Item("dmesg", "fail" if found else "pass",
                              f"{found[0][0]}: {found[0][1]}" if found else ""))
        elif kind == "demo":
            items.append(Item("demo", "pass" if rc == 0 else "fail",
                              "" if rc == 0 else f"exit status {rc}"))
        else:
            # insmod, rmmod, kunit-load, kunit-unload, extra programs.
            items.append(Item(name, "pass" if rc == 0 else "fail",
                              "" if rc == 0 else "; ".join(lines[-3:]) or f"exit status {rc}"))

    ran = set(s.kind for s in run)
    if "selftest" in expect and "selftest" in ran and not selftest_results:
        items.append(Item("selftests", "fail", "no selftest produced a result"))
    for kind in expect:
        if kind not in ran and "done" in marks:
            items.append(Item(kind, "fail", f"no {kind} results: the suite ran nothing"))
    if debug and "kmemleak" not in [s.name for s in run] and "done" in marks:
        items.append(Item("kmemleak", "fail", "the kmemleak scan did not run"))
    if "boot" in marks and "done" not in marks:
        why = "timed out" if timed_out else "stopped"
        items.append(Item("finish", "fail", f"the guest {why} before finishing its run"))

    found = splats(console)
    if found:
        kinds = sorted(set(k for k, _ in found))
        items.append(Item("kernel-log", "fail",
                          f"{', '.join(kinds)}: {found[0][1]}"))
    else:
        items.append(Item("kernel-log", "pass"))
    return items
