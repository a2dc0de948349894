"""tax filings (住民税申告, 二重チェック) and tax certificates (課税・所得証明書の帳票管理簿) (#8)

(2026-11-23)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0006', '0005'  # Alembic's chain


def upgrade() -> None:
    op.create_table('tax_filings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('identity_method', sa.String(length=20), nullable=False),
    sa.Column('entry', sa.JSON(), nullable=False),
    sa.Column('dependents', sa.JSON(), nullable=False),
    sa.Column('computed', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('entered_by', sa.String(length=40), nullable=False),
    sa.Column('entered_device', sa.String(length=40), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('checked_by', sa.String(length=40), nullable=True),
    sa.Column('checked_at', sa.DateTime(), nullable=True),
    sa.Column('return_reason', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tax_filings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tax_filings_resident_id'), ['resident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tax_filings_status'), ['status'], unique=False)
    op.create_table('tax_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('requester_relation', sa.String(length=12), nullable=False),
    sa.Column('requester_name', sa.String(length=100), nullable=True),
    sa.Column('power_of_attorney_seen', sa.Boolean(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('purpose_note', sa.String(length=200), nullable=True),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('fee_yen', sa.Integer(), nullable=False),
    sa.Column('operator_login', sa.String(length=40), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tax_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tax_certificates_resident_id'), ['resident_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tax_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tax_certificates_resident_id'))
    op.drop_table('tax_certificates')
    with op.batch_alter_table('tax_filings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tax_filings_status'))
        batch_op.drop_index(batch_op.f('ix_tax_filings_resident_id'))
    op.drop_table('tax_filings')
