#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-vfio: the timing client (vfio/tests/user/vfio_bench.c) on our
# test kernel and on the reference kernel, one after the other, and a
# table of both: per call ours and the reference in ns, and the ratio
# reference/ours (1.0 or more: ours is not slower). Each kernel boots
# BOOTS times (default 3), alternating, and each call's figure is its best
# over all rounds of all boots: the host's noise (a few percent between
# two boots) only ever makes a figure worse.
set -eu
. "$(dirname "$0")/common.sh"
client=$REPO/vfio/tests/user/vfio_bench.c

build_flavour reference
build_flavour test
mkdir -p "$BUILD/bench"
rm -f "$BUILD"/bench/vfio_bench.*.out
for boot in $(seq "${BOOTS:-3}"); do
	for side in reference test; do
		client_output "$client" "$side" \
			"$BUILD/bench/vfio_bench.$side.$boot.out" \
			"$BUILD/bench/vfio_bench.$side.$boot.log"
	done
done

python3 - "$BUILD/bench" <<'PY'
import glob
import sys


def read(side):
    rows = {}
    for path in sorted(glob.glob(f"{sys.argv[1]}/vfio_bench.{side}.*.out")):
        for line in open(path, encoding="utf-8"):
            parts = line.split()
            if parts[:1] == ["bench"] and len(parts) >= 4:
                name, ns = " ".join(parts[1:-2]), int(parts[-2])
                rows[name] = min(ns, rows.get(name, ns))
            elif line.strip():
                sys.exit(f"bench-vfio: {path}: {line.strip()}")
    return rows


ours, ref = read("test"), read("reference")
w = max([len(name) for name in ref] + [4])
print(f"{'call':<{w}} {'ours ns':>9} {'ref ns':>9} {'ref/ours':>9}")
slower = 0
for name, ns in ref.items():
    if name not in ours:
        sys.exit(f"bench-vfio: no figure of ours for {name}")
    ratio = ns / max(ours[name], 1)
    slower += ratio < 1.0
    print(f"{name:<{w}} {ours[name]:>9} {ns:>9} {ratio:>9.2f}")
print(f"bench-vfio: {len(ref)} calls, ours slower on {slower}")
PY
