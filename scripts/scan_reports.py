#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Find reports of the kernel's checkers in a UML boot log.

usage: scan_reports.py LOG KNOWN

Prints every report (its first line and what follows, up to the next
report) and exits 1 if there is one. KNOWN lists regular expressions of
reports that the platform always makes and that are not ours to fix, each
with its reason in a comment; a report is known when one of them matches
its first three lines.
"""
import re
import sys

REPORT = re.compile(
    r"BUG:|WARNING:|UBSAN:|ODEBUG:|Kernel panic|Oops|general protection"
    r"|possible (circular|recursive) locking|inconsistent lock state"
    r"|suspected memory leak|unreferenced object"
    r"|Runtime PM usage count underflow")
CONTEXT = 40


def main():
    with open(sys.argv[1], errors="backslashreplace", encoding="utf-8") as f:
        log = f.read().splitlines()
    with open(sys.argv[2], encoding="utf-8") as f:
        known = [re.compile(l.strip()) for l in f
                 if l.strip() and not l.startswith("#")]

    starts = [i for i, line in enumerate(log) if REPORT.search(line)]
    found = 0
    for n, i in enumerate(starts):
        head = "\n".join(log[i:i + 3])
        if any(k.search(head) for k in known):
            continue
        end = min(starts[n + 1] if n + 1 < len(starts) else len(log),
                  i + CONTEXT)
        print("\n".join(log[i:end]))
        print("---")
        found += 1
    if found:
        print(f"scan_reports: {found} report(s) of the kernel's checkers")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
