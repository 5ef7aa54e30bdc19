#!/bin/sh
# bench/scale.sh - how siplogscan scales with threads (1, 2, 4, ... nproc; 1..16 on a 16-CPU
# machine) on plain xlog, plain sipdump and a rotated gzip set, with peak RSS and the
# same-report check. The work is in bench/scale.py (its docstring has the options); the
# inputs are bench/run.sh's. Paths (--data, SIPLOGSCAN) are relative to the top of the tree.
set -eu
cd "$(dirname "$0")/.."
exec python3 bench/scale.py "$@"
