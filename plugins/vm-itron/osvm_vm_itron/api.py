"""The μITRON API for Python guest tasks (VM kind ``itron``, or any Python VM).

Every service is a generator helper used with ``yield from``; it returns what
the C function returns, so errors are codes, not exceptions::

    from osvm_vm_python.guest import export
    from osvm_vm_itron.api import E_OK, TMO_FEVR, act_tsk, get_mpf, rel_mpf, twai_sem

    @export("func()")
    def producer():
        ercd = yield from twai_sem("items", 100)     # an ID, or the system file's name
        ercd, blk = yield from get_mpf(1)            # ER plus an out-parameter
        ercd = yield from rel_mpf(1, blk)
        count = yield from can_act(2)                # ER_UINT: a count, or an error code

Object references are μITRON IDs (numbered in the system file's declaration
order per kind) or names. Times are ms. Handlers (``acre_alm``, ``acre_cyc``)
are exported procedures taking ``exinf``; they run in non-task context and use
the handler-context names (``iact_tsk``, ``isig_sem``, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from osvm_core.errors import OsvmError
from osvm_vm_python.guest import Request

from .constants import *  # noqa: F403 - the μITRON constants belong to the API
from .constants import E_OK
from .services import ER, ER_OUT, ER_UINT, VALUE

Call = Generator[Request, Any, Any]


def _service(name: str, shape: str) -> Callable[..., Call]:
    path = f"/itron/{name}"

    def call(*args: Any) -> Call:
        try:
            value = yield Request(path, args)
        except OsvmError as error:
            if shape == VALUE:
                raise
            return (error.code, None) if shape == ER_OUT else error.code
        if shape == ER:
            return E_OK
        if shape == ER_OUT:
            return (E_OK, value)
        return value

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"``yield from {name}(...)``: the /itron/{name} service ({shape})."
    return call


# task management
act_tsk = _service("act_tsk", ER)
iact_tsk = _service("iact_tsk", ER)
can_act = _service("can_act", ER_UINT)
ext_tsk = _service("ext_tsk", ER)
ter_tsk = _service("ter_tsk", ER)
chg_pri = _service("chg_pri", ER)
get_pri = _service("get_pri", ER_OUT)
get_inf = _service("get_inf", ER_OUT)
get_tst = _service("get_tst", ER_OUT)
ref_tsk = _service("ref_tsk", ER_OUT)
# task-dependent synchronisation
slp_tsk = _service("slp_tsk", ER)
tslp_tsk = _service("tslp_tsk", ER)
wup_tsk = _service("wup_tsk", ER)
iwup_tsk = _service("iwup_tsk", ER)
can_wup = _service("can_wup", ER_UINT)
rel_wai = _service("rel_wai", ER)
irel_wai = _service("irel_wai", ER)
sus_tsk = _service("sus_tsk", ER)
rsm_tsk = _service("rsm_tsk", ER)
frsm_tsk = _service("frsm_tsk", ER)
dly_tsk = _service("dly_tsk", ER)
# semaphores
sig_sem = _service("sig_sem", ER)
isig_sem = _service("isig_sem", ER)
wai_sem = _service("wai_sem", ER)
pol_sem = _service("pol_sem", ER)
twai_sem = _service("twai_sem", ER)
ini_sem = _service("ini_sem", ER)
ref_sem = _service("ref_sem", ER_OUT)
# fixed-size memory pools
get_mpf = _service("get_mpf", ER_OUT)
pget_mpf = _service("pget_mpf", ER_OUT)
tget_mpf = _service("tget_mpf", ER_OUT)
rel_mpf = _service("rel_mpf", ER)
ini_mpf = _service("ini_mpf", ER)
ref_mpf = _service("ref_mpf", ER_OUT)
# mutexes
loc_mtx = _service("loc_mtx", ER)
ploc_mtx = _service("ploc_mtx", ER)
tloc_mtx = _service("tloc_mtx", ER)
unl_mtx = _service("unl_mtx", ER)
ini_mtx = _service("ini_mtx", ER)
ref_mtx = _service("ref_mtx", ER_OUT)
# time management
get_tim = _service("get_tim", ER_OUT)
set_tim = _service("set_tim", ER)
adj_tim = _service("adj_tim", ER)
fch_hrt = _service("fch_hrt", VALUE)
acre_alm = _service("acre_alm", ER_OUT)
sta_alm = _service("sta_alm", ER)
stp_alm = _service("stp_alm", ER)
ref_alm = _service("ref_alm", ER_OUT)
acre_cyc = _service("acre_cyc", ER_OUT)
sta_cyc = _service("sta_cyc", ER)
stp_cyc = _service("stp_cyc", ER)
ref_cyc = _service("ref_cyc", ER_OUT)
# system state
loc_cpu = _service("loc_cpu", ER)
iloc_cpu = _service("iloc_cpu", ER)
unl_cpu = _service("unl_cpu", ER)
iunl_cpu = _service("iunl_cpu", ER)
dis_dsp = _service("dis_dsp", ER)
ena_dsp = _service("ena_dsp", ER)
chg_ipm = _service("chg_ipm", ER)
get_ipm = _service("get_ipm", ER_OUT)
rot_rdq = _service("rot_rdq", ER)
irot_rdq = _service("irot_rdq", ER)
get_tid = _service("get_tid", ER_OUT)
iget_tid = _service("iget_tid", ER_OUT)
sns_ctx = _service("sns_ctx", VALUE)
sns_loc = _service("sns_loc", VALUE)
sns_dsp = _service("sns_dsp", VALUE)
sns_dpn = _service("sns_dpn", VALUE)
