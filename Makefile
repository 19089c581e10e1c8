# SPDX-License-Identifier: GPL-2.0
#
# vfio-uml: VFIO on simulated hardware in User-Mode Linux.
#
# `make help` lists the targets and variables: it prints the "##" lines
# below, which are the one place they are described (README.md shows the
# same text, checked by scripts/help.sh --check).

## Targets:
##   test [FILTER=]          KUnit suites on the test kernel (build/test)
##   coverage [FILTER=]      the same on a gcov kernel (build/coverage);
##                           report in coverage/html/, coverage/summary.txt
##   test-debug [FILTER=]    the suites on a kernel with KASAN, lockdep,
##                           UBSAN, kmemleak, debug objects (build/debug)
##   bench [FILTER=]         benchmarks (cases marked very slow) on the test
##                           kernel; prints their figures
##   bench-vfio              VFIO calls timed on the test kernel and on the
##                           reference; prints ours, theirs and the ratio
##   mutants [DIR=] [N=] [SEED=]
##                           one-token mutants of DIR's .c and .h, each run
##                           with make test; prints the score and survivors
##   fail-nth [ONLY=]        every allocation, user copy and fake-IOMMU failure
##                           of each VFIO scenario injected in turn on the
##                           debug kernel (vfio_fail_nth.c); nothing may leak
##   fuzz [SEED=] [OPS=]     seeded random VFIO calls, valid and not, on the
##                           debug kernel (vfio_fuzz.c; default seed 1, 20000
##                           operations); a report or a leak fails it
##   races [ONLY=]           threads racing SET_IRQS, eventfd closes, device
##                           closes, unbind, MAP/UNMAP and RESET against
##                           interrupts, DMA and BAR faults, on the debug
##                           kernel (PREEMPT; vfio_races.c)
##   gdb BREAK= [FILTER=] [INIT=] [KERNEL=]
##                           a kernel under gdb, stopped in BREAK (with
##                           GDB_BATCH=1: backtrace, two steps, quit)
##   qemu [KERNEL=] [BDF=]   QEMU's vfio-pci inside UML assigns functions to a
##                           Debian guest that checks them through its own
##                           VFIO; on KERNEL and on the reference, compared
##   run [INIT=] [KERNEL=] [ARGS=]
##                           boot a kernel into userspace (no KUnit) and run
##                           INIT, a static program or a .c built static
##   reference               Linux's VFIO on our hardware (build/reference):
##                           classic container and type1, IOMMUFD with cdev
##   conformance [CLIENT=] [KERNEL=]
##                           a client on KERNEL and on the reference kernel,
##                           outputs diffed against conformance/known-differences.txt
##   check-reference         the VFIO flow client passes on the reference kernel
##   docs                    regenerate docs/topology.md from a boot and
##                           the table of docs/state-machine.md
##   checkpatch              kernel style on vfio/
##   deps                    install what the build needs (apt-get, as root)
##   help                    this text
##   clean                   coverage output and results
##   distclean               also the kernel tree and every build
##
## Variables:
##   FILTER=suite[.case]     kunit.py's glob; a filter that matches nothing fails
##   KERNEL=test|reference|reference-iommufd
##                           the kernel to boot (default test); the last
##                           is Linux's VFIO with IOMMUFD's compat container
##   BREAK=function          where gdb stops
##   INIT=prog|prog.c|qemu   the program a userspace boot runs (qemu: as
##                           make qemu does, for make gdb)
##   BDF='0000:40:00.0 ...'  make qemu: the host functions to assign (with
##                           :mmap, QEMU maps their BARs)
##   ARGS='a=b ...'          more kernel command line for make run
##   CLIENT=client.c         conformance client (default
##                           vfio/tests/user/vfio_flow.c; vfio_core.c there
##                           walks the core's states)
##   ONLY=word               fail-nth, races: those whose name has it
##   OPS=count               fuzz: how many operations
##   DIR=folder N=count SEED=n
##                           mutants: the folder, or folders in quotes
##                           (default vfio/sim), how many
##                           (default 40), the sample's seed (default random);
##                           fuzz: its seed

FILTER ?=
BREAK ?=
INIT ?=
CLIENT ?=
BDF ?=
KERNEL ?= test
ARGS ?=
DIR ?= vfio/sim
N ?= 40
SEED ?=
ONLY ?=
OPS ?= 20000

.PHONY: test coverage test-debug bench bench-vfio mutants fail-nth fuzz races gdb qemu run \
	reference conformance check-reference docs checkpatch deps help clean distclean

test:
	@scripts/run_kunit.sh $(FILTER)

coverage:
	@scripts/coverage.sh $(FILTER)

test-debug:
	@scripts/run_debug.sh $(FILTER)

bench:
	@scripts/run_kunit.sh -b $(FILTER)

bench-vfio:
	@scripts/bench_vfio.sh

mutants:
	@scripts/mutants.py --dir "$(DIR)" --count "$(N)" $(if $(SEED),--seed "$(SEED)")

fail-nth:
	@scripts/debug_client.sh vfio/tests/user/vfio_fail_nth.c 2400 \
		$(if $(ONLY),FAIL_NTH_ONLY=$(ONLY))

# The debug kernel runs at least 20 operations a second.
fuzz:
	@scripts/debug_client.sh vfio/tests/user/vfio_fuzz.c $$((600 + $(OPS) / 20)) \
		FUZZ_SEED=$(or $(SEED),1) FUZZ_OPS=$(OPS) FUZZ_TRACE=0

races:
	@scripts/debug_client.sh vfio/tests/user/vfio_races.c 1200 \
		$(if $(ONLY),RACES_ONLY=$(ONLY))

gdb:
	@test -n "$(BREAK)" || { echo "make gdb: BREAK=<function> is needed (make help)"; exit 2; }
	@scripts/gdb.sh "$(BREAK)" "$(FILTER)" "$(INIT)" $(KERNEL)

qemu:
	@scripts/qemu.sh $(KERNEL) $(BDF)

run:
	@scripts/run_uml.sh "$(INIT)" $(KERNEL) "$(ARGS)"

reference:
	@scripts/build_reference.sh

conformance:
	@scripts/conformance.sh "$(CLIENT)" $(KERNEL)

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

help:
	@scripts/help.sh

clean:
	rm -rf coverage/html coverage/vfio.info coverage/summary.txt
	rm -f build/*/results.json build/*/test.log
	find build -name '*.gcda' -delete 2>/dev/null || true

distclean: clean
	rm -rf build compile_commands.json
