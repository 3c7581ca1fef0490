"""bench/scheme.py runs (no wall-clock figure is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from scheme_support import REPO, scheme_testdata

BENCH = REPO / "bench" / "scheme.py"


@pytest.mark.skipif(scheme_testdata() is None, reason="no Scheme test data (set OSVM_TESTDATA)")
def test_quick_run_prints_the_table_and_every_result_is_right():
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--only", "fib,ctak,string"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("benchmark ") for line in lines)
    header = next(line for line in lines if line.startswith("benchmark "))
    column = header.index(" osvm ")                        # the osvm cell ends where its title ends
    for name in ("fib", "ctak", "string"):
        row = next(line for line in lines if line.startswith(name))
        cell = row[column:column + len(" osvm ") + 4]
        assert cell.strip().endswith("s") and "error" not in cell, row


def test_bench_script_exists():
    assert Path(BENCH).is_file()
