"""device_nonces: a device signature is accepted once (#21 class 5)

Requests are signed with MADOGUCHI-DEVICE-V2, which covers a per-request nonce, the
Idempotency-Key and the Authorization header. Each accepted signature's (device, nonce) is kept
here while its signed timestamp is inside the clock window, in the database so that every
worker of the central shares it; the same nonce again is 401 device_signature_replayed.

(2026-12-07)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0012', '0011'  # Alembic's chain


def upgrade() -> None:
    op.create_table(
        'device_nonces',
        sa.Column('device_pk', sa.Integer(), sa.ForeignKey('devices.id'), nullable=False),
        sa.Column('nonce', sa.String(64), nullable=False),
        sa.Column('signed_at', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('device_pk', 'nonce'),
    )
    op.create_index('ix_device_nonces_signed_at', 'device_nonces', ['signed_at'])


def downgrade() -> None:
    op.drop_index('ix_device_nonces_signed_at', 'device_nonces')
    op.drop_table('device_nonces')
