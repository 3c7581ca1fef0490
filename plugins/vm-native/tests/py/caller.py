"""Calls the exports of calls.elf from Python: the task migrates into the native VM and back."""

from osvm_vm_python.guest import export, need, write

add = need("/mod/nat/calls/add", "func(a: s32, b: s32) -> s32")
sum8 = need("/mod/nat/calls/sum8",
            "func(a: s32, b: s32, c: s32, d: s32, e: s32, f: s32, g: s32, h: u8) -> s32")
mul64 = need("/mod/nat/calls/mul64", "func(a: s64, b: s32, c: u64) -> s64")
is_even = need("/mod/nat/calls/is_even", "func(n: u32) -> bool")
crc32 = need("/mod/nat/calls/crc32", "func(data: bytes) -> u32")
shout = need("/mod/nat/calls/shout", "func(text: string) -> string")


@export("func() -> s32")
def main():
    results = [
        (yield add(2, -5)),
        (yield sum8(1, 2, 3, 4, 5, 6, 7, 200)),
        (yield mul64(-(1 << 40), 3, (1 << 63) + 5)),
        (yield is_even(10)),
        (yield is_even(7)),
        (yield crc32(b"123456789")),
        (yield shout("quiet words")),
    ]
    yield write("python got: " + " | ".join(repr(r) for r in results) + "\n")
    return 0
