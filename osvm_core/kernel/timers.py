"""Time events on the simulated clock: timeouts, delays, alarms (a heap ordered by due cycle)."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count


@dataclass(order=True, slots=True)
class TimeEvent:
    due: int
    seq: int
    action: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)


class TimerQueue:
    """Due events fire in (due, creation order), so equal times stay deterministic."""

    def __init__(self) -> None:
        self._heap: list[TimeEvent] = []
        self._seq = count()

    def schedule(self, due: int, action: Callable[[], None]) -> TimeEvent:
        event = TimeEvent(due, next(self._seq), action)
        heapq.heappush(self._heap, event)
        return event

    @staticmethod
    def cancel(event: TimeEvent | None) -> None:
        if event is not None:
            event.cancelled = True

    def next_due(self) -> int | None:
        heap = self._heap
        while heap and heap[0].cancelled:
            heapq.heappop(heap)
        return heap[0].due if heap else None

    def fire_due(self, now: int) -> int:
        """Run every event due at or before ``now``; return how many fired."""
        heap = self._heap
        fired = 0
        while heap and heap[0].due <= now:
            event = heapq.heappop(heap)
            if not event.cancelled:
                event.cancelled = True
                event.action()
                fired += 1
        return fired

    def __len__(self) -> int:
        return sum(1 for e in self._heap if not e.cancelled)
