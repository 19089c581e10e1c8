#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make gdb (variables: make help)
#
#   gdb.sh FUNCTION [FILTER] [INIT] [KERNEL]
#
# Starts the test kernel (build/test/linux, built by make test; built here
# when missing) under gdb, with a breakpoint on BREAK, running only the
# KUnit cases FILTER selects. UML uses SIGSEGV for its page faults and
# SIGUSR1, SIGALRM, SIGIO and SIGWINCH internally: gdb passes them on
# silently. GDB_BATCH=1 stops at the breakpoint, prints the backtrace,
# steps one line and then into the next call, and quits (for scripts).
# With INIT the kernel boots into userspace instead of KUnit and runs the
# client: breakpoints in ioctl handlers reached from its syscalls hit.
# INIT=qemu runs QEMU with a guest as make qemu does (one run, no checks
# of its results; its files in build/qemu/gdb). BREAK may carry a
# condition: BREAK='uvfio_pci_set_irqs if hdr->index == 2'.
set -eu
. "$(dirname "$0")/common.sh"
brk=${1:?usage: gdb.sh FUNCTION [FILTER] [INIT] [KERNEL]}
filter=${2:-}
init=${3:-}
kernel=${4:-test}

out=$(outdir "$kernel")
[ -x "$out/linux" ] || build_flavour "$kernel"

cmds=(-ex "set pagination off" -ex "set confirm off"
      -ex "set substitute-path $KTREE/drivers/$KLINK $REPO/vfio")
for sig in SIGSEGV SIGUSR1 SIGALRM SIGIO SIGWINCH; do
	cmds+=(-ex "handle $sig nostop noprint pass")
done
cmds+=(-ex "break $brk" -ex run)
if [ "${GDB_BATCH:-0}" = 1 ]; then
	cmds=(-batch "${cmds[@]}" -ex "bt 6" -ex "next" -ex "step"
	      -ex "bt 2" -ex "info args" -ex kill)
fi

if [ "$init" = qemu ]; then
	"$REPO/scripts/qemu.sh" --prepare
	# shellcheck disable=SC2046
	exec gdb -q "${cmds[@]}" --args "$out/linux" $(uml_boot_args "$out") \
		simpci.topology="$(cat "$BUILD/qemu/topology")" kunit.enable=0 \
		RUN=/bin/uml_qemu QEMU_FILES="$BUILD/qemu" \
		QEMU_OUT="$BUILD/qemu/gdb" \
		QEMU_TIMEOUT=3600
fi
if [ -n "$init" ]; then
	build_rootfs
	name=$(basename "$init" .c)
	build_client "$init" "$ROOTFS/bin/$name"
	# shellcheck disable=SC2046
	exec gdb -q "${cmds[@]}" --args "$out/linux" $(uml_boot_args "$out") \
		kunit.enable=0 RUN="/bin/$name"
fi

# Benchmarks too, when the filter names them.
exec gdb -q "${cmds[@]}" --args "$out/linux" mem=1G console=tty \
	$(sim_boot_args "$out") kunit.enable=1 kunit_shutdown=halt ${filter:+kunit.filter_glob="$filter"}
