"""Translate SH-3 code into Python functions: one instruction (a *unit*) or a basic block.

A translated function has the signature ``f(r, c, pc) -> next_pc``. It runs a
straight line of instructions; a delayed branch is always translated together
with its slot, so nothing can stop between them. When an instruction raises
(an SH-3 exception, TRAPA, SLEEP, or a store that ends the block early) the
function records the index of that instruction in ``c.fault_index`` and
re-raises: everything before it has completed, nothing of it has, so the run
loop can put the exception exactly where the hardware would.

Units are translated without knowing their address (they read it from ``pc``),
so their compiled code is shared by every address and every CPU that holds
the same opcode; blocks have their addresses folded in as constants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import CodeType

from ..bus import BusError
from .decode import decode
from .emit import Emit
from .isa import AFTER_SLOT, COND, DELAYED, ENDS, NOSLOT, PRIV


@dataclass(frozen=True, slots=True)
class Translation:
    """Python source for a run of instructions, and what the run loop must know about it."""

    source: str
    start: int
    length: int      # instructions
    has_slot: bool   # the last instruction is a delay slot
    end: int         # first byte after the translated code (for invalidation)
    readable: bool = True  # False: a fetch failed (don't cache; memory may be mapped later)


def _fetch(fetch, address: int) -> int | None:
    try:
        return fetch(address & 0xFFFFFFFF)
    except (BusError, IndexError, KeyError):
        return None


def _instruction(e: Emit, opcode: int | None, address: str) -> list[str]:
    """The source lines of one instruction at the emitter's current position."""
    if opcode is None:
        return [f"raise AE({address}, 0, True)"]
    found = decode(opcode)
    if found is None:
        return ["raise SLOT()" if e.in_slot else "raise ILL()"]
    spec, n, m, i = found
    if e.in_slot and spec.flags & NOSLOT:
        return ["raise SLOT()"]
    lines = e.privileged() if spec.flags & PRIV else []
    return lines + spec.template(e, n, m, i)


_CALL = re.compile(r"[A-Za-z_]\(|raise")


def _may_raise(lines: list[str]) -> bool:
    """Whether an instruction can raise (it calls something or raises), so it needs its index."""
    return any(_CALL.search(line) for line in lines)


def translate(fetch, start: int, *, unit: bool, max_length: int = 64, check_alignment: bool = True,
              check_privilege: bool = True, window: bool = False) -> Translation:
    """Translate from ``start``: one instruction (plus its slot) when ``unit``, else a block."""
    e = Emit(base=None if unit else start, check_alignment=check_alignment,
             check_privilege=check_privilege, window=window)
    body: list[str] = []
    length = 0
    has_slot = False
    exit_lines: list[str] = []
    readable = True

    def emit(lines: list[str]) -> None:
        if length and _may_raise(lines):
            body.append(f"k = {length}")
        body.extend(lines)

    if start & 1 and check_alignment:
        # An odd PC is an instruction-fetch address error at the first instruction.
        emit([f"raise AE({e.here()}, 0)"])
        return _finish(body, [], start, 1, False, start + 2, True)

    while True:
        opcode = _fetch(fetch, start + e.off)
        found = decode(opcode) if opcode is not None else None
        flags = found[0].flags if found else ENDS
        if opcode is None:
            if length:
                break  # nothing readable here: end the block before it
            readable = False
        e.last = unit or bool(flags & (COND | ENDS)) or length + 1 >= max_length
        lines = _instruction(e, opcode, e.here())
        after: list[str] = []
        if AFTER_SLOT in lines:
            cut = lines.index(AFTER_SLOT)
            lines, after = lines[:cut], lines[cut + 1:]
        emit(lines)
        length += 1
        end = start + e.off + 2
        if flags & DELAYED:
            e.off += 2
            e.in_slot = True
            e.last = True
            slot = _fetch(fetch, start + e.off)
            readable = readable and slot is not None
            emit(_instruction(e, slot, e.here()))
            length += 1
            end += 2
            has_slot = True
            exit_lines = [*after, "c.t = t", "return tg"]
            break
        if flags & COND:
            exit_lines = ["c.t = t", "return tg"]
            break
        e.off += 2
        if e.last:
            break
    if not exit_lines:
        exit_lines = ["c.t = t", f"return {e.here()}"]
    return _finish(body, exit_lines, start, length, has_slot, end, readable)


def _finish(body: list[str], exit_lines: list[str], start: int, length: int, has_slot: bool,
            end: int, readable: bool) -> Translation:
    inner = "\n".join("        " + line for line in body + exit_lines)
    source = (
        "def _f(r, c, pc):\n"
        "    t = c.t\n"
        "    k = 0\n"
        "    try:\n"
        f"{inner}\n"
        "    except BaseException:\n"
        "        c.t = t\n"
        "        c.fault_index = k\n"
        "        raise\n"
    )
    return Translation(source, start & 0xFFFFFFFF, length, has_slot, end & 0xFFFFFFFF, readable)


_CODE: dict[str, CodeType] = {}
_CODE_LIMIT = 50_000


def compile_translation(source: str) -> CodeType:
    """Compile once per distinct source (units recur across addresses and CPUs)."""
    code = _CODE.get(source)
    if code is None:
        if len(_CODE) >= _CODE_LIMIT:
            _CODE.clear()
        code = _CODE[source] = compile(source, "<sh3-translation>", "exec")
    return code
