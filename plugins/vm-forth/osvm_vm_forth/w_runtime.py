"""System primitives of the run time: steps, exceptions, the stacks, memory blocks, numeric
output, console input and output, the environment and memory allocation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osvm_core.errors import OsvmError, Timeout
from osvm_core.events import Call, Exited

from . import layout as L
from .errors import ForthThrow
from .numbers import digit_value, to_base
from .registry import COMPILE_ONLY, word

if TYPE_CHECKING:
    from .machine import Context, Machine

M = L.MASK


def _s(x: int) -> int:
    return x - 0x100000000 if x & L.SIGN else x


# ---------------------------------------------------------------- steps of a context
@word("(halt)")
def halt(m: Machine, ctx: Context) -> Any:
    """The current piece of work returned: start the next step, or finish the context."""
    while ctx.steps:
        step = ctx.steps.pop(0)
        event = step(m, ctx)
        if event is not None:
            return event
        if ctx.ip == ctx.up + L.U_TRAMPOLINE:      # the step started something
            return None
    ctx.done = True
    if ctx.final is None:
        return None
    return ctx.final(m, ctx)


@word("BYE")
def bye(m: Machine, ctx: Context) -> Any:
    ctx.done = True
    return Exited(0, ctx.exit_code)


@word("(bye)")
def bye_code(m: Machine, ctx: Context) -> Any:
    ctx.exit_code = _s(m.pop(ctx))
    ctx.done = True
    return Exited(0, ctx.exit_code)


# ---------------------------------------------------------------- exceptions
@word("(catch)")
def catch_enter(m: Machine, ctx: Context) -> None:
    """( xt -- xt ) push an exception frame; THROW resumes after the (uncatch) that follows."""
    m.need(ctx, 1)
    c = m.cells
    rp = ctx.rp + 4
    if rp > ctx.r_full:
        raise ForthThrow(-5)
    handler = (ctx.up + L.U_HANDLER) >> 2
    c[rp - 3] = ctx.ip + 8
    c[rp - 2] = ctx.sp - 1
    c[rp - 1] = len(ctx.sources)
    c[rp] = c[handler]
    c[handler] = rp
    ctx.rp = rp


@word("(uncatch)")
def catch_leave(m: Machine, ctx: Context) -> None:
    c = m.cells
    c[(ctx.up + L.U_HANDLER) >> 2] = c[ctx.rp]
    ctx.rp -= 4
    m.push(ctx, 0)


@word("THROW")
def throw(m: Machine, ctx: Context) -> None:
    code = _s(m.pop(ctx))
    if code:
        if code == -2:
            raise ForthThrow(-2, ctx.abort_message)
        raise ForthThrow(code)


@word("ABORT")
def abort(m: Machine, ctx: Context) -> None:
    raise ForthThrow(-1)


@word("(abort\")", COMPILE_ONLY)
def abort_quote_run(m: Machine, ctx: Context) -> None:
    flag = m.pop(ctx)
    text = _inline_string(m, ctx)
    if flag:
        ctx.abort_message = text.decode("utf-8", "replace")
        raise ForthThrow(-2, ctx.abort_message)


# ---------------------------------------------------------------- stacks
@word("DEPTH")
def depth(m: Machine, ctx: Context) -> None:
    m.push(ctx, ctx.sp - ctx.s_empty)


@word("PICK")
def pick(m: Machine, ctx: Context) -> None:
    n = m.pop(ctx)
    if n >= ctx.sp - ctx.s_empty:
        raise ForthThrow(-4)
    m.push(ctx, m.cells[ctx.sp - n])


@word("ROLL")
def roll(m: Machine, ctx: Context) -> None:
    n = m.pop(ctx)
    if n >= ctx.sp - ctx.s_empty:
        raise ForthThrow(-4)
    c = m.cells
    sp = ctx.sp
    x = c[sp - n]
    c[sp - n:sp] = c[sp - n + 1:sp + 1]
    c[sp] = x
    ctx.charge += n >> 2


@word("2>R")
def two_to_r(m: Machine, ctx: Context) -> None:
    b = m.pop(ctx)
    a = m.pop(ctx)
    _rpush(m, ctx, a)
    _rpush(m, ctx, b)


@word("2R>")
def two_r_from(m: Machine, ctx: Context) -> None:
    b = _rpop(m, ctx)
    a = _rpop(m, ctx)
    m.push(ctx, a)
    m.push(ctx, b)


@word("2R@")
def two_r_fetch(m: Machine, ctx: Context) -> None:
    if ctx.rp - 2 < ctx.r_empty:
        raise ForthThrow(-6)
    m.push(ctx, m.cells[ctx.rp - 1])
    m.push(ctx, m.cells[ctx.rp])


@word("N>R")
def n_to_r(m: Machine, ctx: Context) -> None:
    n = m.pop(ctx)
    m.need(ctx, n)
    items = [m.pop(ctx) for _ in range(n)]
    for x in reversed(items):
        _rpush(m, ctx, x)
    _rpush(m, ctx, n)


@word("NR>")
def n_r_from(m: Machine, ctx: Context) -> None:
    n = _rpop(m, ctx)
    items = [_rpop(m, ctx) for _ in range(n)]
    for x in reversed(items):
        m.push(ctx, x)
    m.push(ctx, n)


def _rpush(m: Machine, ctx: Context, value: int) -> None:
    if ctx.rp + 1 > ctx.r_full:
        raise ForthThrow(-5)
    ctx.rp += 1
    m.cells[ctx.rp] = value & M


def _rpop(m: Machine, ctx: Context) -> int:
    if ctx.rp <= ctx.r_empty:
        raise ForthThrow(-6)
    ctx.rp -= 1
    return m.cells[ctx.rp + 1]


@word("SP@")
def sp_fetch(m: Machine, ctx: Context) -> None:
    m.push(ctx, ctx.sp << 2)


@word("SP!")
def sp_store(m: Machine, ctx: Context) -> None:
    sp = m.pop(ctx) >> 2
    if not ctx.s_empty <= sp <= ctx.s_full:
        raise ForthThrow(-9)
    ctx.sp = sp


# ---------------------------------------------------------------- inline strings
def _inline_string(m: Machine, ctx: Context) -> bytes:
    """The string compiled after the current primitive: [length cell][bytes], skipped over."""
    a = ctx.ip
    u = m.cells[a >> 2]
    ctx.ip = (a + 4 + u + 3) & ~3
    return bytes(m.bytes[a + 4:a + 4 + u])


@word("(s\")", COMPILE_ONLY)
def s_quote_run(m: Machine, ctx: Context) -> None:
    a = ctx.ip
    u = m.cells[a >> 2]
    ctx.ip = (a + 4 + u + 3) & ~3
    m.push(ctx, a + 4)
    m.push(ctx, u)


@word("(c\")", COMPILE_ONLY)
def c_quote_run(m: Machine, ctx: Context) -> None:
    a = ctx.ip                  # [length cell][count byte][text]: push the counted string
    u = m.cells[a >> 2]
    ctx.ip = (a + 4 + u + 3) & ~3
    m.push(ctx, a + 4)


@word("(.\")", COMPILE_ONLY)
def dot_quote_run(m: Machine, ctx: Context) -> None:
    m.emit(ctx, _inline_string(m, ctx))


# ---------------------------------------------------------------- data space
@word("HERE")
def here(m: Machine, ctx: Context) -> None:
    m.push(ctx, m.here)


@word("ALLOT")
def allot(m: Machine, ctx: Context) -> None:
    m.here = m.here + _s(m.pop(ctx))


@word(",")
def comma(m: Machine, ctx: Context) -> None:
    m.comma(m.pop(ctx))


@word("C,")
def c_comma(m: Machine, ctx: Context) -> None:
    m.ccomma(m.pop(ctx))


@word("ALIGN")
def align(m: Machine, ctx: Context) -> None:
    m.align()


@word("UNUSED")
def unused(m: Machine, ctx: Context) -> None:
    m.push(ctx, m.dict_end - m.here)


@word("PAD")
def pad(m: Machine, ctx: Context) -> None:
    m.push(ctx, ctx.pad)


# ---------------------------------------------------------------- memory blocks
def _range(m: Machine, a: int, u: int) -> None:
    if a + u > m.memory.size:
        raise ForthThrow(-9)


@word("MOVE")
def move(m: Machine, ctx: Context) -> None:
    u = m.pop(ctx)
    dst = m.pop(ctx)
    src = m.pop(ctx)
    if u and not u & L.SIGN:
        _range(m, src, u)
        _range(m, dst, u)
        m.bytes[dst:dst + u] = bytes(m.bytes[src:src + u])
        ctx.charge += u >> 4


@word("CMOVE")
def cmove(m: Machine, ctx: Context) -> None:
    u = m.pop(ctx)
    dst = m.pop(ctx)
    src = m.pop(ctx)
    if u and not u & L.SIGN:
        _range(m, src, u)
        _range(m, dst, u)
        b = m.bytes
        if dst <= src or dst >= src + u:
            b[dst:dst + u] = bytes(b[src:src + u])
        else:                                   # overlapping upwards: byte by byte, low first
            for i in range(u):
                b[dst + i] = b[src + i]
        ctx.charge += u >> 4


@word("CMOVE>")
def cmove_up(m: Machine, ctx: Context) -> None:
    u = m.pop(ctx)
    dst = m.pop(ctx)
    src = m.pop(ctx)
    if u and not u & L.SIGN:
        _range(m, src, u)
        _range(m, dst, u)
        b = m.bytes
        if dst >= src or dst + u <= src:
            b[dst:dst + u] = bytes(b[src:src + u])
        else:
            for i in range(u - 1, -1, -1):
                b[dst + i] = b[src + i]
        ctx.charge += u >> 4


@word("FILL")
def fill(m: Machine, ctx: Context) -> None:
    ch = m.pop(ctx) & 0xFF
    u = m.pop(ctx)
    a = m.pop(ctx)
    if u and not u & L.SIGN:
        _range(m, a, u)
        m.bytes[a:a + u] = bytes([ch]) * u
        ctx.charge += u >> 4


@word("COMPARE")
def compare(m: Machine, ctx: Context) -> None:
    s2 = m.pop_string(ctx)
    s1 = m.pop_string(ctx)
    m.push(ctx, 0 if s1 == s2 else (M if s1 < s2 else 1))
    ctx.charge += (len(s1) + len(s2)) >> 4


@word("SEARCH")
def search(m: Machine, ctx: Context) -> None:
    u2 = m.pop(ctx)
    a2 = m.pop(ctx)
    u1 = m.pop(ctx)
    a1 = m.pop(ctx)
    hay = m.memory.read(a1, u1)
    i = hay.find(m.memory.read(a2, u2))
    if i < 0:
        m.push(ctx, a1)
        m.push(ctx, u1)
        m.push(ctx, 0)
    else:
        m.push(ctx, a1 + i)
        m.push(ctx, u1 - i)
        m.push(ctx, M)
    ctx.charge += (u1 + u2) >> 4


@word("-TRAILING")
def minus_trailing(m: Machine, ctx: Context) -> None:
    u = m.pop(ctx)
    a = m.pop(ctx)
    if u & L.SIGN:
        u = 0
    text = m.memory.read(a, u)
    m.push(ctx, a)
    m.push(ctx, len(text.rstrip(b" ")))


@word("/STRING")
def slash_string(m: Machine, ctx: Context) -> None:
    n = m.pop(ctx)
    u = m.pop(ctx)
    a = m.pop(ctx)
    m.push(ctx, a + n)
    m.push(ctx, u - n)


# ---------------------------------------------------------------- numeric output
def _base(m: Machine, ctx: Context) -> int:
    return m.cells[(ctx.up + L.U_BASE) >> 2]


@word("EMIT")
def emit(m: Machine, ctx: Context) -> None:
    ctx.out.append(m.pop(ctx) & 0xFF)


@word("TYPE")
def type_(m: Machine, ctx: Context) -> None:
    u = m.pop(ctx)
    a = m.pop(ctx)
    if u and not u & L.SIGN:
        ctx.out += m.memory.read(a, u)
        ctx.charge += u >> 4


@word("CR")
def cr(m: Machine, ctx: Context) -> None:
    ctx.out.append(10)


@word("SPACE")
def space(m: Machine, ctx: Context) -> None:
    ctx.out.append(32)


@word("SPACES")
def spaces(m: Machine, ctx: Context) -> None:
    n = _s(m.pop(ctx))
    if n > 0:
        ctx.out += b" " * n
        ctx.charge += n >> 4


@word(".")
def dot(m: Machine, ctx: Context) -> None:
    ctx.out += (to_base(_s(m.pop(ctx)), _base(m, ctx)) + " ").encode()


@word("U.")
def u_dot(m: Machine, ctx: Context) -> None:
    ctx.out += (to_base(m.pop(ctx), _base(m, ctx)) + " ").encode()


@word(".R")
def dot_r(m: Machine, ctx: Context) -> None:
    width = _s(m.pop(ctx))
    ctx.out += to_base(_s(m.pop(ctx)), _base(m, ctx)).rjust(max(width, 0)).encode()


@word("U.R")
def u_dot_r(m: Machine, ctx: Context) -> None:
    width = _s(m.pop(ctx))
    ctx.out += to_base(m.pop(ctx), _base(m, ctx)).rjust(max(width, 0)).encode()


@word("D.")
def d_dot(m: Machine, ctx: Context) -> None:
    ctx.out += (to_base(m.pop_double(ctx), _base(m, ctx)) + " ").encode()


@word("D.R")
def d_dot_r(m: Machine, ctx: Context) -> None:
    width = _s(m.pop(ctx))
    ctx.out += to_base(m.pop_double(ctx), _base(m, ctx)).rjust(max(width, 0)).encode()


@word("UD.")
def ud_dot(m: Machine, ctx: Context) -> None:
    ctx.out += (to_base(m.pop_double(ctx) & 0xFFFFFFFFFFFFFFFF, _base(m, ctx)) + " ").encode()


@word("<#")
def less_sharp(m: Machine, ctx: Context) -> None:
    m.set_user(ctx, L.U_HLD, ctx.pad)


def _hold(m: Machine, ctx: Context, ch: int) -> None:
    hld = m.user(ctx, L.U_HLD) - 1
    if hld < ctx.pad - L.HOLD_SIZE or hld >= ctx.pad:
        raise ForthThrow(-17)
    m.bytes[hld] = ch & 0xFF
    m.set_user(ctx, L.U_HLD, hld)


@word("HOLD")
def hold(m: Machine, ctx: Context) -> None:
    _hold(m, ctx, m.pop(ctx))


@word("HOLDS")
def holds(m: Machine, ctx: Context) -> None:
    for ch in reversed(m.pop_string(ctx)):
        _hold(m, ctx, ch)


@word("SIGN")
def sign(m: Machine, ctx: Context) -> None:
    if m.pop(ctx) & L.SIGN:
        _hold(m, ctx, 45)


def _digit(m: Machine, ctx: Context) -> None:
    base = _base(m, ctx)
    hi = m.pop(ctx)
    lo = m.pop(ctx)
    ud, d = divmod((hi << 32) | lo, base)
    _hold(m, ctx, d + 48 if d < 10 else d + 55)
    m.push(ctx, ud & M)
    m.push(ctx, ud >> 32)


@word("#")
def sharp(m: Machine, ctx: Context) -> None:
    _digit(m, ctx)


@word("#S")
def sharp_s(m: Machine, ctx: Context) -> None:
    _digit(m, ctx)
    c = m.cells
    while c[ctx.sp] or c[ctx.sp - 1]:
        _digit(m, ctx)
        ctx.charge += 1


@word("#>")
def sharp_greater(m: Machine, ctx: Context) -> None:
    m.pop(ctx)
    m.pop(ctx)
    hld = m.user(ctx, L.U_HLD)
    m.push(ctx, hld)
    m.push(ctx, ctx.pad - hld)


@word(">NUMBER")
def to_number(m: Machine, ctx: Context) -> None:
    u = m.pop(ctx)
    a = m.pop(ctx)
    hi = m.pop(ctx)
    lo = m.pop(ctx)
    value = (hi << 32) | lo
    base = _base(m, ctx)
    b = m.bytes
    while u and not u & L.SIGN:
        d = digit_value(b[a], base)
        if d < 0:
            break
        value = (value * base + d) & 0xFFFFFFFFFFFFFFFF
        a += 1
        u -= 1
    m.push(ctx, value & M)
    m.push(ctx, value >> 32)
    m.push(ctx, a)
    m.push(ctx, u)
    ctx.charge += 2


# ---------------------------------------------------------------- console input
def console_request(m: Machine, ctx: Context, poll: bool = False) -> Any:
    """Ask the OS for console input; the current primitive runs again when it comes.

    End of input is told by silence: a receive that times out after ``eof_cycles``
    and one more poll (the interrupt task posts input before any VM task runs again).
    """
    port = m.host.console_port()
    if port is None:
        ctx.eof = True
        return None
    if ctx.console_stage == 0 and not poll:
        timeout = m.host.eof_cycles
        ctx.console_stage = 1
    else:
        timeout = 0
        ctx.console_stage = 2

    def got(value: Any) -> None:
        ctx.console_stage = 0
        if value == b"":            # the board's end-of-input message
            ctx.eof = True
            return
        if isinstance(value, str):
            value = value.encode("utf-8")
        if isinstance(value, bytes | bytearray):
            m.console_in += value
        elif isinstance(value, int):
            m.console_in.append(value & 0xFF)

    def failed(error: OsvmError) -> None:
        if isinstance(error, Timeout):
            if ctx.console_stage == 1:
                ctx.console_stage = 2
            else:
                ctx.console_stage = 0
                ctx.eof = True
            return
        ctx.console_stage = 0
        raise ForthThrow(-57, str(error))

    m.redo(ctx)
    ctx.on_result = got
    ctx.on_error = failed
    return Call(0, m.host.service("/os/port/receive"), (port, timeout))


def read_line(m: Machine, ctx: Context, limit: int) -> bytes | None | Any:
    """A line of console input (without its end), up to ``limit`` characters.

    Returns the bytes, None at the end of input, or an event (the primitive runs again).
    """
    data = m.console_in
    i = data.find(b"\n")
    if 0 <= i:
        take = min(i, limit)
        line = bytes(data[:take])
        del data[:take + 1 if take == i else take]
    elif len(data) >= limit:
        line = bytes(data[:limit])
        del data[:limit]
    elif ctx.eof:
        ctx.eof = False
        if not data:
            return None
        line = bytes(data)
        data.clear()
    else:
        return console_request(m, ctx) or read_line(m, ctx, limit)
    return line[:-1] if line.endswith(b"\r") else line


@word("KEY")
def key(m: Machine, ctx: Context) -> Any:
    if m.console_in:
        m.push(ctx, m.console_in.pop(0))
        return None
    if ctx.eof:
        ctx.eof = False
        m.push(ctx, 4)          # end of input: ^D, as gforth gives
        return None
    return console_request(m, ctx) or key(m, ctx)


@word("KEY?")
def key_question(m: Machine, ctx: Context) -> Any:
    if m.console_in:
        m.push(ctx, M)
        return None
    if ctx.eof:
        ctx.eof = False
        m.push(ctx, 0)
        return None
    return console_request(m, ctx, poll=True) or key_question(m, ctx)


@word("ACCEPT")
def accept(m: Machine, ctx: Context) -> Any:
    m.need(ctx, 2)
    limit = _s(m.cells[ctx.sp])
    a = m.cells[ctx.sp - 1]
    line = read_line(m, ctx, max(limit, 0))
    if line is not None and not isinstance(line, bytes):
        return line                     # an event: ACCEPT runs again with its arguments in place
    m.pop(ctx)
    m.pop(ctx)
    line = line or b""
    m.memory.write(a, line)
    m.push(ctx, len(line))
    ctx.charge += len(line) >> 4
    return None


# ---------------------------------------------------------------- environment
@word("ENVIRONMENT?")
def environment_q(m: Machine, ctx: Context) -> None:
    name = m.pop_string(ctx).upper()
    values: dict[bytes, tuple[int, ...]] = {
        b"/COUNTED-STRING": (255,),
        b"/HOLD": (L.HOLD_SIZE,),
        b"/PAD": (L.PAD_SIZE,),
        b"ADDRESS-UNIT-BITS": (8,),
        b"FLOORED": (M,),
        b"MAX-CHAR": (255,),
        b"MAX-D": (M, 0x7FFFFFFF),
        b"MAX-N": (0x7FFFFFFF,),
        b"MAX-U": (M,),
        b"MAX-UD": (M, M),
        b"RETURN-STACK-CELLS": (m.rstack_cells,),
        b"STACK-CELLS": (m.stack_cells,),
        b"WORDLISTS": (L.MAX_ORDER,),
    }
    found = values.get(name)
    if found is None:
        m.push(ctx, 0)
        return
    for v in found:
        m.push(ctx, v)
    m.push(ctx, M)


# ---------------------------------------------------------------- memory allocation (OS memory)
@word("ALLOCATE")
def allocate(m: Machine, ctx: Context) -> None:
    u = m.pop(ctx)
    address = m.memory.try_allocate(u) if u < m.memory.size else None
    m.push(ctx, address or 0)
    m.push(ctx, 0 if address is not None else -59)


@word("FREE")
def free(m: Machine, ctx: Context) -> None:
    a = m.pop(ctx)
    try:
        m.memory.release(a)
        m.push(ctx, 0)
    except OsvmError:
        m.push(ctx, -60)


@word("RESIZE")
def resize(m: Machine, ctx: Context) -> None:
    u = m.pop(ctx)
    a = m.pop(ctx)
    if a == 0:
        address = m.memory.try_allocate(u) if u < m.memory.size else None
        m.push(ctx, address or 0)
        m.push(ctx, 0 if address is not None else -61)
        return
    try:
        old = m.memory.size_of(a)
    except OsvmError:
        m.push(ctx, a)
        m.push(ctx, -61)
        return
    address = m.memory.try_allocate(u) if u < m.memory.size else None
    if address is None:
        m.push(ctx, a)
        m.push(ctx, -61)
        return
    n = min(old, u)
    m.bytes[address:address + n] = bytes(m.bytes[a:a + n])
    m.memory.release(a)
    m.push(ctx, address)
    m.push(ctx, 0)


# ---------------------------------------------------------------- the outer interpreter's end and errors
@word("(top-error)")
def top_error(m: Machine, ctx: Context) -> Any:
    """( code -- ) report an error caught by the top level; go on or end, as configured."""
    code = _s(m.pop(ctx))
    if code != -56:                      # QUIT: back to the outer interpreter, silently
        own_code, message = ctx.throw_message
        report = m.error_report(ctx, code, message if own_code == code else "")
        if report and not (ctx.out.endswith(b"\n") if ctx.out else m.line_start):
            report = b"\n" + report
        m.emit(ctx, report)
    ctx.abort_message = ""
    ctx.sp = ctx.s_empty
    m.set_user(ctx, L.U_STATE, 0)
    if ctx.on_error_mode == "exit" and code != -56:
        ctx.exit_code = 1
        ctx.done = True
        return Exited(0, 1)
    return None


@word("(top-done)")
def top_done(m: Machine, ctx: Context) -> None:
    m.pop_sources(ctx, max(len(ctx.sources) - 1, 0))


# ---------------------------------------------------------------- String: substitutions
@word("REPLACES")
def replaces(m: Machine, ctx: Context) -> None:
    """( c-addr1 u1 c-addr2 u2 -- ) the text 1 is what %name% (name 2) stands for."""
    name = m.pop_string(ctx).upper()
    m.substitutions[name] = m.pop_string(ctx)


@word("SUBSTITUTE")
def substitute(m: Machine, ctx: Context) -> None:
    """( c-addr1 u1 c-addr2 u2 -- c-addr2 u3 n ) copy text 1 to buffer 2 replacing %name%s."""
    size = m.pop(ctx)
    dst = m.pop(ctx)
    text = m.pop_string(ctx)
    out = bytearray()
    count = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != 37:
            out.append(ch)
            i += 1
            continue
        if i + 1 < len(text) and text[i + 1] == 37:
            out.append(37)
            i += 2
            continue
        j = text.find(b"%", i + 1)
        if j < 0:
            out += text[i:]
            break
        value = m.substitutions.get(text[i + 1:j].upper())
        if value is None:
            out += text[i:j]
            i = j
        else:
            out += value
            count += 1
            i = j + 1
    ctx.charge += len(text) >> 4
    m.push(ctx, dst)
    if len(out) > size:
        m.push(ctx, 0)
        m.push(ctx, -78 & M)
        return
    m.memory.write(dst, bytes(out))
    m.push(ctx, len(out))
    m.push(ctx, count)


@word("UNESCAPE")
def unescape(m: Machine, ctx: Context) -> None:
    """( c-addr1 u1 c-addr2 -- c-addr2 u2 ) double every % of text 1 into buffer 2."""
    dst = m.pop(ctx)
    text = m.pop_string(ctx).replace(b"%", b"%%")
    m.memory.write(dst, text)
    m.push(ctx, dst)
    m.push(ctx, len(text))
