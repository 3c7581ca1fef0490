"""Semaphores: sig_sem, wai_sem, pol_sem, twai_sem, ini_sem, ref_sem over ``kernel.semaphore.Semaphore``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osvm_core.errors import Deleted

from ..personality import itron_of
from . import ER_OUT, service

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel
    from osvm_core.kernel.task import Task


@service("sig_sem", "func(semid: s32)", handler_name="isig_sem",
         mechanism="`Semaphore.signal`: the first waiter gets the resource, else the count rises (E_QOVR at the maximum)")
def sig_sem(kernel: Kernel, task: Task, semid: Any) -> None:
    """Return one resource to a semaphore."""
    itron = itron_of(kernel)
    itron.check_unlocked()
    itron.get("sem", semid).signal()


@service("wai_sem", "func(semid: s32)", mechanism="`Semaphore.wait` forever")
def wai_sem(kernel: Kernel, task: Task, semid: Any) -> Any:
    """Take one resource, waiting for it."""
    itron = itron_of(kernel)
    itron.check_may_wait(task)
    sem = itron.get("sem", semid)
    itron.check_raster(task)
    return sem.wait(task, -1)


@service("pol_sem", "func(semid: s32)", mechanism="`Semaphore.wait` with timeout 0 (E_TMOUT)")
def pol_sem(kernel: Kernel, task: Task, semid: Any) -> Any:
    """Take one resource if there is one (E_TMOUT otherwise)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    return itron.get("sem", semid).wait(task, 0)


@service("twai_sem", "func(semid: s32, tmout: s32)", mechanism="`Semaphore.wait` with a tick-aligned timeout")
def twai_sem(kernel: Kernel, task: Task, semid: Any, tmout: Any) -> Any:
    """Take one resource, waiting at most ``tmout`` ms."""
    itron = itron_of(kernel)
    itron.check_may_wait(task)
    sem = itron.get("sem", semid)
    timeout = itron.timeout(tmout)
    itron.check_raster(task)
    return sem.wait(task, timeout)


@service("ini_sem", "func(semid: s32)",
         mechanism="waiters released with E_DLT (`Kernel.release`), count back to the initial count")
def ini_sem(kernel: Kernel, task: Task, semid: Any) -> None:
    """Reinitialise a semaphore (ASP3): its waiters get E_DLT, its count is the initial one again."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    sem = itron.get("sem", semid)
    while sem.queue:
        kernel.release(sem.queue.first(), error=Deleted(f"sem {sem.label} was reinitialised"))
    sem.count = sem.initial


@service("ref_sem", "func(semid: s32) -> tuple<s32, u32>", result=ER_OUT,
         mechanism="`Semaphore.queue` and `.count`")
def ref_sem(kernel: Kernel, task: Task, semid: Any) -> tuple[int, int]:
    """T_RSEM: (wtskid: the first waiter or TSK_NONE, semcnt)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    sem = itron.get("sem", semid)
    first = sem.queue.first()
    return (itron.id_of("tsk", first) if first is not None else 0, sem.count)
