"""The virt board: a cycle clock, one periodic timer, an interrupt controller, RAM and a console.

It has no CPU, so systems that run only interpreted VMs (and the core's own tests)
get a board whose every event is a pure function of the cycles advanced: the host
clock is never read, and the same options give the same interrupts at the same cycles.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from osvm_core.board import CPU, InterruptLine
from osvm_hal_virt.options import VirtOptions

TIMER_LINE = 0
CONSOLE_LINE = 1
CONSOLE_CHUNK = 256  # most bytes one console interrupt carries, and one read of the input stream

LINES = (
    InterruptLine(TIMER_LINE, "timer0", priority=1, signature="u64"),
    InterruptLine(CONSOLE_LINE, "console0", priority=2, signature="bytes", input=True),
)


class VirtBoard:
    """A minimal deterministic board implementing ``osvm_core.board.Board``.

    Lines latch when raised, whether masked or not; masking only hides a line from
    ``pending()``, as at a real interrupt controller, so no event is lost by masking.
    """

    name = "virt"

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options = VirtOptions.from_mapping(options)
        self.clock_hz: int = self.options.clock_hz
        self.timer_period: int = self.options.timer_period
        self.ram = bytearray(self.options.ram)
        self.ram_base: int = self.options.ram_base
        self.cpu: CPU | None = None
        self.lines: tuple[InterruptLine, ...] = LINES
        self.output = bytearray()  # console output, when no console_out writer was given
        self._write = self.options.console_out or self.output.extend
        self._stream = self.options.console_in_stream
        self._stream_ended = self._stream is None
        self._eof_told = False   # the empty end-of-input message was delivered
        self._urgency = tuple(line.number for line in sorted(LINES, key=lambda x: (x.priority, x.number)))
        self._now = 0
        self._raised: set[int] = set()
        self._masked: set[int] = set()
        self._ticks = 0
        self._timer_overruns = 0
        self._input = bytearray()
        self._bytes_in = 0
        self._bytes_out = 0
        if self.options.console_in:
            self.feed(self.options.console_in)  # input that is there at reset raises console0 at cycle 0

    def __repr__(self) -> str:
        return (
            f"VirtBoard(clock_hz={self.clock_hz}, ram={len(self.ram)}, ram_base={self.ram_base:#x}, "
            f"timer_period={self.timer_period}, now={self._now})"
        )

    # -- clock and timer ------------------------------------------------------------------

    def now(self) -> int:
        """Cycles since reset."""
        return self._now

    def advance(self, cycles: int) -> None:
        """Let ``cycles`` pass; the timer fires at every multiple of ``timer_period`` crossed.

        Computed arithmetically, so an idle jump over a million periods costs nothing,
        and each tick that finds the line still unacknowledged is counted as an overrun.
        """
        if type(cycles) is not int:  # hot path: one type test (bool and floats are refused)
            raise TypeError(f"advance() takes a whole number of cycles, got {cycles!r}")
        if cycles < 0:
            raise ValueError(f"cannot advance by {cycles} cycles: simulated time only moves forward")
        self._now += cycles
        if not self.timer_period:
            return
        ticks = self._now // self.timer_period
        fired = ticks - self._ticks
        if fired:
            self._timer_overruns += fired - 1 + (TIMER_LINE in self._raised)
            self._ticks = ticks
            self._raised.add(TIMER_LINE)

    def next_event(self) -> int | None:
        """Cycle of the next timer expiry, or None when the timer is off.

        Console input from a stream is not a timed event: the OS asks for it with
        ``wait_input`` when it is idle and somebody waits for input.
        """
        if not self.timer_period:
            return None
        return (self._ticks + 1) * self.timer_period

    def wait_input(self) -> bool:
        """Read the next line of the input stream (blocking) and raise console0; False at its end.

        At the end of the stream console0 is raised once more with an empty message, so a
        receiver learns that no more input will come.
        """
        if self._input or CONSOLE_LINE in self._raised:
            return True
        if self._pull():
            return True
        if not self._eof_told and self._stream is not None:
            self._eof_told = True
            self._raised.add(CONSOLE_LINE)
            return True
        return False

    # -- interrupt controller -------------------------------------------------------------

    def pending(self) -> list[int]:
        """Raised, unmasked lines, most urgent (lowest priority number, then line number) first."""
        if not self._raised:  # hot path: asked on every dispatch
            return []
        return [n for n in self._urgency if n in self._raised and n not in self._masked]

    def mask(self, line: int, masked: bool) -> None:
        """Hide (or show again) a line in ``pending()``; a masked line still latches."""
        self._check_line(line)
        if masked:
            self._masked.add(line)
        else:
            self._masked.discard(line)

    def raise_line(self, line: int) -> None:
        """Raise a line, as its device would (for tests and for devices added around the board)."""
        self._check_line(line)
        self._raised.add(line)

    def acknowledge(self, line: int) -> Any:
        """Clear a raised line and return its message.

        timer0 gives the number of the latest tick (1 for the first), so a late
        acknowledge still tells the OS how much time has passed; console0 gives and
        consumes up to 256 input bytes, and stays raised while more input is waiting.
        """
        self._check_line(line)
        if line not in self._raised:
            raise ValueError(
                f"cannot acknowledge line {line} ({LINES[line].name}): it is not raised "
                f"(raised lines: {sorted(self._raised) or 'none'})"
            )
        self._raised.discard(line)
        if line == TIMER_LINE:
            return self._ticks
        return self._take(CONSOLE_CHUNK)

    def _check_line(self, line: int) -> None:
        if isinstance(line, bool) or not isinstance(line, int) or not 0 <= line < len(LINES):
            known = ", ".join(f"{x.number} {x.name}" for x in LINES)
            raise ValueError(f"no interrupt line {line!r} on the virt board (lines: {known})")

    # -- console --------------------------------------------------------------------------

    def console_write(self, data: bytes) -> None:
        """Send bytes to the console writer (or to ``output`` when none was given)."""
        if isinstance(data, str):
            raise TypeError("console_write() takes bytes, not str: encode the text first")
        data = bytes(data)
        if data:
            self._bytes_out += len(data)
            self._write(data)

    def console_read(self, limit: int) -> bytes:
        """Up to ``limit`` bytes of input that has arrived; b'' if none (reads the stream if empty)."""
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError(f"console_read() limit must be a non-negative integer, got {limit!r}")
        if not limit:
            return b""
        if not self._input:
            self._pull()
        return self._take(limit)

    def feed(self, data: bytes | str) -> None:
        """Console input arrives now: it is buffered and console0 is raised."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        if data:
            self._input += data
            self._raised.add(CONSOLE_LINE)

    def _take(self, limit: int) -> bytes:
        data = bytes(self._input[:limit])
        del self._input[:limit]
        self._bytes_in += len(data)
        if self._input:
            self._raised.add(CONSOLE_LINE)  # input still waiting keeps the line up (level-triggered)
        else:
            self._raised.discard(CONSOLE_LINE)
        return data

    def _pull(self) -> bool:
        """Read the next chunk of the input stream into the console; False at its end.

        A line at a time (at most 256 bytes), so file and pipe input split the same way on
        every run and an interactive terminal delivers each line as it is typed.
        """
        if self._stream_ended:
            return False
        stream = self._stream
        chunk = stream.readline(CONSOLE_CHUNK) if hasattr(stream, "readline") else stream.read(CONSOLE_CHUNK)
        if not chunk:
            self._stream_ended = True
            return False
        self.feed(chunk)
        return True

    # -- reports --------------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counters for reports: timer ticks and overruns, console bytes written and read."""
        return {
            "ticks": self._ticks,
            "timer_overruns": self._timer_overruns,
            "bytes_out": self._bytes_out,
            "bytes_in": self._bytes_in,
            "console_waiting": len(self._input),
        }
