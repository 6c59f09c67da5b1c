"""Stopping a child server process: SIGTERM first, SIGKILL when it does not listen."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from servers import stop


def test_a_process_that_listens_ends_on_sigterm():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    stop(process)
    assert process.returncode == -signal.SIGTERM


def test_a_process_that_ignores_sigterm_is_killed_after_the_grace_time():
    ignoring = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                "print(1, flush=True); time.sleep(60)")
    process = subprocess.Popen([sys.executable, "-c", ignoring], stdout=subprocess.PIPE)
    assert process.stdout.readline() == b"1\n"  # SIGTERM is ignored from here on
    begin = time.monotonic()
    stop(process, grace=0.5)
    assert process.returncode == -signal.SIGKILL and time.monotonic() - begin < 10
    process.stdout.close()
