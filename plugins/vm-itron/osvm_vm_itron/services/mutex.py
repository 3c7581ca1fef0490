"""Mutexes: loc_mtx, ploc_mtx, tloc_mtx, unl_mtx, ini_mtx, ref_mtx over ``kernel.mutex.Mutex``.

The kernel's mutex already follows ASP3 where it differs from μITRON 4.0 (E_OBJ
for relocking and for unlocking a mutex one does not hold, E_ILUSE above a
ceiling); the personality asks for ASP3's last-locked-first unlock order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..personality import itron_of
from . import ER_OUT, service

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel
    from osvm_core.kernel.task import Task


@service("loc_mtx", "func(mtxid: s32)", mechanism="`Mutex.lock` forever")
def loc_mtx(kernel: Kernel, task: Task, mtxid: Any) -> Any:
    """Lock a mutex, waiting for it."""
    itron = itron_of(kernel)
    itron.check_may_wait(task)
    mutex = itron.get("mtx", mtxid)
    itron.check_raster(task)
    return mutex.lock(task, -1)


@service("ploc_mtx", "func(mtxid: s32)", mechanism="`Mutex.lock` with timeout 0 (E_TMOUT)")
def ploc_mtx(kernel: Kernel, task: Task, mtxid: Any) -> Any:
    """Lock a mutex if it is free (E_TMOUT otherwise)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    return itron.get("mtx", mtxid).lock(task, 0)


@service("tloc_mtx", "func(mtxid: s32, tmout: s32)", mechanism="`Mutex.lock` with a tick-aligned timeout")
def tloc_mtx(kernel: Kernel, task: Task, mtxid: Any, tmout: Any) -> Any:
    """Lock a mutex, waiting at most ``tmout`` ms."""
    itron = itron_of(kernel)
    itron.check_may_wait(task)
    mutex = itron.get("mtx", mtxid)
    timeout = itron.timeout(tmout)
    itron.check_raster(task)
    return mutex.lock(task, timeout)


@service("unl_mtx", "func(mtxid: s32)",
         mechanism="`Mutex.unlock(last_only=True)`: the first waiter becomes the holder")
def unl_mtx(kernel: Kernel, task: Task, mtxid: Any) -> None:
    """Unlock the mutex the caller locked last (E_OBJ otherwise)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    itron.get("mtx", mtxid).unlock(task, last_only=True)


@service("ini_mtx", "func(mtxid: s32)", mechanism="`Mutex.reset`: unlocked, waiters released with E_DLT")
def ini_mtx(kernel: Kernel, task: Task, mtxid: Any) -> None:
    """Reinitialise a mutex (ASP3)."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    itron.get("mtx", mtxid).reset()


@service("ref_mtx", "func(mtxid: s32) -> tuple<s32, s32>", result=ER_OUT,
         mechanism="`Mutex.holder` and `.queue`")
def ref_mtx(kernel: Kernel, task: Task, mtxid: Any) -> tuple[int, int]:
    """T_RMTX: (htskid, wtskid), TSK_NONE where there is none."""
    itron = itron_of(kernel)
    itron.check_task_context(task)
    mutex = itron.get("mtx", mtxid)
    first = mutex.queue.first()
    holder = itron.id_of("tsk", mutex.holder) if mutex.holder is not None else 0
    return (holder, itron.id_of("tsk", first) if first is not None else 0)
