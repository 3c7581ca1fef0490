"""The CAT-68701 as osvm models it: an SH7708 (SH-3) with SDRAM, TMU, INTC and SCI.

The board owns the cycle clock. The OS layer sees it through the `Board`
protocol: TMU0 underflows become line 0 ``timer0`` (message: the tick number),
serial input becomes line 1 ``console0`` (message: the bytes), the same lines
as the virt board's, so a system runs unchanged on either. The CPU sees the
same devices as memory-mapped registers in P4, and the INTC presents their
requests to it; code that wants the CPU to take interrupts itself (a guest
kernel with a VBR) can, while the native VM runs tasks with SR.IMASK = 15 and
leaves interrupts to the OS layer.

There is no boot ROM. At reset the board does what the CAT-68701's monitor
did before handing over: TMU0 ticks every ``timer_period`` cycles with UNIE,
TMU0 has priority 3 in IPRA, the SCI runs 8N1 with TE, RE and RIE set and
priority 2 in IPRB. Masking a line for the OS sets its IPR level to 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from osvm_core.board import InterruptLine

from ..cpu import SH3CPU, CpuConfig
from .ccn import install_system_registers
from .intc import Intc
from .memory_map import Registers, Sh3Bus
from .options import Sh3Options
from .sci import RE, RIE, TE, Sci
from .tmu import PCLK_RATIO, UNF, UNIE, Tmu

TIMER_LINE = 0
CONSOLE_LINE = 1
CONSOLE_CHUNK = 256
TIMER_LEVEL = 3
CONSOLE_LEVEL = 2

LINES = (
    InterruptLine(TIMER_LINE, "timer0", priority=1, signature="u64"),
    InterruptLine(CONSOLE_LINE, "console0", priority=2, signature="bytes", input=True),
)


class Sh3Board:
    """An SH7708 board implementing ``osvm_core.board.Board``, with its CPU on ``cpu``."""

    name = "sh3"

    def __init__(self, options: Mapping[str, Any] | None = None, *, cpu_config: CpuConfig | None = None) -> None:
        self.options = Sh3Options.from_mapping(options)
        self.clock_hz = self.options.clock_hz
        self.timer_period = self.options.timer_period
        self.ram = bytearray(self.options.ram)
        self.ram_base = self.options.ram_base
        self.lines: tuple[InterruptLine, ...] = LINES
        self.output = bytearray()
        self._now = 0
        self._stream = self.options.console_in_stream
        self._stream_ended = self._stream is None
        self._eof_told = self._eof_pending = False   # the empty end-of-input message

        self.registers = Registers()
        self.intc = Intc(self.registers)
        self.tmu = Tmu(self.registers, self.intc, self.now)
        self.sci = Sci(self.registers, self.intc, self.options.console_out or self.output.extend)
        self.bus = Sh3Bus(self.ram, self.ram_base, self.registers)
        self.cpu = SH3CPU(self.bus, cpu_config or CpuConfig(trapa="host", faults="host"))
        self.bus.cpu = self.cpu
        self.intc.cpu = self.cpu
        install_system_registers(self.registers, self.cpu)
        self._timer_source = self.intc.sources[0]                          # TUNI0
        self._console_source = next(s for s in self.intc.sources if s.name == "RXI")
        self._saved_level: dict[int, int] = {}
        self._boot()

    def _boot(self) -> None:
        """What the monitor leaves behind: the OS tick on TMU0, the console on the SCI."""
        self.intc.ipra = TIMER_LEVEL << 12
        self.intc.iprb = CONSOLE_LEVEL << 4
        self.sci.scscr = TE | RE | RIE
        pclk = self.clock_hz // PCLK_RATIO
        self.sci.scbrr = max(0, min(255, round(pclk / (32 * 115_200)) - 1))   # 115200 baud, n = 0
        if self.timer_period:
            self.tmu.start_tick(self.timer_period)
        if self.options.console_in:
            self.sci.receive(self.options.console_in)
        self.intc.update()

    def __repr__(self) -> str:
        return (f"Sh3Board(clock_hz={self.clock_hz}, ram={len(self.ram)}, ram_base={self.ram_base:#x}, "
                f"timer_period={self.timer_period}, now={self._now})")

    # -- clock -------------------------------------------------------------------------------

    def now(self) -> int:
        return self._now

    def advance(self, cycles: int) -> None:
        """Let ``cycles`` pass; timers that reach an underflow raise their requests."""
        if type(cycles) is not int:
            raise TypeError(f"advance() takes a whole number of cycles, got {cycles!r}")
        if cycles < 0:
            raise ValueError(f"cannot advance by {cycles} cycles: simulated time only moves forward")
        self._now += cycles
        due = self.tmu.due
        if due is not None and self._now >= due:
            self.tmu.sync(self._now)

    def next_event(self) -> int | None:
        """The next TMU0 underflow, or None; console input is not a timed event (see wait_input)."""
        channel = self.tmu.channels[0]
        if not self.tmu.running(channel) or not channel.tcr & UNIE:
            return None
        # exact from the last sync: advance() syncs whenever an underflow is reached
        return channel.next_underflow(channel.synced)

    def wait_input(self) -> bool:
        """The OS idles and a task waits for input: read a line of the stream into the SCI.

        At the end of the stream the console line is raised once more with an empty
        message (end of input); after that this returns False.
        """
        if self.sci.waiting() or self._eof_pending:
            return True
        if self._pull():
            return True
        if self._stream is not None and not self._eof_told:
            self._eof_told = self._eof_pending = True
            return True
        return False

    # -- interrupt lines ------------------------------------------------------------------

    def _raised(self, line: int) -> bool:
        if line == TIMER_LINE:
            return self.tmu.channels[0].tcr & (UNF | UNIE) == UNF | UNIE
        return bool((self.sci.waiting() or self._eof_pending) and self.sci.scscr & RIE)

    def _source(self, line: int) -> Any:
        return self._timer_source if line == TIMER_LINE else self._console_source

    def pending(self) -> list[int]:
        """Raised lines whose IPR level is not 0, highest level first (then line number)."""
        timer = self.tmu.channels[0].tcr & (UNF | UNIE) == UNF | UNIE
        console = self.sci.scssr & 0x40 or self.sci.queue or self._eof_pending
        if not timer and not console:     # the common case, asked on every dispatch
            return []
        found = [(-self.intc.level(self._source(n)), n) for n in (TIMER_LINE, CONSOLE_LINE)
                 if self._raised(n) and self.intc.level(self._source(n))]
        return [n for _, n in sorted(found)]

    def mask(self, line: int, masked: bool) -> None:
        """Mask a line at the INTC (its IPR level becomes 0), or give it back its level."""
        self._check_line(line)
        source = self._source(line)
        if masked:
            level = self.intc.level(source)
            if level:
                self._saved_level[line] = level
            self.intc.set_level(source, 0)
        else:
            default = TIMER_LEVEL if line == TIMER_LINE else CONSOLE_LEVEL
            self.intc.set_level(source, self._saved_level.pop(line, default) or default)

    def acknowledge(self, line: int) -> Any:
        """timer0: clear TCR0.UNF, return the tick number; console0: take up to 256 input bytes."""
        self._check_line(line)
        if not self._raised(line):
            raise ValueError(f"cannot acknowledge line {line} ({LINES[line].name}): it is not raised")
        if line == TIMER_LINE:
            return self.tmu.acknowledge_tick()
        if not self.sci.waiting():        # the end-of-input message
            self._eof_pending = False
            return b""
        return self.sci.take(CONSOLE_CHUNK)

    def _check_line(self, line: int) -> None:
        if isinstance(line, bool) or not isinstance(line, int) or not 0 <= line < len(LINES):
            known = ", ".join(f"{x.number} {x.name}" for x in LINES)
            raise ValueError(f"no interrupt line {line!r} on the sh3 board (lines: {known})")

    # -- console ------------------------------------------------------------------------------

    def console_write(self, data: bytes) -> None:
        """Bytes out through the SCI."""
        if isinstance(data, str):
            raise TypeError("console_write() takes bytes, not str: encode the text first")
        self.sci.transmit(bytes(data))

    def console_read(self, limit: int) -> bytes:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"console_read() limit must be a non-negative integer, got {limit!r}")
        if limit and not self.sci.waiting():
            self._pull()
        return self.sci.take(limit)

    def feed(self, data: bytes | str) -> None:
        """Serial input arrives now."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.sci.receive(bytes(data))

    def _pull(self) -> bool:
        """One line (at most 256 bytes) of the input stream into the SCI; False at its end."""
        if self._stream_ended:
            return False
        stream = self._stream
        reader = getattr(stream, "readline", None)
        chunk = reader(CONSOLE_CHUNK) if reader is not None else stream.read(CONSOLE_CHUNK)
        if not chunk:
            self._stream_ended = True
            return False
        self.feed(chunk)
        return True

    # -- reports ---------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        channel = self.tmu.channels[0]
        return {
            "ticks": channel.underflows,
            "timer_overruns": channel.overruns,
            "bytes_out": self.sci.bytes_out,
            "bytes_in": self.sci.bytes_in,
            "console_waiting": self.sci.waiting(),
            "cpu_instructions": self.cpu.instructions,
        }
