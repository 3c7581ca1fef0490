"""Earliest deadline first: an osvm scheduling policy (registered as ``edf``)."""

from .policy import EarliestDeadlineFirst

__all__ = ["EarliestDeadlineFirst"]
