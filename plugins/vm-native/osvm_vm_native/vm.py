"""The native VM: SH-3 ELF programs as osvm modules, their functions run on the SH-3 CPU.

Stages, as in every VM: ``load`` decodes and checks the ELF (elf.py) and places
it in RAM (program.py), ``link`` receives the bindings of its imports, and
frames run as step machines. One CPU serves every native frame of the system;
a frame's registers live in its context and are loaded before, and saved
after, each run. A frame gets a stack block of its program's pool, R15 at its
top, PR at MAGIC_RETURN, and runs in user mode with SR.IMASK = 15 (interrupts
are the OS layer's business); the CPU's fast window and the bus's guard keep
it inside its memory (memory.py). TRAPA is a system call (syscalls.py), the
trap of an import stub, or a Linux system call; a fault ends the task with a
report (faults.py).

Cost model: one cycle per SH-3 instruction (the CPU's), a system call costs
its TRAPA plus what the kernel charges for the service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from osvm_core.errors import E_MACV, E_NOEXS, E_RSFN, GuestFault, OsvmError, ParameterError
from osvm_core.events import Call, Exited, Fault, Preempted, Returned
from osvm_core.kernel.wait import TMO_FEVR
from osvm_core.names.signature import Handle, parse_signature
from osvm_core.system.spec import parse_size
from osvm_core.vm import VM, Export, Import, Module
from osvm_hal_sh3.bus import RamWindow
from osvm_hal_sh3.cpu import StopKind

from . import abi
from .elf import read_program
from .faults import EXPEVT_READ, report
from .host import cpu_for
from .memory import AccessError, GuestMemory
from .program import Instance, Procedure, place
from .syscalls import (
    BY_NUMBER,
    EXIT,
    LINUX_EBADF,
    LINUX_EFAULT,
    LINUX_ENOSYS,
    LINUX_EXIT,
    LINUX_EXIT_GROUP,
    LINUX_TRAPS,
    LINUX_WRITE,
    TRAP_IMPORT,
)

M32 = 0xFFFFFFFF
#: PR of a frame's entry: returning there ends the frame (no code is ever at this P4 address).
MAGIC_RETURN = 0xFFFFFFF0
#: SR of native code: user mode, bank 0, interrupts masked (level 15).
USER_SR = 0x000000F0
DEFAULT_STACK = 32 << 10
DEFAULT_STACKS = 4
MIN_STACK = 1 << 10
_STACK_WAIT = "stack"
_LINUX_WRITE = "linux-write"


@dataclass(slots=True)
class NativeContext:
    """One frame: a function of an instance running on its own stack block."""

    procedure: Procedure
    args: tuple[Any, ...]
    regs: list[int] = field(default_factory=lambda: [0] * 16)
    pc: int = 0
    sr: int = USER_SR
    pr: int = MAGIC_RETURN
    gbr: int = 0
    mach: int = 0
    macl: int = 0
    stack: int | None = None
    window: RamWindow | None = None
    pending: Any = None          # what deliver/fail must do with the answer to the last Call
    failure: OsvmError | None = None


class NativeVM(VM):
    kind: ClassVar[str] = "native"
    suffixes: ClassVar[tuple[str, ...]] = (".elf",)

    def __init__(self, name: str, options: dict[str, Any] | None = None) -> None:
        super().__init__(name, options)
        unknown = sorted(set(self.options) - {"stack_size", "stacks"})
        if unknown:
            raise ParameterError(f"native VM '{name}': unknown options {unknown} (known: stack_size, stacks)")
        try:
            stack = parse_size(self.options.get("stack_size", DEFAULT_STACK))
        except ValueError as error:
            raise ParameterError(f"native VM '{name}': option stack_size: {error}") from None
        if stack < MIN_STACK:
            raise ParameterError(f"native VM '{name}': option stack_size must be at least {MIN_STACK} bytes")
        stacks = self.options.get("stacks", DEFAULT_STACKS)
        if isinstance(stacks, bool) or not isinstance(stacks, int) or not 1 <= stacks <= 256:
            raise ParameterError(f"native VM '{name}': option stacks must be an integer 1-256, got {stacks!r}")
        self.stack_size = (stack + 7) & ~7
        self.stack_count = stacks
        self._services: dict[int, tuple[Any, list[abi.Kind], abi.Kind | None]] = {}

    def attach(self, kernel: Any) -> None:
        super().attach(kernel)
        self.cpu, self.bus = cpu_for(kernel.board)
        self.memory = GuestMemory(kernel, self.name, self.cpu)
        self._ram = kernel.ram
        self._write_bytes = self._os("/os/console/write_bytes")

    def _os(self, path: str) -> Any:
        return self.kernel.bind(self.name, path, None)

    # -- loading --------------------------------------------------------------------------------

    def load(self, name: str, source: bytes, origin: str) -> Module:
        program = read_program(source, origin)
        exports = list(program.exports)
        if "main" in program.symbols and all(n != "main" for n, _ in exports):
            exports.append(("main", "func() -> s32"))
        plans = []
        for export_name, text in exports:
            signature = parse_signature(text)
            plans.append((export_name, signature, *abi.plan(signature, f"{origin}: export '{export_name}'")))
        imports = []
        for record, path, text in program.imports:
            signature = parse_signature(text)
            imports.append((record, path, text, *abi.plan(signature, f"{origin}: import {path}")))
        instance = place(self.kernel, self.cpu, self.name, name, origin, program, self.stack_size,
                         self.stack_count)
        self.memory.stack_pools.add(id(instance.pool))
        module = Module(name, origin, state=instance)
        for export_name, signature, params, result in plans:
            symbol = program.symbols[export_name]
            address = (symbol.address + instance.delta) & M32
            procedure = Procedure(instance, export_name, address, signature, params, result)
            module.exports.append(Export(export_name, str(signature), procedure, f"SH-3 function in {origin}"))
        for record, path, text, params, result in imports:
            address = (record + instance.delta) & M32
            instance.imports[address] = (None, params, result)
            module.imports.append(Import(path, text, address))
        self.modules[name] = module
        return module

    def link(self, module: Module, bindings: list[Any]) -> None:
        instance: Instance = module.state
        for declared, binding in zip(module.imports, bindings, strict=True):
            _, params, result = instance.imports[declared.slot]
            instance.imports[declared.slot] = (binding, params, result)

    def default_entry(self, module: Module) -> str:
        return "main"

    # -- frames ------------------------------------------------------------------------------

    def start(self, entry: Any, args: tuple[Any, ...]) -> NativeContext:
        procedure: Procedure = entry.procedure
        context = NativeContext(procedure, tuple(args))
        pool = procedure.instance.pool
        if not pool.queue:
            block = pool.pool.try_get()
            if block is not None:
                pool.holders[block] = self.name
                self._enter(context, block)
        return context

    def _enter(self, context: NativeContext, block: int) -> None:
        """Set the frame up on stack ``block``: arguments in R4-R7 and on the stack, PR = the magic return."""
        procedure = context.procedure
        instance = procedure.instance
        context.stack = block
        sp = block + instance.stack_size
        ram = self._ram
        limit = block + 256

        def push(data: bytes) -> int:
            nonlocal sp
            sp = (sp - len(data)) & ~3
            if sp < limit:
                raise ParameterError(f"arguments of {procedure.name} do not fit on its "
                                     f"{instance.stack_size}-byte stack")
            offset = sp - self.kernel.board.ram_base
            ram[offset:offset + len(data)] = data
            return sp

        words = abi.lower(procedure.params, context.args, push)
        extra = words[4:]
        if extra:
            push(b"".join(w.to_bytes(4, "little") for w in extra))
        regs = context.regs
        regs[4:4 + min(4, len(words))] = words[:4]
        regs[15] = sp
        context.pc = procedure.address
        context.window = self.bus.window_for(block, instance.end - block)
        context.args = ()

    def run(self, context: NativeContext, budget: int) -> Any:
        if context.window is None:
            if context.failure is not None:
                return Fault(0, GuestFault(f"{context.procedure.name} could not start: {context.failure}"))
            context.pending = _STACK_WAIT      # no free stack block: wait for one like any mpf user
            return Call(0, self._os("/os/mpf/get"), (Handle("mpf", context.procedure.instance.pool.id), TMO_FEVR))
        cpu = self.cpu
        cpu.r[:] = context.regs
        cpu.load_sr(context.sr)
        cpu.pc = context.pc
        cpu.pr = context.pr
        cpu.gbr = context.gbr
        cpu.mach = context.mach
        cpu.macl = context.macl
        window = context.window
        cpu.set_window(window)
        self.memory.enter(window)
        self.bus.guard = self.memory.guard
        used = 0
        try:
            while True:
                stop = cpu.run(budget - used)
                used += stop.used
                kind = stop.kind
                if kind is StopKind.BUDGET:
                    return Preempted(used)
                if kind is StopKind.TRAP:
                    event = self._trap(context, stop.code, used)
                    if event is not None:
                        return event
                    if used >= budget:
                        return Preempted(used)
                    continue
                if kind is StopKind.FAULT and stop.pc == MAGIC_RETURN and stop.code == EXPEVT_READ:
                    return self._returned(context, used)
                return Fault(used, report(stop, cpu, context.procedure.instance, context.window))
        finally:
            context.regs[:] = cpu.r
            context.sr = cpu.sr
            context.pc = cpu.pc
            context.pr = cpu.pr
            context.gbr = cpu.gbr
            context.mach = cpu.mach
            context.macl = cpu.macl

    def _returned(self, context: NativeContext, used: int) -> Any:
        procedure = context.procedure
        r = self.cpu.r
        try:
            value = abi.lift_result(procedure.result, r[0], r[1], lambda a, n: self._read(context, a, n))
        except (AccessError, OsvmError) as error:
            return Fault(used, GuestFault(f"{procedure.name} returned a bad {procedure.signature.result}: {error}",
                                          where=f"the return of {procedure.name} ({procedure.instance.origin})"))
        self._free_stack(context)
        return Returned(used, value)

    def _free_stack(self, context: NativeContext) -> None:
        if context.stack is not None:
            block, context.stack = context.stack, None
            context.window = None
            context.failure = GuestFault("frame ended")
            context.procedure.instance.pool.release(block)

    def deliver(self, context: NativeContext, value: Any) -> None:
        pending, context.pending = context.pending, None
        regs = context.regs
        if pending == _STACK_WAIT:
            context.procedure.instance.pool.holders[value] = self.name
            try:
                self._enter(context, value)
            except OsvmError as error:
                context.failure = error
                self._free_stack(context)
            return
        if pending is None:
            regs[0] = regs[1] = 0
            return
        if pending[0] == _LINUX_WRITE:
            regs[0] = pending[1]
            return
        result, out = pending
        if out is None:
            regs[0], regs[1] = abi.result_words(result, value)
            return
        try:
            data = abi.encode(value) if result.code == "any" else (
                value.encode("utf-8") if isinstance(value, str) else bytes(value))
            self._write(context, out[0], data[:out[1]])
        except AccessError:
            regs[0], regs[1] = E_MACV & M32, M32
            return
        except OsvmError as error:
            regs[0], regs[1] = error.code & M32, M32
            return
        regs[0], regs[1] = len(data), 0

    def fail(self, context: NativeContext, error: OsvmError) -> None:
        pending, context.pending = context.pending, None
        if pending == _STACK_WAIT:
            context.failure = error
            return
        code = -5 if pending and pending[0] == _LINUX_WRITE else error.code   # EIO for write()
        context.regs[0], context.regs[1] = code & M32, M32

    def discard(self, context: NativeContext) -> None:
        self._free_stack(context)

    def describe(self, context: NativeContext) -> str:
        return context.procedure.instance.where(context.pc)

    # -- traps -----------------------------------------------------------------------------------

    def _trap(self, context: NativeContext, code: int, used: int) -> Any:
        """A TRAPA: an event for the kernel, or None when answered in place (R0 set)."""
        r = self.cpu.r
        if code == TRAP_IMPORT:
            return self._import(context, used)
        call = BY_NUMBER.get(code)
        if call is EXIT:
            return Exited(used, _signed(r[4]))
        if call is not None:
            return self._syscall(context, code, used)
        if code in LINUX_TRAPS:
            return self._linux(context, used)
        r[0], r[1] = E_RSFN & M32, M32
        return None

    def _word_reader(self, context: NativeContext):
        r = self.cpu.r
        sp = r[15]

        def word(index: int) -> int:
            if index < 4:
                return r[4 + index]
            return int.from_bytes(self._read(context, sp + 4 * (index - 4), 4), "little")
        return word

    def _syscall(self, context: NativeContext, number: int, used: int) -> Any:
        service = self._services.get(number)
        if service is None:
            binding = self._os(BY_NUMBER[number].path)
            params, result = abi.plan(binding.entry.signature, binding.path, allow_any=True)
            service = self._services[number] = (binding, params, result)
        binding, params, result = service
        return self._call(context, binding, params, result, used, syscall=True)

    def _import(self, context: NativeContext, used: int) -> Any:
        found = context.procedure.instance.imports.get(self.cpu.r[0])
        if found is None or found[0] is None:
            self.cpu.r[0], self.cpu.r[1] = E_NOEXS & M32, M32
            return None
        binding, params, result = found
        return self._call(context, binding, params, result, used, syscall=False)

    def _call(self, context: NativeContext, binding: Any, params: list[abi.Kind], result: abi.Kind | None,
              used: int, syscall: bool) -> Any:
        word = self._word_reader(context)
        try:
            args = abi.lift(params, word, lambda a, n: self._read(context, a, n), zero_handle_is_int=syscall)
            out = None
            if result is not None and result.code in ("slice", "any"):
                count = sum(kind.words for kind in params)
                out = (word(count), word(count + 1))
        except AccessError:
            self.cpu.r[0], self.cpu.r[1] = E_MACV & M32, M32
            return None
        except OsvmError as error:
            self.cpu.r[0], self.cpu.r[1] = error.code & M32, M32
            return None
        context.pending = (result, out)
        return Call(used, binding, args)

    def _linux(self, context: NativeContext, used: int) -> Any:
        r = self.cpu.r
        number = r[3]
        if number in (LINUX_EXIT, LINUX_EXIT_GROUP):
            return Exited(used, _signed(r[4]) & 0xFF)
        if number == LINUX_WRITE:
            if r[4] not in (1, 2):
                r[0] = LINUX_EBADF & M32
                return None
            try:
                data = self._read(context, r[5], r[6])
            except AccessError:
                r[0] = LINUX_EFAULT & M32
                return None
            context.pending = (_LINUX_WRITE, r[6])
            return Call(used, self._write_bytes, (data,))
        r[0] = LINUX_ENOSYS & M32
        return None

    def _read(self, context: NativeContext, address: int, size: int) -> bytes:
        return self.memory.read(context.window, address, size)

    def _write(self, context: NativeContext, address: int, data: bytes) -> None:
        self.memory.write(context.window, address, data)


def _signed(word: int) -> int:
    return word - (1 << 32) if word >> 31 else word
