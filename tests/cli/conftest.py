from __future__ import annotations

import importlib
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from osvm_core.cli.main import make_cli
from osvm_core.plugins import load_plugins

ROOT = Path(__file__).resolve().parents[2]


def repository_plugins() -> tuple[tuple[str, object], ...]:
    """The plugins of this checkout's packages (their pyproject entry points), and no others.

    The example system uses every VM of the repository, so the CLI tests load exactly
    those: what else happens to be installed never changes the outcome.
    """
    found = []
    for pyproject in sorted([*ROOT.glob("plugins/*/pyproject.toml"), *ROOT.glob("hal_sh3/pyproject.toml")]):
        entry_points = tomllib.loads(pyproject.read_text())["project"].get("entry-points", {}).get("osvm", {})
        for name, target in entry_points.items():
            found.append((name, importlib.import_module(target)))
    return tuple(found)


@pytest.fixture(scope="session")
def plugin_set():
    return load_plugins(entry_points=False, extra=repository_plugins())


@pytest.fixture
def osvm(plugin_set):
    """Run the osvm CLI in-process with the repository's plugins."""
    cli = make_cli(plugin_set)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return invoke
