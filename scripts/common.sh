# SPDX-License-Identifier: GPL-2.0
# Paths shared by the harness scripts; sourced, not run.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$REPO/build}
KTARBALL=${KTARBALL:-/usr/src/linux-source-6.12.tar.xz}
KTREE=$BUILD/src/linux
# Name of our tree inside drivers/ (upstream owns drivers/vfio).
KLINK=uvfio
KUNIT_PY=$KTREE/tools/testing/kunit/kunit.py
JOBS=${JOBS:-$(nproc)}
# KUnit attribute filters: benchmarks are the cases marked very slow.
KUNIT_NO_BENCH='speed>very_slow'
KUNIT_BENCH='speed=very_slow'

# Output folder of each kernel flavour; stable so that builds are incremental.
outdir() {
	echo "$BUILD/$1"
}

# kunit.py's --kunitconfig arguments of a kernel flavour, one a line.
flavour_configs() {
	case $1 in
	test|coverage|debug) echo "--kunitconfig=$REPO/kunitconfig" ;;
	reference|reference-iommufd)
		echo "--kunitconfig=$REPO/scripts/$1.config" ;;
	*) echo "unknown kernel flavour $1" >&2; return 2 ;;
	esac
	echo "--kunitconfig=$REPO/uml-config"
	case $1 in
	coverage) echo "--kunitconfig=$REPO/coverage/coverage.config" ;;
	debug) echo "--kunitconfig=$REPO/scripts/debug.config" ;;
	esac
}

# Configure and build a flavour in its folder, without running it.
build_flavour() {
	local out configs

	out=$(outdir "$1")
	mapfile -t configs < <(flavour_configs "$1")
	mkdir -p "$out"
	"$REPO/scripts/deps.sh"
	"$REPO/scripts/prepare_tree.sh"
	(cd "$KTREE" && python3 "$KUNIT_PY" build --arch=um \
		--build_dir="$out" --jobs="$JOBS" "${configs[@]}")
}

# The static init of vfio/tests/user/uml_init.c in the hostfs root that UML
# kernels boot into (make run, make test-debug).
ROOTFS=$BUILD/rootfs

build_rootfs() {
	local src=$REPO/vfio/tests/user/uml_init.c

	mkdir -p "$ROOTFS"/{proc,sys,dev,tmp,bin}
	if [ ! -x "$ROOTFS/init" ] || [ "$src" -nt "$ROOTFS/init" ]; then
		gcc -static -O2 -Wall -Werror -o "$ROOTFS/init" "$src"
	fi
}

# What firmware sets up for the simulated hardware on every boot: the host
# bridge's RAM window, reserved before the page allocator starts
# (vfio/sim/mmio.c). kunit.py gets it with --kernel_args.
SIM_BOOT_ARGS="simpci.ram_window=64M"

# sim_boot_args OUT: those, and the device tree of the simulated platform
# (vfio/sim/simplat.dts, compiled by the kernel build in OUT); one a line.
# A kernel built without it boots without a tree (the file is missing).
sim_boot_args() {
	echo "$SIM_BOOT_ARGS"
	echo "dtb=$1/drivers/$KLINK/sim/simplat.dtb"
}

# The simulator's default topology (vfio/sim/topology.c) with the RAM-backed
# function at 04.0, whose BAR a process may map and touch under UML
# (make qemu, make races).
topology_with_ram() {
	echo "$(sed -n '/^static char \*topology =/{n;s/^[[:space:]]*"\(.*\)";$/\1/p}' \
		"$REPO/vfio/sim/topology.c"),04.0=ram"
}

# uml_boot_args OUT: kernel command line that boots the UML kernel built
# in OUT into the init above.
# Linux's vfio-platform has reset modules for real boards only, none for
# the simulated devices: on the reference kernels it binds them the way
# users bind such devices, with reset_required=0.
uml_boot_args() {
	# shellcheck disable=SC2046
	echo "mem=1G con=null con0=fd:0,fd:1 root=/dev/root rootfstype=hostfs" \
	     "rootflags=$ROOTFS rw init=/init" $(sim_boot_args "$1")
	case $(basename "$1") in
	reference*) echo "vfio_platform.reset_required=0" ;;
	esac
}

# The uAPI headers of the kernel tree (include/uapi/linux/vfio.h and what it
# needs) for the static userspace clients, installed once.
UAPI=$BUILD/uapi/usr/include

uapi_headers() {
	[ -f "$UAPI/linux/vfio.h" ] && return 0
	make -s -C "$KTREE" O="$BUILD/uapi" ARCH=x86 headers_install >/dev/null
}

# Build a static client against those headers.
build_client() {
	uapi_headers
	gcc -static -O2 -Wall -Werror -I"$UAPI" -o "$2" "$1"
}

# client_output CLIENT KERNEL OUT LOG: boot KERNEL into userspace running
# CLIENT (a .c built static), the client's lines (VFIO_FLOW_OUT) into OUT
# and the console into LOG. Fails when the client wrote nothing.
client_output() {
	local name
	name=$(basename "$1" .c)
	mkdir -p "$ROOTFS/tmp"
	rm -f "$ROOTFS/tmp/$name.out"
	"$REPO/scripts/run_uml.sh" "$1" "$2" "VFIO_FLOW_OUT=/tmp/$name.out" \
		>"$4" 2>&1 || true
	if [ ! -f "$ROOTFS/tmp/$name.out" ]; then
		echo "$(basename "$0"): the $2 kernel gave no output (log: $4)" >&2
		return 1
	fi
	mv "$ROOTFS/tmp/$name.out" "$3"
}

# check_debug_log LOG WHAT: a debug kernel's boot log has no checker report
# (scripts/known-reports.txt lists the platform's own) and reached the
# init's kmemleak scan, whose report is in it. Prints why not; 1 then.
check_debug_log() {
	local rc=0

	if ! "$REPO/scripts/scan_reports.py" "$1" \
		"$REPO/scripts/known-reports.txt"; then
		echo "$2: the kernel's checkers reported (full log: $1)"
		rc=1
	fi
	if ! grep -q '^init: kmemleak scan done' "$1"; then
		echo "$2: the kernel did not reach the kmemleak scan (log: $1)"
		tail -n 40 "$1"
		rc=1
	fi
	return "$rc"
}
