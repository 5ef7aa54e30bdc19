#!/usr/bin/env python3
"""Across the log forms of one live run: same call-level totals, and a table of the
oracle's totals beside siplogscan's.

  compare.py [--table FILE] FORM=REPORT.json:EXPECTED.json ...

Prints TAP lines:
 - every form's call-level totals (calls.total; trying_to_final trying, stuck, by_final;
   proxy_auth; www_auth; the KPI counts: attempts, no_final, each ratio's num, den and
   percent) equal those of the first form;
 - every form that logs the request URI (all but profile-*) has the first form's destinations
   breakdown, not empty;
 - forms whose expected delays are null (no timestamps) report null delays (100 -> final
   and the KPI delays: SRD, RRD, session, ACD), the others report numbers.
With --table, writes a Markdown table (one column per form: siplogscan / oracle) to FILE.
Standard library only.
"""
import json
import sys

AUTH = ("challenged", "retried", "accepted", "rechallenged", "not_retried")
KPI_COUNTS = ("invite_attempts", "register_attempts", "no_final")
KPI_RATIOS = ("ser", "seer", "isa", "scr", "asr", "ner", "ira")
KPI_DELAYS = ("srd_ms", "rrd_ms", "session_ms")
QS = ("p50", "p90", "p99", "max")


def delays_known(r):
    """(100 -> final known, KPI delays known): None when mixed"""
    def known(vals):
        if all(v is None for v in vals):
            return False
        if all(v is not None for v in vals):
            return True
        return None
    d = r["trying_to_final"]["delay_ms"]
    k = r["kpi"]
    kv = [k[s][q] for s in KPI_DELAYS for q in QS if k[s]["n"] or k[s][q] is not None]
    if k["session_ms"]["n"] or k["acd_ms"] is not None:
        kv.append(k["acd_ms"])
    t = known([d.get(q) for q in QS])
    return t, known(kv) if kv else t  # no KPI delay measured: nothing to tell


def call_level(r):
    t = r["trying_to_final"]
    return {
        "calls.total": r["calls"]["total"],
        "trying": t["trying"],
        "stuck": t["stuck"],
        "by_final": {k: v for k, v in sorted(t["by_final"].items())},
        "proxy_auth": {k: r["proxy_auth"][k] for k in AUTH},
        "www_auth": {k: r["www_auth"][k] for k in AUTH},
        "kpi": dict([(k, r["kpi"][k]) for k in KPI_COUNTS] +
                    [(k, r["kpi"][k]) for k in KPI_RATIOS]),
    }


def rows(r):
    """(label, value) for the table: every count and delay"""
    out = []
    for k, v in sorted(r["totals"]["requests"].items()):
        out.append(("requests " + k, v))
    for k, v in sorted(r["totals"]["responses"].items(), key=lambda x: int(x[0])):
        out.append(("responses " + k, v))
    out.append(("calls", r["calls"]["total"]))
    t = r["trying_to_final"]
    out.append(("100: trying", t["trying"]))
    out.append(("100: stuck", t["stuck"]))
    for k, v in sorted(t["by_final"].items(), key=lambda x: int(x[0])):
        out.append(("100: final " + k, v))
    for q in ("p50", "p90", "p99", "max"):
        out.append(("100->final " + q + " ms", t["delay_ms"].get(q)))
    for sect, code in (("proxy_auth", "407"), ("www_auth", "401")):
        for k in AUTH:
            out.append(("%s %s" % (code, k.replace("_", " ")), r[sect][k]))
    k = r.get("kpi")
    if k is None:
        return out
    for c in KPI_COUNTS:
        out.append(("KPI " + c.replace("_", " "), k[c]))
    for c in KPI_RATIOS:
        v = k[c]
        pct = "null" if v["percent"] is None else "%.4f%%" % v["percent"]
        out.append(("KPI %s" % c.upper(), "%s (%d/%d)" % (pct, v["num"], v["den"])))
    for c in KPI_DELAYS:
        for q in QS:
            out.append(("KPI %s %s ms" % (c[:-3].upper() if c != "session_ms" else "session",
                                          q), k[c][q]))
        out.append(("KPI %s n" % (c[:-3].upper() if c != "session_ms" else "session"),
                    k[c]["n"]))
    out.append(("KPI ACD ms", k["acd_ms"]))
    return out


ABSENT = object()


def fmt(v):
    if v is ABSENT:
        return "-"
    if v is None:
        return "null"
    if isinstance(v, float):
        return "%.3f" % v
    return str(v)


def main():
    args = sys.argv[1:]
    table = None
    if args[:1] == ["--table"]:
        table, args = args[1], args[2:]
    forms = []
    for a in args:
        name, _, rest = a.partition("=")
        rep, _, exp = rest.partition(":")
        with open(rep) as f:
            r = json.load(f)
        with open(exp) as f:
            e = json.load(f)
        forms.append((name, r, e))
    n = 0
    failed = 0
    ref_name, ref = forms[0][0], call_level(forms[0][1])
    for name, r, e in forms:
        n += 1
        got = call_level(r)
        if got == ref:
            print("ok %d - live %s: same call-level totals as %s" % (n, name, ref_name))
        else:
            failed += 1
            print("not ok %d - live %s: call-level totals differ from %s" % (n, name, ref_name))
            print("#   %s: %s" % (name, json.dumps(got)))
            print("#   %s: %s" % (ref_name, json.dumps(ref)))
        # the destinations breakdown (request URI): on every form that logs it, the same as
        # on the first (sipdump: whole messages); the operator-layout forms (with the profile,
        # or inferred) do not log it
        if not name.startswith(("profile-", "inferred-")):
            n += 1
            got, want = r["breakdowns"]["by_destination"], forms[0][1]["breakdowns"]["by_destination"]
            if got == want and got["keys"] > 0:
                print("ok %d - live %s: destinations as on %s (%d)" % (n, name, ref_name, got["keys"]))
            else:
                failed += 1
                print("not ok %d - live %s: destinations differ from %s's" % (n, name, ref_name))
                print("#   %s: %s" % (name, json.dumps(got)[:400]))
                print("#   %s: %s" % (ref_name, json.dumps(want)[:400]))
        want = not (e["trying_to_final"]["delay_ms"]["p50"] is None)
        for what, got in zip(("delays", "KPI delays"), delays_known(r)):
            n += 1
            if got == want:
                print("ok %d - live %s: %s %s" % (n, name, what,
                                                  "known" if got else "unknown (null)"))
            else:
                failed += 1
                print("not ok %d - live %s: %s %s, expected %s" % (
                    n, name, what, {True: "numbers", False: "null", None: "mixed"}[got],
                    "numbers" if want else "null"))
    if table:
        labels = []
        cols = []
        for name, r, e in forms:
            got, want = dict(rows(r)), dict(rows(e))
            for lab, _ in rows(e) + rows(r):
                if lab not in labels:
                    labels.append(lab)
            cols.append((name, got, want))
        with open(table, "w") as f:
            f.write("| | " + " | ".join(c[0] for c in cols) + " |\n")
            f.write("|---|" + "---|" * len(cols) + "\n")
            for lab in labels:
                cells = []
                for _, got, want in cols:
                    g, w = got.get(lab, ABSENT), want.get(lab, ABSENT)
                    cells.append(fmt(g) if fmt(g) == fmt(w) else "%s / %s" % (fmt(g), fmt(w)))
                f.write("| %s | %s |\n" % (lab, " | ".join(cells)))
            f.write("\nEach cell: siplogscan / oracle, or one value where they are equal.\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
