"""bench/sh3.py --quick runs and prints its table (no wall-clock figure is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "sh3.py"


def test_sh3_benchmark_quick_run_prints_the_table() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--only", "fib,crc", "--qemu-scale", "2"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "osvm MIPS" in done.stdout and "fib" in done.stdout and "crc" in done.stdout
