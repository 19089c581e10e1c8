# SPDX-License-Identifier: GPL-2.0-only
# Included by the product's folders (core, iommu, pci, platform): an index
# past an array's end traps (under UML a crash, so make test fails) where
# UBSAN is not there to report it (make test-debug).
ccflags-$(if $(CONFIG_UBSAN),,y) += -fsanitize=bounds \
				    -fsanitize-undefined-trap-on-error
