"""Linear memory: growth within limits, refusal by a limit callback, relocation by an allocator."""

from __future__ import annotations

from osvm_vm_wasm import Limits, Memory
from osvm_vm_wasm.types import PAGE_SIZE


def test_grow_up_to_maximum() -> None:
    m = Memory(Limits(1, 3))
    m.write(10, b"abc")
    assert m.grow(2) == 1
    assert m.pages == 3
    assert m.grow(1) == -1 and m.pages == 3
    assert m.grow(0) == 3
    assert m.read(10, 3) == b"abc"


def test_limit_callback_refuses() -> None:
    calls = []

    def limit(old: int, new: int) -> bool:
        calls.append((old, new))
        return new <= 2

    m = Memory(Limits(1), limit=limit)
    assert m.grow(1) == 1
    assert m.grow(1) == -1
    assert calls == [(1, 2), (2, 3)]
    assert m.pages == 2


def test_allocator_moves_memory_on_grow() -> None:
    buffers = []

    def allocate(size: int) -> memoryview:
        buf = memoryview(bytearray(size))
        buffers.append(buf)
        return buf

    m = Memory(Limits(1, 4), allocate=allocate)
    m.write(PAGE_SIZE - 2, b"xy")
    assert m.grow(1) == 1
    assert len(buffers) == 2 and m.data is buffers[1]
    assert m.read(PAGE_SIZE - 2, 2) == b"xy"
    assert len(m.data) == 2 * PAGE_SIZE
