#!/usr/bin/env python3
"""Runs a command and prints the CPU-seconds (user + sys) of it and every process under it, and its wall time.

/usr/bin/time counts only descendants their parents waited for; test hosts leave some children (silos, CLI processes)
to be re-parented, so its figure for `dotnet test` varied by 100 CPU-seconds between identical runs. This script makes
itself the child subreaper (prctl PR_SET_CHILD_SUBREAPER): orphans come back to it, it waits for them, and the
kernel's RUSAGE_CHILDREN then covers the whole tree.

Usage: tests/tools/cpu_seconds.py COMMAND [ARGS...]   (the summary line goes to stderr; the exit code is the command's)
"""
import ctypes
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36

if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit("cpu_seconds.py: prctl(PR_SET_CHILD_SUBREAPER) failed (Linux only)")
start = time.time()
code = subprocess.Popen(sys.argv[1:]).wait()
wall = time.time() - start
deadline = time.time() + 60  # orphans still running a minute after the command ended are reported, not waited for
while True:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if pid == 0:
        if time.time() > deadline:
            print("cpu_seconds.py: orphans still running after 60 s; not counted", file=sys.stderr)
            break
        time.sleep(0.2)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"CPU user {usage.ru_utime:.1f} s sys {usage.ru_stime:.1f} s total {usage.ru_utime + usage.ru_stime:.1f} s; "
      f"wall {wall:.1f} s; exit {code}", file=sys.stderr)
sys.exit(code)
