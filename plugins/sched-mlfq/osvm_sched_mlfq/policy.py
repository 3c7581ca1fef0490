"""Multi-level feedback queue: favours tasks that wait often (interactive) over CPU-bound ones.

Rules (after Corbató's CTSS and the textbook MLFQ):

1. A task runs before every task of a lower level; tasks of one level take
   turns (FIFO, round-robin by slices).
2. A task enters at the top level (level 0) when it is activated.
3. Level ``i`` has a slice of ``slice × growth^i`` cycles (or the ``slices``
   list): lower levels run longer slices, less often.
4. A task that uses its whole slice at a level is demoted one level (down to
   the last). A task that waits before its slice is used keeps its level and
   gets a fresh slice when it is ready again; so a task with short bursts
   between waits stays at the top and runs ahead of CPU-bound tasks.
5. Every ``boost`` cycles every task goes back to the top level, so CPU-bound
   tasks cannot starve and a task that became interactive is noticed.

Options (``scheduler_options``): ``levels`` (3), ``slice`` (500 cycles),
``growth`` (2), ``slices`` (a list of per-level slices, instead of the three
before), ``boost`` (50 000 cycles; 0: never).

Rule 4 resets the slice when a task waits, which a task can game by waiting
just before its slice ends; the boost bounds what that costs the others.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, ClassVar

from osvm_core.errors import ParameterError
from osvm_core.scheduling.policy import SchedulingPolicy

if TYPE_CHECKING:
    from osvm_core.kernel.task import Task

DEFAULTS = {"levels": 3, "slice": 500, "growth": 2, "boost": 50_000}


def _positive(name: str, value: Any, zero: bool = False) -> int:
    if type(value) is not int or value < 0 or (value == 0 and not zero):
        raise ParameterError(f"mlfq {name} must be a {'non-negative' if zero else 'positive'} integer, "
                             f"got {value!r}")
    return value


class MultiLevelFeedbackQueue(SchedulingPolicy):
    """Levels of FIFO queues with growing slices; demotion on a used-up slice; periodic boosts."""

    name: ClassVar[str] = "mlfq"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        super().__init__(options)
        options = self.options
        known = {"levels", "slice", "growth", "slices", "boost"}
        if set(options) - known:
            raise ParameterError(f"mlfq: unknown options {sorted(set(options) - known)} "
                                 f"(known: {', '.join(sorted(known))})")
        if "slices" in options:
            if {"levels", "slice", "growth"} & set(options):
                raise ParameterError("mlfq: give either slices or levels/slice/growth, not both")
            slices = options["slices"]
            if not isinstance(slices, list) or not slices:
                raise ParameterError(f"mlfq slices must be a list of cycles, got {slices!r}")
            self.slices = [_positive("slices", s) for s in slices]
        else:
            levels = _positive("levels", options.get("levels", DEFAULTS["levels"]))
            base = _positive("slice", options.get("slice", DEFAULTS["slice"]))
            growth = _positive("growth", options.get("growth", DEFAULTS["growth"]))
            self.slices = [base * growth ** level for level in range(levels)]
        self.boost = _positive("boost", options.get("boost", DEFAULTS["boost"]), zero=True)
        self.queues: list[deque[Task]] = [deque() for _ in self.slices]
        self.place: dict[int, list[Any]] = {}   # task id -> [level, cycles used of its slice, name, activation]
        self.queued: set[int] = set()           # ids of ready tasks
        self.last_boost = 0
        self.boosts = 0
        self.demotions = 0

    # ---------------------------------------------------------------- the kernel's events
    def ready(self, task: Task) -> None:
        if task.id in self.queued:
            return
        place = self.place.get(task.id)
        activation = getattr(task, "started_at", None)
        if place is None or place[3] != activation:  # new, or ended while waiting and activated again
            place = self.place[task.id] = [0, 0, task.name, activation]
        place[1] = 0                              # back from a wait: a fresh slice at its level
        self.queues[place[0]].append(task)
        self.queued.add(task.id)

    def blocked(self, task: Task) -> None:
        if task.id not in self.queued:
            return
        self.queued.discard(task.id)
        queue = self.queues[self.place[task.id][0]]
        if queue[0] is task:
            queue.popleft()
        else:
            queue.remove(task)

    def exited(self, task: Task) -> None:
        self.blocked(task)
        self.place.pop(task.id, None)

    def _boost(self, now: int) -> None:
        self.boosts += 1
        self.last_boost = now - (now - self.last_boost) % self.boost
        top = self.queues[0]
        for queue in self.queues[1:]:
            top.extend(queue)
            queue.clear()
        for place in self.place.values():
            place[0] = place[1] = 0

    def pick(self) -> Task | None:
        if self.boost and self.now() - self.last_boost >= self.boost:
            self._boost(self.now())
        for queue in self.queues:
            if queue:
                return queue[0]
        return None

    def tick(self, task: Task, used: int) -> bool:
        place = self.place.get(task.id)
        if place is None:
            return False
        place[1] += used
        level = place[0]
        if place[1] < self.slices[level]:
            return False
        place[1] = 0                              # slice used up: down one level (or behind its peers)
        if level + 1 < len(self.slices):
            place[0] = level + 1
            self.demotions += 1
        if task.id in self.queued:
            queue = self.queues[level]
            if queue[0] is task:
                queue.popleft()
            else:
                queue.remove(task)
            self.queues[place[0]].append(task)
        return True

    def remaining(self, task: Task) -> int | None:
        place = self.place.get(task.id)
        if place is None:
            return self.slices[0]
        return max(1, self.slices[place[0]] - place[1])

    def reprioritized(self, task: Task, old_priority: int) -> None:
        """Priorities do not order MLFQ: nothing moves."""

    # ---------------------------------------------------------------- figures
    def stats(self) -> dict[str, Any]:
        figures: dict[str, Any] = {"boosts": self.boosts, "demotions": self.demotions,
                                   "slices": "/".join(str(s) for s in self.slices)}
        for level, name in sorted((place[0], place[2]) for place in self.place.values()):
            figures[f"level {name}"] = level
        return figures
