"""Virtual My Number card: an APDU model of the text AP and the JPKI AP, and a vpcd client.

The card connects to vsmartcard-vpcd (pcscd driver) on localhost:35963 (reader "Virtual PCD 00 00";
35964 is "Virtual PCD 00 01"). vpcd framing: 2-byte big-endian length + payload; a 1-byte payload is
a control message (0 power off, 1 power on, 2 reset, 4 send ATR), anything else is a command APDU
answered with data + SW1 SW2 (doc §3.3). Fed from a synthetic ``Person``; never real data.

    python -m drivers.card.virtual [--port 35963] [--pin 1234] [--tries 3] [--remove-after N] ...
"""
from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import os
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field

from japan import mynumber

from . import tlv
from .protocol import (EF_BASIC_INFO, EF_CARD_CERT, EF_DIGESTS, EF_JPKI_AUTH_CERT, EF_JPKI_TOKEN, EF_MY_NUMBER, EF_TEXT_PIN,
                       EF_TEXT_PIN_A, EF_TEXT_PIN_B, JPKI_AP_AID, TEXT_AP_AID, VISUAL_AP_AID)

ATR = bytes.fromhex("3BE000FF8131FE4514")
DEFAULT_PORT = 35963
SW_OK = b"\x90\x00"


def make_my_number(first11: str) -> str:
    return first11 + str(mynumber.check_digit(first11))


@dataclass(frozen=True, repr=False)
class Person:
    """A synthetic card holder (架空). The repr masks everything personal."""
    name: str = "架空　太郎"
    address: str = "架空県さくら市桜町一丁目２番地３"
    birth_date: _dt.date = _dt.date(1985, 4, 1)
    sex: str = "1"
    my_number: str = field(default_factory=lambda: make_my_number("12345678901"))
    card_expiry: _dt.date = _dt.date(2033, 4, 1)
    security_code: str = "5678"
    pin: str = "1234"

    @property
    def code_b(self) -> str:
        return f"{self.birth_date:%y%m%d}{self.card_expiry.year:04d}{self.security_code}"

    def __repr__(self) -> str:
        return "Person(name=***, address=***, birth_date=***, sex=*, my_number=************, pin=****)"

    __str__ = __repr__


def build_basic_info_ef(person: Person) -> bytes:
    """FF 20 { DF 21 offsets, DF 22 name, DF 23 address, DF 24 birth YYYYMMDD, DF 25 sex } (doc §1.4)."""
    items = [tlv.encode(0xDF22, person.name.encode("utf-8")),
             tlv.encode(0xDF23, person.address.encode("utf-8")),
             tlv.encode(0xDF24, person.birth_date.strftime("%Y%m%d").encode("ascii")),
             tlv.encode(0xDF25, person.sex.encode("ascii"))]
    body_len = 11 + sum(map(len, items))
    outer_header = 2 + len(tlv.encode_length(body_len))
    offsets, pos = [], outer_header + 11
    for it in items:
        offsets.append(pos)
        pos += len(it)
    header = tlv.encode(0xDF21, b"".join(o.to_bytes(2, "big") for o in offsets))
    return tlv.encode(0xFF20, header + b"".join(items))


def build_my_number_ef(person: Person) -> bytes:
    # 17 bytes: DF 10 0C <12 digits> + 2 padding bytes ([unverified] padding value on real cards)
    return tlv.encode(0xDF10, person.my_number.encode("ascii")) + b"\xff\xff"


def build_digest_ef(ef01: bytes, ef02: bytes, *, corrupt: bool = False) -> bytes:
    outer = tlv.parse_one(ef02)
    attrs = outer.value[11:]
    d31 = hashlib.sha256(ef01).digest()
    d32 = bytearray(hashlib.sha256(attrs).digest())
    if corrupt:
        d32[0] ^= 0x01
    signature = hashlib.sha512(b"synthetic-signature" + d31 + bytes(d32)).digest() * 4   # 256 filler bytes
    return tlv.encode(0xFF30, tlv.encode(0xDF31, d31) + tlv.encode(0xDF32, bytes(d32)) + tlv.encode(0xDF33, signature))


_CERT_CACHE: dict[tuple[_dt.date, _dt.date], bytes] = {}


def build_auth_certificate(not_before: _dt.date, not_after: _dt.date) -> bytes:
    """A synthetic X.509 certificate standing in for the 利用者証明用電子証明書 (EC key: fast to make)."""
    key_ = (not_before, not_after)
    if key_ in _CERT_CACHE:
        return _CERT_CACHE[key_]
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    issuer = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Synthetic JPKI"),
                        x509.NameAttribute(NameOID.COMMON_NAME, "Synthetic User Authentication CA")])
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "SYNTHETIC-AUTH-0001")])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
            .serial_number(0x5A5A01)
            .not_valid_before(_dt.datetime.combine(not_before, _dt.time(), _dt.timezone.utc))
            .not_valid_after(_dt.datetime.combine(not_after, _dt.time(14, 59, 59), _dt.timezone.utc))
            .sign(key, hashes.SHA256()))
    der = cert.public_bytes(Encoding.DER)
    _CERT_CACHE[key_] = der
    return der


class VirtualMyNumberCard:
    """APDU-level model of a My Number card (text AP + JPKI AP). Thread-safe ``handle``.

    Options: pin/tries (PIN counter persists across resets like a real card), ``my_number_card=False``
    (every SELECT by AID → 6A 82), ``corrupt_digest`` (DF32 wrong), ``delay`` seconds per APDU.
    ``commands`` records every command header (never PIN bytes) for tests.
    """

    def __init__(self, person: Person | None = None, *, tries: int = 3, code_b_tries: int = 10,
                 my_number_card: bool = True, corrupt_digest: bool = False, delay: float = 0.0,
                 cert_not_after: _dt.date | None = None, code_b_opens_digests: bool = True,
                 signed: bool = False, tamper_signature: bool = False) -> None:
        self.person = person or Person()
        self.tries = tries
        self.max_tries = 3
        self.code_b_tries = code_b_tries
        self.my_number_card = my_number_card
        self.delay = delay
        self.code_b_opens_digests = code_b_opens_digests
        self.commands: list[bytes] = []
        self.verify_attempts = 0           # VERIFY commands carrying data (each can cost a try)
        self._lock = threading.Lock()
        self.ef01 = build_my_number_ef(self.person)
        self.ef02 = build_basic_info_ef(self.person)
        self.ef03 = build_digest_ef(self.ef01, self.ef02, corrupt=corrupt_digest)
        if signed:  # DF33 by a card key certified by the project's test issuer (EF 00 04)
            from .signature import make_signed_card_data

            digests = tlv.parse_one(self.ef03)
            fields = {c.tag: c.value for c in tlv.parse(digests.value)}
            self.ef03, self.ef04 = make_signed_card_data(fields[0xDF31], fields[0xDF32],
                                                         tamper_certificate=tamper_signature)
        else:
            self.ef04 = None
        expiry = cert_not_after or self.person.card_expiry
        self.cert = build_auth_certificate(_dt.date(expiry.year - 5, expiry.month, 1), expiry)
        self.reset()

    # -- state --
    def reset(self) -> None:
        with self._lock:
            self.df: bytes | None = None
            self.ef: int | None = None
            self.pin_ok = False
            self.code_b_ok = False
            self.code_a_ok = False

    def _files(self) -> dict[int, tuple[bytes, str]]:
        if self.df == TEXT_AP_AID:
            files = {EF_MY_NUMBER: (self.ef01, "a"), EF_BASIC_INFO: (self.ef02, "b"),
                     EF_DIGESTS: (self.ef03, "b" if self.code_b_opens_digests else "pin")}
            if self.ef04 is not None:
                files[EF_CARD_CERT] = (self.ef04, "b")
            return files
        if self.df == JPKI_AP_AID:
            return {EF_JPKI_AUTH_CERT: (self.cert, "free"), EF_JPKI_TOKEN: (b"JPKIAPICCTOKEN2".ljust(0x20, b"\x00"), "free")}
        return {}

    def _pins(self) -> set[int]:
        if self.df == TEXT_AP_AID:
            return {EF_TEXT_PIN, EF_TEXT_PIN_A, EF_TEXT_PIN_B}
        return set()

    # -- APDUs --
    def handle(self, apdu: bytes) -> bytes:
        if self.delay:
            time.sleep(self.delay)   # simulates a slow card (not test synchronisation)
        with self._lock:
            self.commands.append(bytes(apdu[:4]))
            try:
                return self._dispatch(bytes(apdu))
            except IndexError:
                return b"\x67\x00"

    def _dispatch(self, apdu: bytes) -> bytes:
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        if cla not in (0x00, 0x80):
            return b"\x6e\x00"
        if ins == 0xA4:
            return self._select(p1, p2, apdu)
        if ins == 0x20 and cla == 0x00:
            return self._verify(p1, p2, apdu)
        if ins == 0xB0 and cla == 0x00:
            return self._read_binary(p1, p2, apdu)
        return b"\x6d\x00"

    def _select(self, p1: int, p2: int, apdu: bytes) -> bytes:
        lc = apdu[4]
        data = apdu[5:5 + lc]
        if len(data) != lc:
            return b"\x67\x00"
        if p1 == 0x04:
            if self.my_number_card and data in (TEXT_AP_AID, JPKI_AP_AID, VISUAL_AP_AID):
                self.df, self.ef = data, None
                self.pin_ok = self.code_b_ok = self.code_a_ok = False   # security state is per DF
                return SW_OK
            return b"\x6a\x82"
        if p1 == 0x02:
            if lc != 2:
                return b"\x67\x00"
            fid = int.from_bytes(data, "big")
            if fid in self._files() or fid in self._pins():
                self.ef = fid
                return SW_OK
            return b"\x6a\x82"
        return b"\x6a\x86"

    def _verify(self, p1: int, p2: int, apdu: bytes) -> bytes:
        if p1 != 0x00 or p2 != 0x80:
            return b"\x6a\x86"
        if self.ef not in self._pins():
            return b"\x69\x86"
        if self.ef == EF_TEXT_PIN:
            secret, counter = self.person.pin, "tries"
        elif self.ef == EF_TEXT_PIN_B:
            secret, counter = self.person.code_b, "code_b_tries"
        else:
            secret, counter = self.person.my_number, None
        left = getattr(self, counter) if counter else 15
        if len(apdu) == 4:                       # status query: no try consumed
            return b"\x69\x84" if left == 0 else bytes([0x63, 0xC0 | min(left, 15)])
        self.verify_attempts += 1
        if left == 0:
            return b"\x69\x84"
        given = apdu[5:5 + apdu[4]]
        if given == secret.encode("ascii"):
            if counter == "tries":
                self.tries = self.max_tries
                self.pin_ok = True
            elif counter == "code_b_tries":
                self.code_b_ok = True
            else:
                self.code_a_ok = True
            return SW_OK
        if counter:
            left -= 1
            setattr(self, counter, left)
        return bytes([0x63, 0xC0 | min(left, 15)])

    def _read_binary(self, p1: int, p2: int, apdu: bytes) -> bytes:
        if p1 & 0x80:
            return b"\x6a\x86"            # SFI reads not modelled
        files = self._files()
        if self.ef not in files:
            return b"\x69\x86"
        content, access = files[self.ef]
        if access == "a" and not (self.pin_ok or self.code_a_ok):
            return b"\x69\x82"
        if access == "b" and not (self.pin_ok or self.code_b_ok):
            return b"\x69\x82"
        if access == "pin" and not self.pin_ok:
            return b"\x69\x82"
        offset = (p1 << 8) | p2
        le = apdu[4] if len(apdu) > 4 else 0
        le = 256 if le == 0 else le
        if offset >= len(content):
            return b"\x6b\x00"
        chunk = content[offset:offset + le]
        return chunk + (SW_OK if len(chunk) == le else b"\x62\x82")


# ---- vpcd client -----------------------------------------------------------------------------------
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        if _QUICKACK is not None:
            # vpcd writes the length and the APDU separately; acknowledging at once avoids the
            # Nagle / delayed-ACK stall (~40 ms per APDU) on Linux
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("vpcd closed the connection")
        buf += chunk
    return bytes(buf)


class VpcdCard:
    """Runs a ``VirtualMyNumberCard`` against vpcd in a background thread (insert = start, remove = stop).

    ``remove_after``: close the connection (card pulled) right after answering the N-th APDU, so the
    next command of the same transaction fails as on a real reader. Note: vsmartcard-vpcd 3.3 then does
    not notice a card re-inserted on that port until pcscd restarts (seen on Debian 12).
    """

    def __init__(self, card: VirtualMyNumberCard, *, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 remove_after: int | None = None) -> None:
        self.card, self.host, self.port, self.remove_after = card, host, port, remove_after
        self.apdus = 0
        self.removed = threading.Event()
        self.connected = threading.Event()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.error: BaseException | None = None

    def insert(self, timeout: float = 10.0) -> "VpcdCard":
        deadline = time.monotonic() + timeout
        while True:
            try:
                self._sock = socket.create_connection((self.host, self.port), timeout=2.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                self._stop.wait(0.05)    # vpcd not listening yet: bounded poll
        self._sock.settimeout(None)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connected.set()
        self._thread = threading.Thread(target=self._serve, name=f"vpcd-card-{self.port}", daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        sock = self._sock
        assert sock is not None
        try:
            while not self._stop.is_set():
                (size,) = struct.unpack("!H", _recv_exact(sock, 2))
                msg = _recv_exact(sock, size)
                if size == 1:
                    if msg[0] in (0, 1, 2):
                        self.card.reset()
                    elif msg[0] == 4:
                        sock.sendall(struct.pack("!H", len(ATR)) + ATR)
                    continue
                self.apdus += 1
                resp = self.card.handle(msg)
                sock.sendall(struct.pack("!H", len(resp)) + resp)
                if self.remove_after is not None and self.apdus >= self.remove_after:
                    break       # card pulled right after answering the N-th APDU
        except (ConnectionError, OSError) as exc:
            if not self._stop.is_set():
                self.error = exc
        finally:
            self._close()
            self.removed.set()

    def _close(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def remove(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._close()
        if self._thread is not None:
            self._thread.join(timeout)

    def __enter__(self) -> "VpcdCard":
        return self.insert() if not self.connected.is_set() else self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m drivers.card.virtual",
                                 description="Virtual My Number card (synthetic data) for vsmartcard-vpcd.")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=DEFAULT_PORT, help="35963 = 'Virtual PCD 00 00', 35964 = '... 00 01'")
    ap.add_argument("--pin", default="1234")
    ap.add_argument("--tries", type=int, default=3, help="PIN tries left (0 = locked)")
    ap.add_argument("--name", default=Person.name)
    ap.add_argument("--address", default=Person.address)
    ap.add_argument("--birth", default="1985-04-01", help="YYYY-MM-DD")
    ap.add_argument("--sex", default="1", choices=["1", "2", "9"])
    ap.add_argument("--my-number-first11", default="12345678901")
    ap.add_argument("--expiry", default="2033-04-01", help="card expiry YYYY-MM-DD")
    ap.add_argument("--security-code", default="5678")
    ap.add_argument("--remove-after", type=int, default=None, help="pull the card right after answering the N-th APDU")
    ap.add_argument("--delay", type=float, default=0.0, help="seconds per APDU (slow card)")
    ap.add_argument("--corrupt-digest", action="store_true")
    ap.add_argument("--not-my-number-card", action="store_true", help="answer 6A 82 to every SELECT by AID")
    args = ap.parse_args(argv)
    person = Person(name=args.name, address=args.address, birth_date=_dt.date.fromisoformat(args.birth),
                    sex=args.sex, my_number=make_my_number(args.my_number_first11),
                    card_expiry=_dt.date.fromisoformat(args.expiry), security_code=args.security_code, pin=args.pin)
    card = VirtualMyNumberCard(person, tries=args.tries, my_number_card=not args.not_my_number_card,
                               corrupt_digest=args.corrupt_digest, delay=args.delay)
    vc = VpcdCard(card, host=args.host, port=args.port, remove_after=args.remove_after)
    try:
        vc.insert(timeout=30.0)
    except OSError as exc:
        print(f"cannot reach vpcd on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    print(f"virtual card inserted on {args.host}:{args.port} (pid {os.getpid()})", flush=True)
    try:
        vc.removed.wait()
    except KeyboardInterrupt:
        pass
    finally:
        vc.remove()
    print("virtual card removed", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
