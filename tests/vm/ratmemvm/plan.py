"""The guest plan: the variables the runner writes to /etc/ratmem/plan
and tests/vm/guest-init.sh reads (it sources the file). This table is
their one definition: every variable is always written, with its
default when the run does not set it."""

VARS = {
    # name: (default, meaning)
    "SUITES": ("selftests", "words from: kunit selftests extra"),
    "ONLY": ("", "run only the selftest with this name (empty: all)"),
    "INTERACTIVE": ("0", "1: give a shell on the console before unloading"),
    "DEBUG": ("0", "1: the kernel has kmemleak; scan for leaks at the end"),
    "TEST_TIMEOUT": ("600", "seconds allowed for each selftest program"),
    "DEMO": ("0", "1: run /demo.sh instead of the suites"),
    "UDEV": ("0", "1: start systemd-udevd (from /udev) before loading ratmem, with "
                  "/etc/udev/rules.d/60-ratmem.rules as its only rule, and check that "
                  "/dev/ratmem ends up root:ratmem with mode 0660"),
    "RATMEM_STRESS_OPS": ("", "exported to the tests: operations of the stress test "
                              "(make stress; empty: its default)"),
    "RATMEM_STRESS_SEED": ("", "exported to the tests: the stress test's seed"),
    "RATMEM_FUZZ_SECONDS": ("", "exported to the tests: how long the fuzzer runs "
                                "(make fuzz; empty: a fixed number of programs)"),
    "RATMEM_FUZZ_SEED": ("", "exported to the tests: the fuzzer's seed"),
    "RATMEM_FUZZ_PROGRAMS": ("", "exported to the tests: programs the fuzzer runs"),
}

# Exported to the test programs' environment when not empty.
EXPORTED = ("RATMEM_STRESS_OPS", "RATMEM_STRESS_SEED", "RATMEM_FUZZ_SECONDS", "RATMEM_FUZZ_SEED",
            "RATMEM_FUZZ_PROGRAMS")
VARS["EXPORTED"] = (" ".join(EXPORTED), "the variables above that guest-init.sh exports to "
                                        "the tests when they are not empty")


def make(**values):
    """The complete plan: VARS' defaults, overridden by values (str)."""
    unknown = set(values) - set(VARS)
    if unknown:
        raise KeyError(f"not plan variables: {', '.join(sorted(unknown))}")
    return {name: str(values.get(name, default)) for name, (default, _) in VARS.items()}


def write(f, plan):
    """Write plan as shell assignments (values never hold a quote)."""
    for key, value in plan.items():
        if "'" in value:
            raise ValueError(f"plan value of {key} holds a quote")
        f.write(f"{key}='{value}'\n")
