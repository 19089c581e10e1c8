#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make qemu (variables: make help): QEMU's vfio-pci as a client of a UML
# kernel's VFIO. The UML kernel boots into vfio/tests/qemu/uml_qemu.c,
# which binds the functions to vfio-pci and runs Debian's QEMU (TCG, q35
# with an intel-iommu) chrooted in the host's / mounted read-only; QEMU
# boots Debian's kernel with an initramfs of busybox and
# vfio/tests/qemu/guest_check.c, which drives the assigned functions
# through the guest's own VFIO and prints one line per check.
#
# On KERNEL (default test) and on the reference kernel: every check must
# pass on both; the guest's lines, QEMU's messages and QEMU's VFIO calls
# (its vfio_* trace events, normalised) are then diffed, and a difference
# not listed in conformance/qemu-known-differences.txt fails (the diffs
# are kept in build/qemu/*.diff).
# KERNEL=reference runs the reference twice. Output in build/qemu/<side>/.
#
#   qemu.sh [KERNEL] [BDF...]    run and compare
#   qemu.sh --prepare [BDF...]   only set up the root and guest (make gdb)
#
# The UML kernel boots with the default topology and a "ram" function at
# 04.0 (one RAM BAR). BDF: the host functions to assign (default: one of
# each model, a register file behind the bridge, the ram function). A
# function is assigned with x-no-mmap=on unless followed by :mmap: QEMU
# touching an mmap of a UML register BAR, which has no pages behind it, is
# killed on either kernel (so is its MAP_DMA of one); only the ram
# function, all of whose BARs are RAM, is assigned with QEMU mapping them.
set -eu
. "$(dirname "$0")/common.sh"

QDIR=$BUILD/qemu
GUEST=$QDIR/guest
QEMU=/usr/bin/qemu-system-x86_64
TIMEOUT=${QEMU_TIMEOUT:-600}
DEFAULT_BDFS=(0000:40:00.0 0000:40:01.0 0000:40:02.0 0000:41:00.0
	      0000:40:04.0:mmap)
# The simulator's default topology (vfio/sim/topology.c) and the ram function.
TOPOLOGY=$(topology_with_ram)
# Modules of the guest's VFIO (with what they need, from modules.dep).
GUEST_MODULES="vfio-pci vfio_iommu_type1"

# Debian's kernel for the guest, unpacked (not installed) in build/qemu.
guest_kernel() {
	local pkg deb

	[ -f "$GUEST/vmlinuz" ] && return 0
	pkg=$(apt-cache depends linux-image-amd64 |
	      awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[ -n "$pkg" ] || { echo "qemu: no linux-image-amd64" >&2; return 1; }
	rm -rf "$GUEST" && mkdir -p "$GUEST/deb"
	(cd "$GUEST/deb" && apt-get download "$pkg" >/dev/null 2>&1) || {
		[ "$(id -u)" -eq 0 ] && apt-get update -qq
		(cd "$GUEST/deb" && apt-get download "$pkg" >/dev/null)
	}
	deb=$(ls "$GUEST"/deb/*.deb)
	dpkg-deb -x "$deb" "$GUEST/root"
	rm -f "$deb"
	cp "$GUEST"/root/boot/vmlinuz-* "$GUEST/vmlinuz.tmp"
	ls "$GUEST/root/lib/modules" >"$GUEST/version"
	mv "$GUEST/vmlinuz.tmp" "$GUEST/vmlinuz"
}

# The guest's initramfs: busybox, the VFIO modules, guest_check, /init.
guest_initramfs() {
	local ver stage mods m src=$REPO/vfio/tests/qemu

	ver=$(cat "$GUEST/version")
	stage=$QDIR/initramfs
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,dev,proc,sys,lib/modules/"$ver"}
	cp /bin/busybox "$stage/bin/busybox"
	install -m 755 "$src/guest_init.sh" "$stage/init"
	build_client "$src/guest_check.c" "$stage/bin/guest_check"

	[ -f "$GUEST/root/lib/modules/$ver/modules.dep" ] ||
		depmod -b "$GUEST/root" "$ver"
	mods=$(for m in $GUEST_MODULES; do
		modprobe -d "$GUEST/root" -S "$ver" --show-depends "$m"
	done | awk '$1 == "insmod" { print $2 }' | sort -u)
	for m in $mods; do
		m=${m#"$GUEST/root/"}
		mkdir -p "$stage/$(dirname "$m")"
		cp "$GUEST/root/$m" "$stage/$m"
	done
	cp "$GUEST/root/lib/modules/$ver"/modules.{order,builtin,builtin.modinfo} \
		"$stage/lib/modules/$ver/"
	depmod -b "$stage" "$ver"
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) \
		>"$QDIR/initrd.gz"
}

# The root's /qemu/assign and /qemu/args for one run writing into $1.
# QEMU sees build/qemu as /tmp/files and $1 as /tmp/out (uml_qemu.c).
qemu_config() {
	local out=$1 slot=4 bdf cfg=$ROOTFS/qemu
	shift

	mkdir -p "$cfg" "$out"
	: >"$cfg/assign"
	{
		echo "$QEMU"
		printf '%s\n' -machine q35 -accel tcg,tb-size=64 -m 256 \
			-nodefaults -no-user-config -display none -no-reboot \
			-kernel /tmp/files/guest/vmlinuz \
			-initrd /tmp/files/initrd.gz \
			-serial file:/tmp/out/console.txt \
			-serial file:/tmp/out/guest.txt \
			-D /tmp/out/qemu.log -trace 'vfio_*' \
			-device intel-iommu,caching-mode=on,intremap=on
		for bdf in "$@"; do
			mode=,x-no-mmap=on
			case $bdf in
			*:mmap) bdf=${bdf%:mmap} mode= ;;
			esac
			echo "$bdf" >>"$cfg/assign"
			echo -device
			printf 'vfio-pci,host=%s,addr=%02x.0%s\n' "$bdf" $slot "$mode"
			slot=$((slot + 1))
		done
		echo -append
		echo "console=ttyS0 quiet intel_iommu=on panic=-1"
	} >"$cfg/args"
}

prepare() {
	"$REPO/scripts/deps.sh" qemu
	build_rootfs
	build_client "$REPO/vfio/tests/qemu/uml_qemu.c" "$ROOTFS/bin/uml_qemu"
	guest_kernel
	guest_initramfs
}

# run_side SIDE KERNEL BDF...: one boot; its files in build/qemu/SIDE.
run_side() {
	local side=$1 kernel=$2 out=$QDIR/$1 rc=0 start
	shift 2

	rm -rf "$out"
	qemu_config "$out" "$@"
	start=$(date +%s)
	# shellcheck disable=SC2046
	timeout $((TIMEOUT + 120)) "$(outdir "$kernel")/linux" \
		$(uml_boot_args "$(outdir "$kernel")") simpci.topology="$TOPOLOGY" \
		kunit.enable=0 RUN=/bin/uml_qemu \
		QEMU_FILES="$QDIR" QEMU_OUT="$out" QEMU_TIMEOUT="$TIMEOUT" \
		</dev/null \
		>"$out/uml.log" 2>&1 || rc=$?
	# A run that failed early leaves some of these out.
	touch "$out"/{guest.txt,qemu.log}
	tr -d '\r' <"$out/guest.txt" >"$out/guest.out"
	echo "qemu: $side ($kernel): exit status $rc in" \
	     "$(($(date +%s) - start)) s," \
	     "$(grep -c ' = ok$' "$out/guest.out") checks passed"
	# The checks that failed, and calls that did.
	grep -e ', expected' -e ' = -E' -e 'failed' "$out/guest.out" |
		sed "s/^/  $side: /"
	[ -s "$out/guest.out" ] || grep 'uml-qemu:' "$out/uml.log" |
		sed "s/^/  $side: /"
	echo "qemu: $side: $("$REPO/scripts/qemu_calls.py" "$out")"
	[ "$rc" -eq 0 ] && grep -qx 'failures = 0' "$out/guest.out"
}

bdfs=()
if [ "${1:-}" = --prepare ]; then
	shift
	bdfs=("$@")
	[ ${#bdfs[@]} -gt 0 ] || bdfs=("${DEFAULT_BDFS[@]}")
	prepare
	echo "$TOPOLOGY" >"$QDIR/topology"
	qemu_config "$QDIR/gdb" "${bdfs[@]}"
	exit 0
fi

ours=${1:-test}
shift || true
read -ra bdfs <<<"$*"
[ ${#bdfs[@]} -gt 0 ] || bdfs=("${DEFAULT_BDFS[@]}")
build_flavour reference
[ "$ours" = reference ] || build_flavour "$ours"
prepare

fail=0
run_side reference reference "${bdfs[@]}" || fail=1
run_side ours "$ours" "${bdfs[@]}" || fail=1
for f in guest.out messages.txt calls.txt; do
	echo "qemu: $f, reference against ours:"
	"$REPO/scripts/conformance_diff.py" "$QDIR/reference/$f" \
		"$QDIR/ours/$f" "$REPO/conformance/qemu-known-differences.txt" \
		>"$QDIR/$f.diff" || fail=1
	head -c 20000 "$QDIR/$f.diff"
done
[ $fail = 0 ] && echo "qemu: passed" || echo "qemu: FAILED"
exit $fail
