#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the build needs from Debian's archive when it is missing.
# As root: apt-get install. Otherwise: print the exact command and fail.
#
#   deps.sh [qemu]    qemu: also what make qemu runs (QEMU, busybox)
set -eu

PKGS="linux-source-6.12 gcc make flex bison bc python3 lcov gdb xz-utils
perl libelf-dev libssl-dev rsync kmod cpio patch libc6-dev"
[ "${1:-}" = qemu ] && PKGS="$PKGS qemu-system-x86 busybox-static gzip"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	     grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root: apt-get update && apt-get install -y$missing" >&2
	exit 1
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
