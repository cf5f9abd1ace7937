"""The per-kernel table and the closing `N passed, N failed` line."""

from dataclasses import dataclass, field


@dataclass
class Row:
    """One line of the table: a boot of a kernel, or a host-side run."""
    label: str
    release: str
    accel: str = "-"
    seconds: float = None
    items: list = field(default_factory=list)


def count(items):
    c = {"pass": 0, "fail": 0, "skip": 0}
    for item in items:
        c[item.outcome] += 1
    return c


def print_summary(rows):
    """rows: [Row]. Returns the number of failures."""
    print()
    print(f"{'run':<14} {'kernel release':<24} {'accel':<6} {'time':>6} "
          f"{'passed':>7} {'failed':>7} {'skipped':>8}")
    total = {"pass": 0, "fail": 0, "skip": 0}
    for row in rows:
        c = count(row.items)
        for k in total:
            total[k] += c[k]
        secs = f"{row.seconds:.0f}s" if row.seconds is not None else "-"
        print(f"{row.label:<14} {row.release:<24} {row.accel:<6} {secs:>6} "
              f"{c['pass']:>7} {c['fail']:>7} {c['skip']:>8}")
    failures = [(row.label, i) for row in rows for i in row.items if i.outcome == "fail"]
    if failures:
        print()
        for label, item in failures:
            print(f"FAIL [{label}] {item.name}: {item.detail}")
    print()
    print(f"{total['pass']} passed, {total['fail']} failed, {total['skip']} skipped", flush=True)
    return total["fail"]
