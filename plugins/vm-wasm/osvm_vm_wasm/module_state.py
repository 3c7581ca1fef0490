"""What the wasm VM keeps per loaded module: the decoded module, its instance, its exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .abi import Plan
from .context import InstanceLock
from .module import Module
from .runtime import Instance


@dataclass(eq=False)
class ExportProc:
    """The procedure of a published export (``Entry.procedure``)."""

    state: ModuleState
    name: str
    plan: Plan | None          # None: the synthetic ``_start`` of a module that only has a start function
    index: int | None          # function index
    post: int | None = None    # ``cabi_post_<name>``, called with the core results after lifting

    def __repr__(self) -> str:
        return f"<wasm export {self.state.name}.{self.name}>"


@dataclass(frozen=True, slots=True)
class ImportInfo:
    """One function import: where it leads and how its values cross."""

    module: str
    name: str
    func: int                  # index of the import in the function index space
    path: str                  # names-tree path ('' for WASI and VM-internal imports)

    @property
    def key(self) -> str:
        return f"{self.module}.{self.name}"


@dataclass(eq=False)
class ModuleState:
    name: str
    origin: str
    module: Module
    signatures: dict[str, str] = field(default_factory=dict)   # export name -> signature text (overrides)
    imports: list[ImportInfo] = field(default_factory=list)    # bound through the names tree
    instance: Instance | None = None
    lock: InstanceLock = field(default_factory=InstanceLock)
    init: list[int] = field(default_factory=list)   # start function, then _initialize
    initialised: bool = False
    alloc: tuple[str, int] | None = None             # ("cabi_realloc" | "alloc", function index)
    handles_errors: bool = False                     # imports osvm.last_error
    extra: dict[str, Any] = field(default_factory=dict)

    def where(self, func: int | None, offset: int | None) -> str:
        """``crc.wasm func 3 <crc32> at byte 0x1b4`` for fault reports."""
        text = self.origin
        if func is not None:
            text += " " + self.module.func_name(func)
        if offset is not None and offset >= 0:
            text += f" at byte {offset:#x}"
        return text
