"""The ``scheme`` VM: R7RS-small modules as osvm modules, run by the step machine.

``load`` reads and compiles a whole file (reader errors name line and column, syntax
errors the line), declares the module's exports (``define-export``) and imports
(``define-import``), and gives every module an entry ``main`` unless it defines one: the
implicit ``main`` runs the module's top level, so a plain R7RS program is a task entry.
A module's top level runs once, in the first task that enters the module (through any
entry), after the bodies of the libraries it imports; other tasks entering meanwhile wait.

Options (``[[vm]] options``): ``max_depth`` (continuation frames a task may hold; by
default the VM's memory limit divided by ``FRAME_BYTES``), ``library_path`` (folders to
search for ``.sld`` libraries), ``environment`` (variables for
``get-environment-variable``), ``epoch`` (seconds added to ``current-second``),
``console_timeout`` (cycles of silence that end console input).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from osvm_core.errors import GuestFault, OsvmError, ParameterError
from osvm_core.events import Call, Exited, Fault, Preempted, Returned
from osvm_core.names.signature import check_result
from osvm_core.vm import VM, Export, Module

from . import machine as M
from .bridge import lift, lower
from .compiler import Compiler, Unit
from .library import base_env, default_imports, define_library
from .machine import Context, HaltFrame, KernelRequest, NativeFrame, RaiseNode, Thunk
from .osvmlib import ExportRef, MainRef, SpawnRef, os_error, spawn_entry
from .primitives.ports import ConsoleBuffer
from .reader import Reader, ReadError
from .syntax import TopEnv, base_symbol, is_ident
from .values import ErrorObject, Pair, SchemeError

#: The program ``osvm exec scheme`` runs when it is given none.
REPL_PROGRAM = Path(__file__).with_name("repl.scm")
#: Bytes a continuation frame is taken to use, to turn the memory limit into a depth limit.
FRAME_BYTES = 128
#: Cycles a task entering a module that another task is still initialising waits between checks.
INIT_WAIT_CYCLES = 1_000
OPTIONS = ("max_depth", "library_path", "environment", "epoch", "console_timeout")
DEFAULT_ENVIRONMENT = {"PATH": "/usr/bin:/bin", "HOME": "/", "USER": "osvm", "LANG": "C.UTF-8"}


class LoadError(ParameterError):
    """A Scheme module could not be read or compiled; the message names file, line and column."""


class SchemeModule:
    """The VM's side of a loaded module: its code, environment and initialisation state."""

    def __init__(self, name: str, origin: str) -> None:
        self.name = name
        self.origin = origin
        self.exports: list[Export] = []
        self.imports: list[Any] = []
        self.body: Any = None
        self.top: TopEnv | None = None
        self.libraries: list[Any] = []
        self.state = "idle"
        self.owner: Any = None

    def __repr__(self) -> str:
        return f"SchemeModule({self.name})"


class SchemeVM(VM):
    kind: ClassVar[str] = "scheme"
    suffixes: ClassVar[tuple[str, ...]] = (".scm", ".ss", ".sld")

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(name, options)
        unknown = sorted(set(self.options) - set(OPTIONS))
        if unknown:
            raise ParameterError(f"scheme VM '{name}': unknown options {unknown} (known: {', '.join(OPTIONS)})")
        depth = self.options.get("max_depth")
        if depth is not None and (type(depth) is not int or depth < 100):
            raise ParameterError(f"scheme VM '{name}': options.max_depth must be an integer >= 100")
        paths = self.options.get("library_path", [])
        if isinstance(paths, str):
            paths = [paths]
        self.library_path: list[str] = list(paths)
        self.environ = dict(DEFAULT_ENVIRONMENT)
        self.environ.update({str(k): str(v) for k, v in dict(self.options.get("environment", {})).items()})
        self.epoch = float(self.options.get("epoch", 0))
        self.console_timeout = int(self.options.get("console_timeout", 10_000_000))
        self.libraries: dict[tuple[Any, ...], Any] = {}
        self.files: dict[str, bytes] = {}
        self.console_input = ConsoleBuffer()
        self.repl_env: Any = None
        self.clock_hz: int | None = None
        self.memory_limit: int | None = None
        self.max_depth = depth or 100_000
        self.base_dir = "."
        self._os: dict[str, Any] = {}
        self._console_handle: Any = None
        self._spawned = 0
        self.scheme_modules: dict[str, SchemeModule] = {}
        base_env()      # build the standard libraries now (once per process), not in the first task

    # -- life cycle ----------------------------------------------------------------
    def attach(self, kernel: Any) -> None:
        super().attach(kernel)
        heap = kernel.vm_heaps.get(self.name)
        if heap is not None:
            self.memory_limit = heap.size
            if self.options.get("max_depth") is None:
                self.max_depth = max(1_000, heap.size // FRAME_BYTES)

    def os_binding(self, path: str) -> Any:
        binding = self._os.get(path)
        if binding is None:
            binding = self._os[path] = self.kernel.bind(self.name, path, None)
        return binding

    def console_receive_request(self) -> tuple[Any, tuple[Any, ...]]:
        if self._console_handle is None:
            from osvm_core.names.signature import Handle
            port = self.kernel.objects.get("port", "console0")
            self._console_handle = Handle("port", port.id)
        return self.os_binding("/os/port/receive"), (self._console_handle, self.console_timeout)

    def publish_spawn(self, proc: Any) -> str:
        self._spawned += 1
        entry = spawn_entry(self, proc, self._spawned)
        self.kernel.publish(entry)
        return entry.path

    # -- loading -------------------------------------------------------------------
    def _read(self, source: bytes, origin: str) -> tuple[Reader, list[Any]]:
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError as e:
            raise LoadError(f"{origin}: not UTF-8 text (byte {e.start})") from None
        reader = Reader(text, origin)
        try:
            return reader, reader.read_all()
        except ReadError as e:
            raise LoadError(f"{e.origin}:{e.line}:{e.column}: read error: {e.message}") from None

    def load(self, name: str, source: bytes, origin: str) -> Module:
        if origin == "<stdin>" and not source.strip():
            # ``osvm exec scheme`` without a program: the read-eval-print loop on the console
            source = REPL_PROGRAM.read_bytes()
            origin = str(REPL_PROGRAM)
        elif origin and not origin.startswith("<"):
            self.base_dir = str(Path(origin).parent)
        reader, forms = self._read(source, origin)
        smod = SchemeModule(name, origin)
        unit = Unit(self, origin, smod)
        unit.add_reader(reader, forms)
        top = TopEnv(name, self)
        if not _has_import(forms):
            default_imports(top)
        compiler = Compiler(unit)
        try:
            code = compiler.comp_program(forms, top)
        except SchemeError as e:
            raise LoadError(_load_message(origin, e.payload)) from None
        except RecursionError:
            raise LoadError(f"{origin}: expressions nested too deeply") from None
        smod.body = compiler.node(code)
        smod.top = top
        smod.libraries = list(top.libraries)
        exports = list(smod.exports)
        if not any(e.name == "main" for e in exports):
            exports.append(Export("main", "func() -> s32", MainRef(smod), doc="run the module's top level"))
        module = Module(name, origin, exports=exports, imports=list(smod.imports), state=smod)
        self.modules[name] = module
        self.scheme_modules[name] = smod
        return module

    def load_library_file(self, path: Path) -> None:
        """Compile the define-library forms of an .sld file (found by an import)."""
        reader, forms = self._read(path.read_bytes(), str(path))
        unit = Unit(self, str(path))
        unit.add_reader(reader, forms)
        compiler = Compiler(unit)
        for form in forms:
            if type(form) is Pair and is_ident(form.car) and base_symbol(form.car).name == "define-library":
                try:
                    define_library(compiler, form)
                except SchemeError as e:
                    raise LoadError(_load_message(str(path), e.payload)) from None

    def link(self, module: Module, bindings: list[Any]) -> None:
        for declared, binding in zip(module.imports, bindings, strict=True):
            declared.slot.binding = binding

    def default_entry(self, module: Module) -> str:
        return "main"

    # -- starting frames -------------------------------------------------------------
    def start(self, entry: Any, args: tuple[Any, ...]) -> Context:
        ref = entry.procedure
        ctx = Context(self, None, HaltFrame(), max_depth=self.max_depth)
        ctx.entry = entry
        signature = entry.signature
        if type(ref) is MainRef:
            module = ref.module
            ctx.node = Thunk(lambda m: self._ensure(m, module, lambda m: _finish_with(m, 0)))
        elif type(ref) is ExportRef:
            module = ref.module
            lifted = [lift(a) for a in args]

            def call(m: Context) -> None:
                if not ref.cell.bound():
                    raise SchemeError(ErrorObject(f"export {ref.name} of {module.name} is not defined", []))
                M.apply_procedure(m, ref.cell.value, lifted)
            ctx.node = Thunk(lambda m: self._ensure(m, module, call))
        elif type(ref) is SpawnRef:
            ctx.node = Thunk(lambda m: M.apply_procedure(m, ref.proc, []))
        else:
            raise ParameterError(f"{entry.path} is not a procedure of this Scheme VM")
        ctx.finish = signature
        return ctx

    def _ensure(self, m: Context, module: SchemeModule, then: Any) -> None:
        """Run the bodies of ``module``'s libraries and of the module itself, once, then ``then``."""
        items = [*module.libraries, module]
        self._ensure_from(m, items, 0, then)

    def _ensure_from(self, m: Context, items: list[Any], i: int, then: Any) -> None:
        while i < len(items):
            item = items[i]
            if item.state == "ready" or (item.state == "running" and self._same_task(item.owner, m)):
                i += 1        # (a module may call its own exports while it initialises)
                continue
            if item.state == "failed":
                raise SchemeError(ErrorObject(f"{_item_name(item)} failed to initialise earlier", []))
            if item.state == "running":
                m.node = Thunk(lambda m, index=i: self._ensure_from(m, items, index, then))
                raise KernelRequest(self.os_binding("/os/task/delay"), (INIT_WAIT_CYCLES,), _no_value)
            item.state = "running"
            item.owner = m
            m.k = NativeFrame(self._initialised, (items, i, then), f"initialise {_item_name(item)}", m.k)
            m.env = None
            m.node = item.body
            return
        then(m)

    def _same_task(self, owner: Any, m: Context) -> bool:
        """Is ``owner`` (a context) a frame of the task that runs ``m``?"""
        if owner is m:
            return True
        task = self.kernel.current if self.kernel is not None else None
        return task is not None and any(frame.context is owner for frame in task.frames)

    def _initialised(self, m: Context, data: tuple[Any, ...]) -> None:
        items, i, then = data
        items[i].state = "ready"
        items[i].owner = None
        self._ensure_from(m, items, i + 1, then)

    # -- running ---------------------------------------------------------------------
    def run(self, ctx: Context, budget: int) -> Any:
        stashed = ctx.stashed
        if stashed is not None:
            ctx.stashed = None
            if type(stashed) is KernelRequest:
                return self._issue(ctx, stashed, 0)
            return stashed
        what, used, detail = M.run(ctx, budget)
        ctx.flush = False
        if what == "preempted":
            if ctx.out:
                return self._flush(ctx, used)
            return Preempted(used)
        if what == "call":
            if ctx.out:
                ctx.stashed = detail
                return self._flush(ctx, used)
            return self._issue(ctx, detail, used)
        self._abandon(ctx)
        if what == "finished":
            event: Any = self._returned(ctx, detail)
        elif what == "exit":
            event = Exited(0, detail)
        else:
            event = Fault(0, self._fault(detail))
        if ctx.out:
            ctx.stashed = event
            return self._flush(ctx, used)
        event.used = used
        return event

    def _returned(self, ctx: Context, value: Any) -> Any:
        signature = ctx.finish
        if signature is None or signature.result is None:
            return Returned(0, None)
        try:
            result = lower(signature.result, value, f"result of {ctx.entry.path}")
            check_result(signature, result, ctx.entry.path)
        except SchemeError as e:
            return Fault(0, GuestFault(M.describe_payload(e.payload)))
        except OsvmError as e:
            return Fault(0, GuestFault(str(e)))
        return Returned(0, result)

    def _fault(self, uncaught: Any) -> GuestFault:
        lines = [M.describe_payload(uncaught.payload)]
        trace = M.backtrace(uncaught.k, uncaught.src, uncaught.env)
        if trace:
            lines.append("Scheme backtrace (innermost first):")
            lines.extend(trace)
        return GuestFault("\n".join(lines))

    def _issue(self, ctx: Context, req: KernelRequest, used: int) -> Call:
        ctx.reply = req.reply
        ctx.failed = req.failed
        return Call(used, req.binding, req.args)

    def _flush(self, ctx: Context, used: int) -> Call:
        text = "".join(ctx.out)
        ctx.out = []
        ctx.reply = _no_value
        ctx.failed = None
        return Call(used, self.os_binding("/os/console/write"), (text,))

    def _abandon(self, ctx: Context) -> None:
        """The context is done: modules it was initialising can never finish."""
        for item in [*self.scheme_modules.values(), *self.libraries.values()]:
            if item.owner is ctx and item.state == "running":
                item.state = "failed"
                item.owner = None

    def deliver(self, ctx: Context, value: Any) -> None:
        reply = ctx.reply
        ctx.reply = None
        ctx.failed = None
        if reply is None:
            ctx.val = lift(value)
            ctx.node = None
            return
        try:
            reply(ctx, value)
        except SchemeError as e:            # the answer could not be taken: raise in Scheme
            ctx.node = RaiseNode(e.payload)
        except OsvmError as e:
            ctx.node = RaiseNode(os_error(e))

    def fail(self, ctx: Context, error: OsvmError) -> None:
        failed = ctx.failed
        ctx.reply = None
        ctx.failed = None
        if failed is not None:
            failed(ctx, error)
        else:
            ctx.node = RaiseNode(os_error(error))

    def discard(self, context: Context) -> None:
        self._abandon(context)

    def describe(self, context: Context) -> str:
        node = context.node
        src = getattr(node, "src", None)
        if src is None and context.k is not None:
            src = context.k.where()
        if not src:
            return ""
        name, origin, line = src
        return f"{origin}:{line} in {name or 'top level'}" if origin else (name or "")


def _no_value(m: Context, value: Any) -> None:
    """A reply that leaves the machine as it was (console writes, waits)."""


def _finish_with(m: Context, value: Any) -> None:
    m.val = value
    m.node = None


def _item_name(item: Any) -> str:
    name = item.name
    if isinstance(name, tuple):
        return "library (" + " ".join(str(p) for p in name) + ")"
    return f"module {name}"


def _has_import(forms: list[Any]) -> bool:
    for form in forms:
        if type(form) is Pair and is_ident(form.car) and base_symbol(form.car).name in ("import",):
            return True
    return False


def _load_message(origin: str, payload: Any) -> str:
    text = M.describe_payload(payload)
    if text.startswith(origin):
        return text
    return f"{origin}: {text}"

