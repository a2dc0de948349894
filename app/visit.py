"""来庁 (a counter visit): who came and in what capacity, the persons it concerns, each person's
本人確認 and card reading, the case (受付) and its draft, and where the clerk returns.

One ``Visit`` is the counter's working state between the pages: the search page chooses a person,
the 本人確認 page reads that person's card into the visit and records the check, the 受付・届出 page
takes the card's pre-fill from the visit, the 税 page asks whether the person was identified. Pages
read and change it only through the methods below; the shell (MainWindow) only navigates to where
``return_to`` says. A visit serves several persons (a household at one counter): each has its own
``Person`` entry, keyed by register id, or by a newcomer's place in the visit for a 転入 with no
record here yet.

Card data (個人番号 included, when the operator may read it) lives here only between the reading and
the record: ``identity_recorded`` turns it into the 届出's pre-fill (``CaseFile.card_values``, kept
in the session's encrypted cache when the case is parked) and drops the reading itself
(000 L4643). For a 特例転入 (``tokurei``) a newcomer's card is kept, in memory only, until that
member's 転入 is sent, because the 届出 carries the card read (central/tennyu_yotei.py). Nothing here is written to disk or logged; reprs never show personal data. No Qt.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from app import idou_entry
from app.identity import CardIdentity, CardReport, IdentityResult, check_card
from app.reception import CaseFile
from app.tokurei import TennyuYoteiHousehold, TennyuYoteiMember, TokureiEntry
from app.residents import ResidentSummary

#: Where the clerk goes back to after 本人確認 (the page that asked for it).
RETURN_SEARCH, RETURN_CASE, RETURN_TAX = "search", "case", "tax"


@dataclass(repr=False)
class Person:
    """One person the visit concerns (対象者): a resident chosen on the search page, or a newcomer
    (転入) whose card is read without a register record."""

    resident: ResidentSummary | None
    record: dict[str, Any] | None = None  # the register record fetched for the comparison
    newcomer_case: str | None = None  # a newcomer's check is recorded against this counter case
    report: CardReport | None = None  # the card read for this person, compared once
    identity: IdentityResult | None = None  # the 本人確認 recorded with the centre

    @property
    def resident_id(self) -> int | None:
        return self.resident.id if self.resident is not None else None

    @property
    def newcomer(self) -> bool:
        return self.resident is None

    def __repr__(self) -> str:
        return (f"Person(resident_id={self.resident_id}, card={self.report is not None}, "
                f"identified={self.identity is not None})")


@dataclass(repr=False)
class Visit:
    """The visit at this counter (see the module's docstring)."""

    case: CaseFile | None = None
    persons: list[Person] = field(default_factory=list)
    subject: Person | None = None  # the person the counter works on now
    checking: Person | None = None  # the person whose 本人確認 is on screen
    return_to: str | None = None
    tokurei: TokureiEntry | None = None  # the 特例転入 of a household, once a card found it
    newcomer_card: CardIdentity | None = None  # the newcomer's card just recorded (for 特例転入)

    # -- persons -----------------------------------------------------------------------------

    def person(self, resident: ResidentSummary | None) -> Person:
        """The visit's entry for ``resident`` (made on first use); None: a new newcomer entry."""
        if resident is not None:
            for p in self.persons:
                if p.resident_id == resident.id:
                    p.resident = resident  # the newer summary (version) wins
                    return p
        p = Person(resident)
        self.persons.append(p)
        return p

    def choose(self, resident: ResidentSummary | None) -> Person | None:
        """The search page chose ``resident`` (None: nobody) as the person worked on now."""
        self.subject = self.person(resident) if resident is not None else None
        if self.case is not None and resident is not None and resident.id not in self.case.resident_ids:
            self.case.resident_ids.append(resident.id)
        return self.subject

    def identity_of(self, resident_id: int | None) -> IdentityResult | None:
        """The matching 本人確認 recorded in this visit for the resident, if any."""
        for p in self.persons:
            if resident_id is not None and p.resident_id == resident_id and p.identity is not None \
                    and p.identity.matched:
                return p.identity
        return None

    # -- 本人確認 -------------------------------------------------------------------------------

    def begin_identity(self, resident: ResidentSummary | None, return_to: str | None,
                       newcomer_case: str | None = None) -> Person:
        """Start a 本人確認 of ``resident`` (None: a 転入's newcomer, recorded against
        ``newcomer_case`` or else the visit's case) for the page ``return_to``."""
        person = self.person(resident)
        person.record, person.report = None, None
        if resident is None:
            person.newcomer_case = newcomer_case
        self.checking, self.return_to = person, return_to
        return person

    def record_fetched(self, record: dict[str, Any]) -> None:
        """The register record to compare the card with has arrived."""
        if self.checking is not None:
            self.checking.record = record

    def card_read(self, card: CardIdentity) -> CardReport:
        """The card was read for the person being checked: compared once, kept until recorded."""
        person = self.checking
        if person is None:
            raise LookupError("no 本人確認 in progress")
        person.report = check_card(card, None if person.newcomer else (person.record or {}))
        return person.report

    def forget_card(self) -> None:
        """A card error or a new start: nothing read from a card stays."""
        if self.checking is not None:
            self.checking.report = None

    def card_result(self) -> IdentityResult | None:
        """The card-based 本人確認 to record for the person being checked."""
        person = self.checking
        if person is None or person.report is None:
            return None
        return person.report.result(person.resident_id, self._newcomer_case(person))

    def documents_result(self, items: tuple[str, ...]) -> IdentityResult | None:
        """A 本人確認 by documents for the person being checked (the rule is checked by the page
        with ``app.identity.documents_sufficient`` before it offers the record)."""
        person = self.checking
        if person is None:
            return None
        return IdentityResult(person.resident_id, "documents", True, items,
                              newcomer_case=self._newcomer_case(person))

    def _newcomer_case(self, person: Person) -> str | None:
        if not person.newcomer:
            return None
        if person.newcomer_case is not None:
            return person.newcomer_case
        return self.case.case_id if self.case is not None else None

    def identity_recorded(self, result: IdentityResult, seq: int | None) -> IdentityResult:
        """The centre recorded the check (its ``seq`` is what the 届出 names). For the case: the
        method and seq, and — a newcomer's card, matched — the 転入届's pre-fill; then the card
        reading is dropped."""
        result = replace(result, seq=seq)
        person = self.checking
        if person is None:
            return result
        person.identity = result
        report, person.report = person.report, None
        if self.case is not None and self.return_to == RETURN_CASE and result.matched:
            self.case.identity_method = result.method
            self.case.identity_check_seq = result.seq
            if report is not None and person.newcomer:
                self.newcomer_card = report.card if report.card.my_number else None
                filled = idou_entry.from_card("tennyu", report.card)
                self.case.card_values, self.case.card_notes = dict(filled.values), dict(filled.notes)
        return result

    def end_identity(self) -> str | None:
        """The 本人確認 page is left: where to go back to (then forgotten)."""
        back, self.return_to, self.checking = self.return_to, None, None
        return back

    # -- the case (受付) ---------------------------------------------------------------------

    def open_case(self, case: CaseFile) -> None:
        """受付を開始: the case joins the visit with the person chosen so far."""
        self.case = case
        if self.subject is not None and self.subject.resident_id is not None \
                and self.subject.resident_id not in case.resident_ids:
            case.resident_ids.append(self.subject.resident_id)

    def close_case(self) -> None:
        """The case left the counter (保留, or the page was reset): the visit starts over."""
        self.case, self.persons, self.subject, self.checking, self.return_to = None, [], None, None, None
        self.tokurei, self.newcomer_card = None, None

    # -- 特例転入 (転出証明書情報, #22 point 2) ----------------------------------------------------

    def take_newcomer_card(self) -> CardIdentity | None:
        """The newcomer's card recorded last (with its 個人番号), once: the case page looks the
        転入予定 household up with it or matches it to a member."""
        card, self.newcomer_card = self.newcomer_card, None
        return card

    def start_tokurei(self, household: TennyuYoteiHousehold, card: CardIdentity) -> TennyuYoteiMember:
        """The first card found the 転入予定 household: every member is pre-filled from it."""
        self.tokurei = TokureiEntry(household)
        return self.tokurei.add_card(card)

    def end_tokurei(self) -> None:
        """The 特例転入 is sent or given up: the cards' readings are dropped."""
        self.tokurei = None

    def resume_case(self, case: CaseFile) -> None:
        """再開: a parked case is back; its card pre-fill and 本人確認 seq come with it."""
        self.close_case()
        self.case = case

    def draft_values(self, kind: str, typed: dict[str, str], today: dt.date) -> dict[str, str]:
        """What the 届出 form of ``kind`` shows: the draft kept in the case when the clerk comes
        back to the same kind with nothing typed, else the register's pre-fill of the person
        chosen, what the clerk typed over it, and the card's values in the fields still empty."""
        case = self.case
        if case is not None and case.entry_kind == kind and case.entry_values and not typed:
            return dict(case.entry_values)
        r = self.subject.resident if self.subject is not None else None
        record = None if r is None else {"name_kanji": r.name_kanji, "name_kana": r.name_kana,
                                         "birth_date": r.birth_date, "sex": r.sex}
        return self.entry_values(kind, idou_entry.prefill(kind, record, None, today), typed)

    def entry(self, kind: str, values: dict[str, str]) -> idou_entry.Entry:
        """The 届出 as typed, about the person chosen (or the one a resumed draft was about), naming
        the 本人確認 recorded for the case."""
        r, case = (self.subject.resident if self.subject is not None else None), self.case
        rid = r.id if r is not None else (case.entry_resident_id if case else None)
        version = r.version if r is not None else (case.entry_version if case else None)
        return idou_entry.Entry(kind, values, rid, version, case.identity_check_seq if case else None)

    def keep_draft(self, kind: str | None, values: dict[str, str]) -> CaseFile | None:
        """The 届出 as it stands goes into the case (before 保留: nothing typed is lost)."""
        case = self.case
        if case is None:
            return None
        r = self.subject.resident if self.subject is not None else None
        case.entry_kind, case.entry_values = kind, dict(values)
        case.entry_resident_id = r.id if r is not None else None
        case.entry_version = r.version if r is not None else None
        return case

    def entry_values(self, kind: str, record_values: dict[str, str],
                     typed: dict[str, str]) -> dict[str, str]:
        """The 届出's fields for ``kind``: the register's pre-fill, what the clerk typed over it, and
        the card's values in whatever is still empty (the card never overwrites the clerk)."""
        values = dict(record_values)
        values.update({k: v for k, v in typed.items() if v and k in idou_entry.FIELDS[kind]})
        return idou_entry.fill_empty(values, self.card_values(kind))

    def card_values(self, kind: str) -> dict[str, str]:
        """What the card filled for ``kind`` (only a 転入 takes the card's 券面事項)."""
        if self.case is None or kind not in idou_entry.CARD_FIELDS:
            return {}
        return dict(self.case.card_values)

    def card_notes(self) -> dict[str, str]:
        return dict(self.case.card_notes) if self.case is not None else {}

    def __repr__(self) -> str:
        return (f"Visit(case={self.case.case_id if self.case else None}, persons={self.persons}, "
                f"return_to={self.return_to})")
