#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a UML kernel flavour with vfio/ linked in and run the KUnit suites.
#
#   run_kunit.sh [-f FLAVOUR] [-b] [FILTER]
#
# FLAVOUR is test (default) or coverage; each has its own stable
# output folder under build/. FILTER is kunit.py's suite[.case] glob.
# Benchmarks (cases with speed very_slow) run only with -b, and then
# alone; their figures ("... bench:" lines of the log) are printed. The
# last line printed is the totals "N passed, N failed, N skipped"; the exit
# status is non-zero on a build error, any failed or crashed case, and when
# no case ran (so a filter that matches nothing fails), and when the kernel
# printed a WARNING, BUG or other report (scripts/scan_reports.py).
set -eu
. "$(dirname "$0")/common.sh"

flavour=test
attr=$KUNIT_NO_BENCH
while getopts f:b opt; do
	case $opt in
	f) flavour=$OPTARG ;;
	b) attr=$KUNIT_BENCH ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
filter=${1:-}

"$REPO/scripts/deps.sh"
"$REPO/scripts/prepare_tree.sh"

out=$(outdir "$flavour")
mapfile -t configs < <(flavour_configs "$flavour")

mkdir -p "$out"
json=$out/results.json
rm -f "$json"

cd "$KTREE"
mapfile -t boot < <(sim_boot_args "$out")
rc=0
python3 "$KUNIT_PY" run "${configs[@]}" --arch=um --build_dir="$out" \
	--jobs="$JOBS" --json="$json" --filter="$attr" \
	"${boot[@]/#/--kernel_args=}" ${filter:+"$filter"} ||
	rc=$?
if [ "$attr" = "$KUNIT_BENCH" ]; then
	echo
	grep -h ' bench: ' "$out/test.log" | sed 's/^.*\] //' || true
fi

if [ "$flavour" = test ] && [ -f "$out/vmlinux" ]; then
	"$REPO/scripts/compile_commands.sh" "$out" || true
fi

# A WARN_ON, BUG or oops fails the run even when every case passed.
if [ -f "$out/test.log" ] && ! "$REPO/scripts/scan_reports.py" \
	"$out/test.log" "$REPO/scripts/known-reports.txt"; then
	echo "$(basename "$0"): the kernel reported (log: $out/test.log)"
	rc=1
fi
"$REPO/scripts/kunit_totals.py" "$json" || [ "$rc" -ne 0 ] || rc=1
exit "$rc"
