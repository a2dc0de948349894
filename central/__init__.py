"""Central API (中央サーバー): the thin server-authoritative API the counter terminals sync with.

Stands in for the municipality's 既存住基システム with a reference register. Never imports app/, ui/ or
drivers/: it is a separate deployable.
"""
