"""The TTSP3 scenario files: where they are, and what one scenario holds.

The data set (TOPPERS TTSP3 TESRY scenarios, copied unmodified) lives in
``$OSVM_TESTDATA/ttsp3`` or, beside a checkout, ``<repo>/../shared/testdata/ttsp3``.
Each YAML file under ``api_test/ASP/<module>/<service>/`` maps test ids to
scenarios (``pre_condition``, ``do``/``do_N``, ``post_condition``/``post_condition_N``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The folders the personality is held to, in report order.
MODULES = ("semaphore", "mempfix", "task_manage", "task_sync", "mutex", "time_manage")


def data_root(explicit: str | Path | None = None) -> Path | None:
    """The ttsp3 directory, or None when it is not there."""
    candidates: list[Path] = []
    if explicit is not None:
        candidates.append(Path(explicit))
    if os.environ.get("OSVM_TESTDATA"):
        candidates.append(Path(os.environ["OSVM_TESTDATA"]) / "ttsp3")
    repo = Path(__file__).resolve().parents[4]
    candidates.append(repo.parent / "shared" / "testdata" / "ttsp3")
    for candidate in candidates:
        if (candidate / "api_test" / "ASP").is_dir():
            return candidate
    return None


def missing_reason() -> str:
    return ("TTSP3 data not found: set OSVM_TESTDATA to the directory holding ttsp3/ "
            "(or put it at <repo>/../shared/testdata/ttsp3)")


@dataclass
class Scenario:
    """One test id of one file."""

    id: str
    file: str           # path relative to api_test/ASP, e.g. semaphore/twai_sem/twai_sem_l-3.yaml
    module: str
    service: str
    body: dict[str, Any] = field(repr=False)

    @property
    def steps(self) -> list[int]:
        """The sequence numbers N of do_N, ascending (``do`` is do_0)."""
        numbers = set()
        for key in self.body:
            if key == "do":
                numbers.add(0)
            elif key.startswith("do_"):
                numbers.add(int(key[3:]))
        return sorted(numbers)

    def do(self, number: int) -> Any:
        return self.body.get(f"do_{number}", self.body.get("do") if number == 0 else None)

    def post(self, number: int) -> Any:
        key = f"post_condition_{number}"
        if key in self.body:
            return self.body[key]
        return self.body.get("post_condition") if number == 0 else None

    @property
    def variation(self) -> dict[str, Any]:
        return self.body.get("variation") or {}


def yaml_files(root: Path, modules: tuple[str, ...] = MODULES) -> list[Path]:
    base = root / "api_test" / "ASP"
    files: list[Path] = []
    for module in modules:
        files.extend(sorted((base / module).glob("*/*.yaml")))
    return files


def relative(root: Path, path: Path) -> str:
    return path.relative_to(root / "api_test" / "ASP").as_posix()


def load_file(root: Path, path: Path) -> list[Scenario]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as stream:
        data = yaml.load(stream, Loader=loader)
    rel = relative(root, path)
    module, service = rel.split("/")[:2]
    return [Scenario(key, rel, module, service, body) for key, body in data.items()
            if key != "version" and isinstance(body, dict)]
