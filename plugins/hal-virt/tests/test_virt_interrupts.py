"""The interrupt controller: lines, pending order, masking, acknowledge payloads and errors."""

import pytest

from osvm_core.board import Board, InterruptLine
from osvm_hal_virt import CONSOLE_LINE, TIMER_LINE, VirtBoard


def test_board_satisfies_the_hal_contract():
    board = VirtBoard()
    assert isinstance(board, Board)
    assert board.name == "virt"
    assert board.cpu is None
    assert board.lines == (
        InterruptLine(0, "timer0", priority=1, signature="u64"),
        InterruptLine(1, "console0", priority=2, signature="bytes", input=True),
    )
    assert (TIMER_LINE, CONSOLE_LINE) == (0, 1)


def test_ram_has_the_configured_size_and_base():
    board = VirtBoard({"ram": "64K", "ram_base": 0x0C00_0000})
    assert len(board.ram) == 65536
    assert board.ram_base == 0x0C00_0000
    assert len(VirtBoard().ram) == 16 * 1024 * 1024


def test_nothing_pending_after_reset_without_input():
    assert VirtBoard().pending() == []


def test_pending_lists_most_urgent_first_whatever_the_raise_order():
    board = VirtBoard({"timer_period": 0})
    board.raise_line(CONSOLE_LINE)
    board.raise_line(TIMER_LINE)
    assert board.pending() == [TIMER_LINE, CONSOLE_LINE]


def test_masking_hides_a_line_without_losing_it():
    board = VirtBoard({"timer_period": 10, "console_in": "x"})
    board.advance(10)
    board.mask(TIMER_LINE, True)
    assert board.pending() == [CONSOLE_LINE]
    board.mask(CONSOLE_LINE, True)
    assert board.pending() == []
    board.mask(TIMER_LINE, False)
    board.mask(CONSOLE_LINE, False)
    assert board.pending() == [TIMER_LINE, CONSOLE_LINE]


def test_a_masked_raised_line_can_still_be_acknowledged():
    board = VirtBoard({"timer_period": 10})
    board.mask(TIMER_LINE, True)
    board.advance(10)
    assert board.acknowledge(TIMER_LINE) == 1


def test_acknowledge_clears_the_line():
    board = VirtBoard({"timer_period": 10})
    board.advance(10)
    board.acknowledge(TIMER_LINE)
    assert board.pending() == []
    with pytest.raises(ValueError, match=r"line 0 \(timer0\).*not raised"):
        board.acknowledge(TIMER_LINE)


def test_acknowledging_a_line_that_is_not_raised_names_it():
    board = VirtBoard()
    with pytest.raises(ValueError, match=r"line 1 \(console0\).*not raised"):
        board.acknowledge(CONSOLE_LINE)


@pytest.mark.parametrize("line", [2, -1, "timer0", True])
def test_unknown_lines_are_refused_with_the_known_ones(line):
    board = VirtBoard()
    for call in (board.acknowledge, board.raise_line, lambda n: board.mask(n, True)):
        with pytest.raises(ValueError, match=r"no interrupt line .*0 timer0, 1 console0"):
            call(line)


def test_raise_line_on_the_timer_before_any_tick_acknowledges_tick_zero():
    board = VirtBoard()
    board.raise_line(TIMER_LINE)
    assert board.pending() == [TIMER_LINE]
    assert board.acknowledge(TIMER_LINE) == 0


def test_raise_line_on_console_without_input_gives_no_bytes():
    board = VirtBoard()
    board.raise_line(CONSOLE_LINE)
    assert board.acknowledge(CONSOLE_LINE) == b""
    assert board.pending() == []
