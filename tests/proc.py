#!/usr/bin/env python3
"""tests/proc.py - run siplogscan under conditions a shell cannot set up exactly.

  proc.py shrink PATH [--gzip] -- CMD...
      Start CMD; once it has PATH open for the scan (a worker thread is running and, for a
      plain file, the file is mapped), stop it (SIGSTOP), truncate PATH to half its size, and
      let it go on (SIGCONT): the file shrinks under a scan in progress, every time, however
      fast the machine, and the scan has not reached the cut yet. Prints "rc=N".
  proc.py signal SIG SECONDS -- CMD...
      Start CMD, send SIG after SECONDS (unless it ended before), wait. Prints "rc=N rss_kib=M" (rc is negative when
      the process died of a signal; rss_kib is its peak resident set).
  proc.py rss -- CMD...
      Run CMD to its end. Prints "rc=N rss_kib=M".
stdout and stderr of CMD go to the files named by $OUT and $ERR (default /dev/null).
"""
import os
import resource
import signal
import subprocess
import sys
import time


def default_signals():
    # as in an interactive shell: a test suite run in the background (an asynchronous list
    # of a non-interactive shell, such as a stage of tests/run.sh) ignores SIGINT and
    # SIGQUIT, and siplogscan keeps a signal its starter ignored, as a background job should
    for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def start(cmd):
    out = open(os.environ.get("OUT", "/dev/null"), "wb")
    err = open(os.environ.get("ERR", "/dev/null"), "wb")
    # restore_signals: SIGPIPE back to its default; default_signals(): the others
    return subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                            restore_signals=True, preexec_fn=default_signals)


def holds_open(pid, path, mapped):
    real = os.path.realpath(path)
    try:
        if len(os.listdir(f"/proc/{pid}/task")) < 2:
            return False  # the scan's threads are not started yet: only the sample looked
        if mapped:
            with open(f"/proc/{pid}/maps") as f:
                return any(line.rstrip("\n").endswith(" " + real) for line in f)
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == real:
                    return True
            except OSError:
                pass
    except OSError:
        pass
    return False


def stopped(pid):
    """Wait until every thread of pid has stopped: SIGSTOP takes effect when a thread leaves
    the kernel, and a read in flight would otherwise race with the truncation."""
    deadline = time.time() + 10
    while time.time() < deadline:
        states = []
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    states.append(f.read().rsplit(")", 1)[1].split()[0])
            except OSError:
                pass
        if states and all(st in "tT" for st in states):
            return
        time.sleep(0.0005)
    sys.exit("proc.py: the scan did not stop")


def peak_rss_kib():
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main():
    args = sys.argv[1:]
    cut = args.index("--")
    opts, cmd = args[:cut], args[cut + 1:]
    mode = opts[0]
    if mode == "shrink":
        path, gz = opts[1], "--gzip" in opts
        p = start(cmd)
        deadline = time.time() + 60
        while p.poll() is None and not holds_open(p.pid, path, not gz):
            if time.time() > deadline:
                p.kill()
                sys.exit("proc.py: the scan never opened " + path)
            time.sleep(0.0005)
        if p.poll() is not None:
            sys.exit("proc.py: the scan ended before " + path + " could be truncated")
        os.kill(p.pid, signal.SIGSTOP)
        stopped(p.pid)
        os.truncate(path, os.path.getsize(path) // 2)
        os.kill(p.pid, signal.SIGCONT)
        print(f"rc={p.wait()}")
    elif mode == "signal":
        sig = getattr(signal, opts[1])
        p = start(cmd)
        try:
            rc = p.wait(timeout=float(opts[2]))
        except subprocess.TimeoutExpired:
            p.send_signal(sig)
            try:
                rc = p.wait(timeout=120)
            except subprocess.TimeoutExpired:
                # it ignored the signal: never hang the suite
                p.kill()
                rc = p.wait()
                print("proc.py: the process went on after the signal; killed", file=sys.stderr)
        print(f"rc={rc} rss_kib={peak_rss_kib()}")
    elif mode == "rss":
        p = start(cmd)
        try:
            rc = p.wait(timeout=900)
        except subprocess.TimeoutExpired:
            p.kill()
            rc = p.wait()
            print("proc.py: the process ran over 900 s; killed", file=sys.stderr)
        print(f"rc={rc} rss_kib={peak_rss_kib()}")
    else:
        sys.exit("proc.py: unknown mode " + mode)


if __name__ == "__main__":
    main()
