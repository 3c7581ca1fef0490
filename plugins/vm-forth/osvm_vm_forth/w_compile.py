"""System primitives of the compiler: colon definitions, defining words, control structures,
literals and strings, POSTPONE, MARKER, conditional compilation.

The control-flow stack is the data stack: an orig or a dest is the address of a
branch cell, a do-sys the address of the cell that receives the loop's exit
address (LEAVE jumps there). Colon definitions remember the data-stack depth, so
``;`` finds an unbalanced control structure (THROW -22).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import layout as L
from .errors import ForthThrow
from .registry import COMPILE_ONLY, IMMEDIATE, word
from .w_interp import compile_literal, parse, parse_name, parse_name_or_throw, source_text, tick_xt

if TYPE_CHECKING:
    from .machine import Context, Machine

M = L.MASK
IC = IMMEDIATE | COMPILE_ONLY


def _state(m: Machine, ctx: Context) -> int:
    return m.cells[(ctx.up + L.U_STATE) >> 2]


def compile_xt(m: Machine, name: str) -> None:
    m.comma(m.xts[name])


def compile_string(m: Machine, runtime: str, text: bytes) -> None:
    """``runtime`` followed by the text as [length cell][bytes], aligned."""
    compile_xt(m, runtime)
    m.comma(len(text))
    m.write_bytes(text)
    m.align()


# ---------------------------------------------------------------- colon definitions
@word(":")
def colon(m: Machine, ctx: Context) -> None:
    name = parse_name_or_throw(m, ctx)
    m.create_header(name, L.DOCOL, L.F_HIDDEN)
    ctx.defining = (m.sysvar(L.SYS_LAST_NT), ctx.sp - ctx.s_empty)
    m.set_user(ctx, L.U_STATE, M)


@word(":NONAME")
def colon_noname(m: Machine, ctx: Context) -> None:
    m.align()
    xt = m.here
    m.comma(L.DOCOL)
    m.set_sysvar(L.SYS_LAST_XT, xt)
    m.set_sysvar(L.SYS_LAST_NT, 0)
    m.push(ctx, xt)
    ctx.defining = (0, ctx.sp - ctx.s_empty)
    m.set_user(ctx, L.U_STATE, M)


@word(";", IC)
def semicolon(m: Machine, ctx: Context) -> None:
    nt, depth = ctx.defining
    if depth >= 0 and ctx.sp - ctx.s_empty != depth:
        raise ForthThrow(-22)
    compile_xt(m, "EXIT")
    if nt:
        m.bytes[nt + 8] &= ~L.F_HIDDEN & 0xFF
    ctx.defining = (0, -1)
    m.set_user(ctx, L.U_STATE, 0)


@word("IMMEDIATE")
def immediate(m: Machine, ctx: Context) -> None:
    nt = m.sysvar(L.SYS_LAST_NT)
    if nt:
        m.bytes[nt + 8] |= L.F_IMMEDIATE


@word("RECURSE", IC)
def recurse(m: Machine, ctx: Context) -> None:
    m.comma(m.sysvar(L.SYS_LAST_XT))


@word("COMPILE,")
def compile_comma(m: Machine, ctx: Context) -> None:
    m.comma(m.pop(ctx))


@word("LITERAL", IC)
def literal(m: Machine, ctx: Context) -> None:
    compile_literal(m, m.pop(ctx))


@word("2LITERAL", IC)
def two_literal(m: Machine, ctx: Context) -> None:
    hi = m.pop(ctx)
    lo = m.pop(ctx)
    compile_literal(m, lo)
    compile_literal(m, hi)


@word("SLITERAL", IC)
def sliteral(m: Machine, ctx: Context) -> None:
    compile_string(m, "(s\")", m.pop_string(ctx))


@word("POSTPONE", IC)
def postpone(m: Machine, ctx: Context) -> None:
    name = parse_name_or_throw(m, ctx)
    nt = m.find(name)
    if not nt:
        raise ForthThrow(-13)
    xt = m.xt_of(nt)
    if m.flags_of(nt) & L.F_IMMEDIATE:
        m.comma(xt)
    else:
        compile_literal(m, xt)
        compile_xt(m, "COMPILE,")


@word("[COMPILE]", IC)
def bracket_compile(m: Machine, ctx: Context) -> None:
    m.comma(tick_xt(m, ctx))


@word("[']", IC)
def bracket_tick(m: Machine, ctx: Context) -> None:
    compile_literal(m, tick_xt(m, ctx))


@word("[CHAR]", IC)
def bracket_char(m: Machine, ctx: Context) -> None:
    a, u = parse_name(m, ctx)
    compile_literal(m, m.bytes[a] if u else 0)


# ---------------------------------------------------------------- strings
_ESCAPES = {
    ord("a"): b"\x07", ord("b"): b"\x08", ord("e"): b"\x1b", ord("f"): b"\x0c", ord("l"): b"\n",
    ord("m"): b"\r\n", ord("n"): b"\n", ord("q"): b'"', ord("r"): b"\r", ord("t"): b"\t",
    ord("v"): b"\x0b", ord("z"): b"\x00", ord('"'): b'"', ord("\\"): b"\\",
}


def parse_escaped(m: Machine, ctx: Context) -> bytes:
    """The text of ``S\\"``: up to an unescaped quote, with the standard escapes."""
    a, text, i = source_text(m, ctx)
    out = bytearray()
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == 34:
            i += 1
            break
        if ch == 92 and i + 1 < n:
            e = text[i + 1]
            if e == ord("x") and i + 3 < n:
                out.append(int(text[i + 2:i + 4], 16))
                i += 4
                continue
            out += _ESCAPES.get(e, bytes([e]))
            i += 2
            continue
        out.append(ch)
        i += 1
    m.set_user(ctx, L.U_IN, i)
    return bytes(out)


def _string_word(m: Machine, ctx: Context, text: bytes) -> None:
    if _state(m, ctx):
        compile_string(m, "(s\")", text)
    else:
        m.push(ctx, m.transient(ctx, text))
        m.push(ctx, len(text))


@word("S\"", IMMEDIATE)
def s_quote(m: Machine, ctx: Context) -> None:
    a, u = parse(m, ctx, 34)
    _string_word(m, ctx, m.memory.read(a, u))


@word("S\\\"", IMMEDIATE)
def s_backslash_quote(m: Machine, ctx: Context) -> None:
    _string_word(m, ctx, parse_escaped(m, ctx))


@word(".\"", IMMEDIATE)
def dot_quote(m: Machine, ctx: Context) -> None:
    a, u = parse(m, ctx, 34)
    text = m.memory.read(a, u)
    if _state(m, ctx):
        compile_string(m, "(.\")", text)
    else:
        m.emit(ctx, text)


@word("C\"", IC)
def c_quote(m: Machine, ctx: Context) -> None:
    a, u = parse(m, ctx, 34)
    text = m.memory.read(a, u)[:255]
    compile_xt(m, "(c\")")
    m.comma(len(text) + 1)
    m.ccomma(len(text))
    m.write_bytes(text)
    m.align()


@word("ABORT\"", IC)
def abort_quote(m: Machine, ctx: Context) -> None:
    a, u = parse(m, ctx, 34)
    compile_string(m, "(abort\")", m.memory.read(a, u))


# ---------------------------------------------------------------- control structures
def _orig(m: Machine, branch: str) -> int:
    compile_xt(m, branch)
    here = m.here
    m.comma(0)
    return here


def _resolve(m: Machine, orig: int) -> None:
    if orig & 3 or not m.sys <= orig < m.dict_end:
        raise ForthThrow(-22)
    m.cells[orig >> 2] = m.here


@word("IF", IC)
def if_(m: Machine, ctx: Context) -> None:
    m.push(ctx, _orig(m, "(0branch)"))


@word("AHEAD", IC)
def ahead(m: Machine, ctx: Context) -> None:
    m.push(ctx, _orig(m, "(branch)"))


@word("ELSE", IC)
def else_(m: Machine, ctx: Context) -> None:
    orig = m.pop(ctx)
    new = _orig(m, "(branch)")
    _resolve(m, orig)
    m.push(ctx, new)


@word("THEN", IC)
def then(m: Machine, ctx: Context) -> None:
    _resolve(m, m.pop(ctx))


@word("BEGIN", IC)
def begin(m: Machine, ctx: Context) -> None:
    m.push(ctx, m.here)


@word("UNTIL", IC)
def until(m: Machine, ctx: Context) -> None:
    compile_xt(m, "(0branch)")
    m.comma(m.pop(ctx))


@word("AGAIN", IC)
def again(m: Machine, ctx: Context) -> None:
    compile_xt(m, "(branch)")
    m.comma(m.pop(ctx))


@word("WHILE", IC)
def while_(m: Machine, ctx: Context) -> None:
    dest = m.pop(ctx)
    m.push(ctx, _orig(m, "(0branch)"))
    m.push(ctx, dest)


@word("REPEAT", IC)
def repeat(m: Machine, ctx: Context) -> None:
    dest = m.pop(ctx)
    orig = m.pop(ctx)
    compile_xt(m, "(branch)")
    m.comma(dest)
    _resolve(m, orig)


@word("DO", IC)
def do(m: Machine, ctx: Context) -> None:
    m.push(ctx, _orig(m, "(do)"))


@word("?DO", IC)
def question_do(m: Machine, ctx: Context) -> None:
    m.push(ctx, _orig(m, "(?do)"))


def _loop(m: Machine, ctx: Context, runtime: str) -> None:
    dosys = m.pop(ctx)
    compile_xt(m, runtime)
    m.comma(dosys + 4)
    _resolve(m, dosys)


@word("LOOP", IC)
def loop(m: Machine, ctx: Context) -> None:
    _loop(m, ctx, "(loop)")


@word("+LOOP", IC)
def plus_loop(m: Machine, ctx: Context) -> None:
    _loop(m, ctx, "(+loop)")


@word("CASE", IC)
def case(m: Machine, ctx: Context) -> None:
    m.push(ctx, 0)


@word("OF", IC)
def of(m: Machine, ctx: Context) -> None:
    compile_xt(m, "OVER")
    compile_xt(m, "=")
    m.push(ctx, _orig(m, "(0branch)"))
    compile_xt(m, "DROP")


@word("ENDOF", IC)
def endof(m: Machine, ctx: Context) -> None:
    else_(m, ctx)


@word("ENDCASE", IC)
def endcase(m: Machine, ctx: Context) -> None:
    compile_xt(m, "DROP")
    while True:
        orig = m.pop(ctx)
        if not orig:
            break
        _resolve(m, orig)


# ---------------------------------------------------------------- defining words
def _header(m: Machine, ctx: Context, code: int) -> int:
    return m.create_header(parse_name_or_throw(m, ctx), code)


@word("CREATE")
def create(m: Machine, ctx: Context) -> None:
    _header(m, ctx, L.DOVAR)


@word("VARIABLE")
def variable(m: Machine, ctx: Context) -> None:
    _header(m, ctx, L.DOVAR)
    m.comma(0)


@word("2VARIABLE")
def two_variable(m: Machine, ctx: Context) -> None:
    _header(m, ctx, L.DOVAR)
    m.comma(0)
    m.comma(0)


@word("CONSTANT")
def constant(m: Machine, ctx: Context) -> None:
    x = m.pop(ctx)
    _header(m, ctx, L.DOCON)
    m.comma(x)


@word("VALUE")
def value(m: Machine, ctx: Context) -> None:
    x = m.pop(ctx)
    _header(m, ctx, L.DOVALUE)
    m.comma(x)


@word("2CONSTANT")
def two_constant(m: Machine, ctx: Context) -> None:
    hi = m.pop(ctx)
    lo = m.pop(ctx)
    _header(m, ctx, L.DO2VALUE)
    m.comma(hi)
    m.comma(lo)


@word("2VALUE")
def two_value(m: Machine, ctx: Context) -> None:
    two_constant(m, ctx)


@word("BUFFER:")
def buffer_colon(m: Machine, ctx: Context) -> None:
    u = m.pop(ctx)
    _header(m, ctx, L.DOVAR)
    m.here = m.here + u


@word("DEFER")
def defer(m: Machine, ctx: Context) -> None:
    _header(m, ctx, L.DODEFER)
    m.comma(m.xts["(unset-defer)"])


@word("(unset-defer)")
def unset_defer(m: Machine, ctx: Context) -> None:
    raise ForthThrow(-21, "deferred word not set")


@word(">BODY")
def to_body(m: Machine, ctx: Context) -> None:
    m.push(ctx, m.pop(ctx) + 4)


@word("DOES>", IC)
def does(m: Machine, ctx: Context) -> None:
    compile_xt(m, "(does>)")


@word("(does>)", COMPILE_ONLY)
def does_run(m: Machine, ctx: Context) -> None:
    """The defining word's part ends: the latest word's code becomes the DOES> code after us."""
    xt = m.sysvar(L.SYS_LAST_XT)
    m.cells[xt >> 2] = ctx.ip
    if ctx.rp <= ctx.r_empty:
        raise ForthThrow(-6)
    ctx.ip = m.cells[ctx.rp]
    ctx.rp -= 1


def _target(m: Machine, ctx: Context) -> tuple[int, int]:
    xt = tick_xt(m, ctx)
    return xt, m.cells[xt >> 2]


@word("TO", IMMEDIATE)
def to(m: Machine, ctx: Context) -> None:
    xt, code = _target(m, ctx)
    body = xt + 4
    if code not in (L.DOVALUE, L.DO2VALUE, L.DODEFER):
        raise ForthThrow(-32)
    store = "2!" if code == L.DO2VALUE else "!"
    if _state(m, ctx):
        compile_literal(m, body)
        compile_xt(m, store)
    elif code == L.DO2VALUE:
        hi = m.pop(ctx)
        lo = m.pop(ctx)
        m.cells[body >> 2] = hi
        m.cells[(body >> 2) + 1] = lo
    else:
        m.cells[body >> 2] = m.pop(ctx)


@word("IS", IMMEDIATE)
def is_(m: Machine, ctx: Context) -> None:
    xt, code = _target(m, ctx)
    if code != L.DODEFER:
        raise ForthThrow(-32)
    if _state(m, ctx):
        compile_literal(m, xt + 4)
        compile_xt(m, "!")
    else:
        m.cells[(xt + 4) >> 2] = m.pop(ctx)


@word("ACTION-OF", IMMEDIATE)
def action_of(m: Machine, ctx: Context) -> None:
    xt, code = _target(m, ctx)
    if code != L.DODEFER:
        raise ForthThrow(-32)
    if _state(m, ctx):
        compile_literal(m, xt + 4)
        compile_xt(m, "@")
    else:
        m.push(ctx, m.cells[(xt + 4) >> 2])


@word("DEFER@")
def defer_fetch(m: Machine, ctx: Context) -> None:
    m.push(ctx, m.cells[(m.pop(ctx) + 4) >> 2])


@word("DEFER!")
def defer_store(m: Machine, ctx: Context) -> None:
    xt = m.pop(ctx)
    m.cells[(xt + 4) >> 2] = m.pop(ctx)


@word("SYNONYM")
def synonym(m: Machine, ctx: Context) -> None:
    new = parse_name_or_throw(m, ctx)
    old = parse_name_or_throw(m, ctx)
    nt = m.find(old)
    if not nt:
        raise ForthThrow(-13)
    xt = m.create_header(new, L.DODEFER, m.flags_of(nt) & (L.F_IMMEDIATE | L.F_COMPILE_ONLY))
    m.comma(m.xt_of(nt))
    del xt


# ---------------------------------------------------------------- MARKER
@word("MARKER")
def marker(m: Machine, ctx: Context) -> None:
    here = m.here
    saved = [here, m.sysvar(L.SYS_CURRENT), m.sysvar(L.SYS_WORDLISTS)]
    order = m.order()
    wids = list(m.index)
    name = parse_name_or_throw(m, ctx)
    m.create_header(name, m.opcodes["(domarker)"])
    for x in saved:
        m.comma(x)
    m.comma(len(order))
    for wid in order:
        m.comma(wid)
    m.comma(len(wids))
    for wid in wids:
        m.comma(wid)
        latest = m.cells[(wid + L.WID_LATEST) >> 2]
        m.comma(latest if latest < here else m.cells[latest >> 2] if latest else 0)


@word("(domarker)")
def do_marker(m: Machine, ctx: Context) -> None:
    """Forget everything defined since the marker (the marker too)."""
    c = m.cells
    a = (ctx.xt + 4) >> 2
    here, current, chain = c[a], c[a + 1], c[a + 2]
    n = c[a + 3]
    order = [c[a + 4 + i] for i in range(n)]
    a += 4 + n
    count = c[a]
    kept = {}
    for i in range(count):
        kept[c[a + 1 + 2 * i]] = c[a + 2 + 2 * i]
    for wid, latest in kept.items():
        c[(wid + L.WID_LATEST) >> 2] = latest
    for wid in list(m.index):
        if wid not in kept:
            del m.index[wid]
            continue
        words = m.index[wid]
        for key in list(words):
            nts = [nt for nt in words[key] if nt < here]
            if nts:
                words[key] = nts
            else:
                del words[key]
    for xt in [xt for xt in m.xt_names if xt >= here]:
        del m.xt_names[xt]
    m.set_sysvar(L.SYS_CURRENT, current)
    m.set_sysvar(L.SYS_WORDLISTS, chain)
    base = (m.sys + L.SYS_ORDER) >> 2
    for i, wid in enumerate(order):
        c[base + i] = wid
    m.set_sysvar(L.SYS_NORDER, n)
    m.set_sysvar(L.SYS_LAST_NT, 0)
    m.here = here


# ---------------------------------------------------------------- conditional compilation
def _skip_to(m: Machine, ctx: Context, stop_at_else: bool) -> None:
    """Skip words (over lines) to the [ELSE] or [THEN] that matches, nesting [IF]s."""
    level = 0
    while True:
        a, u = parse_name(m, ctx)
        if not u:
            src = ctx.sources[-1] if ctx.sources else None
            if src is None or src.lines is None or not m.refill_lines(ctx, src):
                return
            continue
        name = bytes(m.bytes[a:a + u]).upper()
        if name == b"[IF]":
            level += 1
        elif name == b"[ELSE]":
            if level == 0 and stop_at_else:
                return
        elif name == b"[THEN]":
            if level == 0:
                return
            level -= 1


@word("[IF]", IMMEDIATE)
def bracket_if(m: Machine, ctx: Context) -> None:
    if not m.pop(ctx):
        _skip_to(m, ctx, True)


@word("[ELSE]", IMMEDIATE)
def bracket_else(m: Machine, ctx: Context) -> None:
    _skip_to(m, ctx, False)


@word("[THEN]", IMMEDIATE)
def bracket_then(m: Machine, ctx: Context) -> None:
    pass


@word("[DEFINED]", IMMEDIATE)
def bracket_defined(m: Machine, ctx: Context) -> None:
    m.push(ctx, M if m.find(parse_name_or_throw(m, ctx)) else 0)


@word("[UNDEFINED]", IMMEDIATE)
def bracket_undefined(m: Machine, ctx: Context) -> None:
    m.push(ctx, 0 if m.find(parse_name_or_throw(m, ctx)) else M)
