from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scheme_support import Result, compose_system, plugin_set, scheme_toml  # noqa: E402

from osvm_core.cli.main import make_cli  # noqa: E402


@pytest.fixture
def scheme(tmp_path: Path):
    """scheme(source, **kw) -> Result: run one program as task 'main' of a Scheme VM."""
    def run(source: str, *, name: str = "prog.scm", options: str = "", memory: str = "16MiB",
            max_cycles: int | None = 50_000_000, files: dict[str, str] | None = None) -> Result:
        all_files = dict(files or {})
        all_files[name] = source
        return compose_system(tmp_path, all_files, scheme_toml([name], options=options, memory=memory),
                              max_cycles=max_cycles)
    return run


@pytest.fixture
def compose(tmp_path: Path):
    """compose(files, toml, **kw) -> Result."""
    def make(files: dict[str, str], toml: str, **kw):
        return compose_system(tmp_path, files, toml, **kw)
    return make


@pytest.fixture
def osvm():
    """The osvm CLI in-process with a fixed plugin set."""
    cli = make_cli(plugin_set())
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    return invoke
