"""Guest memory as the native VM sees it: what a running frame may touch, and copies in and out.

The CPU's fast window covers the frame's own stack block up to the end of its
program's image; the bus asks `GuestMemory.guard` about every user-mode access
the window did not serve (code fetches, the odd access elsewhere). Admitted are
the window itself and pool blocks the VM holds (from ``/os/mpf/get`` or
``/os/mpl/get``), never the VM's own stack pools: a stack that runs off its
block must fault. System calls read and write guest buffers through the same rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel
    from osvm_hal_sh3.bus import RamWindow
    from osvm_hal_sh3.cpu import SH3CPU

MAX_ARGUMENT = 1 << 20           # bytes of one string/bytes argument read from guest memory


class AccessError(Exception):
    """A guest pointer handed to the VM leads outside the frame's memory."""


class GuestMemory:
    def __init__(self, kernel: Kernel, vm_name: str, cpu: SH3CPU) -> None:
        self.kernel = kernel
        self.vm_name = vm_name
        self.cpu = cpu
        self.stack_pools: set[int] = set()      # ids of the VM's stack pools (never admitted)
        self._low = self._high = 0              # the running frame's window
        self._hit: tuple[int, int, Any, int] | None = None

    def enter(self, window: RamWindow) -> None:
        """The frame about to run has this window."""
        self._low, self._high = window.base, window.base + window.size

    def guard(self, address: int, size: int, write: bool) -> bool:
        if self._low <= address and address + size <= self._high:
            return True
        hit = self._hit
        if hit is not None and hit[0] <= address and address + size <= hit[1] \
                and hit[2].holders.get(hit[3]) == self.vm_name:
            return True
        for kind in ("mpf", "mpl"):
            for pool in self.kernel.objects.all(kind):
                if id(pool) in self.stack_pools:
                    continue
                for start, holder in pool.holders.items():
                    if holder != self.vm_name:
                        continue
                    length = pool.pool.block_size if kind == "mpf" else pool.pool.size_of(start)
                    if start <= address and address + size <= start + length:
                        self._hit = (start, start + length, pool, start)
                        return True
        return False

    def check(self, window: RamWindow | None, address: int, size: int, write: bool) -> None:
        if size < 0 or size > MAX_ARGUMENT:
            raise AccessError(f"{size} bytes at {address:#x}")
        if window is not None and window.base <= address and address + size <= window.base + window.size:
            return
        if size and not self.guard(address, size, write):
            raise AccessError(f"{'write' if write else 'read'} of {size} bytes at {address:#x} is "
                              f"outside the task's memory")

    def read(self, window: RamWindow | None, address: int, size: int) -> bytes:
        self.check(window, address, size, False)
        return bytes(self.kernel.ram_view(address, size)) if size else b""

    def write(self, window: RamWindow | None, address: int, data: bytes) -> None:
        self.check(window, address, len(data), True)
        if data:
            self.kernel.ram_view(address, len(data))[:] = data
            self.cpu.invalidate(address, len(data))
