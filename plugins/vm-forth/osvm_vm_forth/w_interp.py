"""System primitives of the text interpreter: parsing, input sources, the dictionary search,
the search order, EVALUATE and INCLUDED."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from . import layout as L
from .errors import ForthThrow
from .numbers import parse_number
from .registry import IMMEDIATE, word
from .w_runtime import read_line

if TYPE_CHECKING:
    from .machine import Context, Machine

M = L.MASK
_NAME = re.compile(rb"[\x00-\x20]*([^\x00-\x20]*)")


def _s(x: int) -> int:
    return x - 0x100000000 if x & L.SIGN else x


# ---------------------------------------------------------------- parsing
def source_text(m: Machine, ctx: Context) -> tuple[int, bytes, int]:
    """(address, bytes, >IN) of the current input."""
    c = m.cells
    up = ctx.up >> 2
    a = c[up + (L.U_SRC_ADDR >> 2)]
    u = c[up + (L.U_SRC_LEN >> 2)]
    i = c[up + (L.U_IN >> 2)]
    return a, bytes(m.bytes[a:a + u]), i


def parse_name(m: Machine, ctx: Context) -> tuple[int, int]:
    """Skip spaces, take a name; (address, length); length 0 at the end of the input."""
    a, text, i = source_text(m, ctx)
    if i >= len(text):
        return a + len(text), 0
    match = _NAME.match(text, i)
    start, end = match.span(1)
    m.set_user(ctx, L.U_IN, end + 1 if end < len(text) else end)
    ctx.last_word = (ctx.sources[-1] if ctx.sources else None, start, end)
    ctx.charge += (end - i) >> 4
    return a + start, end - start


def parse(m: Machine, ctx: Context, delimiter: int) -> tuple[int, int]:
    """Take characters up to ``delimiter`` (not skipping leading ones); (address, length)."""
    a, text, i = source_text(m, ctx)
    if i >= len(text):
        return a + len(text), 0
    if delimiter == 32:
        match = re.compile(rb"[^\x00-\x20]*").match(text, i)
        end = match.end()
    else:
        end = text.find(bytes([delimiter]), i)
        if end < 0:
            end = len(text)
    m.set_user(ctx, L.U_IN, end + 1 if end < len(text) else end)
    ctx.charge += (end - i) >> 4
    return a + i, end - i


@word("PARSE-NAME")
def parse_name_word(m: Machine, ctx: Context) -> None:
    a, u = parse_name(m, ctx)
    m.push(ctx, a)
    m.push(ctx, u)


@word("PARSE")
def parse_word(m: Machine, ctx: Context) -> None:
    a, u = parse(m, ctx, m.pop(ctx) & 0xFF)
    m.push(ctx, a)
    m.push(ctx, u)


@word("WORD")
def word_word(m: Machine, ctx: Context) -> None:
    delimiter = m.pop(ctx) & 0xFF
    a, text, i = source_text(m, ctx)

    def is_delim(ch: int) -> bool:
        return ch == delimiter or (delimiter == 32 and ch < 32)

    n = len(text)
    while i < n and is_delim(text[i]):
        i += 1
    start = i
    while i < n and not is_delim(text[i]):
        i += 1
    name = text[start:i][:255]
    m.set_user(ctx, L.U_IN, i + 1 if i < n else i)
    ctx.last_word = (ctx.sources[-1] if ctx.sources else None, start, i)
    buf = ctx.word_buf
    m.bytes[buf] = len(name)
    m.bytes[buf + 1:buf + 1 + len(name)] = name
    m.bytes[buf + 1 + len(name)] = 32
    m.push(ctx, buf)


def parse_name_or_throw(m: Machine, ctx: Context) -> bytes:
    a, u = parse_name(m, ctx)
    if not u:
        raise ForthThrow(-16)
    return bytes(m.bytes[a:a + u])


@word("CHAR")
def char(m: Machine, ctx: Context) -> None:
    a, u = parse_name(m, ctx)
    m.push(ctx, m.bytes[a] if u else 0)


@word("SOURCE")
def source(m: Machine, ctx: Context) -> None:
    m.push(ctx, m.user(ctx, L.U_SRC_ADDR))
    m.push(ctx, m.user(ctx, L.U_SRC_LEN))


@word("SOURCE-ID")
def source_id(m: Machine, ctx: Context) -> None:
    m.push(ctx, ctx.sources[-1].id if ctx.sources else 0)


@word("(", IMMEDIATE)
def paren(m: Machine, ctx: Context) -> None:
    """A comment to ``)``; in a file it may go on over the next lines."""
    while True:
        a, text, i = source_text(m, ctx)
        end = text.find(b")", i)
        if end >= 0:
            m.set_user(ctx, L.U_IN, end + 1)
            return
        m.set_user(ctx, L.U_IN, len(text))
        src = ctx.sources[-1] if ctx.sources else None
        if src is None or src.lines is None or not m.refill_lines(ctx, src):
            return


@word("\\", IMMEDIATE)
def backslash(m: Machine, ctx: Context) -> None:
    m.set_user(ctx, L.U_IN, m.user(ctx, L.U_SRC_LEN))


@word(".(", IMMEDIATE)
def dot_paren(m: Machine, ctx: Context) -> None:
    a, u = parse(m, ctx, 41)
    m.emit(ctx, m.memory.read(a, u))


# ---------------------------------------------------------------- the interpreter
def compile_literal(m: Machine, value: int) -> None:
    m.comma(m.xts["(lit)"])
    m.comma(value)


@word("(interpret)")
def interpret(m: Machine, ctx: Context) -> None:
    """( -- xt true | false ) interpret names until one must be executed, or the input ends.

    Compiling a word or handling a number happens right here; only a word to
    execute goes back to the threaded INTERPRET loop (which EXECUTEs it).
    """
    c = m.cells
    b = m.bytes
    state_at = (ctx.up + L.U_STATE) >> 2
    while True:
        a, u = parse_name(m, ctx)
        if not u:
            m.push(ctx, 0)
            return
        ctx.charge += 4
        name = bytes(b[a:a + u])
        nt = m.find(name)
        if nt:
            xt = c[(nt + 4) >> 2]
            flags = b[nt + 8]
            if c[state_at] and not flags & L.F_IMMEDIATE:
                m.comma(xt)
                continue
            if not c[state_at] and flags & L.F_COMPILE_ONLY:
                raise ForthThrow(-14)
            m.push(ctx, xt)
            m.push(ctx, M)
            return
        number = parse_number(name, c[(ctx.up + L.U_BASE) >> 2])
        if number is None:
            raise ForthThrow(-13)
        value, double = number
        if c[state_at]:
            if double:
                compile_literal(m, value & M)
                compile_literal(m, (value >> 32) & M)
            else:
                compile_literal(m, value & M)
        elif double:
            m.push_double(ctx, value)
        else:
            m.push(ctx, value & M)


@word("[", IMMEDIATE)
def left_bracket(m: Machine, ctx: Context) -> None:
    m.set_user(ctx, L.U_STATE, 0)


@word("]")
def right_bracket(m: Machine, ctx: Context) -> None:
    m.set_user(ctx, L.U_STATE, M)


@word("QUIT")
def quit_(m: Machine, ctx: Context) -> None:
    raise ForthThrow(-56)


# ---------------------------------------------------------------- input sources
@word("(push-string)")
def push_string(m: Machine, ctx: Context) -> None:
    from .machine import Source

    u = m.pop(ctx)
    a = m.pop(ctx)
    line_no = ctx.sources[-1].line_no if ctx.sources else 0
    m.push_source(ctx, Source(kind="string", id=M, line_no=line_no))
    m.set_user(ctx, L.U_SRC_ADDR, a)
    m.set_user(ctx, L.U_SRC_LEN, u)
    m.set_user(ctx, L.U_IN, 0)


@word("(pop-source)")
def pop_source(m: Machine, ctx: Context) -> None:
    m.pop_sources(ctx, len(ctx.sources) - 1)


def include_path(m: Machine, ctx: Context, name: str) -> str:
    """``name`` relative to the directory of the including file (else the working directory)."""
    if os.path.isabs(name):
        return name
    for src in reversed(ctx.sources):
        if src.directory:
            candidate = os.path.join(src.directory, name)
            if os.path.exists(candidate) or not os.path.exists(name):
                return candidate
            break
    return name


def push_file(m: Machine, ctx: Context, name: str) -> None:
    path = include_path(m, ctx, name)
    text = m.host.read_file(path)
    m.file_ids += 1
    source = m.text_source("file", name, text, os.path.dirname(os.path.abspath(path)), m.file_ids)
    m.included.add(os.path.abspath(path))
    m.attach_buffer(ctx, source)
    m.push_source(ctx, source)
    m.set_user(ctx, L.U_SRC_LEN, 0)
    m.set_user(ctx, L.U_IN, 0)


@word("(push-file)")
def push_file_word(m: Machine, ctx: Context) -> None:
    push_file(m, ctx, m.pop_string(ctx).decode("utf-8", "replace"))


@word("(parse-file-name)")
def parse_file_name(m: Machine, ctx: Context) -> None:
    """( "name" -- c-addr u ) for INCLUDE and REQUIRE."""
    a, u = parse_name(m, ctx)
    if not u:
        raise ForthThrow(-16)
    m.push(ctx, a)
    m.push(ctx, u)


@word("(included?)")
def included_q(m: Machine, ctx: Context) -> None:
    """( c-addr u -- c-addr u flag ) was this file included already?"""
    m.need(ctx, 2)
    name = m.memory.read(m.cells[ctx.sp - 1], m.cells[ctx.sp]).decode("utf-8", "replace")
    path = os.path.abspath(include_path(m, ctx, name))
    m.push(ctx, M if path in m.included else 0)


@word("REFILL")
def refill(m: Machine, ctx: Context) -> Any:
    if not ctx.sources:
        m.push(ctx, 0)
        return None
    src = ctx.sources[-1]
    if src.kind == "string":
        m.push(ctx, 0)
        return None
    if src.kind == "console":
        line = read_line(m, ctx, L.TIB_SIZE)
        if line is not None and not isinstance(line, bytes):
            return line
        if line is None:
            m.push(ctx, 0)
            return None
        m.bytes[ctx.tib:ctx.tib + len(line)] = line
        m.set_user(ctx, L.U_SRC_ADDR, ctx.tib)
        m.set_user(ctx, L.U_SRC_LEN, len(line))
        m.set_user(ctx, L.U_IN, 0)
        src.line_no += 1
        m.push(ctx, M)
        return None
    m.push(ctx, M if m.refill_lines(ctx, src) else 0)
    return None


@word("SAVE-INPUT")
def save_input(m: Machine, ctx: Context) -> None:
    src = ctx.sources[-1] if ctx.sources else None
    m.push(ctx, m.user(ctx, L.U_IN))
    m.push(ctx, src.index if src is not None else 0)
    m.push(ctx, src.id if src is not None else 0)
    m.push(ctx, 3)


@word("RESTORE-INPUT")
def restore_input(m: Machine, ctx: Context) -> None:
    n = m.pop(ctx)
    items = [m.pop(ctx) for _ in range(n)]
    src = ctx.sources[-1] if ctx.sources else None
    if n != 3 or src is None or items[0] != (src.id & M):
        m.push(ctx, M)
        return
    index, to_in = items[1], items[2]
    if src.lines is not None and index != src.index:
        src.index = index - 1
        if not m.refill_lines(ctx, src):
            m.push(ctx, M)
            return
    elif src.kind == "console" and index != src.index:
        m.push(ctx, M)
        return
    m.set_user(ctx, L.U_IN, to_in)
    m.push(ctx, 0)


# ---------------------------------------------------------------- finding words
def find_counted(m: Machine, ctx: Context) -> None:
    a = m.pop(ctx)
    n = m.bytes[a]
    name = bytes(m.bytes[a + 1:a + 1 + n])
    nt = m.find(name) if n else 0
    ctx.charge += 4
    if not nt:
        m.push(ctx, a)
        m.push(ctx, 0)
        return
    m.push(ctx, m.xt_of(nt))
    m.push(ctx, 1 if m.flags_of(nt) & L.F_IMMEDIATE else M)


@word("FIND")
def find(m: Machine, ctx: Context) -> None:
    find_counted(m, ctx)


def tick_xt(m: Machine, ctx: Context) -> int:
    name = parse_name_or_throw(m, ctx)
    nt = m.find(name)
    ctx.charge += 4
    if not nt:
        raise ForthThrow(-13)
    return m.xt_of(nt)


@word("'")
def tick(m: Machine, ctx: Context) -> None:
    m.push(ctx, tick_xt(m, ctx))


@word("SEARCH-WORDLIST")
def search_wordlist(m: Machine, ctx: Context) -> None:
    wid = m.pop(ctx)
    name = m.pop_string(ctx)
    nt = m.search(wid, name)
    ctx.charge += 4
    if not nt:
        m.push(ctx, 0)
        return
    m.push(ctx, m.xt_of(nt))
    m.push(ctx, 1 if m.flags_of(nt) & L.F_IMMEDIATE else M)


@word("FIND-NAME")
def find_name(m: Machine, ctx: Context) -> None:
    m.push(ctx, m.find(m.pop_string(ctx)))


@word("NAME>STRING")
def name_to_string(m: Machine, ctx: Context) -> None:
    nt = m.pop(ctx)
    m.push(ctx, nt + 10)
    m.push(ctx, m.bytes[nt + 9])


@word("NAME>INTERPRET")
def name_to_interpret(m: Machine, ctx: Context) -> None:
    m.push(ctx, m.xt_of(m.pop(ctx)))


@word("NAME>COMPILE")
def name_to_compile(m: Machine, ctx: Context) -> None:
    nt = m.pop(ctx)
    m.push(ctx, m.xt_of(nt))
    m.push(ctx, m.xts["EXECUTE"] if m.flags_of(nt) & L.F_IMMEDIATE else m.xts["COMPILE,"])


@word("(wid-latest)")
def wid_latest(m: Machine, ctx: Context) -> None:
    """( wid -- nt ) the newest word of a word list (0 if none), skipping hidden ones."""
    nt = m.cells[(m.pop(ctx) + L.WID_LATEST) >> 2]
    while nt and m.flags_of(nt) & L.F_HIDDEN:
        nt = m.cells[nt >> 2]
    m.push(ctx, nt)


@word("(nt-next)")
def nt_next(m: Machine, ctx: Context) -> None:
    nt = m.cells[m.pop(ctx) >> 2]
    while nt and m.flags_of(nt) & L.F_HIDDEN:
        nt = m.cells[nt >> 2]
    m.push(ctx, nt)


# ---------------------------------------------------------------- the search order
def set_order(m: Machine, wids: list[int]) -> None:
    if len(wids) > L.MAX_ORDER:
        raise ForthThrow(-49)
    base = (m.sys + L.SYS_ORDER) >> 2
    for i, wid in enumerate(wids):
        m.cells[base + i] = wid
    m.set_sysvar(L.SYS_NORDER, len(wids))


def forth_wid(m: Machine) -> int:
    return m.sys + L.SYS_FORTH_WID


@word("FORTH-WORDLIST")
def forth_wordlist(m: Machine, ctx: Context) -> None:
    m.push(ctx, forth_wid(m))


@word("GET-ORDER")
def get_order(m: Machine, ctx: Context) -> None:
    order = m.order()
    for wid in reversed(order):
        m.push(ctx, wid)
    m.push(ctx, len(order))


@word("SET-ORDER")
def set_order_word(m: Machine, ctx: Context) -> None:
    n = _s(m.pop(ctx))
    if n == -1:
        set_order(m, [forth_wid(m)])
        return
    if n > L.MAX_ORDER:
        raise ForthThrow(-49)
    set_order(m, [m.pop(ctx) for _ in range(n)])


@word("WORDLIST")
def wordlist(m: Machine, ctx: Context) -> None:
    m.push(ctx, m.new_wordlist())


@word("GET-CURRENT")
def get_current(m: Machine, ctx: Context) -> None:
    m.push(ctx, m.sysvar(L.SYS_CURRENT))


@word("SET-CURRENT")
def set_current(m: Machine, ctx: Context) -> None:
    m.set_sysvar(L.SYS_CURRENT, m.pop(ctx))


@word("DEFINITIONS")
def definitions(m: Machine, ctx: Context) -> None:
    order = m.order()
    if order:
        m.set_sysvar(L.SYS_CURRENT, order[0])


@word("ALSO")
def also(m: Machine, ctx: Context) -> None:
    order = m.order()
    set_order(m, order[:1] + order)


@word("ONLY")
def only(m: Machine, ctx: Context) -> None:
    set_order(m, [forth_wid(m)])


@word("PREVIOUS")
def previous(m: Machine, ctx: Context) -> None:
    order = m.order()
    if not order:
        raise ForthThrow(-50)
    set_order(m, order[1:])


@word("FORTH")
def forth(m: Machine, ctx: Context) -> None:
    order = m.order()
    set_order(m, [forth_wid(m)] + order[1:])


def wordlist_name(m: Machine, wid: int) -> str:
    if wid == forth_wid(m):
        return "Forth"
    nt = m.cells[(wid + L.WID_NAME) >> 2]
    return m.name_of(nt).decode("latin-1") if nt else f"{wid:#x}"


@word("ORDER")
def order(m: Machine, ctx: Context) -> None:
    names = " ".join(wordlist_name(m, wid) for wid in m.order())
    current = wordlist_name(m, m.sysvar(L.SYS_CURRENT))
    m.emit(ctx, f"{names}     {current}\n".encode())
