"""How an instruction is declared: its encoding pattern, assembler syntax, flags and source template.

Each ``ops_*`` module declares its instructions with `op`; `decode` collects
them. Keeping encoding, syntax and semantics in one place lets the decoder,
the disassembler and the small assembler share one table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .emit import Emit

Template = Callable[[Emit, int, int, int], list[str]]

DELAYED = 1   # delayed branch: the next instruction runs in its delay slot
COND = 2      # branch without a slot (BT/BF): the template sets ``tg``
ENDS = 4      # ends a translated block (SR writers, SLEEP, TRAPA)
NOSLOT = 8    # modifies PC: slot-illegal in a delay slot
PRIV = 16     # privileged: illegal in user mode

AFTER_SLOT = "# after slot"  # a delayed branch's lines after this marker run after its slot


@dataclass(frozen=True)
class OpSpec:
    """One encoding: ``pattern`` is 16 characters of 0/1 and field letters n, m, i, d."""

    pattern: str
    syntax: str
    template: Template
    flags: int = 0
    mask: int = field(init=False)
    match: int = field(init=False)
    fields: dict[str, tuple[int, int]] = field(init=False)  # letter -> (shift, width)

    def __post_init__(self) -> None:
        if len(self.pattern) != 16:
            raise ValueError(f"bad pattern {self.pattern!r}")
        mask = match = 0
        fields: dict[str, tuple[int, int]] = {}
        for pos, ch in enumerate(self.pattern):
            bit = 15 - pos
            if ch in "01":
                mask |= 1 << bit
                match |= int(ch) << bit
            else:  # scanning from the top bit down, a field's shift ends at its lowest bit
                fields[ch] = (bit, fields.get(ch, (bit, 0))[1] + 1)
        object.__setattr__(self, "mask", mask)
        object.__setattr__(self, "match", match)
        object.__setattr__(self, "fields", fields)

    def operands(self, opcode: int) -> tuple[int, int, int]:
        """(n, m, immediate-or-displacement) of ``opcode``; absent fields are 0."""
        values = {"n": 0, "m": 0, "i": 0}
        for letter, (shift, width) in self.fields.items():
            values["i" if letter == "d" else letter] = (opcode >> shift) & ((1 << width) - 1)
        return values["n"], values["m"], values["i"]


REGISTRY: list[OpSpec] = []


def op(pattern: str, syntax: str, flags: int = 0) -> Callable[[Template], Template]:
    """Declare the decorated template as the semantics of ``pattern``."""

    def register(template: Template) -> Template:
        REGISTRY.append(OpSpec(pattern, syntax, template, flags))
        return template

    return register
