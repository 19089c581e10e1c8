#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test-debug: the KUnit suites on a kernel with KASAN, lockdep, atomic
# sleep checks, UBSAN, kmemleak and debug objects (scripts/debug.config).
#
#   run_debug.sh [FILTER]
#
# The kernel is booted by hand rather than by kunit.py: after the tests it
# goes on into the static init, which has kmemleak scan. Any report of the
# checkers in the log fails the run even when every case passed.
set -eu
. "$(dirname "$0")/common.sh"
filter=${1:-}

build_flavour debug
build_rootfs

out=$(outdir debug)
mkdir -p "$out"
log=$out/test.log
json=$out/results.json
rm -f "$log" "$json"

cd "$KTREE"
echo "Running tests on the debug kernel"
# shellcheck disable=SC2046
timeout 1200 "$out/linux" $(uml_boot_args "$out") kunit.enable=1 \
	kunit.filter="$KUNIT_NO_BENCH" \
	${filter:+kunit.filter_glob="$filter"} KMEMLEAK=1 \
	</dev/null >"$log" 2>&1 || true
stty sane 2>/dev/null || true

rc=0
python3 "$KUNIT_PY" parse --json="$json" "$log" || rc=1

check_debug_log "$log" test-debug || rc=1

"$REPO/scripts/kunit_totals.py" "$json" || rc=1
exit "$rc"
