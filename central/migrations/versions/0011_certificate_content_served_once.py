"""content_served_at on issuances and tax_certificates: a certificate's content is served once (#21 class 8)

The content of a 住民票の写し, 記載事項証明書 or 課税・所得証明書 leaves the centre once, to the
issuing operator and terminal; a reprint is a new issuance in the 帳票管理簿. The first GET of the
content sets the time in the same statement that checks it is unset (UPDATE … WHERE
content_served_at IS NULL), so of two simultaneous GETs exactly one is answered.

(2026-12-07)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0011', '0008'  # Alembic's chain


def upgrade() -> None:
    for table in ('issuances', 'tax_certificates'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('content_served_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    for table in ('tax_certificates', 'issuances'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('content_served_at')
