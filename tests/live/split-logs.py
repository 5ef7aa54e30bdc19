#!/usr/bin/env python3
"""Split the BSD syslog file into a logrotate(delaycompress)-style set and
build a multi-member gzip of the RFC 3339 file.

  split-logs.py BSD_LOG OUT_DIR RFC3339_LOG

OUT_DIR gets kamailio.log.2.gz (oldest lines, gzip), kamailio.log.1 and
kamailio.log (newest). Each cut is placed right after the 100 Trying of a
call whose first final reply is in the next file (one cut near 1/3 of the
file, one near 2/3). RFC3339_LOG.gz is written as two gzip members
(first half of the lines, second half) concatenated.
Standard library only; gzip headers carry no name and mtime 0.
"""
import gzip
import io
import re
import sys

LINE = re.compile(r"siplog: rpl=(\d+) cseq=(\d+) (\S+) callid=(\S+) ")


def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return buf.getvalue()


def straddle_points(lines):
    """indexes i such that a call's first INVITE 100 is line i and its
    first final for that CSeq comes later"""
    first100 = {}
    done = set()
    points = []
    for i, l in enumerate(lines):
        m = LINE.search(l)
        if not m:
            continue
        code, cseq, meth, cid = int(m.group(1)), m.group(2), m.group(3), m.group(4)
        if meth != "INVITE" or cid in done:
            continue
        if code == 100 and cid not in first100:
            first100[cid] = (i, cseq)
        elif code >= 200 and cid in first100 and first100[cid][1] == cseq:
            done.add(cid)
            j = first100[cid][0]
            if i > j + 1:
                points.append(j + 1)
    return points


def main():
    bsd, outdir, rfc = sys.argv[1:4]
    lines = open(bsd, "rb").read().decode("utf-8").splitlines(keepends=True)
    pts = straddle_points(lines)
    n = len(lines)
    if len(pts) < 2:
        sys.exit("split-logs: no call straddles a cut point")
    c1 = min(pts, key=lambda p: abs(p - n // 3))
    c2 = min((p for p in pts if p > c1 + 10) or pts,
             key=lambda p: abs(p - 2 * n // 3))
    parts = ["".join(lines[:c1]), "".join(lines[c1:c2]), "".join(lines[c2:])]
    with open(outdir + "/kamailio.log.2.gz", "wb") as f:
        f.write(gz(parts[0].encode()))
    with open(outdir + "/kamailio.log.1", "wb") as f:
        f.write(parts[1].encode())
    with open(outdir + "/kamailio.log", "wb") as f:
        f.write(parts[2].encode())
    print("split-logs: %d lines, cuts after line %d and %d" % (n, c1, c2),
          file=sys.stderr)

    rl = open(rfc, "rb").read().splitlines(keepends=True)
    h = len(rl) // 2
    with open(rfc + ".gz", "wb") as f:
        f.write(gz(b"".join(rl[:h])))
        f.write(gz(b"".join(rl[h:])))


if __name__ == "__main__":
    main()
