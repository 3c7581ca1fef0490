"""Entry point of the ``osvm`` group: registers the ``mlfq`` policy (imported only when used)."""

from __future__ import annotations

from typing import Any

from osvm_core.hookspecs import hookimpl


@hookimpl
def osvm_register_schedulers(register: Any) -> None:
    def mlfq(options: dict[str, Any]) -> Any:
        from .policy import MultiLevelFeedbackQueue

        return MultiLevelFeedbackQueue(options)

    register("mlfq", mlfq)
