"""The per-kernel table and the closing `N passed, N failed` line."""


def count(items):
    c = {"pass": 0, "fail": 0, "skip": 0}
    for item in items:
        c[item.outcome] += 1
    return c


def print_summary(rows):
    """rows: [(label, release, accel, seconds, items)]. Returns failures."""
    print()
    print(f"{'run':<14} {'kernel release':<24} {'accel':<6} {'time':>6} "
          f"{'passed':>7} {'failed':>7} {'skipped':>8}")
    total = {"pass": 0, "fail": 0, "skip": 0}
    for label, release, accel, seconds, items in rows:
        c = count(items)
        for k in total:
            total[k] += c[k]
        secs = f"{seconds:.0f}s" if seconds is not None else "-"
        print(f"{label:<14} {release:<24} {accel:<6} {secs:>6} "
              f"{c['pass']:>7} {c['fail']:>7} {c['skip']:>8}")
    failures = [(label, i) for label, _, _, _, items in rows for i in items
                if i.outcome == "fail"]
    if failures:
        print()
        for label, item in failures:
            print(f"FAIL [{label}] {item.name}: {item.detail}")
    print()
    print(f"{total['pass']} passed, {total['fail']} failed, {total['skip']} skipped", flush=True)
    return total["fail"]
