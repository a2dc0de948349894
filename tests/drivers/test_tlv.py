import pytest

from drivers.card import tlv
from drivers.card.errors import MalformedData


def test_short_form_and_two_byte_tags():
    buf = bytes.fromhex("DF2203414243DF2501 31".replace(" ", ""))
    items = tlv.parse(buf)
    assert [(i.tag, i.value) for i in items] == [(0xDF22, b"ABC"), (0xDF25, b"1")]
    assert items[1].start == 6 and items[1].header_len == 3


@pytest.mark.parametrize("size,prefix", [(0x7F, b"\x7f"), (0x80, b"\x81\x80"), (0xFF, b"\x81\xff"),
                                         (0x100, b"\x82\x01\x00"), (0x1234, b"\x82\x12\x34")])
def test_long_form_lengths_round_trip(size, prefix):
    value = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    enc = tlv.encode(0xFF20, value)
    assert enc[:2] == b"\xff\x20" and enc[2:2 + len(prefix)] == prefix
    item = tlv.parse_one(enc + b"\xff\xff")          # trailing padding is ignored
    assert item.tag == 0xFF20 and item.value == value and item.constructed
    assert tlv.total_length(enc[:7]) == len(enc)


def test_three_byte_tag():
    enc = bytes.fromhex("5F8101") + b"\x02\xaa\xbb"
    # 5F 81 01: the continuation bit on 81 makes a 3-byte tag
    item = tlv.parse_one(enc)
    assert item.tag == 0x5F8101 and item.value == b"\xaa\xbb" and item.header_len == 4


@pytest.mark.parametrize("bad", ["DF22", "DF2205414243", "FF2080", "FF208401000000", "FF2082 01".replace(" ", "")])
def test_malformed_is_rejected(bad):
    with pytest.raises(MalformedData):
        tlv.parse(bytes.fromhex(bad))


def test_repr_hides_value():
    item = tlv.parse_one(tlv.encode(0xDF22, "架空　太郎".encode()))
    assert "架空" not in repr(item) and "DF22" in repr(item)
