"""signed forms (申請書電子保存) and the 庁内連携 feed (#23 points 4 and 5)

``signed_forms`` keeps each version of a form the resident signed for a case (the PDF/A, its items
and the signature as AES-GCM ciphertext) until its retention date; ``division_clients`` holds the
divisions' feed credentials (token SHA-256, how far each has read); ``renkei_events`` the feed.

(2026-12-09)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0015', '0014'  # Alembic's chain


def upgrade() -> None:
    op.create_table(
        'signed_forms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('division_id', sa.String(length=40), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('pdf_enc', sa.LargeBinary(), nullable=False),
        sa.Column('fields_enc', sa.LargeBinary(), nullable=False),
        sa.Column('signature_enc', sa.LargeBinary(), nullable=False),
        sa.Column('signer', sa.String(length=8), nullable=False),
        sa.Column('proxy_writer', sa.String(length=40), nullable=True),
        sa.Column('proxy_reason', sa.String(length=20), nullable=True),
        sa.Column('told_divisions', sa.Boolean(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('stored_by', sa.String(length=40), nullable=False),
        sa.Column('stored_device', sa.String(length=40), nullable=False),
        sa.Column('stored_at', sa.DateTime(), nullable=False),
        sa.Column('retention_until', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'form_id', 'version'),
    )
    op.create_index('ix_signed_forms_case_id', 'signed_forms', ['case_id'], unique=False)
    op.create_index('ix_signed_forms_retention_until', 'signed_forms', ['retention_until'],
                    unique=False)
    op.create_table(
        'division_clients',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('division_id', sa.String(length=40), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('acked', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('division_id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_table(
        'renkei_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('division_id', sa.String(length=40), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('form_id', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('items_enc', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('division_id', 'case_id', 'form_id', 'version'),
    )
    op.create_index('ix_renkei_events_division_id', 'renkei_events', ['division_id', 'id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_renkei_events_division_id', table_name='renkei_events')
    op.drop_table('renkei_events')
    op.drop_table('division_clients')
    op.drop_index('ix_signed_forms_retention_until', table_name='signed_forms')
    op.drop_index('ix_signed_forms_case_id', table_name='signed_forms')
    op.drop_table('signed_forms')
