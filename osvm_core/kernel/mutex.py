"""Mutexes: plain, with priority inheritance (TA_INHERIT) and with a priority ceiling (TA_CEILING).

A mutex has at most one holder; a task keeps the mutexes it holds in lock order
(``task.mutexes``). A task has a *base* priority (set at creation and by chg_pri)
and a *current* one, the priority the scheduler and the priority wait queues
see: the best (smallest) of

- its base priority,
- the ceiling of every ``ceiling`` mutex it holds,
- the current priority of every task waiting on an ``inherit`` mutex it holds.

The last term makes donation transitive: when the holder of an ``inherit`` mutex
itself waits on another ``inherit`` mutex, its raised priority passes on to that
mutex's holder, and so on along the chain (nested and chained donation). The
current priority is recomputed whenever a term changes: lock, unlock, a waiter
leaving (timeout, rel_wai, termination), deletion, chg_pri, and a holder ending
(the kernel unlocks the mutexes of a task that ends, as μITRON and ASP3 do).

Error codes follow TOPPERS ASP3, which the TTSP3 scenarios check: locking a
mutex one already holds is E_OBJ, unlocking one that the caller does not hold is
E_OBJ, locking a ceiling mutex (or raising one's base priority by chg_pri) above
its ceiling is E_ILUSE. μITRON 4.0 uses E_ILUSE for the first two. ASP3 also
insists on unlocking in the reverse order of locking; that check is available
(``unlock(..., last_only=True)``) but off for the OS services, which release in
any order as μITRON 4.0 allows.

A runnable task whose current priority a mutex operation changes goes first
among the tasks of its new priority (TOPPERS NGKI2018, the policy's
``reprioritized_at_head``); a task made ready by getting a mutex goes last
(NGKI2019), as every released waiter does; chg_pri puts a task last (NGKI1194)
unless a held mutex keeps its current priority where it was, in which case
nothing moves (NGKI1197).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import Deleted, IllegalUse, ObjectStateError, ParameterError, Timeout
from .wait import ORDERS, TMO_POL, WaitQueue

if TYPE_CHECKING:
    from .kernel import Kernel
    from .task import Task

PROTOCOLS = ("none", "inherit", "ceiling")


class Mutex:
    """One lock with a holder, a wait queue and a protocol: none, inherit or ceiling."""

    kind = "mtx"

    def __init__(self, kernel: Kernel, name: str | None, protocol: str = "none", ceiling: int | None = None,
                 order: str | None = None, owner: str = "os") -> None:
        if protocol not in PROTOCOLS:
            raise ParameterError(f"mutex protocol must be 'none', 'inherit' or 'ceiling', got {protocol!r}")
        if protocol == "ceiling":
            if type(ceiling) is not int or ceiling < 1:
                raise ParameterError(f"a ceiling mutex needs a ceiling priority >= 1, got {ceiling!r}")
        elif ceiling:
            raise ParameterError(f"only a 'ceiling' mutex takes a ceiling, not a '{protocol}' one")
        else:
            ceiling = None
        if not order:
            order = "fifo" if protocol == "none" else "priority"
        if order not in ORDERS:
            raise ParameterError(f"mutex wait-queue order must be 'fifo' or 'priority', got {order!r}")
        if protocol != "none" and order != "priority":
            raise ParameterError(f"a '{protocol}' mutex serves its waiters in priority order, not {order!r}")
        self.kernel = kernel
        self.name = name
        self.protocol = protocol
        self.ceiling = ceiling
        self.owner = owner
        self.holder: Task | None = None
        self.locks = 0          # successful locks, for stats
        self.queue = WaitQueue(order, f"mtx {name}")
        self.id = kernel.objects.add("mtx", self, name)
        self.reason = f"mtx {self.label}"

    @property
    def label(self) -> str:
        return self.name or f"#{self.id}"

    # -------------------------------------------------------------- the services
    def lock(self, task: Task, timeout: int) -> object:
        """loc_mtx / tloc_mtx / ploc_mtx (timeout 0): take the mutex or wait for it."""
        if self.protocol == "ceiling" and task.base_priority < self.ceiling:
            raise IllegalUse(f"mtx {self.label}: task '{task.name}' has base priority {task.base_priority}, "
                             f"above the ceiling {self.ceiling}")
        holder = self.holder
        if holder is None:
            self._give(task)
            refresh(self.kernel, task)
            return None
        if holder is task:
            raise ObjectStateError(f"mtx {self.label} is already locked by task '{task.name}'")
        if timeout == TMO_POL:
            raise Timeout(f"mtx {self.label} is locked by task '{holder.name}'")
        blocked = self.kernel.wait(task, self.queue, timeout, self.reason, data=self, on_cancel=self._left)
        if self.protocol == "inherit":
            refresh(self.kernel, holder)
        return blocked

    def unlock(self, task: Task, *, last_only: bool = False) -> None:
        """unl_mtx: only the holder may unlock; the first waiter becomes the holder."""
        if self.holder is not task:
            held = f"task '{self.holder.name}'" if self.holder else "nobody"
            raise ObjectStateError(f"mtx {self.label} is held by {held}, not by task '{task.name}'")
        if last_only and task.mutexes[-1] is not self:
            raise ObjectStateError(f"mtx {self.label} is not the last mutex task '{task.name}' locked "
                                   f"(that is mtx {task.mutexes[-1].label})")
        task.mutexes.remove(self)
        self.holder = None
        refresh(self.kernel, task)
        self._hand_over()

    def reset(self) -> None:
        """ini_mtx: unlocked again; the holder loses it, the waiters get E_DLT in queue order."""
        holder = self.holder
        if holder is not None:
            holder.mutexes.remove(self)
            self.holder = None
            refresh(self.kernel, holder)
        while self.queue:
            self.kernel.release(self.queue.first(), error=Deleted(f"mtx {self.label} was deleted"))

    def delete(self) -> None:
        self.reset()
        self.kernel.objects.remove("mtx", self.id)

    def stats(self) -> dict[str, object]:
        return {"mtx": self.label, "protocol": self.protocol, "ceiling": self.ceiling,
                "holder": self.holder.name if self.holder else None, "waiting": len(self.queue),
                "locks": self.locks}

    # -------------------------------------------------------------- inside
    def _give(self, task: Task) -> None:
        self.holder = task
        task.mutexes.append(self)
        self.locks += 1

    def _hand_over(self) -> None:
        """The mutex is free: the first waiter (if any) takes it and is released with E_OK."""
        waiter = self.queue.first()
        if waiter is None:
            return
        self.queue.remove(waiter)
        self._give(waiter)
        # it is still waiting, in no queue: its new priority needs no re-placing, and it is
        # made ready behind its peers of that priority by the release
        waiter.priority = current_priority(waiter)
        self.kernel.release(waiter, None)

    def _left(self, task: Task) -> None:
        """A waiter left without the mutex (timeout, rel_wai, termination): its donation goes."""
        if self.protocol == "inherit" and self.holder is not None:
            refresh(self.kernel, self.holder)


# ------------------------------------------------------------------ priorities
def current_priority(task: Task) -> int:
    """The base priority, raised by held ceiling mutexes and by the waiters of held inherit mutexes."""
    best = task.base_priority
    for mutex in task.mutexes:
        if mutex.protocol == "ceiling":
            if mutex.ceiling < best:
                best = mutex.ceiling
        elif mutex.protocol == "inherit":
            for waiter in mutex.queue:
                if waiter.priority < best:
                    best = waiter.priority
    return best


def _next_holder(task: Task) -> Task | None:
    """Whom ``task`` donates to: the holder of the inherit mutex it waits on, if any."""
    record = task.wait
    if record is None:
        return None
    mutex = record.data
    if type(mutex) is Mutex and mutex.protocol == "inherit":
        return mutex.holder
    return None


def refresh(kernel: Kernel, task: Task) -> None:
    """Recompute ``task``'s current priority after a mutex operation and pass the change on."""
    for _ in range(len(kernel.tasks) + 1):   # bounded: a deadlocked ring of holders must not spin
        old = task.priority
        new = current_priority(task)
        if new == old:
            return
        task.priority = new
        kernel.reposition(task, old, at_head=True)
        following = _next_holder(task)
        if following is None:
            return
        task = following


def donate(kernel: Kernel, task: Task) -> None:
    """``task``'s current priority changed (chg_pri): the holder it waits on, if any, follows."""
    holder = _next_holder(task)
    if holder is not None:
        refresh(kernel, holder)


def check_ceilings(task: Task, priority: int) -> None:
    """chg_pri: a base priority above the ceiling of a mutex the task holds or waits for is E_ILUSE."""
    mutexes = list(task.mutexes)
    if task.wait is not None and type(task.wait.data) is Mutex:
        mutexes.append(task.wait.data)
    for mutex in mutexes:
        if mutex.protocol == "ceiling" and priority < mutex.ceiling:
            raise IllegalUse(f"priority {priority} of task '{task.name}' is above the ceiling "
                             f"{mutex.ceiling} of mtx {mutex.label}")


def pinned(task: Task) -> bool:
    """A held mutex sets the current priority: a ceiling, or a donation above the base."""
    return task.priority != task.base_priority or any(m.protocol == "ceiling" for m in task.mutexes)


def release_all(task: Task) -> None:
    """A task ends: its mutexes go to their next waiters, the last locked first."""
    while task.mutexes:
        mutex = task.mutexes.pop()
        mutex.holder = None
        mutex._hand_over()
    task.priority = task.base_priority
