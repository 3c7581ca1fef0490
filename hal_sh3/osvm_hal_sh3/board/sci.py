"""The SH7708 serial communication interface (SCI), asynchronous mode: the board's console.

Transmit: the program writes SCTDR, then clears SCSSR.TDRE; with SCSCR.TE the
byte goes to the console writer at once (transmission takes no simulated
time, so the baud rate in SCBRR is kept but not timed) and TDRE and TEND are
set again. Receive: console input waits in a queue behind SCRDR; with
SCSCR.RE the first byte sits in SCRDR with RDRF set, and clearing RDRF moves
the next one in. The OS layer takes input in chunks through `take`.

Status flags follow the chip: TDRE, RDRF, ORER, FER and PER are cleared by
writing 0 (writing 1 keeps them), TEND is read-only. Interrupt requests:
RXI (RIE and RDRF), TXI (TIE and TDRE), TEI (TEIE and TEND); ERI never, as
the line has no errors.
"""

from __future__ import annotations

from collections.abc import Callable

from .intc import ERI, RXI, TEI, TXI, Intc
from .memory_map import Registers

SCSMR = 0xFFFFFE80
SCBRR = 0xFFFFFE82
SCSCR = 0xFFFFFE84
SCTDR = 0xFFFFFE86
SCSSR = 0xFFFFFE88
SCRDR = 0xFFFFFE8A
SCSCMR = 0xFFFFFE8C

# SCSCR
TIE, RIE, TE, RE, MPIE, TEIE = 0x80, 0x40, 0x20, 0x10, 0x08, 0x04
# SCSSR
TDRE, RDRF, ORER, FER, PER, TEND, MPB, MPBT = 0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01
CLEARABLE = TDRE | RDRF | ORER | FER | PER


class Sci:
    def __init__(self, registers: Registers, intc: Intc, write: Callable[[bytes], object]) -> None:
        self.intc = intc
        self._write = write
        self.scsmr = 0
        self.scbrr = 0xFF
        self.scscr = 0
        self.sctdr = 0xFF
        self.scssr = TDRE | TEND
        self.scrdr = 0
        self.queue = bytearray()       # received bytes behind SCRDR
        self.bytes_out = 0
        self.bytes_in = 0
        registers.add(SCSMR, 1, lambda: self.scsmr, self._set("scsmr"))
        registers.add(SCBRR, 1, lambda: self.scbrr, self._set("scbrr"))
        registers.add(SCSCR, 1, lambda: self.scscr, self._write_scscr)
        registers.add(SCTDR, 1, lambda: self.sctdr, self._set("sctdr"))
        registers.add(SCSSR, 1, lambda: self.scssr, self._write_scssr)
        registers.add(SCRDR, 1, lambda: self.scrdr)
        registers.plain(SCSCMR, 1)
        intc.add_source("ERI", ERI, "iprb", 4, lambda: False)
        intc.add_source("RXI", RXI, "iprb", 4, lambda: bool(self.scscr & RIE and self.scssr & RDRF))
        intc.add_source("TXI", TXI, "iprb", 4, lambda: bool(self.scscr & TIE and self.scssr & TDRE))
        intc.add_source("TEI", TEI, "iprb", 4, lambda: bool(self.scscr & TEIE and self.scssr & TEND))

    def _set(self, field: str) -> Callable[[int], None]:
        def write(value: int) -> None:
            setattr(self, field, value & 0xFF)
        return write

    def _write_scscr(self, value: int) -> None:
        self.scscr = value & 0xFF
        self._load_rdr()
        self.intc.update()

    def _write_scssr(self, value: int) -> None:
        cleared = self.scssr & CLEARABLE & ~value
        self.scssr = self.scssr & ~cleared & ~MPBT | value & MPBT
        if cleared & TDRE:
            if self.scscr & TE:
                self.transmit(bytes((self.sctdr,)))
            else:
                self.scssr |= TDRE        # with TE = 0 TDRE stays set: nothing is sent
        if cleared & RDRF:
            self._load_rdr()
        self.intc.update()

    def _load_rdr(self) -> None:
        if self.scscr & RE and not self.scssr & RDRF and self.queue:
            self.scrdr = self.queue.pop(0)
            self.scssr |= RDRF

    # -- the console as the board sees it ------------------------------------------------

    def transmit(self, data: bytes) -> None:
        if data:
            self.bytes_out += len(data)
            self._write(data)
        self.scssr |= TDRE | TEND

    def receive(self, data: bytes) -> None:
        """Bytes arrive on the line."""
        self.queue += data
        self._load_rdr()
        self.intc.update()

    def waiting(self) -> int:
        """Received bytes not taken yet (SCRDR included)."""
        return len(self.queue) + (1 if self.scssr & RDRF else 0)

    def take(self, limit: int) -> bytes:
        """Up to ``limit`` received bytes, SCRDR first (what a driver's receive loop would collect)."""
        data = bytearray()
        if limit > 0 and self.scssr & RDRF:
            data.append(self.scrdr)
            self.scssr &= ~RDRF
        rest = limit - len(data)
        if rest > 0:
            data += self.queue[:rest]
            del self.queue[:rest]
        self.bytes_in += len(data)
        self._load_rdr()
        self.intc.update()
        return bytes(data)
