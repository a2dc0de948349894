"""ルビ (furigana) markup: ``{署名|しょめい}してください`` — base text with its reading in braces.

One tiny format for text that is shown or printed with its reading above the kanji (the resident's
screen, ui/resident; a form may print it too). ``{base|reading}`` is a ruby segment; everything
else is plain text. A ``{`` or ``}`` that is not part of a well-formed segment is an error
(``RubyError``), so a typo in a translation is found by the tests instead of shown to a resident.
Text with no braces (the English translations) is one plain segment.

Pure Python, no Qt, no I/O; imports nothing of the project.
"""
from __future__ import annotations

from dataclasses import dataclass


class RubyError(ValueError):
    """Malformed ruby markup (an unmatched brace, a segment without ``|`` or with an empty part)."""


@dataclass(frozen=True)
class RubySegment:
    """One run of text: ``base`` with its ``reading`` above it, or plain when ``reading`` is None."""

    base: str
    reading: str | None = None


def parse_ruby(text: str) -> tuple[RubySegment, ...]:
    """The segments of ``text`` in order; neighbouring plain text is one segment, empty text none."""
    segments: list[RubySegment] = []
    plain: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "}":
            raise RubyError(f"unmatched '}}' at {i}")
        if ch != "{":
            plain.append(ch)
            i += 1
            continue
        end = text.find("}", i + 1)
        if end < 0:
            raise RubyError(f"unmatched '{{' at {i}")
        body = text[i + 1:end]
        if "{" in body:
            raise RubyError(f"nested '{{' at {i}")
        base, bar, reading = body.partition("|")
        if not bar or "|" in reading or not base or not reading:
            raise RubyError(f"a ruby segment is {{base|reading}}, at {i}")
        if plain:
            segments.append(RubySegment("".join(plain)))
            plain = []
        segments.append(RubySegment(base, reading))
        i = end + 1
    if plain:
        segments.append(RubySegment("".join(plain)))
    return tuple(segments)


def plain_text(text: str) -> str:
    """``text`` without its readings (for screen readers, window titles, search)."""
    return "".join(s.base for s in parse_ruby(text))
