"""A small two-pass SH-3 assembler over the same table the decoder uses.

For tests, benchmarks and hand-written boot code; not a replacement for
binutils. One statement per line: ``label:``, an instruction in Renesas syntax
(``MOV.L @(8,R4),R1``, ``BT/S loop``, ``MOV.L @(value,PC),R0`` with a label),
or ``.word``/``.long``/``.align``. Comments start with ``;`` or ``!``.
Displacements are written in bytes, as in the manuals.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .isa import REGISTRY, OpSpec


class AsmError(ValueError):
    """A statement the assembler cannot encode (the message names the line)."""


def _operand_regex(syntax: str) -> re.Pattern[str]:
    _, _, operands = syntax.partition(" ")
    text = re.escape(operands)
    for token, group in (
        ("Rn_BANK", r"R(?P<n>\d+)_BANK"), ("Rm_BANK", r"R(?P<m>\d+)_BANK"),
        ("Rn", r"R(?P<n>\d+)"), ("Rm", r"R(?P<m>\d+)"),
        (r"\#imm", r"\#(?P<i>[^,]+)"), ("disp", r"(?P<d>(?!R\d)[^,()]+)"), ("label", r"(?P<l>\S+)"),
    ):
        text = text.replace(token, group)
    return re.compile(text + r"\Z", re.IGNORECASE)


@lru_cache(maxsize=1)
def _by_mnemonic() -> dict[str, list[tuple[OpSpec, re.Pattern[str]]]]:
    table: dict[str, list[tuple[OpSpec, re.Pattern[str]]]] = {}
    for spec in REGISTRY:
        mnemonic = spec.syntax.partition(" ")[0].upper()
        table.setdefault(mnemonic, []).append((spec, _operand_regex(spec.syntax)))
    return table


def _scale(syntax: str) -> int:
    if ".L" in syntax or syntax.startswith("MOVA"):
        return 4
    return 2 if ".W" in syntax else 1


def _statements(source: str) -> list[tuple[int, str]]:
    out = []
    for number, raw in enumerate(source.splitlines(), 1):
        line = re.split(r"[;!]", raw, maxsplit=1)[0].strip()
        while (match := re.match(r"([A-Za-z_.$][\w.$]*):\s*", line)):
            out.append((number, match.group(1) + ":"))
            line = line[match.end():]
        if line:
            out.append((number, line))
    return out


def assemble(source: str, origin: int = 0) -> bytes:
    """Assemble ``source`` placed at ``origin``; returns little-endian machine code."""
    statements = _statements(source)
    labels: dict[str, int] = {}
    address = origin
    for _, text in statements:  # pass 1: addresses
        if text.endswith(":"):
            labels[text[:-1]] = address
        else:
            address += _size(text, address)
    out = bytearray()
    address = origin
    for number, text in statements:  # pass 2: encoding
        if text.endswith(":"):
            continue
        try:
            out += _encode(text, address, labels)
        except (AsmError, ValueError, KeyError) as exc:
            raise AsmError(f"line {number}: {text!r}: {exc}") from None
        address = origin + len(out)
    return bytes(out)


def _size(text: str, address: int) -> int:
    word = text.split()[0].lower()
    if word == ".long":
        return 4
    if word == ".align":
        step = int(text.split()[1], 0)
        return -address % step
    return 2


def _value(token: str, labels: dict[str, int]) -> int:
    token = token.strip()
    return labels[token] if token in labels else int(token, 0)


def _encode(text: str, address: int, labels: dict[str, int]) -> bytes:
    word, _, rest = text.partition(" ")
    lowered = word.lower()
    if lowered == ".word":
        return (_value(rest, labels) & 0xFFFF).to_bytes(2, "little")
    if lowered == ".long":
        return (_value(rest, labels) & 0xFFFFFFFF).to_bytes(4, "little")
    if lowered == ".align":
        return bytes(_size(text, address))
    operands = rest.replace(" ", "")
    for spec, regex in _by_mnemonic().get(word.upper(), []):
        match = regex.match(operands)
        if match:
            return _fields(spec, match.groupdict(), address, labels).to_bytes(2, "little")
    raise AsmError("no such instruction form")


def _fields(spec: OpSpec, groups: dict[str, str | None], address: int, labels: dict[str, int]) -> int:
    opcode = spec.match
    for letter, (shift, width) in spec.fields.items():
        limit = 1 << width
        if letter in "nm":
            value = int(groups[letter] or 0)
            if value >= limit:
                raise AsmError(f"register R{value} not allowed here")
        elif groups.get("l") is not None:
            offset = _value(groups["l"] or "", labels) - (address + 4)
            value = offset >> 1
            if offset & 1 or not -(limit >> 1) <= value < limit >> 1:
                raise AsmError(f"branch target out of range ({offset:+d} bytes)")
        elif groups.get("i") is not None:
            value = _value(groups["i"] or "", labels)
            if not -(limit >> 1) <= value < limit:
                raise AsmError(f"immediate {value} out of range")
        else:
            scale = _scale(spec.syntax)
            token = (groups.get("d") or "").strip()
            if "PC" in spec.syntax and token in labels:
                base = (address & ~3 if scale == 4 else address) + 4
                disp = labels[token] - base
            else:
                disp = _value(token, labels)
            value = disp // scale
            if disp % scale or not 0 <= value < limit:
                raise AsmError(f"displacement {disp} out of range or misaligned")
        opcode |= (value & (limit - 1)) << shift
    return opcode
