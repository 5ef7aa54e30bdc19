#!/usr/bin/env python3
"""Check a Prometheus text exposition file (format 0.0.4) as siplogscan writes it.

    python3 tests/prom_check.py [--label KEY=VALUE]... FILE [JSON-REPORT]

The file is parsed with the Prometheus Python client's parser (Debian package
python3-prometheus-client) and checked by `promtool check metrics` (Debian package
prometheus; missing, the check fails), then linted for the conventions of
https://prometheus.io/docs/practices/naming/ and of the exposition format:

- every family has exactly one HELP and one TYPE line, before its samples, and its samples
  are contiguous;
- names match [a-zA-Z_:][a-zA-Z0-9_:]* and start with siplogscan_; no colons (reserved for
  recording rules);
- every family is a gauge: each figure describes the logs one run scanned and starts again
  with the next run, so none is a counter (no _total) or a summary (whose _sum and _count
  are counters), no name ends in _sum, _count or _bucket and no label is quantile or le;
- units are base units (_seconds, _bytes), never _ms or _milliseconds; ratios are 0..1;
- a delay family (*_seconds with a stat label) has stat p50 <= p90 <= p99 <= max, and mean;
- label names are siplogscan's own words or the --label names given: no string from a log
  becomes a label name, and no family has more series than its labels' vocabulary allows;
- every sample carries exactly the --label labels given (none when none is given);
- no sample line repeats a name and label set; values are finite.

With a JSON report of the same run, a few figures must agree with it.
Exit status 0 when the file passes, 1 otherwise (each problem printed), 2 on usage errors.
"""
import json
import math
import re
import shutil
import subprocess
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError:
    sys.exit("python3-prometheus-client is not installed: apt-get install python3-prometheus-client")

NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
# the label names siplogscan writes (src/render_prom.c own_labels, less quantile and le)
OWN_LABELS = {"status", "method", "code", "kind", "result", "kpi", "stat", "id", "severity",
              "table", "version",
              # the siplogscan_host_* families, with --host-from or --host only (a --label
              # host is refused then, allowed otherwise)
              "host",
              # the siplogscan_night_* families, with --history only (a --label night is
              # refused then)
              "night"}
# the most series a family may have: a code label has at most the 600 codes 100..699
MAX_SERIES = 600
# but a --history's nights: a series a night kept, --keep 3660 at most
MAX_NIGHTS = 3660
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
        # labels: name="value" pairs, a value may hold '}' and escaped quotes
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})? (\S+)$', line)
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


def promtool(path):
    """promtool check metrics: Prometheus' own lint (exit status 0 and no output when clean)."""
    tool = shutil.which("promtool")
    if not tool:
        bad("promtool is not installed: apt-get install -y prometheus")
        return
    with open(path, "rb") as f:
        p = subprocess.run([tool, "check", "metrics"], stdin=f, capture_output=True)
    out = (p.stdout + p.stderr).decode("utf-8", "replace").strip()
    if p.returncode != 0 or out:
        bad("promtool check metrics (exit status %d): %s" % (p.returncode, out))


def main():
    args = sys.argv[1:]
    labels = {}
    while len(args) >= 2 and args[0] == "--label":
        k, _, v = args[1].partition("=")
        labels[k] = v
        args = args[2:]
    if len(args) not in (1, 2):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    path = args[0]
    text = open(path, encoding="utf-8").read()
    if text and not text.endswith("\n"):
        bad("the file does not end with a newline")
    typed = lint_lines(text)
    promtool(path)
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
        # the client parser strips _total from a counter's family name: the TYPE line tells
        if kind != "gauge" or typed.get(name) != "gauge":
            bad("%s: type %s: every figure describes one run's input, a gauge" %
                (name, typed.get(name + "_total", typed.get(name, kind))))
        if re.search(r"_(total|sum|count|bucket)$", name):
            bad("%s: a gauge named like a counter's or a summary's series" % name)
        if name.endswith("_ratio"):
            for s in fam.samples:
                if not 0 <= s.value <= 1:
                    bad("%s%s: ratio %g outside 0..1" % (s.name, s.labels, s.value))
        most = MAX_NIGHTS if name.startswith("siplogscan_night_") else MAX_SERIES
        if len(fam.samples) > most:
            bad("%s: %d series, more than %d" % (name, len(fam.samples), most))
        stats = {}
        for s in fam.samples:
            if not math.isfinite(s.value):
                bad("%s%s: value %r is not finite" % (s.name, s.labels, s.value))
            for k in s.labels:
                if k in ("quantile", "le"):
                    bad("%s%s: a %s label on a gauge" % (s.name, s.labels, k))
                elif k not in OWN_LABELS and k not in labels:
                    bad("%s%s: label %s is neither siplogscan's nor a --label" % (s.name, s.labels, k))
            own = {k: v for k, v in s.labels.items() if k not in labels}
            given = {k: v for k, v in s.labels.items() if k in labels}
            if given != labels:
                bad("%s%s: the --label labels are %r, expected %r" % (s.name, s.labels, given, labels))
            values[(s.name, tuple(sorted(own.items())))] = s.value
            if "stat" in own:
                st = own.pop("stat")
                stats.setdefault(tuple(sorted(own.items())), {})[st] = s.value
        for key, st in stats.items():
            if not name.endswith("_seconds") or set(st) - {"p50", "p90", "p99", "max", "mean"}:
                bad("%s%s: stat %s (a delay in seconds has p50 p90 p99 max mean)" % (name, dict(key), sorted(st)))
            order = [st[k] for k in ("p50", "p90", "p99", "max") if k in st]
            if order != sorted(order):
                bad("%s%s: percentiles not increasing: %r" % (name, dict(key), order))
    if len(args) == 2:
        r = json.load(open(args[1]))
        want = {("siplogscan_records", ()): r["totals"]["records"]}
        # a section the log cannot give is null in JSON and its families are absent
        absent = []
        if r["calls"] is not None:
            want[("siplogscan_calls", ())] = r["calls"]["total"]
        else:
            absent.append("siplogscan_calls")
        for code, n in r["totals"]["responses"].items():
            want[("siplogscan_responses", (("code", code),))] = n
        if r["trying_to_final"] is None:
            absent += ["siplogscan_trying", "siplogscan_stuck", "siplogscan_trying_final_delays"]
        if r["proxy_auth"] is None:
            absent.append("siplogscan_auth_challenged")
        for name in absent:
            if any(k[0] == name for k in values):
                bad("%s: present, but the JSON report says it is not in the log" % name)
        d = (r["trying_to_final"] or {"delay_ms": {"n": 0, "p50": None}})["delay_ms"]
        if d["n"] and d["p50"] is not None:
            want[("siplogscan_trying_final_delays", ())] = d["n"]
            for st in ("p50", "p90", "p99", "max"):
                want[("siplogscan_trying_final_delay_seconds", (("stat", st),))] = d[st] / 1000
        for k, v in want.items():
            got = values.get(k)
            if got is None or abs(got - v) > 1e-9 * max(1, abs(v)):
                bad("%s%s: %r, the JSON report says %r" % (k[0], dict(k[1]), got, v))
    for p in problems:
        print("%s: %s" % (path, p))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
