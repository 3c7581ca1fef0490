"""The system primitives: ``f(machine, ctx)`` with ip/sp/rp stored in the context.

Each word module registers its primitives with ``registry.word(name, flags)`` as it
is imported; the import order below fixes the opcode numbers. A primitive may move
``ctx.ip``, add cycles to ``ctx.charge``, raise ForthThrow, or return an event (a
system call) after leaving ``ctx.on_result``/``ctx.on_error`` to take the answer.
"""

from __future__ import annotations

from . import w_compile, w_interp, w_os, w_runtime, w_tools  # noqa: F401  (registration order)
from .registry import COMPILE_ONLY, IMMEDIATE, SYSTEM, word

__all__ = ["COMPILE_ONLY", "IMMEDIATE", "SYSTEM", "word"]
