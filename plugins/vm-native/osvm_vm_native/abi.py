"""The SH C calling convention as osvm signatures see it: universal values <-> 32-bit words.

GCC's SH ABI passes arguments as a sequence of 32-bit words: the first four in
R4-R7, the rest on the stack from @R15 upwards (a 64-bit value is two words,
low first, and may be split between R7 and the stack). Results come back in
R0, and R1 for the high word of a 64-bit value. Each signature type maps to
words like this:

=====================  ======  ==========================================
type                   words   C
=====================  ======  ==========================================
s8 s16 s32 / u8 u16 u32  1     int8_t ... uint32_t
bool                     1     int (0 or 1)
handle<k>                1     int32_t object id (``ID``)
s64 u64                  2     int64_t, uint64_t
string bytes             2     ``const char *ptr, uint32_t len`` (a string is UTF-8
                               and, when the VM passes it, NUL-terminated too)
=====================  ======  ==========================================

A string or bytes *result* of an exported C function is an ``osvm_slice``
(a uint64_t: pointer in R0, length in R1). f32, f64, list, tuple, option and
any have no mapping and are refused when a module is loaded or bound, naming
the type; the system-call layer adds its own rules for ``any`` (syscalls.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from osvm_core.errors import NotSupported, ParameterError, SignatureError
from osvm_core.names.signature import Handle, HandleOf, Prim, Signature, Type

M32 = 0xFFFFFFFF
_WIDTH = {"s8": 8, "u8": 8, "s16": 16, "u16": 16, "s32": 32, "u32": 32, "s64": 64, "u64": 64}


@dataclass(frozen=True, slots=True)
class Kind:
    """How one value travels: ``code`` is int, bool, handle, slice or any; ``words`` 1 or 2."""

    code: str
    words: int
    signed: bool = False
    width: int = 32
    text: bool = False          # slice: a string (UTF-8) rather than bytes
    handle: str = ""            # handle: the object kind


def classify(t: Type, where: str, *, allow_any: bool = False) -> Kind:
    """The word mapping of a type; SignatureError naming the type if it has none."""
    if isinstance(t, HandleOf):
        return Kind("handle", 1, handle=t.kind)
    if isinstance(t, Prim):
        name = t.name
        if name in _WIDTH:
            width = _WIDTH[name]
            return Kind("int", 2 if width == 64 else 1, signed=name[0] == "s", width=width)
        if name == "bool":
            return Kind("bool", 1)
        if name in ("string", "bytes"):
            return Kind("slice", 2, text=name == "string")
        if name == "any" and allow_any:
            return Kind("any", 1, signed=True)
    raise SignatureError(f"{where}: type {t} has no mapping to the SH C calling convention of the native VM "
                         f"(it takes integers, bool, handles, string and bytes)")


def plan(signature: Signature, where: str, *, allow_any: bool = False) -> tuple[list[Kind], Kind | None]:
    """The parameter kinds and the result kind (None: no result) of a signature."""
    params = [classify(p.type, f"{where} parameter '{p.name}'", allow_any=allow_any)
              for p in signature.params]
    result = None
    if signature.result is not None:
        result = classify(signature.result, f"{where} result", allow_any=allow_any)
    return params, result


def _int(word_lo: int, word_hi: int, kind: Kind) -> int:
    value = (word_lo & M32) | (word_hi & M32) << 32 if kind.width == 64 else word_lo & ((1 << kind.width) - 1)
    if kind.signed and value >> (kind.width - 1):
        value -= 1 << kind.width
    return value


def lift(kinds: Sequence[Kind], word: Callable[[int], int], read: Callable[[int, int], bytes], *,
         zero_handle_is_int: bool = False) -> tuple[Any, ...]:
    """Guest words (``word(i)`` gives the i-th) -> universal values."""
    values: list[Any] = []
    index = 0
    for kind in kinds:
        first = word(index)
        code = kind.code
        if code == "int":
            values.append(_int(first, word(index + 1) if kind.words == 2 else 0, kind))
        elif code == "bool":
            values.append(first != 0)
        elif code == "handle":
            values.append(first if zero_handle_is_int and first == 0 else Handle(kind.handle, first))
        elif code == "slice":
            data = read(first, word(index + 1))
            if kind.text:
                try:
                    values.append(data.decode("utf-8"))
                except UnicodeDecodeError:
                    raise ParameterError(f"string argument at {first:#x} is not UTF-8") from None
            else:
                values.append(data)
        else:  # any: a 32-bit signed integer from native code
            values.append(first - (1 << 32) if first >> 31 else first)
        index += kind.words
    return tuple(values)


def lower(kinds: Sequence[Kind], values: Sequence[Any], push: Callable[[bytes], int]) -> list[int]:
    """Universal values -> guest words; ``push(data)`` copies bytes into guest memory, returns the address."""
    words: list[int] = []
    for kind, value in zip(kinds, values, strict=True):
        code = kind.code
        if code == "int":
            words.append(value & M32)
            if kind.words == 2:
                words.append((value >> 32) & M32)
        elif code == "bool":
            words.append(1 if value else 0)
        elif code == "handle":
            words.append((value.id if isinstance(value, Handle) else int(value)) & M32)
        elif code == "slice":
            data = value.encode("utf-8") if isinstance(value, str) else bytes(value)
            words.append(push(data + b"\0" if kind.text else data))
            words.append(len(data))
        else:
            words.append(int(value) & M32)
    return words


def lift_result(kind: Kind | None, r0: int, r1: int, read: Callable[[int, int], bytes]) -> Any:
    """What an exported C function returned (R0, R1) as a universal value."""
    if kind is None:
        return None
    return lift([kind], lambda i: r0 if i == 0 else r1, read)[0]


def result_words(kind: Kind | None, value: Any) -> tuple[int, int]:
    """R0 and R1 for a scalar result delivered to native code (errors are negative codes)."""
    if kind is None or value is None:
        return 0, 0
    if isinstance(value, Handle):
        return value.id & M32, 0
    if isinstance(value, bool):
        return int(value), 0
    if isinstance(value, int):
        return value & M32, (value >> 32) & M32
    raise NotSupported(f"a {type(value).__name__} result cannot be returned in R0")


def encode(value: Any) -> bytes:
    """An ``any`` value (a port message) as bytes for a guest buffer.

    Integers (and handles, by id) are 8-byte little-endian; strings UTF-8;
    bytes as they are; a tuple or list of integers one 8-byte word each.
    """
    if isinstance(value, Handle):
        value = value.id
    if isinstance(value, bool | int):
        return int(value).to_bytes(8, "little", signed=value < 0)
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if isinstance(value, list | tuple) and all(isinstance(v, int) for v in value):
        return b"".join(int(v).to_bytes(8, "little", signed=v < 0) for v in value)
    raise NotSupported(f"a message of type {type(value).__name__} has no byte form for native code")
