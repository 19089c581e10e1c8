#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a UML kernel flavour with vfio/ linked in and run the KUnit suites.
#
#   run_kunit.sh [-f FLAVOUR] [FILTER]
#
# FLAVOUR is test (default), coverage or debug; each has its own stable
# output folder under build/. FILTER is kunit.py's suite[.case] glob. The
# last line printed is the totals "N passed, N failed, N skipped"; the exit
# status is non-zero on a build error, any failed or crashed case, and when
# no case ran (so a filter that matches nothing fails).
set -eu
. "$(dirname "$0")/common.sh"

flavour=test
while getopts f: opt; do
	case $opt in
	f) flavour=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
filter=${1:-}

"$REPO/scripts/deps.sh"
"$REPO/scripts/prepare_tree.sh"

out=$(outdir "$flavour")
configs=(--kunitconfig="$REPO/kunitconfig" --kunitconfig="$REPO/uml-config")
case $flavour in
test) ;;
coverage) configs+=(--kunitconfig="$REPO/coverage/coverage.config") ;;
debug) configs+=(--kunitconfig="$REPO/scripts/debug.config") ;;
*) echo "run_kunit: unknown flavour $flavour" >&2; exit 2 ;;
esac

mkdir -p "$out"
json=$out/results.json
rm -f "$json"

cd "$KTREE"
rc=0
python3 "$KUNIT_PY" run "${configs[@]}" --arch=um --build_dir="$out" \
	--jobs="$JOBS" --json="$json" ${filter:+"$filter"} || rc=$?

if [ "$flavour" = test ] && [ -f "$out/vmlinux" ]; then
	"$REPO/scripts/compile_commands.sh" "$out" || true
fi

"$REPO/scripts/kunit_totals.py" "$json" || [ "$rc" -ne 0 ] || rc=1
exit "$rc"
