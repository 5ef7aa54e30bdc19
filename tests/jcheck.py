#!/usr/bin/env python3
"""jcheck.py - compare a siplogscan JSON report with expectations; print TAP lines.

usage: jcheck.py REPORT.json EXPECT [LABEL]

EXPECT is either
  * a JSON file (an expected-totals file from samples/expected/): every key it has under
    totals, calls.total (and registrations, options_pings, other_transactions, call_ids),
    trying_to_final, proxy_auth, www_auth, input.not_in_log must match
    the report exactly (a section that is null must be null: not in the log); under
    auth_results the totals exactly, and by_source / by_account as {key: {field: n}} for the
    rows named;
    delay_ms values must match within the tolerance given by "delay_tolerance_ms" (default
    0.001), and null must be null; under kpi (docs/metrics.md) counts and each ratio's num
    and den exactly, its percent to 4 decimals, the delays (srd_ms, rrd_ms, session_ms,
    acd_ms) within the same tolerance (null must be null, n exactly); or
  * a text file of lines "dotted.path = JSON value" (comments with #), e.g.
        proxy_auth.rechallenged = 1
        trying_to_final.delay_ms.p50 = null
        problems[id=stuck-after-100].count = 2
        problems[id=slow-setup] = absent
"""
import json
import sys

n = 0
failed = 0


def tap(ok, what, detail=""):
    global n, failed
    n += 1
    if ok:
        print(f"ok {n} - {what}")
    else:
        failed += 1
        print(f"not ok {n} - {what}")
        if detail:
            print(f"#   {detail}")


MISSING = object()


def lookup(doc, path):
    cur = doc
    for part in split_path(path):
        if isinstance(part, tuple):
            key, val = part
            if not isinstance(cur, list):
                return MISSING
            found = [x for x in cur if isinstance(x, dict) and str(x.get(key)) == val]
            if not found:
                return MISSING
            cur = found[0]
        elif isinstance(cur, list):
            try:
                cur = cur[int(part)]
            except (ValueError, IndexError):
                return MISSING
        elif isinstance(cur, dict):
            if part not in cur:
                return MISSING
            cur = cur[part]
        else:
            return MISSING
    return cur


def split_path(path):
    parts = []
    for seg in path.split("."):
        while "[" in seg:
            head, rest = seg.split("[", 1)
            if head:
                parts.append(head)
            sel, seg = rest.split("]", 1)
            if "=" in sel:
                k, v = sel.split("=", 1)
                parts.append((k, v))
            else:
                parts.append(sel)
        if seg:
            parts.append(seg)
    return parts


def check_text(report, expect_path, label):
    with open(expect_path) as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            path, _, want = line.partition(" = ")
            path, want = path.strip(), want.strip()
            got = lookup(report, path)
            if want == "absent":
                tap(got is MISSING, f"{label}: {path} absent", f"got {got!r}")
                continue
            if want == "present":
                tap(got is not MISSING, f"{label}: {path} present")
                continue
            wantv = json.loads(want)
            tap(got == wantv, f"{label}: {path} = {want}",
                f"got {json.dumps(got) if got is not MISSING else 'missing'}")


def check_expected(report, exp, label):
    tol = exp.get("delay_tolerance_ms", 0.001)
    for sect in ("requests", "responses"):
        want = exp.get("totals", {}).get(sect)
        if want is not None:
            got = report["totals"][sect]
            tap(got == want, f"{label}: totals.{sect}", f"got {got}, want {want}")
    if "calls" in exp and exp["calls"] is None:
        got = report.get("calls", MISSING)
        tap(got is None, f"{label}: calls = null (not in the log)",
            f"got {json.dumps(got) if got is not MISSING else 'missing'}")
    else:
        # calls (INVITE dialogs) and the other kinds of Call-IDs (README "What counts as a call")
        for kind in ("calls", "registrations", "options_pings", "other_transactions", "call_ids"):
            if kind in exp and "total" in exp[kind]:
                got = (report.get(kind) or {}).get("total", MISSING)
                tap(got == exp[kind]["total"], f"{label}: {kind}.total = {exp[kind]['total']}",
                    f"got {got if got is not MISSING else 'missing'}")
    want = exp.get("input", {}).get("not_in_log")
    if want is not None:
        got = report["input"].get("not_in_log", MISSING)
        tap(got == want, f"{label}: input.not_in_log = {json.dumps(want)}", f"got {got}")
    for sect in ("trying_to_final", "proxy_auth", "www_auth"):
        want = exp.get(sect, MISSING)
        if want is None:
            # a figure the log cannot give: null, never 0
            got = report.get(sect, MISSING)
            tap(got is None, f"{label}: {sect} = null (not in the log)",
                f"got {json.dumps(got) if got is not MISSING else 'missing'}")
            continue
        if want is MISSING:
            continue
        for k, v in want.items():
            got = report[sect].get(k, MISSING)
            if k in ("delay_ms", "retry_delay_ms"):
                for q, wv in v.items():
                    gv = got.get(q, MISSING) if isinstance(got, dict) else MISSING
                    if wv is None or gv is None:
                        ok = wv is None and gv is None
                    else:
                        ok = gv is not MISSING and abs(gv - wv) <= tol
                    tap(ok, f"{label}: {sect}.{k}.{q} = {wv} (+-{tol})", f"got {gv}")
            else:
                tap(got == v, f"{label}: {sect}.{k} = {json.dumps(v)}", f"got {json.dumps(got)}")
    want = exp.get("kpi", MISSING)
    if want is None:
        got = report.get("kpi", MISSING)
        tap(got is None, f"{label}: kpi = null (not in the log)",
            f"got {json.dumps(got) if got is not MISSING else 'missing'}")
    elif want is not MISSING:
        check_kpi(report.get("kpi", {}), want, tol, label)
    want = exp.get("auth_results")
    if want is not None:
        got = report.get("auth_results") or {}
        for k, v in want.items():
            if k in ("by_source", "by_account"):
                rows = {r["key"]: r for r in (got.get(k) or {}).get("rows", [])}
                for key, wrow in v.items():
                    g = rows.get(key, {})
                    tap(all(g.get(f) == n for f, n in wrow.items()),
                        f"{label}: auth_results.{k}[{key}] = {json.dumps(wrow)}", f"got {json.dumps(g)}")
            else:
                tap(got.get(k, MISSING) == v, f"{label}: auth_results.{k} = {v}",
                    f"got {got.get(k, 'missing')}")


def check_kpi(got_all, want, tol, label):
    """kpi: attempts and counts exactly; ratios num and den exactly, percent to 4 decimals
    (null when den is 0); delays (*_ms) within the tolerance, null exactly where expected,
    their n exactly"""
    for k, v in want.items():
        got = got_all.get(k, MISSING)
        what = f"{label}: kpi.{k}"
        if isinstance(v, dict) and "den" in v:
            g = got if isinstance(got, dict) else {}
            gp, wp = g.get("percent", MISSING), v["percent"]
            ok = (g.get("num", MISSING) == v["num"] and g.get("den", MISSING) == v["den"] and
                  (gp is None if wp is None else
                   isinstance(gp, (int, float)) and round(gp, 4) == round(wp, 4)))
            pct = "null" if wp is None else "%.4f" % wp
            tap(ok, f"{what} = {pct}% ({v['num']}/{v['den']})", f"got {json.dumps(got)}")
        elif isinstance(v, dict):
            for q, wv in v.items():
                gv = got.get(q, MISSING) if isinstance(got, dict) else MISSING
                if q == "n":
                    tap(gv == wv, f"{what}.n = {wv}", f"got {gv}")
                    continue
                if wv is None or gv is None:
                    ok = wv is None and gv is None
                else:
                    ok = isinstance(gv, (int, float)) and abs(gv - wv) <= tol
                tap(ok, f"{what}.{q} = {wv} (+-{tol})", f"got {gv}")
        elif k.endswith("_ms"):
            # acd_ms: the expected mean is exact (6 decimals), the report's has 3: rounded or
            # truncated, it is within 0.001 of the exact one (1e-9: float noise)
            if v is None or got is None:
                ok = v is None and got is None
            else:
                ok = isinstance(got, (int, float)) and abs(got - v) <= tol + 1e-9
            tap(ok, f"{what} = {v} (+-{tol})", f"got {json.dumps(got) if got is not MISSING else 'missing'}")
        else:
            tap(got == v, f"{what} = {json.dumps(v)}", f"got {json.dumps(got) if got is not MISSING else 'missing'}")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    label = sys.argv[3] if len(sys.argv) > 3 else sys.argv[2]
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            report = json.load(f)
        tap(True, f"{label}: report is valid JSON")
    except (OSError, ValueError) as e:
        tap(False, f"{label}: report is valid JSON", str(e))
        return 1
    tap(report.get("schema") == "siplogscan.report/2", f"{label}: schema siplogscan.report/2")
    if sys.argv[2].endswith(".json"):
        with open(sys.argv[2]) as f:
            check_expected(report, json.load(f), label)
    else:
        check_text(report, sys.argv[2], label)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
