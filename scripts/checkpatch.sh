#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel style on every C file and header under vfio/.
set -eu
. "$(dirname "$0")/common.sh"
cd "$REPO"
mapfile -t files < <(git ls-files 'vfio/*.c' 'vfio/*.h')
perl "$KTREE/scripts/checkpatch.pl" --no-tree --quiet --show-types -f "${files[@]}"
