"""Registers the ``wasm`` VM kind. Importing this module stays cheap: the engine loads on use."""

from __future__ import annotations

from typing import Any

from osvm_core.hookspecs import hookimpl


def _create(name: str, options: dict[str, Any] | None = None) -> Any:
    from .vm import WasmVM

    return WasmVM(name, options)


_create.suffixes = (".wasm",)  # type: ignore[attr-defined]


@hookimpl
def osvm_register_vms(register: Any) -> None:
    register("wasm", _create)
