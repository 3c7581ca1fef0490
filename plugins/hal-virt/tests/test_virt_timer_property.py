"""Property: however time is chopped into advance() calls, ticks land on the same cycles."""

import pytest

from osvm_hal_virt import TIMER_LINE, VirtBoard

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies


@hypothesis.settings(max_examples=200, derandomize=True)
@hypothesis.given(
    period=st.integers(min_value=1, max_value=50),
    steps=st.lists(st.integers(min_value=0, max_value=120), max_size=40),
    ack_every=st.integers(min_value=1, max_value=4),
)
def test_ticks_and_overruns_match_a_cycle_by_cycle_model(period, steps, ack_every):
    board = VirtBoard({"timer_period": period})
    raised, ticks, overruns, now = False, 0, 0, 0
    for i, step in enumerate(steps):
        board.advance(step)
        for _ in range(step):  # the reference model: one cycle at a time
            now += 1
            if now % period == 0:
                ticks += 1
                overruns += raised
                raised = True
        assert board.now() == now
        assert (TIMER_LINE in board.pending()) == raised
        assert board.next_event() == (now // period + 1) * period
        if raised and i % ack_every == 0:
            assert board.acknowledge(TIMER_LINE) == ticks
            raised = False
    assert board.stats()["ticks"] == ticks
    assert board.stats()["timer_overruns"] == overruns
