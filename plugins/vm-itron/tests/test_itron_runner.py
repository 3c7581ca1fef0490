"""The runner itself: it must fail scenarios when the OS layer is wrong, and say why.

A deliberately broken semaphore is monkeypatched into the kernel's Semaphore:
wait queues that stay FIFO when the scenario asks for priority order, and a
signal that adds two. Named scenarios must then fail (and the others of the
folder still pass), so a green run means something.
"""

from __future__ import annotations

import pytest

from osvm_core.errors import QueueOverflow
from osvm_core.kernel import semaphore as kernel_semaphore
from osvm_vm_itron.ttsp.data import Scenario, load_file
from osvm_vm_itron.ttsp.report import format_table, run_all, run_one
from osvm_vm_itron.ttsp.runner import Runner


def results_of(root, files):
    out = {}
    for name in files:
        for scenario in load_file(root, root / "api_test" / "ASP" / name):
            out[scenario.id] = run_one(scenario)
    return out


PRIORITY_ORDER = ["semaphore/twai_sem/twai_sem_l-2-2.yaml", "semaphore/twai_sem/twai_sem_l-2-3.yaml",
                  "semaphore/wai_sem/wai_sem_i-2-2.yaml", "semaphore/wai_sem/wai_sem_i-2-3.yaml",
                  "task_manage/chg_pri/chg_pri_f-2-4-1.yaml"]
FIFO_ORDER = ["semaphore/twai_sem/twai_sem_l-1-2.yaml", "semaphore/wai_sem/wai_sem_i-1-2.yaml"]


def test_a_fifo_only_semaphore_fails_the_priority_queue_scenarios(ttsp3, monkeypatch):
    original = kernel_semaphore.Semaphore.__init__

    def fifo_always(self, kernel, name, count, maximum, order="fifo", owner="os"):
        original(self, kernel, name, count, maximum, "fifo", owner)

    monkeypatch.setattr(kernel_semaphore.Semaphore, "__init__", fifo_always)
    results = results_of(ttsp3, PRIORITY_ORDER + FIFO_ORDER)
    failed = {sid for sid, result in results.items() if result.status == "fail"}
    assert failed == {"ASP_semaphore_twai_sem_l_2_2", "ASP_semaphore_twai_sem_l_2_3",
                      "ASP_semaphore_wai_sem_i_2_2", "ASP_semaphore_wai_sem_i_2_3",
                      "ASP_task_manage_chg_pri_f_2_4_1"}
    message = results["ASP_semaphore_wai_sem_i_2_2"].reason
    assert "SEM1.wtsklist is ['TASK2', 'TASK3', 'TASK1'], expected ['TASK1', 'TASK2', 'TASK3']" in message


def test_a_signal_that_counts_two_fails_the_counting_scenarios(ttsp3, monkeypatch):
    def signal_twice(self):
        waiter = self.queue.first()
        if waiter is not None:
            self.kernel.release(waiter, None)
        elif self.count < self.maximum:
            self.count += 2                      # off by one
        else:
            raise QueueOverflow("at the maximum")

    monkeypatch.setattr(kernel_semaphore.Semaphore, "signal", signal_twice)
    results = results_of(ttsp3, ["semaphore/sig_sem/sig_sem_d.yaml", "semaphore/sig_sem/sig_sem_d_ntc.yaml",
                                 "semaphore/sig_sem/sig_sem_f-1-1.yaml"])
    assert results["ASP_semaphore_sig_sem_d"].status == "fail"
    assert "SEM1.semcnt is 7, expected 6" in results["ASP_semaphore_sig_sem_d"].reason
    assert results["ASP_semaphore_sig_sem_d_ai"].status == "fail"      # from an alarm handler
    assert results["ASP_semaphore_sig_sem_d_ci"].status == "fail"      # from a cyclic handler
    assert results["ASP_semaphore_sig_sem_f_1_1"].status == "pass"     # a waiter takes it: no count


def test_the_broken_semaphore_shows_in_the_table(ttsp3, monkeypatch):
    monkeypatch.setattr(kernel_semaphore.Semaphore, "signal", lambda self: None)   # a signal that is lost
    results = run_all(ttsp3, ["semaphore"], ["sig_sem"])
    table = format_table(results)
    row = next(line for line in table.splitlines() if line.startswith("semaphore    sig_sem"))
    passed, failed = (int(x) for x in row.split()[2:4])
    assert failed > 0 and passed + failed == 97


def synthetic(body: dict) -> Scenario:
    return Scenario("SYNTHETIC", "semaphore/sig_sem/synthetic.yaml", "semaphore", "sig_sem", body)


PRE = {"TASK1": {"type": "TASK", "tskstat": "running", "tskpri": "TSK_PRI_MID"},
       "TASK2": {"type": "TASK", "tskstat": "waiting", "tskpri": "TSK_PRI_HIGH", "wobjid": "SEM1"},
       "SEM1": {"type": "SEMAPHORE", "semcnt": 0, "maxsem": 1, "wtsklist": [{"TASK2": None}]}}


def test_a_wrong_return_code_is_reported_when_the_caller_runs():
    result = Runner(synthetic({"pre_condition": PRE,
                               "do": {"id": "TASK1", "syscall": "sig_sem(SEM1)", "ercd": "E_QOVR"},
                               "post_condition": {"TASK1": {"tskstat": "ready"},
                                                  "TASK2": {"tskstat": "running"},
                                                  "SEM1": {"wtsklist": None}}})).run()
    assert result.status == "fail"
    assert result.messages == ["do_0: sig_sem(SEM1) by TASK1 returned E_OK, expected E_QOVR"]


def test_a_wrong_state_and_a_caller_that_is_not_running_are_reported():
    result = Runner(synthetic({"pre_condition": PRE,
                               "do_0": {"id": "TASK1", "syscall": "sig_sem(SEM1)", "ercd": "E_OK"},
                               "post_condition_0": {"TASK2": {"tskstat": "ready"}},
                               "do_1": {"id": "TASK1", "syscall": "sig_sem(SEM1)", "ercd": "E_OK"},
                               "post_condition_1": {}})).run()
    assert "post_condition_0: TASK1.tskstat is 'ready', expected 'running'" in result.messages
    assert "post_condition_0: TASK2.tskstat is 'running', expected 'ready'" in result.messages
    assert "do_1: TASK1 is not running, so it cannot call sig_sem(SEM1)" in result.messages


def test_a_pre_condition_that_cannot_be_built_is_reported():
    pre = dict(PRE, SEM1={"type": "SEMAPHORE", "semcnt": 0, "maxsem": 1, "wtsklist": [{"TASK3": None}]})
    result = Runner(synthetic({"pre_condition": pre, "do": {"id": "TASK1", "syscall": "sig_sem(SEM1)"},
                               "post_condition": {}})).run()
    assert result.status == "fail"
    assert "TASK3 is in a wait queue but is not a task" in result.reason


@pytest.mark.parametrize("ercd, status", [("E_TMOUT", "pass"), ("E_OK", "fail")])
def test_gain_time_lets_a_timeout_expire(ercd, status):
    body = {"variation": {"gain_time": True},
            "pre_condition": {"TASK1": {"type": "TASK", "tskstat": "running"},
                              "SEM1": {"type": "SEMAPHORE", "semcnt": 0}},
            "do": {"id": "TASK1", "syscall": "twai_sem(SEM1, 3)", "ercd": ercd},
            "post_condition": None}
    result = Runner(synthetic(body)).run()
    assert result.status == status, result.messages
