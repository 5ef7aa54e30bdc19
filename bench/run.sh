#!/bin/sh
# bench/run.sh - `make bench`: siplogscan against grep, rg, zcat and the inflate floors on the
# same generated files in the same run, and the speed targets with PASS or MISS. The work is
# in bench/run.py (its docstring has the options); bench/README.md says what each figure means.
# Paths (--data, SIPLOGSCAN, FLOOR) are relative to the top of the tree.
set -eu
cd "$(dirname "$0")/.."
exec python3 bench/run.py "$@"
