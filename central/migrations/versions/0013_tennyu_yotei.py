"""転入予定者 (K-WF-4.6): 転出証明書情報 received ahead of the visit (#22 point 2)

One row per person of a 転出証明書情報 that the 住基ネット CS adapter received
(tennyu_yotei.py); the 個人番号 is stored as the register stores it (ciphertext + blind index).
The row becomes a 住民票 on the 特例転入 (status arrived, resident_id).

(2026-12-07)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0013', '0012'  # Alembic's chain


def upgrade() -> None:
    op.create_table(
        'tennyu_yotei',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('certificate_id', sa.String(length=40), nullable=False),
        sa.Column('member_no', sa.Integer(), nullable=False),
        sa.Column('from_municipality', sa.String(length=100), nullable=False),
        sa.Column('juminhyo_code', sa.String(length=11), nullable=False),
        sa.Column('my_number_enc', sa.LargeBinary(), nullable=True),
        sa.Column('my_number_index', sa.String(length=64), nullable=True),
        sa.Column('name_kanji', sa.String(length=100), nullable=False),
        sa.Column('name_kana', sa.String(length=200), nullable=False),
        sa.Column('former_surname', sa.String(length=50), nullable=True),
        sa.Column('former_surname_kana', sa.String(length=100), nullable=True),
        sa.Column('substitute_chars', sa.JSON(), nullable=False),
        sa.Column('birth_date', sa.Date(), nullable=False),
        sa.Column('sex', sa.String(length=6), nullable=False),
        sa.Column('householder_name', sa.String(length=100), nullable=False),
        sa.Column('relationship_to_head', sa.String(length=20), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('moved_out_to', sa.String(length=200), nullable=False),
        sa.Column('planned_date', sa.Date(), nullable=False),
        sa.Column('honseki', sa.String(length=200), nullable=True),
        sa.Column('hittousha', sa.String(length=100), nullable=True),
        sa.Column('card_held', sa.Boolean(), nullable=False),
        sa.Column('qualifications', sa.JSON(), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('received_by', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('resident_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['resident_id'], ['residents.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('certificate_id', 'member_no'),
    )
    with op.batch_alter_table('tennyu_yotei', schema=None) as batch_op:
        batch_op.create_index('ix_tennyu_yotei_certificate_id', ['certificate_id'])
        batch_op.create_index('ix_tennyu_yotei_juminhyo_code', ['juminhyo_code'])
        batch_op.create_index('ix_tennyu_yotei_my_number_index', ['my_number_index'])
        batch_op.create_index('ix_tennyu_yotei_status', ['status'])


def downgrade() -> None:
    op.drop_table('tennyu_yotei')
