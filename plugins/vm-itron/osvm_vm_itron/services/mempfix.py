"""Fixed-size memory pools: get_mpf, pget_mpf, tget_mpf, rel_mpf, ini_mpf, ref_mpf over ``FixedPoolObject``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osvm_core.errors import Deleted
from osvm_core.memory.fixed_pool import FixedPool

from ..personality import itron_of
from . import ER_OUT, service

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel
    from osvm_core.kernel.task import Task


@service("get_mpf", "func(mpfid: s32) -> u32", result=ER_OUT, mechanism="`FixedPoolObject.get` forever")
def get_mpf(kernel: Kernel, task: Task, mpfid: Any) -> Any:
    """A block of the pool (its address), waiting for one."""
    itron = itron_of(kernel)
    itron.check_may_wait(task)
    pool = itron.get("mpf", mpfid)
    itron.check_raster(task)
    return pool.get(task, -1)


@service("pget_mpf", "func(mpfid: s32) -> u32", result=ER_OUT,
         mechanism="`FixedPoolObject.get` with timeout 0 (E_TMOUT)")
def pget_mpf(kernel: Kernel, task: Task, mpfid: Any) -> Any:
    """A block of the pool if one is free (E_TMOUT otherwise)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    return itron.get("mpf", mpfid).get(task, 0)


@service("tget_mpf", "func(mpfid: s32, tmout: s32) -> u32", result=ER_OUT,
         mechanism="`FixedPoolObject.get` with a tick-aligned timeout")
def tget_mpf(kernel: Kernel, task: Task, mpfid: Any, tmout: Any) -> Any:
    """A block of the pool, waiting at most ``tmout`` ms."""
    itron = itron_of(kernel)
    itron.check_may_wait(task)
    pool = itron.get("mpf", mpfid)
    timeout = itron.timeout(tmout)
    itron.check_raster(task)
    return pool.get(task, timeout)


@service("rel_mpf", "func(mpfid: s32, blk: u32)",
         mechanism="`FixedPoolObject.release`: the first waiter gets the block (E_PAR: not a block of the pool)")
def rel_mpf(kernel: Kernel, task: Task, mpfid: Any, blk: Any) -> None:
    """Return a block to its pool."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    itron.get("mpf", mpfid).release(blk)


@service("ini_mpf", "func(mpfid: s32)", mechanism="waiters released with E_DLT, every block free again")
def ini_mpf(kernel: Kernel, task: Task, mpfid: Any) -> None:
    """Reinitialise a pool (ASP3): its waiters get E_DLT and every block is free."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    pool = itron.get("mpf", mpfid)
    while pool.queue:
        kernel.release(pool.queue.first(), error=Deleted(f"mpf {pool.label} was reinitialised"))
    old = pool.pool
    pool.pool = FixedPool(old.base, old.block_size, old.block_count)
    pool.holders.clear()


@service("ref_mpf", "func(mpfid: s32) -> tuple<s32, u32>", result=ER_OUT,
         mechanism="`FixedPoolObject.queue` and the pool's free count")
def ref_mpf(kernel: Kernel, task: Task, mpfid: Any) -> tuple[int, int]:
    """T_RMPF: (wtskid: the first waiter or TSK_NONE, fblkcnt)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    pool = itron.get("mpf", mpfid)
    first = pool.queue.first()
    return (itron.id_of("tsk", first) if first is not None else 0, pool.pool.free_count)
