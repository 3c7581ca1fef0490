"""The Python VM: runs generator-function tasks as step machines.

Cost model (documented in the README): each resume of a guest generator costs
``STEP_CYCLES``; ``yield work(n)`` costs ``n`` cycles and can be preempted in
the middle; a call of a plain (non-generator) export costs one step. System
calls cost what the kernel charges for them.

Guest code is trusted host Python: the VM keeps it preemptible and confines
its faults to its task, but it is not a sandbox against hostile code.
"""

from __future__ import annotations

import inspect
import traceback
from dataclasses import dataclass
from types import GeneratorType
from typing import Any, ClassVar

from osvm_core.errors import GuestFault, OsvmError, ParameterError
from osvm_core.events import Call, Fault, Preempted, Returned
from osvm_core.names.signature import Handle
from osvm_core.vm import VM, Export, Import, Module

from .guest import Bound, Request, Work, lift_handle
from .loader import load_source

#: Cycles charged for each resume of a guest generator (or one call of a plain function).
STEP_CYCLES = 10


@dataclass(slots=True)
class PyContext:
    """One frame: the generator (once started), its pending input and its remaining work."""

    function: Any
    args: tuple[Any, ...]
    generator: Any = None
    started: bool = False
    send: Any = None
    throw: BaseException | None = None
    work: int = 0
    origin: str = ""


def _guest_where(error: BaseException, origins: set[str]) -> str:
    """file:line (function) of the innermost traceback frame in a guest module of this VM."""
    where = ""
    for frame in traceback.extract_tb(error.__traceback__):
        if frame.filename in origins:
            where = f"{frame.filename}:{frame.lineno} in {frame.name}"
    return where


class PythonVM(VM):
    kind: ClassVar[str] = "python"
    suffixes: ClassVar[tuple[str, ...]] = (".py",)

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(name, options)
        if self.options:
            raise ParameterError(f"python VM '{name}': unknown options {sorted(self.options)}")
        self._os: dict[str, Any] = {}   # path -> Binding of the /os services used
        self.origins: set[str] = set()  # files of loaded modules: where guest code lives

    # -- loading ---------------------------------------------------------------
    def load(self, name: str, source: bytes, origin: str) -> Module:
        namespace, declaration = load_source(self.name, name, source, origin)
        self.origins.add(origin)
        module = Module(name, origin, state=namespace)
        for value in list(namespace.values()):
            mark = getattr(value, "__osvm_export__", None)
            if mark is None or getattr(value, "__module__", None) != namespace["__name__"]:
                continue
            export_name, signature = mark
            module.exports.append(Export(export_name, signature, value,
                                         (inspect.getdoc(value) or "").split("\n")[0]))
        for bound in declaration.imports:
            module.imports.append(Import(bound.path, bound.signature, bound))
        self.modules[name] = module
        return module

    def link(self, module: Module, bindings: list[Any]) -> None:
        for declared, binding in zip(module.imports, bindings, strict=True):
            declared.slot.binding = binding

    def default_entry(self, module: Module) -> str:
        return "main"

    # -- execution ---------------------------------------------------------------
    def start(self, entry: Any, args: tuple[Any, ...]) -> PyContext:
        origin = getattr(getattr(entry.procedure, "__code__", None), "co_filename", "")
        return PyContext(entry.procedure, tuple(self._lift(a) for a in args), origin=origin)

    def _binding(self, path: str) -> Any:
        binding = self._os.get(path)
        if binding is None:
            binding = self._os[path] = self.kernel.bind(self.name, path, None)
        return binding

    def run(self, context: PyContext, budget: int) -> Any:
        used = 0
        if not context.started:
            # calling a generator function only creates the generator: free; a plain function is a step
            context.started = True
            try:
                result = context.function(*context.args)
            except Exception as error:
                return Fault(STEP_CYCLES, self._fault(error, context))
            if type(result) is not GeneratorType:
                return Returned(STEP_CYCLES, result)
            context.generator = result
        generator = context.generator
        while True:
            if context.work:
                room = budget - used
                if context.work > room:
                    if room > 0:
                        context.work -= room
                        used = budget
                    return Preempted(used)
                used += context.work
                context.work = 0
            if used >= budget:
                return Preempted(used)
            used += STEP_CYCLES
            try:
                if context.throw is not None:
                    error, context.throw = context.throw, None
                    op = generator.throw(error)
                else:
                    value, context.send = context.send, None
                    op = generator.send(value)
            except StopIteration as stop:
                return Returned(used, stop.value)
            except Exception as error:
                return Fault(used, self._fault(error, context))
            kind = type(op)
            if kind is Work:
                context.work = op.cycles
                continue
            if kind is Request:
                binding = op.binding or self._binding(op.path)
                return Call(used, binding, op.args)
            if kind is Bound:
                return Fault(used, GuestFault(f"task yielded the entry {op.path} itself; "
                                              f"call it: yield entry(args...)", where=context.origin))
            return Fault(used, GuestFault(
                f"task yielded {op!r}; a task yields requests such as work(n), write(text) or sem.wait()",
                where=self.describe(context)))

    def _fault(self, error: BaseException, context: PyContext) -> OsvmError:
        if isinstance(error, OsvmError):
            if isinstance(error, GuestFault):
                return error
            fault = GuestFault(f"uncaught {error}", where=_guest_where(error, self.origins | {context.origin}))
            fault.code = error.code
            return fault
        return GuestFault(f"{type(error).__name__}: {error}", where=_guest_where(error, self.origins | {context.origin}))

    def _lift(self, value: Any) -> Any:
        """Universal value → guest value: handles become objects with methods."""
        if type(value) is Handle:
            if value.kind == "binding":
                binding = self.kernel.objects.get("binding", value)
                return Bound(binding.path, str(binding.signature) if binding.signature else None, binding)
            return lift_handle(value)
        return value

    def deliver(self, context: PyContext, value: Any) -> None:
        context.send = self._lift(value) if type(value) is Handle else value

    def fail(self, context: PyContext, error: OsvmError) -> None:
        context.throw = error

    def discard(self, context: PyContext) -> None:
        if context.generator is not None:
            context.generator.close()

    def describe(self, context: PyContext) -> str:
        generator = context.generator
        if generator is not None and generator.gi_frame is not None:
            frame = generator.gi_frame
            return f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"
        return context.origin
