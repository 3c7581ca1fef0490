"""The SH7708 timer unit (TMU): three 32-bit down-counters; channel 0 is the OS tick.

Counting is derived from the board's cycle clock, never from the host: the
peripheral clock Pφ is the CPU clock / ``PCLK_RATIO``, and a channel counts
once per ``prescaler`` Pφ cycles, at the cycles that are multiples of its count
unit (one free-running prescaler, as on the chip). When a count finds TCNT at
0, the channel *underflows*: TCNT reloads from TCOR and TCR.UNF is set; with
TCR.UNIE the INTC sees TUNIn. So a channel started with TCNT = TCOR = N
underflows every (N + 1) counts.

State is brought up to date lazily (a register read, a write, or the board
reaching the next underflow of a channel that interrupts), in O(1) however
many counts passed, so an idle system can jump a million ticks at no cost.

TPSC selects the count unit: Pφ/4, /16, /64, /256; 5 (the TCLK pin) is wired
on this board to the CPU clock, one count per cycle, which gives any whole
period exactly; 4 (the RTC's 16 kHz output) and 6-7 do not count here.
"""

from __future__ import annotations

from collections.abc import Callable

from .intc import TUNI0, TUNI1, TUNI2, Intc
from .memory_map import Registers

TOCR = 0xFFFFFE90
TSTR = 0xFFFFFE92
CHANNEL_BASE = (0xFFFFFE94, 0xFFFFFEA0, 0xFFFFFEAC)   # TCORn; TCNTn = +4, TCRn = +8
TCPR2 = 0xFFFFFEB8

UNF = 0x0100
UNIE = 0x0020
TPSC = 0x0007
TCR_WRITABLE = (0x013F, 0x013F, 0x03FF)   # channel 2 adds ICPF and ICPE
TPSC_TCLK = 5

#: CPU clock / peripheral clock (Iφ:Pφ = 4:1, as FRQCR sets it on the 60 MHz parts).
PCLK_RATIO = 4
PRESCALERS = {0: 4, 1: 16, 2: 64, 3: 256}


def count_unit(tcr: int) -> int | None:
    """Cycles per count for a TCR value, or None when the selected clock does not count here."""
    tpsc = tcr & TPSC
    if tpsc in PRESCALERS:
        return PRESCALERS[tpsc] * PCLK_RATIO
    if tpsc == TPSC_TCLK:
        return 1
    return None


class Channel:
    """One down-counter: TCOR, TCNT, TCR, and how many times it underflowed."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.tcor = 0xFFFFFFFF
        self.tcnt = 0xFFFFFFFF
        self.tcr = 0
        self.synced = 0           # cycle up to which tcnt is exact
        self.underflows = 0
        self.overruns = 0         # underflows that found UNF still set

    def sync(self, now: int, running: bool) -> bool:
        """Apply the counts between the last sync and ``now``; True if it underflowed."""
        before = self.synced
        self.synced = now
        unit = count_unit(self.tcr)
        if not running or unit is None or now <= before:
            return False
        counts = now // unit - before // unit
        if counts <= self.tcnt:
            self.tcnt -= counts
            return False
        counts -= self.tcnt + 1
        period = self.tcor + 1
        times = 1 + counts // period
        self.tcnt = self.tcor - counts % period
        self.underflows += times
        self.overruns += times - 1 + (1 if self.tcr & UNF else 0)
        self.tcr |= UNF
        return True

    def next_underflow(self, now: int) -> int | None:
        """The cycle of the next underflow (state synced at ``now``), or None if it does not count."""
        unit = count_unit(self.tcr)
        if unit is None:
            return None
        return (now // unit + self.tcnt + 1) * unit


class Tmu:
    """TOCR, TSTR and three channels; underflows become TUNIn requests at the INTC."""

    def __init__(self, registers: Registers, intc: Intc, clock: Callable[[], int]) -> None:
        self.clock = clock
        self.intc = intc
        self.tocr = 0
        self.tstr = 0
        self.tcpr2 = 0
        self.channels = [Channel(i) for i in range(3)]
        self.due: int | None = None   # next underflow of a running channel with UNIE
        registers.add(TOCR, 1, lambda: self.tocr, self._write_tocr)
        registers.add(TSTR, 1, self._read_tstr, self._write_tstr)
        for channel, base in zip(self.channels, CHANNEL_BASE, strict=True):
            registers.add(base, 4, self._reader(channel, "tcor"), self._writer(channel, "tcor"))
            registers.add(base + 4, 4, self._reader(channel, "tcnt"), self._writer(channel, "tcnt"))
            registers.add(base + 8, 2, self._reader(channel, "tcr"), self._writer(channel, "tcr"))
        registers.add(TCPR2, 4, lambda: self.tcpr2)   # input capture is not wired: reads 0
        for channel, code, shift in zip(self.channels, (TUNI0, TUNI1, TUNI2), (12, 8, 4), strict=True):
            intc.add_source(f"TUNI{channel.index}", code, "ipra", shift,
                            lambda c=channel: c.tcr & (UNF | UNIE) == UNF | UNIE)

    # -- time ------------------------------------------------------------------------------

    def running(self, channel: Channel) -> bool:
        return bool(self.tstr >> channel.index & 1)

    def sync(self, now: int) -> None:
        """Bring every channel up to ``now``; update the INTC if one underflowed."""
        fired = False
        for channel in self.channels:
            fired |= channel.sync(now, self.running(channel))
        if fired:
            self.intc.update()
        self._schedule(now)

    def _schedule(self, now: int) -> None:
        due = None
        for channel in self.channels:
            if self.running(channel) and channel.tcr & UNIE:
                at = channel.next_underflow(now)
                if at is not None and (due is None or at < due):
                    due = at
        self.due = due

    # -- registers -------------------------------------------------------------------------

    def _reader(self, channel: Channel, field: str) -> Callable[[], int]:
        def read() -> int:
            self.sync(self.clock())
            return getattr(channel, field)
        return read

    def _writer(self, channel: Channel, field: str) -> Callable[[int], None]:
        def write(value: int) -> None:
            now = self.clock()
            self.sync(now)
            if field == "tcr":
                mask = TCR_WRITABLE[channel.index]
                keep_unf = channel.tcr & value & UNF           # UNF: writing 0 clears, 1 keeps
                value = value & mask & ~UNF | keep_unf
                channel.tcr = value
            else:
                setattr(channel, field, value & 0xFFFFFFFF)
            self.intc.update()
            self._schedule(now)
        return write

    def _write_tocr(self, value: int) -> None:
        self.tocr = value & 1

    def _read_tstr(self) -> int:
        return self.tstr

    def _write_tstr(self, value: int) -> None:
        now = self.clock()
        self.sync(now)
        self.tstr = value & 7
        self._schedule(now)

    # -- what the board's boot code and the OS layer do -------------------------------------

    def start_tick(self, period: int, now: int = 0) -> None:
        """Program channel 0 to underflow every ``period`` cycles, with UNIE, and start it."""
        for tpsc in sorted(PRESCALERS):
            unit = PRESCALERS[tpsc] * PCLK_RATIO
            if period % unit == 0 and period // unit <= 1 << 32:
                break
        else:
            tpsc, unit = TPSC_TCLK, 1
            if period > 1 << 32:
                raise ValueError(f"timer_period {period} is longer than TMU0 can count (2**32 cycles)")
        channel = self.channels[0]
        self.sync(now)
        channel.tcor = channel.tcnt = period // unit - 1
        channel.tcr = UNIE | tpsc
        self.tstr |= 1
        self._schedule(now)

    def acknowledge_tick(self) -> int:
        """Clear TCR0.UNF, as the tick handler does; the number of underflows so far."""
        channel = self.channels[0]
        channel.tcr &= ~UNF
        self.intc.update()
        return channel.underflows
