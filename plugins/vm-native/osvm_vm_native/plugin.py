"""Registers the ``native`` VM kind. Importing this module stays cheap: the VM and the CPU load on use."""

from __future__ import annotations

from typing import Any

from osvm_core.hookspecs import hookimpl


def _create(name: str, options: dict[str, Any] | None = None) -> Any:
    from .vm import NativeVM

    return NativeVM(name, options)


_create.suffixes = (".elf",)  # type: ignore[attr-defined]


@hookimpl
def osvm_register_vms(register: Any) -> None:
    register("native", _create)
