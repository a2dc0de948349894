"""職権 entries (K-DQ-16) and the 異動リスト's checks (DQ-2, K-DQ-6)

resident_history gains 記載等の種別 (``entry_kind``: todoke / shokken, 000 別添2 item 97), the case it
was applied from and who approved it, and an index on recorded_at (the 異動リスト reads a JST day
of it). ``idou_checks`` holds a reviewer's tick per applied 異動 (who, when, at which terminal).

(2026-12-07)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0014', '0013'  # Alembic's chain


def upgrade() -> None:
    with op.batch_alter_table('resident_history', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entry_kind', sa.String(length=8), nullable=False,
                                      server_default='todoke'))
        batch_op.add_column(sa.Column('case_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_by', sa.String(length=40), nullable=True))
        batch_op.create_index('ix_resident_history_recorded_at', ['recorded_at'], unique=False)
    op.create_table(
        'idou_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('history_id', sa.Integer(), nullable=False),
        sa.Column('checked_by', sa.String(length=40), nullable=False),
        sa.Column('checked_device', sa.String(length=40), nullable=False),
        sa.Column('checked_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['history_id'], ['resident_history.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('history_id'),
    )


def downgrade() -> None:
    op.drop_table('idou_checks')
    with op.batch_alter_table('resident_history', schema=None) as batch_op:
        batch_op.drop_index('ix_resident_history_recorded_at')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('case_id')
        batch_op.drop_column('entry_kind')
