#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make help: the targets and variables, from the "##" lines of the
# Makefile (their one source). With --check FILE: fail unless FILE (the
# README) shows the same text between its "make help" markers.
set -eu
. "$(dirname "$0")/common.sh"

help_text() {
	sed -n 's/^## \{0,1\}//p' "$REPO/Makefile"
}

if [ "${1:-}" != --check ]; then
	help_text
	exit 0
fi
file=${2:?usage: help.sh [--check FILE]}
shown=$(sed -n '/^<!-- make help -->$/,/^<!-- \/make help -->$/p' "$file" |
	sed '1,2d;$d' | sed '$d')
if [ "$shown" != "$(help_text)" ]; then
	echo "help: $file and make help differ; paste make help's output" \
	     "between the markers:" >&2
	diff <(echo "$shown") <(help_text) >&2 || true
	exit 1
fi
