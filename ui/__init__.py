"""Madoguchi counter-terminal GUI (窓口端末の画面, PySide6).

``ui.main`` is the composition root; the views here hold no business rules.

Importing ``ui`` first pins Python's None, True and False (``_pin_singletons``): the PySide6 6.12
bindings on CPython 3.11 drop one reference to None on many calls that return nothing
(``QImage.fill``, ``QPainter.setPen``, ``QObject.setObjectName`` …) and to a bool now and then, so
a long session — a few thousand such calls — reaches a count of zero and the interpreter aborts
(``none_dealloc`` / ``bool_dealloc``), at the latest when it exits. CPython 3.12 makes these
objects immortal; on 3.11 a very large count does the same in practice.
"""
from __future__ import annotations

import ctypes
import sys

_PIN = 1 << 40  # more references than a process can ever lose


def _pin_singletons() -> None:
    if sys.version_info >= (3, 12) or getattr(sys, "_madoguchi_pinned", False):
        return
    for obj in (None, True, False):  # ob_refcnt is the first field of every object on 3.11
        ctypes.c_ssize_t.from_address(id(obj)).value += _PIN
    sys._madoguchi_pinned = True  # type: ignore[attr-defined]


_pin_singletons()
