"""osvm-hal-virt: a minimal deterministic board with no CPU, registered as the HAL "virt"."""

from osvm_hal_virt.board import CONSOLE_LINE, LINES, TIMER_LINE, VirtBoard
from osvm_hal_virt.options import VirtOptions, parse_size

__all__ = ["CONSOLE_LINE", "LINES", "TIMER_LINE", "VirtBoard", "VirtOptions", "parse_size"]
