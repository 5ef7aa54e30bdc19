#!/usr/bin/env python3
"""Check a Prometheus text exposition file (format 0.0.4) as siplogscan writes it.

    python3 tests/prom_check.py FILE [JSON-REPORT]

The file is parsed with the Prometheus Python client's parser (Debian package
python3-prometheus-client), then linted for the conventions of
https://prometheus.io/docs/practices/naming/ and of the exposition format:

- every family has exactly one HELP and one TYPE line, before its samples, and its samples
  are contiguous;
- names match [a-zA-Z_:][a-zA-Z0-9_:]* and start with siplogscan_; no colons (reserved for
  recording rules);
- counters end in _total; units are base units (_seconds, _bytes), never _ms or _milliseconds;
  ratios are 0..1;
- summaries have quantile samples in 0..1 (in order) plus _sum and _count for every label set,
  and only summaries have a quantile label;
- no sample line repeats a name and label set; values are finite.

With a JSON report of the same run, a few figures must agree with it.
Exit status 0 when the file passes, 1 otherwise (each problem printed), 2 on usage errors.
"""
import json
import math
import re
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit("python3-prometheus-client is not installed: apt-get install python3-prometheus-client")

NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
problems = []


def bad(msg):
    problems.append(msg)


def lint_lines(text):
    """Structure the client parser tolerates: HELP/TYPE order, contiguity, duplicates."""
    helped, typed, done = set(), {}, set()
    current = None
    seen = set()
    for no, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            parts = line.split(" ", 3)
            name = parts[2]
            if line.startswith("# HELP "):
                if name in helped:
                    bad("line %d: a second HELP for %s" % (no, name))
                helped.add(name)
            else:
                if name in typed:
                    bad("line %d: a second TYPE for %s" % (no, name))
                if name not in helped:
                    bad("line %d: TYPE before HELP for %s" % (no, name))
                typed[name] = parts[3] if len(parts) > 3 else ""
            if current and current != name:
                done.add(current)
            if name in done:
                bad("line %d: family %s appears twice" % (no, name))
            current = name
            continue
        if line.startswith("#"):
            bad("line %d: a comment that is neither HELP nor TYPE" % no)
            continue
        m = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$", line)
        if not m:
            bad("line %d: not a sample line: %r" % (no, line))
            continue
        name = m.group(1)
        fam = name
        if current and typed.get(current) == "summary" and name in (current + "_sum", current + "_count"):
            fam = current
        if fam != current:
            bad("line %d: sample %s outside its family's block (HELP/TYPE of %s missing?)" % (no, name, name))
        key = name + (m.group(2) or "")
        if key in seen:
            bad("line %d: %s repeated" % (no, key))
        seen.add(key)
    return typed


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    text = open(sys.argv[1], encoding="utf-8").read()
    if text and not text.endswith("\n"):
        bad("the file does not end with a newline")
    typed = lint_lines(text)
    try:
        families = list(text_string_to_metric_families(text))
    except Exception as e:  # the parser's own message names the line
        bad("the Prometheus parser rejects it: %s" % e)
        families = []
    values = {}
    for fam in families:
        name, kind = fam.name, fam.type
        if not NAME.match(name) or ":" in name:
            bad("%s: not a valid metric name for an exporter" % name)
        if not name.startswith("siplogscan_"):
            bad("%s: does not start with siplogscan_" % name)
        if re.search(r"_(ms|milliseconds|minutes|hours|kilobytes|megabytes|percent)(_|$)", name):
            bad("%s: not in base units (seconds, bytes, ratios 0..1)" % name)
        if kind == "counter":
            # the client parser strips _total from counter family names
            if typed.get(name + "_total") != "counter":
                bad("%s: a counter whose name does not end in _total" % name)
        elif kind not in ("gauge", "summary"):
            bad("%s: type %s (siplogscan writes counters, gauges and summaries)" % (name, kind))
        if name.endswith("_total") and kind != "counter":
            bad("%s: ends in _total but is a %s" % (name, kind))
        if name.endswith("_ratio") and kind == "gauge":
            for s in fam.samples:
                if not 0 <= s.value <= 1:
                    bad("%s%s: ratio %g outside 0..1" % (s.name, s.labels, s.value))
        per_labels = {}
        for s in fam.samples:
            if not math.isfinite(s.value):
                bad("%s%s: value %r is not finite" % (s.name, s.labels, s.value))
            if kind != "summary" and "quantile" in s.labels:
                bad("%s%s: a quantile label on a %s (only summaries have quantiles)" % (s.name, s.labels, kind))
            if s.value < 0 and kind in ("counter", "summary"):
                bad("%s%s: negative %s" % (s.name, s.labels, kind))
            values[(s.name, tuple(sorted(s.labels.items())))] = s.value
            if kind == "summary":
                labels = dict(s.labels)
                q = labels.pop("quantile", None)
                key = tuple(sorted(labels.items()))
                entry = per_labels.setdefault(key, {"q": [], "sum": 0, "count": 0})
                if s.name == name and q is not None:
                    qf = float(q)
                    if not 0 <= qf <= 1:
                        bad("%s: quantile %s outside 0..1" % (name, q))
                    entry["q"].append((qf, s.value))
                elif s.name == name + "_sum":
                    entry["sum"] += 1
                elif s.name == name + "_count":
                    entry["count"] += 1
                else:
                    bad("%s: summary sample %s without a quantile" % (name, s.name))
        for key, e in per_labels.items():
            if e["sum"] != 1 or e["count"] != 1:
                bad("%s%s: a summary needs one _sum and one _count" % (name, dict(key)))
            qs = [q for q, _ in e["q"]]
            vs = [v for _, v in e["q"]]
            if qs != sorted(qs) or vs != sorted(vs):
                bad("%s%s: quantiles not increasing" % (name, dict(key)))
    if len(sys.argv) == 3:
        r = json.load(open(sys.argv[2]))
        want = {("siplogscan_records_total", ()): r["totals"]["records"]}
        # a section the log cannot give is null in JSON and its families are absent
        absent = []
        if r["calls"] is not None:
            want[("siplogscan_calls_total", ())] = r["calls"]["total"]
        else:
            absent.append("siplogscan_calls_total")
        for code, n in r["totals"]["responses"].items():
            want[("siplogscan_responses_total", (("code", code),))] = n
        if r["trying_to_final"] is None:
            absent += ["siplogscan_trying_total", "siplogscan_stuck_total"]
        if r["proxy_auth"] is None:
            absent.append("siplogscan_auth_challenged_total")
        for name in absent:
            if any(k[0] == name for k in values):
                bad("%s: present, but the JSON report says it is not in the log" % name)
        d = (r["trying_to_final"] or {"delay_ms": {"n": 0, "p50": None}})["delay_ms"]
        if d["n"] and d["p50"] is not None:
            want[("siplogscan_trying_final_delay_seconds_count", ())] = d["n"]
            want[("siplogscan_trying_final_delay_seconds", (("quantile", "0.5"),))] = d["p50"] / 1000
        for k, v in want.items():
            got = values.get(k)
            if got is None or abs(got - v) > 1e-9 * max(1, abs(v)):
                bad("%s%s: %r, the JSON report says %r" % (k[0], dict(k[1]), got, v))
    for p in problems:
        print("%s: %s" % (sys.argv[1], p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
