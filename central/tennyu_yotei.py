"""転入予定者 (K-WF-4.6) from 転出証明書情報, and the rules of the 特例転入 (法24の2, #22 point 2).

The 住基ネット CS adapter
-------------------------
The real 市町村CS runs J-LIS software on a dedicated network and is never reached by the client
(requirements-catalogue.md, 市町村CS stub). This adapter stands in for it: the 転出証明書情報 the
former municipality sends ahead of the visit (特例転出, 引越しワンストップ) arrive as one JSON
document, fed by ``madoguchi-central cs-receive FILE`` or ``POST /v1/cs/tenshutsu-joho`` (情報システム
担当 with 特定個人情報アクセス権限), and are kept as 転入予定者 (``TennyuYotei``), one row per
person, the 個人番号 encrypted as the register stores it (ciphertext + blind index, crypto.py).
Neither the CLI nor the route ever prints or logs a number or a name: they answer counts and
certificate ids. The format (also in docs/cs-tenshutsu-joho.md)::

    {
      "format": "madoguchi.tenshutsu-shomeisho-joho/1",
      "sender": {"municipality": "架空県もみじ市", "code": "999021"},
      "sent_at": "2026-12-07T09:00:00Z",
      "certificates": [                      # one per group moving together (same 世帯, date, 転出先)
        {
          "certificate_id": "999021-2026-000001",    # unique per sender; a re-sent one is skipped
          "address": "架空県もみじ市…",               # 住所 in the former municipality (従前の住所)
          "householder_name": "紅葉　太郎",          # 世帯主の氏名 there
          "moved_out_to": "架空県さくら市…",          # 転出先 (the planned address here)
          "planned_date": "2026-12-01",              # 転出の予定年月日
          "members": [
            {"juminhyo_code": "12345678901",          # 11 digits
             "my_number": "123456789018",             # 12 digits, valid check digit, or null
             "name_kanji": "髙橋　花子", "name_kana": "タカハシ　ハナコ",
             "former_surname": "佐藤", "former_surname_kana": "サトウ",   # 旧氏, or null
             "substitute_chars": [{"position": 0, "original": "髙（はしごだか）",
                                   "substitute": "高"}],                 # 異体字, may be []
             "birth_date": "1988-04-02", "sex": "female",               # male / female
             "relationship_to_head": "妻",                              # 世帯主との続柄
             "honseki": "架空県もみじ市…", "hittousha": "髙橋　太郎",   # or null (外国人住民)
             "card_held": true,                                          # マイナンバーカード
             "qualifications": {"kokuho": true, "kouki": false, "kaigo": false,
                                "nenkin": true, "jidou_teate": false}}
          ]
        }
      ]
    }

The lookup at the counter
-------------------------
Reading one member's card gives its 個人番号 (券面事項入力補助AP) — or the clerk types the 住民票コード —
and ``lookup`` finds the 転入予定 household and answers every member's pre-fill data, 個人番号
included. It is therefore answered only to an operator holding 特定個人情報アクセス権限, the right
a My Number search needs (AUTHZ-2), whichever key is used; a refusal is audited with the persons it
concerns (``tennyu_yotei:ID``), never in the answer.

The 特例転入 (counter-domain.md §3.3, §3.6)
-----------------------------------------
``check_tokurei`` is what a 転入 applied from 転出証明書情報 must pass, person by person (the single
転入 of idou.py calls it; a household 届出 calls it for each member):
* the 転入予定者 is still pending (not already arrived);
* a member who holds a card brings it, read at the counter with its 4-digit PIN (a member of the
  household may bring the others' cards and type their PINs); a member without a card moves on
  the card of another member of the same group, and the group needs at least one card;
* the 届出 is made within 14 days of the day the person started living here (住み始めた日) and
  within 30 days of the 転出予定日 — both must hold, otherwise the special case is lost and the
  former municipality must issue a paper 転出証明書; a 届出 before the 住み始めた日 is too early.
  Municipalities have stretched the 30 days (60 in the COVID years), so both lengths are the
  policy setting ``tokurei_tennyu`` ``{"move_in_days": 14, "planned_days": 30}``;
* the card's data (個人番号, 氏名, 生年月日, 性別, 住所) equals the 転出証明書情報; a difference is
  refused with ``tokurei_card_mismatch`` naming the item (``item``), never the values;
* the 届出's person equals the 転出証明書情報 as well (``tokurei_info_mismatch``), and the 住民票
  コード and 個人番号 are carried over (法22①, 法7⑧の2): the new 住民票 gets the same ones.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from japan import mynumber
from japan.address import normalise_address
from japan.kana import normalise_name

from .crypto import MyNumberCipher
from .models import PolicySetting, TennyuYotei
from .problems import Problem, invalid_request, problem
from .rights import MY_NUMBER_ACCESS

FORMAT = "madoguchi.tenshutsu-shomeisho-joho/1"
POLICY_KEY = "tokurei_tennyu"
DEFAULT_LIMITS = {"move_in_days": 14, "planned_days": 30}
RECEIVED_BY_CLI = "cs-adapter"

Digits11 = Annotated[str, Field(pattern=r"^[0-9]{11}$")]
Digits12 = Annotated[str, Field(pattern=r"^[0-9]{12}$")]
Str100 = Annotated[str, Field(min_length=1, max_length=100)]
Str200 = Annotated[str, Field(min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QualificationFlags(_Strict):
    kokuho: bool = False  # 国民健康保険
    kouki: bool = False  # 後期高齢者医療
    kaigo: bool = False  # 介護保険
    nenkin: bool = False  # 国民年金
    jidou_teate: bool = False  # 児童手当


class SubstituteChar(_Strict):
    position: Annotated[int, Field(ge=0, le=99)]
    original: Annotated[str, Field(min_length=1, max_length=40)]
    substitute: Annotated[str, Field(min_length=1, max_length=4)]


class JohoMember(_Strict):
    """One person of a 転出証明書情報."""

    juminhyo_code: Digits11
    my_number: Digits12 | None = None
    name_kanji: Str100
    name_kana: Str100
    former_surname: Annotated[str, Field(max_length=50)] | None = None
    former_surname_kana: Annotated[str, Field(max_length=100)] | None = None
    substitute_chars: Annotated[list[SubstituteChar], Field(max_length=10)] = []
    birth_date: dt.date
    sex: Literal["male", "female"]
    relationship_to_head: Annotated[str, Field(min_length=1, max_length=20)]
    honseki: Annotated[str, Field(max_length=200)] | None = None
    hittousha: Annotated[str, Field(max_length=100)] | None = None
    card_held: bool = False
    qualifications: QualificationFlags = QualificationFlags()


class JohoCertificate(_Strict):
    """One 転出証明書情報: the persons moving together, their old address and the planned move."""

    certificate_id: Annotated[str, Field(pattern=r"^[0-9A-Za-z-]{1,40}$")]
    address: Str200
    householder_name: Str100
    moved_out_to: Str200
    planned_date: dt.date
    members: Annotated[list[JohoMember], Field(min_length=1, max_length=20)]


class JohoSender(_Strict):
    municipality: Str100
    code: Annotated[str, Field(pattern=r"^[0-9]{6}$")] | None = None


class JohoDocument(_Strict):
    """The document the CS adapter receives (the format above)."""

    format: Literal["madoguchi.tenshutsu-shomeisho-joho/1"]
    sender: JohoSender
    sent_at: dt.datetime | None = None
    certificates: Annotated[list[JohoCertificate], Field(min_length=1, max_length=1000)]


@dataclass(frozen=True)
class Received:
    """What a receipt did: certificates and persons stored, certificate ids skipped (re-sent)."""

    certificates: int
    persons: int
    skipped: tuple[str, ...]
    ids: tuple[int, ...]  # the TennyuYotei rows made (audit subjects)

    def answer(self) -> dict[str, Any]:
        return {"received": self.certificates, "persons": self.persons,
                "skipped": list(self.skipped)}


def parse(raw: bytes | str) -> JohoDocument:
    """The document, or a problem naming the fields that are wrong (never their values)."""
    try:
        return JohoDocument.model_validate_json(raw)
    except ValidationError as exc:
        raise invalid_request(exc.errors(include_url=False, include_input=False,
                                         include_context=False),
                              skip_source=False, what="転出証明書情報: ") from None


def _check_document(doc: JohoDocument) -> None:
    for ci, cert in enumerate(doc.certificates):
        codes: set[str] = set()
        for mi, m in enumerate(cert.members):
            where = f"certificates.{ci}.members.{mi}"
            if m.my_number is not None and not mynumber.is_valid(m.my_number):
                raise problem("my_number_check_digit", "A My Number's check digit is wrong",
                              "個人番号の検査用数字が一致しません", field=f"{where}.my_number")
            if m.juminhyo_code in codes:
                raise problem("invalid_request", "A 住民票コード is given twice",
                              "住民票コードが重複しています", field=f"{where}.juminhyo_code")
            codes.add(m.juminhyo_code)
        if not any(m.card_held for m in cert.members):
            raise problem("tokurei_no_card",
                          "A 転出証明書情報 is sent only for a group with a card holder",
                          "転出証明書情報には、マイナンバーカードを持つ方が一人以上必要です",
                          field=f"certificates.{ci}.members")


def receive(db: Session, cipher: MyNumberCipher, doc: JohoDocument, *,
            received_by: str) -> Received:
    """Store the document's 転出証明書情報 as 転入予定者 in the caller's transaction; a certificate
    id already received is skipped (the CS may send again), never stored twice."""
    _check_document(doc)
    made: list[TennyuYotei] = []
    skipped: list[str] = []
    certs = 0
    for cert in doc.certificates:
        if db.scalar(select(TennyuYotei.id).where(
                TennyuYotei.certificate_id == cert.certificate_id).limit(1)) is not None:
            skipped.append(cert.certificate_id)
            continue
        certs += 1
        for no, m in enumerate(cert.members, start=1):
            row = TennyuYotei(
                certificate_id=cert.certificate_id, member_no=no,
                from_municipality=doc.sender.municipality, juminhyo_code=m.juminhyo_code,
                my_number_enc=cipher.encrypt(m.my_number) if m.my_number else None,
                my_number_index=cipher.index(m.my_number) if m.my_number else None,
                name_kanji=m.name_kanji, name_kana=m.name_kana,
                former_surname=m.former_surname, former_surname_kana=m.former_surname_kana,
                substitute_chars=[s.model_dump() for s in m.substitute_chars],
                birth_date=m.birth_date, sex=m.sex, householder_name=cert.householder_name,
                relationship_to_head=m.relationship_to_head, address=cert.address,
                moved_out_to=cert.moved_out_to, planned_date=cert.planned_date,
                honseki=m.honseki, hittousha=m.hittousha, card_held=m.card_held,
                qualifications=m.qualifications.model_dump(), received_by=received_by,
                status="pending")
            db.add(row)
            made.append(row)
    db.flush()
    return Received(certs, len(made), tuple(skipped), tuple(r.id for r in made))


def subjects(rows: list[TennyuYotei]) -> str | None:
    """The audit subject of 転入予定者 rows (ids only, never a name)."""
    return ",".join(f"tennyu_yotei:{r.id}" for r in rows) or None


# --- the counter's lookup -----------------------------------------------------------------------


class LookupRequest(_Strict):
    """One member's card data (its 個人番号) or the 住民票コード; the purpose of the read."""

    my_number: Digits12 | None = None
    juminhyo_code: Digits11 | None = None
    purpose: Literal["idou"] = "idou"


def _household_rows(db: Session, req: LookupRequest, cipher: MyNumberCipher) -> list[TennyuYotei]:
    if req.my_number is not None:
        key = TennyuYotei.my_number_index == cipher.index(req.my_number)
    else:
        key = TennyuYotei.juminhyo_code == req.juminhyo_code
    hit = db.scalar(select(TennyuYotei).where(key, TennyuYotei.status == "pending")
                    .order_by(TennyuYotei.id.desc()).limit(1))
    if hit is None:
        return []
    return list(db.scalars(select(TennyuYotei).where(
        TennyuYotei.certificate_id == hit.certificate_id, TennyuYotei.status == "pending")
        .order_by(TennyuYotei.member_no)))


def lookup(db: Session, cipher: MyNumberCipher, req: LookupRequest, *, rights: dict[str, Any],
           today: dt.date) -> tuple[dict[str, Any], list[TennyuYotei]]:
    """The 転入予定 household of the person ``req`` names, every member's pre-fill data, and the
    rows (for the audit subject). Refused without 特定個人情報アクセス権限 (the refusal names the
    household for the audit row only, ``audit_subject``), or when nothing is pending."""
    if (req.my_number is None) == (req.juminhyo_code is None):
        raise problem("invalid_request", "Give the card's My Number or the 住民票コード, one of them",
                      "個人番号（カード）または住民票コードのどちらか一方を指定してください",
                      field="my_number")
    if req.my_number is not None and not mynumber.is_valid(req.my_number):
        raise problem("my_number_check_digit", "The My Number is not valid",
                      "個人番号が正しくありません（検査用数字が一致しません）", field="my_number")
    if MY_NUMBER_ACCESS not in rights:
        refused = problem("forbidden", "The 転入予定者 lookup answers My Numbers: it needs the My "
                          "Number access right",
                          "転入予定者の照会には特定個人情報アクセス権限が必要です")
        refused.audit_subject = subjects(_household_rows(db, req, cipher))  # type: ignore[attr-defined]
        raise refused
    rows = _household_rows(db, req, cipher)
    if not rows:
        raise problem("tennyu_yotei_not_found", "No pending 転出証明書情報 for this person",
                      "この方の転出証明書情報（転入予定者）は届いていません。転出証明書（紙）を確認するか、"
                      "転出元に照会してください")
    first = rows[0]
    limits = tokurei_limits(db)
    members = []
    for r in rows:
        members.append({
            "tennyu_yotei_id": r.id, "member_no": r.member_no,
            "juminhyo_code": r.juminhyo_code,
            "my_number": cipher.decrypt(r.my_number_enc) if r.my_number_enc else None,
            "name_kanji": r.name_kanji, "name_kana": r.name_kana,
            "former_surname": r.former_surname, "former_surname_kana": r.former_surname_kana,
            "substitute_chars": r.substitute_chars or [],
            "birth_date": r.birth_date.isoformat(), "sex": r.sex,
            "relationship_to_head": r.relationship_to_head, "honseki": r.honseki,
            "hittousha": r.hittousha, "card_held": r.card_held,
            "qualifications": r.qualifications or {}})
    answer = {"certificate_id": first.certificate_id,
              "from_municipality": first.from_municipality, "address": first.address,
              "householder_name": first.householder_name, "moved_out_to": first.moved_out_to,
              "planned_date": first.planned_date.isoformat(),
              "tokurei_until": (first.planned_date
                                + dt.timedelta(days=limits["planned_days"])).isoformat(),
              "members": members}
    return answer, rows


# --- the 特例転入 rules ---------------------------------------------------------------------------


class CardRead(_Strict):
    """What the counter read from one member's マイナンバーカード (券面事項入力補助AP, after its
    4-digit PIN was verified on the card): the 個人番号 and the 4情報 as the card holds them (住所
    is still the old one: the new address is written on the card after the 転入)."""

    my_number: Digits12
    name_kanji: Str100
    birth_date: dt.date
    sex: Literal["male", "female"]
    address: Str200
    pin_verified: bool = Field(description="the card's 4-digit PIN was entered and verified")


class Tokurei(_Strict):
    """A 転入 entered from 転出証明書情報 (特例転入): which 転入予定者 this person is, and the card
    read for them (null for a member without a card, who moves on another member's)."""

    tennyu_yotei_id: Annotated[int, Field(ge=1, le=2**31 - 1)]
    card: CardRead | None = None


def tokurei_limits(db: Session) -> dict[str, int]:
    """The municipality's limits (policy setting ``tokurei_tennyu``), else 14 and 30 days."""
    row = db.get(PolicySetting, POLICY_KEY)
    return {**DEFAULT_LIMITS, **(row.value if row is not None else {})}


ITEM_LABELS = {"my_number": "個人番号", "name_kanji": "氏名", "birth_date": "生年月日",
               "sex": "性別", "address": "住所", "juminhyo_code": "住民票コード",
               "name_kana": "フリガナ"}


def _name_forms(row: TennyuYotei) -> set[str]:
    """The name as compared: as sent, and with each 異体字 replaced by its substitute (a card may
    hold either form)."""
    name = row.name_kanji
    forms = {normalise_name(name)}
    chars = list(name)
    for s in row.substitute_chars or []:
        pos = s.get("position")
        if isinstance(pos, int) and 0 <= pos < len(chars):
            chars[pos] = s.get("substitute") or chars[pos]
    forms.add(normalise_name("".join(chars)))
    return forms


def _mismatch(code: str, item: str, what: str, where: str) -> Problem:
    label = ITEM_LABELS[item]
    if code == "tokurei_card_mismatch":
        en = f"The card's {item} differs from the 転出証明書情報"
        ja = (f"マイナンバーカードの{label}が転出証明書情報と一致しません。"
              "カードと本人を確認し、転出元市区町村に照会してください")
    else:
        en = f"The 届出's {item} differs from the 転出証明書情報"
        ja = f"届出の{label}が転出証明書情報と一致しません。転出証明書情報の内容で入力してください"
    return problem(code, en, ja, field=f"{where}.{item}", item=item, item_ja=label, what=what)


def check_tokurei(db: Session, cipher: MyNumberCipher, tokurei: Tokurei, person: Any, *,
                  idou_date: dt.date | None, todoke_date: dt.date,
                  today: dt.date) -> TennyuYotei:
    """The rules of the 特例転入 for one person (see the module's docstring); the 転入予定者 row
    the 届出 carries over from, or a Problem naming what fails. ``person`` is the 届出's person
    (idou.NewPerson): its 氏名, 生年月日, 性別, 個人番号 and 住民票コード must be the 転出証明書情報's.
    Nothing is written (the caller marks the row arrived once the 住民票 exists)."""
    row = db.get(TennyuYotei, tokurei.tennyu_yotei_id)
    if row is None:
        raise problem("tennyu_yotei_not_found", "No such 転入予定者",
                      "指定された転入予定者（転出証明書情報）が見つかりません",
                      field="tokurei.tennyu_yotei_id")
    if row.status != "pending":
        raise problem("tennyu_yotei_used", "This 転出証明書情報 was used by a 転入 already",
                      "この転出証明書情報による転入は既に記載されています",
                      field="tokurei.tennyu_yotei_id")
    # the card (and its PIN) of each card holder; a group needs one card at least
    card = tokurei.card
    if row.card_held and (card is None or not card.pin_verified):
        raise problem("tokurei_card_required",
                      "A card holder's card must be read with its PIN for the 特例転入",
                      "この方のマイナンバーカードの読み取りと暗証番号（4桁）の入力が必要です。"
                      "同じ世帯の方がカードを持参し暗証番号を入力することもできます",
                      field="tokurei.card")
    if card is not None and not card.pin_verified:
        raise problem("tokurei_card_required", "The card's PIN was not verified",
                      "マイナンバーカードの暗証番号（4桁）が確認されていません",
                      field="tokurei.card.pin_verified")
    if not row.card_held and db.scalar(select(TennyuYotei.id).where(
            TennyuYotei.certificate_id == row.certificate_id,
            TennyuYotei.card_held.is_(True)).limit(1)) is None:
        raise problem("tokurei_no_card", "Nobody in this group holds a card",
                      "同じ転出証明書情報にマイナンバーカードを持つ方がいないため、特例転入はできません",
                      field="tokurei.card")
    # the dates: both limits must hold; a 届出 before moving in is too early
    if idou_date is None:
        raise problem("invalid_request", "A 特例転入 states the day the person started living here",
                      "特例転入では住み始めた日（異動日）が必要です", field="idou_date")
    limits = tokurei_limits(db)
    if idou_date > todoke_date or idou_date > today:
        raise problem("tokurei_too_early", "The 転入 is notified before the person lives here",
                      "住み始める前に転入届はできません。住み始めた日以降に届け出てください",
                      field="idou_date")
    if (todoke_date - idou_date).days > limits["move_in_days"]:
        raise problem("tokurei_move_in_limit",
                      f"More than {limits['move_in_days']} days since the person started living "
                      "here: the special case is lost",
                      f"住み始めた日から{limits['move_in_days']}日を過ぎているため特例転入はできません。"
                      "転出元市区町村で転出証明書（紙）の交付を受けてください",
                      field="idou_date", days=limits["move_in_days"])
    if (todoke_date - row.planned_date).days > limits["planned_days"]:
        raise problem("tokurei_planned_date_limit",
                      f"More than {limits['planned_days']} days since the planned 転出 date: the "
                      "special case is lost",
                      f"転出予定日から{limits['planned_days']}日を過ぎているため特例転入はできません。"
                      "転出元市区町村で転出証明書（紙）の交付を受けてください",
                      field="todoke_date", days=limits["planned_days"])
    number = cipher.decrypt(row.my_number_enc) if row.my_number_enc else None
    # the card against the 転出証明書情報 (which item, never the values)
    if card is not None:
        checks = (("my_number", card.my_number == number),
                  ("name_kanji", normalise_name(card.name_kanji) in _name_forms(row)),
                  ("birth_date", card.birth_date == row.birth_date),
                  ("sex", card.sex == row.sex),
                  ("address", normalise_address(card.address) == normalise_address(row.address)))
        for item, same in checks:
            if not same:
                raise _mismatch("tokurei_card_mismatch", item, "card", "tokurei.card")
    # the 届出 against it: the identity data and the numbers carried over
    checks = (("name_kanji", normalise_name(person.name_kanji) in _name_forms(row)),
              ("name_kana", normalise_name(person.name_kana) == normalise_name(row.name_kana)),
              ("birth_date", person.birth_date == row.birth_date),
              ("sex", person.sex == row.sex),
              ("my_number", person.my_number == number),
              ("juminhyo_code", getattr(person, "juminhyo_code", None)
               in (None, row.juminhyo_code)))
    for item, same in checks:
        if not same:
            raise _mismatch("tokurei_info_mismatch", item, "person", "person")
    return row


# --- a paper 転出証明書 --------------------------------------------------------------------------


class PaperCertificate(_Strict):
    """The 転出証明書 (paper) the person brought, as the clerk typed it from the paper: the
    items a 転入 is checked against (令23: the certificate is attached to the 転入届)."""

    from_municipality: Str100  # 発行市区町村
    juminhyo_code: Digits11  # 住民票コード
    my_number: Digits12 | None = None  # 個人番号 (null when the certificate omits it)
    name_kanji: Str100
    birth_date: dt.date
    sex: Literal["male", "female"]
    address: Str200  # 住所 (従前の住所)
    moved_out_to: Str200  # 転出先
    planned_date: dt.date  # 転出の予定年月日


PAPER_LABELS = {**ITEM_LABELS, "moved_in_from": "従前の住所"}


def check_paper(paper: PaperCertificate, person: Any, *, moved_in_from: str,
                idou_date: dt.date | None, todoke_date: dt.date) -> None:
    """A 転入 from a paper 転出証明書: the 届出 must agree with the certificate — 氏名, 生年月日, 性別,
    住民票コード (carried over, 法22①), 個人番号 (carried over when printed, 法7⑧の2) and the 従前の
    住所 — or ``tenshutsu_shomeisho_mismatch`` names the item (never the values). The 転出先 is
    a plan: a person who settled at another address of this city is not refused (the 転入 records
    the real one). A 住み始めた日 long before the 転出予定日 is not refused either: the former
    municipality sets the 転出確定日 from the 転入通知. The 14 days of 法22 are a 届出 duty, not
    a reason to refuse a late 転入 (過料 is for the court), so they are not checked here."""
    del idou_date, todoke_date  # see above: no date refusals on a paper certificate
    checks = (("name_kanji", normalise_name(person.name_kanji) == normalise_name(paper.name_kanji)),
              ("birth_date", person.birth_date == paper.birth_date),
              ("sex", person.sex == paper.sex),
              ("juminhyo_code", getattr(person, "juminhyo_code", None) == paper.juminhyo_code),
              ("my_number", paper.my_number is None or person.my_number == paper.my_number),
              ("moved_in_from",
               normalise_address(moved_in_from) == normalise_address(paper.address)))
    for item, same in checks:
        if not same:
            label = PAPER_LABELS[item]
            field = "moved_in_from" if item == "moved_in_from" else f"person.{item}"
            raise problem("tenshutsu_shomeisho_mismatch",
                          f"The 届出's {item} differs from the 転出証明書",
                          f"届出の{label}が転出証明書と一致しません。転出証明書を確認してください",
                          field=field, item=item, item_ja=label)


def mark_arrived(row: TennyuYotei, resident_id: int) -> None:
    """The 転入予定者 has become a 住民票 (in the 転入's transaction)."""
    row.status, row.resident_id = "arrived", resident_id
