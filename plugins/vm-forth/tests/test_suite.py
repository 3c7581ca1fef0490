"""The Forth 2012 test suite: every implemented word set reports 0 errors (the table is printed)."""

from __future__ import annotations

from osvm_vm_forth.suite import WORD_SETS, run_in_system, run_standalone, table_text


def test_forth2012_suite_in_an_osvm_system(testdata, capsys):
    result = run_in_system(testdata)
    with capsys.disabled():
        print("\nForth 2012 test suite in an osvm system (ACCEPT fed from the console input):")
        print(table_text(result))
    assert result.problems == []
    for name in WORD_SETS:
        assert result.table[name] == "0"
    assert 'RECEIVED: "Hello from stdin"' in result.output


def test_forth2012_suite_standalone(testdata):
    result = run_standalone(testdata)
    assert result.problems == []
