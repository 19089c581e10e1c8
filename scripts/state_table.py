#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The core's state table, from the KUnit table that tests it.

usage: state_table.py            print the Markdown table
       state_table.py --check F  fail unless F shows the same table between
                                 its "state table" markers
       state_table.py --write F  put the table between F's markers

The source is uvfio_sm_calls[] in vfio/tests/uvfio_core_kunit.c: one row
per call, one cell per state (R(ret): the result, the state unchanged;
T(ret, SM_X): the result and the state it leads to; ALL(ret): R(ret) in
every state). Every cell printed is a KUnit case, so the page cannot
claim a cell that no test checks.
"""
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(REPO, "vfio/tests/uvfio_core_kunit.c")
BEGIN, END = "<!-- state table -->", "<!-- /state table -->"


def parse():
    text = open(SRC, encoding="utf-8").read()
    names = dict(re.findall(r'\[(SM_\w+)\]\s*= "([^"]+)"',
                            text.split("uvfio_sm_names")[1].split("};")[0]))
    states = re.search(r"enum uvfio_sm_state \{(.*?)\};", text, re.S).group(1)
    order = [s for s in re.findall(r"(SM_\w+)", states) if s != "SM_STATES"]
    body = text.split("uvfio_sm_calls[] = {")[1].split("\n};")[0]
    rows = []
    for m in re.finditer(r'\{ "([^"]+)", \w+,(.*?)\},?\n(?=\t\{|$)',
                         body + "\n", re.S):
        name, cells = m.group(1), " ".join(m.group(2).split())
        all_ = re.match(r"ALL\((.*)\)$", cells)
        if all_:
            row = [all_.group(1)] * len(order)
        else:
            row = []
            for c in re.finditer(r"R\(([^()]*)\)|T\(([^(),]*), (SM_\w+)\)",
                                 cells):
                row.append(c.group(1) if c.group(1) is not None else
                           f"{c.group(2)} → {names[c.group(3)]}")
        if len(row) != len(order):
            sys.exit(f"state_table: {name}: {len(row)} cells, "
                     f"{len(order)} states")
        rows.append((name, row))
    return [names[s] for s in order], rows


def table():
    states, rows = parse()
    lines = ["| call | " + " | ".join(states) + " |",
             "|---" * (len(states) + 1) + "|"]
    for name, row in rows:
        lines.append(f"| {name} | " + " | ".join(row) + " |")
    return "\n".join(lines)


def main():
    if len(sys.argv) == 1:
        print(table())
        return
    if sys.argv[1] not in ("--check", "--write") or len(sys.argv) != 3:
        sys.exit(__doc__)
    doc = open(sys.argv[2], encoding="utf-8").read()
    try:
        head, rest = doc.split(BEGIN + "\n", 1)
        shown, tail = rest.split("\n" + END, 1)
    except ValueError:
        sys.exit(f"state_table: no {BEGIN} block in {sys.argv[2]}")
    if sys.argv[1] == "--write":
        with open(sys.argv[2], "w", encoding="utf-8") as f:
            f.write(f"{head}{BEGIN}\n{table()}\n{END}{tail}")
    elif shown.strip() != table():
        sys.exit(f"state_table: {sys.argv[2]} differs from the KUnit table;"
                 " paste scripts/state_table.py's output between the markers")


main()
