"""Opcode -> instruction: the table built from every ``ops_*`` declaration, plus a disassembler.

Decoding happens once per translated instruction (results are memoised per
opcode), never per executed instruction.
"""

from __future__ import annotations

from functools import cache

from . import ops_arith, ops_branch, ops_logic, ops_shift, ops_system, ops_transfer  # noqa: F401 (register ops)
from .emit import s8, s12
from .isa import REGISTRY, OpSpec


def _index() -> list[list[OpSpec]]:
    """Specs grouped by the top nibble, after checking that no two encodings overlap."""
    by_nibble: list[list[OpSpec]] = [[] for _ in range(16)]
    for spec in REGISTRY:
        for other in REGISTRY:
            common = spec.mask & other.mask
            if other is not spec and (spec.match & common) == (other.match & common):
                raise RuntimeError(f"overlapping encodings {spec.syntax} / {other.syntax}")
        for nibble in range(16):
            if (nibble << 12) & spec.mask & 0xF000 == spec.match & 0xF000 & spec.mask:
                by_nibble[nibble].append(spec)
    return by_nibble


_BY_NIBBLE = _index()


@cache
def decode(opcode: int) -> tuple[OpSpec, int, int, int] | None:
    """(spec, n, m, imm) for a defined SH-3 integer opcode, or None for an undefined one."""
    for spec in _BY_NIBBLE[opcode >> 12]:
        if opcode & spec.mask == spec.match:
            n, m, i = spec.operands(opcode)
            return spec, n, m, i
    return None


def disassemble(opcode: int, pc: int | None = None) -> str:
    """Assembler text for ``opcode`` (branch labels as absolute addresses when ``pc`` is given)."""
    found = decode(opcode)
    if found is None:
        return f".word {opcode:#06x}"
    spec, n, m, i = found
    text = spec.syntax.replace("Rn", f"R{n}").replace("Rm", f"R{m}")
    text = text.replace("#imm", f"#{s8(i) if spec.syntax.startswith(('MOV', 'ADD', 'CMP')) else i}")
    if "label" in text:
        disp = s12(i) if spec.pattern.endswith("d" * 12) else s8(i)
        text = text.replace("label", f"{(pc + 4 + disp * 2) & 0xFFFFFFFF:#x}" if pc is not None
                            else f".{disp * 2 + 4:+d}")
    elif "disp" in text:
        scale = 4 if ".L" in text or "MOVA" in text else 2 if ".W" in text else 1
        text = text.replace("disp", str(i * scale))
    return text
