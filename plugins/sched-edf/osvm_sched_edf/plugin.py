"""Entry point of the ``osvm`` group: registers the ``edf`` policy (imported only when used)."""

from __future__ import annotations

from typing import Any

from osvm_core.hookspecs import hookimpl


@hookimpl
def osvm_register_schedulers(register: Any) -> None:
    def edf(options: dict[str, Any]) -> Any:
        from .policy import EarliestDeadlineFirst

        return EarliestDeadlineFirst(options)

    register("edf", edf)
