"""The μITRON personality of one kernel: IDs, context checks, CPU state and system time.

One ``Itron`` exists per kernel (``install``). It holds what μITRON adds on top
of the OS layer and nothing the OS layer already has: tasks, semaphores, pools
and mutexes stay the kernel's objects, waits are the kernel's waits, timeouts
are the kernel's time events.

- IDs: μITRON objects are numbered per kind (``ids.IdTable``).
- Context: a call from a task of a VM domain is *task context*; a call from an
  OS-layer handler task of the kernel domain (alarm and cyclic handlers) is
  *non-task context*.
- CPU state: CPU lock, dispatch disable and the interrupt priority mask
  (ASP3's ``chg_ipm``). While any is set, dispatching is pending: the ``itron``
  policy of each μITRON domain holds the task that runs (``policy.ItronPolicy``).
- Time: the system tick is 1 ms of the board clock (``tick`` cycles). A
  relative time ``t`` given at tick ``n`` ends at tick ``n + t + 1`` (ASP3: it
  never ends early), so every μITRON timeout and delay is due on a tick
  boundary. ``adjust`` (adj_tim) shifts event time against the board's ticks,
  ``offset`` (set_tim) the system time against event time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from osvm_core.errors import BadId, ContextError, NoSuchObject, OsvmError, ParameterError
from osvm_core.names.tree import Entry, EntryKind

from .constants import E_RASTER, TIPM_ENAALL, TMAX_RELTIM, TMO_FEVR, TMO_POL
from .ids import KINDS, IdTable
from .policy import ItronPolicy

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel
    from osvm_core.kernel.task import Task

    from .timeevents import TimeEvents

#: The personality is an object entry of the kernel's names tree, so it lives exactly as long as the kernel.
PERSONALITY = "/itron/kernel/personality"


def install(kernel: Kernel) -> Itron:
    """The kernel's personality, made (and its services published) on first use."""
    entry = kernel.names.get(PERSONALITY)
    if entry is not None:
        return entry.procedure
    from . import services

    itron = Itron(kernel)
    kernel.names.publish(Entry(path=PERSONALITY, kind=EntryKind.OBJECT, signature=None, owner="os",
                               procedure=itron, rights="owner", doc="the μITRON personality's state"))
    services.publish(kernel)
    return itron


def itron_of(kernel: Kernel) -> Itron:
    entry = kernel.names.get(PERSONALITY)
    return entry.procedure if entry is not None else install(kernel)


class Itron:
    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel
        self.tick = max(1, kernel.board.clock_hz // 1000)    # cycles per ms
        self.tables: dict[str, IdTable] = {kind: IdTable(kind) for kind in KINDS}
        self.vms: set[str] = set()          # VMs whose tasks are μITRON tasks
        self.cpu_locked = False
        self.dispatch_disabled = False
        self.ipm = TIPM_ENAALL
        self.adjust = 0                     # event time = board ticks + adjust (adj_tim)
        self.monotonic = 0                  # the latest event time seen
        self.offset = 0                     # system time = monotonic event time + offset (set_tim)
        self._events: TimeEvents | None = None

    # ------------------------------------------------------------------ objects
    @property
    def events(self) -> TimeEvents:
        if self._events is None:
            from .timeevents import TimeEvents
            self._events = TimeEvents(self)
        return self._events

    def table(self, kind: str) -> IdTable:
        return self.tables[kind]

    def add(self, kind: str, obj: Any, name: str | None = None) -> int:
        return self.tables[kind].add(obj, name)

    def get(self, kind: str, ref: Any) -> Any:
        table = self.tables[kind]
        try:
            return table.get(ref)
        except (BadId, NoSuchObject):
            if self._sync(kind):
                return table.get(ref)
            raise

    def _sync(self, kind: str) -> bool:
        """Number the OS-layer objects of system files that are not yet known (declaration order)."""
        kernel = self.kernel
        table = self.tables[kind]
        before = len(table)
        if kind == "tsk":
            for task in kernel.tasks.values():
                if task.vm_name in self.vms and task not in table and not task.attrs.get("itron.exclude"):
                    table.add(task, task.name)
        elif kind in ("sem", "mpf", "mtx"):
            for obj in kernel.objects.all(kind):
                if obj not in table:
                    table.add(obj, obj.name)
        return len(table) != before

    def task(self, ref: Any, caller: Task, *, self_allowed: bool = True) -> Task:
        """A task by ID; TSK_SELF (0) is the caller, in task context only (E_ID otherwise)."""
        if ref == 0 and not isinstance(ref, bool):
            if self_allowed and not self.in_handler(caller):
                return caller
            raise BadId("TSK_SELF names no task here")
        return self.get("tsk", ref)

    def name_of(self, kind: str, obj: Any) -> str:
        return self.tables[kind].name_of(obj)

    def id_of(self, kind: str, obj: Any) -> int:
        return self.tables[kind].id_of(obj)

    # ------------------------------------------------------------------ context
    def in_handler(self, task: Task) -> bool:
        """Non-task context: the caller is an OS-layer handler task of the kernel domain."""
        return task.domain is self.kernel.kernel_domain

    def dispatch_pending(self) -> bool:
        return self.cpu_locked or self.dispatch_disabled or self.ipm != TIPM_ENAALL

    def check_task_context(self, task: Task) -> None:
        """CHECK_TSKCTX_UNL: task context and CPU not locked, else E_CTX."""
        if self.in_handler(task):
            raise ContextError("called from non-task context")
        if self.cpu_locked:
            raise ContextError("called with the CPU locked")

    def check_unlocked(self) -> None:
        """CHECK_UNL: the CPU is not locked, else E_CTX."""
        if self.cpu_locked:
            raise ContextError("called with the CPU locked")

    def check_may_wait(self, task: Task) -> None:
        """CHECK_DISPATCH: a call that may wait needs task context and no pending dispatch."""
        if self.in_handler(task):
            raise ContextError("a waiting call from non-task context")
        if self.cpu_locked:
            raise ContextError("a waiting call with the CPU locked")
        if self.ipm != TIPM_ENAALL:
            raise ContextError("a waiting call with the interrupt priority mask raised")
        if self.dispatch_disabled:
            raise ContextError("a waiting call with dispatching disabled")

    def check_raster(self, task: Task) -> None:
        """ASP3: a task with a termination request pending may not start waiting (E_RASTER)."""
        if task.attrs.get("itron.raster"):
            raise OsvmError(f"task '{task.name}' has a termination request pending", code=E_RASTER)

    # ------------------------------------------------------------------ dispatching
    def policies(self) -> list[ItronPolicy]:
        return [d.policy for d in self.kernel.domains if isinstance(d.policy, ItronPolicy)]

    def running(self) -> Task | None:
        for policy in self.policies():
            task = policy.current()
            if task is not None:
                return task
        return None

    def is_running(self, task: Task) -> bool:
        policy = task.domain.policy
        return isinstance(policy, ItronPolicy) and policy.current() is task

    def unlock_cpu(self) -> None:
        """The CPU lock ends: a pending dispatch happens, and time events held back by it are served."""
        self.cpu_locked = False
        self.update_dispatch()
        if self._events is not None and self._events.queue:
            self._events.wake()

    def update_dispatch(self) -> None:
        """Hold the running task while dispatching is pending; let the next pick dispatch after."""
        pending = self.dispatch_pending()
        for policy in self.policies():
            if pending:
                if policy.hold is None:
                    policy.hold = policy.current()
            else:
                policy.hold = None

    # ------------------------------------------------------------------ time
    def evt_now(self) -> int:
        """The current event time in ms (board ticks shifted by adj_tim); keeps ``monotonic``."""
        now = self.kernel.board.now() // self.tick + self.adjust
        if now > self.monotonic:
            self.monotonic = now
        return now

    def system_time(self) -> int:
        self.evt_now()
        return self.monotonic + self.offset

    def set_system_time(self, systim: int) -> None:
        self.evt_now()
        self.offset = systim - self.monotonic

    def due_cycle(self, evt: int) -> int:
        """The board cycle at which event time ``evt`` begins (never in the past)."""
        return max(self.kernel.board.now(), (evt - self.adjust) * self.tick)

    def evt_after(self, reltim: int) -> int:
        """Event time at which a relative time given now has passed (ASP3: one tick more)."""
        return self.evt_now() + reltim + 1

    def left(self, due: int) -> int:
        """What remains, in ms, before an event due at board cycle ``due`` (ref_tsk's lefttmo)."""
        return max(0, due // self.tick - self.kernel.board.now() // self.tick - 1)

    def timeout(self, tmout: Any) -> int:
        """A μITRON timeout (ms, TMO_POL, TMO_FEVR) as the kernel's timeout in cycles; E_PAR if invalid."""
        if isinstance(tmout, bool) or not isinstance(tmout, int) or tmout < TMO_FEVR or tmout > TMAX_RELTIM:
            raise ParameterError(f"tmout must be TMO_FEVR, TMO_POL or 1..TMAX_RELTIM ms, got {tmout!r}")
        if tmout in (TMO_FEVR, TMO_POL):
            return tmout
        return self.due_cycle(self.evt_after(tmout)) - self.kernel.board.now()

    def reltim(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= TMAX_RELTIM:
            raise ParameterError(f"a relative time must be 0..TMAX_RELTIM ms, got {value!r}")
        return value

    def shift_time(self, adjtim: int) -> None:
        """adj_tim: event time moves by ``adjtim`` ms; pending timeouts and handlers follow it."""
        self.adjust += adjtim
        self.evt_now()
        kernel = self.kernel
        now = kernel.board.now()
        delta = adjtim * self.tick
        for task in self.tables["tsk"]:
            record = task.wait
            if record is None or record.timer is None or record.timer.cancelled:
                continue
            old = record.timer
            kernel.timers.cancel(old)
            record.timer = kernel.timers.schedule(max(now, old.due - delta), old.action)
        if self._events is not None:
            self._events.reschedule()

    # ------------------------------------------------------------------ tasks
    def initial_priority(self, task: Task) -> int:
        return task.attrs.get("initial_priority", task.base_priority)
