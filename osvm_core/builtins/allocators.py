"""Built-in allocator: first-fit, the default placement of variable-size pools."""

from __future__ import annotations

from typing import Any

from ..hookspecs import hookimpl


@hookimpl
def osvm_register_allocators(register: Any) -> None:
    from ..memory.first_fit import FirstFit

    register(FirstFit.name, FirstFit)
