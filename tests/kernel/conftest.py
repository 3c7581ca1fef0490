"""Fixtures of the kernel scenario tests (the harness is ``osvm_core.testing.scenario``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from osvm_core.testing.scenario import Scenario, build_scenario


@pytest.fixture
def scenario(tmp_path: Path):
    """``scenario(sources, toml, ...)`` builds a system in a fresh directory of the test."""
    made = [0]

    def make(sources: dict[str, str], toml: str, **options: Any) -> Scenario:
        made[0] += 1
        return build_scenario(tmp_path / f"system{made[0]}", sources, toml, **options)

    return make
