#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make gdb BREAK=<function> [FILTER=suite.case] [GDB_BATCH=1]
#
# Starts the test kernel (build/test/linux, built by make test; built here
# when missing) under gdb, with a breakpoint on BREAK, running only the
# KUnit cases FILTER selects. UML uses SIGSEGV for its page faults and
# SIGUSR1, SIGALRM, SIGIO and SIGWINCH internally: gdb passes them on
# silently. GDB_BATCH=1 stops at the breakpoint, prints the backtrace,
# steps one line and then into the next call, and quits (for scripts).
set -eu
. "$(dirname "$0")/common.sh"
brk=${1:?usage: gdb.sh FUNCTION [FILTER]}
filter=${2:-}

out=$(outdir test)
if [ ! -x "$out/linux" ]; then
	"$REPO/scripts/deps.sh"
	"$REPO/scripts/prepare_tree.sh"
	(cd "$KTREE" && python3 "$KUNIT_PY" build --arch=um \
		--build_dir="$out" --jobs="$JOBS" \
		--kunitconfig="$REPO/kunitconfig" --kunitconfig="$REPO/uml-config")
fi

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

# Benchmarks too, when the filter names them.
exec gdb -q "${cmds[@]}" --args "$out/linux" mem=1G console=tty \
	kunit.enable=1 kunit_shutdown=halt ${filter:+kunit.filter_glob="$filter"}
