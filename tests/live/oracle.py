#!/usr/bin/env python3
"""Expected siplogscan totals computed from a packet capture (tshark).

Independent of siplogscan: reads the SIP packets that tshark dissects in a
capture of the proxy's traffic and computes, for one VIEW of that traffic,
the totals siplogscan must report for a log that records exactly that view.

Views (the proxy is --proxy, default 127.0.0.1:5060):
  all            every SIP packet to or from the proxy (what the sipdump
                 module records: received and sent, retransmissions
                 included)
  kamailio-xlog  requests received by the proxy + replies received by the
                 proxy + replies generated locally by the proxy (the
                 siplog xlog lines of samples/kamailio-xlog.cfg). A reply
                 sent by the proxy is "relayed" when an earlier received
                 reply has the same Call-ID, CSeq number, CSeq method, status
                 code and To-tag and has not been matched yet; otherwise it
                 is local. A 100 sent by the proxy is always local (a proxy
                 never forwards 100 Trying).
  acc            the records of the acc module as tests/live/kamailio.cfg
                 configures it (--no-times is implied: an acc record has
                 no request time). A transaction is accounted when the
                 proxy relayed its request statefully: an INVITE or BYE
                 the proxy sent on (CANCEL and ACK are not accounted) - in
                 that config exactly the transactions whose acc flags are
                 set. Its record holds the first final response (>= 200)
                 the proxy sent back for the same Call-ID, CSeq and method;
                 a transaction without one (still pending when Kamailio
                 stopped) has no record. A failed INVITE (>= 300) has two
                 records (log_missed_flag: "call missed";
                 failed_transaction_flag: "transaction answered"), a
                 failed BYE one (failed_transaction_flag). An acc log
                 cannot give 100 Trying, challenges, request times or
                 attempts without a final: those figures are null.

Semantics (per Call-ID, events in capture order) are the ones documented
for siplogscan; see samples/README.md. The telephony KPIs ("kpi": SER,
SEER, ISA, SCR, ASR, NER, IRA, SRD, RRD, session time, ACD) follow
docs/metrics.md; tests/live/README.md ("The KPI cross-check") lists how the
oracle reads the points that document leaves open.

Python 3 standard library only. Usage:
  oracle.py --pcap samples/kamailio/capture.pcap --view all [--no-times]
"""
import argparse
import collections
import json
import math
import subprocess
import sys

FIELDS = [
    "frame.number",
    "frame.time_epoch",
    "ip.src",
    "udp.srcport",
    "ip.dst",
    "udp.dstport",
    "sip.Method",
    "sip.Status-Code",
    "sip.Call-ID",
    "sip.CSeq.seq",
    "sip.CSeq.method",
    "sip.to.tag",
    "sip.Proxy-Authorization",
    "sip.Authorization",
    "sip.User-Agent",
    "sip.r-uri",
    "sip.from.user",
    "sip.to.user",
]


class Pkt:
    __slots__ = ("num", "t", "src", "sport", "dst", "dport", "method",
                 "code", "callid", "cseq", "cmethod", "totag", "pauth",
                 "wauth", "ua", "ruri", "fuser", "tuser")


def read_packets(tshark, pcap):
    cmd = [tshark, "-r", pcap, "-Y", "sip", "-T", "fields",
           "-E", "separator=/t", "-E", "quote=n", "-E", "occurrence=f"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    pkts = []
    for line in out.decode("utf-8", "replace").splitlines():
        v = line.split("\t")
        if len(v) < len(FIELDS):
            v += [""] * (len(FIELDS) - len(v))
        p = Pkt()
        p.num = int(v[0])
        p.t = v[1]
        p.src, p.sport, p.dst, p.dport = v[2], v[3], v[4], v[5]
        p.method = v[6] or None
        p.code = v[7] or None
        p.callid = v[8]
        p.cseq = int(v[9]) if v[9] else None
        p.cmethod = v[10]
        p.totag = v[11]
        p.pauth = bool(v[12])
        p.wauth = bool(v[13])
        p.ua = v[14]
        p.ruri, p.fuser, p.tuser = v[15], v[16], v[17]
        if p.method is None and p.code is None:
            continue  # not a SIP message (should not happen with -Y sip)
        pkts.append(p)
    return pkts


def select_view(pkts, view, proxy_ip, proxy_port):
    def is_to(p):
        return p.dst == proxy_ip and p.dport == proxy_port

    def is_from(p):
        return p.src == proxy_ip and p.sport == proxy_port

    if view == "all":
        return [p for p in pkts if is_to(p) or is_from(p)]
    if view != "kamailio-xlog":
        raise SystemExit("unknown view: %s" % view)
    sel = []
    received = collections.Counter()
    for p in pkts:
        if is_to(p):
            sel.append(p)  # request or reply received by the proxy
            if p.code is not None:
                received[(p.callid, p.cseq, p.cmethod, p.code, p.totag)] += 1
        elif is_from(p) and p.code is not None:
            key = (p.callid, p.cseq, p.cmethod, p.code, p.totag)
            if p.code != "100" and received[key] > 0:
                received[key] -= 1  # relay of a received reply
            else:
                sel.append(p)  # generated by the proxy itself
    return sel


ACC_METHODS = ("INVITE", "BYE")


def acc_transactions(pkts, proxy_ip, proxy_port):
    """The accounted transactions, in the order of their finals: a list of
    (relayed request packet, final response packet)."""
    def is_from(p):
        return p.src == proxy_ip and p.sport == proxy_port

    relayed, final = {}, {}
    for p in pkts:
        if not is_from(p):
            continue
        if p.method in ACC_METHODS:
            relayed.setdefault((p.callid, p.cseq, p.method), p)
        elif p.code is not None and int(p.code) >= 200:
            key = (p.callid, p.cseq, p.cmethod)
            if key in relayed and key not in final:
                final[key] = p
    return sorted(((relayed[k], f) for k, f in final.items()), key=lambda rf: rf[1].num)


def compute_acc(trs):
    req = collections.Counter()
    rsp = collections.Counter()
    calls = collections.OrderedDict()
    for rq, fin in trs:
        records = 2 if rq.method == "INVITE" and int(fin.code) >= 300 else 1
        req[rq.method] += records
        rsp[fin.code] += records
        calls.setdefault(rq.callid, []).extend([rq, fin])
    k = kpi(calls, True)
    for name in ("no_final", "srd_ms", "rrd_ms", "session_ms", "acd_ms"):
        k[name] = None
    return {
        "totals": {"requests": {m: req[m] for m in sorted(req)},
                   "responses": {c: rsp[c] for c in sorted(rsp, key=int)}},
        "input": {"not_in_log": ["requests", "provisional", "challenges"]},
        **call_kinds(calls),
        "trying_to_final": None,
        "proxy_auth": None,
        "www_auth": None,
        "kpi": k,
    }


CONTINUES = ("ACK", "BYE", "CANCEL", "PRACK", "UPDATE", "INFO")


def call_kinds(calls):
    """Call-IDs by kind, the first that fits (README "What counts as a call"): calls (an
    INVITE), registrations, OPTIONS pings, other transactions (another method that opens
    one); a Call-ID with only methods that continue a call is none of them."""
    k = {"calls": 0, "registrations": 0, "options_pings": 0, "other_transactions": 0}
    for evs in calls.values():
        ms = set(p.method or p.cmethod for p in evs) - {None, ""}
        if "INVITE" in ms:
            k["calls"] += 1
        elif "REGISTER" in ms:
            k["registrations"] += 1
        elif "OPTIONS" in ms:
            k["options_pings"] += 1
        elif ms - set(CONTINUES):
            k["other_transactions"] += 1
    out = {name: {"total": n} for name, n in k.items()}
    out["call_ids"] = {"total": sum(k.values())}
    return out


def nearest_rank(sorted_vals, pct):
    n = len(sorted_vals)
    rank = max(1, math.ceil(pct / 100.0 * n))
    return sorted_vals[rank - 1]


def time_ms(t):
    # frame.time_epoch is a decimal string; keep exact microseconds
    sec, _, frac = t.partition(".")
    frac = (frac + "000000000")[:9]
    return int(sec) * 1000 + int(frac) / 1e6


def time_ns(t):
    sec, _, frac = t.partition(".")
    return int(sec) * 10**9 + int((frac + "000000000")[:9])


def auth_stats(calls, code, has_hdr):
    st = dict(challenged=0, retried=0, accepted=0, rechallenged=0,
              not_retried=0)
    for evs in calls.values():
        first = None
        for i, p in enumerate(evs):
            if p.code == code:
                first = i
                break
        if first is None:
            continue
        st["challenged"] += 1
        c, m = evs[first].cseq, evs[first].cmethod
        last = None
        for p in evs[first + 1:]:
            if (p.method is not None and p.method == m and has_hdr(p)
                    and p.cseq is not None and p.cseq > c
                    and (last is None or p.cseq > last)):
                last = p.cseq
        if last is None:
            st["not_retried"] += 1
            continue
        st["retried"] += 1
        if any(p.code == code and p.cseq == last and p.cmethod == m
               for p in evs):
            st["rechallenged"] += 1
        else:
            st["accepted"] += 1
    return st


CHALLENGES = ("401", "407")
CALL_TIMEOUT_MS = 32000  # siplogscan's default --call-timeout (RFC 3261 Timer B)


def ratio(num, den):
    return {"percent": round(100.0 * num / den, 4) if den else None,
            "num": num, "den": den}


def pcts(vals, no_times):
    if no_times or not vals:
        return {"p50": None, "p90": None, "p99": None, "max": None,
                "n": 0 if no_times else len(vals)}
    s = sorted(vals)
    d = {k: round(nearest_rank(s, q), 3)
         for k, q in (("p50", 50), ("p90", 90), ("p99", 99))}
    d["max"] = round(s[-1], 3)
    d["n"] = len(s)
    return d


def attempt(evs, method):
    """One attempt (docs/metrics.md): the Call-ID's events evs hold a METHOD
    request. Returns (first request, outcome response or None, first response
    that is neither 100 nor a challenge, or None). Responses are those whose
    CSeq method is METHOD (any CSeq number: the retry with credentials has a
    higher one). The outcome is the first final response that is not a
    challenge (401, 407); when only challenges came, the last challenge,
    provided it answers the attempt's last METHOD request (highest CSeq
    number): a retry sent after the last challenge that got no final response
    leaves the attempt without one (a challenged INVITE and its retry are one
    attempt, and the retry's transaction never ended)."""
    first = next(p for p in evs if p.method == method)
    rsp = [p for p in evs if p.code is not None and p.cmethod == method]
    fin = [p for p in rsp if int(p.code) >= 200]
    outcome = next((p for p in fin if p.code not in CHALLENGES), None)
    if outcome is None and fin:
        last_req = max((p.cseq for p in evs if p.method == method
                        and p.cseq is not None), default=0)
        top = max(p.cseq or 0 for p in fin)
        last = [p for p in fin if (p.cseq or 0) == top][-1]
        if top >= last_req:
            outcome = last
    after = evs[evs.index(first) + 1:]
    srd = next((p for p in after if p.code is not None and p.cmethod == method
                and p.code != "100" and p.code not in CHALLENGES), None)
    return first, outcome, srd


def kpi(calls, no_times):
    """The telephony KPIs of docs/metrics.md (RFC 6076, ITU-T E.411) for the
    calls (Call-ID -> events in order). Delays from the events' times
    (frame.time_epoch or a log's stamps); null with no_times."""
    inv = reg = no_final = 0
    ans = seer = isa = scr = ner = s3xx = ira = 0
    srd, rrd, sess, sess_ns = [], [], [], []
    for evs in calls.values():
        if any(p.method == "INVITE" for p in evs):
            inv += 1
            first, out, resp = attempt(evs, "INVITE")
            code = int(out.code) if out is not None else None
            if code is None:
                no_final += 1
            elif 300 <= code < 400:
                s3xx += 1
            if code is not None and 200 <= code < 300:
                ans += 1
            if code is not None and (200 <= code < 300 or code in (480, 486, 600, 603)):
                seer += 1
            if code in (408, 500, 503, 504):
                isa += 1
            if code is not None and (200 <= code < 300 or code in (480, 486, 487, 600, 603)):
                ner += 1
            if resp is not None:
                srd.append(time_ms(resp.t) - time_ms(first.t))
            if code is not None and 200 <= code < 300:
                after = evs[evs.index(out) + 1:]
                bye = next((p for p in after if p.method == "BYE"), None)
                if bye is not None:
                    scr += 1
                    sess.append(time_ms(bye.t) - time_ms(out.t))
                    sess_ns.append(time_ns(bye.t) - time_ns(out.t))
                    if not no_times:
                        span = evs[evs.index(out):evs.index(bye) + 1]
                        if any(time_ms(b.t) - time_ms(a.t) > CALL_TIMEOUT_MS
                               for a, b in zip(span, span[1:])):
                            print("oracle: warning: call %s idle for more than %d ms "
                                  "before its BYE: siplogscan may settle it first "
                                  "(SCR, ACD)" % (evs[0].callid, CALL_TIMEOUT_MS),
                                  file=sys.stderr)
        if any(p.method == "REGISTER" for p in evs):
            reg += 1
            first, out, _ = attempt(evs, "REGISTER")
            if out is None or out.code in ("408", "500", "503", "504"):
                ira += 1
            if out is not None and out.code not in CHALLENGES:
                rrd.append(time_ms(out.t) - time_ms(first.t))
    den = inv - s3xx
    acd = None
    if sess and not no_times:
        # the exact mean (to the nanosecond), not rounded to the report's 3 decimals: a mean
        # can end in half a microsecond, where rounding and truncation differ by 0.001
        acd = round(sum(sess_ns) / len(sess_ns) / 1e6, 6)
    return {
        "invite_attempts": inv,
        "register_attempts": reg,
        "no_final": no_final,
        "ser": ratio(ans, den),
        "seer": ratio(seer, den),
        "isa": ratio(isa, inv),
        "scr": ratio(scr, inv),
        "asr": ratio(ans, inv),
        "ner": ratio(ner, inv),
        "ira": ratio(ira, reg),
        "srd_ms": pcts(srd, no_times),
        "rrd_ms": pcts(rrd, no_times),
        "session_ms": pcts(sess, no_times),
        "acd_ms": acd,
    }


def compute(view_pkts, no_times):
    req = collections.Counter()
    rsp = collections.Counter()
    calls = collections.OrderedDict()
    for p in view_pkts:
        if p.code is not None:
            rsp[p.code] += 1
        else:
            req[p.method] += 1
        calls.setdefault(p.callid, []).append(p)

    trying = stuck = 0
    by_final = collections.Counter()
    delays = []
    for evs in calls.values():
        t100 = None
        for p in evs:
            if p.code == "100" and p.cmethod == "INVITE":
                t100 = p
                break
        if t100 is None:
            continue
        trying += 1
        fin = None
        for p in evs:
            if (p.code is not None and int(p.code) >= 200
                    and p.cmethod == "INVITE" and p.cseq == t100.cseq):
                fin = p
                break
        if fin is None:
            stuck += 1
            continue
        by_final[fin.code] += 1
        delays.append(time_ms(fin.t) - time_ms(t100.t))

    if no_times or not delays:
        dm = {"p50": None, "p90": None, "p99": None, "max": None}
    else:
        s = sorted(delays)
        dm = {k: round(nearest_rank(s, q), 3)
              for k, q in (("p50", 50), ("p90", 90), ("p99", 99))}
        dm["max"] = round(s[-1], 3)

    def sortd(c, numeric=False):
        keys = sorted(c, key=(lambda k: int(k)) if numeric else None)
        return {k: c[k] for k in keys}

    return {
        "totals": {"requests": sortd(req), "responses": sortd(rsp, True)},
        **call_kinds(calls),
        "trying_to_final": {"trying": trying, "stuck": stuck,
                            "by_final": sortd(by_final, True),
                            "delay_ms": dm},
        "proxy_auth": auth_stats(calls, "407", lambda p: p.pauth),
        "www_auth": auth_stats(calls, "401", lambda p: p.wauth),
        "kpi": kpi(calls, no_times),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pcap", default="samples/kamailio/capture.pcap")
    ap.add_argument("--view", required=True, choices=["all", "kamailio-xlog", "acc"])
    ap.add_argument("--proxy", default="127.0.0.1:5060")
    ap.add_argument("--no-times", action="store_true",
                    help="delays unknown (log without timestamps): null")
    ap.add_argument("--source-name", default=None,
                    help="capture path written in the 'source' field")
    ap.add_argument("--tshark", default="tshark")
    ap.add_argument("--delay-tolerance-ms", type=float, default=None,
                    help="how far the log's delays may be from the capture's: the log's "
                         "timestamp precision plus the time between capture and logging")
    ap.add_argument("--dump-view", action="store_true",
                    help="print the packets of the view instead of totals")
    a = ap.parse_args()
    ip, _, port = a.proxy.rpartition(":")
    if a.view == "acc":
        trs = acc_transactions(read_packets(a.tshark, a.pcap), ip, port)
        res = {"source": "tshark on %s, view acc" % (a.source_name or a.pcap)}
        res.update(compute_acc(trs))
        json.dump(res, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    pkts = select_view(read_packets(a.tshark, a.pcap), a.view, ip, port)
    if a.dump_view:
        for p in pkts:
            kind = ("rpl=" + p.code) if p.code else ("req=" + p.method)
            print("%s %s cseq=%s %s callid=%s src=%s:%s auth=%s" % (
                p.num, kind, p.cseq, p.cmethod, p.callid, p.src, p.sport,
                "yes" if (p.pauth or p.wauth) else "no"))
        return 0
    res = {"source": "tshark on %s, view %s" % (a.source_name or a.pcap,
                                                a.view)}
    if a.delay_tolerance_ms is not None:
        res["delay_tolerance_ms"] = a.delay_tolerance_ms
    res.update(compute(pkts, a.no_times))
    json.dump(res, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
