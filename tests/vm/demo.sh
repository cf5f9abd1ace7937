#!/bin/sh
# What `make demo` shows inside the guest, with ratmem.ko loaded.
set -e
echo "== kernel: $(uname -r)"
echo "== module:"
grep '^ratmem ' /proc/modules
echo "== device node:"
ls -l /dev/ratmem
echo "== ratmemctl version"
ratmemctl version
echo "== ratmemctl status"
ratmemctl status
echo "== a forked process cannot use its parent's context (EPERM):"
/selftests/test_context -t forked_child_gets_eperm
echo "== rat_hello: librat's memory calls (HMEM, reserve/commit/protect, heap)"
rat_hello
echo "== rat_tour, with ratmemctl monitor printing the events live (lines starting with an event name)"
ratmemctl monitor &
monitor=$!
sleep 1
rat_tour
sleep 1
kill -INT "$monitor"
wait "$monitor" || true
echo "== ratmemctl ps and regions (nothing is left)"
ratmemctl ps
ratmemctl regions
