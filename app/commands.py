"""Commands and their Idempotency-Keys (コマンドの冪等キー): one place makes and keeps them.

Every command a screen sends to the centre (a 届出 to 審査, an approval, a certificate, a 判断依頼,
a 申告) carries an ``Idempotency-Key``: the centre applies a key once and answers a retry with the
stored result, so a lost answer never applies a command twice. ``CommandKeys`` keeps one key per
draft — whatever the page names the thing it is sending (``"entry"``, a case id, …):

* the same draft sent again (a retry after a network failure) keeps its key;
* a draft that changed, or a command that got its final answer, forgets it (``forget``), so the
  corrected entry is a new command;
* after a failure, ``failed`` keeps the key only when the command may have been applied or may be
  sent again as it is (no answer, a server error, the centre saying the key is in use), and
  forgets it when the centre refused the content (a 4xx problem is final for that body).

One kind of key for the whole client: UUIDv7 (``app.outbox.uuid7``, time-ordered), as the outbox's
queued commands use. No Qt.
"""
from __future__ import annotations

from collections.abc import Hashable

from app.api_client import ApiError, CentralUnreachable
from app.outbox import uuid7

#: A problem after which the same body may be sent again with the same key.
RETRY_SAME_KEY = frozenset({"idempotency_key_reused"})


class CommandKeys:
    """The Idempotency-Key of each draft a page sends (see the module's docstring)."""

    def __init__(self) -> None:
        self._keys: dict[Hashable, str] = {}

    def key(self, draft: Hashable = "draft") -> str:
        """The draft's key: the one it was sent with before, or a new one."""
        key = self._keys.get(draft)
        if key is None:
            key = self._keys[draft] = str(uuid7())
        return key

    def has(self, draft: Hashable = "draft") -> bool:
        return draft in self._keys

    def forget(self, draft: Hashable = "draft") -> None:
        """The draft changed, or its command was settled: the next send is a new command."""
        self._keys.pop(draft, None)

    def failed(self, draft: Hashable, exc: BaseException) -> None:
        """Keep or forget the key after ``exc`` (see the module's docstring)."""
        if isinstance(exc, CentralUnreachable):
            return
        if isinstance(exc, ApiError) and (exc.status >= 500 or exc.code in RETRY_SAME_KEY):
            return
        if isinstance(exc, ApiError):
            self.forget(draft)

    def clear(self) -> None:
        """Forget every key (the session or the page's subject ended)."""
        self._keys.clear()
