"""support decisions (支援措置の判断依頼・所属長の判断) and the decision used by an issuance (#7, WF-7)

(2026-11-24)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0007', '0006'  # Alembic's chain


def upgrade() -> None:
    op.create_table('support_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=12), nullable=False),
    sa.Column('requester_relation', sa.String(length=12), nullable=False),
    sa.Column('requester_name', sa.String(length=100), nullable=False),
    sa.Column('requester_org', sa.String(length=100), nullable=True),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('purpose_note', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('requested_by', sa.String(length=40), nullable=False),
    sa.Column('requested_device', sa.String(length=40), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=40), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decision_reason', sa.String(length=200), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('used_by', sa.String(length=40), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('support_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_decisions_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_decisions_status'), ['status'], unique=False)
    with op.batch_alter_table('issuances', schema=None) as batch_op:
        batch_op.add_column(sa.Column('support_decision_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_issuances_support_decision_id'),
                                          ['support_decision_id'])
        batch_op.create_foreign_key(batch_op.f('fk_issuances_support_decision_id_support_decisions'),
                                    'support_decisions', ['support_decision_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('issuances', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_issuances_support_decision_id_support_decisions'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_issuances_support_decision_id'), type_='unique')
        batch_op.drop_column('support_decision_id')
    with op.batch_alter_table('support_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_decisions_status'))
        batch_op.drop_index(batch_op.f('ix_support_decisions_resident_id'))
    op.drop_table('support_decisions')
