"""Where a module's imports lead: the names tree, the OS services, or the VM's own WASI subset.

=================================  ==================================================
import ``(module, name)``          bound to
=================================  ==================================================
remapped in ``options.imports``    the path given (``"env.log" = "/mod/py/util/log"``)
``osvm`` or ``env``, ``a_b``       the OS service ``/os/a/b`` (split at the first
                                   ``_``: ``console_write_bytes`` → ``/os/console/write_bytes``)
``osvm`` or ``env``, ``a/b``       ``/os/a/b``
``osvm`` or ``env``, ``/path``     that absolute path (any entry of the tree)
``osvm.last_error``                the VM itself: the μITRON code of the last failed call
``wasi_snapshot_preview1``         the VM's WASI subset (``wasi.py``)
any other ``module``               ``/mod/<module>/<name>`` (so ``"py/util"`` +
                                   ``"log"`` → ``/mod/py/util/log``)
=================================  ==================================================
"""

from __future__ import annotations

from osvm_core.errors import OsvmError
from osvm_core.names.tree import split_path

from .errors import LoadError

WASI_MODULE = "wasi_snapshot_preview1"
OS_MODULES = ("osvm", "env")
LAST_ERROR = ("osvm", "last_error")


def import_path(module: str, name: str, remap: dict[str, str]) -> str:
    """The names-tree path of import ``module.name``; LoadError says why there is none."""
    key = f"{module}.{name}"
    if key in remap:
        path = remap[key]
    elif module in OS_MODULES:
        if name.startswith("/"):
            path = name
        elif "/" in name:
            path = "/os/" + name
        else:
            group, sep, call = name.partition("_")
            if not sep or not group or not call:
                raise LoadError(f"import {key}: '{name}' names no OS service; call it <group>_<call> "
                                f"(console_write is /os/console/write) or remap it in options.imports")
            path = f"/os/{group}/{call}"
    else:
        path = f"/mod/{module}/{name}"
    try:
        split_path(path)
    except OsvmError as error:
        raise LoadError(f"import {key} maps to {path!r}, which is not a valid path: {error}") from None
    if path == "/":
        raise LoadError(f"import {key} maps to the root '/'")
    return path
