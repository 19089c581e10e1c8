#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the totals of a kunit.py --json result as 'N passed, N failed, N skipped'.

Counts leaf cases (each parameter of a parameterized case is one). Exits 1
when the file is missing or no case ran, so that an empty run never passes.
"""
import json
import sys


def count(group, totals):
    for case in group.get("test_cases", []):
        status = case.get("status")
        if status == "PASS":
            totals["passed"] += 1
        elif status == "SKIP":
            totals["skipped"] += 1
        else:
            totals["failed"] += 1
    for sub in group.get("sub_groups", []):
        count(sub, totals)


def main():
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            count(json.load(f), totals)
    except (OSError, ValueError) as err:
        print(f"kunit_totals: no results: {err}", file=sys.stderr)
    print(f"{totals['passed']} passed, {totals['failed']} failed, "
          f"{totals['skipped']} skipped")
    ran = totals["passed"] + totals["failed"] + totals["skipped"]
    return 0 if ran and not totals["failed"] else 1


if __name__ == "__main__":
    sys.exit(main())
