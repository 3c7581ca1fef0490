"""Options from the [hal] table: sizes, defaults, and the messages bad values produce."""

import pytest

from osvm_hal_virt import VirtBoard, VirtOptions, parse_size


@pytest.mark.parametrize(
    ("text", "size"),
    [
        (4096, 4096),
        ("4096", 4096),
        ("16MiB", 16 * 1024 * 1024),
        ("512KiB", 512 * 1024),
        ("4M", 4 * 1024 * 1024),
        ("64K", 64 * 1024),
        ("64k", 64 * 1024),
        ("1GiB", 1024**3),
        ("16 MB", 16 * 1024 * 1024),
        ("100B", 100),
        ("1_024", 1024),
    ],
)
def test_parse_size_accepts_bytes_and_binary_units(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "MiB", "16XiB", "1.5M", "-4K", "16 Mi B", "1__0K", "4M4"])
def test_parse_size_names_the_bad_text(text):
    with pytest.raises(ValueError, match=rf"bad ram {text!r}: expected a number of bytes"):
        parse_size(text, "ram")


@pytest.mark.parametrize("value", [0, -1, "0K"])
def test_parse_size_refuses_empty_and_negative_sizes(value):
    with pytest.raises(ValueError, match="must be positive"):
        parse_size(value)


@pytest.mark.parametrize("value", [True, 1.5, None, [1]])
def test_parse_size_refuses_other_types(value):
    with pytest.raises(ValueError, match="number of bytes"):
        parse_size(value)


def test_defaults():
    options = VirtOptions.from_mapping(None)
    assert options == VirtOptions.from_mapping({})
    assert (options.clock_hz, options.ram, options.ram_base, options.timer_period) == (
        10_000_000,
        16 * 1024 * 1024,
        0,
        100_000,
    )
    assert options.console_in == b""
    assert options.console_out is None
    assert options.console_in_stream is None


def test_unknown_key_is_named_with_the_known_keys():
    with pytest.raises(
        ValueError, match=r"unknown hal option 'clock'.*known options: clock_hz, ram, ram_base"
    ):
        VirtBoard({"clock": 1})


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"clock_hz": 0}, r"clock_hz must be a positive integer .*got 0"),
        ({"clock_hz": "10MHz"}, r"clock_hz must be a positive integer .*got '10MHz'"),
        ({"clock_hz": True}, r"clock_hz must be a positive integer"),
        ({"clock_hz": 1e6}, r"clock_hz must be a positive integer"),
        ({"timer_period": -5}, r"timer_period must be a non-negative integer .*got -5"),
        ({"ram_base": -1}, r"ram_base must be a non-negative integer"),
        ({"ram_base": 2**64 - 10}, r"ram_base 0x[0-9a-f]+ puts RAM past"),
        ({"ram": "lots"}, r"bad hal option ram 'lots'"),
        ({"ram": "2GiB"}, r"ram is 2147483648 bytes; the virt board models at most"),
        ({"console_in": 5}, r"console_in must be a string or bytes, got 5"),
        ({"console_out": "stdout"}, r"console_out must be a callable taking bytes, got 'stdout'"),
        ({"console_in_stream": "stdin"}, r"console_in_stream must be a binary file object"),
    ],
)
def test_bad_values_are_refused_with_a_message_naming_the_key(options, message):
    with pytest.raises(ValueError, match=message):
        VirtBoard(options)


def test_options_are_kept_on_the_board():
    board = VirtBoard({"clock_hz": 1_000_000, "timer_period": 0, "ram": 1024})
    assert board.options.clock_hz == 1_000_000
    assert board.clock_hz == 1_000_000
    assert board.timer_period == 0
    assert len(board.ram) == 1024
