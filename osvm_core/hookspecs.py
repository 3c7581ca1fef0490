"""The extension points of osvm, as pluggy hook specifications.

Registration hooks hand a ``register(name, factory)`` callable to each plugin;
event hooks let observers and guards follow a running system. Call hooks with
keyword arguments only; an implementation may accept fewer arguments.
"""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("osvm")
hookimpl = pluggy.HookimplMarker("osvm")


# -- registration -----------------------------------------------------------
@hookspec
def osvm_register_hals(register: Any) -> None:
    """Register boards: ``register(name, factory)``; ``factory(options) -> Board``."""


@hookspec
def osvm_register_vms(register: Any) -> None:
    """Register VM personalities: ``register(kind, factory)``; ``factory(name, options) -> VM``."""


@hookspec
def osvm_register_schedulers(register: Any) -> None:
    """Register scheduling policies: ``register(name, factory)``; ``factory(options) -> SchedulingPolicy``."""


@hookspec
def osvm_register_allocators(register: Any) -> None:
    """Register variable-pool allocators: ``register(name, factory)``; ``factory(base, size, options)``."""


@hookspec
def osvm_register_commands(cli: Any) -> None:
    """Add click commands or groups to the ``osvm`` command group."""


# -- events: observers and guards --------------------------------------------
@hookspec
def osvm_booted(kernel: Any) -> None:
    """The system is composed and about to run its first task."""


@hookspec
def osvm_task_switched(kernel: Any, previous: Any, current: Any) -> None:
    """The processor passes from ``previous`` to ``current`` (either may be None: idle)."""


@hookspec
def osvm_interrupt(kernel: Any, line: Any, cycle: int) -> None:
    """Interrupt ``line`` (an InterruptLine) is taken at ``cycle``."""


@hookspec
def osvm_bind_requested(kernel: Any, importer: str, path: str, signature: str | None) -> str | None:
    """A VM asks to bind ``path``. Return a reason string to veto the bind, None to allow."""


@hookspec
def osvm_fault(kernel: Any, task: Any, error: Any) -> None:
    """``task`` ended with a guest fault ``error``."""


@hookspec
def osvm_halted(kernel: Any, reason: str) -> None:
    """The system stopped: 'finished', 'deadlock', 'max-cycles' or 'stopped'."""
