"""Stride scheduling: proportional share by tickets (Waldspurger and Weihl, 1995).

Each task holds ``tickets`` (task attribute; default the ``tickets`` option,
100). Its *stride* is ``STRIDE1 / tickets``; its *pass* advances by the stride
for every cycle it runs. Each quantum (``quantum`` option, cycles) goes to the
ready task with the smallest pass, FIFO among equal passes, so over time each
task of a busy domain gets ``tickets / total tickets`` of the domain's cycles,
within one quantum per task.

A *global pass* advances as if one client held all the ready tickets. A task
that blocks keeps ``remain = pass - global pass`` and comes back at
``global pass + remain``: it neither gains credit for the time it waited nor
loses the lead it had, and a newcomer starts at the global pass. Cycles a task
ran just before it blocked are charged to its ``remain`` (the kernel reports
them after the block).
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from osvm_core.errors import ParameterError
from osvm_core.scheduling.policy import SchedulingPolicy

if TYPE_CHECKING:
    from osvm_core.kernel.task import Task

STRIDE1 = 1 << 40          # large, so integer strides lose nothing worth counting
DEFAULT_QUANTUM = 1000     # cycles a task runs before the smallest pass is looked for again
DEFAULT_TICKETS = 100


@dataclass
class Client:
    name: str
    tickets: int
    stride: int
    pass_: int = 0
    remain: int = 0          # pass - global pass, kept while the task waits
    ready: bool = False
    cycles: int = 0          # cycles charged to it (its share)


class Stride(SchedulingPolicy):
    """The ready task with the smallest pass runs for a quantum."""

    name: ClassVar[str] = "stride"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        self.quantum = self.options.pop("quantum", DEFAULT_QUANTUM)
        self.default_tickets = self.options.pop("tickets", DEFAULT_TICKETS)
        for key, value in (("quantum", self.quantum), ("tickets", self.default_tickets)):
            if type(value) is not int or value <= 0:
                raise ParameterError(f"stride {key} must be a positive integer, got {value!r}")
        if self.options:
            raise ParameterError(f"stride: unknown options {sorted(self.options)} (known: quantum, tickets)")
        self.clients: dict[int, Client] = {}
        self.ended: dict[str, Client] = {}       # clients of tasks that exited, by name (for the figures)
        self.heap: list[list[Any]] = []          # [pass, seq, task or None]; the current task is not in it
        self.entries: dict[int, list[Any]] = {}
        self.seq = itertools.count()
        self.current: Task | None = None          # the task whose quantum is under way
        self.used = 0
        self.global_pass = 0
        self.global_tickets = 0

    def _client(self, task: Task) -> Client:
        client = self.clients.get(task.id)
        if client is None:
            tickets = task.attrs.get("tickets", self.default_tickets)
            if type(tickets) is not int or tickets <= 0:
                raise ParameterError(f"stride: task '{task.name}' tickets must be a positive integer, "
                                     f"got {tickets!r}")
            client = self.clients[task.id] = Client(task.name, tickets, STRIDE1 // tickets)
        return client

    def _push(self, task: Task, client: Client) -> None:
        entry = [client.pass_, next(self.seq), task]
        self.entries[task.id] = entry
        heapq.heappush(self.heap, entry)

    # ---------------------------------------------------------------- the kernel's events
    def ready(self, task: Task) -> None:
        client = self._client(task)
        if client.ready:
            return
        client.ready = True
        client.pass_ = self.global_pass + client.remain
        self.global_tickets += client.tickets
        self._push(task, client)

    def blocked(self, task: Task) -> None:
        client = self.clients.get(task.id)
        if client is None or not client.ready:
            return
        client.ready = False
        client.remain = client.pass_ - self.global_pass
        self.global_tickets -= client.tickets
        if self.current is task:
            self.current = None
        else:
            self.entries.pop(task.id)[2] = None

    def exited(self, task: Task) -> None:
        self.blocked(task)
        client = self.clients.pop(task.id, None)
        if client is not None:
            record = self.ended.setdefault(client.name, Client(client.name, client.tickets, client.stride))
            record.cycles += client.cycles

    def pick(self) -> Task | None:
        current = self.current
        if current is not None:
            if self.used < self.quantum:
                return current
            self._push(current, self.clients[current.id])   # quantum over: back by its pass
            self.current = None
        heap = self.heap
        while heap:
            entry = heapq.heappop(heap)
            task = entry[2]
            if task is not None:
                del self.entries[task.id]
                self.current, self.used = task, 0
                return task
        return None

    def tick(self, task: Task, used: int) -> bool:
        client = self.clients.get(task.id)
        if client is None or used <= 0:
            return False
        client.cycles += used
        if self.global_tickets:
            self.global_pass += used * STRIDE1 // self.global_tickets
        if not client.ready:                      # it blocked in this dispatch: charge what it ran
            client.remain += used * client.stride
            return False
        client.pass_ += used * client.stride
        if self.current is task:
            self.used += used
            return self.used >= self.quantum
        return False

    def remaining(self, task: Task) -> int | None:
        return self.quantum - self.used if self.current is task else self.quantum

    def rotate(self, task: Task) -> None:
        """Give up the rest of the quantum; the pass decides where the task goes."""
        if self.current is task:
            self.used = self.quantum

    def reprioritized(self, task: Task, old_priority: int) -> None:
        """Priorities do not order stride scheduling: nothing moves."""

    # ---------------------------------------------------------------- figures
    def shares(self) -> list[tuple[str, int, int]]:
        """(task name, tickets, cycles) of every task the policy has run, by name."""
        merged: dict[str, list[int]] = {}
        for client in [*self.ended.values(), *self.clients.values()]:
            entry = merged.setdefault(client.name, [client.tickets, 0])
            entry[1] += client.cycles
        return [(name, tickets, cycles) for name, (tickets, cycles) in sorted(merged.items())]

    def stats(self) -> dict[str, Any]:
        shares = self.shares()
        total_cycles = sum(cycles for _, _, cycles in shares)
        total_tickets = sum(tickets for _, tickets, _ in shares)
        if not total_cycles:
            return {}
        figures: dict[str, Any] = {}
        error = 0.0
        for name, tickets, cycles in shares:
            share, expected = cycles / total_cycles, tickets / total_tickets
            error = max(error, abs(share - expected))
            figures[f"share {name}"] = f"{share:.1%} for {tickets} tickets ({expected:.1%})"
        figures["max share error"] = round(error, 4)
        return figures
