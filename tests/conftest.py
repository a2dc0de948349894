"""Session-wide fixtures: one real PostgreSQL for the whole run (started here, stopped at the end)."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Central API fixtures (a real API on SQLite and on PostgreSQL) for tests/central and tests/e2e.
pytest_plugins = ["tests.fixtures_central"]


@pytest.fixture(scope="session")
def pg_cluster():
    from tests import pgcluster

    cluster = pgcluster.start()
    yield cluster
    cluster.stop()
