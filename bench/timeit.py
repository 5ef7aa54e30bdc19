#!/usr/bin/env python3
"""bench/timeit.py - run a shell command N times; print the best wall time (s) and the peak
RSS (KiB) of its processes. usage: timeit.py N 'command'"""
import resource
import subprocess
import sys
import time

n, cmd = int(sys.argv[1]), sys.argv[2]
best = None
for _ in range(n):
    t = time.perf_counter()
    # stdout is a pipe, not /dev/null: GNU grep stops at the first match when it sees /dev/null
    subprocess.run(cmd, shell=True, check=True, stdout=subprocess.PIPE)
    el = time.perf_counter() - t
    best = el if best is None else min(best, el)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{best:.3f} {rss}")
