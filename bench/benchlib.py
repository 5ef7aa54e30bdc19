"""bench/benchlib.py - what bench/run.py and bench/scale.py share: the machine's description
and load, the generated inputs (bench/gen.py, kept in a data folder and reused while their
layout, size, seed and generator match), interleaved timing with medians and peak RSS, and
the same-report check.

Timing is interleaved: every round runs each command of a group once, in order, so that a
change of the machine's load during the run touches every command alike; the figure is the
median of the rounds. Commands write their output to files (GNU grep stops at the first match
when its output is /dev/null). A command that fails stops the benchmark: a figure of a failed
run would be a lie.
"""
import hashlib
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen  # noqa: E402  (the layouts)

SEED = 1


def die(msg):
    print(f"bench: {msg}", file=sys.stderr)
    sys.exit(2)


# --- the machine ----------------------------------------------------------------------------

def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def mem_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0


def git_commit():
    try:
        out = subprocess.run(["git", "-C", HERE, "describe", "--always", "--dirty"],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def nproc():
    """The CPUs this process may run on (what nproc prints)."""
    return len(os.sched_getaffinity(0))


def header(binary, title):
    """Print what the figures were measured on; return the load average before."""
    n = nproc()
    load = loadavg()
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{title}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"machine: nproc {n} (online {os.sysconf('SC_NPROCESSORS_ONLN')}), {cpu_model()}, "
          f"{mem_gib():.0f} GiB")
    print(f"binary: {binary} ({version}), tree {git_commit()}")
    print(f"load average before: {' '.join(load)}")
    if float(load[0]) > n - 1:
        print(f"WARNING: the load average ({load[0]}) is above the CPU count minus one ({n - 1}):"
              " other work shares the CPUs, the figures are low and noisy")
    return load


def footer(load_before):
    n = nproc()
    load = loadavg()
    print(f"load average after: {' '.join(load)} (before: {' '.join(load_before)})")
    if float(load[0]) > n - 1:
        print(f"WARNING: the load average after the run ({load[0]}) is above {n - 1}: "
              "the figures are not those of a quiet machine")


def missing_tools():
    """What the benchmark would like and cannot find, with the Debian package that has it."""
    miss = []
    for tool, pkg in (("rg", "ripgrep"), ("taskset", "util-linux"), ("gzip", "gzip"),
                      ("zcat", "gzip"), ("grep", "grep"), ("xargs", "findutils"),
                      ("/usr/bin/time", "time")):
        if not shutil.which(tool):
            miss.append((tool, pkg))
    return miss


# --- inputs ---------------------------------------------------------------------------------

def gen_digest():
    with open(os.path.join(HERE, "gen.py"), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:16]


def meta_of(path):
    try:
        with open(path + ".meta.json") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def ensure_layout(layout, path, size_mb, jobs):
    """Queue the generation of path unless a file of that layout, size, seed and generator
    is there; jobs collects (path, Popen). Returns True when the file is (re)generated."""
    want = {"layout": layout, "size_mb": size_mb, "seed": SEED, "gen": gen_digest()}
    m = meta_of(path)
    if m and os.path.exists(path) and all(m.get(k) == v for k, v in want.items()):
        return False
    for stale in (path, path + ".meta.json", path + ".gz"):
        if os.path.exists(stale):
            os.remove(stale)
    print(f"generating {path} ({layout}, {size_mb} MB) ...", file=sys.stderr)
    tmp = path + ".meta.tmp"
    cmd = [sys.executable, os.path.join(HERE, "gen.py"), "--format", layout, "--size",
           str(size_mb), "--seed", str(SEED), "--meta", tmp, path]
    jobs.append((path, subprocess.Popen(cmd), lambda: finish_meta(tmp, path, want)))
    return True


def finish_meta(tmp, path, want):
    with open(tmp) as f:
        m = json.load(f)
    m.update(want)
    with open(path + ".meta.json", "w") as f:
        json.dump(m, f)
    os.remove(tmp)


def wait_jobs(jobs):
    for path, p, done in jobs:
        if p.wait() != 0:
            die(f"generating {path} failed (exit {p.returncode})")
        if done:
            done()
    jobs.clear()


def run_parallel(cmds, width):
    """Run shell commands, width at a time (generation and compression of the inputs)."""
    running = []
    for c in cmds:
        while len(running) >= width:
            p = running.pop(0)
            if p.wait() != 0:
                die(f"'{p.args}' failed (exit {p.returncode})")
        running.append(subprocess.Popen(c, shell=True))
    for p in running:
        if p.wait() != 0:
            die(f"'{p.args}' failed (exit {p.returncode})")


def ensure_gzip(path):
    """path.gz next to path (gzip -6 -n): returns the shell command to make it, or None."""
    if os.path.exists(path + ".gz"):
        return None
    q = shlex.quote(path)
    return f"gzip -6 -n -c {q} > {q}.gz.tmp && mv {q}.gz.tmp {q}.gz"


def ensure_rotated(path, folder, parts):
    """path cut at line ends into `parts` files, oldest first, each gzipped, as logrotate
    leaves them (name.log.N.gz, N = parts..1). Returns the shell commands to run, or []."""
    stamp = os.path.join(folder, ".made-from")
    src = json.dumps(meta_of(path), sort_keys=True)
    if os.path.exists(stamp) and open(stamp).read() == src:
        return []
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    size = os.path.getsize(path)
    base = os.path.basename(path)
    with open(path, "rb") as f:
        data = f.read()
    cuts = [0] + [data.index(b"\n", size * k // parts) + 1 for k in range(1, parts)] + [size]
    cmds = []
    for i in range(parts):
        part = os.path.join(folder, f"{base}.{parts - i}")
        with open(part, "wb") as f:
            f.write(data[cuts[i]:cuts[i + 1]])
        cmds.append(f"gzip -6 -n {shlex.quote(part)}")
    del data
    cmds.append(f"printf %s {shlex.quote(src)} > {shlex.quote(stamp)}")
    return cmds


def rotated_files(folder):
    names = [f for f in os.listdir(folder) if f.endswith(".gz")]
    # oldest first: the highest number first
    names.sort(key=lambda f: -int(f.rsplit(".", 2)[-2]))
    return [os.path.join(folder, f) for f in names]


# --- timing ---------------------------------------------------------------------------------

class Cmd:
    """One command of a group: a label, a shell command line, where its output goes, and
    optionally the path of the JSON report it writes (a siplogscan run)."""

    def __init__(self, label, shell, out, report=None, key=None):
        self.label, self.shell, self.out, self.report = label, shell, out, report
        self.key = key or label
        self.times, self.rss_kib, self.reports = [], None, []

    @property
    def median(self):
        return statistics.median(self.times)

    @property
    def spread(self):
        """(max - min) / median, as a share: how much the rounds disagree."""
        return (max(self.times) - min(self.times)) / self.median if self.median else 0.0


# Peak RSS comes from GNU time (the command's own wait4): a process forked from this Python
# program would count the Python program's pages as its own (Linux keeps the high-water mark
# of the memory a process had before exec), so os.wait4 here cannot tell it.
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(c, rnd):
    """Run c once; record its wall time and peak RSS (of it and its children)."""
    shell = c.shell
    if c.report:
        rep = f"{c.report}.{rnd}.json"
        shell = shell.replace("@REPORT@", shlex.quote(rep))
        c.reports.append(rep)
    argv = ["/bin/sh", "-c", shell]
    rss_file = c.out + ".rss"
    if GNU_TIME:
        argv = [GNU_TIME, "-f", "%M", "-o", rss_file] + argv
    with open(c.out, "wb") as out:
        t = time.perf_counter()
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE)
        err = p.stderr.read()
        p.wait()
        el = time.perf_counter() - t
    p.stderr.close()
    # grep -c exits 1 when it counts nothing: still a measurement, not a failure
    if p.returncode != 0 and not (p.returncode == 1 and "grep -c" in c.shell):
        die(f"'{shell}' failed (exit {p.returncode}): {err.decode(errors='replace').strip()[:500]}")
    c.times.append(el)
    if GNU_TIME:
        with open(rss_file) as f:
            c.rss_kib = max(c.rss_kib or 0, int(f.read().split()[-1]))


def interleave(cmds, runs):
    """Run every command once per round, in order, `runs` rounds."""
    for rnd in range(runs):
        for c in cmds:
            run_once(c, rnd)


# --- the same-report check ------------------------------------------------------------------

def strip_run(path):
    """The JSON report without its "run" section (times, threads: what may differ)."""
    with open(path) as f:
        r = json.load(f)
    r.pop("run", None)
    return json.dumps(r, sort_keys=True)


def same_reports(cmds):
    """Compare every report of the siplogscan commands with the first one (the -j1 run).
    Returns (number compared, list of differing report paths, the reference's parsed report)."""
    paths = [p for c in cmds if c.report for p in c.reports]
    if not paths:
        return 0, [], None
    ref = strip_run(paths[0])
    bad = [p for p in paths[1:] if strip_run(p) != ref]
    return len(paths), bad, json.loads(ref)


def describe_difference(a, b):
    """The first lines that differ between two reports (for the error message)."""
    la = json.dumps(json.loads(strip_run(a)), indent=1, sort_keys=True).splitlines()
    lb = json.dumps(json.loads(strip_run(b)), indent=1, sort_keys=True).splitlines()
    for x, y in zip(la, lb):
        if x != y:
            return f"{x.strip()} / {y.strip()}"
    return "lengths differ"


def taskset(cores):
    """The taskset prefix that pins a command to CPUs 0..cores-1 (none when not possible)."""
    cpus = sorted(os.sched_getaffinity(0))
    if not shutil.which("taskset") or cores > len(cpus):
        return ""
    return f"taskset -c {','.join(str(c) for c in cpus[:cores])} "
