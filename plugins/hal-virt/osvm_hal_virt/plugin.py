"""Entry point of osvm-hal-virt: offers the virt board to osvm under the HAL name "virt".

Kept to one import of the small board module, so loading plugins stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from osvm_core.hookspecs import hookimpl
from osvm_hal_virt.board import VirtBoard


@hookimpl
def osvm_register_hals(register: Callable[..., Any]) -> None:
    register("virt", VirtBoard)
