"""Run one command and write its wall time, CPU time and peak RSS as JSON: the measuring half
of ``run.measure``, started as a fresh, small interpreter.

Why a process of its own: a child forked from the harness starts as a copy of the harness, and
Linux keeps the high-water RSS of that copy through ``exec`` in the child's ``ru_maxrss``. Every
command smaller than the harness (90+ MB once polars is loaded) was reported at the harness's
size. Forked from this interpreter (``python -I -S``, about 10 MB) the floor is far below any
command measured.

Usage: ``python -I -S rusage.py RESULT_JSON TIMEOUT_S COMMAND...``; stdin, stdout, stderr and
the environment are the command's.
"""

import json
import os
import signal
import sys
import time
from pathlib import Path


def main() -> None:
    result, timeout, command = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    started = time.perf_counter()
    child = os.fork()
    if child == 0:  # pragma: no cover - replaced by the command
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    timed_out = []

    def kill(_signum: int, _frame: object) -> None:
        timed_out.append(True)
        os.kill(child, signal.SIGKILL)

    signal.signal(signal.SIGALRM, kill)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    while True:
        try:
            _, status, usage = os.wait4(child, 0)
            break
        except InterruptedError:  # pragma: no cover - PEP 475 retries; kept for clarity
            continue
    signal.setitimer(signal.ITIMER_REAL, 0)
    wall = time.perf_counter() - started
    Path(result).write_text(
        json.dumps(
            {
                "wall_s": wall,
                "cpu_s": usage.ru_utime + usage.ru_stime,
                "max_rss_kb": usage.ru_maxrss,
                "returncode": os.waitstatus_to_exitcode(status),
                "timed_out": bool(timed_out),
            }
        )
    )


if __name__ == "__main__":
    main()
