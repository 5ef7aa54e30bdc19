#!/usr/bin/env python3
"""bench/gen.py - deterministic, realistic SIP log archive for benchmarks.

usage: gen.py --format sipdump|xlog --size MB --seed N OUT

sipdump: Kamailio sipdump text blocks (full SIP messages with SDP); xlog: syslog lines in the
samples/kamailio-xlog.cfg layout mixed with other proxy log lines. The call mix: authenticated
calls answered 200, busy (486), no retry after 407, rejected credentials, stuck on 100,
408 timeouts, REGISTER with 401, OPTIONS pings, and scanner bursts. Same seed, same bytes.
"""
import argparse
import random

MIX = [("ok", 50), ("busy", 10), ("noretry", 8), ("rejected", 4), ("stuck", 3),
       ("timeout", 3), ("register", 15), ("options", 5), ("scanner", 2)]
REASON = {100: "Trying", 180: "Ringing", 200: "OK", 401: "Unauthorized",
          407: "Proxy Authentication Required", 408: "Request Timeout", 486: "Busy Here"}
UAS = ["Zoiper rv2.10.19.6", "Yealink SIP-T46S 66.86.0.15", "MicroSIP/3.21.3",
       "Linphone/5.2.0 (belle-sip/5.2.0)", "Grandstream GXP2170 1.0.11.23"]
SDP = ("v=0\r\no=- 3917 3917 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
       "m=audio {port} RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
       "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")


def flows(kind):
    """(delay_ms, request-or-status, cseq, cseq_method, auth) steps of one call."""
    if kind == "register":
        return [(0, "REGISTER", 1, "REGISTER", 0), (2, 401, 1, "REGISTER", 0),
                (30, "REGISTER", 2, "REGISTER", 1), (2, 200, 2, "REGISTER", 0)]
    if kind == "options":
        return [(0, "OPTIONS", 1, "OPTIONS", 0), (1, 200, 1, "OPTIONS", 0)]
    if kind == "scanner":
        return [(0, "INVITE", 1, "INVITE", 0), (1, 407, 1, "INVITE", 0), (1, "ACK", 1, "ACK", 0)]
    s = [(0, "INVITE", 1, "INVITE", 0), (2, 407, 1, "INVITE", 0), (20, "ACK", 1, "ACK", 0)]
    if kind == "noretry":
        return s
    s += [(25, "INVITE", 2, "INVITE", 1)]
    if kind == "rejected":
        return s + [(2, 407, 2, "INVITE", 0), (20, "ACK", 2, "ACK", 0)]
    s += [(1, 100, 2, "INVITE", 0)]
    if kind == "stuck":
        return s
    if kind == "timeout":
        return s + [(30000, 408, 2, "INVITE", 0), (20, "ACK", 2, "ACK", 0)]
    s += [(900, 180, 2, "INVITE", 0)]
    if kind == "busy":
        return s + [(2500, 486, 2, "INVITE", 0), (20, "ACK", 2, "ACK", 0)]
    return s + [(3000, 200, 2, "INVITE", 0), (30, "ACK", 2, "ACK", 0),
                (60000, "BYE", 3, "BYE", 0), (20, 200, 3, "BYE", 0)]


def sip_message(first, callid, cseq, cmethod, auth, ua, ip, rnd):
    branch = "z9hG4bK%08x" % rnd.getrandbits(32)
    lines = [first, f"Via: SIP/2.0/UDP {ip}:5060;rport;branch={branch}", "Max-Forwards: 70",
             f"From: <sip:{1000 + hash(callid) % 9000}@example.net>;tag={callid[:8]}",
             "To: <sip:+4930123456@example.net>", f"Call-ID: {callid}", f"CSeq: {cseq} {cmethod}"]
    body = ""
    if auth:
        lines.append('Proxy-Authorization: Digest username="1001", realm="example.net", '
                     'nonce="5f1d3a", uri="sip:+4930123456@example.net", '
                     'response="0123456789abcdef0123456789abcdef", algorithm=MD5')
    if not first.startswith("SIP/2.0"):
        lines += [f"Contact: <sip:1001@{ip}:5060>", f"User-Agent: {ua}",
                  "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY, REFER"]
        if cmethod == "INVITE":
            body = SDP.format(ip=ip, port=10000 + rnd.randrange(10000))
            lines.append("Content-Type: application/sdp")
    else:
        lines.append("Server: kamailio (5.6.3 (x86_64/linux))")
    lines.append(f"Content-Length: {len(body)}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--format", choices=["sipdump", "xlog"], required=True)
    ap.add_argument("--size", type=int, default=1024, help="megabytes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("out")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    limit = a.size * 1_000_000
    kinds = [k for k, w in MIX for _ in range(w)]
    t0 = 1764000000.0
    pending = []      # (time, text) of future messages, kept sorted by time
    import heapq
    written = 0
    n = 0
    with open(a.out, "w", buffering=1 << 22, newline="") as f:
        while written < limit:
            n += 1
            t = t0 + n * 0.02
            kind = kinds[rnd.randrange(len(kinds))]
            callid = "%016x@%d.example.net" % (rnd.getrandbits(64), n % 977)
            ip = "198.51.100.%d" % (1 + rnd.randrange(250)) if kind != "scanner" else "203.0.113.66"
            ua = "friendly-scanner" if kind == "scanner" else UAS[rnd.randrange(len(UAS))]
            at = t
            for delay, what, cseq, cm, auth in flows(kind):
                at += delay / 1000.0
                if isinstance(what, int):
                    first = f"SIP/2.0 {what} {REASON[what]}"
                    rec = ("rpl", what, cseq, cm, auth)
                else:
                    first = f"{what} sip:+4930123456@example.net SIP/2.0"
                    rec = ("req", what, cseq, cm, auth)
                heapq.heappush(pending, (at, n, len(pending), first, callid, rec, ua, ip))
            while pending and pending[0][0] <= t:
                at, _, _, first, callid, rec, ua, ip = heapq.heappop(pending)
                if a.format == "sipdump":
                    msg = sip_message(first, callid, rec[2], rec[3], rec[4], ua, ip, rnd)
                    text = ("====================\ntag: rcv\npid: 4242\nprocess: 3\n"
                            f"time: {at:.6f}\ndate: Tue Nov 24 13:00:00 2026\nproto: udp ipv4\n"
                            f"srcip: {ip}\nsrcport: 5060\ndstip: 192.0.2.1\ndstport: 5060\n"
                            "~~~~~~~~~~~~~~~~~~~~\n" + msg + "||||||||||||||||||||\n")
                else:
                    sec = int(at)
                    stamp = "2026-11-24T%02d:%02d:%02d.%06d+00:00" % (
                        (sec // 3600) % 24, (sec // 60) % 60, sec % 60, int((at - sec) * 1e6))
                    pre = f"{stamp} proxy1 /usr/sbin/kamailio[4242]: NOTICE: <script>: "
                    if rec[0] == "req":
                        text = (f"{pre}siplog: req={rec[1]} cseq={rec[2]} {rec[3]} callid={callid} "
                                f"src=udp:{ip}:5060 auth={'yes' if rec[4] else 'no'} ua={ua}\n")
                    else:
                        text = (f"{pre}siplog: rpl={rec[1]} cseq={rec[2]} {rec[3]} callid={callid} "
                                f"src=udp:192.0.2.1:5060 reason={REASON[rec[1]]}\n")
                    if rnd.random() < 0.5:
                        text += (f"{stamp} proxy1 /usr/sbin/kamailio[4243]: INFO: dispatcher "
                                 f"[dispatch.c:2345]: ds_ping_reply(): probing 192.0.2.{n % 9}\n")
                f.write(text)
                written += len(text)


if __name__ == "__main__":
    main()
