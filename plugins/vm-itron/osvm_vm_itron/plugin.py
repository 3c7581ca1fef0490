"""Entry point of osvm-vm-itron: the ``itron`` VM kind, the ``itron`` policy, ``osvm conformance itron``.

Cheap to import: the personality and the scenario runner load when used.
"""

from __future__ import annotations

from typing import Any

from osvm_core.hookspecs import hookimpl


def _vm(name: str, options: dict[str, Any] | None = None) -> Any:
    from .vm import ItronVM

    return ItronVM(name, options)


def _policy(options: dict[str, Any] | None = None) -> Any:
    from .policy import ItronPolicy

    return ItronPolicy(options)


@hookimpl
def osvm_register_vms(register: Any) -> None:
    register("itron", _vm)


@hookimpl
def osvm_register_schedulers(register: Any) -> None:
    register("itron", _policy)


@hookimpl
def osvm_register_commands(cli: Any) -> None:
    from .cli import add_commands

    add_commands(cli)
