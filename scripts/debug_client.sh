#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make fail-nth, make fuzz, make races: a userspace client on the debug
# kernel (KASAN, lockdep, UBSAN, kmemleak, debug objects, fault injection,
# PREEMPT; scripts/debug.config), checked as make test-debug checks the
# suites: the client's exit status, no checker report in the log, and a
# kmemleak scan after the client with nothing in it.
#
#   debug_client.sh CLIENT.c TIMEOUT [KEY=VALUE ...]
#
# KEY=VALUE go on the kernel command line and so reach the client's
# environment. The simulated hardware is the default topology with the
# RAM-backed function at 04.0. The client's lines are printed; the console
# goes to build/debug/<client>.log.
set -eu
. "$(dirname "$0")/common.sh"
client=$1
limit=$2
shift 2
name=$(basename "$client" .c)

build_flavour debug >/dev/null
build_rootfs
build_client "$client" "$ROOTFS/bin/$name"

out=$(outdir debug)
log=$out/$name.log
result=$ROOTFS/tmp/$name.out
rm -f "$result"
start=$(date +%s)
# shellcheck disable=SC2046
timeout "$limit" "$out/linux" $(uml_boot_args "$out") kunit.enable=0 \
	simpci.topology="$(topology_with_ram)" \
	RUN="/bin/$name" KMEMLEAK=1 VFIO_FLOW_OUT="/tmp/$name.out" "$@" \
	</dev/null >"$log" 2>&1 || true
stty sane 2>/dev/null || true

rc=0
[ -f "$result" ] && cat "$result"
status=$(sed -n 's/^init: exit status \([0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ "$status" != 0 ]; then
	echo "$name: exit status ${status:-none (killed after ${limit} s?)}" \
		"(log: $log)"
	rc=1
fi
check_debug_log "$log" "$name" || rc=1
echo "$name: $(( $(date +%s) - start )) s on the debug kernel," \
	"$([ "$rc" = 0 ] && echo passed || echo FAILED)"
exit "$rc"
