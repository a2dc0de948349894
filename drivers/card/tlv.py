"""Minimal BER-TLV (ISO 7816-4 / X.690) reader and writer: multi-byte tags, short and long-form lengths."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import MalformedData


@dataclass(frozen=True)
class Tlv:
    tag: int            # tag bytes as an integer, e.g. 0xFF20, 0xDF22, 0x7F21, 0x30
    value: bytes
    start: int          # offset of the tag's first byte in the parsed buffer
    header_len: int     # tag + length bytes

    @property
    def end(self) -> int:
        return self.start + self.header_len + len(self.value)

    @property
    def constructed(self) -> bool:
        first = self.tag.to_bytes((self.tag.bit_length() + 7) // 8 or 1, "big")[0]
        return bool(first & 0x20)

    def __repr__(self) -> str:  # values may be personal data: never show them
        return f"Tlv(tag=0x{self.tag:X}, len={len(self.value)})"


def read_header(buf: bytes, pos: int = 0) -> tuple[int, int, int]:
    """Parse tag and length at ``pos``: returns (tag, length, header length). Raises MalformedData."""
    try:
        start = pos
        first = buf[pos]
        tag = first
        pos += 1
        if first & 0x1F == 0x1F:
            while True:
                b = buf[pos]
                tag = (tag << 8) | b
                pos += 1
                if not b & 0x80:
                    break
                if pos - start > 4:
                    raise MalformedData(message_en="BER tag too long")
        lb = buf[pos]
        pos += 1
        if lb < 0x80:
            length = lb
        elif lb == 0x80:
            raise MalformedData(message_en="indefinite BER length is not used on this card")
        else:
            n = lb & 0x7F
            if n > 3:
                raise MalformedData(message_en="BER length too long")
            if pos + n > len(buf):
                raise IndexError
            length = int.from_bytes(buf[pos:pos + n], "big")
            pos += n
        return tag, length, pos - start
    except IndexError:
        raise MalformedData(message_en="truncated BER header") from None


def parse(buf: bytes, start: int = 0, end: int | None = None) -> list[Tlv]:
    """All TLVs laid end to end in buf[start:end]. Raises MalformedData on truncation."""
    end = len(buf) if end is None else end
    out: list[Tlv] = []
    pos = start
    while pos < end:
        tag, length, hl = read_header(buf[:end], pos)
        vstart = pos + hl
        if vstart + length > end:
            raise MalformedData(message_en="BER value runs past the end of the data")
        out.append(Tlv(tag, bytes(buf[vstart:vstart + length]), pos, hl))
        pos = vstart + length
    return out


def parse_one(buf: bytes) -> Tlv:
    """The single TLV at the start of buf (trailing bytes, e.g. padding, are ignored)."""
    tag, length, hl = read_header(buf, 0)
    if hl + length > len(buf):
        raise MalformedData(message_en="BER value runs past the end of the data")
    return Tlv(tag, bytes(buf[hl:hl + length]), 0, hl)


def total_length(header: bytes) -> int:
    """Length of the whole TLV (header + value) given at least its first few bytes."""
    _tag, length, hl = read_header(header, 0)
    return hl + length


def encode_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def encode(tag: int, value: bytes) -> bytes:
    return tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big") + encode_length(len(value)) + value
