"""One keeper of Idempotency-Keys (app/commands.py, #20 point 4): a retry of the same draft keeps
its key, a refusal of its content or a change forgets it, and every key is a UUIDv7."""
from __future__ import annotations

import uuid

import pytest

from app.api_client import ApiError, CentralUnreachable
from app.commands import CommandKeys


def test_a_draft_keeps_its_key_until_it_is_forgotten():
    keys = CommandKeys()
    first = keys.key("entry")
    assert keys.key("entry") == first and keys.has("entry")
    assert keys.key(12) != first  # another draft, another command
    keys.forget("entry")
    assert keys.key("entry") != first


def test_keys_are_uuid7():
    keys = CommandKeys()
    values = {keys.key(i) for i in range(50)}
    assert len(values) == 50 and all(uuid.UUID(v).version == 7 for v in values)


@pytest.mark.parametrize("exc, kept", [
    (CentralUnreachable(), True),  # no answer: the command may have been applied
    (ApiError(503, "unavailable"), True),
    (ApiError(500, "internal"), True),
    (ApiError(422, "idempotency_key_reused"), True),
    (ApiError(422, "date_in_future"), False),  # the content was refused: a new command next
    (ApiError(403, "forbidden"), False),
    (ValueError("a bug on the way"), True),
])
def test_after_a_failure_the_key_is_kept_only_when_the_same_body_may_be_sent_again(exc, kept):
    keys = CommandKeys()
    key = keys.key("d")
    keys.failed("d", exc)
    assert (keys.key("d") == key) is kept


def test_clear_forgets_every_draft():
    keys = CommandKeys()
    a, b = keys.key("a"), keys.key("b")
    keys.clear()
    assert not keys.has("a") and not keys.has("b")
    assert {keys.key("a"), keys.key("b")}.isdisjoint({a, b})
