"""署名 (#23 point 3, K-WF-4.3): the resident's strokes as vectors with timing, checked and fitted."""
from __future__ import annotations

import pytest

from app.signature import Point, Proxy, Signature, SignatureError, Stroke, check


def sig(strokes, **kw):
    base = dict(input="mouse", width=400.0, height=100.0, signed_at="2026-12-07T00:00:00+00:00")
    base.update(kw)
    return Signature(tuple(Stroke(tuple(Point(*p) for p in s)) for s in strokes), **base)


def test_round_trip_keeps_timing_pressure_and_proxy():
    s = sig([[(10, 10, 0, 0.2), (50, 40, 16, 0.8)], [(60, 20, 40, None), (90, 30, 55, None)]],
            input="tablet", proxy=Proxy("clerk1", "physical"))
    back = Signature.from_json(s.to_json())
    assert back == s and back.pressure and back.point_count == 4
    assert "10" not in repr(s) and "clerk1" not in repr(s)


def test_paths_fit_the_unit_box_keeping_aspect():
    s = sig([[(0, 0, 0, None), (200, 50, 10, None)]])
    (path,) = s.paths()
    assert path[0] == (0.0, 0.375) and path[1] == (1.0, 0.625)


@pytest.mark.parametrize("strokes,kw,ja", [
    ([], {}, "署名がありません"),
    ([[(5, 5, 0, None)]], {}, "署名がありません"),
    ([[(5, 5, 0, None), (500, 5, 9, None)]], {}, "外の点"),
    ([[(5, 5, 0, 2.0), (6, 5, 9, 0.5)]], {}, "不正"),
    ([[(5, 5, 0, None), (6, 5, 9, None)]], {"input": "pen"}, "入力方法"),
    ([[(5, 5, 0, None), (6, 5, 9, None)]], {"proxy": Proxy("c", "other")}, "理由を入力"),
    ([[(5, 5, 0, None), (6, 5, 9, None)]], {"proxy": Proxy("c", "bribe")}, "理由を選んで"),
])
def test_unusable_signatures_are_refused_in_japanese(strokes, kw, ja):
    with pytest.raises(SignatureError) as err:
        check(sig(strokes, **kw))
    assert ja in err.value.message_ja


def test_unreadable_json_is_a_signature_error():
    with pytest.raises(SignatureError):
        Signature.from_json({"strokes": [[["x", 1, 2, None]]]})
