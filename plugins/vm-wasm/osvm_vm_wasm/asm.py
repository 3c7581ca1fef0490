"""A tiny hand assembler for small test and benchmark modules (no external wat2wasm needed)."""

from __future__ import annotations


def uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if (n == 0 and not b & 0x40) or (n == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def vec(items: list[bytes]) -> bytes:
    return uleb(len(items)) + b"".join(items)


def name(s: str) -> bytes:
    raw = s.encode()
    return uleb(len(raw)) + raw


def section(sid: int, payload: bytes) -> bytes:
    return bytes([sid]) + uleb(len(payload)) + payload


I32, I64, F32, F64 = 0x7F, 0x7E, 0x7D, 0x7C


def functype(params: tuple[int, ...], results: tuple[int, ...]) -> bytes:
    return b"\x60" + vec([bytes([p]) for p in params]) + vec([bytes([r]) for r in results])


def module(types: list[bytes], funcs: list[tuple[int, list[int], bytes]], *,
           imports: list[tuple[str, str, int]] = (), exports: list[tuple[str, int]] = (),
           memory: tuple[int, int] | None = None) -> bytes:
    """``funcs``: (type index, local types, body code ending in 0x0b); exports are functions."""
    out = b"\x00asm\x01\x00\x00\x00" + section(1, vec(types))
    if imports:
        out += section(2, vec([name(m) + name(f) + b"\x00" + uleb(t) for m, f, t in imports]))
    out += section(3, vec([uleb(t) for t, _, _ in funcs]))
    if memory is not None:
        out += section(5, vec([b"\x01" + uleb(memory[0]) + uleb(memory[1])]))
    if exports:
        out += section(7, vec([name(n) + b"\x00" + uleb(i) for n, i in exports]))
    bodies = []
    for _, local_types, code in funcs:
        body = vec([uleb(1) + bytes([t]) for t in local_types]) + code
        bodies.append(uleb(len(body)) + body)
    out += section(10, vec(bodies))
    return out


# Opcode shorthands used by the tests.
def local_get(i: int) -> bytes:
    return b"\x20" + uleb(i)


def local_set(i: int) -> bytes:
    return b"\x21" + uleb(i)


def i32_const(v: int) -> bytes:
    return b"\x41" + sleb(v)


def call(i: int) -> bytes:
    return b"\x10" + uleb(i)


I32_ADD, I32_SUB, I32_LT_S, I32_LT_U = b"\x6a", b"\x6b", b"\x48", b"\x49"
BLOCK, LOOP, IF_I32, ELSE, END = b"\x02\x40", b"\x03\x40", b"\x04\x7f", b"\x05", b"\x0b"


def br_if(depth: int) -> bytes:
    return b"\x0d" + uleb(depth)


def sum_loop_module() -> bytes:
    """``sum(n)``: 0 + 1 + ... + (n-1) with an i32 loop (locals: i, acc)."""
    body = (LOOP
            + local_get(2) + local_get(1) + I32_ADD + local_set(2)      # acc += i
            + local_get(1) + i32_const(1) + I32_ADD + local_set(1)      # i += 1
            + local_get(1) + local_get(0) + I32_LT_S + br_if(0)         # while i < n
            + END + local_get(2) + END)
    return module([functype((I32,), (I32,))], [(0, [I32, I32], body)], exports=[("sum", 0)])


def fib_module() -> bytes:
    """Recursive ``fib(n)`` (n < 2 ? n : fib(n-1) + fib(n-2))."""
    body = (local_get(0) + i32_const(2) + I32_LT_S + IF_I32
            + local_get(0)
            + ELSE
            + local_get(0) + i32_const(1) + I32_SUB + call(0)
            + local_get(0) + i32_const(2) + I32_SUB + call(0) + I32_ADD
            + END + END)
    return module([functype((I32,), (I32,))], [(0, [], body)], exports=[("fib", 0)])


def host_module() -> bytes:
    """Imports ``env.twice: i32 -> i32``; ``run(x) = twice(x) + twice(x + 1)``."""
    body = (local_get(0) + call(0) + local_get(0) + i32_const(1) + I32_ADD + call(0) + I32_ADD + END)
    return module([functype((I32,), (I32,))], [(0, [], body)],
                  imports=[("env", "twice", 0)], exports=[("run", 1)])
