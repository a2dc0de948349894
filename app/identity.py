"""本人確認: comparing the card with the register, and the documents rule (WF-2, DQ-3, DQ-5).

``compare`` puts the card's 基本4情報 beside the register record, field by field. Normalisation
removes only what never carries meaning (full/half width, spaces); anything else that differs is
shown as a difference for the clerk to judge — e.g. 「一丁目２番地３」 on the card against
「一丁目2番3号」 in the register is flagged, not silently equated, and a name with 外字 or 代替文字
in the register is flagged as "needs a visual check" rather than a mismatch.

``documents_sufficient`` is the rule for identity without the card (000 L3286-3287): one photo ID,
or two other documents. What was checked is recorded with the case.
Plain functions and dataclasses; no Qt, no card driver (the worker turns card results into
``CardIdentity``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from japan.kana import fold_width

#: ISO 5218 codes as the card holds them (DF25): 0 not known, 1 male, 2 female, 9 not applicable.
SEX_FROM_CARD = {"0": "unknown", "1": "male", "2": "female", "9": "not_applicable"}
SEX_LABELS = {"male": "男", "female": "女", "not_applicable": "適用不能", "unknown": "不明"}


@dataclass(frozen=True, repr=False)
class CardIdentity:
    """What the card said (券面事項入力補助AP). The repr never shows it."""

    name: str
    address: str
    birth_date: dt.date
    sex: str  # male / female / not_applicable / unknown (ISO 5218 "0")
    digests_verified: bool
    my_number: str | None = None  # only when read with the right, never logged
    # Whether the 個人番号 read passes its check digit (番号法施行令 第8条); None when not read.
    my_number_check_digit_ok: bool | None = None
    virtual: bool = False  # the built-in virtual card (demo / no reader)
    # DF33 signature chain: not_checked (no pinned issuer key configured), verified,
    # verified_test (the project's test issuer: virtual cards only), or failed_<reason>
    signature: str = "not_checked"

    @property
    def signature_verified(self) -> bool:
        return self.signature in ("verified", "verified_test")

    def __repr__(self) -> str:
        return (f"CardIdentity(name=***, address=***, birth_date=***, sex=*, "
                f"digests_verified={self.digests_verified}, virtual={self.virtual})")

    __str__ = __repr__


class CardReadError(Exception):
    """A card or reader failure as the counter shows it: the driver's typed error (ISO 7816 status
    word or PC/SC code, ``drivers/card/errors.py``) in plain values, so a page needs no driver.
    ``code`` is the driver's (``pin_locked``, ``wrong_pin``, ``not_my_number_card``, …);
    ``tries_left`` only for a wrong PIN."""

    def __init__(self, code: str, message_ja: str, message_en: str,
                 tries_left: int | None = None) -> None:
        super().__init__(f"{code}: {message_en}")
        self.code, self.message_ja, self.message_en = code, message_ja, message_en
        self.tries_left = tries_left


@dataclass(frozen=True)
class FieldComparison:
    key: str  # name / address / birth_date / sex
    label: str
    card: str
    register: str
    status: str  # same / different / check (visual check needed: 外字・代替文字)


def _is_compat_ideograph(ch: str) -> bool:
    code = ord(ch)
    return 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F


_SUBSTITUTE_MARKS = {"\u3013", "\uFFFD"}  # 〓 (geta) and the replacement character stand for 外字


def name_needs_visual_check(name: str) -> bool:
    """Whether a name read from the card may hold 外字 or a 代替文字 the clerk must compare with the
    card face by eye (there is no register record to tell us, as for a 転入). True for a character
    outside JIS X 0208 (what the 券面事項入力補助AP cannot always carry as printed: 髙, 﨑, …), a
    private-use or CJK-compatibility code point, an ideographic variation selector, or the 〓 /
    U+FFFD marks that stand in for a character the card could not hold."""
    for ch in name or "":
        code = ord(ch)
        if ch in _SUBSTITUTE_MARKS or 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
            return True
        if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or _is_compat_ideograph(ch):
            return True
        if ch.isspace():
            continue
        try:
            ch.encode("shift_jis")
        except UnicodeEncodeError:
            return True
    return False


def normalise(text: str) -> str:
    """Width and spaces only: ``japan.kana.fold_width`` (NFKC) per character, then drop every space
    (half, full, ideographic). CJK compatibility ideographs are left alone: NFKC would fold a 異体字
    (e.g. U+FA30 侮) into its unified form and call two different registered characters the same.
    Not ``japan.kana.normalise_name``, the register's search key, which folds them."""
    out = []
    for ch in text or "":
        folded = ch if _is_compat_ideograph(ch) else fold_width(ch)
        out.extend(c for c in folded if not c.isspace())
    return "".join(out)


def compare(card: CardIdentity, record: dict[str, Any]) -> list[FieldComparison]:
    """The card beside the register record (``GET /v1/residents/{id}``)."""
    rows = []
    reg_name = str(record.get("name_kanji") or "")
    if normalise(card.name) == normalise(reg_name):
        status = "same"
    elif record.get("gaiji") or record.get("substitute_chars"):
        status = "check"  # the register uses 外字/代替文字 the card cannot show the same way
    else:
        status = "different"
    rows.append(FieldComparison("name", "氏名", card.name, reg_name, status))
    reg_address = str(record.get("address") or "")
    if record.get("katagaki"):
        reg_address_full = f"{reg_address}　{record['katagaki']}"
    else:
        reg_address_full = reg_address
    same_address = normalise(card.address) in (normalise(reg_address), normalise(reg_address_full))
    rows.append(FieldComparison("address", "住所", card.address, reg_address_full,
                                "same" if same_address else "different"))
    reg_birth = str(record.get("birth_date") or "")
    rows.append(FieldComparison("birth_date", "生年月日", card.birth_date.isoformat(), reg_birth,
                                "same" if card.birth_date.isoformat() == reg_birth else "different"))
    reg_sex = str(record.get("sex") or "")
    rows.append(FieldComparison("sex", "性別", SEX_LABELS.get(card.sex, card.sex),
                                SEX_LABELS.get(reg_sex, reg_sex),
                                "same" if card.sex == reg_sex else "different"))
    return rows


def all_match(rows: list[FieldComparison]) -> bool:
    return all(r.status == "same" for r in rows)


@dataclass(frozen=True, repr=False)
class CardReport:
    """One reading of a card for 本人確認: the card beside the register record (or, for a 転入, the
    card alone), made once by ``check_card`` and then read by the page, the 記録 and the 届出.

    ``rows`` are the comparisons (``newcomer``: the card's 券面事項 alone, status ``check`` where
    the clerk compares by eye, else ``card``); ``differences`` are the keys that differ, including
    ``my_number`` when the number read fails its check digit. The repr never shows the data."""

    card: CardIdentity
    rows: tuple[FieldComparison, ...]
    newcomer: bool

    @property
    def my_number_invalid(self) -> bool:
        """The card's 個人番号 was read and fails its check digit: not a number to rely on."""
        return self.card.my_number is not None and self.card.my_number_check_digit_ok is False

    @property
    def differences(self) -> tuple[str, ...]:
        keys = tuple(r.key for r in self.rows if r.status in ("different", "check")
                     and not self.newcomer)
        return keys + (("my_number",) if self.my_number_invalid else ())

    @property
    def matched(self) -> bool:
        """Everything the card holds agrees with the register (a 転入: nothing to disagree with)."""
        return not self.differences

    @property
    def name_needs_visual_check(self) -> bool:
        return any(r.key == "name" and r.status == "check" for r in self.rows)

    def result(self, resident_id: int | None, newcomer_case: str | None = None) -> IdentityResult:
        """The 本人確認 to record with the centre."""
        card = self.card
        return IdentityResult(resident_id, "card", self.matched, self.differences,
                              digests_verified=card.digests_verified,
                              signature_verified=card.signature_verified,
                              virtual_card=card.virtual, newcomer_case=newcomer_case)

    def __repr__(self) -> str:
        return f"CardReport(newcomer={self.newcomer}, differences={self.differences})"

    __str__ = __repr__


def check_card(card: CardIdentity, record: dict[str, Any] | None) -> CardReport:
    """本人確認 with the card (WF-2, DQ-3): the one comparison of a card with the register record
    (``GET /v1/residents/{id}``); ``record`` None is a 転入 with no record here yet, whose name is
    marked for a visual check when it may hold 外字/代替文字."""
    if record is None:
        name_status = "check" if name_needs_visual_check(card.name) else "card"
        rows = (FieldComparison("name", "氏名", card.name, "", name_status),
                FieldComparison("address", "住所（転入前）", card.address, "", "card"),
                FieldComparison("birth_date", "生年月日", card.birth_date.isoformat(), "", "card"),
                FieldComparison("sex", "性別", SEX_LABELS.get(card.sex, card.sex), "",
                                "check" if card.sex == "unknown" else "card"))
        return CardReport(card, rows, newcomer=True)
    return CardReport(card, tuple(compare(card, record)), newcomer=False)


# --- documents (書類による本人確認) -------------------------------------------------------------

PHOTO_IDS = {
    "drivers_license": "運転免許証",
    "passport": "旅券（パスポート）",
    "residence_card": "在留カード・特別永住者証明書",
    "disability_certificate": "身体障害者手帳（写真付き）",
    "driving_history": "運転経歴証明書",
}
OTHER_DOCUMENTS = {
    "health_insurance": "健康保険の資格確認書・被保険者証",
    "pension_book": "年金手帳・基礎年金番号通知書",
    "pension_certificate": "年金証書",
    "student_id": "学生証（写真なし）",
    "bank_book": "預金通帳・キャッシュカード",
    "utility_bill": "公共料金の領収書（氏名・住所記載）",
}


@dataclass(frozen=True)
class DocumentsVerdict:
    sufficient: bool
    reason_ja: str


def documents_sufficient(items: set[str]) -> DocumentsVerdict:
    """One photo ID, or two other documents (000 L3286)."""
    unknown = items - set(PHOTO_IDS) - set(OTHER_DOCUMENTS)
    if unknown:
        return DocumentsVerdict(False, "一覧にない書類が含まれています")
    if items & set(PHOTO_IDS):
        return DocumentsVerdict(True, "写真付きの本人確認書類1点で確認しました")
    others = len(items & set(OTHER_DOCUMENTS))
    if others >= 2:
        return DocumentsVerdict(True, f"写真のない書類{others}点で確認しました")
    return DocumentsVerdict(False, "写真付きの書類1点、または写真のない書類2点が必要です"
                            + (f"（現在{others}点）" if others else ""))


@dataclass(frozen=True)
class IdentityResult:
    """The outcome recorded with the case: how, what was checked, whether it matched."""

    resident_id: int | None  # None: a 転入 with no register record here yet (``newcomer_case``)
    method: str  # card / card_code_b / documents
    matched: bool
    items: tuple[str, ...] = ()  # documents checked (codes), or the fields that differed
    digests_verified: bool = False
    signature_verified: bool = False
    virtual_card: bool = False
    newcomer_case: str | None = None  # the counter case (CaseFile.case_id) of a 転入 without a record
    seq: int | None = None  # the centre's record of it, once recorded: the 届出 names it

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method, "matched": self.matched,
                               "items": list(self.items), "digests_verified": self.digests_verified,
                               "signature_verified": self.signature_verified,
                               "virtual_card": self.virtual_card}
        if self.resident_id is None:
            out["newcomer_case"] = self.newcomer_case
        else:
            out["resident_id"] = self.resident_id
        return out
