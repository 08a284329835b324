"""HiGHS instances that never write to the terminal.

HiGHS prints a copyright banner on standard output the first time a ``Highs`` object is built
in a process, before any option can switch its output off. That would corrupt
``sinergi symbiosis --format json`` and ``sinergi demo --json`` when piped, so the first
instance is built with file descriptor 1 pointed at the null device.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import highspy

_lock = threading.Lock()
_banner_shown = False


def new_highs() -> highspy.Highs:
    """Return a ``Highs`` object with its log output switched off."""
    global _banner_shown  # noqa: PLW0603 - one flag per process, as HiGHS's own banner is
    with _lock:
        if not _banner_shown:
            highs = _silently(highspy.Highs)
            _banner_shown = True
        else:
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    return highs


def _silently(make: type[highspy.Highs]) -> highspy.Highs:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with Path(os.devnull).open("w") as null:
            os.dup2(null.fileno(), 1)
            return make()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
