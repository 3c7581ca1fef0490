"""Differential tests: each program in tests/programs prints the same as Debian's guile.

Guile runs the programs as R7RS (``guile --r7rs``); its ``#vu8(...)`` for bytevectors is
read as the R7RS ``#u8(...)``. Without guile (``apt-get install guile-3.0``) these tests
are skipped.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.scm"))
GUILE = shutil.which("guile") or shutil.which("guile-3.0")


def guile_output(program: Path) -> str:
    done = subprocess.run([GUILE, "--r7rs", "--no-auto-compile", "-q", str(program)], capture_output=True,
                          text=True, timeout=120, env={"GUILE_AUTO_COMPILE": "0", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    return done.stdout.replace("#vu8(", "#u8(")


@pytest.mark.skipif(GUILE is None, reason="guile is not installed (apt-get install guile-3.0)")
@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_same_output_as_guile(osvm, program):
    result = osvm("exec", "scheme", str(program))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == guile_output(program)


def test_there_are_programs():
    assert len(PROGRAMS) >= 10
