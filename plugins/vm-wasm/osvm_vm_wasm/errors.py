"""The four ways a WebAssembly module or call can fail, as the spec classifies them.

Each maps onto the OS error hierarchy so the kernel can report it with a μITRON
code: a malformed or invalid module is a bad parameter to ``load``, an
unlinkable one names an object that does not exist or does not match, and a
trap is a guest fault that ends the task.
"""

from __future__ import annotations

from osvm_core.errors import E_NOEXS, E_PAR, GuestFault, OsvmError


class WasmError(OsvmError):
    """Common base so callers can catch every engine error at once."""

    code = E_PAR

    def __init__(self, message: str) -> None:
        self.message = message
        #: where in the binary the problem was found (byte offset in the file), when known
        self.offset: int | None = None
        #: the function (index in the function index space) being decoded or checked, when known
        self.func: int | None = None
        super().__init__(message)

    def locate(self, offset: int | None = None, func: int | None = None) -> WasmError:
        """Record where the error was found unless a more precise place is already known."""
        if self.offset is None and offset is not None:
            self.offset = offset
        if self.func is None and func is not None:
            self.func = func
        return self

    def where(self) -> str:
        """``byte 0x1f4 in function 3`` or '' -- for messages that name the place."""
        parts = []
        if self.offset is not None:
            parts.append(f"byte {self.offset:#x}")
        if self.func is not None:
            parts.append(f"function {self.func}")
        return " in ".join(parts)


class LoadError(WasmError):
    """The binary is malformed (the decoder rejected it)."""


class ValidationError(WasmError):
    """The module decodes but breaks a typing or structural rule."""


class LinkError(WasmError):
    """Instantiation failed: missing or mismatched import, or a segment that does not fit."""

    code = E_NOEXS


class Trap(GuestFault):
    """A runtime trap; ``message`` is the spec's text (e.g. "integer divide by zero")."""

    def __init__(self, message: str, *, where: str = "") -> None:
        self.message = message
        super().__init__(message, where=where)


class Exhaustion(Trap):
    """The call stack limit was hit; a trap of its own kind so runners can tell it apart."""

    def __init__(self, message: str = "call stack exhausted", *, where: str = "") -> None:
        super().__init__(message, where=where)
