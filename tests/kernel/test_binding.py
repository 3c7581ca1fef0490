"""Binding through the names tree: signatures checked, grants required, the bind hook may veto."""

from __future__ import annotations

import pytest

from osvm_core.errors import E_OACV, E_PAR, AccessViolation, SignatureError
from osvm_core.hookspecs import hookimpl
from osvm_core.testing.scenario import system

LIB = """
from osvm_vm_python.guest import export

@export("func(a: s32, b: s32) -> s32")
def add(a, b):
    return a + b
"""

TWO_VMS = """
[[vm]]
name = "app"
kind = "python"
load = ["app.py"]

[[vm]]
name = "lib"
kind = "python"
load = ["lib.py"]

[[task]]
vm = "app"
entry = "app/main"
"""

GRANT = """
[[grant]]
vm = "app"
bind = "/mod/lib/**"
"""


def static_importer(signature: str) -> str:
    return f"""
from osvm_vm_python.guest import export, need, write

add = need("/mod/lib/lib/add", "{signature}")

@export("func()")
def main():
    total = yield add(2, 3)
    yield write(f"total {{total}}\\n")
"""


def runtime_importer(signature: str) -> str:
    return f"""
from osvm_core.errors import OsvmError
from osvm_vm_python.guest import bind, export, write
from scenario import note

@export("func()")
def main():
    try:
        add = yield bind("/mod/lib/lib/add", "{signature}")
    except OsvmError as error:
        note(type(error).__name__, error.code, str(error))
        return
    total = yield add(2, 3)
    note("total", total)
"""


def test_a_granted_bind_with_the_right_signature_calls_across_vms(scenario):
    s = scenario({"app.py": static_importer("func(a: s32, b: s32) -> s32"), "lib.py": LIB},
                 system(TWO_VMS + GRANT))
    assert s.run().reason == "finished"
    assert s.text == "total 5\n"
    assert s.kernel.vm_cycles["lib"] > 0        # the call ran in VM lib, on the app task


def test_a_bind_with_the_wrong_signature_fails_naming_both(scenario):
    with pytest.raises(SignatureError) as caught:
        scenario({"app.py": static_importer("func(a: s32) -> s32"), "lib.py": LIB}, system(TWO_VMS + GRANT))
    message = str(caught.value)
    assert "/mod/lib/lib/add" in message
    assert "expected func(a: s32) -> s32" in message
    assert "func(a: s32, b: s32) -> s32" in message


def test_a_run_time_bind_with_the_wrong_signature_is_e_par_naming_both(scenario):
    s = scenario({"app.py": runtime_importer("func(a: s64, b: s64) -> s64"), "lib.py": LIB},
                 system(TWO_VMS + GRANT))
    assert s.run().reason == "finished"
    [(kind, code, message)] = s.points
    assert (kind, code) == ("SignatureError", E_PAR)
    assert "func(a: s64, b: s64) -> s64" in message and "func(a: s32, b: s32) -> s32" in message


def test_a_bind_without_a_grant_is_refused(scenario):
    with pytest.raises(AccessViolation, match="may not bind /mod/lib/lib/add"):
        scenario({"app.py": static_importer("func(a: s32, b: s32) -> s32"), "lib.py": LIB}, system(TWO_VMS))


def test_a_run_time_bind_without_a_grant_is_e_oacv(scenario):
    s = scenario({"app.py": runtime_importer("func(a: s32, b: s32) -> s32"), "lib.py": LIB}, system(TWO_VMS))
    assert s.run().reason == "finished"
    [(kind, code, message)] = s.points
    assert (kind, code) == ("AccessViolation", E_OACV)
    assert "no grant" in message


class Veto:
    """A guard plugin: refuses binds of /mod/lib/** and records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    @hookimpl
    def osvm_bind_requested(self, kernel, importer, path, signature):
        self.asked.append((importer, path))
        if path.startswith("/mod/lib/"):
            return "library calls are switched off"
        return None


def test_the_bind_hook_can_veto_a_granted_bind(scenario):
    veto = Veto()
    s = scenario({"app.py": runtime_importer("func(a: s32, b: s32) -> s32"), "lib.py": LIB},
                 system(TWO_VMS + GRANT), plugins=(("veto", veto),))
    assert s.run().reason == "finished"
    [(kind, code, message)] = s.points
    assert (kind, code) == ("AccessViolation", E_OACV)
    assert "vetoed: library calls are switched off" in message
    assert ("app", "/mod/lib/lib/add") in veto.asked
    assert ("app", "/os/names/bind") in veto.asked      # the hook sees every bind, services too


def test_the_bind_hook_vetoes_a_link_time_import(scenario):
    with pytest.raises(AccessViolation, match="vetoed: library calls are switched off"):
        scenario({"app.py": static_importer("func(a: s32, b: s32) -> s32"), "lib.py": LIB},
                 system(TWO_VMS + GRANT), plugins=(("veto", Veto()),))
