"""Running one TTSP3 scenario against the μITRON personality on a real osvm kernel.

A scenario gets a fresh kernel on the virt board with one VM (``ScriptVM``)
scheduled by the ``itron`` policy; its tasks, semaphores, pools and mutexes
are the OS layer's objects, numbered by the personality in the order the
pre-condition lists them. The runner then

1. **builds** the pre-condition during tick 0 — tasks activated, mutexes
   locked, waits entered through the objects' own wait operations (in the
   order of each wait queue, with the remaining timeouts), suspensions, queued
   requests, ready-queue order, CPU state, alarm and cyclic handlers (an
   executing handler is really running on the time event task) — and moves
   the clock to tick 1, which is the scenario's time 0;
2. checks that what it built is the pre-condition (every listed attribute);
3. performs each ``do_N`` by queueing the call for the named task or handler
   and letting the kernel run until every frame has nothing left to do; the
   error code is compared when the caller next runs (``ScriptVM``), so a
   caller that blocks is checked when it is released;
4. checks after each step the *whole* expected state: the pre-condition with
   every post-condition's changes applied (attributes that move with time —
   ``lefttmo``, ``lefttim``, ``porder``, ``systim`` — and variables only when
   the step lists them). Time-keyed steps advance the board clock to each key
   (1 ms = ``CLOCK_HZ / 1000`` cycles); ``gain_time`` steps advance tick by
   tick until the expected state is reached (at most ``GAIN_LIMIT_MS``);
   ``FOREVER_TIME`` is ``FOREVER_MS`` after the last key.

While no scenario task can run, the runner's idle task (lowest priority, not a
μITRON task) keeps the processor, so time passes only when the runner says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from osvm_core.errors import OsvmError
from osvm_core.kernel import services as os_services
from osvm_core.kernel.kernel import BLOCKED, Kernel
from osvm_core.kernel.task import TaskState
from osvm_core.names.signature import parse_signature
from osvm_core.names.tree import Entry, EntryKind

from .. import constants as c
from ..personality import install
from ..policy import ItronPolicy
from ..services import ER_UINT, SERVICES
from ..states import left_to_wait, waiting_on
from ..timeevents import Notification, TimeEventHandler
from .data import Scenario
from .script import Command, ScriptContext, ScriptVM
from .symbols import FOREVER_MS, PRIORITIES, UnknownSymbol, evaluate

CLOCK_HZ = 10_000_000           # 10 000 cycles per 1 ms tick
ORIGIN = 1                      # the tick that is the scenario's time 0 (the build happens in tick 0)
IDLE_PRIORITY = c.TMAX_TPRI + 1
GAIN_LIMIT_MS = 2000
VM_NAME = "ttsp"
TASK_ENTRY = f"/mod/{VM_NAME}/ttsp/task"
HANDLER_ENTRY = f"/mod/{VM_NAME}/ttsp/handler"

#: A call from an alarm or cyclic handler uses the μITRON 4.0 handler-context name where there is one.
HANDLER_NAMES = {"act_tsk": "iact_tsk", "wup_tsk": "iwup_tsk", "rel_wai": "irel_wai", "sig_sem": "isig_sem",
                 "rot_rdq": "irot_rdq", "loc_cpu": "iloc_cpu", "unl_cpu": "iunl_cpu", "get_tid": "iget_tid"}

ERRORS = {name: code for code, name in c.ERROR_NAMES.items()}

#: Attributes checked only at the steps that list them (they move with time, or are variables).
LISTED_ONLY = {"lefttmo", "lefttim", "porder", "systim", "kermpf", "var"}
#: Attributes of the pre-condition that configure an object and are not states to check.
CONFIGURATION = {"type", "itskpri", "exinf", "noactque", "sematr", "mpfatr", "mtxatr", "blksz",
                 "nfytype", "nfy_info1", "enfytype", "enfy_info1", "cycphs", "cyctim"}
WAITING = ("waiting", "waiting-suspended")

_CALL = re.compile(r"^\s*(?:(\w+)\s*=\s*)?(\w+)\s*\((.*)\)\s*;?\s*$", re.S)


class ScenarioError(Exception):
    """The scenario asks for something the runner cannot do (reported as a failure)."""


@dataclass
class Result:
    scenario: Scenario
    status: str                     # "pass" | "fail" | "skip"
    messages: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.messages)


def split_args(text: str) -> list[str]:
    args, depth, current = [], 0, []
    for char in text:
        if char == "," and depth == 0:
            args.append("".join(current).strip())
            current = []
            continue
        depth += char == "("
        depth -= char == ")"
        current.append(char)
    last = "".join(current).strip()
    if last or args:
        args.append(last)
    return args


def _names(value: Any) -> list[str]:
    """A wait queue or mutex list of the YAML (``- TASK2:`` or ``- MTX1``) as names."""
    if not value:
        return []
    names = []
    for item in value:
        names.append(next(iter(item)) if isinstance(item, dict) else str(item))
    return names


def _timed(block: Any, objects: dict[str, str]) -> bool:
    """True for ``{0: {...}, ANY_ELAPSED_TIME: {...}}``, false for a call or a state."""
    if not isinstance(block, dict) or not block:
        return False
    if "id" in block or "syscall" in block or "code" in block:
        return False
    return any(key not in objects for key in block)


class Runner:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.failures: list[str] = []
        self.diagnostics: list[str] = []
        self.contexts: dict[str, ScriptContext] = {}
        self.vars: dict[str, dict[str, Any]] = {}
        self.expect: dict[str, tuple[str, str, Any]] = {}
        self.types: dict[str, str] = {}
        self.expected: dict[str, dict[str, Any]] = {}
        self.listed: dict[str, set[str]] = {}
        self.objects: dict[str, Any] = {}
        self.yaml_index: dict[str, int] = {}
        self.spin_until = 0
        self._issued: set[int] = set()
        self.kernel: Kernel | None = None

    # ================================================================== running
    def run(self) -> Result:
        try:
            self._run()
        except (ScenarioError, UnknownSymbol) as error:
            self.failures.append(f"runner: {error}")
        except OsvmError as error:
            self.failures.append(f"runner: unexpected {error}")
        self.failures.extend(f"kernel: {text}" for text in self.diagnostics)   # faults, lost messages
        return Result(self.scenario, "fail" if self.failures else "pass", list(self.failures))

    def _run(self) -> None:
        scenario = self.scenario
        self._make_kernel()
        self._build(scenario.body.get("pre_condition") or {})
        self.listed = {name: set(attrs) for name, attrs in self.expected.items()}
        self._check("pre_condition")
        gain = bool(scenario.variation.get("gain_time"))
        for number in scenario.steps:
            do, post = scenario.do(number), scenario.post(number)
            if _timed(do, self.types) or _timed(post, self.types):
                self._timed_step(number, do or {}, post or {})
                continue
            label = f"do_{number}"
            if do:
                self._perform(label, do)
            self._apply(post or {})
            if gain:
                self._gain(f"post_condition_{number}")
            else:
                self._check(f"post_condition_{number}")
        for owner, (label, _, raw) in list(self.expect.items()):
            context = self.contexts.get(owner)
            if context is not None and context.pending is not None and context.result is not None:
                # the caller does not run again in the scenario, but its result is decided: check that
                code, value = context.result
                self.returned(owner, context.pending, code, value)
            else:
                del self.expect[owner]
                self.failures.append(f"{label}: the call of {owner} never returned (expected {raw})")

    # ================================================================== the system
    def _make_kernel(self) -> None:
        from osvm_hal_virt.board import VirtBoard

        board = VirtBoard({"clock_hz": CLOCK_HZ, "timer_period": 0, "ram": 1 << 20})
        kernel = Kernel(board, quantum=1 << 40, diagnostics=self.diagnostics.append)
        self.kernel = kernel
        self.tick = CLOCK_HZ // 1000
        self.policy = ItronPolicy()
        self.vm = ScriptVM(VM_NAME, self)
        kernel.add_vm(self.vm, self.policy, memory=1 << 16)
        self.itron = install(kernel)
        self.itron.vms.add(VM_NAME)
        for path, signature in ((TASK_ENTRY, "func(name: string)"), (HANDLER_ENTRY, "func(exinf: any)")):
            kernel.names.publish(Entry(path=path, kind=EntryKind.PROCEDURE, signature=parse_signature(signature),
                                       owner=VM_NAME, procedure=path.rsplit("/", 1)[1], rights="public"))
        idle = kernel.create_task("ttsp.idle", VM_NAME, kernel.names.get(TASK_ENTRY), priority=IDLE_PRIORITY,
                                  args=("ttsp.idle",), attrs={"itron.exclude": True})
        kernel.activate(idle)

    def context_started(self, context: ScriptContext) -> None:
        self.contexts[context.owner] = context

    def issued(self, owner: str, command: Command) -> None:
        self._issued.add(id(command))

    @property
    def now_ms(self) -> int:
        return self.kernel.board.now() // self.tick - ORIGIN

    def settle(self) -> None:
        """Run until every frame that can run has nothing left to do; no time passes."""
        kernel = self.kernel
        now = kernel.board.now()
        self.spin_until = now
        report = kernel.run(max_cycles=now + self.tick // 2)
        if report.reason != "stopped":
            raise ScenarioError(f"the system did not settle at {self.now_ms} ms ({report.reason})")

    def advance_to(self, ms: int) -> None:
        """Let the clock run to scenario time ``ms`` (running tasks keep the processor), then settle."""
        kernel = self.kernel
        target = (ORIGIN + ms) * self.tick
        if kernel.board.now() < target:
            self.spin_until = target
            report = kernel.run(max_cycles=target)
            if report.reason != "max-cycles" or kernel.board.now() != target:
                raise ScenarioError(f"the clock did not reach {ms} ms ({report.reason})")
        self.settle()

    # ================================================================== values
    def names(self, owner: str | None = None) -> dict[str, Any]:
        """What expressions may name: object IDs, TNUM_xxID, the variables (``owner``'s first)."""
        names: dict[str, Any] = {}
        tables = self.itron.tables
        for kind, symbol in (("tsk", "TNUM_TSKID"), ("sem", "TNUM_SEMID"), ("mpf", "TNUM_MPFID"),
                             ("mtx", "TNUM_MTXID"), ("alm", "TNUM_ALMID"), ("cyc", "TNUM_CYCID")):
            names[symbol] = len(tables[kind])
            for name, ident in tables[kind].names.items():
                names[name] = ident
        names.update(ERRORS)
        for variables in list(self.vars.values()) + [self.vars.get(owner, {})]:
            for name, value in variables.items():
                if not isinstance(value, dict):
                    names[name] = value
        return names

    def ev(self, value: Any) -> Any:
        return evaluate(value, self.names())

    # ================================================================== building the pre-condition
    def _build(self, pre: dict[str, Any]) -> None:
        kernel, itron = self.kernel, self.itron
        for index, (name, spec) in enumerate(pre.items()):
            spec = spec or {}
            kind = spec.get("type")
            if kind not in ("TASK", "SEMAPHORE", "MEMORYPOOL", "MUTEX", "ALARM", "CYCLE", "CPU_STATE"):
                raise ScenarioError(f"object {name} of unknown type {kind!r}")
            self.types[name] = kind
            self.yaml_index[name] = index
            self.expected[name] = {k: v for k, v in spec.items() if k != "type"}
        tasks = [n for n, k in self.types.items() if k == "TASK"]
        for name in tasks:
            self._create_task(name)
        for name, kind in self.types.items():
            if kind == "SEMAPHORE":
                self._create_semaphore(name)
            elif kind == "MEMORYPOOL":
                self._create_pool(name)
            elif kind == "MUTEX":
                self._create_mutex(name)
        for name, kind in self.types.items():
            if kind in ("ALARM", "CYCLE"):
                self._create_handler(name)
            self._init_vars(name)
        self._defaults()

        # tasks that are not dormant are activated, in the order listed
        for name in tasks:
            if self.expected[name]["tskstat"] != "dormant":
                kernel.activate(self.objects[name])
        self._lock_mutexes(tasks)
        for name, kind in self.types.items():      # pools are empty but for the free blocks
            if kind == "MEMORYPOOL":
                pool = self.objects[name]
                for _ in range(pool.pool.block_count - self.ev(self.expected[name]["fblkcnt"])):
                    if pool.pool.try_get() is None:
                        raise ScenarioError(f"{name}: fblkcnt exceeds blkcnt")
        self._enter_waits(tasks)
        for name, kind in self.types.items():
            if kind == "SEMAPHORE":
                sem = self.objects[name]
                count = self.ev(self.expected[name]["semcnt"])
                if not 0 <= count <= sem.maximum:
                    raise ScenarioError(f"{name}: semcnt {count} outside 0..{sem.maximum}")
                sem.count = count
        for name in tasks:
            task, spec = self.objects[name], self.expected[name]
            if spec["tskstat"] in ("suspended", "waiting-suspended"):
                kernel.suspend(task)
            task.activations = self.ev(spec.get("actcnt", 0))
            task.wakeups = self.ev(spec.get("wupcnt", 0))
            task.attrs["itron.raster"] = bool(spec.get("raster", False))
            task.attrs["itron.dister"] = bool(spec.get("dister", False))
        self._arrange_ready(tasks)
        running = [n for n in tasks if self.expected[n]["tskstat"] == "running"]
        cpu = next((self.expected[n] for n, k in self.types.items() if k == "CPU_STATE"), {})
        itron.dispatch_disabled = bool(cpu.get("dis_dsp", False))
        itron.ipm = self.ev(cpu.get("chg_ipm", c.TIPM_ENAALL))
        locked = bool(cpu.get("loc_cpu", False))
        if (locked or itron.dispatch_pending()) and running:
            self.policy.hold = self.objects[running[0]]
        self.settle()
        self._start_handlers()
        self.settle()
        itron.cpu_locked = locked           # after the handlers started: a lock holds time events back
        self.advance_to(0)
        if "systim" in cpu:
            itron.set_system_time(self.ev(cpu["systim"]))

    def _defaults(self) -> None:
        mid = PRIORITIES["TSK_PRI_MID"]
        for name, kind in self.types.items():
            spec = self.expected[name]
            if kind == "TASK":
                spec.setdefault("tskpri", spec.get("tskbpri", spec.get("itskpri", mid)))
                for attr in ("actcnt", "wupcnt"):
                    spec.setdefault(attr, 0)
                spec.setdefault("locmtx", [])
                spec.setdefault("raster", False)
                spec.setdefault("dister", False)
            elif kind == "SEMAPHORE":
                spec.setdefault("semcnt", spec.get("isemcnt", 0))
                spec.setdefault("wtsklist", [])
            elif kind == "MEMORYPOOL":
                spec.setdefault("fblkcnt", spec.get("blkcnt", "ANY_INI_BLKCNT"))
                spec.setdefault("wtsklist", [])
            elif kind == "MUTEX":
                spec.setdefault("mtxstat", "TMTX_UNL")
                spec.setdefault("htskid", "TSK_NONE")
                spec.setdefault("wtsklist", [])
            elif kind == "ALARM":
                spec.setdefault("almstat", "TALM_STP")
                spec.setdefault("hdlstat", "STP")
            elif kind == "CYCLE":
                spec.setdefault("cycstat", "TCYC_STP")
                spec.setdefault("hdlstat", "STP")
            elif kind == "CPU_STATE":
                spec.setdefault("loc_cpu", False)
                spec.setdefault("dis_dsp", False)
                spec.setdefault("chg_ipm", "TIPM_ENAALL")

    def _create_task(self, name: str) -> None:
        spec = self.expected[name]
        mid = PRIORITIES["TSK_PRI_MID"]
        base = self.ev(spec.get("tskbpri", spec.get("tskpri", spec.get("itskpri", mid))))
        initial = self.ev(spec.get("itskpri", base))
        attrs = {"initial_priority": initial, "exinf": self.ev(spec.get("exinf", 0)),
                 "noactque": bool(spec.get("noactque", False))}
        task = self.kernel.create_task(name, VM_NAME, self.kernel.names.get(TASK_ENTRY), priority=base,
                                       args=(name,), attrs=attrs)
        self.itron.add("tsk", task, name)
        self.objects[name] = task

    def _create_semaphore(self, name: str) -> None:
        spec = self.expected[name]
        maximum = self.ev(spec.get("maxsem", "ANY_MAX_SEMCNT"))
        initial = self.ev(spec.get("isemcnt", spec.get("semcnt", 0)))
        order = "priority" if self.ev(spec.get("sematr", "TA_NULL")) & c.TA_TPRI else "fifo"
        sem = self.kernel.create_semaphore(name, initial, maximum, order, owner="os")
        self.itron.add("sem", sem, name)
        self.objects[name] = sem

    def _create_pool(self, name: str) -> None:
        spec = self.expected[name]
        order = "priority" if self.ev(spec.get("mpfatr", "TA_NULL")) & c.TA_TPRI else "fifo"
        pool = self.kernel.create_fixed_pool(name, self.ev(spec.get("blksz", "ANY_BLKSZ")),
                                             self.ev(spec.get("blkcnt", "ANY_INI_BLKCNT")), order, VM_NAME)
        self.itron.add("mpf", pool, name)
        self.objects[name] = pool

    def _create_mutex(self, name: str) -> None:
        spec = self.expected[name]
        attr = self.ev(spec.get("mtxatr", "TA_NULL"))
        if attr == c.TA_CEILING:
            mutex = self.kernel.create_mutex(name, "ceiling", self.ev(spec.get("ceilpri", "TSK_PRI_HIGH")))
        elif attr == c.TA_INHERIT:
            mutex = self.kernel.create_mutex(name, "inherit")
        else:
            mutex = self.kernel.create_mutex(name, "none", None, "priority" if attr == c.TA_TPRI else "fifo")
        self.itron.add("mtx", mutex, name)
        self.objects[name] = mutex

    def _notification(self, kind: Any, info: Any, owner: str) -> Notification | None:
        if kind is None:
            return None
        kind = str(kind)
        if kind == "TNFY_HANDLER":
            binding = self.kernel.bind(VM_NAME, HANDLER_ENTRY, None)
            return Notification("handler", binding, owner)
        simple = {"TNFY_SIGSEM": "sigsem", "TENFY_SIGSEM": "sigsem", "TNFY_ACTTSK": "acttsk",
                  "TENFY_ACTTSK": "acttsk", "TNFY_WUPTSK": "wuptsk", "TENFY_WUPTSK": "wuptsk"}
        if kind not in simple:
            raise ScenarioError(f"{owner}: notification {kind} is not offered")
        return Notification(simple[kind], self.ev(info))

    def _create_handler(self, name: str) -> None:
        spec = self.expected[name]
        kind = "alm" if self.types[name] == "ALARM" else "cyc"
        handler = TimeEventHandler(kind, name, self._notification(spec.get("nfytype"), spec.get("nfy_info1"), name),
                                   self._notification(spec.get("enfytype"), spec.get("enfy_info1"), name))
        if kind == "cyc":
            handler.cyctim = self.ev(spec.get("cyctim", "RELATIVE_TIME_B"))
            handler.cycphs = self.ev(spec.get("cycphs", 0))
        self.itron.events.add(handler)
        self.objects[name] = handler

    def _init_vars(self, name: str) -> None:
        variables = self.vars.setdefault(name, {})
        for var, spec in (self.expected[name].get("var") or {}).items():
            spec = spec or {}
            fields = {k: v for k, v in spec.items() if k not in ("type", "value")}
            if fields:
                variables[var] = {k: v if self._is_name(v) else self.ev(v) for k, v in fields.items()}
            else:
                variables[var] = self.ev(spec["value"]) if "value" in spec else 0

    def _is_name(self, value: Any) -> bool:
        return isinstance(value, str) and (value in self.types or value == "TSK_NONE")

    def _lock_mutexes(self, tasks: list[str]) -> None:
        for name in tasks:
            for mutex_name in _names(self.expected[name].get("locmtx")):
                self._lock(name, mutex_name)
        for name, kind in self.types.items():
            holder = self.expected[name].get("htskid") if kind == "MUTEX" else None
            if holder not in (None, "TSK_NONE") and self.objects[name].holder is None:
                self._lock(str(holder), name)

    def _lock(self, task_name: str, mutex_name: str) -> None:
        mutex = self.objects.get(mutex_name)
        if mutex is None or self.types[mutex_name] != "MUTEX":
            raise ScenarioError(f"{task_name} holds {mutex_name}, which is not a mutex")
        if mutex.lock(self.objects[task_name], 0) is not None:
            raise ScenarioError(f"{task_name} could not lock {mutex_name}")

    def _cycles_for(self, task_name: str) -> int:
        """The kernel timeout (cycles) that leaves the pre-condition's lefttmo at time 0; -1: forever."""
        raw = self.expected[task_name].get("lefttmo")
        if raw is None:
            return c.TMO_FEVR
        left = self.ev(raw)
        if left == c.TMO_FEVR:
            return c.TMO_FEVR
        return (ORIGIN + left + 1 - self.itron.adjust) * self.tick - self.kernel.board.now()

    def _enter_waits(self, tasks: list[str]) -> None:
        done: set[str] = set()
        for name, kind in self.types.items():
            if kind in ("SEMAPHORE", "MEMORYPOOL", "MUTEX"):
                for waiter in _names(self.expected[name].get("wtsklist")):
                    self._wait(waiter, name)
                    done.add(waiter)
        for name in tasks:
            spec = self.expected[name]
            if spec["tskstat"] in WAITING and name not in done:
                if "wobjid" not in spec:
                    raise ScenarioError(f"{name} waits, but for what (no wobjid)")
                self._wait(name, str(spec["wobjid"]))

    def _wait(self, task_name: str, what: str) -> None:
        kernel = self.kernel
        task = self.objects.get(task_name)
        if task is None or self.types.get(task_name) != "TASK":
            raise ScenarioError(f"{task_name} is in a wait queue but is not a task")
        timeout = self._cycles_for(task_name)
        if what == "SLEEP":
            task.wakeups = 0
            blocked = os_services.task_sleep(kernel, task, timeout)
        elif what == "DELAY":
            if timeout == c.TMO_FEVR:
                timeout = self._cycles_for_ms(self.ev("ANY_ELAPSED_TIME"))
            blocked = os_services.task_delay(kernel, task, timeout)
        else:
            kind = self.types.get(what)
            obj = self.objects.get(what)
            if kind == "SEMAPHORE":
                obj.count = 0
                blocked = obj.wait(task, timeout)
            elif kind == "MEMORYPOOL":
                blocked = obj.get(task, timeout)
            elif kind == "MUTEX":
                blocked = obj.lock(task, timeout)
            else:
                raise ScenarioError(f"{task_name} waits for {what}, which the runner cannot wait on")
        if blocked is not BLOCKED:
            raise ScenarioError(f"{task_name} did not block on {what}")

    def _cycles_for_ms(self, left: int) -> int:
        return (ORIGIN + left + 1) * self.tick - self.kernel.board.now()

    def _arrange_ready(self, tasks: list[str]) -> None:
        levels: dict[int, list[str]] = {}
        for name in tasks:
            if self.objects[name].state is TaskState.READY:
                levels.setdefault(self.objects[name].priority, []).append(name)
        for level, names in levels.items():
            def rank(n: str) -> tuple[int, int, int]:
                spec = self.expected[n]
                porder = self.ev(spec["porder"]) if "porder" in spec else 1 << 20
                return (0 if spec["tskstat"] == "running" else 1, porder, self.yaml_index[n])
            self.policy.arrange(level, [self.objects[n] for n in sorted(names, key=rank)])

    def _start_handlers(self) -> None:
        events = self.itron.events
        for name, kind in self.types.items():
            if kind not in ("ALARM", "CYCLE"):
                continue
            spec, handler = self.expected[name], self.objects[name]
            started = spec["almstat" if kind == "ALARM" else "cycstat"] in ("TALM_STA", "TCYC_STA")
            if spec["hdlstat"] == "ACTIVATE":
                handler.started = True
                handler.evt = self.itron.evt_now()
                events.due_now(handler)
                if kind == "ALARM" and started:
                    handler.started = True
                    events.schedule(handler, ORIGIN + self.ev(spec.get("lefttim", "RELATIVE_TIME_A")) + 1)
                elif kind == "CYCLE" and not started:
                    handler.started = False
            elif started:
                default = handler.cycphs if kind == "CYCLE" else "RELATIVE_TIME_A"
                handler.started = True
                events.schedule(handler, ORIGIN + self.ev(spec.get("lefttim", default)) + 1)

    # ================================================================== steps
    def _command(self, label: str, caller: str, do: dict[str, Any]) -> Command:
        handler = self.types.get(caller) in ("ALARM", "CYCLE")
        if "code" in do:
            text = str(do["code"]).strip()
            if text.rstrip(";") == "return":
                return Command(label, "", text=text)
        elif "syscall" in do:
            text = str(do["syscall"]).strip()
        else:
            raise ScenarioError(f"{label}: neither syscall nor code")
        match = _CALL.match(text)
        if match is None:
            raise ScenarioError(f"{label}: cannot read the call {text!r}")
        assigned, name, arg_text = match.groups()
        if name.startswith("TTSP_"):
            name = name[5:].lower()
        if handler and name in HANDLER_NAMES:
            name = HANDLER_NAMES[name]
        if name not in SERVICES:
            raise ScenarioError(f"{label}: service {name} is not offered")
        out = assigned
        args = []
        names = self.names(caller)
        for arg in split_args(arg_text):
            if arg.startswith("&"):
                out = arg[1:].strip()
            else:
                args.append(evaluate(arg, names))
        return Command(label, name, tuple(args), out, text)

    def _perform(self, label: str, do: dict[str, Any]) -> None:
        caller = str(do.get("id"))
        context = self.contexts.get(caller)
        if context is None:
            raise ScenarioError(f"{label}: {caller} has no frame that could make a call")
        command = self._command(label, caller, do)
        for kind in ("ercd", "eruint", "bool"):
            if kind in do:
                self.expect[caller] = (label, kind, do[kind])
        context.commands.append(command)
        self.settle()
        if id(command) not in self._issued:
            context.commands.remove(command)
            self.expect.pop(caller, None)
            self.failures.append(f"{label}: {caller} is not running, so it cannot call {command.text}")

    def returned(self, owner: str, command: Command, code: int, value: Any) -> None:
        """The caller runs again and sees its call's result (ScriptVM reports it)."""
        if code == c.E_OK and command.out:
            self.vars.setdefault(owner, {})[command.out] = self._out_value(command.service, value)
        expectation = self.expect.get(owner)
        if expectation is None or expectation[0] != command.label:
            return
        del self.expect[owner]
        label, kind, raw = expectation
        expected = evaluate(raw, self.names(owner))
        if kind == "ercd":
            actual = code
        else:
            actual = value if code == c.E_OK and SERVICES[command.service].result == ER_UINT else code
            if kind == "bool":
                actual, expected = bool(actual), bool(expected)
        if actual != expected:
            self.failures.append(f"{label}: {command.text} by {owner} returned {self._code(actual, kind)}, "
                                 f"expected {self._code(expected, kind)}")

    @staticmethod
    def _code(value: Any, kind: str) -> str:
        if kind == "ercd" or (isinstance(value, int) and value < 0):
            return c.error_name(value)
        return str(value)

    def _task_name(self, ident: int) -> str:
        if ident == 0:
            return "TSK_NONE"
        return self.itron.tables["tsk"].name_of(self.itron.tables["tsk"].get(ident))

    def _out_value(self, service: str, value: Any) -> Any:
        if service == "ref_sem":
            return {"wtskid": self._task_name(value[0]), "semcnt": value[1]}
        if service == "ref_mpf":
            return {"wtskid": self._task_name(value[0]), "fblkcnt": value[1]}
        if service == "ref_mtx":
            return {"htskid": self._task_name(value[0]), "wtskid": self._task_name(value[1])}
        return value

    def _timed_step(self, number: int, do: dict[Any, Any], post: dict[Any, Any]) -> None:
        """Calls and checks keyed by elapsed ms: at each time, the call first, then the check."""
        if do and not _timed(do, self.types):       # a call without a time key happens now
            do = {None: do}
        times: dict[int, list[Any]] = {}
        forever = "FOREVER_TIME" in post
        for key in list(do) + list(post):
            if key == "FOREVER_TIME":
                continue
            ms = self.now_ms if key is None else self.ev(key)
            keys = times.setdefault(ms, [])
            if key not in keys:
                keys.append(key)
        if forever:
            times[max(times, default=self.now_ms) + FOREVER_MS] = ["FOREVER_TIME"]
        for ms in sorted(times):
            keys = times[ms]
            if ms < self.now_ms:
                raise ScenarioError(f"do_{number}: time {keys[0]} = {ms} ms is before now ({self.now_ms} ms)")
            self.advance_to(ms)
            at = "/".join(str(key) for key in keys if key is not None) or str(ms)
            for key in keys:
                if do.get(key):
                    self._perform(f"do_{number}@{at}", do[key])
            changes: dict[str, Any] = {}
            for key in keys:
                for name, attrs in (post.get(key) or {}).items():
                    changes.setdefault(name, {}).update(attrs or {})
            self._apply(changes)
            self._check(f"post_condition_{number}@{at}")

    def _gain(self, label: str) -> None:
        """gain_time: let ticks pass until the expected state is reached."""
        start = self.now_ms
        while self.now_ms - start < GAIN_LIMIT_MS:
            if not self._mismatches():
                break
            self.advance_to(self.now_ms + 1)
        self._check(label)

    # ================================================================== expected state
    def _apply(self, post: dict[str, Any]) -> None:
        self.listed = {}
        for name, changes in post.items():
            if name not in self.types:
                raise ScenarioError(f"post-condition names {name}, which the pre-condition does not have")
            changes = changes or {}
            expected = self.expected[name]
            self.listed[name] = set(changes)
            if self.types[name] == "TASK" and "tskstat" in changes:
                old, new = expected.get("tskstat"), changes["tskstat"]
                if new not in WAITING:
                    for attr in ("wobjid", "lefttmo"):
                        if attr not in changes:
                            expected.pop(attr, None)
                if old == "dormant" and new != "dormant":
                    initial = self.objects[name].attrs["initial_priority"]
                    for attr in ("tskpri", "tskbpri"):
                        if attr not in changes and (attr == "tskpri" or attr in expected):
                            expected[attr] = initial
                    if "wupcnt" not in changes:
                        expected["wupcnt"] = 0
            if self.types[name] == "MUTEX" and changes.get("mtxstat") == "TMTX_UNL" and "htskid" not in changes:
                expected["htskid"] = "TSK_NONE"
            for attr, raw in changes.items():
                if attr == "var":
                    variables = expected.setdefault("var", {})
                    for var, spec in (raw or {}).items():
                        variables[var] = spec
                    self.listed[name] |= {f"var.{var}" for var in raw or {}}
                else:
                    expected[attr] = raw

    def _check(self, label: str) -> None:
        for message in self._mismatches():
            self.failures.append(f"{label}: {message}")

    def _mismatches(self) -> list[str]:
        problems: list[str] = []
        for name, attrs in self.expected.items():
            listed = self.listed.get(name, set())
            for attr, raw in attrs.items():
                if attr in CONFIGURATION:
                    continue
                if attr == "var":
                    for var, spec in (raw or {}).items():
                        if f"var.{var}" in listed or "var" in listed:
                            problems.extend(self._var_mismatch(name, var, spec or {}))
                    continue
                if attr in LISTED_ONLY and attr not in listed:
                    continue
                if not self._applies(name, attr):
                    continue
                actual = self._actual(name, attr)
                expected = self._normalise(name, attr, raw)
                if actual != expected:
                    problems.append(f"{name}.{attr} is {actual!r}, expected {expected!r}")
        return problems

    def _applies(self, name: str, attr: str) -> bool:
        if self.types[name] != "TASK":
            return True
        state = self.expected[name].get("tskstat")
        if attr in ("wobjid", "lefttmo"):
            return state in WAITING
        if attr in ("tskpri", "tskbpri"):
            return state != "dormant"
        return True

    def _var_mismatch(self, owner: str, var: str, spec: dict[str, Any]) -> list[str]:
        actual = self.vars.get(owner, {}).get(var)
        fields = {k: v for k, v in spec.items() if k != "type"}
        problems = []
        for key, raw in fields.items():
            expected = raw if self._is_name(raw) else self.ev(raw)
            got = actual if key == "value" else (actual.get(key) if isinstance(actual, dict) else None)
            if got != expected:
                problems.append(f"{owner}.var.{var}{'' if key == 'value' else '.' + key} is {got!r}, "
                                f"expected {expected!r}")
        return problems

    def _normalise(self, name: str, attr: str, raw: Any) -> Any:
        if attr in ("wtsklist", "locmtx"):
            return _names(raw)
        if attr == "htskid":
            return "TSK_NONE" if raw in (None, "TSK_NONE") else str(raw)
        if attr in ("tskstat", "mtxstat", "almstat", "cycstat", "hdlstat", "wobjid"):
            return str(raw)
        if attr in ("loc_cpu", "dis_dsp", "raster", "dister"):
            return bool(raw)
        return self.ev(raw)

    def _actual(self, name: str, attr: str) -> Any:
        kind, obj, itron = self.types[name], self.objects.get(name), self.itron
        if kind == "TASK":
            return self._task_attr(obj, attr)
        if kind == "SEMAPHORE":
            return {"semcnt": lambda: obj.count, "maxsem": lambda: obj.maximum, "isemcnt": lambda: obj.initial,
                    "wtsklist": lambda: self._queue(obj.queue)}[attr]()
        if kind == "MEMORYPOOL":
            return {"fblkcnt": lambda: obj.pool.free_count, "blkcnt": lambda: obj.pool.block_count,
                    "wtsklist": lambda: self._queue(obj.queue), "kermpf": lambda: obj.pool.base}[attr]()
        if kind == "MUTEX":
            holder = obj.holder
            return {"mtxstat": lambda: "TMTX_LOC" if holder is not None else "TMTX_UNL",
                    "htskid": lambda: itron.name_of("tsk", holder) if holder is not None else "TSK_NONE",
                    "wtsklist": lambda: self._queue(obj.queue), "ceilpri": lambda: obj.ceiling}[attr]()
        if kind in ("ALARM", "CYCLE"):
            events = itron.events
            started = ("TALM_STA" if obj.started else "TALM_STP") if kind == "ALARM" else \
                ("TCYC_STA" if obj.started else "TCYC_STP")
            return {"almstat": started, "cycstat": started,
                    "hdlstat": "ACTIVATE" if events.running(obj) else "STP",
                    "lefttim": events.left(obj)}[attr]
        if kind == "CPU_STATE":
            return {"loc_cpu": lambda: itron.cpu_locked, "dis_dsp": lambda: itron.dispatch_disabled,
                    "chg_ipm": lambda: itron.ipm, "systim": lambda: itron.system_time()}[attr]()
        raise ScenarioError(f"no attribute {attr} of {kind}")

    def _queue(self, queue: Any) -> list[str]:
        return [self.itron.name_of("tsk", task) for task in queue]

    def _task_attr(self, task: Any, attr: str) -> Any:
        itron = self.itron
        if attr == "tskstat":
            state = task.state
            if state in (TaskState.READY, TaskState.RUNNING):
                return "running" if itron.is_running(task) else "ready"
            return state.value
        if attr == "tskpri":
            return task.priority
        if attr == "tskbpri":
            return task.base_priority
        if attr == "wobjid":
            what = waiting_on(itron, task)
            if what is None:
                return None
            cause, obj = what
            return {"slp": "SLEEP", "dly": "DELAY"}.get(cause) or itron.name_of(cause, obj)
        if attr == "lefttmo":
            return left_to_wait(itron, task)
        if attr == "actcnt":
            return task.activations
        if attr == "wupcnt":
            return task.wakeups
        if attr == "porder":
            return self.policy.position(task)
        if attr == "locmtx":
            return [itron.name_of("mtx", m) for m in task.mutexes]
        if attr == "raster":
            return bool(task.attrs.get("itron.raster"))
        if attr == "dister":
            return bool(task.attrs.get("itron.dister"))
        raise ScenarioError(f"no task attribute {attr}")
