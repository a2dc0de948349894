"""Camera and privacy-shield tests: real OpenCV on generated frames, real offscreen Qt windows."""

import os
from pathlib import Path

import pytest

# Must happen before any QApplication exists (pytest-qt creates it lazily).
os.environ["QT_QPA_PLATFORM"] = "offscreen"

_HERE = Path(__file__).parent

# The offscreen platform plugin warns when a shown top-level window gets size constraints;
# a limitation of the test platform, not of our code (same filter as tests/ui/conftest.py).
_OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _HERE in Path(str(item.fspath)).parents:
            item.add_marker(_OFFSCREEN_NOISE)
