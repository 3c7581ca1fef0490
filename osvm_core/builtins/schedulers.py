"""Built-in scheduling policies, registered like any third-party policy."""

from __future__ import annotations

from typing import Any

from ..hookspecs import hookimpl


@hookimpl
def osvm_register_schedulers(register: Any) -> None:
    from ..scheduling.fixed_priority import FixedPriority
    from ..scheduling.round_robin import RoundRobin

    register(RoundRobin.name, RoundRobin)
    register(FixedPriority.name, FixedPriority)
