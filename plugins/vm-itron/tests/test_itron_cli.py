"""``osvm conformance itron``: the table, and the exit status."""

from __future__ import annotations

from click.testing import CliRunner

from osvm_core.cli.main import make_cli
from osvm_core.kernel import semaphore as kernel_semaphore

from .conftest import plugin_set


def invoke(*args: str):
    return CliRunner().invoke(make_cli(plugin_set()), ["conformance", "itron", *args])


def test_the_table_per_module_and_service(ttsp3):
    result = invoke("--data", str(ttsp3), "--module", "mutex", "--service", "ref_mtx", "--service", "ploc_mtx")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:5] == ["module", "service", "pass", "fail", "skip"]
    assert "mutex        ploc_mtx       9     0     0" in lines
    assert "mutex        ref_mtx        7     0     0" in lines
    assert lines[-1].split() == ["total", "16", "0", "0"]


def test_a_failure_makes_the_exit_status_1(ttsp3, monkeypatch):
    monkeypatch.setattr(kernel_semaphore.Semaphore, "signal", lambda self: None)
    result = invoke("--data", str(ttsp3), "--service", "sig_sem", "--module", "semaphore", "-v")
    assert result.exit_code == 1
    assert "FAIL semaphore/sig_sem/sig_sem_d.yaml ASP_semaphore_sig_sem_d" in result.output


def test_missing_data_is_said_with_exit_status_2(tmp_path, monkeypatch):
    monkeypatch.setenv("OSVM_TESTDATA", str(tmp_path))
    monkeypatch.setattr("osvm_vm_itron.ttsp.data.data_root", lambda explicit=None: None)
    result = invoke("--data", str(tmp_path))
    assert result.exit_code == 2
    assert "TTSP3 data not found" in result.output
