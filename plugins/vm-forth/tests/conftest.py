from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

import osvm_hal_virt.plugin
import osvm_vm_forth.plugin
import osvm_vm_python.plugin
from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_core.system.build import build_system
from osvm_core.system.spec import parse_system
from osvm_vm_forth.standalone import run_forth
from osvm_vm_forth.suite import testdata_folder


@pytest.fixture
def forth():
    """forth(text, input=b'') -> output text of a standalone machine that interprets ``text``."""
    def run(text: str, input: bytes | str = b"", **options) -> str:
        return run_forth(text, input=input, **options).output.decode("utf-8", "replace")
    return run


@pytest.fixture
def compose(tmp_path: Path):
    """compose({'m.fth': source}, toml_tail, vm_options=...) -> (kernel, output bytearray).

    Modules ending in .fth load into VM 'fo' (forth), .py into VM 'py' (python).
    """
    plugins = load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin),
                                                      ("vm-forth", osvm_vm_forth.plugin),
                                                      ("vm-python", osvm_vm_python.plugin)))
    registry = build_registry(plugins)

    def make(modules: dict[str, str], tail: str = "", *, hal: str = "timer_period = 0",
             console_in: bytes = b"", forth_options: str = "", memory: str = "512KiB"):
        for name, source in modules.items():
            (tmp_path / name).write_text(source)
        fth = ", ".join(f"'{n}'" for n in modules if not n.endswith(".py"))
        py = ", ".join(f"'{n}'" for n in modules if n.endswith(".py"))
        text = f"[hal]\nclock_hz = 1000000\n{hal}\n"
        text += f"[[vm]]\nname = 'fo'\nkind = 'forth'\nmemory = '{memory}'\nload = [{fth}]\n"
        if forth_options:
            text += f"options = {{ {forth_options} }}\n"
        if py:
            text += f"[[vm]]\nname = 'py'\nkind = 'python'\nload = [{py}]\n"
        text += tail
        output = bytearray()
        diagnostics: list[str] = []
        spec = parse_system(tomllib.loads(text), str(tmp_path / "system.toml"), tmp_path)
        system = build_system(spec, plugins, registry, console_out=output.extend,
                              diagnostics=diagnostics.append, hal_extra={"console_in": console_in})
        system.kernel.diagnostics_seen = diagnostics
        return system.kernel, output

    return make


@pytest.fixture
def testdata() -> Path:
    folder = testdata_folder()
    if folder is None:
        pytest.skip("forth2012 test data not found (set OSVM_TESTDATA to a folder holding forth2012/)")
    return folder


@pytest.fixture
def gforth() -> str:
    path = shutil.which("gforth")
    if path is None:
        pytest.skip("gforth is not installed (apt-get install gforth) - no differential test")
    return path
