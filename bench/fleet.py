#!/usr/bin/env python3
"""bench/fleet.py - a generated fleet of proxies over one day: one central run over every
proxy's logs against a scan per proxy (--state-out --host) and a merge.

Each proxy's day is a Kamailio xlog (RFC 3339 syslog) from bench/gen.py, a new call every
--interval ms of log time for 24 hours, rotated every six hours as logrotate leaves it with
delaycompress: kamailio.log.3.gz, kamailio.log.2.gz, kamailio.log.1, kamailio.log. Printed:
wall time, peak RSS (GNU time), the report's peak of calls in flight (counted per second of log
time from each call's first and last message: the same whatever the order of reading) and
its Call-IDs still open when the input ended (what the order of reading keeps in memory) of

  - one run over all of the fleet's files (read one file after the other, oldest first);
  - one run with --host-from, where this siplogscan has it (hosts interleaved by log time);
  - a scan per proxy with --state-out --host (their sum: one host scanning them all in turn;
    their maximum: each proxy scanning its own at once), and the merge of the states;

and the bytes: the logs on disk, as read, and the states that travel.

    python3 bench/fleet.py [--proxies 20] [--interval 2000] [--data DIR] [--threads N]
"""
import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd, out=None):
    """Run cmd under GNU time; return (wall seconds, peak RSS MiB)."""
    tf = out + ".time" if out else "/tmp/fleet.time"
    t0 = time.monotonic()
    with open(out or os.devnull, "wb") as f:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf] + cmd, stdout=f, check=True)
    wall = time.monotonic() - t0
    rss = int(open(tf).read().split()[-1]) / 1024
    os.unlink(tf)
    return wall, rss


def make_fleet(data, proxies, interval):
    """Generate (or reuse) the fleet; return {proxy: [files oldest first]}."""
    fleet = {}
    stamp = os.path.join(data, "fleet.json")
    want = {"proxies": proxies, "interval": interval,
            "gen": os.path.getmtime(os.path.join(HERE, "gen.py"))}
    reuse = os.path.exists(stamp) and json.load(open(stamp)) == want
    for i in range(1, proxies + 1):
        name = "sip%02d" % i
        d = os.path.join(data, name)
        files = [os.path.join(d, f) for f in
                 ("kamailio.log.3.gz", "kamailio.log.2.gz", "kamailio.log.1", "kamailio.log")]
        fleet[name] = files
        if reuse:
            continue
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        day = os.path.join(d, "day.log")
        subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), "--format", "xlog",
                        "--interval", str(interval), "--hours", "24", "--seed", str(100 + i),
                        day], check=True)
        lines = open(day, "rb").read().split(b"\n")[:-1]
        n = len(lines)
        cuts = [0, n // 4, n // 2, 3 * n // 4, n]
        for k, path in enumerate(files):
            chunk = b"".join(x + b"\n" for x in lines[cuts[k]:cuts[k + 1]])
            if path.endswith(".gz"):
                with gzip.open(path, "wb", compresslevel=6) as f:
                    f.write(chunk)
            else:
                open(path, "wb").write(chunk)
        os.unlink(day)
    if not reuse:
        json.dump(want, open(stamp, "w"))
    return fleet


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--proxies", type=int, default=20)
    ap.add_argument("--interval", type=float, default=2000,
                    help="ms of log time between two new calls on one proxy (default 2000)")
    ap.add_argument("--data", default=os.path.join(HERE, "data", "fleet"))
    ap.add_argument("--threads", type=int, default=0, help="-j of every run (default: all)")
    a = ap.parse_args()
    binary = os.environ.get("SIPLOGSCAN", "./siplogscan")
    os.makedirs(a.data, exist_ok=True)
    fleet = make_fleet(a.data, a.proxies, a.interval)
    files = [f for fs in fleet.values() for f in fs]
    jopt = ["-j", str(a.threads)] if a.threads else []
    work = os.path.join(a.data, "out")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    on_disk = sum(os.path.getsize(f) for f in files)

    def peak(path):
        r = json.load(open(path))
        ci = r["call_ids"]
        return (ci["peak_in_flight"], ci.get("open_at_end", 0), r["calls"]["total"],
                r["input"])

    rows = []
    out = os.path.join(work, "central.json")
    wall, rss = run([binary, "-q", "-f", "json"] + jopt + files, out)
    pk, opn, calls, inp = peak(out)
    read = sum(f["bytes"] for f in inp["files"])
    rows.append(("one run, files one after the other", wall, rss, pk, opn, calls))
    helptext = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    if "--host-from" in helptext:
        out = os.path.join(work, "hosts.json")
        regex = "/(sip[0-9]+)/"
        wall, rss = run([binary, "-q", "-f", "json", "--host-from", regex] + jopt + files, out)
        pk, opn, calls, _ = peak(out)
        rows.append(("one run, --host-from (hosts interleaved)", wall, rss, pk, opn, calls))
    walls, rsss, states = [], [], []
    for name, fs in fleet.items():
        st = os.path.join(work, name + ".state")
        wall, rss = run([binary, "-q", "--state-out", st, "--host", name] + jopt + fs)
        walls.append(wall)
        rsss.append(rss)
        states.append(st)
    out = os.path.join(work, "merged.json")
    mwall, mrss = run([binary, "merge", "-q", "-f", "json"] + states, out)
    pk, opn, calls, _ = peak(out)
    state_bytes = sum(os.path.getsize(s) for s in states)

    print("fleet: %d proxies, one day each (a new call every %g ms), %d files; %.1f MB on "
          "disk, %.1f MB read; siplogscan %s, nproc %d%s" %
          (a.proxies, a.interval, len(files), on_disk / 1e6, read / 1e6, binary,
           os.cpu_count(), ", -j%d" % a.threads if a.threads else ""))
    print("load average: %.2f %.2f %.2f" % os.getloadavg())
    print()
    print("| run | wall s | peak RSS MiB | calls in flight at most | Call-IDs open at the end "
          "| calls |")
    print("|---|---|---|---|---|---|")
    for what, wall, rss, pk, o, c in rows:
        print("| %s | %.2f | %.0f | %d | %d | %d |" % (what, wall, rss, pk, o, c))
    print("| scan per proxy, --state-out: sum of %d | %.2f | %.0f (largest) | | | |" %
          (len(walls), sum(walls), max(rsss)))
    print("| scan per proxy: the slowest (all proxies at once) | %.2f | | | | |" % max(walls))
    print("| merge of the %d states | %.2f | %.0f | %d | %d | %d |" %
          (len(states), mwall, mrss, pk, opn, calls))
    print()
    print("states: %.2f MB in all (%.0f KB each on average), %.2f%% of the logs on disk" %
          (state_bytes / 1e6, state_bytes / len(states) / 1e3, 100.0 * state_bytes / on_disk))


if __name__ == "__main__":
    sys.exit(main())
