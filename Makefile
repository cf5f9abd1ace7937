# ratmem top-level Makefile.
#
#   make              module (for KDIR), librat, ratmemctl and the examples
#   make check        the whole test bench on every kernel (README's test command)
#   make demo         boot Debian's kernel with ratmem loaded and show it working
#   make bench        ratmem's fault and lifecycle cost against anon and memfd, in the VM
#   make stress       the multi-process stress with an oracle, long (STRESS_OPS, STRESS_SEED)
#   make lint         checkpatch --strict and sparse over module/
#   make install      librat, ratmemctl, man pages, the udev rule and the
#                     modprobe.d/modules-load.d examples (DESTDIR, PREFIX, MANDIR,
#                     UDEVRULESDIR); make uninstall removes them
#   make dkms-install copy the module source to /usr/src/ratmem-VERSION, then
#                     dkms add, build and install it for KVER (default: the
#                     running kernel); make dkms-remove undoes it for every kernel
#   make deb          the Debian packages (debian/) with dpkg-buildpackage, in a
#                     copy of the tree under DEB_DIR (default build/deb), which
#                     then holds the .debs, the .changes and lintian's report
#   make deb-check    make deb, then install, use and purge the packages in a
#                     Debian 12 chroot (tests/vm/ratmemvm/debpkg.py)
#
# KDIR selects the kernel tree the module is built against; by default
# the running kernel's headers.

BUILD   ?= $(CURDIR)/build
PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
LDCONFIG ?= ldconfig
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/ratmem
UDEVRULESDIR ?= /etc/udev/rules.d
DESTDIR ?=
# The DKMS package: its version is dkms.conf's (kept equal to the
# module's RATMEM_MODULE_VERSION; make lint checks), and what it ships
# is what Kbuild needs.
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' $(CURDIR)/dkms.conf)
DKMS_SRC := /usr/src/ratmem-$(DKMS_VERSION)
DKMS_FILES := Kbuild Makefile dkms.conf module uapi tests/kunit
KVER ?= $(shell uname -r)
VM      := python3 $(CURDIR)/tests/vm/ratmem-vm
VMARGS  ?=

ifeq ($(origin KDIR),undefined)
KDIR := /lib/modules/$(shell uname -r)/build
KDIR_DEFAULT := 1
endif

all: module lib tools examples

module:
	@if [ ! -d "$(KDIR)/" ]; then \
		if [ -n "$(KDIR_DEFAULT)" ]; then \
			echo "ratmem: no kernel headers at $(KDIR): skipping the module"; \
			echo "ratmem: install linux-headers-$$(uname -r) or pass KDIR=<kernel tree>"; \
			exit 0; \
		fi; \
		echo "ratmem: KDIR=$(KDIR) does not exist" >&2; exit 1; \
	else \
		sh module/probe.sh "$(KDIR)" module/probed.h && \
		$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules; \
	fi

clean-module:
	@if [ -d "$(KDIR)/" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	rm -f module/probed.h

# librat's install paths: LIBDIR and INCLUDEDIR (e.g. a multiarch
# LIBDIR=/usr/lib/x86_64-linux-gnu). CPPFLAGS, CFLAGS and LDFLAGS reach
# every compile and link (Debian's hardening flags).
LIBVARS = O=$(BUILD)/lib PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR)

lib:
	$(MAKE) -C lib $(LIBVARS)

tools: lib
	$(MAKE) -C tools O=$(BUILD)/tools LIBRAT=$(BUILD)/lib/librat.a PREFIX=$(PREFIX)

examples: lib
	$(MAKE) -C examples O=$(BUILD)/examples LIBRAT=$(BUILD)/lib/librat.a

selftests: lib
	$(MAKE) -C tests/selftests O=$(BUILD)/selftests LIBRAT=$(BUILD)/lib/librat.a

check:
	$(VM) check $(VMARGS)

demo:
	$(VM) demo $(VMARGS)

bench:
	$(VM) bench $(VMARGS)

# The multi-process stress with its oracle, longer than make check runs
# it: STRESS_OPS operations (default 10^6), seed STRESS_SEED (default 1),
# on STRESS_KERNELS (default the debug kernel).
STRESS_OPS ?= 1000000
STRESS_SEED ?= 1
STRESS_KERNELS ?= debug
stress:
	RATMEM_STRESS_OPS=$(STRESS_OPS) RATMEM_STRESS_SEED=$(STRESS_SEED) \
		$(VM) run --kernels $(STRESS_KERNELS) --suites selftests --test stress_with_oracle $(VMARGS)

# The coverage-guided fuzzer (tests/fuzz/) for FUZZ_SECONDS (default 600)
# with seed FUZZ_SEED (default: the time), on the debug kernel, the one
# with KCOV. A finding is printed between "reproducer begin" and
# "reproducer end" in the guest log and saved as fuzz-repro-N.prog in the
# log directory; copy it to tests/fuzz/repro/ to keep it as a test.
FUZZ_SECONDS ?= 600
FUZZ_SEED ?= $(shell date +%s)
fuzz:
	RATMEM_FUZZ_SECONDS=$(FUZZ_SECONDS) RATMEM_FUZZ_SEED=$(FUZZ_SEED) \
		$(VM) run --kernels debug --suites selftests --test fuzz_slice $(VMARGS)

lint:
	$(VM) lint

install: lib tools
	$(MAKE) -C lib $(LIBVARS) DESTDIR=$(DESTDIR) install
	$(MAKE) -C tools O=$(BUILD)/tools LIBRAT=$(BUILD)/lib/librat.a PREFIX=$(PREFIX) \
		DESTDIR=$(DESTDIR) install
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	install -m 644 man/man3/*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 man/man7/*.7 $(DESTDIR)$(MANDIR)/man7/
	install -m 644 man/man8/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -D -m 644 dist/60-ratmem.rules $(DESTDIR)$(UDEVRULESDIR)/60-ratmem.rules
	install -D -m 644 dist/modprobe.d-ratmem.conf $(DESTDIR)$(DOCDIR)/examples/modprobe.d/ratmem.conf
	install -D -m 644 dist/modules-load.d-ratmem.conf \
		$(DESTDIR)$(DOCDIR)/examples/modules-load.d/ratmem.conf
	install -D -m 644 dist/ratmemctl.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ratmemctl
	@# On the real system (no DESTDIR), as root: the dynamic linker's
	@# cache (a new librat.so.1 in /usr/local/lib), the group the rule
	@# names, and the rule applied to a device that already exists.
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then \
		$(LDCONFIG); \
		getent group ratmem >/dev/null || groupadd --system ratmem; \
		if command -v udevadm >/dev/null && [ -d /run/udev ]; then \
			udevadm control --reload; \
			udevadm trigger --action=add --subsystem-match=misc --sysname-match=ratmem; \
		fi; \
	fi

uninstall:
	$(MAKE) -C lib $(LIBVARS) DESTDIR=$(DESTDIR) uninstall
	$(MAKE) -C tools PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) uninstall
	for page in man/man3/*.3; do rm -f "$(DESTDIR)$(MANDIR)/man3/$${page##*/}"; done
	for page in man/man7/*.7; do rm -f "$(DESTDIR)$(MANDIR)/man7/$${page##*/}"; done
	for page in man/man8/*.8; do rm -f "$(DESTDIR)$(MANDIR)/man8/$${page##*/}"; done
	rm -f $(DESTDIR)$(UDEVRULESDIR)/60-ratmem.rules
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/ratmemctl
	rm -rf $(DESTDIR)$(DOCDIR)

# DKMS. The source copy leaves out build products; dkms then builds in
# its own tree, for KVER's headers (dkms.conf passes that kernel's KDIR).
dkms-source:
	@test -n "$(DKMS_VERSION)" || { echo "ratmem: no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)
	tar -C $(CURDIR) --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='probed.h' --exclude='modules.order' \
		--exclude='Module.symvers' -cf - $(DKMS_FILES) | tar -C $(DKMS_SRC) -xf -

# The checks come first, so a bad KVER leaves no source copy behind.
dkms-install:
	@command -v dkms >/dev/null || { echo "ratmem: dkms is not installed (apt-get install dkms)" >&2; exit 1; }
	@test -d /lib/modules/$(KVER)/build || { \
		echo "ratmem: no headers for $(KVER) (apt-get install linux-headers-$(KVER))" >&2; exit 1; }
	$(MAKE) dkms-source
	dkms status -m ratmem -v $(DKMS_VERSION) | grep -q . || dkms add -m ratmem -v $(DKMS_VERSION)
	dkms build --force -m ratmem -v $(DKMS_VERSION) -k $(KVER)
	dkms install --force -m ratmem -v $(DKMS_VERSION) -k $(KVER)

dkms-remove:
	@command -v dkms >/dev/null || { echo "ratmem: dkms is not installed" >&2; exit 1; }
	if dkms status -m ratmem -v $(DKMS_VERSION) | grep -q .; then \
		dkms remove -m ratmem -v $(DKMS_VERSION) --all; \
	fi
	rm -rf $(DKMS_SRC)

# Debian packages: dpkg-buildpackage writes next to the source tree, so
# the tree (git's tracked and untracked files, not what .gitignore
# ignores) is copied to DEB_DIR/ratmem-VERSION first and the results
# land in DEB_DIR; nothing is written into this tree. lintian then
# checks the .changes (and what it lists): any warning or error fails.
# Only this build's files are removed from DEB_DIR beforehand.
DEB_DIR ?= $(BUILD)/deb
DEB_SRC = $(DEB_DIR)/ratmem-$(DKMS_VERSION)
DEB_ARCH = $(shell dpkg --print-architecture)
deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh_dkms >/dev/null || { \
		echo "ratmem: apt-get install --no-install-recommends dpkg-dev debhelper dh-dkms" \
			"libnl-genl-3-dev pkgconf lintian" >&2; exit 1; }
	rm -rf $(DEB_SRC) $(DEB_DIR)/ratmem*_*.* $(DEB_DIR)/librat*_*.* $(DEB_DIR)/lintian.txt
	mkdir -p $(DEB_SRC)
	if git -C $(CURDIR) rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git -C $(CURDIR) ls-files -z --cached --others --exclude-standard; \
	else \
		cd $(CURDIR) && find . -path ./build -prune -o ! -type d -print0; \
	fi | tar -C $(CURDIR) --null --ignore-failed-read -T - -cf - | tar -C $(DEB_SRC) -xf -
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b -jauto
	@if command -v lintian >/dev/null; then \
		echo "lintian $(DEB_DIR)/ratmem_$(DKMS_VERSION)_$(DEB_ARCH).changes"; \
		rc=0; lintian --fail-on error,warning --info \
			$(DEB_DIR)/ratmem_$(DKMS_VERSION)_$(DEB_ARCH).changes \
			>$(DEB_DIR)/lintian.txt 2>&1 || rc=$$?; \
		cat $(DEB_DIR)/lintian.txt; exit $$rc; \
	else \
		echo "ratmem: lintian is not installed: the packages are not checked" >&2; \
	fi
	@ls $(DEB_DIR)/ratmem*_*.deb $(DEB_DIR)/librat*_*.deb

deb-check:
	$(VM) debcheck $(VMARGS)

clean: clean-module
	rm -rf $(BUILD)

.PHONY: all module clean-module lib tools examples selftests check demo bench stress fuzz lint install uninstall \
	dkms-source dkms-install dkms-remove deb deb-check clean
