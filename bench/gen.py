#!/usr/bin/env python3
"""bench/gen.py - deterministic, realistic SIP logs for benchmarks and tests, in every layout
the built-in profiles of siplogscan read.

usage: gen.py --format LAYOUT --size MB [--seed N] [--meta FILE.json] OUT
       gen.py --list                      (one line per layout: name, profile, what it is)

One call-mix generator (calls()) makes the SIP messages of a proxy's traffic in time order:
authenticated calls answered 200, busy (486), no retry after 407, rejected credentials, stuck
after 100, 408 timeouts, REGISTER with 401, OPTIONS pings and scanner bursts. Each layout is
a small writer that turns one message into the text its product logs, with some of the
product's ordinary lines in between; the writers follow the samples in samples/ (see
samples/other/README.md for where each layout comes from). Same layout, size and seed: same
bytes. --meta writes what was written (layout, size, seed, bytes, records) for bench/run.sh,
which reuses a file while that matches; "records" is what siplogscan should count: the SIP
messages, or the acc records, security events or authentication failures of those layouts.

The sipdump and xlog bytes are those of earlier versions of this script for the same seed
(tests use them), apart from the From user of sipdump, which was not deterministic before.
"""
import argparse
import heapq
import json
import random
import sys
import time
import zlib

MIX = [("ok", 50), ("busy", 10), ("noretry", 8), ("rejected", 4), ("stuck", 3),
       ("timeout", 3), ("register", 15), ("options", 5), ("scanner", 2)]
REASON = {100: "Trying", 180: "Ringing", 200: "OK", 401: "Unauthorized",
          407: "Proxy Authentication Required", 408: "Request Timeout", 486: "Busy Here"}
UAS = ["Zoiper rv2.10.19.6", "Yealink SIP-T46S 66.86.0.15", "MicroSIP/3.21.3",
       "Linphone/5.2.0 (belle-sip/5.2.0)", "Grandstream GXP2170 1.0.11.23"]
SDP = ("v=0\r\no=- 3917 3917 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
       "m=audio {port} RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
       "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")
PROXY = "192.0.2.1"
T0 = 1764000000.0
# stamps are written one year on (2026-11-24), as earlier versions of this script did
SHIFT = 365 * 86400


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


class Msg:
    """One SIP message of the mix: requests go from the phone (ip) to the proxy, responses back."""
    __slots__ = ("at", "n", "first", "callid", "req", "what", "cseq", "cm", "auth", "ua", "ip",
                 "kind", "tick")

    def __init__(self, at, n, first, callid, what, cseq, cm, auth, ua, ip, kind):
        self.at, self.n, self.first, self.callid = at, n, first, callid
        self.req = not isinstance(what, int)
        self.what, self.cseq, self.cm, self.auth = what, cseq, cm, auth
        self.ua, self.ip, self.kind = ua, ip, kind
        self.tick = n     # the 20 ms step at which the message comes out (set by calls())

    @property
    def src(self):
        return self.ip if self.req else PROXY

    @property
    def dst(self):
        return PROXY if self.req else self.ip

    @property
    def user(self):
        return 1000 + zlib.crc32(self.callid.encode()) % 9000


def calls(rnd, interval=0.02):
    """Batches of messages in time order: every interval seconds of log time (20 ms) a new call
    starts, and the messages due by then come out. Endless; the caller stops when the file is
    big enough (or long enough)."""
    kinds = [k for k, w in MIX for _ in range(w)]
    pending = []      # messages not yet due, a heap ordered by time
    n = 0
    while True:
        n += 1
        t = T0 + n * interval
        kind = kinds[rnd.randrange(len(kinds))]
        callid = "%016x@%d.example.net" % (rnd.getrandbits(64), n % 977)
        ip = "198.51.100.%d" % (1 + rnd.randrange(250)) if kind != "scanner" else "203.0.113.66"
        ua = "friendly-scanner" if kind == "scanner" else UAS[rnd.randrange(len(UAS))]
        at = t
        for delay, what, cseq, cm, auth in flows(kind):
            at += delay / 1000.0
            if isinstance(what, int):
                first = f"SIP/2.0 {what} {REASON[what]}"
            else:
                first = f"{what} sip:+4930123456@example.net SIP/2.0"
            m = Msg(at, n, first, callid, what, cseq, cm, auth, ua, ip, kind)
            heapq.heappush(pending, (at, n, len(pending), m))
        batch = []
        while pending and pending[0][0] <= t:
            m = heapq.heappop(pending)[3]
            m.tick = n
            batch.append(m)
        yield batch


def sip_message(m, rnd):
    """The message as it goes on the wire: CRLF line ends, the empty line, the SDP body."""
    branch = "z9hG4bK%08x" % rnd.getrandbits(32)
    lines = [m.first, f"Via: SIP/2.0/UDP {m.ip}:5060;rport;branch={branch}", "Max-Forwards: 70",
             f"From: <sip:{m.user}@example.net>;tag={m.callid[:8]}",
             "To: <sip:+4930123456@example.net>", f"Call-ID: {m.callid}", f"CSeq: {m.cseq} {m.cm}"]
    body = ""
    if m.auth:
        lines.append('Proxy-Authorization: Digest username="1001", realm="example.net", '
                     'nonce="5f1d3a", uri="sip:+4930123456@example.net", '
                     'response="0123456789abcdef0123456789abcdef", algorithm=MD5')
    if m.req:
        lines += [f"Contact: <sip:1001@{m.ip}:5060>", f"User-Agent: {m.ua}",
                  "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, NOTIFY, REFER"]
        if m.cm == "INVITE":
            body = SDP.format(ip=m.ip, port=10000 + rnd.randrange(10000))
            lines.append("Content-Type: application/sdp")
    else:
        lines.append("Server: kamailio (5.6.3 (x86_64/linux))")
    lines.append(f"Content-Length: {len(body)}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


# --- stamps -------------------------------------------------------------------------------

def tm(at):
    return time.gmtime(int(at) + SHIFT)


def usec(at):
    return int((at - int(at)) * 1e6)


def iso(at):            # 2026-11-24T16:00:00.020000+00:00 (rsyslog RFC 3339)
    return time.strftime("%Y-%m-%dT%H:%M:%S", tm(at)) + ".%06d+00:00" % usec(at)


def bsd(at):            # Nov 24 16:00:00 (BSD syslog, %b %e %T)
    t = tm(at)
    return time.strftime("%b ", t) + "%2d" % t.tm_mday + time.strftime(" %H:%M:%S", t)


def ymd(at, sep="-"):
    return time.strftime(f"%Y{sep}%m{sep}%d", tm(at))


def hms(at):
    return time.strftime("%H:%M:%S", tm(at))


def ms(at):
    return usec(at) // 1000


# --- layouts: one writer per layout, (message, rnd) -> (text, records) ----------------------
# A writer returns the text for one message (with some ordinary lines of the product) and how
# many records siplogscan should read from it.

def w_sipdump(m, rnd):
    text = ("====================\ntag: rcv\npid: 4242\nprocess: 3\n"
            f"time: {m.at:.6f}\ndate: Tue Nov 24 13:00:00 2026\nproto: udp ipv4\n"
            f"srcip: {m.ip}\nsrcport: 5060\ndstip: 192.0.2.1\ndstport: 5060\n"
            "~~~~~~~~~~~~~~~~~~~~\n" + sip_message(m, rnd) + "||||||||||||||||||||\n")
    return text, 1


def siplog(m):
    """The record of samples/kamailio-xlog.cfg (after "siplog: ")."""
    if m.req:
        return (f"siplog: req={m.what} cseq={m.cseq} {m.cm} callid={m.callid} "
                f"src=udp:{m.ip}:5060 auth={'yes' if m.auth else 'no'} ua={m.ua}")
    return (f"siplog: rpl={m.what} cseq={m.cseq} {m.cm} callid={m.callid} "
            f"src=udp:192.0.2.1:5060 reason={REASON[m.what]}")


def w_xlog(m, rnd):
    stamp = iso(m.at)
    text = f"{stamp} proxy1 /usr/sbin/kamailio[4242]: NOTICE: <script>: {siplog(m)}\n"
    if rnd.random() < 0.5:
        text += (f"{stamp} proxy1 /usr/sbin/kamailio[4243]: INFO: dispatcher "
                 f"[dispatch.c:2345]: ds_ping_reply(): probing 192.0.2.{m.tick % 9}\n")
    return text, 1


def w_opensips(m, rnd):
    pre = f"{bsd(m.at)} sbc-edge /usr/sbin/opensips[{2200 + m.n % 8}]: "
    text = pre + siplog(m) + "\n"
    if rnd.random() < 0.3:
        text += pre + f"INFO:usrloc:insert_ucontact: new contact for AOR 'sip:{m.user}@example.net'\n"
    return text, 1


def w_journal(m, rnd):
    pre = time.strftime("%Y-%m-%dT%H:%M:%S+0000", tm(m.at)) + f" vm kamailio[{4340 + m.n % 8}]: "
    text = pre + "NOTICE: <script>: " + siplog(m) + "\n"
    if rnd.random() < 0.5:
        arrow = "<-" if m.req else "->"
        text += (pre + f"INFO: <script>: CALLTRACE [{m.callid}] {arrow} {m.what} "
                 f"{m.cseq}/{m.cm} from {m.src}:5060\n")
    return text, 1


def w_stderr(m, rnd):
    pre = f" {m.n % 8}({21070 + m.n % 8}) "
    text = pre + "NOTICE: <script>: " + siplog(m) + "\n"
    if rnd.random() < 0.3:
        text += pre + "INFO: <core> [core/tcp_main.c:4787]: tcp_timer(): connection idle\n"
    return text, 1


def w_acc(m, rnd):
    """Kamailio's acc module: one record per final response (failed_transaction_flag set)."""
    pre = f"{bsd(m.at)} sip-lab kamailio[{30390 + m.n % 8}]: "
    if m.req or m.what < 200:
        if rnd.random() < 0.5:
            return pre + f"INFO: <script>: routing {m.cm} from {m.ip}\n", 0
        return "", 0
    text = (pre + "NOTICE: acc [acc.c:287]: acc_log_request(): ACC: transaction answered: "
            f"timestamp={int(m.at + SHIFT)};method={m.cm};from_tag={m.callid[:8]};"
            f"to_tag=as{m.n:08x};call_id={m.callid};code={m.what};reason={REASON[m.what]};"
            f"src_user={m.user};src_domain=example.net;src_ip={m.ip};dst_ouser=+4930123456;"
            "dst_user=+4930123456;dst_domain=example.net\n")
    return text, 1


def security_event(m, event, extra):
    tv = time.strftime("%Y-%m-%dT%H:%M:%S", tm(m.at)) + ".%03d+0000" % ms(m.at)
    return (f"[{bsd(m.at)}] SECURITY[2817] res_security_log.c: SecurityEvent=\"{event}\","
            f"EventTV=\"{tv}\",Severity=\"{'Error' if event != 'ChallengeSent' and event != 'SuccessfulAuth' else 'Informational'}\","
            f"Service=\"PJSIP\",EventVersion=\"1\",AccountID=\"{m.user}\",SessionID=\"{m.callid}\","
            f"LocalAddress=\"IPV4/UDP/{PROXY}/5060\",RemoteAddress=\"IPV4/UDP/{m.ip}/5060\"{extra}\n")


def w_security(m, rnd):
    """Asterisk's security log: challenges, accepted and refused credentials, unknown accounts."""
    if m.kind == "scanner" and m.req and m.cm == "INVITE":
        return security_event(m, "InvalidAccountID", ""), 1
    if not m.req and m.what in (401, 407) and m.kind != "scanner":
        return security_event(m, "ChallengeSent", f",Challenge=\"{m.n & 0xffffffff:08x}\""), 1
    if m.req and m.auth:
        if m.kind == "rejected":
            return security_event(m, "ChallengeResponseFailed",
                                  f",Challenge=\"{m.n:08x}\",Response=\"0123\",ExpectedResponse=\"\""), 1
        return security_event(m, "SuccessfulAuth", ",UsingPassword=\"1\""), 1
    return "", 0


def w_auth(m, rnd):
    """Asterisk's full log: the NOTICEs of refused requests among ordinary VERBOSE lines."""
    pre = f"[{bsd(m.at)}] "
    if m.req and m.cm in ("INVITE", "REGISTER") and (m.kind == "scanner" or (m.auth and m.kind == "rejected")):
        why = "No matching endpoint found" if m.kind == "scanner" else "Failed to authenticate"
        return (pre + f"NOTICE[2813] res_pjsip/pjsip_distributor.c: Request '{m.cm}' from "
                f"'<sip:{m.user}@{PROXY}>' failed for '{m.ip}:5060' (callid: {m.callid}) - {why}\n"), 1
    if m.req and m.cm == "INVITE":
        return (pre + f"VERBOSE[2820][C-{m.n & 0xffffffff:08x}] pbx.c:     -- Executing "
                f"[+4930123456@from-internal:1] Dial(\"PJSIP/{m.user}-{m.n:08x}\", "
                "\"PJSIP/trunk/sip:+4930123456@carrier\") in new stack\n"), 0
    if rnd.random() < 0.3:
        return pre + f"VERBOSE[2813] res_pjsip/pjsip_options.c: Contact {m.user}/sip:{m.user}@{m.ip}:5060 is now Reachable.  RTT: 14.122 msec\n", 0
    return "", 0


def w_pjsip(m, rnd):
    """Asterisk res_pjsip_logger in the full log (Asterisk as the proxy: receives requests)."""
    msg = sip_message(m, rnd)
    verb = ("Received SIP request (%d bytes) from" if m.req else
            "Transmitting SIP response (%d bytes) to") % len(msg)
    text = f"[{bsd(m.at)}] VERBOSE[12290] res_pjsip_logger.c: <--- {verb} UDP:{m.ip}:5060 --->\n{msg}\n"
    if rnd.random() < 0.2:
        text += (f"[{bsd(m.at)}] VERBOSE[12290] res_pjsip/pjsip_options.c: Contact "
                 f"{m.user}/sip:{m.user}@{m.ip}:5060 is now Reachable.  RTT: 14.122 msec\n")
    return text, 1


def w_chansip(m, rnd):
    """chan_sip "sip set debug on": received messages lose their CRs (lws2sws)."""
    msg = sip_message(m, rnd)
    pre = f"[{bsd(m.at)}] VERBOSE[23456] chan_sip.c: "
    if m.req:
        plain = msg.replace("\r", "")
        heads = plain.split("\n\n")[0].count("\n")
        return (pre + f"\n<--- SIP read from UDP:{m.ip}:5060 --->\n{plain}\n<------------->\n"
                + pre + f"--- ({heads} headers {plain.count(chr(10)) - heads - 1} lines) ---\n"), 1
    return pre + f"\n<--- Transmitting (NAT) to {m.ip}:5060 --->\n{msg}\n<------------>\n", 1


def prefix_lines(text, pre, keep_empty=True):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return "".join(pre + ln + "\n" for ln in lines if keep_empty or ln.strip("\r"))


def w_console_ts(m, rnd):
    """Asterisk console (pjsip logger) piped through moreutils ts '[%b %d %H:%M:%S]'."""
    msg = sip_message(m, rnd)
    verb = ("Received SIP request (%d bytes) from" if m.req else
            "Transmitting SIP response (%d bytes) to") % len(msg)
    text = f"<--- {verb} UDP:{m.ip}:5060 --->\n{msg}\n\n"
    return prefix_lines(text, time.strftime("[%b %d %H:%M:%S] ", tm(m.at))), 1


def w_freeswitch(m, rnd):
    """sofia-sip siptrace in freeswitch.log: indented lines between dashed rules (FreeSWITCH
    as the proxy: it receives requests and sends responses)."""
    msg = sip_message(m, rnd)
    rule = "   " + "-" * 72 + "\n"
    head = (f"recv {len(msg)} bytes from udp/[{m.ip}]:5060" if m.req else
            f"send {len(msg)} bytes to udp/[{m.ip}]:5060")
    body = "".join("   " + ln + "\n" for ln in msg.replace("\r", "").rstrip("\n").split("\n"))
    text = f"{head} at {hms(m.at)}.{usec(m.at):06d}:\n{rule}{body}   \n{rule}"
    if rnd.random() < 0.2:
        text += (f"{ymd(m.at)} {hms(m.at)}.{usec(m.at):06d} [NOTICE] sofia.c:7012 Channel "
                 f"[sofia/internal/{m.user}@example.net] has been answered\n")
    return text, 1


def w_ngrep(m, rnd):
    """ngrep -q -t -W byline: each CR shown as '.'."""
    msg = sip_message(m, rnd)
    return (f"U {ymd(m.at, '/')} {hms(m.at)}.{usec(m.at):06d} {m.src}:5060 -> {m.dst}:5060 "
            f"#{m.n}\n" + msg.replace("\r\n", ".\n") + "\n\n"), 1


def w_ngrep_ts(m, rnd):
    """ngrep -q -W byline (no time) piped through ts '[%b %d %H:%M:%S]': a stamp on every line."""
    msg = sip_message(m, rnd)
    text = f"\nU {m.src}:5060 -> {m.dst}:5060 #{m.n}\n" + msg.replace("\r\n", ".\n") + "\n"
    return prefix_lines(text, time.strftime("[%b %d %H:%M:%S] ", tm(m.at))), 1


def w_ngrep_logger(m, rnd):
    """The same ngrep text through logger into rsyslog: a syslog prefix, empty lines dropped."""
    msg = sip_message(m, rnd)
    text = f"U {m.src}:5060 -> {m.dst}:5060 #{m.n}\n" + msg.replace("\r\n", ".\n")
    return prefix_lines(text, f"{bsd(m.at)} sip-lab ngrep: ", keep_empty=False), 1


def w_sngrep(m, rnd):
    """sngrep "Save as .txt" (2.x)."""
    msg = sip_message(m, rnd)
    return (f"{ymd(m.at, '/')} {hms(m.at)}.{usec(m.at):06d} {m.src}:5060 -> {m.dst}:5060\n"
            f"{msg}\n\n"), 1


def w_pjsua(m, rnd):
    """pjsua / MicroSIP log (pjsua as the phone: sends requests, receives responses)."""
    msg = sip_message(m, rnd)
    stamp = f"{hms(m.at)}.{ms(m.at):03d}"
    if m.req:
        head = (f"..TX {len(msg)} bytes Request msg {m.cm}/cseq={m.cseq} "
                f"(tdta{m.n:012X}) to UDP {PROXY}:5060:")
    else:
        head = (f".RX {len(msg)} bytes Response msg {m.what}/{m.cm}/cseq={m.cseq} "
                f"(rdata{m.n:012X}) from UDP {PROXY}:5060:")
    text = f"{stamp}   pjsua_core.c  {head}\n{msg}\n--end msg--\n"
    if rnd.random() < 0.2:
        text += f"{stamp}    pjsua_acc.c  Registration sent\n"
    return text, 1


def w_baresip(m, rnd):
    """baresip -s: a coloured '#', the transport line, the message (no time)."""
    msg = sip_message(m, rnd)
    color = "\x1b[36;1m" if m.req else "\x1b[32;1m"
    return f"{color}#\nUDP {m.src}:5060 -> {m.dst}:5060\n{msg}\x1b[;m\n", 1


def w_linphonec(m, rnd):
    """linphonec -d 6 -l: belle-sip's channel line, then the message, then an empty line."""
    msg = sip_message(m, rnd)
    stamp = f"{ymd(m.at)} {hms(m.at)}:{ms(m.at):03d}"
    if m.req:
        head = f"message sent to [UDP://{PROXY}:5060], size: [{len(msg)}] bytes"
    else:
        head = f"received [{len(msg)}] new bytes from [UDP://{PROXY}:5060]:"
    return f"{stamp} belle-sip-message-channel [0x55c45e39e230]: {head}\n{msg}\n", 1


def w_sipp(m, rnd):
    """SIPp -trace_msg (the phone's side)."""
    msg = sip_message(m, rnd)
    head = (f"UDP message sent ({len(msg)} bytes):" if m.req else
            f"UDP message received [{len(msg)}] bytes :")
    return (f"----------------------------------------------- {ymd(m.at)} {hms(m.at)}."
            f"{usec(m.at):06d}\n{head}\n\n{msg}\n"), 1


def w_logcat(m, rnd):
    """Linphone on Android, logcat export: the logcat columns on every line, no empty lines."""
    msg = sip_message(m, rnd)
    pre = f"{ymd(m.at)} {hms(m.at)}.{ms(m.at):03d} 5128-5160/org.linphone D/belle-sip: "
    way = "sent to" if m.req else "received from"
    text = f"channel [0x7b2c8e40]: message {way} [udp://{PROXY}:5060], size: [{len(msg)}] bytes\n"
    text = prefix_lines(text + msg.replace("\r", ""), pre, keep_empty=False)
    if rnd.random() < 0.2:
        text += (f"{ymd(m.at)} {hms(m.at)}.{ms(m.at):03d} 5128-5140/org.linphone "
                 "I/ConnectivityManager: NetworkCallback onAvailable\n")
    return text, 1


def w_mb_crlf(m, rnd):
    """Kamailio xlog("$mb") in one rsyslog line, its line ends written as the characters \\r\\n."""
    msg = sip_message(m, rnd)
    return (f"{iso(m.at)} sip-lab kamailio[{30570 + m.n % 8}]: INFO: <script>: mb: "
            + msg.replace("\r\n", "\\r\\n") + "\n"), 1


def w_mb_syslog(m, rnd):
    """The same through rsyslog's control-character escape: CR LF as #015#012."""
    msg = sip_message(m, rnd)
    return (f"{bsd(m.at)} px kamailio[{30570 + m.n % 8}]: INFO: <script>: "
            + msg.replace("\r", "#015").replace("\n", "#012") + "\n"), 1


def tshark_sip(m, msg):
    """The SIP tree of tshark -V: start line, real headers one level under Message Header
    (some with the fields the dissector draws under them), the body's SDP tree."""
    head, _, body = msg.partition("\r\n\r\n")
    lines = head.split("\r\n")
    if m.req:
        out = [f"Session Initiation Protocol ({m.what})", f"    Request-Line: {lines[0]}",
               f"        Method: {m.what}", "        Request-URI: sip:+4930123456@example.net",
               "        [Resent Packet: False]"]
    else:
        out = [f"Session Initiation Protocol ({m.what})", f"    Status-Line: {lines[0]}",
               f"        Status-Code: {m.what}", "        [Resent Packet: False]"]
    out.append("    Message Header")
    for h in lines[1:]:
        out.append("        " + h)
        name, _, value = h.partition(": ")
        if name == "Via":
            out += ["            Transport: UDP", f"            Sent-by Address: {m.ip}",
                    "            Sent-by port: 5060"]
        elif name == "Call-ID":
            out.append(f"        [Generated Call-ID: {value}]")
        elif name == "CSeq":
            out += [f"            Sequence Number: {m.cseq}", f"            Method: {m.cm}"]
    if body:
        out += ["    Message Body", "        Session Description Protocol"]
        out += ["            " + ln for ln in body.rstrip("\r\n").split("\r\n")]
    return "\n".join(out) + "\n"


def ip_line(m):
    return f"Internet Protocol Version 4, Src: {m.src}, Dst: {m.dst}\n"


def w_tshark_v(m, rnd):
    """tshark -V: every protocol's tree; the frame's Arrival and Epoch Times."""
    msg = sip_message(m, rnd)
    epoch = m.at + SHIFT
    frame = (f"Frame {m.n}: {len(msg) + 42} bytes on wire ({(len(msg) + 42) * 8} bits), "
             f"{len(msg) + 42} bytes captured ({(len(msg) + 42) * 8} bits)\n"
             "    Encapsulation type: Ethernet (1)\n"
             f"    Arrival Time: {time.strftime('%b %d, %Y %H:%M:%S', tm(m.at))}.{usec(m.at):06d}000 UTC\n"
             f"    Epoch Time: {int(epoch)}.{usec(m.at):06d}000 seconds\n"
             f"    Frame Number: {m.n}\n"
             "    [Protocols in frame: eth:ethertype:ip:udp:sip]\n"
             "Ethernet II, Src: 00:00:00_00:00:00 (00:00:00:00:00:00), Dst: 00:00:00_00:00:00 (00:00:00:00:00:00)\n"
             "    Type: IPv4 (0x0800)\n"
             + ip_line(m) +
             "    0100 .... = Version: 4\n    .... 0101 = Header Length: 20 bytes (5)\n"
             f"    Total Length: {len(msg) + 28}\n    Time to Live: 64\n    Protocol: UDP (17)\n"
             f"    Source Address: {m.src}\n    Destination Address: {m.dst}\n"
             "User Datagram Protocol, Src Port: 5060, Dst Port: 5060\n"
             "    Source Port: 5060\n    Destination Port: 5060\n"
             f"    Length: {len(msg) + 8}\n    UDP payload ({len(msg)} bytes)\n")
    return frame + tshark_sip(m, msg) + "\n", 1


def w_tshark_o(m, rnd):
    """tshark -V -O sip: one summary line per lower protocol, no frame time."""
    msg = sip_message(m, rnd)
    frame = (f"Frame {m.n}: {len(msg) + 42} bytes on wire ({(len(msg) + 42) * 8} bits), "
             f"{len(msg) + 42} bytes captured ({(len(msg) + 42) * 8} bits)\n"
             "Ethernet II, Src: 00:00:00_00:00:00 (00:00:00:00:00:00), Dst: 00:00:00_00:00:00 (00:00:00:00:00:00)\n"
             + ip_line(m) + "User Datagram Protocol, Src Port: 5060, Dst Port: 5060\n")
    return frame + tshark_sip(m, msg) + "\n", 1


# name: (writer, file header, built-in profile, what it is)
LAYOUTS = {
    "sipdump": (w_sipdump, "", "sip", "Kamailio sipdump module text"),
    "xlog": (w_xlog, "", "kamailio", "siplog xlog lines in RFC 3339 syslog (rsyslog)"),
    "opensips": (w_opensips, "", "kamailio", "OpenSIPS siplog lines in BSD syslog"),
    "journal": (w_journal, "", "kamailio", "journalctl -o short-iso of Kamailio"),
    "stderr": (w_stderr, "", "kamailio", "Kamailio stderr log (no time)"),
    "acc": (w_acc, "", "acc", "Kamailio acc records in BSD syslog"),
    "security": (w_security, "", "asterisk-security", "Asterisk security log"),
    "auth": (w_auth, "", "asterisk-auth", "Asterisk full log, authentication NOTICEs"),
    "pjsip": (w_pjsip, "", "sip", "Asterisk pjsip logger, full log"),
    "chansip": (w_chansip, "", "sip", "Asterisk chan_sip debug, full log"),
    "console-ts": (w_console_ts, "", "sip", "Asterisk console through ts"),
    "freeswitch": (w_freeswitch, "", "sip", "FreeSWITCH sofia siptrace"),
    "ngrep": (w_ngrep, "interface: eth0 (192.0.2.0/255.255.255.0)\nfilter: ( port 5060 )\n\n",
              "sip", "ngrep -t -W byline"),
    "ngrep-ts": (w_ngrep_ts, "", "sip", "ngrep -W byline through ts"),
    "ngrep-logger": (w_ngrep_logger, "", "sip", "ngrep -W byline through logger (syslog)"),
    "sngrep": (w_sngrep, "", "sip", "sngrep text export"),
    "pjsua": (w_pjsua, "", "sip", "pjsua / MicroSIP log"),
    "baresip": (w_baresip, "", "sip", "baresip -s SIP trace (no time)"),
    "linphonec": (w_linphonec, "", "sip", "linphonec -l log file"),
    "sipp": (w_sipp, "", "sip", "SIPp -trace_msg"),
    "logcat": (w_logcat, "", "sip", "Linphone Android logcat export"),
    "mb-crlf": (w_mb_crlf, "", "sip", "Kamailio $mb in one syslog line, \\r\\n shown"),
    "mb-syslog": (w_mb_syslog, "", "sip", "Kamailio $mb in one syslog line, #015#012"),
    "tshark-v": (w_tshark_v, "", "sip", "tshark -V"),
    "tshark-o": (w_tshark_o, "", "sip", "tshark -V -O sip (no time)"),
}


def generate(layout, size_mb, seed, out, interval=0.02, hours=None):
    """Write about size_mb MB (10^6 bytes) of the layout to out, or hours of log time when
    hours is given; return (bytes, records)."""
    writer, header, _, _ = LAYOUTS[layout]
    rnd = random.Random(seed)
    limit = size_mb * 1_000_000
    written = records = 0
    with open(out, "w", buffering=1 << 22, newline="", encoding="utf-8") as f:
        f.write(header)
        written += len(header)
        for batch in calls(rnd, interval):
            if hours is None and written >= limit:
                break
            if hours is not None and batch and batch[0].at >= T0 + hours * 3600:
                break
            for m in batch:
                text, n = writer(m, rnd)
                f.write(text)
                written += len(text.encode()) if not text.isascii() else len(text)
                records += n
    return written, records


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--format", choices=sorted(LAYOUTS), help="the layout to write")
    ap.add_argument("--size", type=int, default=1024, help="megabytes (10^6 bytes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--interval", type=float, default=20,
                    help="milliseconds of log time between two new calls (default 20)")
    ap.add_argument("--hours", type=float,
                    help="write this many hours of log time instead of --size MB")
    ap.add_argument("--meta", help="also write what was written to this JSON file")
    ap.add_argument("--list", action="store_true", help="list the layouts")
    ap.add_argument("out", nargs="?")
    a = ap.parse_args()
    if a.list:
        for name, (_, _, profile, what) in LAYOUTS.items():
            print(f"{name}\t{profile}\t{what}")
        return
    if not a.format or not a.out:
        ap.error("--format and OUT are needed")
    if a.interval <= 0 or (a.hours is not None and a.hours <= 0):
        ap.error("--interval and --hours must be positive")
    nbytes, records = generate(a.format, a.size, a.seed, a.out, a.interval / 1000.0, a.hours)
    if a.meta:
        with open(a.meta, "w") as f:
            meta = {"layout": a.format, "size_mb": a.size, "seed": a.seed,
                    "bytes": nbytes, "records": records}
            if a.interval != 20 or a.hours is not None:
                meta.update(interval_ms=a.interval, hours=a.hours)
            json.dump(meta, f)
            f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
