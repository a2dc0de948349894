"""署名 (the resident's one signature for the visit, 書かない窓口 K-WF-4.3, #23 point 3).

The resident signs once on the resident's screen; the strokes are kept as vectors with their timing
(and the pen's pressure where the tablet reports it) and placed on every form of the visit that needs
a signature. A ``Signature`` is made only by the resident's signature pad (ui/resident): the clerk's
window has no way to make one. A 代筆 (the clerk writes for a resident who cannot) is a signature
with ``proxy`` set: who wrote it and why, printed on the form as such.

Coordinates are in the pad's own box (``width`` × ``height``, pixels when signed); ``paths`` gives
them fitted into a unit box for drawing on a form at any size. Nothing here is written to disk or
logged; the repr never shows the strokes. No Qt.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

INPUTS = ("tablet", "touch", "mouse")
#: 代筆の理由 (the reasons a clerk may write for the resident), Japanese for the form and the screen.
PROXY_REASONS = {
    "physical": "身体の障害・けが等により本人が署名できない",
    "visual": "視覚の障害により本人が署名できない",
    "literacy": "本人が文字を書けない",
    "other": "その他（理由を記録）",
}
MAX_STROKES, MAX_POINTS = 400, 20_000
MIN_POINTS = 2  # a signature of fewer points is a tap, not a signature


class SignatureError(ValueError):
    """A signature that cannot be used; ``message_ja`` says why, for the clerk and the resident."""

    def __init__(self, message_ja: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_ja = message_ja


@dataclass(frozen=True)
class Point:
    """One sample of the pen: position in the pad's box, ms since the first sample, pressure 0–1
    (None when the input reports none: mouse, most touch screens)."""

    x: float
    y: float
    t_ms: int
    pressure: float | None = None


@dataclass(frozen=True)
class Stroke:
    """一画: the pen down, moved, lifted."""

    points: tuple[Point, ...]


@dataclass(frozen=True, repr=False)
class Proxy:
    """代筆: the clerk who wrote for the resident and the reason (a key of PROXY_REASONS). The note
    may say something of the resident's health: the repr shows the reason's key only."""

    writer: str  # the operator's login ID
    reason: str
    note: str = ""  # required when reason is "other"

    def __repr__(self) -> str:
        return f"Proxy(reason={self.reason!r})"


@dataclass(frozen=True, repr=False)
class Signature:
    """署名: strokes, the input they came from, the pad's box, when, and a 代筆 record if any."""

    strokes: tuple[Stroke, ...]
    input: str
    width: float
    height: float
    signed_at: str  # ISO 8601, UTC, when the resident confirmed it
    proxy: Proxy | None = None

    def __repr__(self) -> str:
        return (f"Signature(strokes={len(self.strokes)}, input={self.input!r}, "
                f"proxy={self.proxy is not None})")

    @property
    def point_count(self) -> int:
        return sum(len(s.points) for s in self.strokes)

    @property
    def pressure(self) -> bool:
        """Whether any sample carries the pen's pressure."""
        return any(p.pressure is not None for s in self.strokes for p in s.points)

    def paths(self) -> list[list[tuple[float, float]]]:
        """The strokes fitted into the unit box (aspect kept, centred), for drawing at any size."""
        xs = [p.x for s in self.strokes for p in s.points]
        ys = [p.y for s in self.strokes for p in s.points]
        if not xs:
            return []
        x0, y0 = min(xs), min(ys)
        span = max(max(xs) - x0, max(ys) - y0, 1e-9)
        dx, dy = (1 - (max(xs) - x0) / span) / 2, (1 - (max(ys) - y0) / span) / 2
        return [[((p.x - x0) / span + dx, (p.y - y0) / span + dy) for p in s.points]
                for s in self.strokes]

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.input, "width": self.width, "height": self.height,
            "signed_at": self.signed_at,
            "strokes": [[[p.x, p.y, p.t_ms, p.pressure] for p in s.points] for s in self.strokes],
            "proxy": None if self.proxy is None else {
                "writer": self.proxy.writer, "reason": self.proxy.reason, "note": self.proxy.note},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Signature:
        """The signature ``data`` describes, checked (``SignatureError`` when it is not usable)."""
        try:
            strokes = tuple(Stroke(tuple(Point(float(x), float(y), int(t),
                                               None if p is None else float(p))
                                         for x, y, t, p in stroke))
                            for stroke in data["strokes"])
            proxy = data.get("proxy")
            sig = cls(strokes=strokes, input=str(data["input"]), width=float(data["width"]),
                      height=float(data["height"]), signed_at=str(data["signed_at"]),
                      proxy=None if proxy is None else Proxy(str(proxy["writer"]),
                                                             str(proxy["reason"]),
                                                             str(proxy.get("note", ""))))
        except (KeyError, TypeError, ValueError) as exc:
            raise SignatureError("署名のデータを読み取れません", "unreadable signature data") from exc
        check(sig)
        return sig


def check(sig: Signature) -> None:
    """Raise ``SignatureError`` unless ``sig`` is a usable signature."""
    if sig.input not in INPUTS:
        raise SignatureError("署名の入力方法が不明です", f"unknown input {sig.input!r}")
    if not (math.isfinite(sig.width) and math.isfinite(sig.height)) or sig.width <= 0 \
            or sig.height <= 0:
        raise SignatureError("署名欄の大きさが不正です", "invalid pad size")
    if len(sig.strokes) > MAX_STROKES or sig.point_count > MAX_POINTS:
        raise SignatureError("署名の画数が多すぎます。消して書き直してください",
                             "too many strokes or points")
    if sig.point_count < MIN_POINTS:
        raise SignatureError("署名がありません。署名欄にお名前を書いてください", "empty signature")
    for s in sig.strokes:
        for p in s.points:
            if not (math.isfinite(p.x) and math.isfinite(p.y)) or not (
                    -1 <= p.x <= sig.width + 1 and -1 <= p.y <= sig.height + 1):
                raise SignatureError("署名欄の外の点があります", "point outside the pad")
            if p.t_ms < 0 or (p.pressure is not None and not 0 <= p.pressure <= 1):
                raise SignatureError("署名のデータが不正です", "invalid time or pressure")
    if sig.proxy is not None:
        if sig.proxy.reason not in PROXY_REASONS:
            raise SignatureError("代筆の理由を選んでください", "unknown proxy reason")
        if not sig.proxy.writer.strip():
            raise SignatureError("代筆した職員が記録されていません", "proxy writer missing")
        if sig.proxy.reason == "other" and not sig.proxy.note.strip():
            raise SignatureError("代筆の理由を入力してください", "proxy reason note missing")
