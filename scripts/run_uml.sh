#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run [INIT=<static program>] [KERNEL=test]
#
# Boots a built UML kernel into userspace (no KUnit) with a hostfs root in
# build/rootfs: /proc, /sys, /dev (devtmpfs) and debugfs are mounted by the
# static init, which runs INIT (copied to /bin in the root) when given and
# powers off; UML exits with INIT's exit status.
set -eu
. "$(dirname "$0")/common.sh"
prog=${1:-}
kernel=${2:-test}

out=$(outdir "$kernel")
if [ ! -x "$out/linux" ]; then
	echo "run: $out/linux is not built (make test builds it)" >&2
	exit 1
fi
build_rootfs
run=
if [ -n "$prog" ]; then
	cp "$prog" "$ROOTFS/bin/"
	run="RUN=/bin/$(basename "$prog")"
fi
# shellcheck disable=SC2046
exec "$out/linux" $(uml_boot_args) $run </dev/null
