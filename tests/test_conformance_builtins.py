"""The core's own plugins pass the conformance kit third-party plugins use."""

from __future__ import annotations

from osvm_core.memory.first_fit import FirstFit
from osvm_core.scheduling.fixed_priority import FixedPriority
from osvm_core.scheduling.round_robin import RoundRobin
from osvm_core.testing.conformance import AllocatorContract, BoardContract, PolicyContract
from osvm_hal_virt import VirtBoard


class TestFirstFit(AllocatorContract):
    @staticmethod
    def make(base, size):
        return FirstFit(base, size)


class TestRoundRobin(PolicyContract):
    @staticmethod
    def make():
        return RoundRobin({"slice": 100})


class TestFixedPriority(PolicyContract):
    @staticmethod
    def make():
        return FixedPriority()


class TestVirtBoard(BoardContract):
    OPTIONS = {"clock_hz": 1_000_000, "timer_period": 1000, "ram": "64KiB"}

    @staticmethod
    def make(options):
        return VirtBoard(options)
