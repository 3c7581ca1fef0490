"""The SH-4 single-step vectors (SH-3 integer subset) replayed on the SH-3 core.

Data: ``$OSVM_TESTDATA/sh4-singlestep/`` or ``<repo>/../shared/testdata/sh4-singlestep/``
(see its README for the format). One test per encoding file; a failure lists
every failing vector of the file with the fields that differ.

The vectors record Reicast, which raises no exceptions, so they are replayed
with the profile `REICAST` below (no alignment or privilege checks, SR keeps
the SH-4 FD bit). Each replay runs with the unit interpreter and an empty
translation cache before every ``run`` call, so every executed instruction is
fetched exactly once and the fetch log can be checked entry by entry.
TRAPA runs in host mode and the harness resumes at once without servicing
it, which is what the recording did; SLEEP stops and the harness resumes,
which re-executes the SLEEP, as recorded.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from osvm_hal_sh3.cpu import SH3CPU, CpuConfig, StopKind
from osvm_hal_sh3.cpu.state import SR_MASK_SH4


def _data_dir() -> Path | None:
    root = os.environ.get("OSVM_TESTDATA")
    base = Path(root) if root else Path(__file__).resolve().parents[2] / ".." / "shared" / "testdata"
    folder = base / "sh4-singlestep"
    return folder if folder.is_dir() else None


DATA = _data_dir()
FILES = sorted(p.name for p in DATA.glob("*.json.gz")) if DATA else []

STEPS = 4

# Configuration of the replay: how the recording differs from an SH-3 by design.
REICAST = dict(
    trapa="host",              # recorded TRAPA is a no-op: the harness resumes without servicing it
    faults="host",             # nothing in the recording raises; a fault would be a failure
    check_alignment=False,     # misaligned word/long accesses just happen in the recording
    check_privilege=False,     # so do privileged instructions with SR.MD = 0
    sr_mask=SR_MASK_SH4,       # SR keeps the SH-4 FD bit (bit 15)
)
MODES = {
    # Unit interpreter, cache emptied before every step: one fetch per executed instruction,
    # so the fetch log is checked entry by entry.
    "units": CpuConfig(**REICAST, blocks=False),
    # Block translation (addresses folded into the code), blocks of at most the four steps;
    # translation fetches ahead, so only state and data accesses are compared.
    "blocks": CpuConfig(**REICAST, blocks=True, hot=1, max_block=STEPS),
}

# Vectors whose expected results are known generator (Reicast) bugs: file -> {index: reason}.
# Only README-documented quirks belong here; each is checked to still fail, so a stale entry shows.
DEVIATIONS: dict[str, dict[int, str]] = {}

STATE_KEYS = ("PC", "GBR", "SR", "SSR", "SPC", "VBR", "MACL", "MACH", "PR")


class VectorBus:
    """Serves the vector's virtual fetch memory and its one expected data access, logging all traffic."""

    def __init__(self, vector: dict) -> None:
        self.pc0 = vector["initial"]["PC"]
        self.opcodes = vector["opcodes"]
        self.fetches: list[int] = []
        self.reads: list[int] = []
        self.writes: list[tuple[int, int]] = []
        self.read_value: dict[int, int] = {}
        for cycle in vector["cycles"]:
            if cycle["actions"] & 1:
                self.read_value[cycle["read_addr"]] = cycle["read_val"]

    def fetch16(self, address: int) -> int:
        self.fetches.append(address)
        offset = (address - self.pc0) & 0xFFFFFFFF
        return self.opcodes[offset >> 1] if offset < 8 and not offset & 1 else self.opcodes[4]

    def _read(self, address: int, mask: int) -> int:
        self.reads.append(address)
        return self.read_value.get(address, 0) & mask

    def read8(self, address: int) -> int:
        return self._read(address, 0xFF)

    def read16(self, address: int) -> int:
        return self._read(address, 0xFFFF)

    def read32(self, address: int) -> int:
        return self._read(address, 0xFFFFFFFF)

    def write8(self, address: int, value: int) -> None:
        self.writes.append((address, value))

    write16 = write32 = write8


def replay(vector: dict, mode: str = "units") -> list[str]:
    """Run one vector; return the differences from its expected final state and access log."""
    bus = VectorBus(vector)
    cpu = SH3CPU(bus, MODES[mode])
    init = vector["initial"]
    cpu.r[:] = init["R"]
    cpu.rbank[:] = init["R_"]
    cpu.load_sr(init["SR"])
    cpu.pc, cpu.gbr, cpu.ssr, cpu.spc, cpu.vbr = init["PC"], init["GBR"], init["SSR"], init["SPC"], init["VBR"]
    cpu.macl, cpu.mach, cpu.pr = init["MACL"], init["MACH"], init["PR"]
    problems: list[str] = []
    executed = 0
    while executed < STEPS:
        if mode == "units":
            cpu.flush()
            stop = cpu.run(1)
        else:
            stop = cpu.run(STEPS - executed)
        executed += stop.used
        if stop.kind not in (StopKind.BUDGET, StopKind.TRAP, StopKind.SLEEP):
            problems.append(f"stopped: {stop}")
            break
    if mode == "blocks" and not cpu._cache.blocks:
        problems.append("no block was translated")
    if executed != STEPS:
        problems.append(f"executed {executed} instructions, not {STEPS}")
    final = vector["final"]
    got = {"PC": cpu.pc, "GBR": cpu.gbr, "SR": cpu.sr, "SSR": cpu.ssr, "SPC": cpu.spc, "VBR": cpu.vbr,
           "MACL": cpu.macl, "MACH": cpu.mach, "PR": cpu.pr}
    for key in STATE_KEYS:
        if got[key] != final[key]:
            problems.append(f"{key} {got[key]:#010x} != {final[key]:#010x}")
    for name, have, want in (("R", cpu.r, final["R"]), ("R_", cpu.rbank, final["R_"])):
        for index, (h, w) in enumerate(zip(have, want, strict=True)):
            if h != w:
                problems.append(f"{name}{index} {h:#010x} != {w:#010x}")
    cycles = vector["cycles"]
    want_fetches = [c["fetch_addr"] for c in cycles]
    if mode == "units" and bus.fetches != want_fetches:
        problems.append(f"fetches {[hex(a) for a in bus.fetches]} != {[hex(a) for a in want_fetches]}")
    want_reads = [c["read_addr"] for c in cycles if c["actions"] & 1]
    if bus.reads != want_reads:
        problems.append(f"reads {[hex(a) for a in bus.reads]} != {[hex(a) for a in want_reads]}")
    want_writes = [(c["write_addr"], c["write_val"]) for c in cycles if c["actions"] & 2]
    if bus.writes != want_writes:
        problems.append(f"writes {[(hex(a), hex(v)) for a, v in bus.writes]} != "
                        f"{[(hex(a), hex(v)) for a, v in want_writes]}")
    return problems


@pytest.mark.skipif(DATA is None, reason="sh4-singlestep vectors not found (set OSVM_TESTDATA)")
@pytest.mark.parametrize("name", FILES or ["<none>"])
@pytest.mark.parametrize("mode", list(MODES))
def test_vector_file(name: str, mode: str) -> None:
    with gzip.open(DATA / name, "rt") as handle:
        vectors = json.load(handle)
    expected_bad = DEVIATIONS.get(name, {})
    failures = []
    for index, vector in enumerate(vectors):
        problems = replay(vector, mode)
        if index in expected_bad:
            assert problems, f"{name}[{index}] passes now: drop its deviation ({expected_bad[index]})"
        elif problems:
            failures.append(f"  [{index}] " + "; ".join(problems))
    passed = len(vectors) - len(failures) - len(expected_bad)
    assert not failures, (f"{name} ({mode}): {passed} passed, {len(failures)} failed, "
                          f"{len(expected_bad)} documented deviations\n" + "\n".join(failures[:20]))


def test_vector_files_present() -> None:
    if DATA is None:
        pytest.skip("sh4-singlestep vectors not found (set OSVM_TESTDATA)")
    assert len(FILES) == 157
