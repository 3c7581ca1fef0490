"""Stride scheduling (proportional share by tickets) for osvm VMs (registered as ``stride``)."""

from .policy import Stride

__all__ = ["Stride"]
