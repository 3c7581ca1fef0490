"""Entry point of osvm-mem-bestfit: offers best-fit placement to osvm as the allocator "best-fit".

The allocator module is imported only when the hook runs, so listing plugins
(``osvm --help``, ``osvm plugins``) does not pay for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from osvm_core.hookspecs import hookimpl


@hookimpl
def osvm_register_allocators(register: Callable[..., Any]) -> None:
    from osvm_mem_bestfit.best_fit import BestFit

    register(BestFit.name, BestFit)
