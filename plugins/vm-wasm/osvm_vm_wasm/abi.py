"""How names-tree signatures map onto WebAssembly core types, and values across the boundary.

In the spirit of the Component Model's canonical ABI, simplified to what the
OS signatures need (the README's "Values across the boundary" is the contract):

========================================  =====================================================
signature type                            core representation
========================================  =====================================================
``bool s8 u8 s16 u16 s32 u32``            one ``i32`` (bool: 0/1; the small types wrap)
``s64 u64``                               one ``i64``
``f32`` / ``f64``                         one ``f32`` / ``f64``
``handle<kind>``                          one ``i32``: the object's id
``string`` ``bytes`` ``list<u8>``         a *buffer*: two ``i32`` (pointer, length) in
                                          linear memory; strings are UTF-8
========================================  =====================================================

A buffer *result* does not fit in one core value, so

* an **export** returns one ``i32``: the address of a ``(pointer, length)``
  pair of little-endian ``i32`` in its memory (the canonical ABI's return
  area);
* an **import** takes one more ``i32`` parameter, last: the address where the
  VM writes the ``(pointer, length)`` pair, and has no core result.

Buffers going *into* a module (export parameters, import results) need room
in its memory: the module exports ``cabi_realloc(old, old_size, align,
new_size) -> i32`` (called as ``cabi_realloc(0, 0, 1, n)``) or the simpler
``alloc(size) -> i32``; the module owns that memory afterwards. Any other
type (``option``, ``tuple``, ``any``, lists of other elements) cannot be
expressed: :func:`plan` refuses it naming the type, at load (exports) or
link (imports) time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from osvm_core.errors import SignatureError
from osvm_core.names.signature import HandleOf, ListOf, Param, Prim, Signature, Type

from .errors import Trap
from .exec.values import M32, M64, f32_bits, f32_value, f64_bits, f64_value
from .types import F32, F64, I32, I64, TYPE_NAMES, FuncType

# how one signature type crosses: a scalar kind, or BUFFER
BUFFER = "buffer"
_SCALARS: dict[str, int] = {
    "bool": I32, "s8": I32, "u8": I32, "s16": I32, "u16": I32, "s32": I32, "u32": I32,
    "s64": I64, "u64": I64, "f32": F32, "f64": F64,
}
_BUFFERS = ("string", "bytes")
#: core type -> the signature type a derived signature uses for it
DERIVED = {I32: "s32", I64: "s64", F32: "f32", F64: "f64"}


@dataclass(frozen=True, slots=True)
class Slot:
    """One parameter or the result: its signature type and how it crosses."""

    type: Type
    kind: str          # a primitive name, "handle", or BUFFER
    handle: str = ""   # the handle kind


@dataclass(frozen=True, slots=True)
class Plan:
    """A signature together with the core function type it flattens to."""

    signature: Signature
    params: tuple[Slot, ...]
    result: Slot | None
    core: FuncType
    needs_alloc: bool  # buffers go into the module: it must export an allocator


def slot(t: Type) -> Slot:
    """How ``t`` crosses, or SignatureError naming the type the VM cannot express."""
    if isinstance(t, Prim):
        if t.name in _SCALARS:
            return Slot(t, t.name)
        if t.name in _BUFFERS:
            return Slot(t, BUFFER)
    elif isinstance(t, HandleOf):
        return Slot(t, "handle", t.kind)
    elif isinstance(t, ListOf) and t.elem == Prim("u8"):
        return Slot(t, BUFFER)
    raise SignatureError(f"the wasm VM cannot express type {t} (it passes bool, integers, f32, f64, "
                         f"handle<...>, string, bytes and list<u8>)")


def _core(s: Slot) -> tuple[int, ...]:
    if s.kind == BUFFER:
        return (I32, I32)
    if s.kind == "handle":
        return (I32,)
    return (_SCALARS[s.kind],)


def plan(signature: Signature, side: str) -> Plan:
    """The core type of ``signature`` seen from an ``export`` or an ``import``."""
    params = tuple(slot(p.type) for p in signature.params)
    result = slot(signature.result) if signature.result is not None else None
    core_params: list[int] = []
    for s in params:
        core_params.extend(_core(s))
    core_results: tuple[int, ...] = ()
    if result is not None:
        if result.kind == BUFFER:
            if side == "export":
                core_results = (I32,)            # address of the (pointer, length) pair
            else:
                core_params.append(I32)          # where to write the (pointer, length) pair
        else:
            core_results = _core(result)
    if side == "export":
        needs_alloc = any(s.kind == BUFFER for s in params)
    else:
        needs_alloc = result is not None and result.kind == BUFFER
    return Plan(signature, params, result, FuncType(tuple(core_params), core_results), needs_alloc)


def derive(ftype: FuncType) -> Signature:
    """The signature an export gets from its core type alone: i32→s32, i64→s64, f32, f64."""
    params = tuple(Param(f"p{i}", Prim(DERIVED[t])) for i, t in enumerate(ftype.params))
    result = Prim(DERIVED[ftype.results[0]]) if ftype.results else None
    return Signature(params, result)


def core_text(ftype: FuncType) -> str:
    """``(i32, i32) -> i32`` for messages."""
    params = ", ".join(TYPE_NAMES[t] for t in ftype.params)
    results = ", ".join(TYPE_NAMES[t] for t in ftype.results)
    return f"({params}) -> ({results})"


# ---------------------------------------------------------------- scalars
def lower_scalar(s: Slot, value: Any) -> int:
    """A universal value as a raw core value (see ``exec.values``)."""
    kind = s.kind
    if kind == "handle":
        ident = getattr(value, "id", value)
        if type(ident) is not int:
            raise Trap(f"expected a handle<{s.handle}>, got {type(value).__name__}")
        return ident & M32
    if kind == "f32":
        return f32_bits(float(value))
    if kind == "f64":
        return f64_bits(float(value))
    if kind == "bool":
        return 1 if value else 0
    if type(value) is not int:
        if isinstance(value, bool) or not hasattr(type(value), "__index__"):
            raise Trap(f"expected {kind}, got {type(value).__name__}")
        value = value.__index__()
    return value & (M64 if kind in ("s64", "u64") else M32)


def lift_scalar(s: Slot, raw: int) -> Any:
    """A raw core value as the universal value of the slot's type (small integers wrap)."""
    kind = s.kind
    if kind == "s32":
        return raw - 0x100000000 if raw & 0x80000000 else raw
    if kind == "u32":
        return raw
    if kind == "s64":
        return raw - 0x10000000000000000 if raw & 0x8000000000000000 else raw
    if kind == "u64":
        return raw
    if kind == "bool":
        return raw != 0
    if kind == "u8":
        return raw & 0xFF
    if kind == "s8":
        raw &= 0xFF
        return raw - 0x100 if raw & 0x80 else raw
    if kind == "u16":
        return raw & 0xFFFF
    if kind == "s16":
        raw &= 0xFFFF
        return raw - 0x10000 if raw & 0x8000 else raw
    if kind == "f32":
        return f32_value(raw)
    if kind == "f64":
        return f64_value(raw)
    if kind == "handle":
        from osvm_core.names.signature import Handle
        return Handle(s.handle, raw)
    raise AssertionError(kind)  # pragma: no cover - plan() admits nothing else


# ---------------------------------------------------------------- buffers
def encode_buffer(s: Slot, value: Any) -> bytes:
    """The bytes a buffer value occupies in linear memory."""
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, list | tuple):
        try:
            return bytes(value)
        except (TypeError, ValueError):
            raise Trap(f"expected {s.type}, got a list that is not bytes") from None
    raise Trap(f"expected {s.type}, got {type(value).__name__}")


def decode_buffer(s: Slot, data: bytes) -> Any:
    """The universal value of a buffer read from linear memory."""
    name = str(s.type)
    if name == "string":
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Trap(f"string is not valid UTF-8 (byte {error.start} of {len(data)})") from None
    if name == "bytes":
        return data
    return list(data)


def read(memory: Any, address: int, size: int) -> bytes:
    """Bytes of linear memory, or the trap a guest access out of bounds gets."""
    data = memory.data if memory is not None else b""
    if address < 0 or size < 0 or address + size > len(data):
        raise Trap("out of bounds memory access")
    return bytes(data[address:address + size])


def write(memory: Any, address: int, payload: bytes) -> None:
    data = memory.data if memory is not None else b""
    if address < 0 or address + len(payload) > len(data):
        raise Trap("out of bounds memory access")
    data[address:address + len(payload)] = payload
