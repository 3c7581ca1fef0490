"""The SH-3 board: the Board contract, options, the P0-P4 map, TMU, INTC and SCI, seen by the OS and the CPU."""

from __future__ import annotations

import importlib.metadata
import io

import pytest

from osvm_core.testing.conformance import BoardContract
from osvm_hal_sh3 import plugin
from osvm_hal_sh3.board import SDRAM_BASE, Sh3Board
from osvm_hal_sh3.bus import BusError
from osvm_hal_sh3.cpu import SH3CPU, CpuConfig, StopKind
from osvm_hal_sh3.cpu.asm import assemble
from osvm_hal_sh3.cpu.state import SR_MD

P1_SDRAM = 0x80000000 | SDRAM_BASE
P2_SDRAM = 0xA0000000 | SDRAM_BASE
TCOR0, TCNT0, TCR0, TSTR = 0xFFFFFE94, 0xFFFFFE98, 0xFFFFFE9C, 0xFFFFFE92
SCSCR, SCTDR, SCSSR, SCRDR = 0xFFFFFE84, 0xFFFFFE86, 0xFFFFFE88, 0xFFFFFE8A
IPRA, IPRB = 0xFFFFFEE2, 0xFFFFFEE4


class TestSh3BoardContract(BoardContract):
    @staticmethod
    def make(options):
        return Sh3Board(options)


def privileged(board: Sh3Board) -> Sh3Board:
    board.cpu.load_sr(SR_MD)
    return board


# -- options ------------------------------------------------------------------------------------

def test_defaults_are_the_cat68701() -> None:
    board = Sh3Board()
    assert (board.clock_hz, len(board.ram), board.ram_base) == (60_000_000, 16 << 20, 0x0C000000)
    assert board.timer_period == 600_000 and board.next_event() == 600_000
    assert [(line.number, line.name) for line in board.lines] == [(0, "timer0"), (1, "console0")]
    assert isinstance(board.cpu, SH3CPU) and board.cpu.config.trapa == "host"


@pytest.mark.parametrize(("options", "message"), [
    ({"clock": 1}, r"unknown hal option 'clock' for the sh3 board; known options: clock_hz, ram"),
    ({"clock_hz": 0}, r"clock_hz must be a positive integer"),
    ({"ram": "lots"}, r"bad hal option ram 'lots': expected a number of bytes"),
    ({"ram": 1000}, r"ram must be a positive multiple of 4 KiB"),
    ({"ram": "128MiB"}, r"area 3 \(SDRAM at 0xc000000\) holds at most 64 MiB"),
    ({"ram_base": 0x100}, r"ram_base must be 4 KiB aligned"),
    ({"ram_base": 0x1BF00000, "ram": "4MiB"}, r"ends past 0x1c000000"),
    ({"timer_period": -1}, r"timer_period must be a non-negative integer"),
    ({"tick_hz": 100, "timer_period": 5}, r"timer_period or tick_hz, not both"),
    ({"tick_hz": 10**9}, r"tick_hz 1000000000 is faster than the clock"),
    ({"console_in": 3}, r"console_in must be a string or bytes"),
    ({"console_out": "stdout"}, r"console_out must be a callable"),
])
def test_bad_options_name_the_key(options, message) -> None:
    with pytest.raises(ValueError, match=message):
        Sh3Board(options)


def test_tick_hz_and_ram_text() -> None:
    board = Sh3Board({"tick_hz": 1000, "ram": "4MiB", "clock_hz": 30_000_000})
    assert board.timer_period == 30_000 and len(board.ram) == 4 << 20


# -- the memory map ------------------------------------------------------------------------------

def test_p0_p1_p2_are_views_of_the_same_sdram() -> None:
    board = privileged(Sh3Board())
    bus = board.bus
    bus.write32(P1_SDRAM + 0x100, 0x12345678)
    assert bus.read32(P2_SDRAM + 0x100) == 0x12345678
    assert bus.read32(SDRAM_BASE + 0x100) == 0x12345678
    assert bus.read16(0xC0000000 | SDRAM_BASE + 0x102) == 0x1234            # P3 without an MMU
    assert board.ram[0x100:0x104] == bytes.fromhex("78563412")               # little-endian
    assert bus.window.base == SDRAM_BASE and bus.window.size == len(board.ram)


@pytest.mark.parametrize("address", [0x00000000, 0x0BFFFFFC, SDRAM_BASE + (16 << 20), 0x1F000000, 0xFFFFFE00])
def test_nothing_answers_outside_sdram_and_the_registers(address) -> None:
    bus = privileged(Sh3Board()).bus
    with pytest.raises(BusError):
        bus.read32(address)


def test_user_mode_reaches_neither_p1_nor_the_registers() -> None:
    board = Sh3Board()
    board.cpu.load_sr(0)                                       # user mode
    with pytest.raises(BusError):
        board.bus.read32(P1_SDRAM)
    with pytest.raises(BusError):
        board.bus.read32(TCNT0)
    assert board.bus.read32(SDRAM_BASE) == 0                  # U0 maps the SDRAM


def test_registers_answer_only_at_their_width() -> None:
    bus = privileged(Sh3Board()).bus
    assert bus.read16(TCR0) == 0x0020                          # UNIE, Pφ/4
    with pytest.raises(BusError):
        bus.read32(TCR0)


# -- TMU ---------------------------------------------------------------------------------------------

def test_tmu0_counts_pclk_over_4_and_reloads() -> None:
    board = privileged(Sh3Board())
    bus = board.bus
    assert bus.read32(TCOR0) == 600_000 // 16 - 1             # Iφ:Pφ = 4:1, Pφ/4: 16 cycles a count
    assert bus.read32(TCNT0) == 37_499
    board.advance(16 * 100)
    assert bus.read32(TCNT0) == 37_399
    board.advance(600_000 - 1600 - 1)
    assert not board.pending() and bus.read16(TCR0) & 0x100 == 0
    board.advance(1)
    assert board.pending() == [0] and bus.read16(TCR0) & 0x100
    assert bus.read32(TCNT0) == 37_499                         # reloaded from TCOR0
    assert board.acknowledge(0) == 1 and not board.pending()


def test_writing_0_clears_unf_and_1_keeps_it() -> None:
    board = privileged(Sh3Board())
    board.advance(600_000)
    board.bus.write16(TCR0, 0x0120)
    assert board.bus.read16(TCR0) == 0x0120
    board.bus.write16(TCR0, 0x0020)
    assert board.bus.read16(TCR0) == 0x0020 and not board.pending()


def test_a_period_that_is_no_whole_count_of_pclk_uses_tclk() -> None:
    board = Sh3Board({"clock_hz": 1_000_000, "timer_period": 25_001})
    assert board.next_event() == 25_001
    board.advance(25_001 * 3)
    assert board.acknowledge(0) == 3
    assert board.stats()["timer_overruns"] == 2               # ticks 1 and 2 were never taken


def test_an_idle_jump_over_a_million_ticks_is_instant() -> None:
    board = Sh3Board({"clock_hz": 1_000_000, "timer_period": 1000})
    board.advance(10**9 + 500)
    assert board.acknowledge(0) == 10**6
    assert board.next_event() == 10**9 + 1000


def test_stopping_and_reprogramming_tmu0() -> None:
    board = privileged(Sh3Board())
    bus = board.bus
    bus.write8(TSTR, 0)
    assert board.next_event() is None
    board.advance(10**7)
    assert not board.pending()
    bus.write32(TCOR0, 99)
    bus.write32(TCNT0, 99)
    bus.write16(TCR0, 0x0021)                                  # UNIE, Pφ/16: 64 cycles a count
    bus.write8(TSTR, 1)
    assert board.next_event() == 10**7 + 100 * 64
    board.advance(100 * 64)
    assert board.pending() == [0]


def test_timer_off() -> None:
    board = Sh3Board({"timer_period": 0})
    assert board.next_event() is None


# -- INTC --------------------------------------------------------------------------------------------

def test_masking_a_line_sets_its_ipr_level_to_0() -> None:
    board = privileged(Sh3Board({"console_in": "x"}))
    board.advance(600_000)
    assert board.pending() == [0, 1]                           # TMU0 level 3 before SCI level 2
    board.mask(0, True)
    assert board.pending() == [1] and board.bus.read16(IPRA) == 0
    board.mask(0, False)
    assert board.bus.read16(IPRA) == 0x3000
    board.bus.write16(IPRB, 0x00F0)                            # the SCI above the timer now
    assert board.pending() == [1, 0]


def test_the_intc_presents_tuni0_to_the_cpu() -> None:
    board = Sh3Board()
    board.advance(600_000)
    assert (board.cpu.irq_level, board.cpu.irq_code) == (3, 0x400)
    board.acknowledge(0)
    assert board.cpu.irq_level == 0


VBR = P1_SDRAM + 0x1000
TICKER = """
        mov.l   @(vbr,pc),r0
        ldc     r0,vbr
        mov.l   @(sr,pc),r0
        ldc     r0,sr
loop:   sleep
        bra     loop
        nop
        .align  4
vbr:    .long   {vbr}
sr:     .long   0x40000000
"""
HANDLER = """
        mov.l   @(intevt,pc),r1
        mov.l   @r1,r2
        mov.l   @(seen,pc),r3
        mov.l   r2,@r3
        mov.l   @(count,pc),r4
        mov.l   @r4,r5
        add     #1,r5
        mov.l   r5,@r4
        mov.l   @(tcr0,pc),r1
        mov.w   @r1,r0
        mov.l   @(keep,pc),r6
        and     r6,r0
        mov.w   r0,@r1
        rte
        nop
        .align  4
intevt: .long   0xFFFFFFD8
seen:   .long   {seen}
count:  .long   {count}
tcr0:   .long   0xFFFFFE9C
keep:   .long   0x0000FEFF
"""


def test_guest_code_takes_tmu0_interrupts_through_vbr() -> None:
    board = Sh3Board({"clock_hz": 1_000_000, "timer_period": 10_000},
                     cpu_config=CpuConfig(trapa="vector", faults="host"))
    cpu, bus = board.cpu, board.bus
    seen, count = P1_SDRAM + 0x3000, P1_SDRAM + 0x3004
    cpu.load_sr(SR_MD)
    for address, source in ((P1_SDRAM, TICKER.format(vbr=VBR)),
                            (VBR + 0x600, HANDLER.format(seen=seen, count=count))):
        code = assemble(source, address)
        board.ram[address - P1_SDRAM:address - P1_SDRAM + len(code)] = code
    cpu.pc = P1_SDRAM
    while board.now() < 100_000:
        stop = cpu.run(board.next_event() - board.now())
        board.advance(stop.used)
        if stop.kind is StopKind.SLEEP and not cpu.irq_ready:
            if bus.read32(count) == 5:
                break
            board.advance(board.next_event() - board.now())       # idle until the next underflow
    assert bus.read32(count) == 5 and bus.read32(seen) == 0x400  # INTEVT of TUNI0
    assert board.stats()["ticks"] == 5 and not board.pending()   # the handler cleared UNF each time


# -- SCI -------------------------------------------------------------------------------------------

PRINT = """
        mov.l   @(msg,pc),r1
next:   mov.b   @r1+,r2
        tst     r2,r2
        bt      done
wait:   mov.l   @(ssr,pc),r3
        mov.b   @r3,r0
        tst     #0x80,r0
        bt      wait
        mov.l   @(tdr,pc),r4
        mov.b   r2,@r4
        and     #0x7F,r0
        mov.b   r0,@r3
        bra     next
        nop
done:   trapa   #0
        .align  4
msg:    .long   {msg}
ssr:    .long   0xFFFFFE88
tdr:    .long   0xFFFFFE86
"""


def test_guest_code_prints_through_the_sci() -> None:
    out = bytearray()
    board = Sh3Board({"console_out": out.extend})
    message = P1_SDRAM + 0x800
    board.ram[0x800:0x809] = b"SCI says\n"
    code = assemble(PRINT.format(msg=message), P1_SDRAM)
    board.ram[:len(code)] = code
    board.cpu.load_sr(SR_MD)
    board.cpu.pc = P1_SDRAM
    assert board.cpu.run(10_000).kind is StopKind.TRAP
    assert bytes(out) == b"SCI says\n" and board.stats()["bytes_out"] == 9


def test_serial_input_through_the_registers_and_as_a_line() -> None:
    board = privileged(Sh3Board())
    bus = board.bus
    board.feed(b"ab")
    assert bus.read8(SCSSR) & 0x40 and bus.read8(SCRDR) == ord("a")
    assert (board.cpu.irq_level, board.cpu.irq_code) == (2, 0x500)     # RXI
    bus.write8(SCSSR, bus.read8(SCSSR) & ~0x40 & 0xFF)                  # clear RDRF: the next byte
    assert bus.read8(SCRDR) == ord("b")
    assert board.pending() == [1]
    assert board.acknowledge(1) == b"b"
    assert not board.pending() and board.stats()["bytes_in"] == 1


def test_console_stream_is_read_a_line_at_a_time_when_the_os_waits_for_input() -> None:
    stream = io.BytesIO(b"one\ntwo\n")
    board = Sh3Board({"console_in_stream": stream, "timer_period": 0})
    assert board.next_event() is None and stream.tell() == 0     # input is not a timed event
    assert board.wait_input() and board.pending() == [1]
    assert board.acknowledge(1) == b"one\n"
    assert board.console_read(10) == b"two\n"
    assert board.wait_input() and board.acknowledge(1) == b""     # the end-of-input message
    assert not board.wait_input() and board.pending() == []


def test_console_write_counts_bytes() -> None:
    out = bytearray()
    board = Sh3Board({"console_out": out.extend})
    board.console_write(b"hi")
    assert bytes(out) == b"hi" and board.stats()["bytes_out"] == 2
    with pytest.raises(TypeError):
        board.console_write("text")


# -- the plugin -------------------------------------------------------------------------------------

def test_the_plugin_registers_sh3_and_it_becomes_the_default_board() -> None:
    import osvm_hal_virt.plugin
    from osvm_core.plugins import load_plugins
    from osvm_core.registry import build_registry
    from osvm_core.system.build import default_hal

    registered = {}
    plugin.osvm_register_hals(register=registered.setdefault)
    assert list(registered) == ["sh3"]
    assert isinstance(registered["sh3"]({"ram": "1MiB"}), Sh3Board)
    plugins = load_plugins(entry_points=False, extra=(("hal-virt", osvm_hal_virt.plugin), ("hal-sh3", plugin)))
    assert default_hal(build_registry(plugins)) == "sh3"


def test_entry_point_is_declared() -> None:
    points = [ep for ep in importlib.metadata.entry_points(group="osvm") if ep.name == "hal-sh3"]
    assert [ep.value for ep in points] == ["osvm_hal_sh3.plugin"]


def test_set_window_narrows_the_direct_path() -> None:
    board = privileged(Sh3Board())
    cpu, bus = board.cpu, board.bus
    code = assemble("mov.l @r1,r0\ntrapa #1", SDRAM_BASE)
    board.ram[:len(code)] = code
    cpu.set_window(bus.window_for(SDRAM_BASE, 0x100))
    bus.guard = lambda address, size, write: address < SDRAM_BASE + 0x100
    cpu.load_sr(0)                                            # user mode: the guard decides
    cpu.pc = SDRAM_BASE
    cpu.r[1] = SDRAM_BASE + 0x200                             # outside the window and the guard
    stop = cpu.run(10)
    assert stop.kind is StopKind.FAULT and stop.address == SDRAM_BASE + 0x200
    cpu.set_window(None)
    bus.guard = None
    cpu.pc = SDRAM_BASE
    assert cpu.run(10).kind is StopKind.TRAP
