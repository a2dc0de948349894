"""issuances (帳票管理簿)

(2026-11-23)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0003', '0002'  # Alembic's chain


def upgrade() -> None:
    op.create_table('issuances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('scope', sa.String(length=12), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('person_ids', sa.JSON(), nullable=False),
    sa.Column('requester_relation', sa.String(length=12), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('purpose_note', sa.String(length=200), nullable=True),
    sa.Column('included', sa.JSON(), nullable=False),
    sa.Column('my_number_reason', sa.String(length=40), nullable=True),
    sa.Column('submit_to', sa.String(length=100), nullable=True),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('operator_login', sa.String(length=40), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('issuances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issuances_resident_id'), ['resident_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('issuances', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issuances_resident_id'))
    op.drop_table('issuances')
