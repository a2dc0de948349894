"""My Number card protocol over a ``Transport`` (pure Python; no PC/SC, no Qt).

APDUs, file map and digest rules follow ../shared/docs/mynumber-card.md §1.2-§1.8:
券面事項入力補助AP (text AP) for My Number (EF 00 01) and 基本4情報 (EF 00 02) with the digests in
EF 00 03; JPKI AP EF 00 0A for the 利用者証明用 certificate. VERIFY is never retried here; any
error (status word or transport) raises before a result object exists, so partial data is discarded.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from japan import mynumber

from . import tlv
from .errors import (CardError, IntegrityError, LastTryNeedsConfirmation, MalformedData, NotMyNumberCard,
                     NotVerified, PinLocked, UnexpectedStatus, error_for_sw)

TEXT_AP_AID = bytes.fromhex("D3921000310001010408")   # 券面事項入力補助AP
VISUAL_AP_AID = bytes.fromhex("D3921000310001010402")  # 券面事項確認AP (not read here)
JPKI_AP_AID = bytes.fromhex("D392F000260100000001")    # 公的個人認証AP

EF_MY_NUMBER = 0x0001
EF_BASIC_INFO = 0x0002
EF_DIGESTS = 0x0003
EF_CARD_CERT = 0x0004         # the card's text-AP key, certified by the issuer (verifies DF33)
EF_TEXT_PIN = 0x0011          # 券面事項入力補助用暗証番号 (4 digits)
EF_TEXT_PIN_A = 0x0014        # 照合番号A (My Number)
EF_TEXT_PIN_B = 0x0015        # 照合番号B (YYMMDD + expiry year + security code)
EF_JPKI_AUTH_CERT = 0x000A    # 利用者証明用電子証明書
EF_JPKI_TOKEN = 0x0006

MY_NUMBER_EF_LEN = 17         # readers read 17 bytes of EF 00 01 (doc §1.3)
MAX_LE = 0xFF                 # short APDUs only (contactless-safe)

# ISO 5218, all four codes: a card is issued with 1, 2 or 9, but "0" (not known) is a legal value
# of the standard and is shown as 不明 for the clerk to check, not refused as malformed.
SEX_LABELS = {"0": ("不明", "not known"), "1": ("男", "male"), "2": ("女", "female"),
              "9": ("適用不能", "not applicable")}


@runtime_checkable
class Transport(Protocol):
    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Send one command APDU; return (response data, SW1SW2 as an int). Raises TransportError."""
        ...


# ---- results (frozen, masked reprs) ----------------------------------------------------------------
def _masked(cls_name: str, **shown: object) -> str:
    inner = ", ".join(f"{k}={v}" for k, v in shown.items())
    return f"{cls_name}({inner})"


@dataclass(frozen=True, repr=False)
class BasicInfo:
    """基本4情報 as printed on the card (UTF-8 text from EF 00 02)."""
    name: str
    address: str
    birth_date: _dt.date
    sex: str                  # "0" 不明 / "1" 男 / "2" 女 / "9" 適用不能 (ISO 5218)
    digests_verified: bool    # DF32 matched the bytes read

    @property
    def sex_label_ja(self) -> str:
        return SEX_LABELS.get(self.sex, ("不明", "unknown"))[0]

    def __repr__(self) -> str:
        return _masked("BasicInfo", name="***", address="***", birth_date="***", sex="*",
                       digests_verified=self.digests_verified)

    __str__ = __repr__


@dataclass(frozen=True, repr=False)
class MyNumberResult:
    my_number: str
    check_digit_ok: bool
    digest_verified: bool

    def __repr__(self) -> str:
        return _masked("MyNumberResult", my_number="************", check_digit_ok=self.check_digit_ok,
                       digest_verified=self.digest_verified)

    __str__ = __repr__


@dataclass(frozen=True, repr=False)
class TextApRead:
    """One 4-digit-PIN read: the 4情報 and, only if asked for, the My Number; ``signature`` is the
    DF33 chain result when pinned issuer keys were given (``None``: not checked)."""
    basic_info: BasicInfo
    my_number: MyNumberResult | None
    signature: Any = None

    def __repr__(self) -> str:
        return _masked("TextApRead", basic_info=repr(self.basic_info),
                       my_number=repr(self.my_number) if self.my_number else None)

    __str__ = __repr__


@dataclass(frozen=True)
class AuthCertificate:
    """利用者証明用電子証明書 (no personal data in it beyond a serial; public)."""
    der: bytes = field(repr=False)
    not_before: _dt.datetime
    not_after: _dt.datetime
    serial_number: int
    issuer: str

    def expired(self, now: _dt.datetime | None = None) -> bool:
        now = now or _dt.datetime.now(_dt.timezone.utc)
        return now > self.not_after

    def days_left(self, now: _dt.datetime | None = None) -> int:
        now = now or _dt.datetime.now(_dt.timezone.utc)
        return (self.not_after - now).days


@dataclass(frozen=True)
class PinStatus:
    tries_left: int
    locked: bool
    sw: int = 0x9000      # the status word the card answered to the no-data VERIFY


# ---- parsing ----------------------------------------------------------------------------------------
def parse_basic_info(ef: bytes) -> tuple[dict[int, bytes], bytes]:
    """Parse EF 00 02: FF 20 { DF 21 offsets, DF 22..DF 25 }. Returns the fields and the digest input
    (the FF20 value from the first field after the DF 21 header to the end; doc §1.5 "value[11:]")."""
    outer = tlv.parse_one(ef)
    if outer.tag != 0xFF20:
        raise MalformedData(message_en=f"EF 00 02 starts with tag {outer.tag:X}, expected FF20")
    children = tlv.parse(outer.value)
    if not children or children[0].tag != 0xDF21:
        raise MalformedData(message_en="EF 00 02 lacks the DF21 header")
    fields = {c.tag: c.value for c in children}
    for tag in (0xDF22, 0xDF23, 0xDF24, 0xDF25):
        if tag not in fields:
            raise MalformedData(message_en=f"EF 00 02 lacks tag {tag:X}")
    digest_input = outer.value[children[0].end:]
    return fields, digest_input


def basic_info_from_fields(fields: dict[int, bytes], digests_verified: bool) -> BasicInfo:
    try:
        name = fields[0xDF22].decode("utf-8")
        address = fields[0xDF23].decode("utf-8")
        birth_raw = fields[0xDF24].decode("ascii")
        sex = fields[0xDF25].decode("ascii")
        birth = _dt.date(int(birth_raw[0:4]), int(birth_raw[4:6]), int(birth_raw[6:8]))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedData(message_en=f"EF 00 02 field cannot be decoded ({type(exc).__name__})") from None
    if len(birth_raw) != 8 or sex not in SEX_LABELS:
        raise MalformedData(message_en="EF 00 02 birth date or sex has a wrong format")
    return BasicInfo(name=name, address=address, birth_date=birth, sex=sex, digests_verified=digests_verified)


def parse_my_number(ef: bytes) -> str:
    """EF 00 01: one TLV (private class, tag number 16 → DF 10) holding 12 ASCII digits, then padding."""
    item = tlv.parse_one(ef)
    try:
        value = item.value.decode("ascii")
    except UnicodeDecodeError:
        raise MalformedData(message_en="EF 00 01 is not ASCII") from None
    if len(value) != 12 or not value.isdigit():
        raise MalformedData(message_en="EF 00 01 does not hold 12 digits")
    return value


def parse_digests(ef: bytes) -> tuple[bytes, bytes, bytes]:
    """EF 00 03: FF 30 { DF 31 SHA-256(EF 00 01), DF 32 SHA-256(4情報), DF 33 signature }."""
    outer = tlv.parse_one(ef)
    if outer.tag != 0xFF30:
        raise MalformedData(message_en=f"EF 00 03 starts with tag {outer.tag:X}, expected FF30")
    fields = {c.tag: c.value for c in tlv.parse(outer.value)}
    try:
        d31, d32 = fields[0xDF31], fields[0xDF32]
    except KeyError:
        raise MalformedData(message_en="EF 00 03 lacks DF31/DF32") from None
    if len(d31) != 32 or len(d32) != 32:
        raise MalformedData(message_en="EF 00 03 digests are not SHA-256")
    return d31, d32, fields.get(0xDF33, b"")


def code_b(birth_yymmdd: str, expiry_year: str | int, security_code: str) -> bytes:
    """照合番号B: 生年月日 YYMMDD + 有効期限の西暦年 YYYY + セキュリティコード (4) = 14 ASCII digits."""
    value = f"{birth_yymmdd}{expiry_year}{security_code}"
    if len(birth_yymmdd) != 6 or len(str(expiry_year)) != 4 or len(security_code) != 4 \
            or len(value) != 14 or not value.isascii() or not value.isdigit():
        raise ValueError("照合番号B needs YYMMDD (6), expiry year (4) and security code (4) digits")
    return value.encode("ascii")


# ---- the card --------------------------------------------------------------------------------------
class MyNumberCard:
    """Protocol operations. Each public method is one complete read operation: run it inside one
    transport session (pcsc.CardSession gives one PC/SC transaction). Nothing is cached between calls."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport
        self.apdu_log: list[bytes] = []   # command headers only (CLA INS P1 P2) — never PINs or data

    # -- low level --
    def _tx(self, apdu: bytes) -> tuple[bytes, int]:
        self.apdu_log.append(apdu[:4])
        return self._t.transmit(apdu)

    def _ok(self, apdu: bytes, *, selecting_application: bool = False) -> bytes:
        data, sw = self._tx(apdu)
        if sw != 0x9000:
            raise error_for_sw(sw, selecting_application=selecting_application)
        return data

    def select_application(self, aid: bytes) -> None:
        self._ok(bytes([0x00, 0xA4, 0x04, 0x0C, len(aid)]) + aid, selecting_application=True)

    def select_ef(self, fid: int) -> None:
        self._ok(bytes([0x00, 0xA4, 0x02, 0x0C, 0x02, fid >> 8, fid & 0xFF]))

    def read_binary(self, offset: int, length: int) -> bytes:
        """Read ``length`` bytes from ``offset`` of the current EF in chunks with Le ≤ 0xFF."""
        out = bytearray()
        while len(out) < length:
            pos = offset + len(out)
            if pos > 0x7FFF:
                raise MalformedData(message_en="offset beyond 15-bit READ BINARY range")
            le = min(MAX_LE, length - len(out))
            data = self._ok(bytes([0x00, 0xB0, pos >> 8, pos & 0xFF, le]))
            if not data:
                raise MalformedData(message_en="READ BINARY returned no data")
            out += data[:le]
        return bytes(out)

    def read_tlv_ef(self, fid: int) -> bytes:
        """SELECT EF, read the first 7 bytes to learn the TLV's total length, then read the rest."""
        self.select_ef(fid)
        head = self.read_binary(0, 7)
        total = tlv.total_length(head)
        if total <= len(head):
            return head[:total]
        return head + self.read_binary(len(head), total - len(head))

    def _pin_status(self, pin_ef: int) -> PinStatus:
        self.select_ef(pin_ef)
        _data, sw = self._tx(bytes([0x00, 0x20, 0x00, 0x80]))   # no data: does not consume a try
        if sw & 0xFFF0 == 0x63C0:
            tries = sw & 0x0F
            return PinStatus(tries_left=tries, locked=tries == 0, sw=sw)
        if sw in (0x6984, 0x6983):
            return PinStatus(tries_left=0, locked=True, sw=sw)
        if sw == 0x9000:
            # not documented for these PINs; treat as "no counter reported"
            raise UnexpectedStatus(sw)
        raise error_for_sw(sw)

    def _verify(self, pin_ef: int, secret: bytes, *, confirm_last_try: bool) -> None:
        """Read the counter (free), then exactly one VERIFY. Never retried: a wrong value costs a try
        (WrongPin / PinLocked raised). No VERIFY is sent to a locked PIN, nor on the last try unless
        ``confirm_last_try`` (doc §1.8 UX rule)."""
        status = self._pin_status(pin_ef)      # also selects the PIN EF
        if status.locked:
            raise PinLocked(status.sw)
        if status.tries_left == 1 and not confirm_last_try:
            raise LastTryNeedsConfirmation()
        self._ok(bytes([0x00, 0x20, 0x00, 0x80, len(secret)]) + secret)

    # -- operations --
    def is_my_number_card(self) -> bool:
        """SELECT the text AP: False on 6A 82 (another card), errors otherwise propagate."""
        try:
            self.select_application(TEXT_AP_AID)
        except NotMyNumberCard:
            return False
        return True

    def pin_status(self) -> PinStatus:
        """券面事項入力補助用暗証番号 tries left, without consuming a try."""
        self.select_application(TEXT_AP_AID)
        return self._pin_status(EF_TEXT_PIN)

    def code_b_status(self) -> PinStatus:
        self.select_application(TEXT_AP_AID)
        return self._pin_status(EF_TEXT_PIN_B)

    def pin_tries_left(self) -> int:
        """Tries left; raises PinLocked if the PIN is locked."""
        st = self.pin_status()
        if st.locked:
            raise PinLocked(st.sw)
        return st.tries_left

    def read_text_ap(self, pin: str, *, include_my_number: bool = False,
                     confirm_last_try: bool = False, pinned_keys: Any = None) -> TextApRead:
        """VERIFY the 4-digit PIN once, read 4情報 (and My Number only when asked), check DF31/DF32;
        with ``pinned_keys`` (``signature.PinnedKeys``) also the DF33 signature chain."""
        if len(pin) != 4 or not pin.isascii() or not pin.isdigit():
            raise ValueError("the 券面事項入力補助用暗証番号 is 4 digits")
        self.select_application(TEXT_AP_AID)
        self._verify(EF_TEXT_PIN, pin.encode("ascii"), confirm_last_try=confirm_last_try)
        return self._read_after_verify(include_my_number=include_my_number, digests_required=True,
                                       pinned_keys=pinned_keys)

    def read_basic_info(self, pin: str, *, confirm_last_try: bool = False) -> BasicInfo:
        return self.read_text_ap(pin, include_my_number=False, confirm_last_try=confirm_last_try).basic_info

    def read_basic_info_with_code_b(self, birth_yymmdd: str, expiry_year: str | int, security_code: str, *,
                                    confirm_last_try: bool = False) -> BasicInfo:
        """照合番号B path: 4情報 without the resident's PIN (never the My Number). If EF 00 03 refuses
        (69 82) under 照合番号B the result says ``digests_verified=False`` instead of failing."""
        secret = code_b(birth_yymmdd, expiry_year, security_code)
        self.select_application(TEXT_AP_AID)
        self._verify(EF_TEXT_PIN_B, secret, confirm_last_try=confirm_last_try)
        return self._read_after_verify(include_my_number=False, digests_required=False).basic_info

    def _read_after_verify(self, *, include_my_number: bool, digests_required: bool,
                           pinned_keys: Any = None) -> TextApRead:
        ef02 = self.read_tlv_ef(EF_BASIC_INFO)
        fields, attrs_digest_input = parse_basic_info(ef02)
        ef01 = None
        if include_my_number:
            self.select_ef(EF_MY_NUMBER)
            ef01 = self.read_binary(0, MY_NUMBER_EF_LEN)
        try:
            ef03 = self.read_tlv_ef(EF_DIGESTS)
        except NotVerified:
            if digests_required:
                raise
            ef03 = None   # [unverified] whether 照合番号B opens EF 00 03 on real cards
        verified = False
        if ef03 is not None:
            d31, d32, _sig = parse_digests(ef03)
            if not hmac.compare_digest(hashlib.sha256(attrs_digest_input).digest(), d32):
                raise IntegrityError()
            if ef01 is not None and not hmac.compare_digest(hashlib.sha256(ef01).digest(), d31):
                raise IntegrityError()
            verified = True
        info = basic_info_from_fields(fields, verified)
        mn = None
        if ef01 is not None:
            number = parse_my_number(ef01)
            mn = MyNumberResult(my_number=number, check_digit_ok=mynumber.is_valid(number), digest_verified=verified)
        sig = None
        if pinned_keys is not None and ef03 is not None:
            from .errors import FileNotFound
            from .signature import verify as verify_signature

            try:
                ef04 = self.read_tlv_ef(EF_CARD_CERT)
            except (FileNotFound, NotVerified):
                ef04 = None
            sig = verify_signature(ef03, ef04, pinned_keys)
        return TextApRead(basic_info=info, my_number=mn, signature=sig)

    def read_auth_certificate(self) -> AuthCertificate:
        """JPKI 利用者証明用電子証明書 (EF 00 0A), readable without a PIN; reports its validity."""
        from cryptography import x509

        self.select_application(JPKI_AP_AID)
        self.select_ef(EF_JPKI_AUTH_CERT)
        head = self.read_binary(0, 4)
        if head[0] != 0x30 or head[1] != 0x82:
            raise MalformedData(message_en="certificate EF does not start with a DER SEQUENCE (30 82)")
        size = ((head[2] << 8) | head[3]) + 4
        der = head + self.read_binary(4, size - 4)
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError:
            raise MalformedData(message_en="certificate cannot be parsed") from None
        return AuthCertificate(der=der, not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
                               serial_number=cert.serial_number, issuer=cert.issuer.rfc4514_string())

    def read_jpki_token(self) -> str:
        """JPKI EF 00 06 token: JPKIAPICCTOKEN2 = My Number card (doc §1.7)."""
        self.select_application(JPKI_AP_AID)
        self.select_ef(EF_JPKI_TOKEN)
        return self.read_binary(0, 0x20).rstrip(b"\x00 \xff").decode("ascii", "replace")


__all__ = ["Transport", "MyNumberCard", "BasicInfo", "MyNumberResult", "TextApRead", "AuthCertificate",
           "PinStatus", "CardError", "parse_basic_info", "parse_my_number", "parse_digests", "code_b",
           "TEXT_AP_AID", "JPKI_AP_AID", "VISUAL_AP_AID"]
