"""right applications (権限付与の申請): a grant is applied for by the 所属長 of the operator's
section and executed by the security admin (#21 class 3, AUTHZ-4, AUTHZ-9)

operators.section (所属); right_applications; right_grants.origin ("application" or
"provisioning": every grant made before this revision was made by the CLI, the demo set-up or the
single POST that no longer exists) and right_grants.application_id.

(2026-12-07)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0010', '0009'  # Alembic's chain


def upgrade() -> None:
    with op.batch_alter_table('operators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('section', sa.String(length=40), nullable=True))
    op.create_table('right_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('right', sa.String(length=40), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('section', sa.String(length=40), nullable=False),
    sa.Column('applied_by', sa.String(length=40), nullable=False),
    sa.Column('applied_device', sa.String(length=40), nullable=True),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by', sa.String(length=40), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_reason', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('right_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_right_applications_operator_id'), ['operator_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_right_applications_status'), ['status'], unique=False)
    with op.batch_alter_table('right_grants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=20), nullable=False,
                                      server_default='provisioning'))
        batch_op.add_column(sa.Column('application_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_right_grants_application_id'),
                                          ['application_id'])
        batch_op.create_foreign_key(batch_op.f('fk_right_grants_application_id_right_applications'),
                                    'right_applications', ['application_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('right_grants', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_right_grants_application_id_right_applications'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_right_grants_application_id'), type_='unique')
        batch_op.drop_column('application_id')
        batch_op.drop_column('origin')
    with op.batch_alter_table('right_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_right_applications_status'))
        batch_op.drop_index(batch_op.f('ix_right_applications_operator_id'))
    op.drop_table('right_applications')
    with op.batch_alter_table('operators', schema=None) as batch_op:
        batch_op.drop_column('section')
