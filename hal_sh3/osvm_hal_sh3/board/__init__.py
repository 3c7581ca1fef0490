"""The board around the CPU: the SH7708 memory map, TMU, INTC, SCI and the osvm `Board` face."""

from .board import CONSOLE_LINE, LINES, TIMER_LINE, Sh3Board
from .memory_map import SDRAM_BASE, Registers, Sh3Bus
from .options import Sh3Options

__all__ = ["CONSOLE_LINE", "LINES", "SDRAM_BASE", "TIMER_LINE", "Registers", "Sh3Board", "Sh3Bus", "Sh3Options"]
