#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit.py builds compile_commands.json in the build folder; rewrite the
# paths of our files from drivers/uvfio/ in the kernel tree to vfio/ in the
# repo and link the result from the repo root, so that clangd finds it.
set -eu
. "$(dirname "$0")/common.sh"

out=$1
[ -f "$out/compile_commands.json" ] || exit 0
sed "s|$KTREE/drivers/$KLINK/|$REPO/vfio/|g" "$out/compile_commands.json" \
	>"$out/compile_commands.repo.json"
ln -sfn "$out/compile_commands.repo.json" "$REPO/compile_commands.json"
