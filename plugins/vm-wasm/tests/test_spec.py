"""The WebAssembly 1.0 core spec scripts (pre-converted by wast2json), one test per script."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from osvm_vm_wasm import exec as executors
from osvm_vm_wasm.spec import run_script, script_files

REPO_ROOT = Path(__file__).resolve().parents[3]


def _testdata() -> Path:
    env = os.environ.get("OSVM_TESTDATA")
    base = Path(env) if env else REPO_ROOT.parent / "shared" / "testdata"
    return base / "wasm-spec-mvp"


ROOT = _testdata()
FILES = script_files(ROOT) if ROOT.is_dir() else []


@pytest.mark.skipif(not FILES, reason=f"WebAssembly spec test data not found at {ROOT} (set OSVM_TESTDATA)")
@pytest.mark.parametrize("executor", executors.EXECUTORS)
@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_spec_script(path: Path, executor: str) -> None:
    """Every script under both executors: the translator and the interpreter."""
    saved = executors.executor()
    executors.set_executor(executor)
    try:
        result = run_script(path)
    finally:
        executors.set_executor(saved)
    # The only skips allowed are text-format modules (see the data's README).
    assert all("text-format module" in s for s in result.skips)
    assert result.failed == 0, "\n".join(result.failures[:20])
    assert result.passed > 0 or result.skipped > 0
