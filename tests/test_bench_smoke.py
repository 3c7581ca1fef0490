"""bench/kernel.py --quick runs and prints its table (no wall-clock figure is asserted)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "kernel.py"


@pytest.mark.skipif(importlib.util.find_spec("simpy") is None,
                    reason="simpy is not installed (pip install simpy); the benchmark compares against it")
def test_kernel_benchmark_quick_run_prints_the_table() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "measure" in out and "osvm" in out and "SimPy" in out and "ratio osvm/SimPy" in out
    assert "context switches" in out
    assert "semaphore ping-pong round trips" in out
    assert "SimPy is missing" not in out


ALLOC_BENCH = Path(__file__).resolve().parents[1] / "bench" / "alloc.py"


def test_allocator_benchmark_quick_run_prints_both_tables() -> None:
    done = subprocess.run([sys.executable, str(ALLOC_BENCH), "--quick"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for text in ("Table 1", "Table 2", "first-fit", "uniform lifo", "pareto random", "producer-consumer"):
        assert text in done.stdout
