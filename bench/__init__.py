"""Benchmarks of the central API and the register loader (see BENCHMARKS.md at the repo root).

Run from the repository root with the project's virtualenv, e.g. ``python -m bench.central_api``.
Everything talks to 127.0.0.1 only; every load loop is bounded in requests and in time.
"""
