"""Test and benchmark support, shared by tests/, bench/ and scripts/: never shipped, never imported
by product code (app/, ui/, drivers/, central/, tools/; tests/test_layering.py checks it).

* ``testbed.camera`` — generated camera evaluation sets (face verification, onlooker clips) and the
  detector evaluation, built in memory from images inside the installed scikit-image wheel;
* ``testbed.stacks`` — private services started and stopped by a test session or a benchmark:
  a throw-away PostgreSQL cluster, pcscd + vsmartcard-vpcd, a CUPS scheduler.

Not in pyproject's package list nor in packaging/: it runs from a source checkout only.
"""
