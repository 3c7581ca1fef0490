"""bench/sched.py --quick runs every installed policy on every task set and prints one table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "sched.py"


def test_sched_benchmark_quick_run_prints_one_table() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("task set"))
    for column in ("misses", "resp mean", "resp p95", "jobs/Mcycle", "Jain", "share err"):
        assert column in header
    rows = [line for line in lines if " | " in line and not line.startswith("task set")]
    policies = {row.split("|")[1].strip() for row in rows}
    assert {"round-robin", "priority"} <= policies      # the core's, plus whatever plugins are installed
    sets = {row.split("|")[0].strip() for row in rows}
    assert sets == {"periodic U=0.7", "periodic U=0.8", "periodic U=0.9", "periodic U=1.0",
                    "interactive+batch", "io+cpu"}
    assert len(rows) == len(sets) * len(policies)
    assert "error" not in done.stdout
