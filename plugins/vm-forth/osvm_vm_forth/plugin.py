"""Registers the ``forth`` VM kind. Importing this module stays cheap: the VM loads on use."""

from __future__ import annotations

from typing import Any

from osvm_core.hookspecs import hookimpl

SUFFIXES = (".fth", ".fs", ".4th", ".fr")


def _create(name: str, options: dict[str, Any] | None = None) -> Any:
    from .vm import ForthVM

    return ForthVM(name, options)


_create.suffixes = SUFFIXES  # type: ignore[attr-defined]


@hookimpl
def osvm_register_vms(register: Any) -> None:
    register("forth", _create)
