"""The Forth machine on its own (standalone host): words, memory layout, cost model, errors."""

from __future__ import annotations

import pytest

from osvm_vm_forth import layout as L
from osvm_vm_forth.machine import Machine
from osvm_vm_forth.memory import standalone_memory
from osvm_vm_forth.standalone import Standalone, run_forth


def test_inline_opcodes_match_the_loop():
    # machine.py's loop uses these numbers as literals
    assert (L.OP_EXECUTE, L.DODEFER, L.DOCOL, L.EXIT, L.LIT, L.BRANCH, L.ZBRANCH) == (0, 1, 2, 3, 4, 5, 6)
    assert (L.XLOOP, L.XPLOOP, L.OP_I, L.TO_R, L.R_FROM, L.R_FETCH, L.OP_LEAVE) == (13, 14, 15, 17, 18, 19, 21)
    assert L.N_INLINE == 23


@pytest.mark.parametrize("program, expected", [
    ("1 2 + . 7 3 - . 6 7 * .", "3 4 42 "),
    ("-7 2 / . -7 2 MOD . 7 -2 / .", "-4 1 -4 "),          # floored, as gforth
    ("-7 S>D 2 SM/REM . . -7 S>D 2 FM/MOD . .", "-3 -1 -4 1 "),
    ("HEX FF . DECIMAL 255 .", "FF 255 "),
    ("$10 . #10 . %101 . 'a' .", "16 10 5 97 "),
    ("1. D. -5. D. 123456789012. D.", "1 -5 123456789012 "),
    (": f 10 0 DO I . LOOP ; f", "0 1 2 3 4 5 6 7 8 9 "),
    (": f 0 10 DO I . -3 +LOOP ; f", "10 7 4 1 "),
    (": f 0 0 ?DO I . LOOP 1 . ; f", "1 "),
    (": f 5 0 DO I DUP 2 = IF LEAVE THEN . LOOP ; f", "0 1 "),
    ("3 4 2DUP .S", "<4> 3 4 3 4 "),
    (": C CREATE , DOES> @ 2* ; 21 C X X .", "42 "),
    ("5 VALUE v 7 TO v v .", "7 "),
    ("DEFER d :NONAME 99 ; IS d d .", "99 "),
    (': s S" abc" ; s TYPE s NIP .', "abc3 "),
    ("1 2 3 ROT . . .", "1 3 2 "),
    ("<# 1234 0 #S #> TYPE", "1234"),
    ("12 5 .R 3 3 U.R", "   12  3"),
    (": t 1 THROW ; ' t CATCH . 7 .", "1 7 "),
    (": c CASE 1 OF 10 ENDOF 2 OF 20 ENDOF 30 SWAP ENDCASE ; 2 c . 5 c .", "20 30 "),
    ("WORDLIST CONSTANT w w SET-CURRENT : hid 5 ; FORTH-WORDLIST SET-CURRENT "
     "GET-ORDER w SWAP 1+ SET-ORDER hid .", "5 "),
    ("MARKER m : gone 1 ; m S\" gone\" FIND-NAME .", "0 "),
    ('S" x%y" PAD UNESCAPE TYPE', "x%%y"),
])
def test_words(forth, program, expected):
    assert forth(program) == expected


def test_data_and_return_stacks_live_in_the_memory_region():
    host = Standalone()
    m = host.machine
    ctx = m.new_context("t")
    m.push(ctx, 0x12345678)
    # the top of the data stack is the cell at sp in the region's bytes, little endian
    assert bytes(host.memory.bytes[ctx.sp * 4:ctx.sp * 4 + 4]) == bytes.fromhex("78563412")
    assert ctx.area <= ctx.sp * 4 < ctx.area + 64 * 1024
    # the dictionary is a block of the region too
    assert m.sys < m.here < m.dict_end <= host.memory.size


def test_a_machine_works_in_any_memory_region():
    memory = standalone_memory(1 << 20)
    host = Standalone()
    m = Machine(memory, host, dictionary=64 * 1024)
    ctx = m.new_context("t")
    assert m.depth(ctx) == 0


def test_cost_model_counts_primitives():
    # `: f 0 ;` then `f DROP` : (interpret) finds f (system primitive), 0branch, EXECUTE -> docol,
    # (lit) 0, EXIT, branch ... ; compare the cycles of a loop body of known size instead
    a = run_forth(": f 1000 0 DO LOOP ; f").cycles
    b = run_forth(": f 2000 0 DO LOOP ; f").cycles
    assert b - a == 1000          # one (loop) primitive per iteration


def test_cells_are_32_bit_and_wrap(forth):
    assert forth("-1 U. 2147483647 1+ . 0 INVERT 1 RSHIFT .") == "4294967295 -2147483648 2147483647 "


def test_undefined_word_gives_the_word_and_the_line():
    result = run_forth("1 .\n2 .\n  nosuch 3 .\n4 .\n")
    text = result.output.decode()
    assert text.startswith("1 2 \n<text>:3: Undefined word\n  >>>nosuch<<< 3 .\n")
    assert result.exit_code == 1            # ends, as the on_error "exit" mode says
    assert "4" not in text.splitlines()[-1]


def test_stack_underflow_is_detected():
    text = run_forth("1 2 + . DROP DROP 5 .").output.decode()
    assert "Stack underflow" in text and ">>>DROP<<<" in text
    text = run_forth(": f DROP DROP ; f").output.decode()
    assert "Stack underflow" in text


def test_quit_mode_goes_on_with_the_next_line():
    result = run_forth("1 .\nnosuch\nDROP\n2 . CR", on_error="quit")
    text = result.output.decode()
    assert "Undefined word" in text and "Stack underflow" in text
    assert text.splitlines()[-1] == "2 "
    assert result.exit_code == 0


def test_return_stack_overflow_is_caught(forth):
    assert "Return stack overflow" in forth(": r RECURSE ; r")


def test_division_by_zero_and_bad_address(forth):
    assert "Division by zero" in forth("1 0 /")
    assert "Invalid memory address" in forth("-4 @")


def test_catch_restores_the_stack_depth(forth):
    assert forth(": t 1 2 3 -5 THROW ; 9 ' t CATCH . DEPTH . .") == "-5 1 9 "


def test_abort_quote_message(forth):
    assert forth(': t TRUE ABORT" boom" ; 5 t').startswith("boom\n")


def test_accept_and_key_read_the_console_input(forth):
    assert forth("PAD 80 ACCEPT PAD SWAP TYPE KEY . KEY .", input=b"hello\nAB") == "hello65 66 "
    assert forth("KEY .", input=b"") == "4 "          # end of input: ^D, like gforth


def test_evaluate_and_nested_sources(forth):
    assert forth(': e S" 1 2 + . SOURCE-ID ." EVALUATE ; e SOURCE-ID 0> .') == "3 -1 -1 "


def test_allocate_uses_the_memory_region(forth):
    assert forth("100 ALLOCATE . DUP 42 SWAP ! DUP @ . FREE .") == "0 42 0 "
    assert forth("-1 ALLOCATE 0= . DROP") == "0 "
