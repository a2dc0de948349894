"""japan.ruby: the furigana markup of the resident's screen (#23 point 2)."""
from __future__ import annotations

import pytest

from japan.ruby import RubyError, RubySegment, parse_ruby, plain_text


def test_segments_in_order_with_plain_text_between():
    assert parse_ruby("下の{枠|わく}に{署名|しょめい}してください") == (
        RubySegment("下の"), RubySegment("枠", "わく"), RubySegment("に"),
        RubySegment("署名", "しょめい"), RubySegment("してください"))


def test_text_without_markup_is_one_plain_segment():
    assert parse_ruby("Please sign in the box below.") == (
        RubySegment("Please sign in the box below."),)
    assert parse_ruby("") == ()


def test_adjacent_ruby_segments_and_segment_at_the_ends():
    assert parse_ruby("{確|かく}{認|にん}") == (RubySegment("確", "かく"), RubySegment("認", "にん"))


def test_plain_text_drops_the_readings():
    assert plain_text("しばらくお{待|ま}ちください") == "しばらくお待ちください"


@pytest.mark.parametrize("bad", [
    "{署名", "署名}", "{署名}", "{|しょめい}", "{署名|}", "{署{名|しょめい}", "{署名|しょ|めい}",
    "a}b{c|d}",
])
def test_malformed_markup_is_an_error(bad):
    with pytest.raises(RubyError):
        parse_ruby(bad)
