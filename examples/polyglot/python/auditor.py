"""Calls the native module's Fletcher-32: this Python task migrates onto the SH-3 CPU and back."""

from osvm_vm_python.guest import export, need, now, write

fletcher32 = need("/mod/native/fletcher/fletcher32", "func(data: bytes) -> u32")


@export("func() -> s32")
def main():
    data = b"osvm: an operating system built from virtual machines"
    digest = yield fletcher32(data)             # runs in VM 'native', on the SH-3 CPU
    t = yield now()
    yield write(f"[{t:>7}] auditor: fletcher32 of {len(data)} bytes by the SH-3 = {digest:08x}\n")
    return 0
