"""The kernel: a deterministic dispatch loop on the board's cycle clock.

One loop iteration: take due interrupts and time events, let the OS
round-robin choose a domain and the domain's policy choose a task, run the
task's top frame for a budget, charge the cycles, handle the event the VM
returned. Nothing reads the host clock, so a system file and a seed always
give the same run. The loop in ``run`` is the hot path and is written densely.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import (
    ContextError,
    GuestFault,
    IllegalUse,
    NoMemory,
    ObjectStateError,
    OsvmError,
    ParameterError,
    QueueOverflow,
    Timeout,
    WaitReleased,
)
from ..events import Call, Exited, Fault, Preempted, Returned
from ..memory.physical import PhysicalMemory
from ..memory.variable_pool import VariablePool
from ..names.binding import Binding, bind
from ..names.grants import Grants
from ..names.signature import check_args, check_result, parse_signature
from ..names.tree import Entry, EntryKind, Namespace
from .domain import Domain
from .objects import ObjectTable
from .task import RUNNABLE, Frame, Task, TaskState
from .timers import TimerQueue
from .trace import Trace
from .wait import TMO_FEVR, TMO_POL, Wait, WaitQueue

if TYPE_CHECKING:
    from ..board import Board
    from ..plugins import PluginSet
    from ..scheduling.policy import SchedulingPolicy
    from ..vm import VM

#: Cycles the kernel charges the caller for one service call (a system call's entry and exit).
SERVICE_CYCLES = 20
#: Cycles a VM's frame may be given at least, so that every dispatch makes progress.
MIN_BUDGET = 1


class _Blocked:
    """Returned by a service whose caller now waits; the result comes with the release."""

    def __repr__(self) -> str:
        return "BLOCKED"


BLOCKED = _Blocked()


@dataclass
class HaltReport:
    reason: str                      # finished | deadlock | max-cycles | stopped
    cycles: int
    detail: list[str] = field(default_factory=list)


@dataclass
class Fallback:
    """The watchdog replaced a domain's policy with the core round-robin."""

    cycle: int
    domain: str
    policy: str                      # the replaced policy's name
    task: str                        # the task it left unpicked
    unpicked: int                    # for how many cycles


class Kernel:
    """The OS layer of one system: the mechanisms, the names tree and the dispatch loop."""

    def __init__(self, board: Board, *, plugins: PluginSet | None = None, quantum: int = 2000,
                 seed: int = 0, kernel_policy: SchedulingPolicy | None = None,
                 trace: bool = False, diagnostics: Callable[[str], None] | None = None) -> None:
        from ..scheduling.fixed_priority import FixedPriority

        if quantum <= 0:
            raise ParameterError(f"quantum must be a positive number of cycles, got {quantum}")
        self.board = board
        self.plugins = plugins
        self.quantum = quantum
        self.seed = seed
        self.random = random.Random(seed)
        self.names = Namespace()
        self.grants = Grants()
        self.memory = PhysicalMemory(board.ram, board.ram_base)
        self.ram = memoryview(board.ram)
        self.timers = TimerQueue()
        self.objects = ObjectTable()
        self.trace = Trace(enabled=trace)
        self.diagnostics = diagnostics or (lambda text: print(text, file=sys.stderr))
        self.kernel_domain = Domain("kernel", kernel_policy or FixedPriority(), share=1)
        self.domains: list[Domain] = []      # VM domains, in round-robin order
        self.vm_domains: dict[str, Domain] = {}  # VM name -> its domain (one shared domain in flat mode)
        self.flat: Domain | None = None      # flat mode: the one domain of every VM (set_flat)
        self.watchdog = 0                    # cycles a ready task may go unpicked; 0: the watchdog is off
        self.watchdog_fallbacks: list[Fallback] = []
        self._watchdog_at = 0
        self.vms: dict[str, VM] = {}
        self.vm_heaps: dict[str, VariablePool] = {}
        self.vm_allocators: dict[str, Any] = {}
        from ..memory.first_fit import FirstFit
        self.default_allocator: Any = FirstFit
        self.tasks: dict[int, Task] = {}
        self.current: Task | None = None
        self.live = 0                        # non-daemon tasks that are not dormant
        self.turn = 0
        self.idle_cycles = 0
        self.service_cycles = 0
        self.faults: list[tuple[Task, OsvmError]] = []
        self.halted: HaltReport | None = None
        self.booted = False
        self._stop_requested = False
        self.device_ports: dict[int, Any] = {}   # line number -> Port fed by that line
        self.internal_vms: list[VM] = []         # the kernel's own: interrupt and upcall tasks
        from .interrupts import install_interrupt_tasks
        from .services import publish_services

        publish_services(self)
        self._interrupt_tasks = install_interrupt_tasks(self)
        self._hooks_for_switch = False

    # ------------------------------------------------------------------ composition
    def add_vm(self, vm: VM, policy: SchedulingPolicy | None, *, share: int = 1, memory: int = 1 << 20,
               allocator: Any = None) -> Domain:
        """Join a VM instance: its domain, its policy and its private heap (the memory limit).

        In flat mode (``set_flat``) the VM joins the one shared domain and ``policy`` is ignored."""
        if vm.name in self.vms or vm.name == "kernel" or vm.name == "os":
            raise ObjectStateError(f"a VM named '{vm.name}' already exists")
        if share <= 0:
            raise ParameterError(f"share of VM '{vm.name}' must be a positive integer, got {share}")
        if self.flat is not None:            # flat mode: the VM's tasks join the one shared domain
            domain = self.flat
        elif policy is None:
            raise ParameterError(f"VM '{vm.name}' needs a scheduling policy (or flat mode)")
        else:
            domain = Domain(vm.name, policy, share=share, vm=vm)
            policy.attach(self.board.now)
            self.domains.append(domain)
        self.vm_domains[vm.name] = domain
        self.vms[vm.name] = vm
        if memory > 0:
            region = self.memory.reserve(memory, owner=f"vm {vm.name}")
            allocator = allocator or self.default_allocator
            self.vm_allocators[vm.name] = allocator
            self.vm_heaps[vm.name] = VariablePool(self.ram, self.board.ram_base, region.base,
                                                  region.size, allocator(region.base, region.size))
        vm.attach(self)
        return domain

    def domain_of(self, vm_name: str) -> Domain:
        domain = self.vm_domains.get(vm_name)
        if domain is not None:
            return domain
        if vm_name == "kernel":
            return self.kernel_domain
        raise ParameterError(f"no VM named '{vm_name}'")

    @property
    def vm_cycles(self) -> dict[str, int]:
        """Cycles each VM instance executed itself, for any task (cross-VM calls count for the callee)."""
        totals: dict[str, int] = {}
        for vm in [*self.vms.values(), *self.internal_vms]:
            totals[vm.name] = totals.get(vm.name, 0) + vm.cycles
        return totals

    # ------------------------------------------------------------------ memory for VMs
    def vm_allocate(self, vm_name: str, size: int) -> int:
        """A block of ``size`` bytes from the VM's heap; E_NOMEM (for that VM only) past its limit."""
        heap = self.vm_heaps.get(vm_name)
        if heap is None:
            raise NoMemory(f"VM '{vm_name}' has no memory (its memory limit is 0)")
        address = heap.try_get(size)
        if address is None:
            stats = heap.stats()
            raise NoMemory(f"VM '{vm_name}' is out of memory: {size} bytes asked, "
                           f"{stats.live_bytes} of {heap.size} in use")
        return address

    def vm_release(self, vm_name: str, address: int) -> None:
        self.vm_heaps[vm_name].release(address)

    def ram_view(self, address: int, size: int) -> memoryview:
        return self.memory.view(address, size)

    def _storage(self, size: int, owner: str) -> tuple[int, Any]:
        """Room for a kernel object's blocks: from the owning VM's heap, or from RAM for the OS."""
        if owner in self.vms:   # a VM's objects count against its limit, even a limit of 0 (no heap)
            address = self.vm_allocate(owner, size)
            return address, ("heap", owner, address)
        region = self.memory.reserve(size, owner=owner)
        return region.base, region

    def free_storage(self, region: Any) -> None:
        if region is None:
            return
        if isinstance(region, tuple):
            _, owner, address = region
            self.vm_release(owner, address)
        else:
            self.memory.free(region)

    def create_semaphore(self, name: str | None, count: int, maximum: int, order: str = "fifo",
                         owner: str = "os") -> Any:
        from .semaphore import Semaphore
        return Semaphore(self, name, count, maximum, order, owner)

    def create_mutex(self, name: str | None, protocol: str = "none", ceiling: int | None = None,
                     order: str | None = None, owner: str = "os") -> Any:
        from .mutex import Mutex
        return Mutex(self, name, protocol, ceiling, order, owner)

    def create_port(self, name: str | None, capacity: int, order: str = "fifo", owner: str = "os") -> Any:
        """A new port; a system file's port named like a device line resizes that line's port."""
        from .port import Port
        from .wait import WaitQueue
        device = next((p for p in self.device_ports.values() if name is not None and p.name == name), None)
        if device is not None:
            if not isinstance(capacity, int) or capacity < 0:
                raise ParameterError(f"port capacity must be an integer >= 0, got {capacity!r}")
            device.capacity = capacity
            device.receivers = WaitQueue(order, f"port {name}")
            device.senders = WaitQueue(order, f"port {name}")
            return device
        return Port(self, name, capacity, order, owner)

    def create_fixed_pool(self, name: str | None, block: int, count: int, order: str = "fifo",
                          owner: str = "os") -> Any:
        from .mempool import FixedPoolObject
        if not isinstance(block, int) or block <= 0 or not isinstance(count, int) or count <= 0:
            raise ParameterError(f"fixed pool needs a positive block size and count, got {block!r} x {count!r}")
        rounded = (block + 3) & ~3
        base, region = self._storage(rounded * count, owner)
        return FixedPoolObject(self, name, base, block, count, order, owner, region)

    def create_variable_pool(self, name: str | None, size: int, order: str = "fifo", owner: str = "os",
                             allocator: Any = None) -> Any:
        from .mempool import VariablePoolObject
        if not isinstance(size, int) or size < 64:
            raise ParameterError(f"variable pool size must be an integer of at least 64 bytes, got {size!r}")
        size = (size + 7) & ~7
        base, region = self._storage(size, owner)
        factory = allocator or self.vm_allocators.get(owner) or self.default_allocator
        return VariablePoolObject(self, name, base, size, factory(base, size), order, owner, region)

    # ------------------------------------------------------------------ names
    def publish(self, entry: Entry, replace: bool = False) -> None:
        self.names.publish(entry, replace=replace)

    def publish_module(self, vm: VM, module: Any) -> None:
        """Publish a loaded module's exports under /mod/<vm>/<module>/<name>."""
        for export in module.exports:
            path = f"/mod/{vm.name}/{module.name}/{export.name}"
            self.names.publish(Entry(path=path, kind=EntryKind.PROCEDURE,
                                     signature=parse_signature(export.signature), owner=vm.name,
                                     procedure=export.procedure, doc=export.doc))

    def bind(self, importer: str, path: str, signature: str | None) -> Binding:
        """Bind ``path`` for VM ``importer``: grants, guards (the bind hook), then signatures."""
        if self.plugins is not None:
            for reason in self.plugins.manager.hook.osvm_bind_requested(
                    kernel=self, importer=importer, path=path, signature=signature):
                if reason:
                    from ..errors import AccessViolation
                    raise AccessViolation(f"bind of {path} by VM '{importer}' vetoed: {reason}")
        binding = bind(self.names, self.grants, importer, path, signature)
        self.trace.add(self.board.now(), "bind", importer, path)
        return binding

    def link_all(self) -> None:
        """Bind every declared import of every loaded module (after all modules are loaded)."""
        for vm in self.vms.values():
            for module in vm.modules.values():
                self.link_module(vm, module)

    def link_module(self, vm: VM, module: Any) -> None:
        """Bind one module's declared imports and hand the bindings to its VM."""
        vm.link(module, [self.bind(vm.name, imp.path, imp.signature) for imp in module.imports])

    # ------------------------------------------------------------------ tasks
    def create_task(self, name: str, vm_name: str, entry: Entry | None, *, priority: int = 1,
                    args: tuple[Any, ...] = (), attrs: dict[str, Any] | None = None,
                    daemon: bool = False, frame: Frame | None = None) -> Task:
        """A new DORMANT task of VM ``vm_name`` that will run ``entry`` when activated."""
        if entry is not None and entry.kind is not EntryKind.PROCEDURE:
            raise ParameterError(f"task '{name}': {entry.path} is not a procedure")
        if priority < 1:
            raise ParameterError(f"task '{name}': priority must be >= 1, got {priority}")
        domain = self.domain_of(vm_name)
        task = Task(id=0, name=name, domain=domain, entry=entry, base_priority=priority,
                    args=tuple(args), daemon=daemon, attrs=dict(attrs or {}))
        if domain.name != vm_name:
            task.home = vm_name
        task.id = self.objects.add("task", task, name)
        self.tasks[task.id] = task
        if frame is not None:
            task.frames.append(frame)
        return task

    def activate(self, task: Task) -> None:
        """DORMANT → READY with a fresh frame; otherwise queue one activation (E_QOVR past one)."""
        if task.state is not TaskState.DORMANT:
            if task.activations >= 1:
                raise QueueOverflow(f"task '{task.name}' already has an activation queued")
            task.activations += 1
            return
        if not task.frames:
            if task.entry is None:
                raise ParameterError(f"task '{task.name}' has no entry to start")
            vm = self.vms[task.entry.owner]
            if task.entry.signature is not None:
                check_args(task.entry.signature, task.args, f"task '{task.name}' entry {task.entry.path}")
            task.frames.append(Frame(vm, vm.start(task.entry, task.args), task.entry))
        task.priority = task.base_priority
        task.wakeups = 0
        task.exit_code = None
        task.fault = None
        task.started_at = self.board.now()
        if not task.daemon:
            self.live += 1
        self._make_ready(task)
        self.trace.add(self.board.now(), "activate", task.name, "")

    def _make_ready(self, task: Task) -> None:
        task.state = TaskState.READY
        task.picked_at = self.board.now()
        task.domain.policy.ready(task)

    def end_task(self, task: Task, *, code: int | None = None, fault: OsvmError | None = None,
                 how: str = "exit") -> None:
        """The task returns to DORMANT: frames dropped, waits undone, resources kept by the OS."""
        if task.state is TaskState.DORMANT:
            return
        if task.wait is not None:
            self._cancel_wait(task)
        if task.state in RUNNABLE:
            task.domain.policy.exited(task)
        for frame in reversed(task.frames):
            frame.vm.discard(frame.context)
        task.frames.clear()
        task.state = TaskState.DORMANT
        if task.mutexes:
            from .mutex import release_all
            release_all(task)            # the next waiters get its mutexes (μITRON, ASP3)
        task.suspends = 0
        task.exit_code = code
        task.fault = fault
        task.ended_at = self.board.now()
        if not task.daemon:
            self.live -= 1
        if self.current is task:
            self.current = None
        now = self.board.now()
        if fault is not None:
            self.faults.append((task, fault))
            self.trace.add(now, "fault", task.name, str(fault))
            self.diagnostics(f"osvm: task '{task.name}' (vm {task.vm_name}) faulted at cycle {now}: {fault}")
            if self.plugins is not None:
                self.plugins.manager.hook.osvm_fault(kernel=self, task=task, error=fault)
        else:
            self.trace.add(now, how, task.name, "" if code is None else str(code))
        if task.activations:
            task.activations -= 1
            self.activate(task)

    def suspend(self, task: Task) -> None:
        state = task.state
        if state is TaskState.DORMANT:
            raise ObjectStateError(f"task '{task.name}' is dormant")
        if task.suspends:
            raise QueueOverflow(f"task '{task.name}' is already suspended")
        task.suspends += 1
        if state in RUNNABLE:
            task.domain.policy.blocked(task)
            task.state = TaskState.SUSPENDED
        elif state is TaskState.WAITING:
            task.state = TaskState.WAITING_SUSPENDED

    def resume(self, task: Task) -> None:
        if task.state is TaskState.SUSPENDED:
            task.suspends = 0
            self._make_ready(task)
        elif task.state is TaskState.WAITING_SUSPENDED:
            task.suspends = 0
            task.state = TaskState.WAITING
        else:
            raise ObjectStateError(f"task '{task.name}' is not suspended")

    def change_priority(self, task: Task, priority: int) -> None:
        """chg_pri: a new base priority; the current one is recomputed with what held mutexes add."""
        from .mutex import check_ceilings, current_priority, donate, pinned

        if task.state is TaskState.DORMANT:
            raise ObjectStateError(f"task '{task.name}' is dormant")
        if priority < 1:
            raise ParameterError(f"priority must be >= 1, got {priority}")
        check_ceilings(task, priority)
        old = task.priority
        task.base_priority = priority
        task.priority = current_priority(task)
        if task.priority == old and pinned(task):
            return                       # a held mutex keeps its priority, and its place
        self.reposition(task, old)
        donate(self, task)

    def reposition(self, task: Task, old: int, *, at_head: bool = False) -> None:
        """``task``'s current priority changed from ``old``: re-place it in its policy or wait queue.

        chg_pri puts a ready task last among its new peers; a mutex operation
        (``at_head``) puts it first (TOPPERS NGKI1194 and NGKI2018).
        """
        if task.state in RUNNABLE:
            policy = task.domain.policy
            if at_head:
                policy.reprioritized_at_head(task, old)
            else:
                policy.reprioritized(task, old)
        elif task.wait is not None and task.wait.queue is not None:
            task.wait.queue.requeue(task)

    # ------------------------------------------------------------------ waiting
    def wait(self, task: Task, queue: WaitQueue | None, timeout: int, reason: str, *,
             data: Any = None, on_cancel: Callable[[Task], None] | None = None) -> _Blocked:
        """Block ``task`` (the caller of a service) until released, or E_TMOUT after ``timeout``."""
        if timeout == TMO_POL:
            raise Timeout(f"{reason}: would wait (poll)")
        now = self.board.now()
        state = task.state
        if state not in RUNNABLE:
            raise ContextError(f"task '{task.name}' cannot wait in state {state.value}")
        task.domain.policy.blocked(task)
        task.state = TaskState.WAITING
        record = Wait(reason, queue, now, None, data, on_cancel)
        if timeout != TMO_FEVR:
            record.timer = self.timers.schedule(now + timeout, lambda: self._timeout(task, record))
        task.wait = record
        if queue is not None:
            queue.add(task)
        if self.trace.enabled:
            self.trace.add(now, "wait", task.name, reason)
        return BLOCKED

    def _timeout(self, task: Task, record: Wait) -> None:
        if task.wait is record:
            self.release(task, error=Timeout(f"{record.reason}: timed out"), cancelled=True)

    def release(self, task: Task, value: Any = None, *, error: OsvmError | None = None,
                cancelled: bool = False) -> None:
        """End ``task``'s wait with ``value`` (or ``error``) delivered to its top frame."""
        record = task.wait
        if record is None:
            raise ObjectStateError(f"task '{task.name}' is not waiting")
        task.wait = None
        self.timers.cancel(record.timer)
        if record.queue is not None:
            record.queue.remove(task)
        if cancelled and record.on_cancel is not None:
            record.on_cancel(task)
        now = self.board.now()
        task.waits += 1
        task.wait_cycles += now - record.since
        frame = task.frames[-1]
        if error is None:
            frame.vm.deliver(frame.context, value)
        else:
            frame.vm.fail(frame.context, error)
        if task.state is TaskState.WAITING:
            self._make_ready(task)
        else:
            task.state = TaskState.SUSPENDED
        if self.trace.enabled:
            self.trace.add(now, "release", task.name, error.code_name if error else "ok")

    def release_wait(self, task: Task) -> None:
        """rel_wai: force ``task`` out of its wait with E_RLWAI."""
        if task.wait is None:
            raise ObjectStateError(f"task '{task.name}' is not waiting")
        self.release(task, error=WaitReleased(f"wait on {task.wait.reason} released"), cancelled=True)

    def _cancel_wait(self, task: Task) -> None:
        record = task.wait
        task.wait = None
        if record is None:
            return
        self.timers.cancel(record.timer)
        if record.queue is not None:
            record.queue.remove(task)
        if record.on_cancel is not None:
            record.on_cancel(task)

    # ------------------------------------------------------------------ calls
    def _call_procedure(self, task: Task, frame: Frame, target: Binding, args: tuple[Any, ...]) -> None:
        """A call into a module's export: push a frame in the callee VM under the same task."""
        entry = target.entry
        vm = self.vms.get(entry.owner)
        if vm is None:
            frame.vm.fail(frame.context, ObjectStateError(f"{entry.path}: its VM '{entry.owner}' is gone"))
            return
        try:
            if target.signature is not None:
                args = check_args(target.signature, args, f"call of {entry.path}")
            context = vm.start(entry, args)
        except OsvmError as error:
            frame.vm.fail(frame.context, error)
            return
        task.frames.append(Frame(vm, context, entry))
        if self.trace.enabled:
            self.trace.add(self.board.now(), "call", task.name, entry.path)

    # ------------------------------------------------------------------ flat mode and the watchdog
    def set_flat(self, policy: SchedulingPolicy) -> Domain:
        """Flat mode: one domain run by ``policy`` holds the tasks of every VM added from now on."""
        if self.domains:
            raise ObjectStateError("flat mode must be chosen before any VM is added")
        self.flat = Domain("flat", policy)
        policy.attach(self.board.now)
        self.domains.append(self.flat)
        return self.flat

    def _watchdog_check(self, now: int) -> None:
        """Every domain that left a ready task unpicked longer than the bound falls back to round-robin."""
        bound = self.watchdog
        self._watchdog_at = now + max(1, bound // 4)
        for task in list(self.tasks.values()):
            if task.state is TaskState.READY and now - task.picked_at > bound \
                    and task.domain is not self.kernel_domain:
                self._fall_back(task.domain, task, now)

    def _watchdog_due(self) -> int | None:
        """When the watchdog will find a ready task unpicked too long; None: no task is ready."""
        oldest = min((t.picked_at for t in self.tasks.values()
                      if t.state is TaskState.READY and t.domain is not self.kernel_domain), default=None)
        return None if oldest is None else max(oldest + self.watchdog + 1, self._watchdog_at)

    def _fall_back(self, domain: Domain, starved: Task, now: int) -> None:
        """Replace ``domain``'s policy with the core round-robin, carrying its runnable tasks over."""
        from ..scheduling.round_robin import RoundRobin

        old = domain.policy
        if type(old) is RoundRobin:         # the fallback itself is always valid
            return
        policy = RoundRobin()
        policy.attach(self.board.now)
        runnable = [t for t in self.tasks.values() if t.domain is domain and t.state in RUNNABLE]
        for task in sorted(runnable, key=lambda t: (t.picked_at, t.id)):   # the longest unpicked first
            policy.ready(task)
        domain.policy = policy
        unpicked = now - starved.picked_at
        self.watchdog_fallbacks.append(Fallback(now, domain.name, old.name, starved.name, unpicked))
        text = (f"policy {old.name} left task '{starved.name}' unpicked for {unpicked} cycles "
                f"(bound {self.watchdog}); domain '{domain.name}' falls back to round-robin")
        self.trace.add(now, "watchdog", domain.name, text)
        self.diagnostics(f"osvm: watchdog at cycle {now}: {text}")

    # ------------------------------------------------------------------ dispatch
    def _pick(self) -> Task | None:
        task = self.kernel_domain.policy.pick()
        if task is not None:
            return task
        domains = self.domains
        count = len(domains)
        if not count:
            return None
        domain = domains[self.turn]
        if domain.slice_left > 0:
            task = domain.policy.pick()
            if task is not None:
                return task
        for step in range(1, count + 1):
            index = (self.turn + step) % count
            domain = domains[index]
            task = domain.policy.pick()
            if task is not None:
                self.turn = index
                domain.slice_left = self.quantum * domain.share
                domain.turns += 1
                return task
        return None

    def _take_interrupts(self) -> None:
        board = self.board
        for line in board.pending():
            task = self._interrupt_tasks.get(line)
            if task is not None and task.state is TaskState.WAITING and task.wait is not None \
                    and task.wait.data == ("line", line):
                now = board.now()
                if self.trace.enabled:
                    self.trace.add(now, "interrupt", task.name, str(line))
                if self.plugins is not None:
                    self.plugins.manager.hook.osvm_interrupt(kernel=self, line=task.attrs["line"], cycle=now)
                self.release(task, None)

    def _next_wakeup(self) -> int | None:
        """When something could next become ready while every task waits; None: never."""
        if self._input_arrives():
            return self.board.now()
        due = self.timers.next_due()
        device = self.board.next_event()
        if device is not None and any(port.waiting_receivers() for port in self.device_ports.values()):
            due = device if due is None else min(due, device)
        if self.watchdog:                    # a policy that picks nothing while tasks are ready
            check = self._watchdog_due()
            if check is not None:
                due = check if due is None else min(due, check)
        return due

    def _input_arrives(self) -> bool:
        """Idle, and a task waits for console input: ask the board for more (it may block).

        Input from a stream arrives only while the system idles, so a run reads it at the
        same simulated moments whatever the speed of the typist or the pipe.
        """
        wait_input = getattr(self.board, "wait_input", None)
        if wait_input is None:
            return False
        for line in self.board.lines:
            port = self.device_ports.get(line.number)
            if line.input and port is not None and port.waiting_receivers():
                return bool(wait_input())
        return False

    def request_stop(self) -> None:
        """Stop the loop after the current dispatch (for monitors and observers)."""
        self._stop_requested = True

    def boot(self) -> None:
        if self.booted:
            return
        self.booted = True
        self._hooks_for_switch = bool(self.plugins and
                                      self.plugins.manager.hook.osvm_task_switched.get_hookimpls())
        self.trace.add(self.board.now(), "boot", "kernel", "")
        if self.plugins is not None:
            self.plugins.manager.hook.osvm_booted(kernel=self)

    def run(self, max_cycles: int | None = None) -> HaltReport:
        """Dispatch until every task has ended, a deadlock, ``max_cycles`` or a stop request."""
        self.boot()
        board = self.board
        timers = self.timers
        heap = timers._heap
        trace = self.trace
        kernel_domain = self.kernel_domain
        # hot path: everything the loop touches per dispatch is bound to a local once
        board_now, board_pending, board_next_event, board_advance = (
            board.now, board.pending, board.next_event, board.advance)
        pick = self._pick
        watchdog = self.watchdog
        limit_cycles = max_cycles if max_cycles is not None else 1 << 62
        service_kind = EntryKind.SERVICE
        running, ready, dormant = TaskState.RUNNING, TaskState.READY, TaskState.DORMANT
        while True:
            now = board_now()
            if now >= limit_cycles:
                return self._halt("max-cycles")
            if self._stop_requested:
                self._stop_requested = False     # used up by this stop: a later run() goes on
                return self._halt("stopped")
            if board_pending():
                self._take_interrupts()
            if heap and heap[0].due <= now:
                timers.fire_due(now)
            if watchdog and now >= self._watchdog_at:
                self._watchdog_check(now)
            if self.live == 0:
                return self._halt("finished")
            task = pick()
            if task is None:
                wake = self._next_wakeup()
                if wake is None:
                    return self._halt("deadlock")
                if wake > limit_cycles:
                    wake = limit_cycles
                if wake > now:
                    self.idle_cycles += wake - now
                    board_advance(wake - now)
                if self.current is not None:
                    self._switch(None)
                continue
            if task is not self.current:
                self._switch(task)
            task.picked_at = now
            domain = task.domain
            policy = domain.policy
            # budget: the rest of the domain's slice, capped at the next device or time event
            budget = self.quantum if domain is kernel_domain else domain.slice_left
            limit = policy.remaining(task)
            if limit is not None and limit < budget:
                budget = limit
            due = board_next_event()
            if due is not None and due - now < budget:
                budget = due - now
            if heap:
                due = timers.next_due()
                if due is not None and due - now < budget:
                    budget = due - now
            if limit_cycles - now < budget:
                budget = limit_cycles - now
            if budget < MIN_BUDGET:
                budget = MIN_BUDGET
            frame = task.frames[-1]
            vm = frame.vm
            task.state = running
            try:
                event = vm.run(frame.context, budget)
            except OsvmError as error:
                event = Fault(0, error)
            except Exception as error:  # a VM bug must not take the kernel down
                event = Fault(0, GuestFault(f"VM '{vm.name}' failed: {type(error).__name__}: {error}"))
            used = event.used
            kind = type(event)
            # a system call is charged with the cycles before it, in one advance of the clock
            service = kind is Call and event.target.entry.kind is service_kind
            charge = used + SERVICE_CYCLES if service else used
            if charge:
                board_advance(charge)
                task.cycles += charge
                domain.cycles += charge
                vm.cycles += used
                if domain is not kernel_domain:
                    domain.slice_left -= charge
            if trace.enabled:
                trace.ran(now + used, task, frame, event)
            if service:
                self.service_cycles += SERVICE_CYCLES
                entry = event.target.entry
                try:
                    result = entry.procedure(self, task, *event.args)
                except OsvmError as error:
                    if task.frames and task.frames[-1] is frame and task.state is not dormant:
                        vm.fail(frame.context, error)
                except TypeError as error:   # wrong number of arguments for the service
                    vm.fail(frame.context, ParameterError(f"{entry.path}: {error}"))
                else:
                    if result is not BLOCKED and task.frames and task.frames[-1] is frame:
                        vm.deliver(frame.context, result)
            elif kind is Preempted:
                pass
            elif kind is Call:
                self._call_procedure(task, frame, event.target, event.args)
            elif kind is Returned:
                if len(task.frames) > 1:
                    task.frames.pop()
                    caller = task.frames[-1]
                    value = event.value
                    signature = frame.entry.signature if frame.entry is not None else None
                    if signature is not None:
                        try:
                            value = check_result(signature, value, f"result of {frame.entry.path}")
                        except OsvmError as error:
                            self.end_task(task, fault=error)
                            continue
                    caller.vm.deliver(caller.context, value)
                    if trace.enabled:
                        trace.add(board_now(), "return", task.name, frame.entry.path if frame.entry else "")
                else:
                    value = event.value
                    task.result = value
                    self.end_task(task, code=value if type(value) is int else 0)
            elif kind is Exited:
                self.end_task(task, code=event.code)
            elif kind is Fault:
                where = vm.describe(frame.context)
                error = event.error
                if where and isinstance(error, GuestFault) and not error.where:
                    error.where = where
                self.end_task(task, fault=error)
            state = task.state
            if state is running:
                task.state = ready
                policy.tick(task, used)
            elif used and state is not dormant:
                policy.tick(task, used)

    def _switch(self, task: Task | None) -> None:
        previous = self.current
        self.current = task
        if task is not None:
            task.switches += 1
            task.domain.switches += 1
            if task.first_run_at is None:
                task.first_run_at = self.board.now()
        if self.trace.enabled:
            self.trace.add(self.board.now(), "switch", task.name if task else "idle",
                           previous.name if previous else "idle")
        if self._hooks_for_switch:
            self.plugins.manager.hook.osvm_task_switched(kernel=self, previous=previous, current=task)

    def _halt(self, reason: str) -> HaltReport:
        now = self.board.now()
        detail: list[str] = []
        if reason == "deadlock":
            for task in self.tasks.values():
                if task.wait is not None and not task.daemon:
                    detail.append(f"task '{task.name}' waits on {task.wait.reason} since cycle {task.wait.since}")
                elif task.state is TaskState.SUSPENDED and not task.daemon:
                    detail.append(f"task '{task.name}' is suspended")
        self.halted = HaltReport(reason, now, detail)
        self.trace.add(now, "halt", "kernel", reason)
        if self.plugins is not None:
            self.plugins.manager.hook.osvm_halted(kernel=self, reason=reason)
        return self.halted

    # ------------------------------------------------------------------ helpers for services
    def task_of(self, ref: Any, caller: Task) -> Task:
        """A task reference as services take it; 0 or None means the caller (TSK_SELF)."""
        if ref is None or ref == 0:
            return caller
        return self.objects.get("task", ref)

    def check_not_self(self, task: Task, caller: Task, what: str) -> None:
        if task is caller:
            raise IllegalUse(f"{what} cannot be applied to the calling task itself")
