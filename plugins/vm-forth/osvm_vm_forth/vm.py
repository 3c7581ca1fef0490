"""The ``forth`` VM personality: a Machine in the VM's heap, modules, exports and imports.

A module is a Forth source file. Loading it reads its *declarations* — lines that
start with ``EXPORT name signature`` or ``IMPORT name /path signature`` — so the
system can publish and link before anything runs. The file itself is interpreted
by the first task that needs the module (like a class initialiser): a task
started on any of its exports first interprets the file, then calls the word.
Each module also has the entry ``_start`` that only interprets the file (what
``osvm exec forth FILE`` runs when the file declares no ``main``).

One module is initialised at a time per VM: a task that needs a module another
task is initialising waits on a semaphore of the module.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, ClassVar

from osvm_core.errors import GuestFault, OsvmError, ParameterError
from osvm_core.events import Call, Fault, Returned
from osvm_core.names.signature import Handle, HandleOf, ListOf, Prim, Signature, parse_signature
from osvm_core.names.tree import Entry, EntryKind, split_path
from osvm_core.vm import VM, Export, Import, Module

from . import layout as L
from .errors import ForthThrow
from .machine import Context, Machine, Source
from .memory import heap_memory
from .w_os import check_signature, push_value, strip_line_comment

OPTIONS = {
    "dictionary": "bytes of dictionary and data space (default: half the VM's memory, at most 1 MiB)",
    "stack_cells": "data stack depth of each context (default 1024)",
    "rstack_cells": "return stack depth of each context (default 1024)",
    "on_error": "after an error the outer interpreter 'exit's (status 1) or 'quit's: goes on with the "
                "next line (default: quit when reading the console, exit for files)",
    "eof_cycles": "cycles without console input that mean its end (default 1000)",
    "console": "name of the console's port (default 'console0')",
    "host_files": "whether INCLUDED may read host files (default true)",
}
START = "_start"


@dataclass(frozen=True)
class ExportRef:
    """What an exported entry's ``procedure`` holds: the module and the export's name."""

    module: ForthModule
    name: str


@dataclass(eq=False)
class ForthModule:
    name: str
    origin: str
    source: bytes
    exports: dict[str, str] = field(default_factory=dict)        # declared: name -> signature
    imports: list[tuple[str, str]] = field(default_factory=list)
    bindings: dict[tuple[str, str], Any] = field(default_factory=dict)
    export_xts: dict[str, int] = field(default_factory=dict)
    state: str = "new"              # new | running | done | failed
    owner: Any = None               # the task interpreting it
    waiters: int = 0
    semaphore: Any = None
    console: bool = False           # <stdin>: go on reading the console after the text


def _signature_key(text: str) -> str:
    return str(parse_signature(text))


# words after which the next name is not code (so "' EXPORT" or ": IMPORT" declare nothing)
_NAME_TAKERS = {"'", "[']", "CHAR", "[CHAR]", "POSTPONE", "[COMPILE]", ":", "CREATE", "VARIABLE",
                "CONSTANT", "VALUE", "DEFER", "TO", "IS", "MARKER"}
# words that parse text up to a closing character
_TEXT_WORDS = {'."': '"', 'S"': '"', 'C"': '"', 'ABORT"': '"', ".(": ")", "(": ")"}


def declarations(source: bytes) -> list[tuple[int, list[str]]]:
    """The EXPORT and IMPORT declarations of a Forth file: (line number, [keyword, fields..., signature]).

    A light scan of the text: comments and string literals are skipped, and a
    declaration runs to the end of its line (its signature is the rest of the line).
    """
    found: list[tuple[int, list[str]]] = []
    in_comment = False
    for number, raw in enumerate(source.split(b"\n"), 1):
        text = raw.decode("utf-8", "replace")
        i, n = 0, len(text)
        if in_comment:
            end = text.find(")")
            if end < 0:
                continue
            in_comment = False
            i = end + 1
        skip_name = False
        while i < n:
            while i < n and text[i] <= " ":
                i += 1
            start = i
            while i < n and text[i] > " ":
                i += 1
            token = text[start:i]
            if not token:
                break
            upper = token.upper()
            if skip_name:
                skip_name = False
                continue
            if upper == "\\":
                break
            if upper in _TEXT_WORDS:
                end = text.find(_TEXT_WORDS[upper], i + 1 if i < n else i)
                if end < 0:
                    in_comment = upper == "("
                    break
                i = end + 1
                continue
            if upper == 'S\\"':
                i += 1
                while i < n and text[i] != '"':
                    i += 2 if text[i] == "\\" else 1
                i += 1
                continue
            if upper in _NAME_TAKERS:
                skip_name = True
                continue
            if upper in ("EXPORT", "IMPORT"):
                fields = 2 if upper == "EXPORT" else 3
                parts = text[i:].split(None, fields - 1)
                if len(parts) < fields:
                    found.append((number, [upper, *parts]))
                else:
                    found.append((number, [upper, *parts[:-1], strip_line_comment(parts[-1])]))
                break
    return found


class ForthVM(VM):
    kind: ClassVar[str] = "forth"
    suffixes: ClassVar[tuple[str, ...]] = (".fth", ".fs", ".4th", ".fr")

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(name, options)
        unknown = sorted(set(self.options) - set(OPTIONS))
        if unknown:
            raise ParameterError(f"forth VM '{name}': unknown options {unknown} (known: {', '.join(OPTIONS)})")
        mode = self.options.get("on_error", "auto")
        if mode not in ("auto", "exit", "quit"):
            raise ParameterError(f"forth VM '{name}': option on_error must be 'exit' or 'quit', got {mode!r}")
        self.on_error = mode
        self.eof_cycles = int(self.options.get("eof_cycles", 1000))
        self.console_name = str(self.options.get("console", "console0"))
        self.host_files = bool(self.options.get("host_files", True))
        self.machine: Machine | None = None
        self._services: dict[str, Any] = {}

    # -- life cycle ---------------------------------------------------------------
    def attach(self, kernel: Any) -> None:
        super().attach(kernel)
        memory = heap_memory(kernel, self.name)
        size = self.options.get("dictionary")
        if size is None:
            size = min(memory.size // 2, 1 << 20)
        elif isinstance(size, str):
            from osvm_core.system.spec import parse_size

            size = parse_size(size)
        self.machine = Machine(memory, self, dictionary=int(size),
                               stack_cells=int(self.options.get("stack_cells", 1024)),
                               rstack_cells=int(self.options.get("rstack_cells", 1024)))

    def load(self, name: str, source: bytes, origin: str) -> Module:
        module = ForthModule(name, origin, bytes(source), console=origin == "<stdin>")
        result = Module(name, origin, state=module)
        result.exports.append(Export(START, "func() -> s32", ExportRef(module, START),
                                     "interpret the module's file"))
        for number, parts in declarations(module.source):
            where = f"{origin}:{number}"
            try:
                if parts[0] == "EXPORT":
                    if len(parts) < 3 or not parts[2]:
                        raise ParameterError("EXPORT needs a name and a signature")
                    export_name, signature = parts[1], parts[2]
                    split_path("/" + export_name)
                    if export_name == START or export_name in module.exports:
                        raise ParameterError(f"export {export_name!r} is declared twice (or reserved)")
                    check_signature(signature)
                    module.exports[export_name] = signature
                    result.exports.append(Export(export_name, signature, ExportRef(module, export_name)))
                else:
                    if len(parts) < 4 or not parts[3]:
                        raise ParameterError("IMPORT needs a name, a path and a signature")
                    path, signature = parts[2], parts[3]
                    check_signature(signature)
                    module.imports.append((path, _signature_key(signature)))
                    result.imports.append(Import(path, signature, (path, _signature_key(signature))))
            except OsvmError as error:
                raise ParameterError(f"{where}: {error}") from None
        module.semaphore = self.kernel.create_semaphore(None, 0, 1 << 30, "fifo", owner=self.name) \
            if self.kernel is not None else None
        self.modules[name] = result
        return result

    def link(self, module: Module, bindings: list[Any]) -> None:
        state: ForthModule = module.state
        for declared, binding in zip(module.imports, bindings, strict=True):
            state.bindings[declared.slot] = binding

    def default_entry(self, module: Module) -> str:
        return "main" if "main" in module.state.exports else START

    # -- the host interface the machine uses -------------------------------------
    def service(self, path: str) -> Any:
        binding = self._services.get(path)
        if binding is None:
            binding = self._services[path] = self.kernel.bind(self.name, path, None)
        return binding

    def bind(self, path: str, signature: str) -> Any:
        return self.kernel.bind(self.name, path, signature or None)

    def declared_binding(self, ctx: Context, path: str, signature: str) -> Any:
        module = ctx.module
        if module is None:
            return None
        try:
            return module.bindings.get((path, _signature_key(signature)))
        except OsvmError:
            return None

    def console_port(self) -> Handle | None:
        try:
            port = self.kernel.objects.get("port", self.console_name)
        except OsvmError:
            return None
        return Handle("port", port.id)

    def read_file(self, path: str) -> bytes:
        if not self.host_files:
            raise ForthThrow(-21, f"host files are disabled for VM '{self.name}'")
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as error:
            raise ForthThrow(-38, f"{path}: {error.strerror}") from None

    def export(self, ctx: Context, name: str, signature: str, xt: int) -> None:
        module: ForthModule | None = ctx.module
        if module is None:
            raise ForthThrow(-21, "EXPORT works while a module's file is interpreted")
        declared = module.exports.get(name)
        if declared is not None:
            if _signature_key(declared) != _signature_key(signature):
                raise ForthThrow(-21, f"EXPORT {name}: signature differs from the declaration")
        else:                                   # not seen when loading (e.g. typed): publish now
            try:
                split_path("/" + name)
                self.kernel.publish(Entry(path=f"/mod/{self.name}/{module.name}/{name}",
                                          kind=EntryKind.PROCEDURE, signature=parse_signature(signature),
                                          owner=self.name, procedure=ExportRef(module, name)), replace=True)
            except OsvmError as error:
                raise ForthThrow(-21, str(error)) from None
            module.exports[name] = signature
        module.export_xts[name] = xt

    # -- execution ----------------------------------------------------------------
    def _mode(self, module: ForthModule) -> str:
        if self.on_error != "auto":
            return self.on_error
        return "quit" if module.console else "exit"

    def start(self, entry: Any, args: tuple[Any, ...]) -> Context:
        ref: ExportRef = entry.procedure
        module = ref.module
        m = self.machine
        ctx = m.new_context(f"{module.name}/{ref.name}")
        ctx.on_error_mode = self._mode(module)
        ctx.steps.append(self._init_step(module))
        if ref.name == START:
            if module.console:
                ctx.steps.append(self._console_step(module))
            ctx.final = lambda machine, context: Returned(0, context.exit_code)
        else:
            signature = entry.signature
            ctx.steps.append(self._call_step(module, ref.name, signature, args))
            ctx.final = lambda machine, context: self._result(context, signature, ref.name)
        m.start(ctx, m.xts["(halt)"])
        return ctx

    def _init_step(self, module: ForthModule) -> Any:
        def init(m: Machine, ctx: Context) -> Any:
            if module.state == "done":
                return None
            if module.state == "failed":
                return Fault(0, GuestFault(f"module {module.name} ({module.origin}) failed to load"))
            task = self.kernel.current if self.kernel is not None else None
            if module.state == "running":
                if module.owner is task:
                    return None         # a call back into a module this task is loading
                ctx.steps.insert(0, init)
                module.waiters += 1
                m.redo(ctx)
                ctx.on_result = None
                ctx.on_error = None
                return Call(0, self.service("/os/sem/wait"), (Handle("sem", module.semaphore.id), -1))
            module.state = "running"
            module.owner = task
            ctx.init_of = module  # type: ignore[attr-defined]
            ctx.steps.insert(0, self._finish_step(module))
            ctx.module = module
            directory = os.path.dirname(os.path.abspath(module.origin)) if not module.console else os.getcwd()
            source = m.text_source("module", module.origin, module.source, directory)
            m.attach_buffer(ctx, source)
            m.push_source(ctx, source)
            m.start(ctx, m.xts["(top)"])
            return None
        return init

    def _finish_step(self, module: ForthModule) -> Any:
        def finish(m: Machine, ctx: Context) -> Any:
            module.state = "done"
            module.owner = None
            self._wake(module)
            missing = [name for name in module.exports if name not in module.export_xts]
            if missing:
                return Fault(0, GuestFault(f"{module.origin}: declared export {missing[0]!r} was never "
                                           f"defined (its EXPORT line did not run)"))
            return None
        return finish

    def _wake(self, module: ForthModule) -> None:
        while module.waiters:
            module.waiters -= 1
            module.semaphore.signal()

    def _console_step(self, module: ForthModule) -> Any:
        def console(m: Machine, ctx: Context) -> Any:
            m.push_source(ctx, Source(kind="console", name="<stdin>", id=0))
            m.set_user(ctx, L.U_SRC_LEN, 0)
            m.start(ctx, m.xts["(top)"])
            return None
        return console

    def _call_step(self, module: ForthModule, name: str, signature: Signature | None,
                   args: tuple[Any, ...]) -> Any:
        def call(m: Machine, ctx: Context) -> Any:
            xt = module.export_xts.get(name)
            if xt is None:
                return Fault(0, GuestFault(f"{module.origin}: export {name!r} is not defined"))
            ctx.sp = ctx.s_empty
            ctx.module = module
            params = signature.params if signature is not None else ()
            for param, value in zip(params, args, strict=False):
                self._push_arg(m, ctx, param.type, value)
            m.start(ctx, xt)
            return None
        return call

    def _push_arg(self, m: Machine, ctx: Context, t: Any, value: Any) -> None:
        if isinstance(value, str | bytes | bytearray) or (isinstance(t, ListOf) and isinstance(value, list)):
            data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
            address = m.memory.allocate(len(data) + 1)
            ctx.blocks.append(address)
            m.bytes[address:address + len(data)] = data
            m.push(ctx, address)
            m.push(ctx, len(data))
        else:
            push_value(m, ctx, t, value)

    def _result(self, ctx: Context, signature: Signature | None, name: str) -> Any:
        t = signature.result if signature is not None else None
        if t is None:
            return Returned(0, None)
        m = self.machine
        try:
            value = self._pop_value(m, ctx, t)
        except ForthThrow:
            return Fault(0, GuestFault(f"export {name} left no result on the stack ({signature})"))
        return Returned(0, value)

    @staticmethod
    def _pop_value(m: Machine, ctx: Context, t: Any) -> Any:
        if isinstance(t, HandleOf):
            return Handle(t.kind, m.pop(ctx))
        if isinstance(t, ListOf):
            return list(m.pop_string(ctx))
        name = t.name if isinstance(t, Prim) else "any"
        if name in ("s8", "s16", "s32", "any"):
            return m.spop(ctx)
        if name in ("u8", "u16", "u32"):
            return m.pop(ctx)
        if name == "s64":
            return m.pop_double(ctx)
        if name == "u64":
            return m.pop_double(ctx) & 0xFFFFFFFFFFFFFFFF
        if name == "bool":
            return bool(m.pop(ctx))
        if name == "string":
            return m.pop_string(ctx).decode("utf-8", "replace")
        return m.pop_string(ctx)

    def run(self, context: Context, budget: int) -> Any:
        return self.machine.run(context, budget)

    def deliver(self, context: Context, value: Any) -> None:
        self.machine.deliver(context, value)

    def fail(self, context: Context, error: OsvmError) -> None:
        self.machine.fail(context, error)

    def discard(self, context: Context) -> None:
        module = getattr(context, "init_of", None)
        if module is not None and module.state == "running":
            module.state = "failed"
            module.owner = None
            self._wake(module)
        self.machine.release_context(context)

    def describe(self, context: Context) -> str:
        return self.machine.describe(context)
