#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-reference: the VFIO flow client on the reference kernel must
# succeed: Linux's vfio-pci binds a simulated function, maps DMA, reads
# config space, receives MSI-X and INTx through eventfds, and the DMA engine
# writes into the user buffer. Fails when the simulated hardware stops being
# faithful enough for upstream VFIO.
set -eu -o pipefail
. "$(dirname "$0")/common.sh"

"$REPO/scripts/build_reference.sh"
log=$(outdir reference)/flow.log
rc=0
"$REPO/scripts/run_uml.sh" "$REPO/vfio/tests/user/vfio_flow.c" reference "" \
	>"$log" 2>&1 || rc=$?
sed -n '/^Run \/init/,$p' "$log"
if [ "$rc" -ne 0 ]; then
	echo "check-reference: the VFIO flow failed on the reference kernel" \
	     "(exit $rc, log: $log)"
fi
exit "$rc"
