"""biometric templates and failed biometric attempts (AUTH-1/2/5)

(2026-11-23)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0005', '0004'  # Alembic's chain


def upgrade() -> None:
    op.create_table('biometric_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('model', sa.String(length=40), nullable=False),
    sa.Column('template_enc', sa.LargeBinary(), nullable=False),
    sa.Column('captures', sa.Integer(), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(), nullable=False),
    sa.Column('enrolled_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('operator_id', 'provider')
    )
    with op.batch_alter_table('operators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_biometrics', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('operators', schema=None) as batch_op:
        batch_op.drop_column('failed_biometrics')
    op.drop_table('biometric_templates')
