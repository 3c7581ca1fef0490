"""Registers the ``scheme`` VM kind. Importing this module stays cheap: the VM loads on use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from osvm_core.hookspecs import hookimpl


def _create(name: str, options: dict[str, Any] | None = None) -> Any:
    from .vm import SchemeVM

    return SchemeVM(name, options)


_create.suffixes = (".scm", ".ss", ".sld")  # type: ignore[attr-defined]
#: the program ``osvm exec scheme`` runs when given none: a read-eval-print loop on the console
_create.repl = Path(__file__).with_name("repl.scm")  # type: ignore[attr-defined]


@hookimpl
def osvm_register_vms(register: Any) -> None:
    register("scheme", _create)
