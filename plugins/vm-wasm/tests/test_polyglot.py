"""The example system's wasm part: a module compiled from C, called from Python, using OS services."""

from __future__ import annotations

from pathlib import Path

POLYGLOT = Path(__file__).resolve().parents[3] / "examples" / "polyglot" / "system.toml"


def test_the_polyglot_system_calls_the_c_crc32_from_python(osvm):
    first = osvm("run", str(POLYGLOT))
    assert first.exit_code == 0, first.output
    assert osvm("run", str(POLYGLOT)).stdout == first.stdout
    lines = first.stdout.splitlines()
    assert "crc32: self-test cbf43926 ok" in lines[0]
    # crc32 of "job 1: ab" (and zlib agrees on every job)
    import zlib

    for number in range(1, 7):
        payload = f"job {number}: " + "ab" * number
        assert any(f"consumer: job {number} adler32=" in line and f"crc32={zlib.crc32(payload.encode()):08x}" in line
                   for line in lines)
    assert lines.count("consumer: done, sum of checksums 0xd4751b78") == 1
