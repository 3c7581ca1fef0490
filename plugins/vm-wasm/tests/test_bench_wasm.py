"""bench/wasm.py --quick runs and prints its table (no wall-clock figure is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "wasm.py"


def test_wasm_benchmark_quick_run_prints_the_table() -> None:
    done = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "osvm/pywasm" in out and "wasmtime/osvm" in out
    for kernel in ("fib(", "sieve(", "matmul(", "crc32("):
        assert kernel in out
