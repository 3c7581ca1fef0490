"""OS and namespace words: entries of the names tree as execution tokens, exports, and the
mapping between signature types and Forth stack items.

Calling an imported word pops its arguments (the last parameter on top), makes the
kernel ``Call`` the entry, and resumes with the result on the stack when the answer
comes. Types map to stack items as follows:

=============================  =======================================
``s8 s16 s32 u8 u16 u32``      one cell
``s64 u64``                    a double cell (two cells, high on top)
``bool``                       a flag
``string``, ``bytes``,         ``c-addr u``; a result is copied into the
``list<u8>``                   context's result buffer (valid to the next call)
``handle<kind>``               one cell, the object's id
``any`` (port messages)        a result: an integer gives one cell, text or
                               bytes ``c-addr u``, a handle its id, none 0;
                               an argument: one cell (a signed integer)
=============================  =======================================

Other types (floats, option, tuple, other lists) are refused when the word is made.
An OS error makes the imported word THROW ``-1000 + code`` (E_TMOUT: -1050).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from osvm_core.errors import OsvmError, SignatureError
from osvm_core.events import Call
from osvm_core.names.signature import Handle, HandleOf, ListOf, Prim, Signature, Type, parse_signature

from . import layout as L
from .errors import OS_THROW_BASE, ForthThrow
from .registry import word
from .w_interp import parse_name_or_throw, source_text

if TYPE_CHECKING:
    from .machine import Context, Machine

M = L.MASK
_SIGNED = {"s8", "s16", "s32"}
_UNSIGNED = {"u8", "u16", "u32"}
_DOUBLE = {"s64", "u64"}
_TEXT = {"string", "bytes"}


@dataclass
class ImportSlot:
    """What an imported word calls: a path, the expected signature, and the binding once made."""

    name: str
    path: str
    signature: Signature
    binding: Any = None


def forth_type_problem(t: Type, result: bool) -> str | None:
    """Why a type cannot cross into Forth, or None."""
    if isinstance(t, Prim):
        if t.name in _SIGNED | _UNSIGNED | _DOUBLE | _TEXT | {"bool", "any"}:
            return None
        return f"type {t.name} has no Forth stack form"
    if isinstance(t, HandleOf):
        return None
    if isinstance(t, ListOf) and t.elem == Prim("u8"):
        return None
    return f"type {t} has no Forth stack form"


def check_signature(text: str) -> Signature:
    """Parse a signature and refuse types Forth cannot express (SignatureError names the type)."""
    signature = parse_signature(text)
    for p in signature.params:
        problem = forth_type_problem(p.type, False)
        if problem:
            raise SignatureError(f"{signature}: parameter '{p.name}': {problem}")
    if signature.result is not None:
        problem = forth_type_problem(signature.result, True)
        if problem:
            raise SignatureError(f"{signature}: result: {problem}")
    return signature


def _signed(x: int) -> int:
    return x - 0x100000000 if x & L.SIGN else x


def lower_args(m: Machine, ctx: Context, signature: Signature) -> tuple[Any, ...]:
    """Pop the arguments of ``signature`` from the data stack (last parameter on top)."""
    values: list[Any] = []
    for p in reversed(signature.params):
        t = p.type
        if isinstance(t, Prim):
            name = t.name
            if name in _SIGNED or name == "any":
                values.append(_signed(m.pop(ctx)))
            elif name in _UNSIGNED:
                values.append(m.pop(ctx))
            elif name == "s64":
                values.append(m.pop_double(ctx))
            elif name == "u64":
                values.append(m.pop_double(ctx) & 0xFFFFFFFFFFFFFFFF)
            elif name == "bool":
                values.append(bool(m.pop(ctx)))
            elif name == "string":
                values.append(m.pop_string(ctx).decode("utf-8", "replace"))
            else:
                values.append(m.pop_string(ctx))
        elif isinstance(t, HandleOf):
            values.append(Handle(t.kind, m.pop(ctx)))
        else:                                   # list<u8>
            values.append(list(m.pop_string(ctx)))
    values.reverse()
    return tuple(values)


def push_value(m: Machine, ctx: Context, t: Type | None, value: Any) -> None:
    """Push a universal value as the stack items of type ``t`` (``None``: by the value's kind)."""
    name = t.name if isinstance(t, Prim) else None
    if isinstance(t, HandleOf) or isinstance(value, Handle):
        m.push(ctx, value.id if isinstance(value, Handle) else int(value))
    elif name in _DOUBLE:
        m.push_double(ctx, int(value))
    elif name == "bool" or isinstance(value, bool):
        m.push(ctx, M if value else 0)
    elif isinstance(value, int):
        m.push(ctx, value & M)
    elif isinstance(value, str | bytes | bytearray | list | tuple) and (name != "any" or
                                                                      not isinstance(value, list | tuple)):
        data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        m.push(ctx, m.result_buffer(ctx, data))
        m.push(ctx, len(data))
    elif value is None:
        m.push(ctx, 0)
    else:
        raise ForthThrow(-21, f"a message of type {type(value).__name__} has no Forth stack form")


def call_slot(m: Machine, ctx: Context, slot: ImportSlot) -> Any:
    """Pop the arguments, and Call the entry; its result is pushed when it comes."""
    if slot.binding is None:
        slot.binding = m.host.bind(slot.path, str(slot.signature))
    args = lower_args(m, ctx, slot.signature)
    result_type = slot.signature.result

    def got(value: Any) -> None:
        if result_type is not None:
            push_value(m, ctx, result_type, value)

    ctx.on_result = got
    ctx.on_error = None
    return Call(0, slot.binding, args)


@word("(doimport)")
def do_import(m: Machine, ctx: Context) -> Any:
    """Code of an imported word: its body holds the index of its ImportSlot."""
    slot = m.imports[m.cells[(ctx.xt + 4) >> 2]]
    try:
        return call_slot(m, ctx, slot)
    except OsvmError as error:
        raise ForthThrow(OS_THROW_BASE + error.code, str(error)) from None


def make_import(m: Machine, name: bytes | None, path: str, signature_text: str, binding: Any = None) -> int:
    """A word (named, or anonymous when ``name`` is None) that calls the entry at ``path``."""
    try:
        signature = check_signature(signature_text)
    except OsvmError as error:
        raise ForthThrow(-21, str(error)) from None
    slot = ImportSlot((name or b"").decode("latin-1"), path, signature, binding)
    m.imports.append(slot)
    code = m.opcodes["(doimport)"]
    if name is None:
        m.align()
        xt = m.here
        m.comma(code)
    else:
        xt = m.create_header(name, code)
    m.comma(len(m.imports) - 1)
    return xt


def strip_line_comment(text: str) -> str:
    """The text before a trailing ``\\`` comment, stripped."""
    cut = re.search(r"(^|\s)\\(\s|$)", text)
    return (text[:cut.start()] if cut else text).strip()


def rest_of_line(m: Machine, ctx: Context) -> str:
    a, text, i = source_text(m, ctx)
    m.set_user(ctx, L.U_IN, len(text))
    return strip_line_comment(text[i:].decode("utf-8", "replace"))


@word("IMPORT")
def import_(m: Machine, ctx: Context) -> None:
    """IMPORT name /path func(...) -> t   a word that calls the entry (bound when the system links)."""
    name = parse_name_or_throw(m, ctx)
    path = parse_name_or_throw(m, ctx).decode("utf-8", "replace")
    signature_text = rest_of_line(m, ctx)
    binding = m.host.declared_binding(ctx, path, signature_text)
    make_import(m, name, path, signature_text, binding)


@word("BIND")
def bind(m: Machine, ctx: Context) -> None:
    """( c-addr1 u1 c-addr2 u2 -- xt ) bind path 1 with signature 2 now; an xt that calls it."""
    signature_text = m.pop_string(ctx).decode("utf-8", "replace")
    path = m.pop_string(ctx).decode("utf-8", "replace")
    try:
        binding = m.host.bind(path, signature_text)
    except OsvmError as error:
        raise ForthThrow(OS_THROW_BASE + error.code, str(error)) from None
    m.push(ctx, make_import(m, None, path, signature_text, binding))


@word("EXPORT")
def export(m: Machine, ctx: Context) -> None:
    """EXPORT name func(...) -> t   publish the word at /mod/<vm>/<module>/<name>."""
    name = parse_name_or_throw(m, ctx)
    signature_text = rest_of_line(m, ctx)
    nt = m.find(name)
    if not nt:
        raise ForthThrow(-13)
    try:
        check_signature(signature_text)
    except OsvmError as error:
        raise ForthThrow(-21, str(error)) from None
    m.host.export(ctx, name.decode("latin-1"), signature_text, m.xt_of(nt))


@word("SEND-BYTES")
def send_bytes(m: Machine, ctx: Context) -> Any:
    """( c-addr u port -- ) send the bytes as one message, waiting for room."""
    port = m.pop(ctx)
    data = m.pop_string(ctx)
    ctx.on_result = None
    ctx.on_error = None
    return Call(0, m.host.service("/os/port/send"), (Handle("port", port), data, -1))
