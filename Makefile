# SPDX-License-Identifier: GPL-2.0
#
# vfio-uml: VFIO on simulated hardware in User-Mode Linux.
#
#   make test [FILTER=suite[.case]]    KUnit suites (build/test)
#   make coverage [FILTER=...]         gcov build + lcov report (build/coverage)
#   make test-debug [FILTER=...]       KASAN, lockdep, UBSAN, kmemleak (build/debug)
#   make bench [FILTER=...]            benchmarks on the test kernel, figures printed
#   make gdb BREAK=func [FILTER=...]   the test kernel under gdb
#   make gdb BREAK=func INIT=x.c [KERNEL=reference]  ... running a client
#   make run [INIT=prog|prog.c]        boot the test kernel into userspace
#   make reference                     Linux's VFIO on our hardware (build/reference)
#   make conformance [CLIENT=x.c]      a client on both kernels, outputs diffed
#   make check-reference               the VFIO flow on the reference kernel passes
#   make docs                          regenerate docs/topology.md from a boot
#   make checkpatch                    kernel style on vfio/
#   make clean                         coverage output and results
#   make distclean                     also the kernel tree and all builds

FILTER ?=
BREAK ?=
INIT ?=
CLIENT ?=
OURS ?= test
KERNEL ?= test
ARGS ?=

.PHONY: test coverage test-debug bench gdb run reference conformance check-reference docs checkpatch deps clean distclean

test:
	@scripts/run_kunit.sh $(FILTER)

coverage:
	@scripts/deps.sh
	@scripts/coverage.sh $(FILTER)

test-debug:
	@scripts/run_debug.sh $(FILTER)

bench:
	@scripts/run_kunit.sh -b $(FILTER)

gdb:
	@test -n "$(BREAK)" || { echo "usage: make gdb BREAK=<function> [FILTER=suite.case]"; exit 2; }
	@scripts/gdb.sh $(BREAK) "$(FILTER)" "$(INIT)" $(KERNEL)

run:
	@scripts/run_uml.sh "$(INIT)" $(KERNEL) "$(ARGS)"

reference:
	@scripts/build_reference.sh

conformance:
	@scripts/conformance.sh "$(CLIENT)" $(OURS)

check-reference:
	@scripts/check_reference.sh

docs:
	@scripts/topology_doc.sh

checkpatch:
	@scripts/deps.sh
	@scripts/prepare_tree.sh
	@scripts/checkpatch.sh

deps:
	@scripts/deps.sh

clean:
	rm -rf coverage/html coverage/vfio.info coverage/summary.txt
	rm -f build/*/results.json build/*/test.log
	find build -name '*.gcda' -delete 2>/dev/null || true

distclean: clean
	rm -rf build compile_commands.json
