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
echo "== sharing: a grant to another process, its data, then revoke (its next access: SIGBUS)"
/selftests/test_ratshare -t revoke_faults_the_receiver_and_fails_its_calls
