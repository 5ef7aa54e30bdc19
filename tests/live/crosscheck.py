#!/usr/bin/env python3
"""Harness self-check: do the generated logs record exactly the traffic of
the capture? (Checks the harness, not siplogscan.)

  crosscheck.py DIR        DIR laid out like samples/kamailio (a repository
                           root means its samples/kamailio)

 - DIR/journal-short-iso*.log (journalctl output) and the operator-layout
   CALLTRACE lines (kamailio-xlog-custom.cfg), where present, are checked
   like the siplog forms;

 - the siplog lines of every Kamailio log form (syslog-bsd set, rfc3339,
   rfc3339 multi-member gzip, stderr) must be, message for message, the
   oracle's kamailio-xlog view of samples/kamailio/capture.pcap
   (kind, method/code, CSeq, Call-ID, source, auth flag, User-Agent);
 - the three forms must carry the same siplog lines in the same order
   (totals recomputed in each log's own line order are printed, informative:
   concurrent Kamailio workers can log a retry before the challenge);
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

# ruri, from and to: the snippet's keys since it logs where a call goes and its numbers
REQ = re.compile(r"siplog: req=(\S+) cseq=(\d+) (\S+) callid=(\S+) "
                 r"src=(\w+):([\d.]+):(\d+) ruri=(\S+) from=(\S*) to=(\S*) "
                 r"auth=(yes|no) ua=(.*)$")
RPL = re.compile(r"siplog: rpl=(\d+) cseq=(\d+) (\S+) callid=(\S+) "
                 r"src=(\w+):([\d.]+):(\d+) from=(\S*) to=(\S*) reason=(.*)$")


def read_text(path):
    data = open(path, "rb").read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)  # handles multi-member files
    return data.decode("utf-8").splitlines()


CT_REQ = re.compile(r"CALLTRACE \[(.+?)\] <- ([A-Z]+) (\d+)/(\S+) from ([\d.]+:\d+) "
                    r"pauth=(\S*) wauth=(\S*) agent=\"(.*)\"$")
CT_RPL = re.compile(r"CALLTRACE \[(.+?)\] (?:<-|->) (\d{3}) (\d+)/(\S+) from ([\d.]+:\d+) \"")


def calltrace_tuples(lines):
    """the operator-layout lines, as siplog tuples"""
    out = []
    for l in lines:
        m = CT_REQ.search(l)
        if m:
            cred = any(v not in ("", "0", "<null>") for v in (m.group(6), m.group(7)))
            out.append(("req", m.group(2), int(m.group(3)), m.group(4), m.group(1),
                        m.group(5), "yes" if cred else "no", m.group(8)))
            continue
        m = CT_RPL.search(l)
        if m:
            out.append(("rpl", m.group(2), int(m.group(3)), m.group(4), m.group(1),
                        m.group(5), "", ""))
        elif "CALLTRACE [" in l:
            out.append(("unparsed", l))
    return out


def siplog_tuples(lines):
    out = []
    for l in lines:
        m = REQ.search(l)
        if m:
            out.append(("req", m.group(1), int(m.group(2)), m.group(3),
                        m.group(4), m.group(6) + ":" + m.group(7),
                        m.group(11), m.group(12)))
            continue
        m = RPL.search(l)
        if m:
            out.append(("rpl", m.group(1), int(m.group(2)), m.group(3),
                        m.group(4), m.group(6) + ":" + m.group(7), "", ""))
        elif "siplog:" in l:
            out.append(("unparsed", l))
    return out


def siplog_uri_users(lines):
    """(kind, code or method, Call-ID, CSeq, ruri, From user, To user) of each siplog line"""
    out = []
    for l in lines:
        m = REQ.search(l)
        if m:
            out.append(("req", m.group(1), m.group(4), int(m.group(2)), m.group(8),
                        m.group(9), m.group(10)))
            continue
        m = RPL.search(l)
        if m:
            out.append(("rpl", m.group(1), m.group(4), int(m.group(2)), "",
                        m.group(8), m.group(9)))
    return out


def pkt_uri_users(p):
    # a URI without a user: {s.escape.user} gives "" (the traffic's users need no escaping)
    if p.code is None:
        return ("req", p.method, p.callid, p.cseq, p.ruri, p.fuser, p.tuser)
    return ("rpl", p.code, p.callid, p.cseq, "", p.fuser, p.tuser)


def tuples_to_pkts(tuples):
    out = []
    for t in tuples:
        p = oracle.Pkt()
        p.t = "0"
        p.method = t[1] if t[0] == "req" else None
        p.code = t[1] if t[0] == "rpl" else None
        p.cseq, p.cmethod, p.callid = t[2], t[3], t[4]
        p.pauth = p.wauth = (t[6] == "yes")
        out.append(p)
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
                        kv["dstip"] + ":" + kv["dstport"],
                        "proxy-authorization" in hdr, "authorization" in hdr,
                        kv.get("time", "0")))
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
    k = sys.argv[1] if len(sys.argv) > 1 else "."
    if os.path.isdir(os.path.join(k, "samples", "kamailio")):
        k = os.path.join(k, "samples", "kamailio")
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
    for j in ("journal-short-iso.log", "journal-short-iso-precise.log"):
        if os.path.exists(os.path.join(k, j)):
            forms[j[:-4]] = siplog_tuples(read_text(os.path.join(k, j)))
    rl = read_text(os.path.join(k, "kamailio-rfc3339.log"))
    if any("CALLTRACE [" in l for l in rl):
        forms["calltrace rfc3339"] = calltrace_tuples(rl)
        forms["calltrace syslog-bsd"] = calltrace_tuples(bsd)
        forms["calltrace stderr"] = calltrace_tuples(
            read_text(os.path.join(k, "kamailio-stderr.log")))
    for name, tup in forms.items():
        ok &= diff("xlog " + name, tup, xv)
    # the request URI and the From and To users of every siplog line, against the capture
    xu = [pkt_uri_users(p)
          for p in oracle.select_view(pkts, "kamailio-xlog", "127.0.0.1", "5060")]
    for name in ("rfc3339", "stderr"):
        ok &= diff("xlog ruri/from/to " + name, siplog_uri_users(
            read_text(os.path.join(k, "kamailio-%s.log" % name))), xu)
    ref = forms["rfc3339"]
    for name in forms:
        if name.startswith(("syslog-bsd", "rfc3339 (")) and forms[name] != ref:
            print("crosscheck: %s: siplog lines differ from rfc3339 (order)"
                  % name)
            ok = False
    # totals computed in each log's own line order (informative, see above)
    want = oracle.compute(oracle.select_view(pkts, "kamailio-xlog",
                                             "127.0.0.1", "5060"), True)
    # Informative: Kamailio's workers log concurrently, so a retry can be logged before the
    # 401/407 another worker sent (siplogscan must still count it: tests/live/run.sh)
    for name, tup in forms.items():
        got = oracle.compute(tuples_to_pkts(tup), True)
        if got != want:
            print("crosscheck: %-28s totals in log order differ from capture "
                  "(informative: log order)" % name)
            print("   log:     %s" % got)
            print("   capture: %s" % want)
        else:
            print("crosscheck: %-28s totals in log order OK" % name)
    # delays from the RFC 3339 timestamps (rsyslog reception time)
    import datetime
    rl = [l for l in read_text(os.path.join(k, "kamailio-rfc3339.log"))
          if "siplog:" in l]
    rp = tuples_to_pkts(siplog_tuples(rl))
    for p, l in zip(rp, rl):
        d = datetime.datetime.fromisoformat(l.split(" ", 1)[0])
        p.t = "%d.%06d" % (int(d.timestamp()), d.microsecond)
    dl = oracle.compute(rp, False)["trying_to_final"]["delay_ms"]
    print("crosscheck: delay_ms from rfc3339 timestamps %s vs capture %s "
          "(informative)" % (dl, oracle.compute(oracle.select_view(
              pkts, "kamailio-xlog", "127.0.0.1", "5060"),
              False)["trying_to_final"]["delay_ms"]))
    # log order vs capture order (informative only: several processes log)
    for name in ("rfc3339", "stderr"):
        moved = sum(1 for a, b in zip(forms[name], xv) if a != b)
        print("crosscheck: %s lines not in capture order: %d of %d "
              "(informative)" % (name, moved, len(xv)))

    av = [pkt_tuple_all(p, "127.0.0.1:5060")
          for p in oracle.select_view(pkts, "all", "127.0.0.1", "5060")]
    sdf = sipdump_tuples(sorted(glob.glob(os.path.join(k, "sipdump", "*.data"))))
    ok &= diff("sipdump", [t[:8] for t in sdf], av)
    sp = []
    for t in sdf:
        p = oracle.Pkt()
        p.t = t[10]
        p.method = t[2] if t[1] == "req" else None
        p.code = t[2] if t[1] == "rpl" else None
        p.cseq, p.cmethod, p.callid = t[3], t[4], t[5]
        p.pauth, p.wauth = t[8], t[9]
        sp.append(p)
    wall = oracle.compute(oracle.select_view(pkts, "all", "127.0.0.1",
                                             "5060"), False)
    gall = oracle.compute(sp, False)
    dg, dw = gall["trying_to_final"].pop("delay_ms"), wall["trying_to_final"].pop("delay_ms")
    # the KPI delays differ too (sipdump times vs capture times): compare how many there are
    for r, d in ((gall, dg), (wall, dw)):
        for q in ("srd_ms", "rrd_ms", "session_ms"):
            d["kpi." + q + ".p50"] = r["kpi"][q]["p50"]
            r["kpi"][q] = {"n": r["kpi"][q]["n"]}
        d["kpi.acd_ms"] = r["kpi"].pop("acd_ms")
    if gall != wall:
        print("crosscheck: sipdump totals in file order DIFFER from capture")
        print("   log:     %s" % gall)
        print("   capture: %s" % wall)
        ok = False
    else:
        print("crosscheck: sipdump totals in file order OK; delay_ms from "
              "sipdump times %s vs capture %s (informative)" % (dg, dw))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
