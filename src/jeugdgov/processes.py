"""Ending a child process that serves something (a test's or a benchmark's server): politely first,
then for certain, so that no server outlives the run that started it."""

from __future__ import annotations

import subprocess


def stop(process: subprocess.Popen, grace: float = 20.0) -> None:
    """End a child process: SIGTERM, then SIGKILL if it takes more than ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace)
