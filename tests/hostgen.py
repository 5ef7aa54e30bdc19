#!/usr/bin/env python3
"""tests/hostgen.py - a fleet of proxies' Kamailio xlog logs, and what a report must say of it.

usage: hostgen.py OUTDIR [--hosts N] [--calls N] [--seed S] [--cross F] [--all-cross]
                         [--files K] [--span SEC] [--names a,b,...] [--starters N]
                         [--replies-first]

Writes OUTDIR/logs/HOST/kamailio.log, .1, ... (the oldest gzipped, as logrotate leaves them),
each host's lines in time order, and OUTDIR/expect.json: the figures computed here from the
calls generated (not by siplogscan): per host and for the fleet.

Every host starts its own calls over the same span of log time. A call may cross a second host
(--cross: the share of INVITE calls that do; --all-cross: every Call-ID that gets past the
first host's challenge, OPTIONS pings too): the first host logs all of it, the second logs the
INVITE that was let through (after the first host's challenge) and everything after it, 1.5 ms
later, as a proxy behind the first would (--replies-first: its responses, but its 100 Trying,
1.5 ms earlier, as they reach it first on their way back).
"""
import argparse
import gzip
import json
import os
import random

T0 = 1795996800.0       # 2026-12-01T00:00:00Z
DELAY = 0.0015          # the second host logs each message this much later
KINDS = [("ok", 40), ("busy", 10), ("stuck", 5), ("timeout", 5), ("noretry", 10),
         ("register", 20), ("options", 10)]


def flow(kind, hold):
    """(offset s, 'req'|'rpl', method or code, cseq, cseq method, auth, past the challenge)"""
    if kind == "register":
        return [(0, "req", "REGISTER", 1, "REGISTER", "no", 0),
                (0.002, "rpl", 401, 1, "REGISTER", "", 0),
                (0.030, "req", "REGISTER", 2, "REGISTER", "yes", 0),
                (0.032, "rpl", 200, 2, "REGISTER", "", 0)]
    if kind == "options":
        return [(0, "req", "OPTIONS", 1, "OPTIONS", "no", 1),
                (0.001, "rpl", 200, 1, "OPTIONS", "", 1)]
    s = [(0, "req", "INVITE", 1, "INVITE", "no", 0),
         (0.002, "rpl", 407, 1, "INVITE", "", 0),
         (0.020, "req", "ACK", 1, "ACK", "no", 0)]
    if kind == "noretry":
        return s
    s += [(0.045, "req", "INVITE", 2, "INVITE", "yes", 1),
          (0.046, "rpl", 100, 2, "INVITE", "", 1)]
    if kind == "stuck":
        return s
    if kind == "timeout":
        return s + [(32.0, "rpl", 408, 2, "INVITE", "", 1)]
    s += [(0.800, "rpl", 180, 2, "INVITE", "", 1)]
    if kind == "busy":
        return s + [(4.0, "rpl", 486, 2, "INVITE", "", 1),
                    (4.01, "req", "ACK", 2, "ACK", "no", 1)]
    return s + [(5.0, "rpl", 200, 2, "INVITE", "", 1),
                (5.01, "req", "ACK", 2, "ACK", "no", 1),
                (5.0 + hold, "req", "BYE", 3, "BYE", "no", 1),
                (5.0 + hold + 0.01, "rpl", 200, 3, "BYE", "", 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--hosts", type=int, default=3)
    ap.add_argument("--calls", type=int, default=300, help="Call-IDs each host starts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cross", type=float, default=0.3)
    ap.add_argument("--all-cross", action="store_true")
    ap.add_argument("--files", type=int, default=3)
    ap.add_argument("--span", type=float, default=3600.0)
    ap.add_argument("--names", default="")
    ap.add_argument("--replies-first", action="store_true",
                    help="the second host logs the responses (but its 100) before the first")
    ap.add_argument("--starters", type=int, default=0,
                    help="only the first N hosts start calls (0: every host)")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    names = a.names.split(",") if a.names else ["proxy%d" % (i + 1) for i in range(a.hosts)]
    nh = len(names)
    ip = {h: "10.1.0.%d" % (i + 1) for i, h in enumerate(names)}
    lines = {h: [] for h in names}
    calls = []
    kinds = [k for k, w in KINDS for _ in range(w)]
    for hi, h in enumerate(names):
        if a.starters and hi >= a.starters:
            break
        for i in range(a.calls):
            kind = rnd.choice(kinds)
            start = T0 + rnd.uniform(0, a.span)
            cid = "%s-%d-%08x@fleet.example" % (h, i, rnd.getrandbits(32))
            second = None
            if nh > 1 and (a.all_cross or (kind in ("ok", "busy", "stuck", "timeout") and
                                           rnd.random() < a.cross)):
                second = names[(hi + 1 + rnd.randrange(nh - 1)) % nh]
            steps = flow(kind, rnd.uniform(20, 120))
            if not any(st[6] for st in steps):
                second = None   # stopped by the first host's challenge: the second never sees it
            caller = "198.51.100.%d" % rnd.randint(1, 250)
            for off, what, m, cseq, cm, auth, past in steps:
                t = start + off
                for host, dt in ((h, 0.0), (second, DELAY)):
                    if host is None or (host != h and not past):
                        continue
                    if what == "req":
                        # the first host gets it from the caller, the second from the first
                        src = caller if host == h else ip[h]
                        body = "req=%s cseq=%d %s callid=%s src=udp:%s:5060 auth=%s ua=Zoiper 5" % (
                            m, cseq, cm, cid, src, auth)
                    else:
                        # the first host gets the responses past its challenge from the second
                        src = ip[second] if host == h and second and past else "192.0.2.9"
                        body = "rpl=%d cseq=%d %s callid=%s src=udp:%s:5060 reason=R" % (
                            m, cseq, cm, cid, src)
                    if host != h and a.replies_first and what == "rpl" and m != 100:
                        dt = -DELAY     # a response reaches the second host first
                    lines[host].append((t + dt, body))
            calls.append({"id": cid, "kind": kind, "host": h, "second": second,
                          "first": start, "last": start + steps[-1][0] + (DELAY if second else 0)})
    # the files: each host's lines in time order, cut into --files rotated files
    records = {}
    files = {}
    for h in names:
        d = os.path.join(a.out, "logs", h)
        os.makedirs(d, exist_ok=True)
        ls = sorted(lines[h])
        records[h] = len(ls)
        text = []
        for t, body in ls:
            us = int(round(t * 1e6))
            stamp = "%s.%06d+00:00" % (
                __import__("time").strftime("%Y-%m-%dT%H:%M:%S", __import__("time").gmtime(us // 1000000)),
                us % 1000000)
            text.append("%s %s /usr/sbin/kamailio[4242]: NOTICE: <script>: siplog: %s\n" % (
                stamp, "px", body))
        k = max(1, a.files)
        cut = [len(text) * j // k for j in range(k + 1)]
        files[h] = k
        for j in range(k):
            part = "".join(text[cut[j]:cut[j + 1]]).encode()
            age = k - 1 - j            # 0: the current file
            name = "kamailio.log" + ("" if age == 0 else ".%d" % age)
            if age >= 2:
                with gzip.open(os.path.join(d, name + ".gz"), "wb") as f:
                    f.write(part)
            else:
                with open(os.path.join(d, name), "wb") as f:
                    f.write(part)
    # what the report must say
    per = {h: dict(files=files[h], records=records[h], call_ids=0, calls=0, registrations=0,
                   shared_call_ids=0, answered=0, failed=0, stuck=0, not_retried=0)
           for h in names}
    fleet = dict(call_ids=0, calls=0, registrations=0, options=0, answered=0, stuck=0,
                 not_retried=0, shared=0)
    for c in calls:
        k = c["kind"]
        invite = k not in ("register", "options")
        fleet["call_ids"] += 1
        fleet["calls"] += invite
        fleet["registrations"] += k == "register"
        fleet["options"] += k == "options"
        fleet["answered"] += k == "ok"
        fleet["stuck"] += k == "stuck"
        fleet["not_retried"] += k == "noretry"
        fleet["shared"] += c["second"] is not None
        for h in (c["host"], c["second"]):
            if h is None:
                continue
            p = per[h]
            p["call_ids"] += 1
            p["calls"] += invite
            p["registrations"] += k == "register"
            p["shared_call_ids"] += c["second"] is not None
            if invite:
                p["answered"] += k == "ok"
                p["failed"] += k != "ok"
            p["stuck"] += k == "stuck"
            # the second host never sees the challenge
            p["not_retried"] += k == "noretry" and h == c["host"]
    json.dump({"hosts": names, "per_host": per, "fleet": fleet,
               "origin": {c["id"]: c["host"] for c in calls}},
              open(os.path.join(a.out, "expect.json"), "w"), indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
