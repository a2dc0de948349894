"""Madoguchi client core (窓口端末のクライアント中核).

Nothing in this package may import Qt: it is plain Python (stdlib, httpx,
cryptography) so that it can be tested and reused without a GUI.
"""
