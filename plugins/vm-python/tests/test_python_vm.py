"""The Python VM: exports, imports, requests, faults, preemption and bad input."""

from __future__ import annotations

import pytest

from osvm_core.errors import OsvmError, SignatureError
from osvm_vm_python.guest import Request, Sem, work
from osvm_vm_python.loader import LoadError
from osvm_vm_python.vm import STEP_CYCLES, PythonVM

HEADER = "from osvm_vm_python.guest import *\n"


def test_exports_are_published_with_their_signatures(compose):
    kernel, _ = compose({"m.py": HEADER + (
        "@export('func(a: s32, b: s32) -> s32')\ndef add(a, b):\n    return a + b\n"
        "@export('func()', name='go')\ndef main():\n    yield work(1)\n"
        "def helper():\n    pass\n")}, "")
    assert str(kernel.names.lookup("/mod/py/m/add").signature) == "func(a: s32, b: s32) -> s32"
    assert kernel.names.get("/mod/py/m/go") is not None
    assert kernel.names.get("/mod/py/m/helper") is None


def test_a_task_runs_requests_and_returns_its_exit_code(compose):
    kernel, output = compose({"m.py": HEADER + (
        "@export('func(n: s32) -> s32')\ndef main(n):\n"
        "    for i in range(n):\n        yield write(f'{i} ')\n    return n * 2\n")},
        "[[task]]\nvm = 'py'\nentry = 'm/main'\nargs = [3]\n")
    report = kernel.run()
    assert report.reason == "finished"
    assert output == b"0 1 2 "
    assert kernel.objects.get("task", "m").exit_code == 6


def test_imports_bind_at_link_time_and_calls_migrate_the_task(compose):
    kernel, output = compose({
        "lib.py": HEADER + "@export('func(x: s32) -> s32')\ndef twice(x):\n    yield work(500)\n    return 2 * x\n",
        "app.py": HEADER + ("twice = need('/mod/py/lib/twice', 'func(x: s32) -> s32')\n"
                            "@export('func()')\ndef main():\n    r = yield twice(21)\n    yield write(str(r))\n")},
        "[[task]]\nvm = 'py'\nentry = 'app/main'\n")
    kernel.run()
    assert output == b"42"
    task = kernel.objects.get("task", "app")
    assert task.cycles >= 500 + 3 * STEP_CYCLES


def test_an_import_with_the_wrong_signature_fails_at_link_naming_both(compose):
    with pytest.raises(SignatureError) as caught:
        compose({
            "lib.py": HEADER + "@export('func(x: s32) -> s32')\ndef twice(x):\n    return 2 * x\n",
            "app.py": HEADER + "twice = need('/mod/py/lib/twice', 'func(x: string) -> s32')\n"}, "")
    assert "func(x: string) -> s32" in str(caught.value) and "func(x: s32) -> s32" in str(caught.value)


def test_run_time_bind_returns_a_callable(compose):
    kernel, output = compose({"m.py": HEADER + (
        "@export('func(x: s32) -> s32')\ndef inc(x):\n    return x + 1\n"
        "@export('func()')\ndef main():\n    inc = yield bind('/mod/py/m/inc', 'func(x: s32) -> s32')\n"
        "    r = yield inc(1)\n    yield write(str(r))\n")},
        "[[task]]\nvm = 'py'\nentry = 'm/main'\n")
    kernel.run()
    assert output == b"2"


def test_os_errors_are_raised_at_the_yield_and_can_be_caught(compose):
    kernel, output = compose({"m.py": HEADER + (
        "@export('func()')\ndef main():\n    s = yield new_sem(0, 1)\n"
        "    try:\n        yield s.poll()\n    except Timeout as e:\n        yield write(f'caught {e.code}')\n")},
        "[[task]]\nvm = 'py'\nentry = 'm/main'\n")
    kernel.run()
    assert output == b"caught -50"


def test_new_objects_come_back_as_objects_with_methods(compose):
    kernel, output = compose({"m.py": HEADER + (
        "@export('func()')\ndef main():\n    s = yield new_sem(1, 2)\n"
        "    yield write(type(s).__name__)\n    yield s.signal()\n    n = yield s.count()\n    yield write(str(n))\n")},
        "[[task]]\nvm = 'py'\nentry = 'm/main'\n")
    kernel.run()
    assert output == b"Sem2"


@pytest.mark.parametrize(("body", "expected"), [
    ("    yield 42\n", "task yielded 42"),
    ("    yield work(1)\n    raise KeyError('k')\n", "KeyError"),
    ("    yield new_sem(5, 1)\n", "uncaught E_PAR"),
])
def test_faults_end_only_their_task_with_a_report(compose, body, expected):
    kernel, output = compose({"m.py": HEADER + "@export('func()')\ndef bad():\n" + body + (
        "@export('func()')\ndef good():\n    yield work(10_000)\n    yield write('good done')\n")},
        "[[task]]\nvm = 'py'\nentry = 'm/bad'\nname = 'bad'\n[[task]]\nvm = 'py'\nentry = 'm/good'\nname = 'good'\n")
    report = kernel.run()
    assert report.reason == "finished"
    assert output == b"good done"
    [(task, error)] = kernel.faults
    assert task.name == "bad" and expected in str(error)
    assert "m.py" in str(error)


def test_work_is_preempted_in_the_middle_and_resumed():
    vm = PythonVM("py")

    def guest():
        yield work(1000)
        return 5

    context = vm.start(type("E", (), {"procedure": staticmethod(guest)})(), ())
    events = [vm.run(context, 300) for _ in range(4)]
    assert [type(e).__name__ for e in events] == ["Preempted"] * 3 + ["Returned"]
    assert sum(e.used for e in events) == 1000 + 2 * STEP_CYCLES
    assert events[-1].value == 5


def test_requests_are_plain_values():
    request = Sem("items").wait(100)
    assert request == Request("/os/sem/wait", ("items", 100))
    assert work(5).cycles == 5
    with pytest.raises(ValueError):
        work(-1)


@pytest.mark.parametrize(("source", "expected"), [
    ("def f(:\n", "m.py:1"),
    ("x = 1\nraise RuntimeError('boom')\n", "m.py:2: loading failed: RuntimeError: boom"),
    ("from osvm_vm_python.guest import export\n@export('func(a: s99)')\ndef f(a):\n    pass\n", "unknown type 's99'"),
])
def test_bad_modules_name_file_and_line(compose, source, expected):
    with pytest.raises(OsvmError) as caught:
        compose({"m.py": source}, "")
    assert expected in str(caught.value)


def test_unknown_vm_options_are_refused():
    with pytest.raises(OsvmError, match="unknown options"):
        PythonVM("py", {"turbo": True})


def test_need_outside_loading_is_an_error():
    from osvm_vm_python.guest import need

    with pytest.raises(RuntimeError, match="while a module loads"):
        need("/mod/x/y/z", "func()")
    assert isinstance(LoadError("x"), OsvmError)
