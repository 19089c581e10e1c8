#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make conformance (variables: make help): run one userspace client on a
# kernel of ours (KERNEL, default test) and on the reference kernel
# (build/reference, Linux's VFIO on the same simulated hardware), diff the
# outputs line by line, and fail on any difference not listed in
# conformance/known-differences.txt. KERNEL=reference runs the reference
# twice: a check that the client's output is stable from boot to boot.
#
#   conformance.sh [CLIENT] [KERNEL]
set -eu
. "$(dirname "$0")/common.sh"
client=${1:-}
client=${client:-$REPO/vfio/tests/user/vfio_flow.c}
ours=${2:-test}
name=$(basename "$client" .c)

build_flavour reference
[ "$ours" = reference ] || build_flavour "$ours"

mkdir -p "$BUILD/conformance" "$ROOTFS/tmp"
for side in reference ours; do
	kernel=reference
	[ "$side" = ours ] && kernel=$ours
	rm -f "$ROOTFS/tmp/$name.out"
	# The client's lines go to a file in the hostfs root, away from the
	# kernel's console messages.
	"$REPO/scripts/run_uml.sh" "$client" "$kernel" \
		"VFIO_FLOW_OUT=/tmp/$name.out" \
		>"$BUILD/conformance/$name.$side.log" 2>&1 || true
	if [ ! -f "$ROOTFS/tmp/$name.out" ]; then
		echo "conformance: the $kernel kernel gave no output" \
		     "(log: $BUILD/conformance/$name.$side.log)" >&2
		exit 1
	fi
	mv "$ROOTFS/tmp/$name.out" "$BUILD/conformance/$name.$side.out"
done

"$REPO/scripts/conformance_diff.py" \
	"$BUILD/conformance/$name.reference.out" \
	"$BUILD/conformance/$name.ours.out" \
	"$REPO/conformance/known-differences.txt"
