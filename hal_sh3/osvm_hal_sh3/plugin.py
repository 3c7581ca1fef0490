"""Entry point of osvm-hal-sh3: offers the SH-3 board to osvm under the HAL name "sh3".

The board module (and the CPU) load only when a system asks for the board.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from osvm_core.hookspecs import hookimpl


def _create(options: dict[str, Any] | None = None) -> Any:
    from .board import Sh3Board

    return Sh3Board(options)


@hookimpl
def osvm_register_hals(register: Callable[..., Any]) -> None:
    register("sh3", _create)
