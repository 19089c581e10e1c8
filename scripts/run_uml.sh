#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run (variables: make help)
#
#   run_uml.sh [INIT] [KERNEL] [ARGS]
#
# Boots a built UML kernel into userspace (no KUnit) with a hostfs root in
# build/rootfs: /proc, /sys, /dev (devtmpfs) and debugfs are mounted by the
# static init, which runs INIT (copied to /bin in the root; a .c file is
# built static first) when given and powers off; UML exits with INIT's exit
# status. ARGS are added to the kernel command line.
set -eu
. "$(dirname "$0")/common.sh"
prog=${1:-}
kernel=${2:-test}
args=${3:-}

out=$(outdir "$kernel")
[ -x "$out/linux" ] || build_flavour "$kernel"
build_rootfs
run=
if [ -n "$prog" ]; then
	name=$(basename "$prog" .c)
	case $prog in
	*.c) build_client "$prog" "$ROOTFS/bin/$name" ;;
	*) cp "$prog" "$ROOTFS/bin/$name" ;;
	esac
	run="RUN=/bin/$name"
fi
# shellcheck disable=SC2046,SC2086
exec "$out/linux" $(uml_boot_args "$out") kunit.enable=0 $run $args </dev/null
