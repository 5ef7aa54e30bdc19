#!/usr/bin/env python3
"""Cut a small sample out of one form of a live run's log, and count its expected totals.

  excerpt.py [--calltrace] [--per-source N] [--tolerance-ms T] LOG OUT.log EXPECTED.json

Keeps the lines before the first SIP line (daemon start-up), then every line of the first N
Call-IDs (by first appearance) of each source address (default 2): siplog lines and any other
line naming the Call-ID. With --calltrace the siplog lines are dropped and the operator-layout
CALLTRACE lines are kept (tests/live/kamailio-xlog-custom.cfg).

EXPECTED.json is counted from the kept lines, independently of siplogscan: the lines are
parsed by tests/live/crosscheck.py's patterns and counted by tests/live/oracle.py's rules,
with the times written in the lines (RFC 3339 / journalctl short-iso; none: null delays).
Standard library only.
"""
import argparse
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crosscheck  # noqa: E402
import oracle  # noqa: E402

TS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:?\d\d)")
CID = re.compile(r"(?:callid=|CALLTRACE \[)(.+?)(?: src=|\] )")


def epoch(line):
    m = TS.match(line)
    if not m:
        return None
    z = m.group(2)
    z = "+00:00" if z == "Z" else (z if ":" in z else z[:3] + ":" + z[3:])
    d = datetime.datetime.fromisoformat(m.group(1) + z)
    return "%d.%06d" % (int(d.timestamp()), d.microsecond)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--calltrace", action="store_true")
    ap.add_argument("--per-source", type=int, default=2)
    ap.add_argument("--tolerance-ms", type=float, default=None)
    ap.add_argument("--source", default=None, help="text for the 'source' field")
    ap.add_argument("log")
    ap.add_argument("out")
    ap.add_argument("expected")
    a = ap.parse_args()
    lines = open(a.log, encoding="utf-8").read().splitlines()
    sip = "CALLTRACE [" if a.calltrace else "siplog: "
    other = "siplog: " if a.calltrace else None
    chosen, per = set(), {}
    for l in lines:
        m = CID.search(l) if sip in l else None
        if m and m.group(1) not in chosen:
            host = m.group(1).rpartition("@")[2]
            if per.get(host, 0) < a.per_source:
                per[host] = per.get(host, 0) + 1
                chosen.add(m.group(1))
    seen_sip = False
    kept = []
    for l in lines:
        if other and other in l:
            continue
        if sip in l:
            seen_sip = True
            m = CID.search(l)
            if m and m.group(1) in chosen:
                kept.append(l)
        elif not seen_sip or any("[%s]" % c in l or "callid=%s " % c in l for c in chosen):
            kept.append(l)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(kept) + "\n")
    siplines = [l for l in kept if sip in l]
    tup = (crosscheck.calltrace_tuples if a.calltrace else crosscheck.siplog_tuples)(siplines)
    pk = crosscheck.tuples_to_pkts(tup)
    times = [epoch(l) for l in siplines]
    no_times = any(t is None for t in times)
    for p, t in zip(pk, times):
        p.t = t or "0"
    res = {"source": a.source or "tests/live/excerpt.py on %s" % os.path.basename(a.out)}
    if a.tolerance_ms is not None:
        res["delay_tolerance_ms"] = a.tolerance_ms
    res.update(oracle.compute(pk, no_times))
    with open(a.expected, "w") as f:
        json.dump(res, f, indent=2)
        f.write("\n")
    print("excerpt: %d of %d lines, %d Call-IDs, %d SIP records" % (
        len(kept), len(lines), len(chosen), len(siplines)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
