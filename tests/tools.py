"""Helpers for tests that need a program from the system's packages (Chromium, Graphviz)."""

from __future__ import annotations

import os
import shutil

import pytest


def require_executable(name: str, package: str) -> str:
    """The path of the program ``name``; skips the test when it is not installed, naming the
    Debian package that has it, except under CI (``CI=true``), where a missing program fails."""
    path = shutil.which(name)
    if path is not None:
        return path
    message = (f"the program {name!r} is not installed: install the Debian package {package!r} "
               f"(apt-get install {package}; .ci/run does this)")
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)
