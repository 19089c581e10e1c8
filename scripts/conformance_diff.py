#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Diff a client's output on the reference kernel and on ours.

usage: conformance_diff.py REFERENCE OURS KNOWN

Prints a unified diff; exits 1 when a differing line (of either side)
matches no regular expression of KNOWN, and says which lines those are.
"""
import difflib
import re
import sys


def main():
    ref_path, ours_path, known_path = sys.argv[1:4]
    with open(ref_path, encoding="utf-8") as f:
        ref = f.read().splitlines()
    with open(ours_path, encoding="utf-8") as f:
        ours = f.read().splitlines()
    with open(known_path, encoding="utf-8") as f:
        known = [re.compile(l.strip()) for l in f
                 if l.strip() and not l.startswith("#")]

    diff = list(difflib.unified_diff(ref, ours, "reference", "ours",
                                     lineterm="", n=1))
    unexplained = [l for l in diff
                   if l[:1] in "+-" and not l.startswith(("+++", "---"))
                   and not any(k.search(l[1:]) for k in known)]
    if diff:
        print("\n".join(diff))
    print(f"conformance: {len(ref)} lines, {len(unexplained)} unexplained "
          f"differences")
    return 1 if unexplained else 0


if __name__ == "__main__":
    sys.exit(main())
