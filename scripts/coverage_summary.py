#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Per-file and per-ioctl coverage tables from an lcov tracefile.

usage: coverage_summary.py TRACEFILE IOCTLS REPO

IOCTLS lists '<ioctl> <handler function>' lines; each handler's body is
found in its source file (from the function's first line to the closing
brace in column 0) and its line and branch coverage reported.
"""
import os
import sys


class SourceFile:
    def __init__(self, path):
        self.path = path
        self.lines = {}        # line -> hit count
        self.branches = []     # (line, taken)
        self.functions = {}    # name -> first line
        self.fn_hits = {}      # name -> hit count


def parse(tracefile):
    files = []
    cur = None
    with open(tracefile, encoding="utf-8") as f:
        for raw in f:
            key, _, val = raw.strip().partition(":")
            if key == "SF":
                cur = SourceFile(val)
                files.append(cur)
            elif key == "DA":
                line, hits = val.split(",")[:2]
                cur.lines[int(line)] = int(hits)
            elif key == "BRDA":
                line, _, _, taken = val.split(",")
                cur.branches.append((int(line), taken not in ("-", "0")))
            elif key == "FN":
                line, name = val.split(",")
                cur.functions[name] = int(line)
            elif key == "FNDA":
                hits, name = val.split(",")
                cur.fn_hits[name] = int(hits)
    return files


def pct(hit, total):
    return "   -  " if not total else f"{100.0 * hit / total:5.1f}%"


def file_row(name, sf):
    lh = sum(1 for h in sf.lines.values() if h)
    fh = sum(1 for h in sf.fn_hits.values() if h)
    bh = sum(1 for _, t in sf.branches if t)
    return (f"{name:<44} {pct(lh, len(sf.lines))} {pct(fh, len(sf.functions))}"
            f" {pct(bh, len(sf.branches))}"), (lh, len(sf.lines), fh,
                                              len(sf.functions), bh,
                                              len(sf.branches))


def function_span(path, first):
    """Lines of a function: from its first line to the '}' in column 0."""
    with open(path, encoding="utf-8") as f:
        text = f.read().splitlines()
    for i in range(first - 1, len(text)):
        if text[i].startswith("}"):
            return first, i + 1
    return first, len(text)


def ioctl_rows(files, ioctls_path):
    rows, errors = [], []
    try:
        with open(ioctls_path, encoding="utf-8") as f:
            entries = [l.split() for l in f
                       if l.strip() and not l.startswith("#")]
    except OSError:
        entries = []
    for ioctl, func in entries:
        sf = next((s for s in files if func in s.functions), None)
        if sf is None:
            errors.append(f"{ioctl}: handler {func} is not in the report")
            continue
        lo, hi = function_span(sf.path, sf.functions[func])
        lines = [h for l, h in sf.lines.items() if lo <= l <= hi]
        brs = [t for l, t in sf.branches if lo <= l <= hi]
        rows.append(f"{ioctl:<34} {func:<36} "
                    f"{pct(sum(1 for h in lines if h), len(lines))} "
                    f"{pct(sum(brs), len(brs))}")
    return rows, errors


def main():
    tracefile, ioctls, repo = sys.argv[1:4]
    files = parse(tracefile)
    print(f"{'file':<44} {'lines':>6} {'funcs':>6} {'branch':>6}")
    total = [0] * 6
    for sf in sorted(files, key=lambda s: s.path):
        row, counts = file_row(os.path.relpath(sf.path, repo), sf)
        print(row)
        total = [a + b for a, b in zip(total, counts)]
    print(f"{'total':<44} {pct(total[0], total[1])} {pct(total[2], total[3])}"
          f" {pct(total[4], total[5])}")

    rows, errors = ioctl_rows(files, ioctls)
    print()
    if rows:
        print(f"{'ioctl':<34} {'handler':<36} {'lines':>6} {'branch':>6}")
        print("\n".join(rows))
    else:
        print("ioctls: none listed in coverage/ioctls.txt yet")
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    return 1 if errors or not files else 0


if __name__ == "__main__":
    sys.exit(main())
