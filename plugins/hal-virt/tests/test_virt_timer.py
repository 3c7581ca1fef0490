"""The periodic timer: exact expiry cycles, overruns, next_event and idle jumps."""

import pytest

from osvm_hal_virt import TIMER_LINE, VirtBoard


def _ticks_seen(board: VirtBoard, steps: list[int]) -> list[tuple[int, int]]:
    """Advance by each step; record (cycle, tick) whenever the timer line is pending."""
    seen = []
    for step in steps:
        board.advance(step)
        if TIMER_LINE in board.pending():
            seen.append((board.now(), board.acknowledge(TIMER_LINE)))
    return seen


def test_timer_fires_exactly_at_period_boundaries_across_odd_steps():
    board = VirtBoard({"timer_period": 10})
    board.advance(9)
    assert board.pending() == []
    board.advance(1)
    assert board.pending() == [TIMER_LINE]
    assert board.acknowledge(TIMER_LINE) == 1
    # cycles after each step: 13 20 29 31 41 41 42 49 50
    assert _ticks_seen(board, [3, 7, 9, 2, 10, 0, 1, 7, 1]) == [(20, 2), (31, 3), (41, 4), (50, 5)]
    assert board.now() == 50
    assert board.stats()["ticks"] == 5
    assert board.stats()["timer_overruns"] == 0


def test_default_timer_is_a_100_hz_tick_of_a_10_mhz_clock():
    board = VirtBoard()
    assert board.clock_hz == 10_000_000
    assert board.timer_period == 100_000
    board.advance(99_999)
    assert board.pending() == []
    board.advance(1)
    assert board.acknowledge(TIMER_LINE) == 1


def test_default_period_follows_clock_and_never_becomes_zero():
    assert VirtBoard({"clock_hz": 1_000}).timer_period == 10
    assert VirtBoard({"clock_hz": 50}).timer_period == 1


def test_overrun_counts_every_tick_that_finds_the_line_pending():
    board = VirtBoard({"timer_period": 100})
    board.advance(100)  # tick 1, line raised
    board.advance(100)  # tick 2, tick 1 never acknowledged
    assert board.stats()["timer_overruns"] == 1
    assert board.pending() == [TIMER_LINE]
    board.advance(350)  # ticks 3, 4 and 5 in one jump: three more overruns
    assert board.stats()["timer_overruns"] == 4
    assert board.stats()["ticks"] == 5
    assert board.acknowledge(TIMER_LINE) == 5  # the latest tick, not the first missed one
    assert board.pending() == []
    board.advance(50)
    assert board.acknowledge(TIMER_LINE) == 6
    assert board.stats()["timer_overruns"] == 4


def test_one_jump_over_many_periods_counts_the_missed_ticks():
    board = VirtBoard({"timer_period": 7})
    board.advance(7 * 1_000_000 + 3)
    assert board.acknowledge(TIMER_LINE) == 1_000_000
    assert board.stats()["timer_overruns"] == 999_999


def test_masked_timer_still_latches_and_overruns():
    board = VirtBoard({"timer_period": 10})
    board.mask(TIMER_LINE, True)
    board.advance(25)
    assert board.pending() == []
    assert board.stats()["timer_overruns"] == 1
    board.mask(TIMER_LINE, False)
    assert board.pending() == [TIMER_LINE]
    assert board.acknowledge(TIMER_LINE) == 2


def test_timer_period_zero_disables_the_timer():
    board = VirtBoard({"timer_period": 0})
    board.advance(10**12)
    assert board.pending() == []
    assert board.next_event() is None
    assert board.stats()["ticks"] == 0


def test_next_event_is_the_next_expiry_and_an_idle_jump_lands_on_it():
    board = VirtBoard({"timer_period": 1000})
    assert board.next_event() == 1000
    board.advance(1)
    assert board.next_event() == 1000
    board.advance(board.next_event() - board.now())
    assert board.now() == 1000
    assert board.pending() == [TIMER_LINE]
    assert board.next_event() == 2000  # the next expiry, whether or not this one is acknowledged
    board.advance(1500)
    assert board.next_event() == 3000


def test_advance_rejects_negative_and_non_integer_cycles():
    board = VirtBoard()
    with pytest.raises(ValueError, match="-1 cycles"):
        board.advance(-1)
    with pytest.raises(TypeError):
        board.advance(1.5)
    assert board.now() == 0


def test_same_steps_give_the_same_history():
    steps = [13, 1, 997, 0, 250, 4096, 3, 77]
    runs = [_ticks_seen(VirtBoard({"timer_period": 97}), steps) for _ in range(2)]
    assert runs[0] == runs[1]
    assert runs[0]
