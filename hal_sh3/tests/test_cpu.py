"""Behaviour the single-step vectors cannot show: exceptions, interrupts, banks, the step machine."""

from __future__ import annotations

import pytest

from osvm_hal_sh3.bus import RamBus
from osvm_hal_sh3.cpu import SH3CPU, CpuConfig, StopKind
from osvm_hal_sh3.cpu.asm import assemble
from osvm_hal_sh3.cpu.state import SR_BL, SR_MD, SR_RB, SR_S

BASE = 0x8C000000
VBR = BASE + 0x4000
SIZE = 0x10000
MODES = {"units": dict(blocks=False), "blocks": dict(blocks=True, hot=1)}


def machine(source: str, sr: int = SR_MD, mode: str = "units", **config) -> tuple[SH3CPU, RamBus]:
    """RAM at BASE with ``source`` assembled there, VBR at BASE+0x4000, stack at the top."""
    bus = RamBus(BASE, SIZE)
    bus.load(BASE, assemble(source, BASE))
    cpu = SH3CPU(bus, CpuConfig(**{**MODES[mode], **config}))
    cpu.load_sr(sr)
    cpu.pc = BASE
    cpu.vbr = VBR
    cpu.r[15] = BASE + SIZE
    return cpu, bus


def handler(bus: RamBus, offset: int, source: str) -> None:
    bus.load(VBR + offset, assemble(source, VBR + offset))


@pytest.fixture(params=list(MODES))
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


# -- delay slots -------------------------------------------------------------------------

def test_delayed_branches_run_their_slot(mode: str) -> None:
    cpu, _ = machine("""
        mov #1,r0
        bsr sub
        add #1,r0          ; slot: runs before sub
        bra end
        add #10,r0         ; slot
        add #100,r0        ; skipped
    sub: rts
        add #2,r1          ; slot of rts
    end: trapa #1
    """, mode=mode, trapa="host")
    stop = cpu.run(100)
    assert stop.kind is StopKind.TRAP and stop.code == 1
    assert cpu.r[0] == 12 and cpu.r[1] == 2
    assert cpu.pr == BASE + 6
    assert stop.used == 8  # mov, bsr, add, rts, add, bra, add, trapa


def test_bt_s_samples_t_before_its_slot(mode: str) -> None:
    cpu, _ = machine("""
        sett
        bt/s taken
        clrt               ; slot clears T, the branch is still taken
        mov #1,r0
    taken: trapa #0
    """, mode=mode, trapa="host")
    cpu.run(100)
    assert cpu.r[0] == 0 and cpu.t == 0


def test_budget_never_splits_a_branch_from_its_slot(mode: str) -> None:
    cpu, _ = machine("""
        nop
        bra target
        mov #7,r1          ; slot
        mov #9,r2
    target: mov #5,r3
    """, mode=mode)
    stop = cpu.run(2)  # the budget ends on the branch: its slot runs too
    assert stop.kind is StopKind.BUDGET and stop.used == 3
    assert cpu.r[1] == 7 and cpu.pc == BASE + 8
    stop = cpu.run(1)
    assert stop.used == 1 and cpu.r[3] == 5 and cpu.r[2] == 0


def test_budget_is_exact_inside_blocks() -> None:
    source = "\n".join(f"add #1,r{i % 8}" for i in range(40)) + f"\nbra {BASE:#x}\nnop"
    cpu, _ = machine(source, mode="blocks")
    used = [cpu.run(50).used for _ in range(6)]
    assert used == [50] * 6  # blocks of 42 run only when they fit; the rest goes unit by unit
    assert sum(cpu.r[0:8]) == 300 - 7 * 2  # 7 turns of bra + nop in 300 instructions
    assert cpu._cache.blocks


# -- exceptions ----------------------------------------------------------------------------

RTE_HANDLER = """
    stc spc,r8
    add #2,r8           ; skip the faulting instruction
    ldc r8,spc
    rte
    nop
"""


def test_slot_illegal_points_spc_at_the_branch(mode: str) -> None:
    cpu, bus = machine("""
        bra there
        bra there          ; a branch in a delay slot
    there: nop
    """, mode=mode)
    handler(bus, 0x100, "nop")
    stop = cpu.run(10)
    assert stop.kind is StopKind.EXCEPTION and stop.code == 0x1A0
    assert cpu.expevt == 0x1A0 and cpu.spc == BASE and cpu.pc == VBR + 0x100
    assert stop.used == 1  # the branch ran; it runs again after the handler


@pytest.mark.parametrize(("source", "code"), [(".word 0xFFFD", 0x180), ("bra 0x8c000010\n.word 0xFFFD", 0x1A0)])
def test_undefined_opcodes(source: str, code: int) -> None:
    cpu, _ = machine(source)
    stop = cpu.run(5)
    assert stop.kind is StopKind.EXCEPTION and cpu.expevt == code and cpu.spc == BASE


def test_privileged_instruction_in_user_mode(mode: str) -> None:
    cpu, _ = machine("ldc r0,sr", sr=0, mode=mode)
    stop = cpu.run(5)
    assert stop.kind is StopKind.EXCEPTION and stop.code == 0x180
    assert cpu.ssr == 0 and cpu.sr & (SR_MD | SR_RB | SR_BL) == SR_MD | SR_RB | SR_BL


def test_misaligned_read_and_write_are_address_errors(mode: str) -> None:
    cpu, bus = machine("""
        mov.l @r1+,r2      ; r1 is odd: address error (read), r1 unchanged
        mov.w r2,@r3       ; r3 is odd: address error (write)
        trapa #0
    """, mode=mode, trapa="host")
    handler(bus, 0x100, RTE_HANDLER)
    cpu.r[1] = BASE + 0x802
    cpu.r[3] = BASE + 0x901
    stop = cpu.run(100)
    assert stop.kind is StopKind.EXCEPTION and stop.code == 0x0E0 and stop.address == BASE + 0x802
    assert cpu.tea == BASE + 0x802 and cpu.spc == BASE and cpu.rbank[1] == BASE + 0x802  # bank 0 r1
    stop = cpu.run(100)
    assert stop.kind is StopKind.EXCEPTION and stop.code == 0x100 and cpu.tea == BASE + 0x901
    assert cpu.spc == BASE + 2
    assert cpu.run(100).kind is StopKind.TRAP


def test_address_error_in_a_slot_and_odd_jump_targets(mode: str) -> None:
    cpu, _ = machine("""
        jmp @r4
        mov.l @r1,r2       ; misaligned, in the slot
    """, mode=mode, faults="host")
    cpu.r[1] = BASE + 0x802
    cpu.r[4] = BASE + 0x101
    stop = cpu.run(10)
    assert stop.kind is StopKind.FAULT and stop.pc == BASE and stop.code == 0x0E0
    cpu.r[1] = BASE + 0x800
    stop = cpu.run(10)  # the jump goes to an odd address: instruction fetch address error
    assert stop.kind is StopKind.FAULT and stop.pc == BASE + 0x101 and stop.address == BASE + 0x101
    assert stop.used == 2


def test_bus_error_outside_ram_is_reported(mode: str) -> None:
    cpu, _ = machine("mov.l @r1,r2", mode=mode, faults="host")
    cpu.r[1] = 0x1000
    stop = cpu.run(10)
    assert stop.kind is StopKind.FAULT and stop.code == 0x0E0 and "bus error" in stop.message
    assert cpu.pc == BASE and cpu.r[2] == 0


def test_exception_with_bl_set_is_a_fault_not_a_vector() -> None:
    cpu, _ = machine(".word 0xFFFD", sr=SR_MD | SR_BL)
    stop = cpu.run(5)
    assert stop.kind is StopKind.FAULT and "BL" in stop.message and cpu.pc == BASE


# -- TRAPA -----------------------------------------------------------------------------------

def test_trapa_stops_for_the_host_and_resumes(mode: str) -> None:
    cpu, _ = machine("""
        mov #4,r4
        trapa #0x22        ; "system call": the host puts its result in r0
        add r0,r4
        trapa #0x23
    """, mode=mode, trapa="host")
    stop = cpu.run(100)
    assert (stop.kind, stop.code, stop.used, stop.pc) == (StopKind.TRAP, 0x22, 2, BASE + 4)
    cpu.r[0] = 38
    stop = cpu.run(100)
    assert (stop.kind, stop.code, stop.used) == (StopKind.TRAP, 0x23, 2)
    assert cpu.r[4] == 42 and cpu.sr & SR_MD and cpu.expevt == 0


def test_trapa_through_vbr(mode: str) -> None:
    cpu, bus = machine("""
        mov #5,r1
        trapa #0x30
        add #1,r1
        trapa #0x31
    """, mode=mode, trapa="vector")
    handler(bus, 0x100, """
        stc r1_bank,r2     ; the interrupted program's r1 (bank 0)
        add #10,r2
        ldc r2,r1_bank
        rte
        nop
    """)
    stop = cpu.run(100)
    assert stop.kind is StopKind.EXCEPTION and stop.code == 0x160
    assert cpu.tra == 0x30 << 2 and cpu.spc == BASE + 4 and cpu.ssr == SR_MD
    assert cpu.pc == VBR + 0x100 and cpu.sr & SR_RB
    stop = cpu.run(100)
    assert stop.kind is StopKind.EXCEPTION and cpu.tra == 0x31 << 2
    assert cpu.rbank[1] == 16  # 5 + 10 + 1, seen from bank 1


# -- interrupts ------------------------------------------------------------------------------------

def test_interrupt_entry_and_return(mode: str) -> None:
    cpu, bus = machine("""
        mov.l @(sr0,pc),r0
        ldc r0,sr          ; unmask: the pending interrupt is taken after this
        add #1,r1
        add #1,r1
        trapa #0
        .align 4
    sr0: .long 0x40000000
    """, mode=mode, trapa="host", sr=SR_MD | 0xF0)
    handler(bus, 0x600, "mov #99,r3\nrte\nnop")
    cpu.set_interrupt(5, 0x420)
    stop = cpu.run(100)
    assert stop.kind is StopKind.INTERRUPT and stop.code == 0x420 and stop.used == 2
    assert cpu.intevt == 0x420 and cpu.spc == BASE + 4 and cpu.ssr == SR_MD
    assert cpu.pc == VBR + 0x600 and cpu.sr & SR_BL
    cpu.clear_interrupt()  # the handler acknowledged the device
    stop = cpu.run(100)
    assert stop.kind is StopKind.TRAP and cpu.r[1] == 2 and cpu.rbank[3] == 99


def test_masked_or_blocked_interrupts_wait(mode: str) -> None:
    cpu, _ = machine("add #1,r1\n" * 8, mode=mode, sr=SR_MD | 0x50)
    cpu.set_interrupt(5, 0x400)  # level 5 is not above IMASK 5
    assert cpu.run(3).kind is StopKind.BUDGET
    cpu.load_sr(SR_MD | SR_BL)
    assert cpu.run(3).kind is StopKind.BUDGET
    cpu.load_sr(SR_MD | 0x40)
    stop = cpu.run(3)
    assert stop.kind is StopKind.INTERRUPT and stop.used == 0 and cpu.spc == BASE + 12


class DeviceBus(RamBus):
    """RAM plus one device register: writing it raises an interrupt at level 5."""

    DEVICE = 0xA4000000  # outside the RAM window

    def __init__(self, cpu_ref: list[SH3CPU]) -> None:
        super().__init__(BASE, SIZE)
        self.cpu_ref = cpu_ref

    def write32(self, address: int, value: int) -> None:
        if address == self.DEVICE:
            self.cpu_ref[0].set_interrupt(5, 0x400)
        else:
            super().write32(address, value)


@pytest.mark.parametrize(("source", "spc"), [
    # Raised by the slot: accepted only after the branch is complete.
    ("bra far\nmov.l r0,@r5\nnop\nfar: nop", BASE + 6),
    # Raised by an instruction inside a block: accepted right after it.
    ("mov.l r0,@r5\nadd #1,r1\nadd #1,r1\nbra 0x8c000000\nnop", BASE + 2),
])
def test_interrupt_raised_by_a_device_write(mode: str, source: str, spc: int) -> None:
    ref: list[SH3CPU] = []
    bus = DeviceBus(ref)
    bus.load(BASE, assemble(source, BASE))
    cpu = SH3CPU(bus, CpuConfig(**MODES[mode]))
    ref.append(cpu)
    cpu.load_sr(SR_MD)
    cpu.pc, cpu.vbr, cpu.r[5] = BASE, VBR, DeviceBus.DEVICE
    stop = cpu.run(100)
    assert stop.kind is StopKind.INTERRUPT and cpu.spc == spc


def test_sleep_waits_and_an_interrupt_resumes_after_it(mode: str) -> None:
    cpu, bus = machine("sleep\nadd #1,r1\ntrapa #0", mode=mode, trapa="host")
    handler(bus, 0x600, "rte\nnop")
    stop = cpu.run(100)
    assert stop.kind is StopKind.SLEEP and stop.used == 1 and cpu.pc == BASE
    assert cpu.run(100).kind is StopKind.SLEEP  # no interrupt: SLEEP again
    cpu.set_interrupt(3, 0x400)
    stop = cpu.run(100)
    assert stop.kind is StopKind.INTERRUPT and cpu.spc == BASE + 2
    cpu.clear_interrupt()
    assert cpu.run(100).kind is StopKind.TRAP and cpu.r[1] == 1


# -- register banks ----------------------------------------------------------------------------------

def test_bank_switching_by_sr_rb(mode: str) -> None:
    cpu, _ = machine("""
        mov #1,r0
        mov #7,r8
        mov.l @(rb1,pc),r1
        ldc r1,sr          ; RB = 1: bank 1 is active, r0-r7 are other registers
        mov #2,r0
        stc r0_bank,r3     ; bank 0's r0
        ldc r0,r5_bank     ; bank 0's r5 = 2
        mov.l @(rb0,pc),r1
        ldc r1,sr          ; back to bank 0
        trapa #0
        .align 4
    rb1: .long 0x60000000
    rb0: .long 0x40000000
    """, mode=mode, trapa="host")
    cpu.run(100)
    assert cpu.r[0] == 1 and cpu.r[5] == 2 and cpu.r[8] == 7
    assert cpu.rbank[0] == 2 and cpu.rbank[3] == 1
    assert cpu.bank(0)[0] == 1 and cpu.bank(1)[0] == 2


def test_user_mode_always_uses_bank_0() -> None:
    cpu, _ = machine("nop")
    cpu.r[0] = 10
    cpu.rbank[0] = 20
    cpu.set_sr(SR_MD | SR_RB)
    assert cpu.r[0] == 20
    cpu.set_sr(SR_RB)  # user mode: RB is cleared, bank 0 comes back
    assert cpu.sr & SR_RB == 0 and cpu.r[0] == 10


# -- self-modifying code -------------------------------------------------------------------------------

def test_code_written_by_the_program_is_retranslated(mode: str) -> None:
    # The loop body's "add #1,r1" is patched to "add #2,r1" after it has run (and, in
    # block mode, been compiled); then the store patches the next instruction of its own block.
    cpu, _ = machine("""
        mov #3,r0
    loop: add #1,r1
        dt r0
        bf loop
        mov.l @(addr,pc),r2
        mov.w @(newop,pc),r3
        mov.w r3,@r2       ; patch loop's add
        mov #2,r0
        bra loop
        nop
        .align 4
    addr: .long 0x8c000002
    newop: .word 0x7102
    """, mode=mode)
    cpu.run(3 * 3 + 1)  # mov + three turns
    assert cpu.r[1] == 3
    cpu.run(6 + 2 * 3)  # the patch, then two turns with the new instruction
    assert cpu.r[1] == 3 + 4


def test_store_into_the_running_block_takes_effect_at_once() -> None:
    source = """
        mov.w @(op,pc),r3
        mov.l @(addr,pc),r2
        mov.w r3,@r2       ; rewrites the next instruction
    next: add #1,r1        ; becomes add #5,r1
        trapa #0
        .align 4
    addr: .long {next}
    op: .word 0x7105
    """
    code = assemble(source.format(next=0), BASE)
    nxt = BASE + 6
    assert code[6:8] == b"\x01\x71"
    cpu, _ = machine(source.format(next=nxt), mode="blocks", trapa="host")
    cpu.run(100)  # one block: the store must end it so the new code is fetched
    assert cpu.r[1] == 5


def test_host_writes_need_invalidate() -> None:
    cpu, bus = machine("add #1,r1\nbra 0x8c000000\nnop", mode="blocks")
    cpu.run(30)
    before = cpu.r[1]
    bus.load(BASE, assemble("add #3,r1", BASE))
    cpu.invalidate(BASE, 2)
    cpu.pc = BASE
    cpu.run(3)
    assert cpu.r[1] == before + 3


# -- MAC (absent from the vectors) --------------------------------------------------------------------

def _mac_machine(values: list[int], width: int, s: bool) -> SH3CPU:
    op = "mac.l" if width == 4 else "mac.w"
    cpu, bus = machine(f"{op} @r1+,@r2+\n{op} @r1+,@r2+", sr=SR_MD | (SR_S if s else 0))
    for i, value in enumerate(values):
        bus.load(BASE + 0x1000 + i * width, (value & ((1 << 8 * width) - 1)).to_bytes(width, "little"))
    cpu.r[2] = BASE + 0x1000
    cpu.r[1] = BASE + 0x1000 + 2 * width
    return cpu


def test_mac_l_accumulates_and_saturates() -> None:
    cpu = _mac_machine([-3, 0x7FFFFFFF, 5, 0x7FFFFFFF], 4, s=False)
    cpu.run(2)
    total = -3 * 5 + 0x7FFFFFFF * 0x7FFFFFFF
    assert (cpu.mach << 32 | cpu.macl) == total & (2**64 - 1)
    assert cpu.r[1] == BASE + 0x1010 and cpu.r[2] == BASE + 0x1008
    cpu = _mac_machine([0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF, 0x7FFFFFFF], 4, s=True)
    cpu.run(2)
    assert (cpu.mach, cpu.macl) == (0x00007FFF, 0xFFFFFFFF)


def test_mac_w_accumulates_and_saturates() -> None:
    cpu = _mac_machine([-2, 300, 7, 1000], 2, s=False)
    cpu.mach, cpu.macl = 0xFFFFFFFF, 0xFFFFFFFF  # -1
    cpu.run(2)
    assert (cpu.mach << 32 | cpu.macl) == (-1 - 14 + 300_000) & (2**64 - 1)
    cpu = _mac_machine([0x7FFF, 0x7FFF, 0x7FFF, 0x7FFF], 2, s=True)
    cpu.macl = 0x7FFF0000
    cpu.mach = 0x1234
    cpu.run(2)
    assert cpu.macl == 0x7FFFFFFF and cpu.mach == 0x1234


def test_mac_same_register_reads_consecutive_words() -> None:
    cpu, bus = machine("mac.w @r1+,@r1+")
    bus.load(BASE + 0x1000, (3).to_bytes(2, "little") + (4).to_bytes(2, "little"))
    cpu.r[1] = BASE + 0x1000
    cpu.run(1)
    assert cpu.macl == 12 and cpu.r[1] == BASE + 0x1004
