#!/usr/bin/env python3
"""Independent counter for the sample logs in samples/other/.

It shares no code with siplogscan.  It finds SIP start lines in a file,
reads the header lines that follow until a blank line, and applies the
counting rules of samples/other/README.md to the messages it found.

    python3 samples/other/count.py FILE...      print the counts as JSON
    python3 samples/other/count.py --check      compare every sample with
                                                samples/expected/other-*.json

Only the Python standard library is used.
"""
import gzip
import json
import os
import re
import sys
from collections import OrderedDict

REQUEST_LINE = re.compile(r"^([A-Z][A-Z0-9._!%*+`'~-]*) (\S+) SIP/2\.0$")
STATUS_LINE = re.compile(r"^SIP/2\.0 ([1-6][0-9][0-9])(?: .*)?$")
HEADER_LINE = re.compile(r"^([!-9;-~]+)[ \t]*:(.*)$")   # token, optional blanks, colon

COMPACT = {"i": "call-id", "f": "from", "t": "to", "v": "via", "m": "contact",
           "l": "content-length", "c": "content-type", "k": "supported", "s": "subject",
           "e": "content-encoding", "o": "event", "r": "refer-to", "b": "referred-by",
           "x": "session-expires", "u": "allow-events"}

FS_STAMP = re.compile(r"^(recv|send) \d+ bytes (from|to) \S+ at \d\d:\d\d:\d\d\.\d+:$")
FS_SEPARATOR = "   " + "-" * 72
NGREP_PACKET = re.compile(r"^[A-Z] \d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d+ \S+ -> \S+")


def read_lines(path):
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    text = data.decode("utf-8", errors="surrogateescape")
    return [l[:-1] if l.endswith("\r") else l for l in text.split("\n")]


def unwrap_freeswitch(lines):
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
    return out


def unwrap_ngrep(lines):
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
    return out


def normalise(lines):
    if any(FS_STAMP.match(l) for l in lines):
        return unwrap_freeswitch(lines)
    if any(NGREP_PACKET.match(l) for l in lines):
        return unwrap_ngrep(lines)
    return lines


def messages(lines):
    """Yield one dict per SIP message found: start line, then headers up to
    the first blank line (or the first line that is not a header)."""
    i, n = 0, len(lines)
    while i < n:
        l = lines[i]
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
        yield m
        i = j


def auth_stats(calls, code, header):
    st = {"challenged": 0, "retried": 0, "accepted": 0, "rechallenged": 0, "not_retried": 0}
    for msgs in calls.values():
        challenges = [m for m in msgs if not m["request"] and m["code"] == code]
        if not challenges:
            continue
        st["challenged"] += 1
        c, meth = challenges[0]["cseq_num"], challenges[0]["cseq_method"]
        first_pos = msgs.index(challenges[0])
        retries = [m for m in msgs[first_pos + 1:]
                   if m["request"] and m["method"] == meth and m["cseq_num"] is not None
                   and m["cseq_num"] > c and header in m["headers"]]
        if not retries:
            st["not_retried"] += 1
            continue
        st["retried"] += 1
        last = retries[-1]["cseq_num"]
        if any(not m["request"] and m["code"] == code and m["cseq_num"] == last and m["cseq_method"] == meth
               for m in msgs):
            st["rechallenged"] += 1
        else:
            st["accepted"] += 1
    return st


def count(path):
    msgs = list(messages(normalise(read_lines(path))))
    requests, responses = {}, {}
    calls = OrderedDict()
    for m in msgs:
        if m["request"]:
            requests[m["method"]] = requests.get(m["method"], 0) + 1
        else:
            k = str(m["code"])
            responses[k] = responses.get(k, 0) + 1
        calls.setdefault(m["call_id"], []).append(m)

    trying = stuck = 0
    by_final = {}
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
        else:
            stuck += 1

    return OrderedDict([
        ("totals", OrderedDict([("requests", dict(sorted(requests.items()))),
                                ("responses", dict(sorted(responses.items())))])),
        ("calls", {"total": len(calls)}),
        ("trying_to_final", OrderedDict([("trying", trying), ("stuck", stuck),
                                         ("by_final", dict(sorted(by_final.items())))])),
        ("proxy_auth", auth_stats(calls, 407, "proxy-authorization")),
        ("www_auth", auth_stats(calls, 401, "authorization")),
    ])


# one-line xlog samples: counted by hand (opensips) or by tests/live/excerpt.py (journalctl)
XLOG_LINE_SAMPLES = ("opensips-syslog.log", "journalctl-short-iso.log", "kamailio-log-order.log")


def check():
    here = os.path.dirname(os.path.abspath(__file__))
    expdir = os.path.join(os.path.dirname(here), "expected")
    bad = 0
    for name in sorted(os.listdir(here)):
        if name in ("count.py", "README.md") or name.startswith("."):
            continue
        if name in XLOG_LINE_SAMPLES:
            print("skip %s (one-line xlog records, not SIP messages: see README.md)" % name)
            continue
        stem = name[:-3] if name.endswith(".gz") else os.path.splitext(name)[0]
        exp_path = os.path.join(expdir, "other-%s.json" % stem)
        if not os.path.exists(exp_path):
            print("MISSING %s" % exp_path)
            bad += 1
            continue
        with open(exp_path) as f:
            exp = json.load(f)
        exp.pop("source", None)
        got = json.loads(json.dumps(count(os.path.join(here, name))))
        ok = got == exp
        bad += not ok
        print("%s %s" % ("ok  " if ok else "DIFF", name))
        if not ok:
            print("  expected:", json.dumps(exp, sort_keys=True))
            print("  counted: ", json.dumps(got, sort_keys=True))
    return 1 if bad else 0


def main(argv):
    if argv[1:] == ["--check"]:
        return check()
    if len(argv) < 2:
        print(__doc__.strip())
        return 2
    for path in argv[1:]:
        res = OrderedDict([("file", path)])
        res.update(count(path))
        print(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
