"""Python guests written against the μITRON API (VM kind ``itron``), composed from system files."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from osvm_core.errors import E_CTX, E_ID, E_OK, E_QOVR, E_TMOUT
from osvm_core.registry import build_registry
from osvm_core.system.build import build_system
from osvm_core.system.spec import SystemFileError, parse_system

from .conftest import plugin_set

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pingpong"

PRELUDE = """
from osvm_vm_python.guest import export, write
from osvm_vm_itron.api import *
"""


def task(name: str, entry: str, priority: int, start: bool = True) -> str:
    return (f"[[task]]\nname = '{name}'\nvm = 'rtos'\nentry = 'app/{entry}'\npriority = {priority}\n"
            f"start = {'true' if start else 'false'}\n")


def test_the_example_prints_the_same_transcript_every_run():
    plugins = plugin_set()
    registry = build_registry(plugins)
    transcripts = []
    for _ in range(2):
        file = EXAMPLE / "system.toml"
        spec = parse_system(tomllib.loads(file.read_text()), str(file), EXAMPLE)
        output = bytearray()
        kernel = build_system(spec, plugins, registry, console_out=output.extend).kernel
        assert kernel.run(max_cycles=10_000_000).reason == "finished"
        transcripts.append(output.decode())
    assert transcripts[0] == transcripts[1]
    assert transcripts[0].splitlines() == [
        "monitor: 41 ms",                     # cyclic handler: phase 40 ms, then every 40 ms
        "consumer: nothing yet at 51 ms",     # twai_sem(items, 50) at 0 ms: E_TMOUT on tick 51
        "producer: item 0 from task with exinf 7",
        "consumer: item 1",
        "monitor: 81 ms",
        "consumer: nothing yet at 112 ms",
        "monitor: 121 ms",
        "producer: item 1 from task with exinf 7",
        "consumer: item 2",
        "monitor: 161 ms",
        "consumer: nothing yet at 173 ms",
        "producer: item 2 from task with exinf 7",
        "consumer: item 3",
    ]


def test_errors_are_codes_and_objects_go_by_id_or_name(compose):
    guest = PRELUDE + """
@export("func()")
def main():
    results = []
    results.append((yield from pol_sem("s")))          # by name: empty -> E_TMOUT
    results.append((yield from sig_sem(1)))            # by ID
    results.append((yield from pol_sem(1)))
    results.append((yield from sig_sem(2)))            # no semaphore 2: E_ID
    results.append((yield from twai_sem(1, 3)))        # 3 ms, then E_TMOUT
    ercd, now = yield from get_tim()
    results.append(now)
    results.append((yield from can_wup(0)))            # ER_UINT: a count
    results.append((yield from iact_tsk(1)))           # the handler-context name, from a task
    yield write(repr(results))
"""
    kernel, output = compose({"app.py": guest}, "[[semaphore]]\nname = 's'\ncount = 0\nmax = 1\n"
                             + task("main", "main", 1))
    assert kernel.run().reason == "finished"
    assert eval(output.decode()) == [E_TMOUT, E_OK, E_OK, E_ID, E_TMOUT, 4, 0, E_CTX]


def test_dispatch_disable_holds_a_higher_priority_task(compose):
    guest = PRELUDE + """
@export("func()")
def low():
    yield from dis_dsp()
    yield from act_tsk("high")                     # ready, but dispatching is disabled
    yield write("low still runs\\n")
    ercd = yield from slp_tsk()                    # may not wait while dispatching is disabled
    yield write(f"slp_tsk: {ercd}\\n")
    yield from ena_dsp()                           # now high runs
    yield write("low again\\n")

@export("func()")
def high():
    yield write("high runs\\n")
"""
    kernel, output = compose({"app.py": guest}, task("low", "low", 5) + task("high", "high", 1, start=False))
    assert kernel.run().reason == "finished"
    assert output.decode().splitlines() == ["low still runs", f"slp_tsk: {E_CTX}", "high runs", "low again"]


def test_an_alarm_handler_runs_in_non_task_context(compose):
    guest = PRELUDE + """
@export("func()")
def main():
    ercd, alm = yield from acre_alm("/mod/rtos/app/alarm", 2)
    yield from sta_alm(alm, 5)
    ercd = yield from slp_tsk()
    ercd, now = yield from get_tim()
    yield write(f"woken at {now} ms\\n")

@export("func(exinf: any)")
def alarm(exinf):
    yield write(f"alarm: sns_ctx={(yield from sns_ctx())} wai_sem={(yield from wai_sem(1))}\\n")
    woken = []
    for _ in range(3):                                      # release, queue one, E_QOVR
        woken.append((yield from iwup_tsk(1)))
    yield write(f"iwup_tsk: {woken}\\n")
    started = []
    for _ in range(3):                                      # start it, queue one, E_QOVR
        started.append((yield from iact_tsk(exinf)))
    yield write(f"iact_tsk: {started}\\n")

@export("func()")
def other():
    yield write("other runs after the handler\\n")
"""
    kernel, output = compose({"app.py": guest}, "[[semaphore]]\nname = 's'\ncount = 0\nmax = 1\n"
                             + task("main", "main", 1) + task("other", "other", 2, start=False))
    assert kernel.run().reason == "finished"
    assert output.decode().splitlines() == [
        f"alarm: sns_ctx=True wai_sem={E_CTX}",
        f"iwup_tsk: {[E_OK, E_OK, E_QOVR]}",
        f"iact_tsk: {[E_OK, E_OK, E_QOVR]}",
        "woken at 6 ms",                  # sta_alm(5) at 0 ms: the handler runs on tick 6
        "other runs after the handler",
        "other runs after the handler",   # its queued activation
    ]


def test_an_itron_vm_needs_the_itron_policy(compose):
    with pytest.raises(SystemFileError, match="needs scheduler = \"itron\""):
        compose({"app.py": PRELUDE}, "", scheduler="priority")


def test_the_cpu_lock_holds_time_events_back_until_unl_cpu(compose):
    guest = PRELUDE + """
from osvm_vm_python.guest import work

@export("func()")
def main():
    ercd, alm = yield from acre_alm("/mod/rtos/app/alarm", 0)
    yield from sta_alm(alm, 2)                 # due on tick 3
    yield from loc_cpu()
    yield work(8_000)                          # 8 ms with the CPU locked
    ercd, now = yield from get_tim()           # E_CTX: not with the CPU locked
    yield write(f"get_tim under loc_cpu: {ercd}\\n")
    yield from unl_cpu()
    yield write("main unlocked\\n")

@export("func(exinf: any)")
def alarm(exinf):
    yield write(f"alarm at {(yield from fch_hrt()) // 1000} ms\\n")
"""
    kernel, output = compose({"app.py": guest}, task("main", "main", 1))
    assert kernel.run().reason == "finished"
    assert output.decode().splitlines() == [f"get_tim under loc_cpu: {E_CTX}", "alarm at 8 ms", "main unlocked"]


def test_the_readme_service_table_is_in_step_with_the_services():
    from osvm_vm_itron.services import markdown_table

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("-->\n", readme.index("<!-- generated by")) + len("-->\n")
    end = readme.index("<!-- end of generated table -->")
    assert readme[start:end] == markdown_table(), "regenerate it: python -m osvm_vm_itron.services"


def test_the_services_are_entries_of_the_names_tree(compose):
    kernel, _ = compose({"app.py": PRELUDE}, "")
    entry = kernel.names.get("/itron/twai_sem")
    assert entry is not None and str(entry.signature) == "func(semid: s32, tmout: s32)"
    assert kernel.names.get("/itron/iact_tsk") is not None
