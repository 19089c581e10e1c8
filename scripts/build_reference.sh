#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make reference: a second UML kernel from the same tree, in its own build
# folder (build/reference), with Linux's VFIO (classic container and type1,
# IOMMUFD with the device cdev), vfio-pci, our simulated host bridge and
# fake IOMMU, and none of our vfio: the conformance oracle
# (scripts/reference.config). kunit.py only builds it (it checks that every option
# asked for reaches .config); it is booted with make run KERNEL=reference.
set -eu
. "$(dirname "$0")/common.sh"

build_flavour reference
