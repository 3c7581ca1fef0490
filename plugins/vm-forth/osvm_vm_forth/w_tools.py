"""Programming tools: .S ? DUMP WORDS SEE."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import layout as L
from .numbers import to_base
from .registry import word
from .w_interp import parse_name_or_throw

if TYPE_CHECKING:
    from .machine import Context, Machine


def _signed(x: int) -> int:
    return x - 0x100000000 if x & L.SIGN else x


@word(".S")
def dot_s(m: Machine, ctx: Context) -> None:
    base = m.user(ctx, L.U_BASE)
    depth = ctx.sp - ctx.s_empty
    items = [to_base(_signed(m.cells[ctx.s_empty + 1 + i]), base) for i in range(max(depth, 0))]
    m.emit(ctx, (f"<{depth}> " + "".join(x + " " for x in items)).encode())


@word("DUMP")
def dump(m: Machine, ctx: Context) -> None:
    u = m.pop(ctx)
    a = m.pop(ctx)
    data = m.memory.read(a, min(u, 4096))
    lines = []
    for i in range(0, len(data), 16):
        chunk = data[i:i + 16]
        hexes = " ".join(f"{x:02X}" for x in chunk)
        text = "".join(chr(x) if 32 <= x < 127 else "." for x in chunk)
        lines.append(f"{a + i:08X}: {hexes:<47}  {text}\n")
    m.emit(ctx, "".join(lines).encode())
    ctx.charge += len(data) >> 4


@word("WORDS")
def words(m: Machine, ctx: Context) -> None:
    order = m.order()
    names: list[str] = []
    if order:
        nt = m.cells[(order[0] + L.WID_LATEST) >> 2]
        while nt:
            if not m.flags_of(nt) & L.F_HIDDEN:
                names.append(m.name_of(nt).decode("latin-1"))
            nt = m.cells[nt >> 2]
    m.emit(ctx, (" ".join(names) + "\n").encode())
    ctx.charge += len(names)


def _decompile(m: Machine, xt: int) -> str:
    c = m.cells
    code = c[xt >> 2]
    name = m.word_name(xt)
    if code == L.DOCON:
        return f"{_signed(c[(xt >> 2) + 1])} CONSTANT {name}"
    if code == L.DOVALUE:
        return f"{_signed(c[(xt >> 2) + 1])} VALUE {name}"
    if code == L.DOVAR:
        return f"CREATE {name}"
    if code == L.DODEFER:
        return f"DEFER {name} IS {m.word_name(c[(xt >> 2) + 1])}"
    if code != L.DOCOL:
        return f"{name} is a primitive" if code < m.nprim else f"{name} is a DOES> child"
    out = [f": {name}"]
    ip = (xt >> 2) + 1
    operands = {m.xts[n]: n for n in ("(lit)", "(branch)", "(0branch)", "(do)", "(?do)", "(loop)", "(+loop)")}
    strings = {m.xts[n] for n in ("(s\")", "(.\")", "(abort\")", "(c\")")}
    furthest = 0
    for _ in range(4000):
        x = c[ip]
        ip += 1
        if x in operands:
            arg = c[ip]
            ip += 1
            if operands[x] == "(lit)":
                out.append(str(_signed(arg)))
            else:
                furthest = max(furthest, arg)
                out.append(f"{operands[x]}<{arg:#x}>")
            continue
        if x in strings:
            u = c[ip]
            text = bytes(m.bytes[(ip << 2) + 4:(ip << 2) + 4 + u]).decode("latin-1")
            out.append(f'{m.word_name(x)} "{text}"')
            ip += 1 + ((u + 3) >> 2)
            continue
        if x == m.xts["EXIT"] and (ip << 2) > furthest:
            break
        out.append(m.word_name(x))
    return " ".join(out) + " ;"


@word("SEE")
def see(m: Machine, ctx: Context) -> None:
    name = parse_name_or_throw(m, ctx)
    nt = m.find(name)
    if not nt:
        from .errors import ForthThrow

        raise ForthThrow(-13)
    text = _decompile(m, m.xt_of(nt))
    if m.flags_of(nt) & L.F_IMMEDIATE:
        text += " IMMEDIATE"
    m.emit(ctx, (text + "\n").encode())
