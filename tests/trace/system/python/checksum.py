"""A library module: its exports are called from other modules through the names tree."""

from osvm_vm_python.guest import export, work

MOD_ADLER = 65521


@export("func(data: bytes) -> u32")
def adler32(data):
    """Adler-32 of the data, charging a cycle per byte."""
    a, b = 1, 0
    for byte in data:
        a = (a + byte) % MOD_ADLER
        b = (b + a) % MOD_ADLER
    yield work(len(data) * 8)
    return (b << 16) | a
