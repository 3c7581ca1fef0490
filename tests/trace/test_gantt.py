"""`osvm trace gantt` and `osvm trace summary` on the polyglot example's trace."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize(("width", "height", "unit"), [(900, 420, "ms"), (1337, 611, "cycles")])
def test_gantt_writes_a_png_of_the_requested_size(osvm, polyglot_trace, tmp_path, width, height, unit):
    pytest.importorskip("matplotlib", reason="osvm trace gantt needs matplotlib (pip install matplotlib)")
    out = tmp_path / "schedule.png"
    result = osvm("trace", "gantt", polyglot_trace[0], "-o", out, "--width", width, "--height", height,
                  "--unit", unit)
    assert result.exit_code == 0, result.output
    assert _png_size(out) == (width, height)
    assert out.stat().st_size > 5_000           # something was drawn
    try:
        import matplotlib.image
    except ImportError:                          # pragma: no cover - matplotlib is there (importorskip)
        return
    pixels = matplotlib.image.imread(out)
    assert pixels.shape[:2] == (height, width)
    assert len({tuple(p) for p in pixels[::7, ::7].reshape(-1, pixels.shape[2]).tolist()}) > 5  # not blank


def test_gantt_default_height_grows_with_the_tasks(osvm, polyglot_trace, tmp_path):
    pytest.importorskip("matplotlib", reason="osvm trace gantt needs matplotlib (pip install matplotlib)")
    out = tmp_path / "schedule.png"
    assert osvm("trace", "gantt", polyglot_trace[0], "-o", out).exit_code == 0
    width, height = _png_size(out)
    assert width == 1200 and height >= 300


def test_gantt_without_matplotlib_says_how_to_install_it(osvm, polyglot_trace, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)    # import matplotlib now raises ImportError
    result = osvm("trace", "gantt", polyglot_trace[0], "-o", tmp_path / "x.png")
    assert result.exit_code == 2
    assert "pip install matplotlib" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_summary_prints_per_task_totals(osvm, polyglot_trace):
    result = osvm("trace", "summary", polyglot_trace[0])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("== trace: polyglot, finished at cycle 100130")
    rows = {line.split()[1]: line.split() for line in lines[3:] if line.startswith(("kernel", "app", "lib"))}
    assert set(rows) == {"int.timer0", "int.console0", "watchdog", "producer", "consumer"}
    # the same cycles as --stats counts them (run slices plus the service cycles of the system calls)
    assert rows["producer"][2] == "25180" and rows["consumer"][2] == "38062"
    assert rows["consumer"][8] == "6"            # cross-VM calls
    assert rows["int.timer0"][11] == "4"          # interrupts


def test_a_file_that_is_not_a_trace_is_refused(osvm, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"traceEvents": [{"name": "x", "ph": "X", "ts": 0, "pid": 1}]}')
    result = osvm("trace", "summary", bad)
    assert result.exit_code == 2 and "lacks tid" in result.stderr
    bad.write_text("not json")
    assert osvm("trace", "summary", bad).exit_code == 2


def test_stats_shows_response_figures(osvm, polyglot_trace, tmp_path):
    plain = osvm("run", Path(__file__).resolve().parent / "system" / "system.toml",
                 "--stats")
    assert plain.exit_code == 0
    for word in ("producer", "domain", "switches", "waits", "first run", "turnaround", "add --trace"):
        assert word in plain.stdout
    traced = osvm("run", Path(__file__).resolve().parent / "system" / "system.toml",
                  "--stats", "--trace", tmp_path / "t.json")
    assert traced.exit_code == 0
    assert "responses" in traced.stdout and "wake-ups" in traced.stdout
    row = next(line.split() for line in traced.stdout.splitlines()
               if line.startswith("watchdog") and "100130" in line)
    # watchdog: started 0, first run 40, turnaround 100130, 1 response, 4 wake-ups 60 cycles after release
    assert row[2:] == ["0", "40", "100130", "1", "100130", "100130", "4", "60", "60"]


def test_the_cli_starts_without_importing_matplotlib():
    import subprocess

    code = ("import sys\n"
            "from click.testing import CliRunner\n"
            "from osvm_core.cli.main import make_cli\n"
            "from osvm_core.plugins import load_plugins\n"
            "result = CliRunner().invoke(make_cli(load_plugins()), ['trace', 'gantt', '--help'])\n"
            "assert result.exit_code == 0, result.output\n"
            "assert 'matplotlib' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)
