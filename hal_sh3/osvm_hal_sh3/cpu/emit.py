"""The code-generation context instruction templates write Python source against.

Every instruction is defined once, as a template that returns Python source
lines (see the ``ops_*`` modules). The translator strings those lines into
either a one-instruction *unit* (the pre-decoded interpreter) or a whole basic
block, compiles it once and caches it by address. Inside generated code these
names exist:

* ``r`` - the register list (R0-R15 as the program sees them), ``c`` - the CPU,
  ``t`` - a local copy of SR.T (written back at every exit), ``pc`` - the
  address the function was entered at;
* ``rd8/rd16/rd32/wr8/wr16/wr32`` - the bus's methods, bound once per CPU, and
  when the bus has a RAM window ``RB``/``RE`` (its bounds) and ``m8/m16/m32``;
* ``cp`` / ``inv`` - the code-page map and the invalidator (self-modifying code);
* the exception classes ``AE``, ``ILL``, ``SLOT``, ``TRAP``, ``SLEEP`` and ``CW`` (end the block)
  and the helpers the more involved instructions call.

Templates may use the scratch locals ``a``, ``v``, ``x``, ``y``, ``s``, ``tg``.
Each template must raise before it changes any state (loads and checks first,
register writes last) so an exception leaves the instruction undone.
"""

from __future__ import annotations

from dataclasses import dataclass

M32 = 0xFFFFFFFF


@dataclass
class Emit:
    """Where the instruction being generated sits, and which checks the configuration wants."""

    base: int | None            # block start address, or None for a unit (address is ``pc``)
    check_alignment: bool = True
    check_privilege: bool = True
    window: bool = False        # the bus offers a RAM window (``RB``..``RE``, views ``m8/m16/m32``)
    off: int = 0                # byte offset of the current instruction from the start
    in_slot: bool = False       # generating the delay slot of the preceding branch
    last: bool = False          # the function returns right after this instruction

    # -- addresses ------------------------------------------------------------

    def here(self, delta: int = 0) -> str:
        """Source for (address of this instruction + ``delta``) mod 2**32."""
        if self.base is None:
            return f"((pc + {self.off + delta}) & 0xFFFFFFFF)"
        return hex((self.base + self.off + delta) & M32)

    def pc_relative(self, disp: int, align4: bool) -> str:
        """Effective address of ``@(disp,PC)`` / MOVA: (PC [& ~3]) + 4 + disp.

        In a delay slot the SH-1/2/3 manuals define the PC seen by a
        PC-relative instruction as the branch destination + 2.
        """
        if self.in_slot:
            mask = "& 0xFFFFFFFC" if align4 else ""
            return f"((((tg + 2) {mask}) + {4 + disp}) & 0xFFFFFFFF)"
        if self.base is None:
            inner = "(pc + {0}) & 0xFFFFFFFC" if align4 else "pc + {0}"
            return f"(({inner.format(self.off)}) + {4 + disp}) & 0xFFFFFFFF"
        at = self.base + self.off
        if align4:
            at &= ~3
        return hex((at + 4 + disp) & M32)

    # -- memory ----------------------------------------------------------------

    def load(self, size: int, address: str, into: str = "v") -> list[str]:
        """Read ``size`` bytes at ``address`` into the local ``into`` (zero-extended)."""
        lines = [f"a = {address}"]
        if size > 1 and self.check_alignment:
            lines.append(f"if a & {size - 1}: raise AE(a, 0)")
        bits = size * 8
        if self.window and (size == 1 or self.check_alignment):
            shift = {1: "", 2: " >> 1", 4: " >> 2"}[size]
            lines.append(f"{into} = m{bits}[(a - RB){shift}] if RB <= a < RE else rd{bits}(a)")
        else:
            lines.append(f"{into} = rd{bits}(a)")
        return lines

    def store(self, size: int, address: str, value: str, then: list[str] | None = None) -> list[str]:
        """Write ``value`` (already truncated) at ``address``, run ``then``, look after translated code there.

        ``then`` holds the instruction's register updates: they must happen
        before a hit on translated code ends the block.
        """
        lines = [f"a = {address}"]
        if size > 1 and self.check_alignment:
            lines.append(f"if a & {size - 1}: raise AE(a, 1)")
        bits = size * 8
        if self.window and (size == 1 or self.check_alignment):
            shift = {1: "", 2: " >> 1", 4: " >> 2"}[size]
            lines.append(f"if RB <= a < RE: m{bits}[(a - RB){shift}] = {value}")
            lines.append(f"else: wr{bits}(a, {value})")
        else:
            lines.append(f"wr{bits}(a, {value})")
        lines.extend(then or ())
        hit = "a >> 5 in cp"
        if size > 1 and not self.check_alignment:
            hit = f"({hit} or (a + {size - 1}) >> 5 in cp)"
        if self.last:
            lines.append(f"if {hit}: inv(a, {size})")
        else:
            # End the block after a store that rewrote translated code or made an
            # interrupt ready (a device register write), so both act at once.
            lines.append(f"if {hit} and inv(a, {size}) or c.irq_ready: raise CW")
        return lines

    # -- checks ----------------------------------------------------------------

    def privileged(self) -> list[str]:
        """Raise the illegal-instruction exception when SR.MD = 0 (slot-illegal in a slot)."""
        if not self.check_privilege:
            return []
        exc = "SLOT" if self.in_slot else "ILL"
        return [f"if not c.srx & 0x40000000: raise {exc}()"]


def s8(value: int) -> int:
    """Sign-extend an 8-bit field."""
    return value - 0x100 if value & 0x80 else value


def s12(value: int) -> int:
    """Sign-extend a 12-bit field."""
    return value - 0x1000 if value & 0x800 else value
