#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""QEMU's VFIO calls of one make qemu run, in a form two runs can diff.

usage: qemu_calls.py OUTDIR

Reads OUTDIR/qemu.log (QEMU's vfio_* trace events) and OUTDIR/uml.log
(the UML console, where QEMU's own messages land) and writes:
  calls.txt     the events of each host function in order (its config
                space accesses apart from the others), then those of the
                container (DMA mappings): how the guest interleaves its
                functions, and its interrupt handlers with its program,
                depends on timing; the order within each stream does not. QEMU's host addresses are masked, and a run of the
                same line (a status register polled) is kept once. MSI
                deliveries are counted at the end; INTx deliveries and
                EOIs, and BAR mmaps toggled by QEMU's INTx timer, depend on
                timing in number too: only that they happened is kept
  messages.txt  what QEMU printed (warnings, failed optional ioctls)
"""
import collections
import os
import re
import sys

# Where these fall among the other events depends on timing; how many
# times the second ones happen too.
COUNTED = ("vfio_msi_interrupt",)
SEEN = ("vfio_intx_interrupt", "vfio_intx_eoi",
        "vfio_region_mmaps_set_enabled")
CONFIG = ("vfio_pci_read_config", "vfio_pci_write_config")
BDF = re.compile(r"\b[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]\b")


def events(path):
    lines = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            # A multi-line event goes on in indented lines.
            if line[:1].isspace() and lines:
                lines[-1] += " " + line.strip()
            elif line:
                # QEMU's virtual addresses, e.g. "[0x4c000000]".
                lines.append(re.sub(r"\[0x[0-9a-f]+\]", "[vaddr]", line))
    return lines


def main():
    out = sys.argv[1]
    calls = collections.defaultdict(list)
    counted, seen, last = collections.Counter(), set(), {}
    for line in events(os.path.join(out, "qemu.log")):
        m = BDF.search(line)
        key = m.group(0) if m else "container"
        # The guest kernel's interrupt handler reaches config space
        # while the guest program goes on with BAR accesses.
        if line.startswith(CONFIG):
            key += " config space"
        if line.startswith(COUNTED):
            counted[line] += 1
        elif line.startswith(SEEN):
            seen.add(line)
        elif line != last.get(key):
            calls[key].append(line)
            last[key] = line
    ncalls = sum(len(v) for v in calls.values())
    with open(os.path.join(out, "calls.txt"), "w", encoding="utf-8") as f:
        for key in sorted(calls, key=lambda k: (k == "container", k)):
            f.write(f"== {key}\n")
            f.writelines(l + "\n" for l in calls[key])
        f.write("== counted\n")
        f.writelines(f"{n} x {l}\n" for l, n in sorted(counted.items()))
        f.write("== seen\n")
        f.writelines(l + "\n" for l in sorted(seen))

    with open(os.path.join(out, "uml.log"), encoding="utf-8",
              errors="replace") as f:
        msgs = [l for l in f if "qemu-system-x86_64:" in l]
    with open(os.path.join(out, "messages.txt"), "w", encoding="utf-8") as f:
        f.writelines(msgs)
    print(f"{ncalls} calls, {sum(counted.values())} counted, "
          f"{len(msgs)} messages")


if __name__ == "__main__":
    sys.exit(main())
