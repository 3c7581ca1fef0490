"""Values for the symbols of the scenarios, and a small evaluator for their expressions.

The scenarios name their free parameters (``ANY_ELAPSED_TIME``, ``ANY_NOW_SEMCNT``,
...); a runner picks concrete values that satisfy the obvious constraints
(``0 < ANY_NOW_SEMCNT < ANY_MAX_SEMCNT``, ``WAIT_ALARM_TIME > ACTIVATE_ALARM_TIME``,
``ANY_ADJUST_MINUS_TIME = -ANY_ADJUST_PLUS_TIME``) and evaluates expressions such
as ``RELATIVE_TIME_C-ANY_ADJUST_PLUS_TIME+1`` or ``(void*)ANY_ADDRESS``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from .. import constants as c

PRIORITIES = {"TSK_PRI_HIGH": 4, "TSK_PRI_MID": 8, "TSK_PRI_LOW": 12, "TSK_PRI_BOTTOM": 15}

SYMBOLS: dict[str, Any] = {
    **PRIORITIES,
    "TMIN_TPRI": c.TMIN_TPRI, "TMAX_TPRI": c.TMAX_TPRI,
    "TSK_SELF": c.TSK_SELF, "TSK_NONE": c.TSK_NONE, "TPRI_INI": c.TPRI_INI, "TPRI_SELF": c.TPRI_SELF,
    "TMO_POL": c.TMO_POL, "TMO_FEVR": c.TMO_FEVR, "TMO_NBLK": c.TMO_NBLK,
    "TMAX_RELTIM": c.TMAX_RELTIM, "TMIN_ADJTIM": c.TMIN_ADJTIM, "TMAX_ADJTIM": c.TMAX_ADJTIM,
    "TIPM_ENAALL": c.TIPM_ENAALL, "ANY_IPM": -1,
    "TTS_RUN": c.TTS_RUN, "TTS_RDY": c.TTS_RDY, "TTS_WAI": c.TTS_WAI, "TTS_SUS": c.TTS_SUS,
    "TTS_WAS": c.TTS_WAS, "TTS_DMT": c.TTS_DMT,
    "TA_NULL": c.TA_NULL, "TA_TPRI": c.TA_TPRI, "TA_CEILING": c.TA_CEILING, "TA_INHERIT": c.TA_INHERIT,
    "TA_NOACTQUE": c.TA_NOACTQUE, "ANY_ATT_MTX_NOT_CEILING": c.TA_NULL,
    # free parameters
    "ANY_ELAPSED_TIME": 10,
    "RELATIVE_TIME_A": 5, "RELATIVE_TIME_B": 50, "RELATIVE_TIME_C": 30,
    "ACTIVATE_ALARM_TIME": 5, "WAIT_ALARM_TIME": 20,
    "ANY_ADJUST_PLUS_TIME": 5, "ANY_ADJUST_MINUS_TIME": -5,
    "ANY_SYSTEM_TIME": 1000,
    "ANY_MAX_SEMCNT": 10, "ANY_NOW_SEMCNT": 5, "ANY_INI_SEMCNT": 3,
    "ANY_INI_BLKCNT": 5, "ANY_NOW_BLKCNT": 3, "ANY_BLKSZ": 16,
    "ANY_ADDRESS": 0x5A5A0,
    "TTSP_INVALID_MPF_ADDRESS": 0x3,
    "ANY_OBJECT_ID": 99,
    "EXINF_A": 0x1234,
    "TTSP_MOD_FCH_CNT": 1000,       # high-resolution timer counts per ms (µs)
}

#: The symbolic time of a post-condition that must hold "forever": this many ms after the last key.
FOREVER_MS = 1000

_CAST = re.compile(r"\(\s*(?:void\s*\*|intptr_t|uint_t|int_t|ID|PRI|STAT|SYSTIM|HRTCNT)\s*\)")
_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
        ast.FloorDiv: lambda a, b: a // b, ast.Div: lambda a, b: a // b}


class UnknownSymbol(Exception):
    pass


def evaluate(value: Any, names: Mapping[str, Any] | None = None) -> Any:
    """A YAML value as a number: ints pass, strings are expressions over symbols and ``names``."""
    if isinstance(value, (bool, int)) or value is None:
        return value
    if not isinstance(value, str):
        raise UnknownSymbol(f"cannot evaluate {value!r}")
    text = _CAST.sub("", value).strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise UnknownSymbol(f"cannot parse {value!r}") from None
    return _eval(tree.body, names or {}, value)


def _eval(node: ast.AST, names: Mapping[str, Any], text: str) -> Any:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in names:
            return names[node.id]
        if node.id in SYMBOLS:
            return SYMBOLS[node.id]
        raise UnknownSymbol(f"unknown symbol {node.id} in {text!r}")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _eval(node.operand, names, text)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval(node.left, names, text), _eval(node.right, names, text))
    raise UnknownSymbol(f"unsupported expression {text!r}")
