"""bench/forth.py --quick runs and prints its table (no wall-clock figure is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "forth.py"


def test_forth_benchmark_quick_run_prints_the_table() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "osvm standalone" in out and "gforth" in out and "uc-forth" in out
    for name in ("fib", "do-loop", "collatz", "compile"):
        assert f"\n{name} " in out
    assert "DIFFER" not in out
