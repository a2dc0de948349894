"""Session-wide fixtures: one real PostgreSQL for the whole run (started here, stopped at the end)."""
from __future__ import annotations

import os

import pytest

# Must happen before any QApplication exists (pytest-qt creates it lazily).
os.environ["QT_QPA_PLATFORM"] = "offscreen"

# The offscreen platform plugin itself warns when a shown top-level window gets size constraints;
# a limitation of the test platform, not of our code. Every other Qt warning fails a test.
_OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)$")


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(_OFFSCREEN_NOISE)


# Central API fixtures (a real API on SQLite and on PostgreSQL) for tests/central and tests/e2e.
pytest_plugins = ["tests.fixtures_central"]


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread():
    """As the client does (ui/shell/gc_main_thread.py): no automatic cyclic collection, which could run
    in a camera or card worker thread and finalise Qt wrappers there (a PySide crash); the main
    thread collects after every test."""
    import gc

    gc.disable()
    yield
    gc.collect()


@pytest.fixture(scope="session")
def pg_cluster():
    from testbed.stacks import postgres

    cluster = postgres.start()
    yield cluster
    cluster.stop()
