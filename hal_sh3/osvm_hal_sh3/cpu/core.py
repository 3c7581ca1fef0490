"""The SH-3 CPU as a step machine: ``run(budget)`` executes until the budget is spent or something
the host must see happens (TRAPA, SLEEP, a fault, an exception or interrupt taken).

Cost model: one cycle per instruction (a delay slot counts as its own
instruction; exception and interrupt entry cost nothing). A delayed branch and
its slot run as one indivisible pair, so ``used`` may exceed the budget by one.

Execution: code is translated to Python functions and cached by address
(`cache`). Cold code runs one *unit* (instruction) at a time; an address that
is entered often enough gets a whole basic block compiled, which the loop uses
whenever the remaining budget covers the block, so the budget stays exact.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from ..bus import Bus, BusError, RamWindow
from .cache import CodeCache, Entry
from .exceptions import (
    VECTOR_INTERRUPT,
    AddressError,
    BlockExit,
    CpuException,
    IllegalInstruction,
    SleepSignal,
    SlotIllegal,
    Trap,
    enter_exception,
)
from .ops_arith import do_mac_l, do_mac_w
from .state import RESET_PC, SR_BL, SR_MASK_SH3, SR_RESET, CpuState


class StopKind(Enum):
    """Why ``run`` returned."""

    BUDGET = "budget"        # the budget is spent; run again to continue
    TRAP = "trap"            # TRAPA in host mode: PC is after it, ``code`` is #imm; service, then run
    SLEEP = "sleep"          # SLEEP: waiting at the SLEEP for an interrupt (run again re-executes it)
    FAULT = "fault"          # an exception the host must handle; PC is at the faulting instruction
    EXCEPTION = "exception"  # an exception was entered through VBR; PC is at the handler
    INTERRUPT = "interrupt"  # an interrupt was accepted through VBR+0x600; PC is at the handler


@dataclass(frozen=True, slots=True)
class StopReason:
    """What ``run`` reports: the kind, cycles used, the PC to resume at, and details."""

    kind: StopKind
    used: int
    pc: int
    code: int = 0               # EXPEVT (FAULT, EXCEPTION), INTEVT (INTERRUPT), #imm (TRAP)
    address: int | None = None  # the bad address of an address error (also in ``cpu.tea``)
    message: str = ""


@dataclass(frozen=True)
class CpuConfig:
    """How the CPU meets the host.

    * ``trapa``: "vector" takes TRAPA through VBR+0x100 (TRA = imm << 2,
      EXPEVT 0x160) like the hardware; "host" stops with ``StopKind.TRAP``
      so the OS services the call and resumes.
    * ``faults``: "vector" enters other exceptions through VBR; "host" stops
      with ``StopKind.FAULT`` and leaves the state as before the instruction.
    * ``check_alignment`` / ``check_privilege``: raise address errors on
      misaligned accesses and illegal-instruction exceptions for privileged
      instructions in user mode (off only to replay recorded vectors that
      ignore both).
    * ``sr_mask``: SR bits that exist (SH-3: 0x700003F3).
    * ``blocks``: translate hot basic blocks (False: the unit interpreter only);
      ``max_block`` instructions at most per block; ``hot``: entries into an
      address before its block is compiled.
    """

    trapa: Literal["vector", "host"] = "vector"
    faults: Literal["vector", "host"] = "vector"
    check_alignment: bool = True
    check_privilege: bool = True
    sr_mask: int = SR_MASK_SH3
    blocks: bool = True
    max_block: int = 64
    hot: int = 2


class SH3CPU(CpuState):
    """An SH-3 (SH7708 family) integer core on a `Bus`.

    The board presents interrupts with ``set_interrupt(level, intevt)``, maps
    ``expevt``/``intevt``/``tra``/``tea`` to its CCN registers, and calls
    ``invalidate`` when it writes code behind the CPU's back.
    """

    __slots__ = ("bus", "config", "fault_index", "sleeping", "_sleep_pc", "_cache", "instructions")

    def __init__(self, bus: Bus, config: CpuConfig | None = None) -> None:
        self.config = config = config or CpuConfig()
        super().__init__(config.sr_mask)
        self.bus = bus
        self.fault_index = 0
        self.sleeping = False
        self._sleep_pc = 0
        self.instructions = 0  # instructions (= cycles) executed since construction
        namespace = {
            "__builtins__": builtins,
            "rd8": bus.read8, "rd16": bus.read16, "rd32": bus.read32,
            "wr8": bus.write8, "wr16": bus.write16, "wr32": bus.write32,
            "AE": AddressError, "ILL": IllegalInstruction, "SLOT": SlotIllegal, "TRAP": Trap,
            "SLEEP": SleepSignal, "CW": BlockExit, "mac_l": do_mac_l, "mac_w": do_mac_w,
        }
        window = getattr(bus, "window", None)
        if window is not None:
            namespace.update(RB=window.base, RE=window.base + window.size,
                             m8=window.m8, m16=window.m16, m32=window.m32)
        self._cache = CodeCache(bus.fetch16, namespace, max_block=config.max_block,
                                check_alignment=config.check_alignment,
                                check_privilege=config.check_privilege, window=window is not None)
        namespace["cp"] = self._cache.pages
        namespace["inv"] = self._cache.invalidate

    # -- host interface ----------------------------------------------------------

    def reset(self) -> None:
        """Power-on reset: PC = 0xA0000000, SR = MD|RB|BL|IMASK=15, VBR = 0."""
        if not self.srx & 0x20000000:
            self._swap_banks()  # the reset value has RB = 1: keep r = the active bank
        self.load_sr(SR_RESET)
        self.pc = RESET_PC
        self.vbr = 0
        self.expevt = 0
        self.sleeping = False

    def invalidate(self, address: int, size: int = 1) -> None:
        """Drop translations of ``[address, address + size)``: call after writing code from the host."""
        self._cache.invalidate(address & 0xFFFFFFFF, size)

    def flush(self) -> None:
        """Drop every translation."""
        self._cache.flush()

    def set_window(self, window: RamWindow | None) -> None:
        """Point the direct RAM path of translated code at ``window`` (None: everything via the bus).

        Translations read the window's bounds and views as globals, so this acts
        at once on every cached translation, at no cost per access. The VM that
        runs user tasks narrows it to the running task's memory: an access
        outside then reaches the bus, which decides. Only a CPU built on a bus
        that offered a window has the direct path at all.
        """
        if not self._cache.window:
            raise ValueError("this CPU was built on a bus without a RAM window; it has no direct path")
        namespace = self._cache.namespace
        if window is None:
            namespace["RB"] = namespace["RE"] = 0
            return
        namespace["RB"] = window.base
        namespace["RE"] = window.base + window.size
        namespace["m8"] = window.m8
        namespace["m16"] = window.m16
        namespace["m32"] = window.m32

    def step(self) -> StopReason:
        """Run one instruction (a delayed branch runs together with its slot)."""
        return self.run(1)

    def run(self, budget: int) -> StopReason:
        """Execute for at most ``budget`` cycles (plus one if the last is a delayed branch)."""
        stop = self._run(budget)
        self.instructions += stop.used
        return stop

    # -- the loop (hot: dense on purpose) --------------------------------------------

    def _run(self, budget: int) -> StopReason:
        left = budget
        r = self.r
        cache = self._cache
        get = cache.blocks.get if self.config.blocks else cache.units.get
        cold = self._cold
        pc = self.pc
        if self.sleeping and not self.irq_ready:
            self.sleeping = False  # no wake-up: the SLEEP runs again
        e: Entry | None = None
        while True:
            try:
                while left > 0:
                    if self.irq_ready:
                        self.pc = pc
                        return self._take_interrupt(budget - left)
                    e = get(pc)
                    if e is None or e[1] > left:
                        e = cold(pc, left)
                    pc = e[0](r, self, pc)
                    left -= e[1]
                self.pc = pc
                return StopReason(StopKind.BUDGET, budget - left, pc)
            except BlockExit:
                done = self.fault_index + 1
                left -= done
                pc = (pc + 2 * done) & 0xFFFFFFFF
            except (CpuException, BusError, SleepSignal) as exc:
                assert e is not None
                return self._exception(exc, pc, e, budget, left)
            except BaseException:
                self.pc = pc
                raise

    def _cold(self, pc: int, left: int) -> Entry:
        """The entry for ``pc`` when the fast lookup missed or its block is longer than ``left``."""
        cache = self._cache
        if self.config.blocks:
            block = cache.blocks.get(pc)
            if block is None:
                heat = cache.heat.get(pc, 0) + 1
                cache.heat[pc] = heat
                if heat >= self.config.hot:
                    block = cache.block(pc)
            if block is not None and block[1] <= left:
                return block
        return cache.unit(pc)

    def _exception(self, exc: BaseException, start: int, entry: Entry, budget: int,
                   left: int) -> StopReason:
        """Place an exception raised by instruction ``fault_index`` of ``entry`` and report it."""
        k = self.fault_index
        at = (start + 2 * k) & 0xFFFFFFFF
        in_slot = entry[2] and k == entry[1] - 1
        if isinstance(exc, SleepSignal):
            left -= k + 1
            self.pc = self._sleep_pc = at
            self.sleeping = True
            return StopReason(StopKind.SLEEP, budget - left, at)
        if isinstance(exc, BusError):
            exc = AddressError(exc.address, exc.write, bus=True)
        assert isinstance(exc, CpuException)
        if isinstance(exc, Trap):
            left -= k + 1  # TRAPA completes; the exception follows it
            resume = (at + 2) & 0xFFFFFFFF
            if self.config.trapa == "host":
                self.pc = resume
                return StopReason(StopKind.TRAP, budget - left, resume, code=exc.imm,
                                  message=exc.describe())
            self.tra = exc.imm << 2
            return self._enter(exc, resume, budget - left, undo=at)
        left -= k
        if isinstance(exc, AddressError):
            self.tea = exc.address
        spc = (at - 2) & 0xFFFFFFFF if in_slot else at
        if self.config.faults == "host":
            self.pc = spc
            return StopReason(StopKind.FAULT, budget - left, spc, code=exc.code, address=exc.address,
                              message=exc.describe())
        return self._enter(exc, spc, budget - left, undo=spc)

    def _enter(self, exc: CpuException, spc: int, used: int, undo: int) -> StopReason:
        if self.srx & SR_BL:
            # An exception with SR.BL = 1 resets a real SH-3; report it instead.
            self.pc = undo
            return StopReason(StopKind.FAULT, used, undo, code=exc.code, address=exc.address,
                              message=f"{exc.describe()} while SR.BL = 1 (the hardware would reset)")
        enter_exception(self, exc.code, spc)
        return StopReason(StopKind.EXCEPTION, used, self.pc, code=exc.code, address=exc.address,
                          message=exc.describe())

    def _take_interrupt(self, used: int) -> StopReason:
        spc = self.pc
        if self.sleeping and spc == self._sleep_pc:
            spc = (spc + 2) & 0xFFFFFFFF  # woken from SLEEP: resume after it
        self.sleeping = False
        code = self.irq_code
        enter_exception(self, code, spc, VECTOR_INTERRUPT)
        return StopReason(StopKind.INTERRUPT, used, self.pc, code=code, message=f"level {self.irq_level}")

