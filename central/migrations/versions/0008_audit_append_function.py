"""audit_append(rows json): the audit chain's append as one server-side statement (#2, LOG-1)

The append lock, the chain head and the rows' insert in one call: a VOLATILE PL/pgSQL function
takes a new snapshot for each statement, so the head is read after the lock is held, as the
separate lock statement did before. The caller gets (seq, prev_hash, hash) per row, in order.
The hash is SHA-256 over the previous hash, a newline and the row's canonical JSON (its
``pre``, the seq, its ``post``: central.audit.payload_parts), exactly as central.audit.row_hash
and verify_chain compute it. PostgreSQL only; SQLite appends row by row in Python.

(2026-11-24)
"""
from alembic import op


revision, down_revision = '0008', '0007'  # Alembic's chain

APPEND_LOCK_ID = 0x6D61646F  # central.db.APPEND_LOCK_ID ("mado"), shared with the change feed
GENESIS = "0" * 64

UPGRADE = f"""
CREATE FUNCTION audit_append(rows json)
RETURNS TABLE (seq bigint, prev_hash varchar, hash varchar)
LANGUAGE plpgsql VOLATILE AS $fn$
#variable_conflict use_column
BEGIN
    PERFORM pg_advisory_xact_lock({APPEND_LOCK_ID});
    RETURN QUERY
    WITH RECURSIVE r AS (
        SELECT * FROM ROWS FROM (json_to_recordset(rows) AS (
            at varchar, operator varchar, device varchar, action varchar, subject text,
            purpose varchar, purpose_note text, outcome varchar, detail json, pre text,
            post text)
        ) WITH ORDINALITY AS x(at, operator, device, action, subject, purpose, purpose_note,
                               outcome, detail, pre, post, n)
    ), chain(n, seq, prev_hash, hash) AS (
        SELECT 0::bigint, h.seq, NULL::varchar, h.hash
        FROM (SELECT 0::bigint AS seq, '{GENESIS}'::varchar AS hash
              UNION ALL (SELECT a.seq, a.hash FROM audit_log a ORDER BY a.seq DESC LIMIT 1)
              ORDER BY seq DESC LIMIT 1) AS h
        UNION ALL
        SELECT r.n, c.seq + 1, c.hash,
               encode(sha256(convert_to(c.hash || E'\\n' || r.pre || (c.seq + 1)::text
                                        || r.post, 'UTF8')), 'hex')::varchar
        FROM chain c JOIN r ON r.n = c.n + 1
    ), written AS (
        INSERT INTO audit_log (seq, at, operator_login, device_id, action, subject, purpose,
                               purpose_note, outcome, detail, prev_hash, hash)
        SELECT c.seq, r.at, r.operator, r.device, r.action, r.subject, r.purpose,
               r.purpose_note, r.outcome, r.detail, c.prev_hash, c.hash
        FROM chain c JOIN r ON r.n = c.n
        ORDER BY c.n
        RETURNING audit_log.seq, audit_log.prev_hash, audit_log.hash
    )
    SELECT w.seq, w.prev_hash, w.hash FROM written w ORDER BY w.seq;
END
$fn$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(UPGRADE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_append(json)")
