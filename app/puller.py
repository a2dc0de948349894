"""変更フィードの取り込み: the change-feed puller (SYNC-*, architecture §4).

The centre's ``GET /v1/changes?cursor=`` lists entity versions (kind, id, version, op) after a
cursor in commit order, without personal data. ``ChangePuller`` applies one page per cache
transaction: the versions and the new cursor commit together or not at all, so a crash or a lost
page never moves the cursor past something unapplied (the cursor never skips).

A page is checked before anything is applied: items strictly increasing, all after the cursor the
page was asked for, ``next_cursor`` equal to the last item. A page asked for an older cursor that
arrives late (a duplicate or reordered reply) applies only what is new: versions only move
forward and the cursor never moves back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.session_cache import SessionCache, entity_versions_table, meta_table

CURSOR_KEY = "feed_cursor"
BASE_KEY = "feed_base"

FetchFn = Callable[[int, int], dict[str, Any]]


class FeedError(ValueError):
    """A page of the change feed that cannot be right (変更フィードの応答が不正です)."""


@dataclass(frozen=True)
class Page:
    asked_cursor: int
    items: tuple[tuple[int, str, str, int, str], ...]  # (seq, entity, entity_id, version, op)
    next_cursor: int
    has_more: bool

    @classmethod
    def parse(cls, asked_cursor: int, body: Any) -> Page:
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            raise FeedError("not a change-feed page")
        items = []
        previous = asked_cursor
        for raw in body["items"]:
            try:
                item = (int(raw["seq"]), str(raw["entity"]), str(raw["entity_id"]),
                        int(raw["version"]), str(raw["op"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise FeedError("malformed change-feed item") from exc
            if item[0] <= previous:
                raise FeedError("change-feed items out of order or before the cursor")
            previous = item[0]
            items.append(item)
        try:
            next_cursor = int(body["next_cursor"])
        except (KeyError, TypeError, ValueError) as exc:
            raise FeedError("no next_cursor") from exc
        if next_cursor != previous:
            raise FeedError("next_cursor does not match the last item")
        return cls(asked_cursor, tuple(items), next_cursor, bool(body.get("has_more")))


class ChangePuller:
    """Pulls the change feed into one session cache."""

    def __init__(self, cache: SessionCache, fetch: FetchFn, *, page_size: int = 200) -> None:
        self.cache = cache
        self.fetch = fetch
        self.page_size = page_size

    def start_at_head(self) -> int:
        """A new session follows the feed from now on (not the centre's whole history): store the
        centre's current head as both base and cursor, once. Returns the cursor."""
        with self.cache.begin() as c:
            base = c.execute(select(meta_table.c.v)
                             .where(meta_table.c.k == BASE_KEY)).scalar_one_or_none()
        if base is not None:
            return self.cursor()
        body = self.fetch(2**62, 1)
        try:
            head = int(body["head"])
        except (KeyError, TypeError, ValueError) as exc:
            raise FeedError("no head in the change feed") from exc
        if head < 0:
            raise FeedError("negative head")
        with self.cache.begin() as c:
            if c.execute(select(meta_table.c.v).where(meta_table.c.k == BASE_KEY)).first() is None:
                c.execute(meta_table.insert(), [{"k": BASE_KEY, "v": str(head)}])
                if c.execute(select(meta_table.c.v).where(meta_table.c.k == CURSOR_KEY)).first() is None:
                    c.execute(meta_table.insert(), [{"k": CURSOR_KEY, "v": str(head)}])
        return self.cursor()

    def base(self) -> int:
        """Where this session started following the feed (0: from the beginning)."""
        with self.cache.begin() as c:
            value = c.execute(select(meta_table.c.v)
                              .where(meta_table.c.k == BASE_KEY)).scalar_one_or_none()
        return 0 if value is None else int(value)

    def cursor(self) -> int:
        with self.cache.begin() as c:
            value = c.execute(select(meta_table.c.v)
                              .where(meta_table.c.k == CURSOR_KEY)).scalar_one_or_none()
        return 0 if value is None else int(value)

    def versions(self) -> dict[tuple[str, str], int]:
        with self.cache.begin() as c:
            rows = c.execute(select(entity_versions_table.c.entity,
                                    entity_versions_table.c.entity_id,
                                    entity_versions_table.c.version)).all()
        return {(r.entity, r.entity_id): r.version for r in rows}

    def apply(self, page: Page) -> int:
        """Apply ``page`` atomically; returns how many versions moved forward."""
        moved = 0
        with self.cache.begin() as c:
            current = c.execute(select(meta_table.c.v)
                                .where(meta_table.c.k == CURSOR_KEY)).scalar_one_or_none()
            cursor = 0 if current is None else int(current)
            if page.asked_cursor > cursor:
                raise FeedError("a page asked beyond the stored cursor would skip changes")
            for seq, entity, entity_id, version, op in page.items:
                if seq <= cursor:
                    continue  # already applied (a duplicate or late page)
                key = (entity_versions_table.c.entity == entity) & (
                    entity_versions_table.c.entity_id == entity_id)
                known = c.execute(select(entity_versions_table.c.version).where(key)).scalar_one_or_none()
                if known is None:
                    c.execute(entity_versions_table.insert(), {
                        "entity": entity, "entity_id": entity_id, "version": version,
                        "op": op, "seq": seq})
                    moved += 1
                elif version > known:
                    c.execute(entity_versions_table.update().where(key).values(
                        version=version, op=op, seq=seq))
                    moved += 1
            if page.next_cursor > cursor:
                if current is None:
                    c.execute(meta_table.insert(), {"k": CURSOR_KEY, "v": str(page.next_cursor)})
                else:
                    c.execute(meta_table.update().where(meta_table.c.k == CURSOR_KEY)
                              .values(v=str(page.next_cursor)))
        return moved

    def pull_once(self) -> Page:
        """Fetch and apply the page after the stored cursor."""
        asked = self.cursor()
        page = Page.parse(asked, self.fetch(asked, self.page_size))
        self.apply(page)
        return page

    def pull_all(self, max_pages: int = 1000) -> int:
        """Pull until the feed has no more; returns the cursor reached."""
        for _ in range(max_pages):
            if not self.pull_once().has_more:
                break
        return self.cursor()
