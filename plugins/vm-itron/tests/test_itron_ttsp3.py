"""Every TTSP3 scenario of the six folders, one test per YAML file (skipped without the data)."""

from __future__ import annotations

import pytest

from osvm_vm_itron.ttsp.data import data_root, load_file, relative, yaml_files
from osvm_vm_itron.ttsp.report import run_one

ROOT = data_root()
FILES = yaml_files(ROOT) if ROOT is not None else []


def test_the_data_set_has_the_790_scenarios(ttsp3):
    files = yaml_files(ttsp3)
    assert len(files) == 683
    assert sum(len(load_file(ttsp3, path)) for path in files) == 790


@pytest.mark.parametrize("path", FILES, ids=[relative(ROOT, p) for p in FILES] if ROOT else [])
def test_scenario_file(ttsp3, path):
    failures, skipped = [], []
    for scenario in load_file(ttsp3, path):
        result = run_one(scenario)
        if result.status == "fail":
            failures.append(f"{scenario.id}:\n  " + "\n  ".join(result.messages))
        elif result.status == "skip":
            skipped.append(f"{scenario.id}: {result.reason}")
    assert not failures, "\n".join(failures)
    if skipped:
        pytest.skip("; ".join(skipped))
