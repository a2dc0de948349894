"""content_served_at (a certificate's content is served once, #21 class 8); 不詳 dates (#21 class 9)

The content of a 住民票の写し, 記載事項証明書 or 課税・所得証明書 leaves the centre once, to the
issuing operator and terminal; a reprint is a new issuance in the 帳票管理簿. The first GET of the
content sets the time in the same statement that checks it is unset (UPDATE … WHERE
content_served_at IS NULL), so of two simultaneous GETs exactly one is answered.

A 異動日 may be recorded as unknown (異動年月日不詳, K-DQ-17) instead of an invented date:
resident_history.idou_date becomes nullable beside its idou_date_unknown flag, and a record
removed on an unknown day has residents.removed_on_unknown.

(2026-12-07)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0011', '0010'  # Alembic's chain


def upgrade() -> None:
    for table in ('issuances', 'tax_certificates'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('content_served_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('resident_history', schema=None) as batch_op:
        batch_op.alter_column('idou_date', existing_type=sa.Date(), nullable=True)
        batch_op.add_column(sa.Column('idou_date_unknown', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_on_unknown', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_column('removed_on_unknown')
    with op.batch_alter_table('resident_history', schema=None) as batch_op:
        batch_op.drop_column('idou_date_unknown')
        batch_op.alter_column('idou_date', existing_type=sa.Date(), nullable=False)
    for table in ('tax_certificates', 'issuances'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('content_served_at')
