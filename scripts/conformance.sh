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

mkdir -p "$BUILD/conformance"
for side in reference ours; do
	kernel=reference
	[ "$side" = ours ] && kernel=$ours
	# The client's lines go to a file in the hostfs root, away from the
	# kernel's console messages.
	client_output "$client" "$kernel" \
		"$BUILD/conformance/$name.$side.out" \
		"$BUILD/conformance/$name.$side.log"
done

"$REPO/scripts/conformance_diff.py" \
	"$BUILD/conformance/$name.reference.out" \
	"$BUILD/conformance/$name.ours.out" \
	"$REPO/conformance/known-differences.txt"
