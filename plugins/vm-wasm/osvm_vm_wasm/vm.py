"""The ``wasm`` VM personality: WebAssembly 1.0 modules as osvm modules and tasks.

``load`` decodes and validates a module and declares its function exports
(published at ``/mod/<vm>/<module>/<name>``, signatures derived from the
core types or declared, see ``abi.py``) and its function imports (paths in
the names tree, see ``imports.py``). ``link`` receives the bindings, checks
that each import's core type is the flattening of the bound entry's
signature, and instantiates the module with its linear memory in board RAM,
taken from the VM's heap.

A call of an export (a task's entry, or a call from another VM) is a
``WasmContext`` whose driver (``context.py``) runs guest ``Thread``s for a
budget of cycles: an imported function stops the thread with ``HostCall``,
which becomes a kernel ``Call``; the answer resumes the thread. Cost model:
the engine's, one cycle per executed (compact) instruction, plus what the
kernel charges for the calls the module makes (see the README).
"""

from __future__ import annotations

import struct
from collections.abc import Generator
from typing import Any, ClassVar

from osvm_core.errors import NoMemory, ObjectStateError, OsvmError, ParameterError, SignatureError
from osvm_core.events import Call, Exited, Fault, Preempted, Returned
from osvm_core.names.signature import Handle, Signature, parse_signature
from osvm_core.vm import VM, Export, Import, Module

from . import abi
from .abi import BUFFER, Plan, core_text, decode_buffer, derive, encode_buffer, lift_scalar, lower_scalar
from .context import (
    FREE,
    GRANTED,
    HANDOFF,
    HELD,
    WAITING,
    Failure,
    InstanceLock,
    KernelCall,
    ProcExit,
    Reply,
    WasmContext,
)
from .engine import load as decode_and_validate
from .errors import LinkError, LoadError, Trap, WasmError
from .exec import EXECUTORS, Finished, HostCall, Thread, Trapped, new_thread
from .exec.events import Preempted as ThreadPreempted
from .imports import LAST_ERROR, WASI_MODULE, import_path
from .module_state import ExportProc, ImportInfo, ModuleState
from .runtime import HostFunction, Store, instantiate
from .types import FUNC, I32, KIND_NAMES, FuncType
from .wasi import ENOSYS, FUNCTIONS, WasiHost

#: custom section holding export signatures: lines ``name = func(...)``
SIGNATURE_SECTION = "osvm.signatures"
#: exports that belong to the ABI, not to the module's interface (not published)
ABI_EXPORTS = ("cabi_realloc", "_initialize")
#: how deep host calls may nest inside one call (an allocator called while lowering a result...)
MAX_NESTING = 16
OPTIONS = ("imports", "signatures", "args", "max_call_depth", "executor")

_PAIR = struct.Struct("<II")
_NAME_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")


class WasmVM(VM):
    kind: ClassVar[str] = "wasm"
    suffixes: ClassVar[tuple[str, ...]] = (".wasm",)

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(name, options)
        self._check_options()
        depth = self.options.get("max_call_depth", 10_000)
        self.store = Store(max_call_depth=depth, allocate=self._allocate, release=self._release)
        self.states: dict[str, ModuleState] = {}
        self.wasi = WasiHost(self)
        self._os: dict[str, Any] = {}            # path -> Binding of the /os services the VM uses
        self._blocks: dict[int, int] = {}        # id(memory view) -> heap address
        self._no_memory: NoMemory | None = None

    def _check_options(self) -> None:
        options = self.options
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise ParameterError(f"wasm VM '{self.name}': unknown options {unknown} (known: {', '.join(OPTIONS)})")
        imports = options.setdefault("imports", {})
        if not isinstance(imports, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and v.startswith("/") for k, v in imports.items()):
            raise ParameterError(f"wasm VM '{self.name}': options.imports maps \"module.name\" to an "
                                 f"absolute path, e.g. {{ \"env.log\" = \"/mod/py/util/log\" }}")
        signatures = options.setdefault("signatures", {})
        if not isinstance(signatures, dict):
            raise ParameterError(f"wasm VM '{self.name}': options.signatures maps export names to signatures")
        for key, text in signatures.items():
            try:
                parse_signature(text)
            except (SignatureError, TypeError) as error:
                raise ParameterError(f"wasm VM '{self.name}': options.signatures[{key!r}]: {error}") from None
        args = options.get("args")
        if args is not None and (not isinstance(args, list) or not all(isinstance(a, str) for a in args)):
            raise ParameterError(f"wasm VM '{self.name}': options.args is a list of strings (the WASI argv)")
        depth = options.get("max_call_depth", 10_000)
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 1:
            raise ParameterError(f"wasm VM '{self.name}': options.max_call_depth must be a positive integer")
        if options.get("executor", "translate") not in EXECUTORS:
            raise ParameterError(f"wasm VM '{self.name}': options.executor is one of {', '.join(EXECUTORS)}")

    # -- linear memory in the VM's heap ------------------------------------------
    def _allocate(self, size: int) -> memoryview | None:
        if size == 0:
            return memoryview(bytearray())
        try:
            address = self.kernel.vm_allocate(self.name, size)
        except NoMemory as error:
            self._no_memory = error
            return None
        view = self.kernel.ram_view(address, size)
        view[:] = bytes(size)
        self._blocks[id(view)] = address
        return view

    def _release(self, view: Any) -> None:
        address = self._blocks.pop(id(view), None)
        if address is not None:
            self.kernel.vm_release(self.name, address)

    def os_binding(self, path: str) -> Any:
        """A binding of an OS service the VM itself uses (WASI, the instance lock)."""
        binding = self._os.get(path)
        if binding is None:
            binding = self._os[path] = self.kernel.bind(self.name, path, None)
        return binding

    # -- loading -------------------------------------------------------------------
    def load(self, name: str, source: bytes, origin: str) -> Module:
        try:
            wmod = decode_and_validate(source)
        except WasmError as error:
            what = "malformed" if isinstance(error, LoadError) else "invalid"
            where = error.where()
            raise type(error)(f"{origin}: {what} module: {error.message}"
                              + (f" (at {where})" if where else "")) from None
        state = ModuleState(name, origin, wmod)
        func_types = [wmod.types[i.desc] for i in wmod.imports if i.kind == FUNC]
        func_types += [wmod.types[f.type_index] for f in wmod.funcs]
        exported = {ex.name: ex.index for ex in wmod.exports if ex.kind == FUNC}

        if "cabi_realloc" in exported and func_types[exported["cabi_realloc"]] == FuncType((I32,) * 4, (I32,)):
            state.alloc = ("cabi_realloc", exported["cabi_realloc"])
        elif "alloc" in exported and func_types[exported["alloc"]] == FuncType((I32,), (I32,)):
            state.alloc = ("alloc", exported["alloc"])
        if wmod.start is not None:
            state.init.append(wmod.start)
        if "_initialize" in exported and func_types[exported["_initialize"]] == FuncType((), ()):
            state.init.append(exported["_initialize"])

        declared = self._section_signatures(wmod, origin)
        optional: set[str] = set()     # unqualified option keys may name exports of other modules
        for key, text in self.options["signatures"].items():
            target, _, export_name = key.rpartition("/")
            if not target or target == name:
                declared[export_name] = text
                if not target:
                    optional.add(export_name)
        module = Module(name, origin, state=state)
        for ex in wmod.exports:
            if ex.kind != FUNC or ex.name in ABI_EXPORTS or ex.name.startswith("cabi_post_"):
                continue
            if not ex.name or not set(ex.name) <= _NAME_OK or ex.name in (".", ".."):
                continue   # not a valid names-tree segment: reachable only inside the module
            ftype = func_types[ex.index]
            text = declared.pop(ex.name, None)
            signature = parse_signature(text) if text else derive(ftype)
            plan = self._export_plan(state, ex.name, signature, ftype)
            module.exports.append(Export(ex.name, str(signature),
                                         ExportProc(state, ex.name, plan, ex.index,
                                                    exported.get(f"cabi_post_{ex.name}")),
                                         doc=f"wasm {wmod.func_name(ex.index)}"))
        for export_name in declared:
            if export_name not in exported and export_name not in optional:
                raise SignatureError(f"{origin}: a signature is declared for '{export_name}', "
                                     f"which the module does not export")
        if wmod.start is not None and "_start" not in exported:
            # the start function runs before the first call; this entry runs only that
            module.exports.append(Export("_start", "func()", ExportProc(state, "_start", None, None),
                                         doc="runs the module's start function"))

        remap = self.options["imports"]
        func_index = 0
        for imp in wmod.imports:
            key = f"{imp.module}.{imp.name}"
            if imp.kind != FUNC:
                raise LinkError(f"{origin}: import {key} is a {KIND_NAMES[imp.kind]}; the wasm VM "
                                f"links function imports only (export the memory instead of importing it)")
            ftype = wmod.types[imp.desc]
            if imp.module == WASI_MODULE and key not in remap:
                known = FUNCTIONS.get(imp.name)
                if known is not None and known[0] != ftype:
                    raise LinkError(f"{origin}: import {key} has type {core_text(ftype)}, "
                                    f"WASI defines {core_text(known[0])}")
                state.imports.append(ImportInfo(imp.module, imp.name, func_index, ""))
            elif (imp.module, imp.name) == LAST_ERROR and key not in remap:
                if ftype != FuncType((), (I32,)):
                    raise LinkError(f"{origin}: import {key} must have type () -> (i32)")
                state.handles_errors = True
                state.imports.append(ImportInfo(imp.module, imp.name, func_index, ""))
            else:
                try:
                    path = import_path(imp.module, imp.name, remap)
                except LoadError as error:
                    raise LoadError(f"{origin}: {error.message}") from None
                info = ImportInfo(imp.module, imp.name, func_index, path)
                state.imports.append(info)
                module.imports.append(Import(path, None, slot=info))
            func_index += 1
        self.modules[name] = module
        self.states[name] = state
        return module

    @staticmethod
    def _section_signatures(wmod: Any, origin: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for cname, payload in wmod.customs:
            if cname != SIGNATURE_SECTION:
                continue
            try:
                text = payload.replace(b"\0", b"\n").decode("utf-8")
            except UnicodeDecodeError:
                raise LoadError(f"{origin}: custom section {SIGNATURE_SECTION} is not UTF-8 text") from None
            for line in text.splitlines():
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                name, sep, signature = line.partition("=")
                if not sep:
                    raise LoadError(f"{origin}: custom section {SIGNATURE_SECTION}: expected "
                                    f"'name = func(...)', got {line!r}")
                try:
                    parse_signature(signature.strip())
                except SignatureError as error:
                    raise SignatureError(f"{origin}: custom section {SIGNATURE_SECTION}: {error}") from None
                out[name.strip()] = signature.strip()
        return out

    @staticmethod
    def _export_plan(state: ModuleState, name: str, signature: Signature, ftype: FuncType) -> Plan:
        origin = state.origin
        try:
            plan = abi.plan(signature, "export")
        except SignatureError as error:
            raise SignatureError(f"{origin}: export {name} {signature}: {error}") from None
        if plan.core != ftype:
            raise SignatureError(f"{origin}: export {name}: {signature} needs the core type "
                                 f"{core_text(plan.core)}, the function has {core_text(ftype)}")
        if plan.needs_alloc and state.alloc is None:
            raise SignatureError(f"{origin}: export {name} {signature} takes a string, bytes or list<u8>: "
                                 f"the module must export cabi_realloc(i32, i32, i32, i32) -> i32 "
                                 f"or alloc(i32) -> i32")
        return plan

    def link(self, module: Module, bindings: list[Any]) -> None:
        self._check_signature_options()
        state: ModuleState = module.state
        wmod = state.module
        origin = state.origin
        bound = {id(imp.slot): binding for imp, binding in zip(module.imports, bindings, strict=True)}
        externs: list[HostFunction] = []
        func_imports = [imp for imp in wmod.imports if imp.kind == FUNC]
        for info, imp in zip(state.imports, func_imports, strict=True):
            ftype = wmod.types[imp.desc]
            if not info.path:
                tag = ("wasi", info.name) if info.module == WASI_MODULE else ("last_error",)
                externs.append(HostFunction(ftype, None, name=info.key, data=tag))
                continue
            binding = bound[id(info)]
            signature = binding.signature
            if signature is None:
                raise SignatureError(f"{origin}: import {info.key} is bound to {info.path}, a "
                                     f"{binding.entry.kind} without a signature: only procedures and "
                                     f"services can be imported")
            try:
                plan = abi.plan(signature, "import")
            except SignatureError as error:
                raise SignatureError(f"{origin}: import {info.key} ({info.path} {signature}): {error}") from None
            if plan.core != ftype:
                raise SignatureError(f"{origin}: import {info.key} is bound to {info.path} {signature}, "
                                     f"which needs the core type {core_text(plan.core)}; the module "
                                     f"declares {core_text(ftype)}")
            if plan.needs_alloc and state.alloc is None:
                raise SignatureError(f"{origin}: import {info.key} ({info.path} {signature}) returns a "
                                     f"buffer: the module must export cabi_realloc or alloc")
            externs.append(HostFunction(ftype, None, name=info.key, data=("os", info, binding, plan)))
        pending = iter(externs)
        self._no_memory = None
        try:
            state.instance = instantiate(wmod, lambda _m, _n: next(pending),
                                         memory_factory=self.store.new_memory)
        except LinkError as error:
            if self._no_memory is not None:
                raise NoMemory(f"{origin}: no room for its linear memory: {self._no_memory}") from None
            raise LinkError(f"{origin}: {error.message}") from None

    def _check_signature_options(self) -> None:
        """Every options.signatures key names an export of some module of this VM."""
        published = {(m.name, e.name) for m in self.modules.values() for e in m.exports}
        for key in self.options["signatures"]:
            target, _, export_name = key.rpartition("/")
            if not any(e == export_name and (not target or m == target) for m, e in published):
                raise ParameterError(f"wasm VM '{self.name}': options.signatures names '{key}', "
                                     f"which no module of the VM exports")

    def default_entry(self, module: Module) -> str:
        names = {export.name for export in module.exports}
        if "_start" in names:
            return "_start"
        return "main" if "main" in names else "_start"

    # -- execution ---------------------------------------------------------------
    def start(self, entry: Any, args: tuple[Any, ...]) -> WasmContext:
        proc: ExportProc = entry.procedure
        if proc.state.instance is None:
            raise ObjectStateError(f"{proc.state.origin} is not linked yet")
        ctx = WasmContext(proc.state, proc, tuple(args))
        ctx.driver = self._drive(ctx)
        return ctx

    def run(self, ctx: WasmContext, budget: int) -> Any:
        if ctx.lock != HELD:
            event = self._acquire(ctx)
            if event is not None:
                return event
        used = 0
        driver = ctx.driver
        while True:
            thread = ctx.thread
            if thread is not None:
                room = budget - used
                if room <= 0:
                    return Preempted(used)
                event = thread.run(room)
                used += event.used
                if type(event) is ThreadPreempted:
                    return Preempted(used)
                ctx.thread = None
                feed = event
            else:
                feed, ctx.feed = ctx.feed, None
            try:
                command = driver.send(feed)
            except StopIteration as stop:
                self._leave(ctx)
                return Returned(used, stop.value)
            except ProcExit as exit_:
                self._leave(ctx)
                return Exited(used, exit_.code)
            except OsvmError as error:
                self._leave(ctx)
                return Fault(used, error)
            if type(command) is KernelCall:
                return Call(used, command.binding, command.args)
            ctx.thread = command

    def deliver(self, ctx: WasmContext, value: Any) -> None:
        if ctx.lock == WAITING:
            ctx.lock = GRANTED
            return
        ctx.feed = Reply(value)

    def fail(self, ctx: WasmContext, error: OsvmError) -> None:
        if ctx.lock == WAITING:
            ctx.lock = FREE          # e.g. the wait was released: try again
            return
        ctx.feed = Failure(error)

    def discard(self, ctx: WasmContext) -> None:
        if ctx.driver is not None:
            ctx.driver.close()
        if ctx.lock == WAITING:
            ctx.lock = FREE          # the kernel took the task off the lock's queue
        self._leave(ctx)

    def describe(self, ctx: WasmContext) -> str:
        if ctx.threads:
            func, offset = ctx.threads[-1].location()
            return ctx.state.where(func, offset)
        return ctx.state.origin

    # -- the instance lock -------------------------------------------------------
    def _acquire(self, ctx: WasmContext) -> Any:
        lock: InstanceLock = ctx.state.lock
        task = self.kernel.current if self.kernel is not None else None
        if ctx.lock == GRANTED:
            lock.owner, lock.depth, ctx.lock = task, 1, HELD
            return None
        if lock.owner is None or lock.owner is task:
            lock.owner = task
            lock.depth += 1
            ctx.lock = HELD
            return None
        if lock.sem is None:
            lock.sem = self.kernel.create_semaphore(None, 0, 1, "fifo", owner=self.name)
        ctx.lock = WAITING
        return Call(0, self.os_binding("/os/sem/wait"), (Handle("sem", lock.sem.id), -1))

    def _leave(self, ctx: WasmContext) -> None:
        lock: InstanceLock = ctx.state.lock
        state, ctx.lock = ctx.lock, FREE
        if state == HELD:
            lock.depth -= 1
            if lock.depth > 0:
                return
        elif state != GRANTED:
            return
        lock.depth = 0
        if lock.sem is not None and lock.sem.queue:
            lock.owner = HANDOFF
            lock.sem.signal()        # the first waiter gets the instance
        else:
            lock.owner = None

    # -- the driver: one call, as host steps around guest threads -------------------
    def _drive(self, ctx: WasmContext) -> Generator[Any, Any, Any]:
        state = ctx.state
        inst = state.instance
        if not state.initialised:
            state.initialised = True
            for index in state.init:
                yield from self._guest(ctx, inst.funcs[index], ())
        proc = ctx.export
        plan = proc.plan
        if plan is None:
            return None
        raw: list[int] = []
        for slot, value in zip(plan.params, ctx.args, strict=True):
            if slot.kind == BUFFER:
                payload = encode_buffer(slot, value)
                address = yield from self._place(ctx, payload)
                raw += (address, len(payload))
            else:
                raw.append(lower_scalar(slot, value))
        results = yield from self._guest(ctx, inst.funcs[proc.index], raw)
        value = None
        result = plan.result
        if result is not None:
            if result.kind == BUFFER:
                address, size = _PAIR.unpack(abi.read(inst.memory, results[0], 8))
                value = decode_buffer(result, abi.read(inst.memory, address, size))
            else:
                value = lift_scalar(result, results[0])
        if proc.post is not None:
            yield from self._guest(ctx, inst.funcs[proc.post], results)
        return value

    def _guest(self, ctx: WasmContext, func: Any, args: Any) -> Generator[Any, Any, tuple[int, ...]]:
        """Run guest ``func(*args)`` to its end, serving its host calls; returns the raw results."""
        if ctx.nesting >= MAX_NESTING:
            raise Trap(f"host calls nested more than {MAX_NESTING} deep")
        thread = new_thread(func, tuple(args), max_depth=self.store.max_call_depth, inline_host=False,
                            executor=self.options.get("executor"))
        ctx.nesting += 1
        ctx.threads.append(thread)
        try:
            while True:
                event = yield thread
                kind = type(event)
                if kind is Finished:
                    return event.results
                if kind is Trapped:
                    raise self._located(ctx, thread, event.error)
                assert kind is HostCall
                try:
                    results = yield from self._host(ctx, event.func, event.args)
                except Trap as error:
                    raise self._located(ctx, thread, error) from None
                thread.resume(results)
        finally:
            ctx.threads.pop()
            ctx.nesting -= 1

    def _located(self, ctx: WasmContext, thread: Thread, trap: Trap) -> Trap:
        if trap.where:
            return trap
        func, offset = thread.location()
        located = type(trap)(trap.message, where=ctx.state.where(func, offset))
        trace = [ctx.state.module.func_name(f) + (f" at byte {o:#x}" if o is not None else "")
                 for f, o in thread.backtrace() if f is not None]
        located.detail = "wasm backtrace: " + "; ".join(trace) if trace else ""
        return located

    def _place(self, ctx: WasmContext, payload: bytes) -> Generator[Any, Any, int]:
        """Copy ``payload`` into memory the module allocates; its address."""
        if not payload:
            return 0
        state = ctx.state
        kind, index = state.alloc
        args = (0, 0, 1, len(payload)) if kind == "cabi_realloc" else (len(payload),)
        (address,) = yield from self._guest(ctx, state.instance.funcs[index], args)
        memory = state.instance.memory
        if address == 0:
            raise Trap(f"{kind}({len(payload)}) returned 0: the module is out of memory")
        if memory is None or address + len(payload) > len(memory.data):
            raise Trap(f"{kind}({len(payload)}) returned {address:#x}, outside linear memory")
        abi.write(memory, address, payload)
        return address

    def _host(self, ctx: WasmContext, func: HostFunction, args: tuple[int, ...]
              ) -> Generator[Any, Any, tuple[int, ...]]:
        tag = func.data
        if tag[0] == "wasi":
            if tag[1] not in FUNCTIONS:
                if func.type.results == (I32,):
                    return (ENOSYS,)
                raise Trap(f"WASI function {tag[1]} is not supported by this VM")
            return (yield from self.wasi.call(tag[1], ctx, args))
        if tag[0] == "last_error":
            return (ctx.last_error & 0xFFFFFFFF,)
        _, info, binding, plan = tag
        memory = ctx.state.instance.memory
        values = []
        i = 0
        for slot in plan.params:
            if slot.kind == BUFFER:
                values.append(decode_buffer(slot, abi.read(memory, args[i], args[i + 1])))
                i += 2
            else:
                values.append(lift_scalar(slot, args[i]))
                i += 1
        reply = yield KernelCall(binding, tuple(values))
        result = plan.result
        if isinstance(reply, Failure):
            if not ctx.state.handles_errors:
                raise Trap(f"call of {info.path} (import {info.key}) failed: {reply.error}")
            ctx.last_error = reply.error.code
            if result is None:
                return ()
            if result.kind == BUFFER:
                abi.write(memory, args[-1], _PAIR.pack(0, 0))
                return ()
            return (0,)
        ctx.last_error = 0
        if result is None:
            return ()
        if result.kind == BUFFER:
            payload = encode_buffer(result, reply.value)
            address = yield from self._place(ctx, payload)
            abi.write(memory, args[-1], _PAIR.pack(address, len(payload)))
            return ()
        return (lower_scalar(result, reply.value),)
