#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
#
# /init of the make qemu guest's initramfs: mounts what guest_check needs,
# loads the guest's VFIO, runs guest_check with its lines on the second
# serial port and powers off (QEMU then exits).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
modprobe vfio-pci
modprobe vfio_iommu_type1
stty -F /dev/ttyS1 raw -echo
VFIO_FLOW_OUT=/dev/ttyS1 /bin/guest_check
echo "guest: guest_check exit status $?" >/dev/ttyS1
poweroff -f
