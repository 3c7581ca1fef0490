"""Python exports that calls.elf imports (OSVM_IMPORT): bytes in, a string out, 64-bit values."""

from osvm_vm_python.guest import export


@export("func(data: bytes) -> u32")
def adler32(data):
    a, b = 1, 0
    for byte in data:
        a = (a + byte) % 65521
        b = (b + a) % 65521
    return b << 16 | a


@export("func(name: string) -> string")
def greet(name):
    return f"hello, {name}, from Python"


@export("func(value: s64, factor: s32) -> s64")
def scale(value, factor):
    return value * factor
