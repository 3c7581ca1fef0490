"""Function instances: guest functions (code + owning instance) and host functions.

A host function either has a Python ``callable`` (run synchronously inside
the executor, e.g. the spec runner's ``spectest.print``) or not, in which case
calling it stops the executor with a ``HostCall`` event that the embedder
(the OS kernel) answers later with the results.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..types import FuncType

if TYPE_CHECKING:
    from ..module import Function
    from .instance import Instance


@dataclass(eq=False, slots=True)
class WasmFunction:
    type: FuncType
    instance: Instance
    code: Function
    index: int = 0
    translated: Any = None   # the generator function from exec.translate, once made


@dataclass(eq=False, slots=True)
class HostFunction:
    type: FuncType
    callable: Callable[..., Any] | None = None
    name: str = ""
    data: Any = field(default=None)   # the embedder's own tag (e.g. an OS Binding)


FuncInstance = WasmFunction | HostFunction
