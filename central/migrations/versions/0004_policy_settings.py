"""policy settings (端末ポリシー)

(2026-11-23)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0004', '0003'  # Alembic's chain


def upgrade() -> None:
    op.create_table('policy_settings',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )


def downgrade() -> None:
    op.drop_table('policy_settings')
