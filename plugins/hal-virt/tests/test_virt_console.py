"""The console: output to a writer or a buffer, input at reset, fed later or read from a stream."""

import io

import pytest

from osvm_hal_virt import CONSOLE_LINE, VirtBoard


def test_output_collects_in_the_board_without_a_writer():
    board = VirtBoard()
    board.console_write(b"hello ")
    board.console_write(bytearray(b"world\n"))
    board.console_write(b"")
    assert bytes(board.output) == b"hello world\n"
    assert board.stats()["bytes_out"] == 12


def test_output_goes_to_the_given_writer():
    chunks = []
    board = VirtBoard({"console_out": chunks.append})
    board.console_write(b"ab")
    board.console_write(b"c")
    assert chunks == [b"ab", b"c"]
    assert board.output == bytearray()
    assert board.stats()["bytes_out"] == 3


def test_console_write_refuses_text():
    with pytest.raises(TypeError, match="bytes, not str"):
        VirtBoard().console_write("text")


def test_console_in_raises_the_line_at_reset():
    board = VirtBoard({"console_in": "héllo"})
    assert board.now() == 0
    assert board.pending() == [CONSOLE_LINE]
    assert board.acknowledge(CONSOLE_LINE) == "héllo".encode()
    assert board.pending() == []
    assert board.stats()["bytes_in"] == 6


def test_acknowledge_delivers_at_most_256_bytes_and_keeps_the_line_up_for_the_rest():
    data = bytes(range(256)) * 2 + b"tail"
    board = VirtBoard({"console_in": data})
    got = []
    while CONSOLE_LINE in board.pending():
        got.append(board.acknowledge(CONSOLE_LINE))
    assert [len(chunk) for chunk in got] == [256, 256, 4]
    assert b"".join(got) == data


def test_console_read_is_non_blocking_and_consumes():
    board = VirtBoard({"console_in": b"abcdef"})
    assert board.console_read(0) == b""
    assert board.console_read(4) == b"abcd"
    assert board.pending() == [CONSOLE_LINE]  # "ef" still waiting
    assert board.console_read(10) == b"ef"
    assert board.pending() == []
    assert board.console_read(10) == b""
    assert board.stats()["bytes_in"] == 6


@pytest.mark.parametrize("limit", [-1, 2.0, None])
def test_console_read_refuses_bad_limits(limit):
    with pytest.raises(ValueError, match="limit"):
        VirtBoard().console_read(limit)


def test_feed_delivers_input_that_arrives_later():
    board = VirtBoard({"timer_period": 0})
    board.advance(500)
    board.feed("ls\n")
    assert board.pending() == [CONSOLE_LINE]
    assert board.acknowledge(CONSOLE_LINE) == b"ls\n"


def test_stream_is_not_read_until_input_is_wanted():
    stream = io.BytesIO(b"one\ntwo\n")
    board = VirtBoard({"console_in_stream": stream, "timer_period": 0})
    board.advance(100)
    assert board.pending() == []
    assert stream.tell() == 0


def test_stream_lines_arrive_when_the_idle_system_waits_for_input():
    board = VirtBoard({"console_in_stream": io.BytesIO(b"one\ntwo\n"), "timer_period": 0})
    board.advance(42)
    assert board.next_event() is None       # reading the stream is not a timed event
    assert board.pending() == []
    assert board.wait_input() is True       # the OS is idle and someone waits: a line arrives
    assert board.pending() == [CONSOLE_LINE]
    assert board.acknowledge(CONSOLE_LINE) == b"one\n"
    assert board.wait_input() is True
    assert board.acknowledge(CONSOLE_LINE) == b"two\n"
    assert board.wait_input() is True       # the end: one empty message says so
    assert board.acknowledge(CONSOLE_LINE) == b""
    assert board.wait_input() is False
    assert board.pending() == []


def test_next_event_never_reads_the_stream():
    stream = io.BytesIO(b"data\n")
    board = VirtBoard({"console_in_stream": stream, "timer_period": 100})
    assert board.next_event() == 100
    assert stream.tell() == 0


def test_without_a_stream_there_is_no_end_of_input_message():
    board = VirtBoard({"console_in": b"x", "timer_period": 0})
    assert board.wait_input() is True       # buffered input is waiting already
    assert board.acknowledge(CONSOLE_LINE) == b"x"
    assert board.wait_input() is False


def test_console_read_pulls_from_the_stream_when_empty():
    board = VirtBoard({"console_in": b"a", "console_in_stream": io.BytesIO(b"bc\nd")})
    assert board.console_read(10) == b"a"
    assert board.console_read(1) == b"b"
    assert board.console_read(10) == b"c\n"
    assert board.console_read(10) == b"d"
    assert board.console_read(10) == b""


def test_long_stream_lines_are_split_at_256_bytes():
    line = b"y" * 300 + b"\n"
    board = VirtBoard({"console_in_stream": io.BytesIO(line), "timer_period": 0})
    assert board.wait_input()
    assert len(board.acknowledge(CONSOLE_LINE)) == 256
    assert board.wait_input()
    assert board.acknowledge(CONSOLE_LINE) == b"y" * 44 + b"\n"
