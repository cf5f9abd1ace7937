# ratmem top-level Makefile.
#
#   make              module (for KDIR), librat, ratmemctl and the examples
#   make check        the whole test bench on every kernel (README's test command)
#   make demo         boot Debian's kernel with ratmem loaded and show it working
#   make bench        ratmem's fault and lifecycle cost against anon and memfd, in the VM
#   make lint         checkpatch --strict and sparse over module/
#   make install      librat, ratmemctl and the man pages (DESTDIR, PREFIX, MANDIR)
#
# KDIR selects the kernel tree the module is built against; by default
# the running kernel's headers.

BUILD   ?= $(CURDIR)/build
PREFIX  ?= /usr/local
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=
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

lib:
	$(MAKE) -C lib O=$(BUILD)/lib PREFIX=$(PREFIX)

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

lint:
	$(VM) lint

install: lib tools
	$(MAKE) -C lib O=$(BUILD)/lib PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) install
	$(MAKE) -C tools O=$(BUILD)/tools LIBRAT=$(BUILD)/lib/librat.a PREFIX=$(PREFIX) \
		DESTDIR=$(DESTDIR) install
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man8
	install -m 644 man/man3/*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 man/man8/*.8 $(DESTDIR)$(MANDIR)/man8/

uninstall:
	$(MAKE) -C lib PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) uninstall
	$(MAKE) -C tools PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) uninstall
	for page in man/man3/*.3; do rm -f "$(DESTDIR)$(MANDIR)/man3/$${page##*/}"; done
	for page in man/man8/*.8; do rm -f "$(DESTDIR)$(MANDIR)/man8/$${page##*/}"; done

clean: clean-module
	rm -rf $(BUILD)

.PHONY: all module clean-module lib tools examples selftests check demo bench lint install uninstall clean
