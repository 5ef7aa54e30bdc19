#!/usr/bin/env python3
"""Expected delays computed from a log's own timestamps (not from siplogscan).

  logtimes.py siplog|calltrace|sipdump FILE...

Parses the files (oldest first, as given) with tests/live/crosscheck.py's patterns, takes the
time written on each line (RFC 3339, journalctl short-iso[-precise], BSD syslog, sipdump
"time:"), applies tests/live/oracle.py's rules in the log's own order, and prints an
expected-totals JSON holding only the delays (trying_to_final.delay_ms and the KPI delays
kpi.srd_ms, rrd_ms, session_ms, acd_ms), with "delay_tolerance_ms" 0.001:
siplogscan must agree with it to the microsecond. (The capture-based oracle checks the same
delays within the time between capture and logging.) Standard library only.
"""
import datetime
import gzip
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import crosscheck  # noqa: E402
import oracle  # noqa: E402

ISO = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:?\d\d)")
BSD = re.compile(r"^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) ")


def line_time(line):
    m = ISO.match(line)
    if m:
        z = m.group(2)
        z = "+00:00" if z == "Z" else (z if ":" in z else z[:3] + ":" + z[3:])
        d = datetime.datetime.fromisoformat(m.group(1) + z)
        return "%d.%06d" % (int(d.timestamp()), d.microsecond)
    m = BSD.match(line)
    if m:
        # only differences matter: any year will do (the runs never cross a new year)
        d = datetime.datetime.strptime("2001 " + m.group(1), "%Y %b %d %H:%M:%S")
        return "%d.000000" % d.replace(tzinfo=datetime.timezone.utc).timestamp()
    return None


def main():
    kind, files = sys.argv[1], sys.argv[2:]
    pk = []
    if kind == "sipdump":
        for t in crosscheck.sipdump_tuples(files):
            p = oracle.Pkt()
            p.t = t[10]
            p.method = t[2] if t[1] == "req" else None
            p.code = t[2] if t[1] == "rpl" else None
            p.cseq, p.cmethod, p.callid = t[3], t[4], t[5]
            p.pauth, p.wauth = t[8], t[9]
            pk.append(p)
    else:
        mark = "siplog: " if kind == "siplog" else "CALLTRACE ["
        lines = []
        for f in files:
            data = open(f, "rb").read()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            lines += [l for l in data.decode("utf-8").splitlines() if mark in l]
        parse = crosscheck.siplog_tuples if kind == "siplog" else crosscheck.calltrace_tuples
        pk = crosscheck.tuples_to_pkts(parse(lines))
        for p, l in zip(pk, lines):
            p.t = line_time(l)
    no_times = any(p.t is None for p in pk)
    r = oracle.compute(pk, no_times)
    k = r["kpi"]
    json.dump({"source": "log timestamps: " + " ".join(os.path.basename(f) for f in files),
               "delay_tolerance_ms": 0.001,
               "trying_to_final": {"delay_ms": r["trying_to_final"]["delay_ms"]},
               "kpi": {q: k[q] for q in ("srd_ms", "rrd_ms", "session_ms", "acd_ms")}},
              sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
