#!/bin/busybox sh
# /init of ratmem's test initramfs. The runner writes /etc/ratmem/plan
# (shell variables) and reads two serial ports: ttyS0 is the kernel
# console, ttyS1 carries this script's results between @@ratmem markers.
#
# The plan's variables (SUITES, ONLY, DEBUG, TEST_TIMEOUT, ...) and what
# each means are defined in one place, tests/vm/ratmemvm/plan.py, which
# always writes every one of them.

/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
# kmod's modprobe and depmod, not busybox's: the kernel runs /sbin/modprobe
# for request_module(), and only kmod's depmod writes modules.devname.
# (This shell prefers its own applets to PATH: say /sbin/depmod to get kmod's.)
if [ -x /bin/kmod ]; then
	for tool in modprobe depmod; do
		/bin/busybox ln -sf /bin/kmod /sbin/$tool
	done
fi
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Pseudo-terminals, for the tests that run a tool in one (ratmemctl top).
mkdir -p /dev/pts
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null

. /etc/ratmem/plan
# plan.py's EXPORTED variables, for the tests (make stress, make fuzz).
for var in $EXPORTED; do
	eval "[ -n \"\$$var\" ]" && export "$var"
done

R=/dev/ttyS1
# Tells the selftests that the module is loaded: no skipping on ENOENT.
export RATMEM_BENCH=1
mark() { echo "@@ratmem $*" >"$R"; }

finish() {
	mark done
	sync
	# -no-reboot turns the reboot into QEMU's exit; init must outlive it.
	echo b >/proc/sysrq-trigger
	while :; do sleep 1; done
}

# step NAME CMD...: run CMD with its output on the results port.
step() {
	name=$1; shift
	mark "begin $name"
	"$@" >"$R" 2>&1
	rc=$?
	mark "end $name rc=$rc"
	return $rc
}

mark "boot $(uname -r)"

if [ "$DEBUG" = 1 ] && [ -e /sys/kernel/debug/kmemleak ]; then
	# Forget what boot allocated; only leaks from here on count.
	echo scan >/sys/kernel/debug/kmemleak
	echo clear >/sys/kernel/debug/kmemleak
fi

if [ "$UDEV" = 1 ]; then
	mkdir -p /run
	mount -t tmpfs tmpfs /run
	step udevd /udev/systemd-udevd --daemon
fi

# Module autoload, with kmod's modprobe and the module under /lib/modules
# as a package installs it: opening /dev/ratmem (its fixed minor, the
# node kmod static-nodes makes at boot) loads it, and so does the lookup
# of the generic netlink family.
autoload_setup() {
	mods=/lib/modules/$(uname -r)
	mkdir -p "$mods/extra" && cp /lib/ratmem/ratmem.ko "$mods/extra/" && /sbin/depmod -a ||
		return 1
	grep 'char-major-10-242 ratmem$' "$mods/modules.alias" &&
		grep 'net_pf_16_proto_16_family_ratmem ratmem$\|family-ratmem ratmem$' \
			"$mods/modules.alias" &&
		grep '^ratmem ratmem c10:242$' "$mods/modules.devname" || return 1
	# What systemd-tmpfiles-setup-dev makes of it at boot.
	# (Its default output is /dev/stdout, which this /dev lacks.)
	/bin/kmod static-nodes --format=tmpfiles --output=/tmp/static-nodes &&
		grep '/dev/ratmem .* 10:242$' /tmp/static-nodes || return 1
	mknod /dev/ratmem c 10 242
}
# rmmod, a few times: a context just closed may hold the module a moment.
autoload_unload() {
	for i in 1 2 3 4 5; do
		rmmod ratmem 2>/dev/null && return 0
		sleep 1
	done
	rmmod ratmem
}
autoload_open() {
	[ ! -d /sys/module/ratmem ] || return 1
	: </dev/ratmem || return 1
	[ -d /sys/module/ratmem ] && echo "opening /dev/ratmem loaded ratmem" && autoload_unload
}
autoload_genl() {
	[ ! -d /sys/module/ratmem ] || return 1
	ratmemctl status >/dev/null || return 1
	[ -d /sys/module/ratmem ] && echo "the netlink lookup loaded ratmem" && autoload_unload
}
if step autoload-setup autoload_setup; then
	step autoload-open autoload_open
	step autoload-genl autoload_genl
fi
rm -f /dev/ratmem

if ! step insmod insmod /lib/ratmem/ratmem.ko; then
	finish
fi
step device test -c /dev/ratmem

# devtmpfs creates the node root:root 0660 (the module's mode); only the
# rule makes the group ratmem.
udev_rule() {
	/udev/udevadm settle --timeout=30
	set -- $(stat -c '%U %G %a' /dev/ratmem)
	echo "/dev/ratmem: owner $1 group $2 mode $3"
	[ "$1 $2 $3" = "root ratmem 660" ]
}
if [ "$UDEV" = 1 ]; then
	step udev-rule udev_rule
fi

if [ "$DEMO" = 1 ]; then
	step demo sh /demo.sh
fi

for suite in $SUITES; do
	case $suite in
	kunit)
		if [ -f /lib/ratmem/ratmem_kunit.ko ]; then
			step kunit-load insmod /lib/ratmem/ratmem_kunit.ko
			for d in /sys/kernel/debug/kunit/ratmem*; do
				[ -f "$d/results" ] || continue
				step "kunit ${d##*/}" cat "$d/results"
			done
			step kunit-unload rmmod ratmem_kunit
		fi
		;;
	selftests)
		for t in /selftests/*; do
			if [ -n "$ONLY" ]; then
				step "selftest ${t##*/}" timeout -s KILL "$TEST_TIMEOUT" "$t" -t "$ONLY"
			else
				step "selftest ${t##*/}" timeout -s KILL "$TEST_TIMEOUT" "$t"
			fi
		done
		;;
	extra)
		for t in /extra/*; do
			[ -e "$t" ] || continue
			chmod +x "$t"
			step "extra ${t##*/}" timeout -s KILL "$TEST_TIMEOUT" "$t"
		done
		;;
	esac
done

if [ "$INTERACTIVE" = 1 ]; then
	echo "ratmem: module loaded; exit the shell to unload and power off" >/dev/console
	setsid cttyhack sh
fi

# Unloading must be clean while an event listener is subscribed.
ratmemctl monitor >/tmp/monitor.log 2>&1 &
monitor=$!
sleep 1
step rmmod rmmod ratmem
kill "$monitor" 2>/dev/null

# Line coverage (kernels with CONFIG_GCOV_KERNEL): the module's counts,
# kept after rmmod, each file base64-encoded after a "gcda PATH" line
# (tests/vm/ratmemvm/coverage.py reads them).
if [ -d /sys/kernel/debug/gcov ]; then
	step gcov sh -c 'for f in $(find /sys/kernel/debug/gcov -name "*.gcda" | sort); do
		echo "gcda $f"; base64 <"$f"; done'
fi

if [ "$DEBUG" = 1 ] && [ -e /sys/kernel/debug/kmemleak ]; then
	# kmemleak reports objects only once they are a few seconds old.
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	step kmemleak cat /sys/kernel/debug/kmemleak
fi

# The kernel log as the kernel kept it (the console may lag behind) and
# the taint flags: a WARN anywhere sets W even if its text was lost.
step tainted cat /proc/sys/kernel/tainted
step dmesg dmesg

finish
