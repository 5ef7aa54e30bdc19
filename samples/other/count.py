#!/usr/bin/env python3
"""Independent counter for the sample logs in samples/other/ and samples/profiles/acme-proxy.log.

It shares no code with siplogscan.  It finds the SIP messages in a file: whole
messages (a SIP start line, then the header lines that follow until a blank
line) and one-line records (the siplog lines of samples/kamailio-xlog.cfg,
ACME's lines of samples/profiles/acme-proxy.log).  It takes each message's
time from the log's own stamps (samples/other/README.md, "Times"), and applies
the counting rules of samples/other/README.md and the KPI definitions of
docs/metrics.md to the messages it found.

    python3 samples/other/count.py FILE...            print the counts as JSON
    python3 samples/other/count.py --attempts FILE... one line per INVITE and
                                                      REGISTER attempt (the KPIs' input)
    python3 samples/other/count.py --check            compare every sample with its
                                                      file in samples/expected/
    python3 samples/other/count.py --write-kpi        set the "kpi" object of those
                                                      expected files (nothing else)

Only the Python standard library is used.
"""
import datetime
import gzip
import json
import math
import os
import re
import sys
from collections import OrderedDict
from fractions import Fraction

REQUEST_LINE = re.compile(r"^([A-Z][A-Z0-9._!%*+`'~-]*) (\S+) SIP/2\.0$")
STATUS_LINE = re.compile(r"^SIP/2\.0 ([1-6][0-9][0-9])(?: .*)?$")
HEADER_LINE = re.compile(r"^([!-9;-~]+)[ \t]*:(.*)$")   # token, optional blanks, colon

COMPACT = {"i": "call-id", "f": "from", "t": "to", "v": "via", "m": "contact",
           "l": "content-length", "c": "content-type", "k": "supported", "s": "subject",
           "e": "content-encoding", "o": "event", "r": "refer-to", "b": "referred-by",
           "x": "session-expires", "u": "allow-events"}

FS_STAMP = re.compile(r"^(recv|send) \d+ bytes (from|to) \S+ at \d\d:\d\d:\d\d\.\d+:$")
FS_SEPARATOR = "   " + "-" * 72
TSHARK_START = re.compile(r"^( *)(?:Request|Status)-Line: (.*)$")
# ngrep's packet line, with -t ("U 2026/11/24 15:40:00.569927 a:p -> b:q") or without it
NGREP_PACKET = re.compile(r"^[A-Z] (?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d+ )?\S+ -> \S+")

# a whole message in one syslog line, CR and LF written by rsyslog as #015 and #012
SYSLOG_MB_START = re.compile(r"(?:[A-Z][A-Z0-9._!%*+`'~-]* \S+ SIP/2\.0|SIP/2\.0 [1-6][0-9][0-9](?: [^#]*)?)#015#012")
# the same with the line ends written as the characters \r\n (Kamailio's $mb with each CR
# replaced by "\r" and each LF by "\n": tests/live/escaped/kamailio-mb.cfg)
LITERAL_MB_START = re.compile(r"(?:[A-Z][A-Z0-9._!%*+`'~-]* \S+ SIP/2\.0|SIP/2\.0 [1-6][0-9][0-9](?: [^\\]*)?)\\r\\n")

# one-line records
SIPLOG_REQ = re.compile(r"\bsiplog: req=(\S+) cseq=([0-9]+) (\S+) callid=(\S+) src=\S+ auth=(yes|no) ua=")
SIPLOG_RPL = re.compile(r"\bsiplog: rpl=([1-6][0-9][0-9]) cseq=([0-9]+) (\S+) callid=(\S+) src=\S+ reason=")
ACME_REQ = re.compile(r" <script>: ACME in ([A-Z]+) cid=(\S+) cseq=([0-9]+) from=\S+ cred=(0|<null>|[1-9][0-9]*) ua=\"")
ACME_RPL = re.compile(r" <script>: ACME in ([1-6][0-9][0-9]) cid=(\S+) cseq=([0-9]+) ([A-Z]+) from=\S+$")

CHALLENGES = (401, 407)


# ---------------------------------------------------------------------------
# Reading: lines, wrapper formats, messages

def read_lines(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="surrogateescape")
    return [l[:-1] if l.endswith("\r") else l for l in text.split("\n")]


def unwrap_freeswitch(lines, where):
    """sofia-sip siptrace: the message sits between two separator lines,
    every line indented by three spaces."""
    out, inside, seen_sep = [], False, 0
    for l in lines:
        if not inside:
            out.append(l)
            if FS_STAMP.match(l):
                inside, seen_sep = True, 0
            continue
        if l == FS_SEPARATOR:
            seen_sep += 1
            out.append("")
            if seen_sep == 2:
                inside = False
            continue
        out.append(l[3:] if l.startswith("   ") else l)
    return out, where


def unwrap_ngrep(lines, where):
    """ngrep -W byline prints a CR as '.', so every line of a CRLF message
    ends with one extra '.'; only lines after a packet header are touched."""
    out, inside = [], False
    for l in lines:
        if NGREP_PACKET.match(l):
            inside = True
            out.append(l)
            continue
        if inside and l.endswith("."):
            l = l[:-1]
        out.append(l)
    return out, where


def split_ngrep_payload(payload):
    """ngrep's default layout shows CR and LF (and any other unprintable byte) as '.'.
    The header block ends at the first '....' (CR LF CR LF) that is not followed by
    another '.' (a value may end in '.'); inside it, a line ends at '..' followed by a
    header name and a colon."""
    end = re.search(r"\.\.\.\.(?!\.)", payload)
    head = payload[:end.start()] if end else payload
    return re.split(r"\.\.(?=[A-Za-z][A-Za-z0-9-]*[ \t]*:)", head)


def unwrap_ngrep_default(lines, where):
    """ngrep without -W: after the packet header line, the payload is wrapped into
    lines of fixed width, each indented by two spaces; the last one is padded with
    spaces.  The payload becomes the message's lines, then a blank line."""
    out, owhere, i = [], [], 0
    while i < len(lines):
        l, w = lines[i], where[i]
        out.append(l)
        owhere.append(w)
        i += 1
        if not NGREP_PACKET.match(l):
            continue
        chunk = []
        while i < len(lines) and lines[i].startswith("  "):
            chunk.append(lines[i][2:])
            i += 1
        for part in split_ngrep_payload("".join(chunk).rstrip(" ")) + [""]:
            out.append(part)
            owhere.append(w + 1)
    return out, owhere


def expand_syslog_mb(lines, where):
    """A message logged whole in one syslog line (rsyslog's #015 #012 escapes): the
    part before the start line stays a line of its own (it carries the stamp), the
    message becomes its lines."""
    out, owhere = [], []
    for l, w in zip(lines, where):
        m = SYSLOG_MB_START.search(l) if "#012" in l else None
        lit = None if m else LITERAL_MB_START.search(l) if "\\r\\n" in l else None
        if not (m or lit):
            out.append(l)
            owhere.append(w)
            continue
        m = m or lit
        out.append(l[:m.start()])
        owhere.append(w)
        if lit:
            body = l[m.start():].replace("\\r", "\r").replace("\\n", "\n")
        else:
            body = l[m.start():].replace("#015", "\r").replace("#012", "\n")
        for part in body.split("\n"):
            out.append(part[:-1] if part.endswith("\r") else part)
            owhere.append(w)
    return out, owhere


def unwrap_tshark(lines, where):
    """tshark -V: the SIP tree's "Request-Line:"/"Status-Line:" is the start line; the
    header lines are those one level (4 spaces) deeper than it under its "Message Header"
    line, but the generated "[...]" fields; the tree ends at a blank line or at a line no
    deeper than the "Session Initiation Protocol" line.  Every other line stays as it is
    (the frame's "Arrival Time:" is a stamp, see parse_stamp)."""
    out, owhere, i = [], [], 0
    while i < len(lines):
        l, w = lines[i], where[i]
        m = TSHARK_START.match(l)
        i += 1
        if not m:
            out.append(l)
            owhere.append(w)
            continue
        ind = len(m.group(1))
        out.append(m.group(2))
        owhere.append(w)
        in_headers = False
        while i < len(lines) and lines[i].strip():
            t = lines[i]
            d = len(t) - len(t.lstrip(" "))
            if d < ind:
                break
            if d == ind:
                in_headers = t.strip() == "Message Header"
            elif in_headers and d == ind + 4 and not t.lstrip().startswith("["):
                out.append(t.strip())
                owhere.append(where[i])
            i += 1
        out.append("")
        owhere.append(w)
    return out, owhere


# a logger's prefix on every line of the file: Android Studio's logcat export ("date time
# pid-tid/package L/tag: "), moreutils ts with a bracketed format ("[Mar 30 13:35:51] "),
# a BSD syslog header of one tag ("Dec  2 08:54:18 sip-lab ngrep: ", text piped through
# logger -t ngrep into rsyslog)
LINE_PREFIXES = (
    re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+-\d+/\S+ [VDIWEFA]/[^:]*: ?"),
    re.compile(r"^\[[A-Z][a-z][a-z] [ 0-9]?\d \d\d:\d\d:\d\d\] ?"),
    re.compile(r"^[A-Z][a-z][a-z] [ 0-9]\d \d\d:\d\d:\d\d \S+ ngrep: ?"),
)


def strip_prefixes(lines):
    """The lines without the prefix a logger put on EVERY line of the file (a last empty
    line aside); a file where some line lacks it is left as it is."""
    body = lines[:-1] if lines and lines[-1] == "" else lines
    for rx in LINE_PREFIXES:
        if body and all(rx.match(l) for l in body):
            return [rx.sub("", l, count=1) for l in lines]
    return lines


def normalise(lines):
    """Returns (lines, where): the lines with the wrapper formats removed, and for each
    the number of the file's line it came from."""
    where = list(range(1, len(lines) + 1))
    if any("#015#012" in l or "\\r\\n" in l for l in lines):
        lines, where = expand_syslog_mb(lines, where)
    if any(TSHARK_START.match(l) for l in lines):
        return unwrap_tshark(lines, where)
    if any(FS_STAMP.match(l) for l in lines):
        return unwrap_freeswitch(lines, where)
    for i, l in enumerate(lines):
        if NGREP_PACKET.match(l):
            if i + 1 < len(lines) and lines[i + 1].startswith("  "):
                return unwrap_ngrep_default(lines, where)
            return unwrap_ngrep(lines, where)
    return lines, where


def one_line_record(l):
    """A siplog or ACME line as a message, else None."""
    m = SIPLOG_REQ.search(l)
    if m:
        hdrs = {"proxy-authorization": [""], "authorization": [""]} if m.group(5) == "yes" else {}
        return {"request": True, "method": m.group(1), "headers": hdrs, "call_id": m.group(4),
                "cseq_num": int(m.group(2)), "cseq_method": m.group(3)}
    m = SIPLOG_RPL.search(l)
    if m:
        return {"request": False, "code": int(m.group(1)), "headers": {}, "call_id": m.group(4),
                "cseq_num": int(m.group(2)), "cseq_method": m.group(3)}
    m = ACME_REQ.search(l)
    if m:
        # cred= is the length of Proxy-Authorization (samples/profiles/acme-xlog.profile)
        hdrs = {"proxy-authorization": [""]} if m.group(4) not in ("0", "<null>") else {}
        return {"request": True, "method": m.group(1), "headers": hdrs, "call_id": m.group(2),
                "cseq_num": int(m.group(3)), "cseq_method": m.group(1)}
    m = ACME_RPL.search(l)
    if m:
        return {"request": False, "code": int(m.group(1)), "headers": {}, "call_id": m.group(2),
                "cseq_num": int(m.group(3)), "cseq_method": m.group(4)}
    return None


def messages(lines, times, where):
    """Yield one dict per SIP message found: a one-line record, or a start line, then
    headers up to the first blank line (or the first line that is not a header).
    'time' is the time of the last stamp on the start line or before it (None when the
    file has no stamp there), 'line' the file's line of the start line."""
    i, n = 0, len(lines)
    while i < n:
        l = lines[i]
        m = one_line_record(l)
        if m:
            m["time"], m["line"] = times[i], where[i]
            yield m
            i += 1
            continue
        rq, rs = REQUEST_LINE.match(l), STATUS_LINE.match(l)
        if not (rq or rs):
            i += 1
            continue
        headers = {}
        j = i + 1
        while j < n:
            h = HEADER_LINE.match(lines[j])
            if lines[j] == "" or not h:
                break
            name = h.group(1).lower()
            name = COMPACT.get(name, name)
            headers.setdefault(name, []).append(h.group(2).strip())
            j += 1
        # the body (RFC 3261 20.14): Content-Length bytes after the empty line (or straight
        # after the headers where the log dropped it), each line end counted as CR LF; a
        # packet line ends it (unwrap_ngrep_default keeps no body)
        length = headers.get("content-length", ["0"])[0]
        length = int(length) if length.isdigit() else 0
        if length:
            if j < n and lines[j] == "":
                j += 1
            seen = 0
            while j < n and seen < length and not NGREP_PACKET.match(lines[j]):
                seen += len(lines[j]) + 2
                j += 1
        m = {"request": bool(rq), "headers": headers}
        if rq:
            m["method"] = rq.group(1)
        else:
            m["code"] = int(rs.group(1))
        cid = headers.get("call-id", [None])[0]
        cseq = headers.get("cseq", [""])[0].split()
        m["call_id"] = cid
        m["cseq_num"] = int(cseq[0]) if len(cseq) == 2 and cseq[0].isdigit() else None
        m["cseq_method"] = cseq[1] if len(cseq) == 2 else None
        m["time"], m["line"] = times[i], where[i]
        yield m
        i = j


# ---------------------------------------------------------------------------
# Times (samples/other/README.md, "Times"): microseconds since 1970, UTC

MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
NO_YEAR = 2000          # stamps without a year: any year will do for differences (a leap
NO_DATE = (2000, 1, 1)  # year, so that Feb 29 parses); time of day with no date in the file

# full date and time: RFC 3339 (rsyslog, journalctl -o short-iso: zone +0000), FreeSWITCH's
# file log (optional channel UUID first), ngrep and sngrep (ngrep: protocol letter first)
ST_RFC3339 = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?[ \t]")
ST_FREESWITCH = re.compile(r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} )?"
                           r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d+) ")
ST_SLASHED = re.compile(r"^(?:[A-Z] )?(\d{4})/(\d\d)/(\d\d) (\d\d):(\d\d):(\d\d)\.(\d+) ")
# month and day, no year: Asterisk's full log, BSD syslog
ST_ASTERISK = re.compile(r"^\[([A-Z][a-z][a-z]) +(\d{1,2}) (\d\d):(\d\d):(\d\d)\] ")
ST_BSD = re.compile(r"^([A-Z][a-z][a-z]) +(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d+))? ")
# time of day only: sofia-sip's tport stamp (microseconds), pjlib's decoration (ms)
ST_SOFIA = re.compile(r"^(?:recv|send) \d+ bytes (?:from|to) \S+ at (\d\d):(\d\d):(\d\d)\.(\d+):$")
ST_PJSUA = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d+) ")
# liblinphone's log file (linphonec -l): milliseconds after a ':' (machine clock, UTC when made)
ST_LINPHONE = re.compile(r"^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d):(\d{3}) ")
# SIPp -trace_msg: the separator line before each message (local time; TZ=UTC when made)
ST_SIPP = re.compile(r"^-{10,} (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d+)$")
# tshark -V: the frame's arrival time (TZ=UTC when the text was made)
ST_TSHARK = re.compile(r"^ *Arrival Time: ([A-Z][a-z][a-z]) +(\d{1,2}), (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d+) UTC$")


def _us(date, h, mi, s, frac, offset_s=0):
    days = (datetime.date(*date) - datetime.date(1970, 1, 1)).days
    sub = int((frac or "").ljust(6, "0")[:6])   # fractions below the microsecond are cut
    return ((days * 86400 + int(h) * 3600 + int(mi) * 60 + int(s)) - offset_s) * 10**6 + sub


def parse_stamp(l):
    """(kind, date or None, function of a date giving microseconds) for a line that
    starts with a stamp, else None.  kind: 'full', 'noyear', 'tod'."""
    m = ST_RFC3339.match(l)
    if m:
        y, mo, d, h, mi, s, frac, zone = m.groups()
        off = 0
        if zone and zone != "Z":
            z = zone.replace(":", "")
            off = (1 if z[0] == "+" else -1) * (int(z[1:3]) * 3600 + int(z[3:5]) * 60)
        date = (int(y), int(mo), int(d))
        return "full", date, lambda _d: _us(date, h, mi, s, frac, off)
    m = ST_TSHARK.match(l)
    if m and m.group(1) in MONTHS:
        mon, d, y, h, mi, s, frac = m.groups()
        date = (int(y), MONTHS[mon], int(d))
        return "full", date, lambda _d: _us(date, h, mi, s, frac)
    for rx in (ST_FREESWITCH, ST_SLASHED, ST_SIPP, ST_LINPHONE):
        m = rx.match(l)
        if m:
            y, mo, d, h, mi, s, frac = m.groups()
            date = (int(y), int(mo), int(d))
            return "full", date, lambda _d: _us(date, h, mi, s, frac)
    for rx in (ST_ASTERISK, ST_BSD):
        m = rx.match(l)
        if m and m.group(1) in MONTHS:
            g = m.groups()
            mon, d, h, mi, s = g[:5]
            frac = g[5] if len(g) > 5 else None
            date = (NO_YEAR, MONTHS[mon], int(d))
            return "noyear", None, lambda _d: _us(date, h, mi, s, frac)
    for rx in (ST_SOFIA, ST_PJSUA):
        m = rx.match(l)
        if m:
            h, mi, s, frac = m.groups()
            return "tod", None, lambda date: _us(date, h, mi, s, frac)
    return None


def line_times(lines):
    """times[i]: the time of the last stamp on line i or before (None before the first).
    A time of day takes the date of the last full date seen, else of the first one later
    in the file, else NO_DATE."""
    stamps = [parse_stamp(l) for l in lines]
    date = next((st[1] for st in stamps if st and st[0] == "full"), NO_DATE)
    out, cur = [], None
    for st in stamps:
        if st:
            if st[0] == "full":
                date = st[1]
            cur = st[2](date)
        out.append(cur)
    return out


# ---------------------------------------------------------------------------
# Counting rules of samples/other/README.md (per Call-ID, file order)

def percentiles(vals, known):
    """nearest rank (value at rank ceil(p/100 * n)), milliseconds to 3 decimals; null
    with n 0 when there is no value or the times are unknown"""
    if not known or not vals:
        return OrderedDict([("p50", None), ("p90", None), ("p99", None), ("max", None), ("n", 0)])
    s = sorted(vals)
    d = OrderedDict((k, round(s[max(1, math.ceil(q * len(s) / 100)) - 1] / 1000.0, 3))
                    for k, q in (("p50", 50), ("p90", 90), ("p99", 99)))
    d["max"] = round(s[-1] / 1000.0, 3)
    d["n"] = len(s)
    return d


def delay(a, b):
    """b's time - a's time in microseconds, None when either is unknown"""
    if a["time"] is None or b["time"] is None:
        return None
    return b["time"] - a["time"]


def auth_stats(calls, code, header, known):
    st = OrderedDict([("challenged", 0), ("retried", 0), ("accepted", 0), ("rechallenged", 0),
                      ("not_retried", 0)])
    delays = []
    for msgs in calls.values():
        challenges = [m for m in msgs if not m["request"] and m["code"] == code]
        if not challenges:
            continue
        st["challenged"] += 1
        c, meth = challenges[0]["cseq_num"], challenges[0]["cseq_method"]
        # a retry may be logged just before the challenge it answers (samples/README.md,
        # kamailio-log-order.log): its CSeq is what makes it a retry, its delay is then 0
        retries = [m for m in msgs
                   if m["request"] and m["method"] == meth and m["cseq_num"] is not None
                   and c is not None and m["cseq_num"] > c and header in m["headers"]]
        if not retries:
            st["not_retried"] += 1
            continue
        st["retried"] += 1
        d = delay(challenges[0], retries[0])
        if d is not None:
            delays.append(max(0, d))
        last = retries[-1]["cseq_num"]
        if any(not m["request"] and m["code"] == code and m["cseq_num"] == last and m["cseq_method"] == meth
               for m in msgs):
            st["rechallenged"] += 1
        else:
            st["accepted"] += 1
    st["retry_delay_ms"] = percentiles(delays, known)
    return st


# ---------------------------------------------------------------------------
# Telephony KPIs (docs/metrics.md)

CALL_TIMEOUT_US = 32 * 10**6   # siplogscan's default --call-timeout (RFC 3261 Timer B)
TIMER_C_US = 180 * 10**6       # an INVITE waiting for its final after a provisional
SESSION_US = 7200 * 10**6      # siplogscan's default --session-timeout: answered, no BYE yet


def in_session(rec):
    """the record's INVITE was answered (a 2xx to an INVITE) and no BYE request came yet"""
    answered = any(not m["request"] and m["cseq_method"] == "INVITE" and 200 <= m["code"] < 300
                   for m in rec)
    return answered and not any(m["request"] and m["method"] == "BYE" for m in rec)


def waits_after_provisional(rec):
    """an INVITE transaction of the record has had a provisional response and no final"""
    prov = {m["cseq_num"] for m in rec
            if not m["request"] and m["cseq_method"] == "INVITE" and m["code"] < 200}
    fin = {m["cseq_num"] for m in rec
           if not m["request"] and m["cseq_method"] == "INVITE" and m["code"] >= 200}
    return bool(prov - fin)


def call_records(msgs):
    """One Call-ID's messages as call records: the README's "Settling" with the default
    --call-timeout: a call idle for more than 32 s of log time (180 s while an INVITE
    waits for its final response after a provisional one; 7200 s, --session-timeout,
    while an answered INVITE waits for its BYE) is settled, and a message of that
    Call-ID after the gap starts a new record.  Idle time is the gap between one
    message of the call and the next (the log's clock is the messages' own times)."""
    recs, cur, last = [], [], None
    for m in msgs:
        t = m["time"]
        if cur and t is not None and last is not None:
            if in_session(cur):
                limit = max(CALL_TIMEOUT_US, SESSION_US)
            elif waits_after_provisional(cur):
                limit = max(CALL_TIMEOUT_US, TIMER_C_US)
            else:
                limit = CALL_TIMEOUT_US
            if t - last > limit:
                recs.append(cur)
                cur = []
        cur.append(m)
        if t is not None:
            last = t
    if cur:
        recs.append(cur)
    return recs


def attempt(rec, method):
    """The attempt of a record that holds a METHOD request: (first request, outcome or
    None, first response that is neither 100 nor a challenge or None).  Its responses
    are those whose CSeq method is METHOD, any CSeq number (the retry with credentials
    has a higher one).  The outcome is the first final response that is not a challenge;
    when only challenges came, the last one stands if it answers the attempt's last
    request (highest CSeq number): a retry that got no final response leaves none."""
    reqs = [m for m in rec if m["request"] and m["method"] == method]
    first = reqs[0]
    resps = [m for m in rec if not m["request"] and m["cseq_method"] == method]
    finals = [m for m in resps if m["code"] >= 200]
    outcome = next((m for m in finals if m["code"] not in CHALLENGES), None)
    if outcome is None and finals:
        top = max(m["cseq_num"] or 0 for m in finals)
        standing = [m for m in finals if (m["cseq_num"] or 0) == top][-1]
        if top >= max(m["cseq_num"] or 0 for m in reqs):
            outcome = standing
    after = rec[rec.index(first) + 1:]
    srd_end = next((m for m in after if not m["request"] and m["cseq_method"] == method
                    and m["code"] != 100 and m["code"] not in CHALLENGES), None)
    return first, outcome, srd_end


def ratio(num, den):
    return OrderedDict([("percent", round(100.0 * num / den, 4) if den else None),
                        ("num", num), ("den", den)])


def attempts(calls):
    """Every INVITE and REGISTER attempt: dicts with the record's messages and what the
    KPIs take from them."""
    out = []
    for cid, msgs in calls.items():
        for rec in call_records(msgs):
            for method in ("INVITE", "REGISTER"):
                if not any(m["request"] and m["method"] == method for m in rec):
                    continue
                first, outcome, srd_end = attempt(rec, method)
                a = {"call_id": cid, "method": method, "first": first, "outcome": outcome,
                     "srd_end": srd_end, "bye": None}
                if method == "INVITE" and outcome is not None and 200 <= outcome["code"] < 300:
                    a["bye"] = next((m for m in rec[rec.index(outcome) + 1:]
                                     if m["request"] and m["method"] == "BYE"), None)
                out.append(a)
    return out


def kpi(calls, known):
    inv = reg = no_final = s3xx = ans = seer = isa = scr = ner = ira = 0
    srd, rrd, sess = [], [], []
    for a in attempts(calls):
        code = a["outcome"]["code"] if a["outcome"] is not None else None
        if a["method"] == "REGISTER":
            reg += 1
            if code is None or code in (408, 500, 503, 504):
                ira += 1
            if code is not None and code not in CHALLENGES:
                d = delay(a["first"], a["outcome"])
                if d is not None:
                    rrd.append(d)
            continue
        inv += 1
        if code is None:
            no_final += 1
            code = 0
        if 300 <= code < 400:
            s3xx += 1
        if 200 <= code < 300:
            ans += 1
        if 200 <= code < 300 or code in (480, 486, 600, 603):
            seer += 1
        if code in (408, 500, 503, 504):
            isa += 1
        if 200 <= code < 300 or code in (480, 486, 487, 600, 603):
            ner += 1
        if a["srd_end"] is not None:
            d = delay(a["first"], a["srd_end"])
            if d is not None:
                srd.append(d)
        if a["bye"] is not None:
            scr += 1
            d = delay(a["outcome"], a["bye"])
            if d is not None:
                sess.append(d)
    acd = None
    if known and sess:
        # the exact mean (sessions are whole microseconds), to the nanosecond
        acd = float(round(Fraction(sum(sess), len(sess) * 1000), 6))
    return OrderedDict([
        ("invite_attempts", inv), ("register_attempts", reg), ("no_final", no_final),
        ("ser", ratio(ans, inv - s3xx)), ("seer", ratio(seer, inv - s3xx)),
        ("isa", ratio(isa, inv)), ("scr", ratio(scr, inv)), ("asr", ratio(ans, inv)),
        ("ner", ratio(ner, inv)), ("ira", ratio(ira, reg)),
        ("srd_ms", percentiles(srd, known)), ("rrd_ms", percentiles(rrd, known)),
        ("session_ms", percentiles(sess, known)), ("acd_ms", acd),
    ])


# ---------------------------------------------------------------------------

def load(path):
    """(messages, calls: Call-ID -> its messages in file order, whether the file has
    times; a delay with an end before the first stamp is left out)"""
    raw = read_lines(path)
    bare = strip_prefixes(raw)
    if bare is raw:
        lines, where = normalise(raw)
        times = line_times(lines)
    else:
        # the stamps are the prefixes': taken first, then the prefixes go, then the
        # wrapper formats (ngrep -W byline piped through ts or logger)
        raw_times = line_times(raw)
        lines, where = normalise(bare)
        times = [raw_times[w - 1] for w in where]
    msgs = list(messages(lines, times, where))
    calls = OrderedDict()
    for m in msgs:
        calls.setdefault(m["call_id"], []).append(m)
    known = any(m["time"] is not None for m in msgs)   # else every delay is null, n 0
    return msgs, calls, known


# methods that only continue what another request opened (README "What counts as a call")
CONTINUES = ("ACK", "BYE", "CANCEL", "PRACK", "UPDATE", "INFO")


def call_kinds(calls):
    """Call-IDs by kind, the first that fits: a call (it has an INVITE), a registration (a
    REGISTER), an OPTIONS ping, another transaction (any other method that opens one); a
    Call-ID with only methods that continue a call is none of them"""
    kinds = {"call": 0, "registration": 0, "options": 0, "other": 0}
    for cmsgs in calls.values():
        methods = set(m["method"] if m["request"] else m["cseq_method"] for m in cmsgs)
        methods.discard(None)
        if "INVITE" in methods:
            kinds["call"] += 1
        elif "REGISTER" in methods:
            kinds["registration"] += 1
        elif "OPTIONS" in methods:
            kinds["options"] += 1
        elif methods - set(CONTINUES):
            kinds["other"] += 1
    return kinds


def count(path):
    msgs, calls, known = load(path)
    requests, responses = {}, {}
    for m in msgs:
        if m["request"]:
            requests[m["method"]] = requests.get(m["method"], 0) + 1
        else:
            k = str(m["code"])
            responses[k] = responses.get(k, 0) + 1

    trying = stuck = 0
    by_final = {}
    trying_delays = []
    for cmsgs in calls.values():
        t100 = [m for m in cmsgs if not m["request"] and m["code"] == 100 and m["cseq_method"] == "INVITE"]
        if not t100:
            continue
        trying += 1
        num = t100[0]["cseq_num"]
        finals = [m for m in cmsgs if not m["request"] and m["code"] >= 200
                  and m["cseq_num"] == num and m["cseq_method"] == "INVITE"]
        if finals:
            k = str(finals[0]["code"])
            by_final[k] = by_final.get(k, 0) + 1
            d = delay(t100[0], finals[0])
            if d is not None:
                trying_delays.append(d)
        else:
            stuck += 1

    kinds = call_kinds(calls)
    return OrderedDict([
        ("totals", OrderedDict([("requests", dict(sorted(requests.items()))),
                                ("responses", dict(sorted(responses.items())))])),
        ("calls", {"total": kinds["call"]}),
        ("registrations", {"total": kinds["registration"]}),
        ("options_pings", {"total": kinds["options"]}),
        ("other_transactions", {"total": kinds["other"]}),
        ("call_ids", {"total": sum(kinds.values())}),
        ("trying_to_final", OrderedDict([("trying", trying), ("stuck", stuck),
                                         ("by_final", dict(sorted(by_final.items()))),
                                         ("delay_ms", percentiles(trying_delays, known))])),
        ("proxy_auth", auth_stats(calls, 407, "proxy-authorization", known)),
        ("www_auth", auth_stats(calls, 401, "authorization", known)),
        ("kpi", kpi(calls, known)),
    ])


def short(cid):
    return cid if cid is None or len(cid) <= 64 else "%s...(%d chars)" % (cid[:40], len(cid))


def print_attempts(path):
    _, calls, _ = load(path)
    ms = lambda a, b: "-" if a is None or b is None or delay(a, b) is None else "%.3f" % (delay(a, b) / 1000.0)
    print("# %s" % path)
    print("# method line call-id outcome(line) srd_ms(to line) [session_ms(BYE line)]")
    for a in attempts(calls):
        o, e, b = a["outcome"], a["srd_end"], a["bye"]
        out = "%d(%d)" % (o["code"], o["line"]) if o else "none"
        if a["method"] == "REGISTER":
            rrd = ms(a["first"], o) if o and o["code"] not in CHALLENGES else "-"
            print("REGISTER %d %s %s rrd=%s" % (a["first"]["line"], short(a["call_id"]), out, rrd))
            continue
        srd = "%s(%d)" % (ms(a["first"], e), e["line"]) if e else "-"
        sess = " session=%s(%d)" % (ms(o, b), b["line"]) if b else ""
        print("INVITE %d %s %s srd=%s%s" % (a["first"]["line"], short(a["call_id"]), out, srd, sess))


# ---------------------------------------------------------------------------
# --check and --write-kpi

def sample_pairs():
    """(sample file, expected file) for every sample count.py checks"""
    here = os.path.dirname(os.path.abspath(__file__))
    top = os.path.dirname(here)
    expdir = os.path.join(top, "expected")
    pairs = []
    for name in sorted(os.listdir(here)):
        if (name in ("count.py", "README.md") or name.startswith(".")
                or not os.path.isfile(os.path.join(here, name))):
            continue
        stem = name[:-3] if name.endswith(".gz") else os.path.splitext(name)[0]
        pairs.append((os.path.join(here, name), os.path.join(expdir, "other-%s.json" % stem)))
    pairs.append((os.path.join(top, "profiles", "acme-proxy.log"), os.path.join(expdir, "acme-proxy.json")))
    return pairs


def differences(exp, got):
    """what differs: every key of the expected file (its delay sections where it has
    them: the hand counts of some files have none); "kpi" must be there, and whole"""
    diffs = []
    for key, want in exp.items():
        if key in ("source", "delay_tolerance_ms"):
            continue
        have = got.get(key)
        if key in ("trying_to_final", "proxy_auth", "www_auth") and isinstance(want, dict):
            for k, v in want.items():
                h = have.get(k)
                if isinstance(v, dict) and k.endswith("_ms"):
                    h = {q: h.get(q) for q in v}
                if h != v:
                    diffs.append("%s.%s: expected %s, counted %s" % (key, k, json.dumps(v), json.dumps(h)))
        elif key == "kpi" and isinstance(want, dict):
            for k in list(want) + [k for k in have if k not in want]:
                if want.get(k, "missing") != have.get(k, "missing"):
                    diffs.append("kpi.%s: expected %s, counted %s" % (
                        k, json.dumps(want.get(k, "missing")), json.dumps(have.get(k, "missing"))))
        elif have != want:
            diffs.append("%s: expected %s, counted %s" % (key, json.dumps(want), json.dumps(have)))
    if "kpi" not in exp:
        diffs.append("kpi: not in the expected file; counted %s" % json.dumps(got["kpi"]))
    return diffs


def check():
    bad = 0
    for sample, exp_path in sample_pairs():
        name = os.path.relpath(sample, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        if not os.path.exists(exp_path):
            print("MISSING %s" % exp_path)
            bad += 1
            continue
        with open(exp_path) as f:
            exp = json.load(f)
        got = json.loads(json.dumps(count(sample)))
        diffs = differences(exp, got)
        bad += bool(diffs)
        print("%s %s" % ("ok  " if not diffs else "DIFF", name))
        for d in diffs:
            print("  " + d)
    return 1 if bad else 0


def kpi_text(kpi_obj, expanded):
    if expanded:
        body = json.dumps(kpi_obj, indent=2).replace("\n", "\n  ")
        return '  "kpi": ' + body
    items = ["    %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in kpi_obj.items()]
    return '  "kpi": {\n' + ",\n".join(items) + "\n  }"


# expected files whose "kpi" another counter wrote (--check still compares it)
KPI_WRITTEN_ELSEWHERE = ("other-journalctl-short-iso.json",)   # tests/live/excerpt.py


def write_kpi():
    """Set the "kpi" object of each expected file to count.py's, as its last key; the
    text before it is kept byte for byte."""
    for sample, exp_path in sample_pairs():
        if os.path.basename(exp_path) in KPI_WRITTEN_ELSEWHERE:
            continue
        with open(exp_path) as f:
            text = f.read()
        k = count(sample)["kpi"]
        cut = text.find(',\n  "kpi": ')
        if cut >= 0:
            head = text[:cut]
        else:
            head = text.rstrip()
            if not head.endswith("}"):
                raise SystemExit("%s: does not end with }" % exp_path)
            head = head[:-1].rstrip()
        expanded = '\n    "requests": {\n' in text
        new = head + ",\n" + kpi_text(k, expanded) + "\n}\n"
        if json.loads(new)["kpi"] != json.loads(json.dumps(k)):
            raise SystemExit("%s: the kpi written does not read back" % exp_path)
        if new != text:
            with open(exp_path, "w") as f:
                f.write(new)
            print("wrote kpi of %s" % exp_path)


def main(argv):
    if argv[1:] == ["--check"]:
        return check()
    if argv[1:] == ["--write-kpi"]:
        write_kpi()
        return 0
    if len(argv) > 2 and argv[1] == "--attempts":
        for path in argv[2:]:
            print_attempts(path)
        return 0
    if len(argv) < 2 or argv[1].startswith("--"):
        print(__doc__.strip())
        return 2
    for path in argv[1:]:
        res = OrderedDict([("file", path)])
        res.update(count(path))
        print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
