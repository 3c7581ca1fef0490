"""The VM contract: what every execution environment (personality) implements.

One VM object exists per ``[[vm]]`` of a system file. A VM turns source into
modules (decode + validate), publishes their exports in the names tree, binds
their imports, and runs frames as *step machines*: ``run`` executes at most a
budget of cycles and returns an event (``osvm_core.events``); guest calls never
recurse in Python, so the kernel can preempt any VM after any instruction.

Values cross VM boundaries as *universal values* (plain Python values that
match a signature: int, float, bool, str, bytes, list, tuple, None, Handle);
each VM lifts and lowers them to its own representation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .events import Event

if TYPE_CHECKING:
    from .errors import OsvmError
    from .kernel.kernel import Kernel
    from .names.tree import Entry


@dataclass
class Export:
    """One thing a module offers: a name, its signature text, and the VM's handle for it."""

    name: str
    signature: str
    procedure: Any
    doc: str = ""


@dataclass
class Import:
    """One thing a module needs: a namespace path and the signature it expects there."""

    path: str
    signature: str
    slot: Any = None   # where the VM wants the resulting Binding (VM-specific)


@dataclass
class Module:
    """A loaded (decoded and validated) module, before and after linking."""

    name: str
    origin: str
    exports: list[Export] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    state: Any = None  # the VM's own representation


class VM:
    """Base class for VM personalities. Subclasses set ``kind`` and override the methods.

    The kernel calls, in order: ``attach`` once; ``load`` per module file; then
    ``link`` per module after every VM has loaded (so imports may point anywhere);
    then ``start``/``run``/``deliver``/``fail`` as tasks execute.
    """

    kind: ClassVar[str] = "abstract"
    #: File name suffixes ``osvm exec`` and system files map to this VM.
    suffixes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        self.name = name
        self.options = dict(options or {})
        self.kernel: Kernel | None = None
        self.modules: dict[str, Module] = {}
        self.cycles = 0   # cycles this VM executed, for any task (kept by the kernel)

    # -- life cycle -------------------------------------------------------
    def attach(self, kernel: Kernel) -> None:
        """Called once when the VM joins a kernel (before any load)."""
        self.kernel = kernel

    def load(self, name: str, source: bytes, origin: str) -> Module:
        """Parse and validate ``source``; declare exports and imports. Raise on bad input."""
        raise NotImplementedError

    def link(self, module: Module, bindings: list[Any]) -> None:
        """Receive one Binding per ``module.imports`` entry, in order."""

    def default_entry(self, module: Module) -> str:
        """The export ``osvm exec`` starts when none is named (e.g. ``main`` or ``_start``)."""
        return "main"

    # -- execution ---------------------------------------------------------
    def start(self, entry: Entry, args: tuple[Any, ...]) -> Any:
        """A new frame that will execute ``entry`` with universal ``args``; returns a context."""
        raise NotImplementedError

    def run(self, context: Any, budget: int) -> Event:
        """Run the frame for at most ``budget`` cycles (plus one instruction) and report."""
        raise NotImplementedError

    def deliver(self, context: Any, value: Any) -> None:
        """The result of the frame's last Call (a universal value)."""
        raise NotImplementedError

    def fail(self, context: Any, error: OsvmError) -> None:
        """The frame's last Call failed with ``error`` (the VM decides how the guest sees it)."""
        raise NotImplementedError

    def discard(self, context: Any) -> None:
        """The frame is dropped (task terminated); free what it holds."""

    def describe(self, context: Any) -> str:
        """Where the frame is (pc, line, word) for fault reports and traces."""
        return ""
