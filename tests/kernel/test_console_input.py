"""Console input from a stream arrives while the system idles, then an end-of-input message."""

from __future__ import annotations

import io

from osvm_core.testing.scenario import system

APP = """
[[vm]]
name = "app"
kind = "python"
load = ["g.py"]

[[task]]
vm = "app"
entry = "g/main"
"""

GUEST = """
from osvm_vm_python.guest import export, port, work
from scenario import cp, note

@export("func()")
def main():
    console = port("console0")
    while True:
        line = yield console.receive()
        note(line)
        if line == b"":
            break
"""


def test_lines_arrive_one_by_one_and_an_empty_message_ends_the_input(scenario):
    stream = io.BytesIO(b"first\nsecond\n")
    s = scenario({"g.py": GUEST}, system(APP), hal_extra={"console_in_stream": stream})
    assert s.run().reason == "finished"
    assert s.points == [(b"first\n",), (b"second\n",), (b"",)]


def test_input_is_not_read_while_other_tasks_can_run(scenario):
    busy = GUEST.replace("    console = port", "    yield work(50_000)\n    console = port")
    stream = io.BytesIO(b"line\n")
    s = scenario({"g.py": busy}, system(APP), hal_extra={"console_in_stream": stream})
    s.kernel.run(max_cycles=10_000)
    assert stream.tell() == 0            # nobody waited for input yet: the stream is untouched
    assert s.kernel.run().reason == "finished"
    assert s.points == [(b"line\n",), (b"",)]
