"""Multi-level feedback queue scheduling for osvm VMs, favouring interactive tasks (registered as ``mlfq``)."""

from .policy import MultiLevelFeedbackQueue

__all__ = ["MultiLevelFeedbackQueue"]
