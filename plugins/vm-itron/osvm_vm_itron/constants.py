"""μITRON 4.0 / TOPPERS ASP3 constants: error codes, special IDs, states, attributes, limits.

The error codes are the OS layer's (``osvm_core.errors``); ASP3 adds E_RASTER.
Times are in ticks of 1 ms (the system tick); the personality turns them into
board cycles with the board's clock.
"""

from __future__ import annotations

from osvm_core.errors import (  # noqa: F401 - re-exported for guests and the runner
    CODE_NAMES,
    E_BOVR,
    E_CLS,
    E_CTX,
    E_DLT,
    E_ID,
    E_ILUSE,
    E_MACV,
    E_NOEXS,
    E_NOID,
    E_NOMEM,
    E_NOSPT,
    E_OACV,
    E_OBJ,
    E_OK,
    E_PAR,
    E_QOVR,
    E_RLWAI,
    E_RSATR,
    E_RSFN,
    E_SYS,
    E_TMOUT,
    E_WBLK,
)

E_RASTER = -53          # ASP3: the task has a termination request pending

ERROR_NAMES: dict[int, str] = {**CODE_NAMES, E_RASTER: "E_RASTER", E_OK: "E_OK"}

# special IDs and values
TSK_SELF = 0
TSK_NONE = 0
TPRI_SELF = 0
TPRI_INI = 0
TMO_POL = 0
TMO_FEVR = -1
TMO_NBLK = -2
TIPM_ENAALL = 0

# task states (ref_tsk, get_tst)
TTS_RUN = 0x01
TTS_RDY = 0x02
TTS_WAI = 0x04
TTS_SUS = 0x08
TTS_WAS = 0x0C
TTS_DMT = 0x10

# wait causes (ref_tsk)
TTW_SLP = 0x0001
TTW_DLY = 0x0002
TTW_SEM = 0x0004
TTW_MTX = 0x0080
TTW_MPF = 0x2000

# object states
TALM_STP = 0x01
TALM_STA = 0x02
TCYC_STP = 0x01
TCYC_STA = 0x02

# attributes
TA_NULL = 0x00
TA_TPRI = 0x01          # wait queue in priority order (semaphores, pools, mutexes)
TA_ACT = 0x02           # tasks: activated at start
TA_STA = 0x02           # cyclic handlers: started at start
TA_INHERIT = 0x02       # mutexes (μITRON 4.0): priority inheritance
TA_CEILING = 0x03       # mutexes: priority ceiling
TA_NOACTQUE = 0x08      # tasks (ASP3): no activation queueing

# limits (ASP3 values, times in ms)
TMIN_TPRI = 1
TMAX_TPRI = 16
TMAX_ACTCNT = 1
TMAX_WUPCNT = 1
TMAX_RELTIM = 4_000_000_000
TMIN_ADJTIM = -1000     # -1 s
TMAX_ADJTIM = 1000      # +1 s
TMAX_MAXSEM = 65535


def error_name(code: int) -> str:
    """``E_TMOUT`` for -50; a plain number for anything else (ER_UINT results)."""
    return ERROR_NAMES.get(code, str(code))
