"""idempotency_records: the operator and route a stored answer belongs to (#21 class 4)

A stored answer is returned only to the operator, device and route (method and route template)
with the same body; any other reuse of the key is 422 idempotency_key_reused. Rows stored
before this revision have an empty operator and route, so a reuse of their key is refused
(never served to another operator).

(2026-12-07)
"""
import sqlalchemy as sa
from alembic import op


revision, down_revision = '0009', '0008'  # Alembic's chain


def upgrade() -> None:
    with op.batch_alter_table('idempotency_records') as t:
        t.add_column(sa.Column('operator_login', sa.String(40), nullable=False,
                               server_default=''))
        t.add_column(sa.Column('route', sa.String(200), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('idempotency_records') as t:
        t.drop_column('route')
        t.drop_column('operator_login')
