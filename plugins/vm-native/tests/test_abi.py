"""The ABI in one place: osvm.h matches the system-call table, every listed service maps to C words."""

from __future__ import annotations

import re

import pytest

from osvm_core.kernel.services import SERVICES
from osvm_core.names.signature import parse_signature
from osvm_vm_native import abi
from osvm_vm_native.syscalls import SYSCALLS, TRAP_IMPORT, header_table


def test_osvm_h_carries_the_table(guest) -> None:
    header = (guest.guest / "include" / "osvm.h").read_text()
    assert header_table() in header
    numbers = {name: int(value, 16) for name, value in re.findall(r"#define OSVM_SYS_(\w+)\s+0x([0-9A-F]+)", header)}
    assert numbers == {call.name.upper(): call.number for call in SYSCALLS}
    assert f"#define OSVM_TRAP_IMPORT                0x{TRAP_IMPORT:02X}" in header


def test_every_system_call_is_a_service_with_a_c_mapping() -> None:
    services = {service.path: service for service in SERVICES}
    numbers = [call.number for call in SYSCALLS]
    assert len(set(numbers)) == len(numbers) and all(0x20 <= n < TRAP_IMPORT for n in numbers)
    for call in SYSCALLS:
        signature = parse_signature(services[call.path].signature)
        abi.plan(signature, call.path, allow_any=True)          # raises if a type has no mapping


@pytest.mark.parametrize(("text", "words"), [
    ("func(a: s32, b: s64, c: u8) -> s32", 4),
    ("func(text: string, n: u32) -> bool", 3),
    ("func(h: handle<sem>, t: s64)", 3),
])
def test_words_per_signature(text, words) -> None:
    params, _ = abi.plan(parse_signature(text), "f")
    assert sum(kind.words for kind in params) == words


@pytest.mark.parametrize("text", ["func(x: f64)", "func(x: list<u8>)", "func() -> option<s32>",
                                  "func(x: tuple<s32, s32>)", "func(x: any)"])
def test_types_c_cannot_take_are_named(text) -> None:
    with pytest.raises(Exception, match=r"has no mapping to the SH C calling convention"):
        abi.plan(parse_signature(text), "f")


def test_values_round_trip_through_words() -> None:
    params, _ = abi.plan(parse_signature("func(a: s8, b: u16, c: s64, d: bool, e: bytes, f: string)"), "f")
    memory: dict[int, bytes] = {}

    def push(data: bytes) -> int:
        address = 0x1000 + 0x100 * len(memory)
        memory[address] = data
        return address

    words = abi.lower(params, (-5, 65535, -(1 << 40), True, b"\x00\xff", "né"), push)
    assert len(words) == 9
    values = abi.lift(params, lambda i: words[i], lambda address, size: memory[address][:size])
    assert values == (-5, 65535, -(1 << 40), True, b"\x00\xff", "né")
    assert memory[words[7]] == "né".encode() + b"\0"          # strings arrive NUL-terminated


def test_any_messages_encode_for_c() -> None:
    assert abi.encode(7) == (7).to_bytes(8, "little")
    assert abi.encode(-1) == b"\xff" * 8
    assert abi.encode((1, 2)) == (1).to_bytes(8, "little") + (2).to_bytes(8, "little")
    assert abi.encode("ok") == b"ok"
    with pytest.raises(Exception, match="no byte form"):
        abi.encode({"a": 1})
