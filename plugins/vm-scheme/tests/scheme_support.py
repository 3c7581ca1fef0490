"""Helpers shared by the Scheme VM tests (a module with a unique name, importable from tests)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import osvm_hal_virt.plugin
import osvm_vm_python.plugin
import osvm_vm_scheme.plugin
from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_core.system.build import build_system
from osvm_core.system.spec import parse_system

HERE = Path(__file__).resolve().parent
SHIM = HERE / "shim"
REPO = HERE.parents[2]


def scheme_testdata() -> Path | None:
    """The scheme test data: $OSVM_TESTDATA/scheme, else <repo>/../shared/testdata/scheme."""
    base = os.environ.get("OSVM_TESTDATA")
    folder = Path(base) / "scheme" if base else REPO.parent / "shared" / "testdata" / "scheme"
    return folder if folder.is_dir() else None


def plugin_set():
    return load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin),
                                                   ("vm-python", osvm_vm_python.plugin),
                                                   ("vm-scheme", osvm_vm_scheme.plugin)))


class Result:
    def __init__(self, kernel, output: bytearray, notes: list[str], report) -> None:
        self.kernel = kernel
        self.output = output.decode("utf-8", "replace")
        self.notes = notes
        self.report = report

    def task(self, name: str):
        return self.kernel.objects.get("task", name)


def compose_system(folder: Path, files: dict[str, str], toml: str, *, run: bool = True,
                   max_cycles: int | None = None) -> Result:
    """Write ``files`` into ``folder``, build the system described by ``toml`` and run it."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    plugins = plugin_set()
    registry = build_registry(plugins)
    output = bytearray()
    notes: list[str] = []
    spec = parse_system(tomllib.loads(toml), str(folder / "system.toml"), folder)
    system = build_system(spec, plugins, registry, console_out=output.extend, diagnostics=notes.append)
    report = system.kernel.run(max_cycles=max_cycles) if run else None
    return Result(system.kernel, output, notes, report)


def scheme_toml(modules: list[str], *, options: str = "", memory: str = "16MiB", tasks: str | None = None,
                timer: int = 0) -> str:
    loads = ", ".join(f"'{m}'" for m in modules)
    first = Path(modules[0]).stem
    tasks = tasks if tasks is not None else f"[[task]]\nname = 'main'\nvm = 'scheme'\nentry = '{first}/main'\n"
    return (f"[hal]\nclock_hz = 1000000\ntimer_period = {timer}\n"
            f"[[vm]]\nname = 'scheme'\nkind = 'scheme'\nmemory = '{memory}'\nload = [{loads}]\n"
            f"{'options = ' + options if options else ''}\n{tasks}")


