"""The card reader behind the 本人確認 page: the only ui file that touches ``drivers.card``.

``CardAccess`` runs one protocol operation per reader session (PC/SC, or the in-memory virtual
card) and hands back plain app values: ``app.identity.CardIdentity`` for a reading, and
``app.identity.CardReadError`` for any failure the driver types (``drivers/card/errors.py``: status
words, PC/SC codes, malformed data), so the page needs no driver to say what went wrong. Every call
is made through the page's operations, never on the GUI thread. VERIFY is sent only by ``read`` —
once per call, never retried; the page calls it once per explicit action of the resident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from app.identity import SEX_FROM_CARD, CardIdentity, CardReadError
from drivers.card.errors import CardError, NotMyNumberCard
from drivers.card.memory import MemoryCardReader
from drivers.card.protocol import MyNumberCard
from drivers.card.virtual import Person, VirtualMyNumberCard

__all__ = ["CardAccess", "CardError", "virtual_card_access", "pcsc_card_access", "readers_present"]

T = TypeVar("T")


def card_read_error(exc: CardError) -> CardReadError:
    """The driver's typed error as the page shows it."""
    return CardReadError(exc.code, str(exc.message_ja), str(exc.message_en),
                         tries_left=getattr(exc, "tries_left", None))


class CardAccess:
    def __init__(self, reader: Any, *, virtual: bool, demo_pin: str = "",
                 pinned_keys: Any = None) -> None:
        self.reader = reader
        self.virtual = virtual
        self.pinned_keys = pinned_keys  # drivers.card.signature.PinnedKeys, or None: not checked
        self.demo_pin = demo_pin  # shown on screen for the built-in virtual card only

    def _run(self, op: Callable[[MyNumberCard], T]) -> T:
        try:
            return self.reader.run(op)
        except CardError as exc:
            raise card_read_error(exc) from None

    def tries_left(self) -> int:
        """PIN tries left without spending one (raises ``CardReadError``: pin_locked, …)."""
        return self.card_status()[0]

    def card_status(self) -> tuple[int, dt.datetime | None]:
        """(PIN tries left, expiry of the JPKI 利用者証明用 certificate) — no PIN, no try spent.
        The certificate is public; a card whose JPKI AP cannot be read answers ``None``. Another
        card (an old 住基カード, a bank card) is ``not_my_number_card``."""
        def op(card: MyNumberCard) -> tuple[int, dt.datetime | None]:
            if not card.is_my_number_card():
                raise NotMyNumberCard(sw=0x6A82)
            try:
                not_after: dt.datetime | None = card.read_auth_certificate().not_after
            except CardError:
                not_after = None
            return card.pin_tries_left(), not_after
        return self._run(op)

    def read(self, pin: str, *, with_my_number: bool, confirm_last_try: bool) -> CardIdentity:
        """One VERIFY and the reads; a transport error discards everything read so far."""
        result = self._run(lambda card: card.read_text_ap(
            pin, include_my_number=with_my_number, confirm_last_try=confirm_last_try,
            pinned_keys=self.pinned_keys))
        info = result.basic_info
        sig = result.signature
        if sig is None:
            signature = "not_checked"
        elif sig.verified:
            signature = "verified_test" if sig.test_key else "verified"
        else:
            signature = f"failed_{sig.reason}"
        number = result.my_number
        return CardIdentity(
            name=info.name, address=info.address, birth_date=info.birth_date,
            sex=SEX_FROM_CARD.get(info.sex, "unknown"),
            digests_verified=info.digests_verified,
            my_number=number.my_number if number else None,
            my_number_check_digit_ok=number.check_digit_ok if number else None,
            virtual=self.virtual, signature=signature)


def virtual_card_access(record: dict[str, Any], *, pin: str = "1234", tries: int = 3) -> CardAccess:
    """仮想カード for the demo (no reader attached): a synthetic card of this resident, with the
    demo PIN. Clearly labelled on screen; it goes through the same protocol code as a real card.
    A 転入 has no record here (``{}``): the card is a synthetic newcomer whose 券面 still shows
    the address in the municipality they come from."""
    if not record.get("birth_date"):
        record = {"name_kanji": "架空　転入", "address": "架空県もみじ市本町一丁目1番1号",
                  "birth_date": "1990-06-15", "sex": "female"}
    sex = {"male": "1", "female": "2"}.get(str(record.get("sex")), "9")
    person = Person(name=str(record.get("name_kanji") or ""),
                    address=str(record.get("address") or "") + (
                        f"　{record['katagaki']}" if record.get("katagaki") else ""),
                    birth_date=dt.date.fromisoformat(str(record.get("birth_date"))),
                    sex=sex, pin=pin)
    from drivers.card.signature import virtual_issuer

    return CardAccess(MemoryCardReader(VirtualMyNumberCard(person, tries=tries, signed=True)),
                      virtual=True, demo_pin=pin, pinned_keys=virtual_issuer())


VIRTUAL_READER_MARKS = ("Virtual PCD", "Madoguchi Test PCD")  # vsmartcard-vpcd slots, not hardware


def readers_present() -> bool:
    """Whether PC/SC sees at least one hardware reader (False when pcscd is not running). The
    vsmartcard-vpcd slots that scripts/setup.sh installs for the tests do not count."""
    try:
        from drivers.card.pcsc import list_readers

        return any(not any(mark in name for mark in VIRTUAL_READER_MARKS) for name in list_readers())
    except Exception:  # noqa: BLE001 - no service, no library, no reader: all mean "none"
        return False


def pcsc_card_access(preferred: str | None = None, keys_file: str | None = None) -> CardAccess:
    """A real reader; with ``keys_file`` (pinned issuer keys, JSON) the DF33 chain is verified."""
    from drivers.card.pcsc import PcscCardReader
    from drivers.card.signature import PinnedKeys

    pinned = PinnedKeys.load(keys_file) if keys_file else None
    try:
        return CardAccess(PcscCardReader(preferred=preferred), virtual=False, pinned_keys=pinned)
    except CardError as exc:
        raise card_read_error(exc) from None
