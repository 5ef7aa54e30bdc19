#!/usr/bin/env python3
"""Harness self-check: do the generated logs record exactly the traffic of
the capture? (Checks the harness, not siplogscan.)

  crosscheck.py REPO_ROOT

 - the siplog lines of every Kamailio log form (syslog-bsd set, rfc3339,
   rfc3339 multi-member gzip, stderr) must be, message for message, the
   oracle's kamailio-xlog view of samples/kamailio/capture.pcap
   (kind, method/code, CSeq, Call-ID, source, auth flag, User-Agent);
 - the three forms must carry the same siplog lines in the same order;
 - the sipdump text files must record exactly the oracle's "all" view
   (direction, addresses, method/code, CSeq, Call-ID).
Exits 1 on any mismatch. Standard library only.
"""
import collections
import glob
import gzip
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

REQ = re.compile(r"siplog: req=(\S+) cseq=(\d+) (\S+) callid=(\S+) "
                 r"src=(\w+):([\d.]+):(\d+) auth=(yes|no) ua=(.*)$")
RPL = re.compile(r"siplog: rpl=(\d+) cseq=(\d+) (\S+) callid=(\S+) "
                 r"src=(\w+):([\d.]+):(\d+) reason=(.*)$")


def read_text(path):
    data = open(path, "rb").read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)  # handles multi-member files
    return data.decode("utf-8").splitlines()


def siplog_tuples(lines):
    out = []
    for l in lines:
        m = REQ.search(l)
        if m:
            out.append(("req", m.group(1), int(m.group(2)), m.group(3),
                        m.group(4), m.group(6) + ":" + m.group(7),
                        m.group(8), m.group(9)))
            continue
        m = RPL.search(l)
        if m:
            out.append(("rpl", m.group(1), int(m.group(2)), m.group(3),
                        m.group(4), m.group(6) + ":" + m.group(7), "", ""))
        elif "siplog:" in l:
            out.append(("unparsed", l))
    return out


def pkt_tuple_xlog(p):
    if p.code is None:
        return ("req", p.method, p.cseq, p.cmethod, p.callid,
                p.src + ":" + p.sport, "yes" if (p.pauth or p.wauth) else "no",
                p.ua or "<null>")
    return ("rpl", p.code, p.cseq, p.cmethod, p.callid,
            p.src + ":" + p.sport, "", "")


def sipdump_tuples(paths):
    out = []
    for path in paths:
        text = open(path, "rb").read().decode("utf-8", "replace")
        for blk in text.split("====================\n")[1:]:
            meta, _, msg = blk.partition("~~~~~~~~~~~~~~~~~~~~\n")
            kv = dict(l.split(": ", 1) for l in meta.splitlines() if ": " in l)
            msg = msg.split("||||||||||||||||||||")[0]
            lines = msg.split("\r\n") if "\r\n" in msg else msg.split("\n")
            first = lines[0]
            hdr = {}
            for l in lines[1:]:
                if not l:
                    break
                k, _, v = l.partition(":")
                hdr.setdefault(k.strip().lower(), v.strip())
            cseq = hdr.get("cseq", "").split()
            if first.startswith("SIP/2.0 "):
                kind, val = "rpl", first.split()[1]
            else:
                kind, val = "req", first.split()[0]
            out.append((kv.get("tag"), kind, val, int(cseq[0]), cseq[1],
                        hdr.get("call-id") or hdr.get("i"),
                        kv["srcip"] + ":" + kv["srcport"],
                        kv["dstip"] + ":" + kv["dstport"]))
    return out


def pkt_tuple_all(p, proxy):
    tag = "rcv" if (p.dst + ":" + p.dport) == proxy else "snd"
    if p.code is None:
        kind, val = "req", p.method
    else:
        kind, val = "rpl", p.code
    return (tag, kind, val, p.cseq, p.cmethod, p.callid,
            p.src + ":" + p.sport, p.dst + ":" + p.dport)


def diff(name, got, want):
    g, w = collections.Counter(got), collections.Counter(want)
    if g == w:
        print("crosscheck: %-28s OK  (%d messages)" % (name, len(got)))
        return True
    print("crosscheck: %-28s MISMATCH (log %d, capture %d)"
          % (name, len(got), len(want)))
    for t, n in (g - w).items():
        print("   only in log (%d): %s" % (n, t))
    for t, n in (w - g).items():
        print("   only in capture (%d): %s" % (n, t))
    return False


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    k = os.path.join(root, "samples", "kamailio")
    pkts = oracle.read_packets("tshark", os.path.join(k, "capture.pcap"))
    ok = True

    xv = [pkt_tuple_xlog(p)
          for p in oracle.select_view(pkts, "kamailio-xlog", "127.0.0.1",
                                      "5060")]
    bsd = []
    for f in ("kamailio.log.2.gz", "kamailio.log.1", "kamailio.log"):
        bsd += read_text(os.path.join(k, "syslog-bsd", f))
    forms = {
        "syslog-bsd (3 files)": siplog_tuples(bsd),
        "rfc3339": siplog_tuples(read_text(os.path.join(k, "kamailio-rfc3339.log"))),
        "rfc3339 (multi-member gz)": siplog_tuples(read_text(os.path.join(k, "kamailio-rfc3339.log.gz"))),
        "stderr": siplog_tuples(read_text(os.path.join(k, "kamailio-stderr.log"))),
    }
    for name, tup in forms.items():
        ok &= diff("xlog " + name, tup, xv)
    ref = forms["rfc3339"]
    for name, tup in forms.items():
        if tup != ref:
            print("crosscheck: %s: siplog lines differ from rfc3339 (order)" % name)
            ok = False
    # log order vs capture order (informative only: several processes log)
    moved = sum(1 for a, b in zip(ref, xv) if a != b)
    print("crosscheck: siplog lines not in capture order: %d of %d "
          "(informative)" % (moved, len(ref)))

    av = [pkt_tuple_all(p, "127.0.0.1:5060")
          for p in oracle.select_view(pkts, "all", "127.0.0.1", "5060")]
    sd = sipdump_tuples(sorted(glob.glob(os.path.join(k, "sipdump", "*.data"))))
    ok &= diff("sipdump", sd, av)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
