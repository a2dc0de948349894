import datetime as dt

import pytest

from app.residents import PURPOSE_CODES, ResidentSummary, normalize_birth_date, search_params


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1980-04-01", "1980-04-01"),
        ("1980/4/1", "1980-04-01"),
        ("１９８０／０４／０１", "1980-04-01"),
        ("19800401", "1980-04-01"),
        ("1980年4月1日", "1980-04-01"),
        (dt.date(1980, 4, 1), "1980-04-01"),
        ("1980-02-30", "1980-02-30"),  # left for the server to refuse
        ("昭和55年", "昭和55年"),
    ],
)
def test_normalize_birth_date(typed, expected):
    assert normalize_birth_date(typed) == expected


def test_search_params_drops_blanks_and_keeps_order_free():
    assert search_params("idou", None, name="  ", address="見本市", juminhyo_code=None) == {
        "purpose": "idou",
        "address": "見本市",
    }
    assert search_params("", None, name="山田") == {"name": "山田"}


def test_purposes_match_the_spec():
    assert PURPOSE_CODES == ("idou", "certificate", "identity", "tax", "inquiry", "review", "other")


def test_my_number_never_in_repr():
    resident = ResidentSummary.from_json(
        {"id": 1, "my_number": "123456789018", "my_number_disclosed": True, "name_kanji": "山田"}
    )
    assert resident.my_number == "123456789018"
    assert "123456789018" not in repr(resident)
    assert "123456789018" not in str(resident)
