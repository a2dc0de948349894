"""initial register, operators, commands, audit

(2026-11-22)
"""
from alembic import op
import sqlalchemy as sa


revision, down_revision = '0001', None  # Alembic's chain


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('operator_login', sa.String(length=40), nullable=True),
    sa.Column('device_id', sa.String(length=40), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('purpose', sa.String(length=40), nullable=True),
    sa.Column('purpose_note', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    op.create_table('changes',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entity', sa.String(length=20), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('op', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('command_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('seq')
    )
    op.create_table('devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('device_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('public_key', sa.LargeBinary(length=32), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('registered_by', sa.String(length=40), nullable=True),
    sa.Column('disabled_at', sa.DateTime(), nullable=True),
    sa.Column('disabled_reason', sa.String(length=200), nullable=True),
    sa.Column('loan_approved_by', sa.String(length=40), nullable=True),
    sa.Column('loan_approved_at', sa.DateTime(), nullable=True),
    sa.Column('loan_approval_ref', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('device_id')
    )
    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_no', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('household_no')
    )
    op.create_table('operators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login_id', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('is_contractor', sa.Boolean(), nullable=False),
    sa.Column('employment_until', sa.Date(), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('login_id')
    )
    op.create_table('idempotency_records',
    sa.Column('device_pk', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['device_pk'], ['devices.id'], ),
    sa.PrimaryKeyConstraint('device_pk', 'key')
    )
    op.create_table('operator_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('device_pk', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('factors_done', sa.JSON(), nullable=False),
    sa.Column('factors_required', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['device_pk'], ['devices.id'], ),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('operator_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operator_sessions_operator_id'), ['operator_id'], unique=False)

    op.create_table('residents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('juminhyo_code', sa.String(length=11), nullable=False),
    sa.Column('my_number_enc', sa.LargeBinary(), nullable=True),
    sa.Column('my_number_index', sa.String(length=64), nullable=True),
    sa.Column('name_kanji', sa.String(length=100), nullable=False),
    sa.Column('name_kana', sa.String(length=200), nullable=False),
    sa.Column('name_kana_certified', sa.Boolean(), nullable=False),
    sa.Column('name_search_kana', sa.String(length=200), nullable=False),
    sa.Column('name_search', sa.String(length=100), nullable=False),
    sa.Column('name_roman', sa.String(length=200), nullable=True),
    sa.Column('gaiji', sa.Boolean(), nullable=False),
    sa.Column('substitute_chars', sa.JSON(), nullable=False),
    sa.Column('tsusho', sa.String(length=100), nullable=True),
    sa.Column('tsusho_kana', sa.String(length=200), nullable=True),
    sa.Column('former_surname', sa.String(length=50), nullable=True),
    sa.Column('former_surname_kana', sa.String(length=100), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=6), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('relationship_to_head', sa.String(length=20), nullable=False),
    sa.Column('postal_code', sa.String(length=7), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('katagaki', sa.String(length=100), nullable=True),
    sa.Column('became_resident_on', sa.Date(), nullable=False),
    sa.Column('address_set_on', sa.Date(), nullable=False),
    sa.Column('previous_address', sa.String(length=200), nullable=True),
    sa.Column('moved_in_from', sa.String(length=200), nullable=True),
    sa.Column('honseki', sa.String(length=200), nullable=True),
    sa.Column('hittousha', sa.String(length=100), nullable=True),
    sa.Column('is_foreign', sa.Boolean(), nullable=False),
    sa.Column('nationality', sa.String(length=50), nullable=True),
    sa.Column('residence_status', sa.String(length=50), nullable=True),
    sa.Column('residence_expiry', sa.Date(), nullable=True),
    sa.Column('residence_card_no', sa.String(length=12), nullable=True),
    sa.Column('art30_45_category', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('removed_on', sa.Date(), nullable=True),
    sa.Column('removal_reason', sa.String(length=20), nullable=True),
    sa.Column('moved_out_to', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('juminhyo_code'),
    sa.UniqueConstraint('my_number_index')
    )
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_residents_address'), ['address'], unique=False)
        batch_op.create_index('ix_residents_birth_date', ['birth_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_residents_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_residents_name_search'), ['name_search'], unique=False)
        batch_op.create_index(batch_op.f('ix_residents_name_search_kana'), ['name_search_kana'], unique=False)
        batch_op.create_index(batch_op.f('ix_residents_status'), ['status'], unique=False)

    op.create_table('right_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('right', sa.String(length=40), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('granted_by', sa.String(length=40), nullable=True),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by', sa.String(length=40), nullable=True),
    sa.Column('revoke_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['operators.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('right_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_right_grants_operator_id'), ['operator_id'], unique=False)

    op.create_table('resident_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('idou_date', sa.Date(), nullable=False),
    sa.Column('todoke_date', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('operator_login', sa.String(length=40), nullable=True),
    sa.Column('device_id', sa.String(length=40), nullable=True),
    sa.Column('command_id', sa.String(length=40), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resident_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_history_resident_id'), ['resident_id'], unique=False)

    op.create_table('support_measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_resident_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['target_resident_id'], ['residents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('support_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_measures_target_resident_id'), ['target_resident_id'], unique=False)

    op.create_table('tax_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('employment_income', sa.Integer(), nullable=False),
    sa.Column('pension_income', sa.Integer(), nullable=False),
    sa.Column('other_income', sa.Integer(), nullable=False),
    sa.Column('total_income', sa.Integer(), nullable=False),
    sa.Column('deductions', sa.Integer(), nullable=False),
    sa.Column('taxable_income', sa.Integer(), nullable=False),
    sa.Column('municipal_tax', sa.Integer(), nullable=False),
    sa.Column('prefectural_tax', sa.Integer(), nullable=False),
    sa.Column('dependents_count', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('resident_id', 'fiscal_year')
    )
    with op.batch_alter_table('tax_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tax_records_resident_id'), ['resident_id'], unique=False)

    op.create_table('support_measure_related',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('resident_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['measure_id'], ['support_measures.id'], ),
    sa.ForeignKeyConstraint(['resident_id'], ['residents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('support_measure_related', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_support_measure_related_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_support_measure_related_resident_id'), ['resident_id'], unique=False)



    _append_only_audit()


def _append_only_audit() -> None:
    """The audit log refuses UPDATE and DELETE in the database itself (001 L460)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
            $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
                      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""")
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log
                           BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    with op.batch_alter_table('support_measure_related', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_measure_related_resident_id'))
        batch_op.drop_index(batch_op.f('ix_support_measure_related_measure_id'))

    op.drop_table('support_measure_related')
    with op.batch_alter_table('tax_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tax_records_resident_id'))

    op.drop_table('tax_records')
    with op.batch_alter_table('support_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_support_measures_target_resident_id'))

    op.drop_table('support_measures')
    with op.batch_alter_table('resident_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_history_resident_id'))

    op.drop_table('resident_history')
    with op.batch_alter_table('right_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_right_grants_operator_id'))

    op.drop_table('right_grants')
    with op.batch_alter_table('residents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_residents_status'))
        batch_op.drop_index(batch_op.f('ix_residents_name_search_kana'))
        batch_op.drop_index(batch_op.f('ix_residents_name_search'))
        batch_op.drop_index(batch_op.f('ix_residents_household_id'))
        batch_op.drop_index('ix_residents_birth_date')
        batch_op.drop_index(batch_op.f('ix_residents_address'))

    op.drop_table('residents')
    with op.batch_alter_table('operator_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operator_sessions_operator_id'))

    op.drop_table('operator_sessions')
    op.drop_table('idempotency_records')
    op.drop_table('operators')
    op.drop_table('households')
    op.drop_table('devices')
    op.drop_table('changes')
    op.drop_table('audit_log')
