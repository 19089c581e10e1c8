#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make coverage: the KUnit suites on a gcov kernel (its own build folder),
# then an lcov capture of vfio/ only, with branch coverage:
#   coverage/html/index.html   the report
#   coverage/vfio.info         the lcov file
#   coverage/summary.txt       per-file and per-ioctl tables (also printed)
#
#   coverage.sh [FILTER]
set -eu
. "$(dirname "$0")/common.sh"
filter=${1:-}

out=$(outdir coverage)
cov=$REPO/coverage
lcov_rc=(--rc lcov_branch_coverage=1)

# .gcda files are written only when the kernel halts; old ones would be
# merged into this run's counts.
[ -d "$out" ] && find "$out" -name '*.gcda' -delete

rc=0
"$REPO/scripts/run_kunit.sh" -f coverage ${filter:+"$filter"} || rc=$?

if [ -z "$(find "$out/drivers/$KLINK/" -name '*.gcda' -print -quit 2>/dev/null)" ]; then
	echo "coverage: no .gcda files: the kernel did not halt cleanly" >&2
	exit 1
fi

raw=$out/coverage.raw.info
# geninfo of lcov 1.16 warns of redefined subroutines on every run.
lcov -q "${lcov_rc[@]}" --capture --directory "$out/drivers/$KLINK" \
	-o "$raw" 2> >(grep -v "^Subroutine .* redefined" >&2)
# Sources are seen through the drivers/uvfio link; report them as vfio/.
sed -i "s|^SF:$KTREE/drivers/$KLINK/|SF:$REPO/vfio/|" "$raw"
lcov -q "${lcov_rc[@]}" --extract "$raw" "$REPO/vfio/*" -o "$raw.ours"
lcov -q "${lcov_rc[@]}" --remove "$raw.ours" "$REPO/vfio/tests/*" \
	-o "$cov/vfio.info"

rm -rf "$cov/html"
genhtml -q --branch-coverage --prefix "$REPO" -t "vfio-uml" \
	-o "$cov/html" "$cov/vfio.info"

"$REPO/scripts/coverage_summary.py" "$cov/vfio.info" "$cov/ioctls.txt" \
	"$REPO" | tee "$cov/summary.txt"
echo "coverage: $cov/html/index.html"
exit "$rc"
