#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare the kernel tree that every flavour builds from:
#  - unpack Debian's linux-source-6.12 tarball once, again only when the
#    tarball changes (the output folders are then stale and are dropped);
#  - link vfio/ in as drivers/uvfio with one obj-y and one source line;
#  - apply scripts/kernel-patches/*.patch (gcov fixes), each once.
# Idempotent: a second run changes nothing, so no rebuild follows from it.
set -eu
. "$(dirname "$0")/common.sh"

stamp=$BUILD/src/tarball.stamp
want="$(stat -c '%s %Y' "$KTARBALL") $(cat "$REPO"/scripts/kernel-patches/*.patch | md5sum)"

if [ ! -d "$KTREE" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	echo "prepare: unpacking $KTARBALL"
	rm -rf "$BUILD/src"
	for d in "$BUILD"/*/; do
		[ -f "$d/.config" ] && rm -rf "$d"
	done
	mkdir -p "$BUILD/src"
	tar -xJf "$KTARBALL" -C "$BUILD/src"
	mv "$BUILD"/src/linux-source-* "$KTREE"
	for p in "$REPO"/scripts/kernel-patches/*.patch; do
		echo "prepare: applying $(basename "$p")"
		patch -d "$KTREE" -p1 -s -f <"$p"
	done
	echo "$want" >"$stamp"
fi

ln -sfn "$REPO/vfio" "$KTREE/drivers/$KLINK"

grep -qxF "obj-y += $KLINK/" "$KTREE/drivers/Makefile" ||
	echo "obj-y += $KLINK/" >>"$KTREE/drivers/Makefile"

if ! grep -qxF "source \"drivers/$KLINK/Kconfig\"" "$KTREE/drivers/Kconfig"; then
	# Inside the "Device Drivers" menu: before its closing endmenu.
	sed -i "\$s|^endmenu\$|source \"drivers/$KLINK/Kconfig\"\n\nendmenu|" \
		"$KTREE/drivers/Kconfig"
	grep -qxF "source \"drivers/$KLINK/Kconfig\"" "$KTREE/drivers/Kconfig"
fi
