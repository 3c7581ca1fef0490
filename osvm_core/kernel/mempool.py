"""Fixed- and variable-size memory pools as kernel objects: blocking get with timeout.

The placement bookkeeping lives in ``osvm_core.memory``; this module adds the
waiting: a get that cannot be served waits in the pool's queue, and a release
serves waiters from the head of the queue (μITRON order, no overtaking).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import Deleted, ParameterError, Timeout
from ..memory.fixed_pool import FixedPool
from ..memory.variable_pool import VariablePool
from .wait import TMO_POL, WaitQueue

if TYPE_CHECKING:
    from .kernel import Kernel
    from .task import Task


class _PoolObject:
    kind = "?"

    def _register(self, kernel: Kernel, name: str | None, order: str, owner: str, region: Any) -> None:
        self.kernel = kernel
        self.name = name
        self.owner = owner
        self.region = region        # where the pool's storage came from (to give it back)
        self.queue = WaitQueue(order, f"{self.kind} {name}")
        self.id = kernel.objects.add(self.kind, self, name)
        self.holders: dict[int, str] = {}   # block address -> VM that holds it

    @property
    def label(self) -> str:
        return self.name or f"#{self.id}"

    def delete(self) -> None:
        while self.queue:
            self.kernel.release(self.queue.first(), error=Deleted(f"{self.kind} {self.label} was deleted"))
        self.kernel.objects.remove(self.kind, self.id)
        self.kernel.free_storage(self.region)


class FixedPoolObject(_PoolObject):
    """μITRON mpf: ``count`` blocks of ``block`` bytes."""

    kind = "mpf"

    def __init__(self, kernel: Kernel, name: str | None, base: int, block: int, count: int,
                 order: str = "fifo", owner: str = "os", region: Any = None) -> None:
        self.pool = FixedPool(base, block, count)
        self._register(kernel, name, order, owner, region)

    def get(self, task: Task, timeout: int) -> Any:
        if not self.queue:
            address = self.pool.try_get()
            if address is not None:
                self.holders[address] = task.vm_name
                return address
        if timeout == TMO_POL:
            raise Timeout(f"mpf {self.label} has no free block")
        return self.kernel.wait(task, self.queue, timeout, f"mpf {self.label}")

    def release(self, address: int) -> None:
        if not isinstance(address, int):
            raise ParameterError(f"mpf {self.label}: a block address is an integer, got {address!r}")
        self.pool.release(address)
        self.holders.pop(address, None)
        waiter = self.queue.first()
        if waiter is not None:
            block = self.pool.try_get()
            self.holders[block] = waiter.vm_name
            self.kernel.release(waiter, block)

    def stats(self) -> dict[str, Any]:
        return {"mpf": self.label, "block": self.pool.block_size, "blocks": self.pool.block_count,
                "free": self.pool.free_count, "waiting": len(self.queue)}


class VariablePoolObject(_PoolObject):
    """μITRON mpl: blocks of any size, placed by the pool's allocator, a header in front of each."""

    kind = "mpl"

    def __init__(self, kernel: Kernel, name: str | None, base: int, size: int, allocator: Any,
                 order: str = "fifo", owner: str = "os", region: Any = None) -> None:
        self.pool = VariablePool(kernel.ram, kernel.board.ram_base, base, size, allocator)
        self._register(kernel, name, order, owner, region)
        self.queue.on_reorder = self._serve     # a new head (chg_pri) may fit where the old did not

    def get(self, task: Task, size: int, timeout: int) -> Any:
        if not isinstance(size, int) or size <= 0:
            raise ParameterError(f"mpl {self.label}: block size must be a positive integer, got {size!r}")
        if size > self.pool.size:
            raise ParameterError(f"mpl {self.label}: {size} bytes can never fit in a pool of {self.pool.size}")
        if not self.queue:
            address = self.pool.try_get(size)
            if address is not None:
                self.holders[address] = task.vm_name
                return address
        if timeout == TMO_POL:
            raise Timeout(f"mpl {self.label} has no room for {size} bytes")
        return self.kernel.wait(task, self.queue, timeout, f"mpl {self.label}", data=size,
                                on_cancel=lambda _task: self._serve())

    def release(self, address: int) -> None:
        if not isinstance(address, int):
            raise ParameterError(f"mpl {self.label}: a block address is an integer, got {address!r}")
        self.pool.release(address)
        self.holders.pop(address, None)
        self._serve()

    def _serve(self) -> None:
        """Give blocks to waiters from the head while the head's request fits."""
        while True:
            waiter = self.queue.first()
            if waiter is None or waiter.wait is None:
                return
            address = self.pool.try_get(waiter.wait.data)
            if address is None:
                return
            self.holders[address] = waiter.vm_name
            self.kernel.release(waiter, address)

    def stats(self) -> dict[str, Any]:
        s = self.pool.stats()
        return {"mpl": self.label, "size": self.pool.size, "live": s.live_bytes,
                "fragmentation": round(s.fragmentation, 3), "waiting": len(self.queue)}
