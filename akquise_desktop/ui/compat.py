"""Keep PySide6 wheels built for Python >= 3.12 from crashing on Python 3.11.

The stable-ABI PySide6 wheels (seen with 6.12.0) are compiled against headers
in which ``None``, ``True`` and ``False`` are immortal, so returning them
skips the reference increment (``Py_RETURN_NONE`` is a plain ``return``).
On Python 3.11 these objects are not immortal: every ``Signal.emit()`` takes
one reference from ``True``, every Python slot called from a C++ signal one
from ``None``. After some thousand signals the interpreter aborts with
"Fatal Python error: none_dealloc" (or ``bool_dealloc``) — the app dies
after minutes of use, a test run after enough tests.

On Python 3.11 (CPython release build) :func:`apply` gives these static
singletons a huge reference count, which is what 3.12 does by making them
immortal. They are statically allocated and never freed, so extra
references cannot leak anything. On Python >= 3.12 it does nothing. The real
fix is to run on Python >= 3.12; this keeps 3.11 usable meanwhile.
"""

from __future__ import annotations

import ctypes
import sys

_SINGLETONS = (None, True, False, NotImplemented, Ellipsis)
_BUMP = 1 << 40  # decades of signals at any realistic rate
_applied = False


def needed() -> bool:
    """True where the singletons are mortal (CPython < 3.12, release build)."""
    return (
        sys.implementation.name == "cpython"
        and sys.version_info < (3, 12)
        and not hasattr(sys, "getobjects")  # Py_TRACE_REFS builds lay objects out differently
    )


def apply() -> bool:
    """Make the singletons effectively immortal once; True if it did anything."""
    global _applied
    if _applied or not needed():
        return False
    for obj in _SINGLETONS:
        before = sys.getrefcount(obj)
        refcount = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt: first field
        refcount.value += _BUMP
        # Other references come and go meanwhile; a wrong layout would miss by far.
        if abs(sys.getrefcount(obj) - before - _BUMP) > 1_000:  # not the expected layout
            refcount.value -= _BUMP
            return False
    _applied = True
    return True


apply()
