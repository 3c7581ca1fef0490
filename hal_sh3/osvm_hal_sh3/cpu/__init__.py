"""The SH-3 CPU core: registers (`state`), instruction set (`ops_*`, `decode`), translation
(`emit`, `translate`, `cache`), exceptions and the step machine (`core`)."""

from .core import SH3CPU, CpuConfig, StopKind, StopReason
from .decode import decode, disassemble
from .state import CpuState

__all__ = ["CpuConfig", "CpuState", "SH3CPU", "StopKind", "StopReason", "decode", "disassemble"]
