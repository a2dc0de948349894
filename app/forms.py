"""申請書 (the visit's forms, 書かない窓口 K-WF-4.3, K-DQ-12, #23): catalogue, sources and filling.

The catalogue is data (``resources/forms.toml``): each form names the procedures of
``resources/procedures.toml`` that need it, the division that receives it and, item by item, where
the value comes from (the 届出 entered here, the card, the register record, the interview's answers,
the visit, or the clerk typing on the form). ``forms_for`` picks the forms of a ``procedures.Plan``;
``sources_for`` gathers what the client holds about the case into a ``FormSources``; ``fill``
gives a ``FilledForm`` with the values, one row per 異動者 / 加入者 / child, and the labels of
the required items still empty. ``FilledForm.items`` is exactly what the division receives (only
the form's items: data minimisation by form) and ``digest`` ties the resident's confirmation to
the stored form. No form carries the 個人番号: the catalogue refuses a source naming it.

Dates are shown as the register prints them (和暦, ``japan.era.wareki``). Pure functions, no Qt, no
I/O but reading the catalogue; reprs never show personal data.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app import procedures
from app.idou_entry import KIND_LABELS
from app.reception import REQUESTER_KINDS
from japan import dates
from japan.era import parse_date, wareki

FORMS_PATH = Path(__file__).resolve().parent.parent / "resources" / "forms.toml"

#: The keys each source namespace offers (what ``sources_for`` fills). ``clerk`` has no key.
CASE_KEYS = frozenset({
    "kind", "kind_label", "idou_date", "todoke_date", "new_postal_code", "new_address",
    "new_katagaki", "old_address", "current_address", "head_name", "household_no",
    "moved_in_from", "moved_out_to", "postal_code", "address", "katagaki"})
CARD_KEYS = frozenset({"name_kanji", "birth_date", "sex", "moved_in_from"})
REGISTER_KEYS = frozenset({"name_kanji", "name_kana", "birth_date", "sex", "postal_code", "address",
                           "katagaki", "household_no", "relationship_to_head", "head_name"})
VISIT_KEYS = frozenset({"requester_name", "requester_kind", "identity_method", "todoke_date"})
PERSON_KEYS = frozenset({"name_kanji", "name_kana", "birth_date", "sex", "relationship_to_head",
                         "event"})
NAMESPACES = {"case": CASE_KEYS, "card": CARD_KEYS, "register": REGISTER_KEYS,
              "visit": VISIT_KEYS}
#: Never an item of a form (K-DQ-12; the 個人番号 is on no form this catalogue may describe).
FORBIDDEN_KEYS = frozenset({"my_number", "juminhyo_code"})
ROWS = ("all", "children", "seniors")
DATE_KEYS = frozenset({"birth_date", "idou_date", "todoke_date"})
SEX_LABELS = {"male": "男", "female": "女"}
IDENTITY_METHODS = {"card": "マイナンバーカード（ICチップ）", "card_code_b": "マイナンバーカード（券面）",
                    "documents": "本人確認書類"}
#: The 異動 kinds a field's ``required_kinds`` may name: those of the 異動届.
KINDS = tuple(KIND_LABELS)


class FormCatalogueError(procedures.CatalogueError):
    """The form catalogue is not usable; ``message_ja`` says why, for the administrator."""


@dataclass(frozen=True)
class FieldDef:
    """One item of a form: where its value comes from and whether it must be filled."""

    id: str
    label: str
    source: str  # "case.idou_date", "person.name_kanji", "clerk", ...
    required: bool
    required_kinds: tuple[str, ...] = ()
    width: float = 1.0  # a table column's relative width

    def required_for(self, kind: str | None) -> bool:
        return self.required or (kind is not None and kind in self.required_kinds)


@dataclass(frozen=True)
class Section:
    """A block of the form's page: header ``fields`` in order, or the ``table`` of person rows."""

    title: str
    fields: tuple[str, ...] = ()
    table: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormDef:
    """申請書・届書: one form of the catalogue."""

    id: str
    title: str
    procedures: tuple[str, ...]
    division: str
    division_id: str
    needs_signature: bool
    retention_years: int
    fields: tuple[FieldDef, ...]
    person_fields: tuple[FieldDef, ...]
    rows: str
    page: str
    sections: tuple[Section, ...]

    def field(self, field_id: str) -> FieldDef:
        for f in self.fields + self.person_fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)


@dataclass(frozen=True)
class FormCatalogue:
    version: int
    forms: tuple[FormDef, ...]

    def form(self, form_id: str) -> FormDef:
        for f in self.forms:
            if f.id == form_id:
                return f
        raise KeyError(form_id)


def _err(ja: str, en: str) -> FormCatalogueError:
    return FormCatalogueError(ja, en)


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _err(f"申請書カタログの {where} に {key} がありません", f"{where} has no {key}")
    return value


def _ascii_id(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = _text(entry, key, where)
    if not (value.isascii() and value.replace("_", "").isalnum()):
        raise _err(f"申請書カタログの {where} の {key}「{value}」は半角英数字と _ だけにしてください",
                   f"{where}.{key} must be ascii letters, digits and _")
    return value


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _err(f"申請書カタログの {where} は文字列の一覧でなければなりません",
                   f"{where} must be a list of strings")
    return tuple(value)


def _bool(entry: Mapping[str, Any], key: str, where: str) -> bool:
    value = entry.get(key)
    if not isinstance(value, bool):
        raise _err(f"申請書カタログの {where} の {key} は true か false です",
                   f"{where}.{key} must be true or false")
    return value


def check_source(source: str, *, person: bool, questions: Iterable[str], where: str) -> None:
    """Refuse a source the client cannot fill (or one naming the 個人番号)."""
    if source == "clerk":
        return
    space, _, key = source.partition(".")
    if key in FORBIDDEN_KEYS:
        raise _err(f"申請書カタログの {where} の項目「{source}」は申請書に載せられません（個人番号等）",
                   f"{where}: {source} may not be on a form")
    if space == "person" and person and key in PERSON_KEYS:
        return
    if space == "answer" and key in set(questions):
        return
    if space in NAMESPACES and key in NAMESPACES[space]:
        return
    raise _err(f"申請書カタログの {where} の値の出どころ「{source}」は使えません",
               f"{where}: unknown source {source!r}")


def _fields(items: Any, where: str, *, person: bool, questions: Iterable[str]) -> tuple[FieldDef, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise _err(f"申請書カタログの {where} は表の一覧でなければなりません", f"{where} must be a list")
    out: dict[str, FieldDef] = {}
    for i, f in enumerate(items):
        at = f"{where}[{i}]"
        fid = _ascii_id(f, "id", at)
        if fid in out:
            raise _err(f"申請書カタログの {where} に項目 {fid} が二度定義されています",
                       f"{where}: duplicate field {fid}")
        source = _text(f, "source", at)
        check_source(source, person=person, questions=questions, where=f"{where}.{fid}")
        kinds = _strs(f.get("required_kinds", []), f"{at}.required_kinds")
        for k in kinds:
            if k not in KINDS:
                raise _err(f"申請書カタログの {at} の required_kinds「{k}」は異動の種別ではありません",
                           f"{at}: unknown kind {k}")
        width = f.get("width", 1)
        if isinstance(width, bool) or not isinstance(width, (int, float)) or width <= 0:
            raise _err(f"申請書カタログの {at} の width は正の数です", f"{at}.width must be positive")
        out[fid] = FieldDef(fid, _text(f, "label", at), source, _bool(f, "required", at), kinds,
                            float(width))
    return tuple(out.values())


def _sections(layout: Any, where: str, fields: Sequence[FieldDef],
              person_fields: Sequence[FieldDef]) -> tuple[str, tuple[Section, ...]]:
    if not isinstance(layout, Mapping):
        raise _err(f"申請書カタログの {where} に layout がありません", f"{where} has no layout")
    page = layout.get("page", "A4")
    if page != "A4":
        raise _err(f"申請書カタログの {where} の用紙「{page}」は使えません（A4のみ）",
                   f"{where}: page must be A4")
    sections = []
    placed: list[str] = []
    tables = 0
    for i, s in enumerate(layout.get("sections") or []):
        at = f"{where}.sections[{i}]"
        title = _text(s, "title", at)
        if ("fields" in s) == ("table" in s):
            raise _err(f"申請書カタログの {at} は fields か table のどちらか一方を持ちます",
                       f"{at} needs either fields or table")
        if "table" in s:
            cols = _strs(s["table"], f"{at}.table")
            if sorted(cols) != sorted(f.id for f in person_fields):
                raise _err(f"申請書カタログの {at} の表の列が person_fields と一致しません",
                           f"{at}: table columns must be the person_fields, each once")
            tables += 1
            sections.append(Section(title, table=cols))
        else:
            names = _strs(s["fields"], f"{at}.fields")
            placed.extend(names)
            sections.append(Section(title, fields=names))
    known = [f.id for f in fields]
    for name in placed:
        if name not in known:
            raise _err(f"申請書カタログの {where} の配置が未定義の項目 {name} を参照しています",
                       f"{where}: layout names unknown field {name}")
    if sorted(placed) != sorted(known):
        missing = sorted(set(known) - set(placed)) or sorted({n for n in placed if placed.count(n) > 1})
        raise _err(f"申請書カタログの {where} の配置で項目 {', '.join(missing)} がちょうど一度ずつ"
                   "置かれていません", f"{where}: fields {missing} must be placed exactly once")
    if tables != (1 if person_fields else 0):
        raise _err(f"申請書カタログの {where} の配置に異動者の表がちょうど一つ必要です",
                   f"{where}: exactly one table section when there are person_fields")
    return page, tuple(sections)


def parse(data: Mapping[str, Any], catalogue: procedures.Catalogue) -> FormCatalogue:
    """Build and check a form catalogue from parsed TOML against the procedure catalogue."""
    forms: dict[str, FormDef] = {}
    questions = tuple(catalogue.questions)
    for i, f in enumerate(data.get("form", []) or []):
        where = f"form[{i}]"
        fid = _ascii_id(f, "id", where)
        if fid in forms:
            raise _err(f"申請書 {fid} が二度定義されています", f"duplicate form {fid}")
        where = f"申請書 {fid}"
        procs = _strs(f.get("procedures", []), f"{where}.procedures")
        if not procs:
            raise _err(f"{where} に手続き（procedures）がありません", f"form {fid} has no procedures")
        for p in procs:
            if p not in catalogue.procedures:
                raise _err(f"{where} が手続きカタログにない手続き {p} を参照しています",
                           f"form {fid}: unknown procedure {p}")
        retention = f.get("retention_years")
        if isinstance(retention, bool) or not isinstance(retention, int) or retention < 1:
            raise _err(f"{where} の retention_years（保存年限）は1以上の整数です",
                       f"form {fid}: retention_years must be a positive integer")
        rows = f.get("rows", "all")
        if rows not in ROWS:
            raise _err(f"{where} の rows「{rows}」は使えません", f"form {fid}: unknown rows {rows!r}")
        header = _fields(f.get("fields"), f"{where}.fields", person=False, questions=questions)
        person = _fields(f.get("person_fields"), f"{where}.person_fields", person=True,
                         questions=questions)
        if not header:
            raise _err(f"{where} に項目（fields）がありません", f"form {fid} has no fields")
        page, sections = _sections(f.get("layout"), where, header, person)
        forms[fid] = FormDef(fid, _text(f, "title", where), procs, _text(f, "division", where),
                             _ascii_id(f, "division_id", where),
                             _bool(f, "needs_signature", where), retention, header, person,
                             rows, page, sections)
    if not forms:
        raise _err("申請書カタログに申請書がありません", "no forms")
    return FormCatalogue(int(data.get("version", 1)), tuple(forms.values()))


def load(path: Path = FORMS_PATH, catalogue: procedures.Catalogue | None = None) -> FormCatalogue:
    """The form catalogue, checked against ``catalogue`` (the shipped procedures by default)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise _err("申請書カタログを読み込めません。情報主管課に連絡してください",
                   f"cannot read the form catalogue: {exc}") from exc
    return parse(data, catalogue if catalogue is not None else procedures.load())


def forms_for(plan: procedures.Plan, catalogue: FormCatalogue) -> list[FormDef]:
    """The forms the plan's procedures need, in catalogue order, each once."""
    wanted = {p.id for p in plan.procedures}
    return [f for f in catalogue.forms if wanted.intersection(f.procedures)]


# -- sources ---------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class FormSources:
    """What the client holds about the case, by source namespace (see forms.toml's header).
    ``persons`` is one mapping per 異動者 (PERSON_KEYS); ``clerk`` what the clerk typed on a form,
    by field id for an item and ``"<field id>.<row>"`` (row from 0) for a row's item."""

    kind: str | None = None  # the 異動 kind of the 届出 (tennyu, ...), for required_kinds
    case: Mapping[str, str] = field(default_factory=dict)
    persons: tuple[Mapping[str, str], ...] = ()
    card: Mapping[str, str] = field(default_factory=dict)
    register: Mapping[str, Any] = field(default_factory=dict)
    answers: Mapping[str, bool] = field(default_factory=dict)
    visit: Mapping[str, str] = field(default_factory=dict)
    clerk: Mapping[str, str] = field(default_factory=dict)
    today: dt.date | None = None  # the 届出日 the rows' ages are taken on, when none was entered

    def __repr__(self) -> str:
        return f"FormSources(kind={self.kind}, persons={len(self.persons)})"


def _s(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _get(obj: Any, key: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(key)
    return getattr(obj, key, None)


def person_row(who: Any, *, event: str = "", relationship_to_head: str | None = None) -> dict[str, str]:
    """One 異動者 row from a register record, a ``ResidentSummary``, a ``setai_todoke.NewPerson``
    or a mapping of the entry's fields: only PERSON_KEYS, never a number."""
    row = {k: _s(_get(who, k)) for k in ("name_kanji", "name_kana", "birth_date", "sex",
                                          "relationship_to_head")}
    if isinstance(_get(who, "birth_date"), dt.date):
        row["birth_date"] = _get(who, "birth_date").isoformat()
    if relationship_to_head:
        row["relationship_to_head"] = relationship_to_head
    row["event"] = event
    return row


def sources_for(case: Any, *, entry_kind: str | None = None,
                entry_values: Mapping[str, str] | None = None,
                record: Mapping[str, Any] | None = None,
                members: Sequence[Mapping[str, str]] | None = None,
                requester_name: str = "", clerk: Mapping[str, str] | None = None,
                today: dt.date | None = None) -> FormSources:
    """The sources of a case's forms from the client's state, as plain data.

    ``case`` is the ``reception.CaseFile`` (or anything with its attributes: ``entry_kind``,
    ``entry_values``, ``card_values``, ``answers``, ``requester_kind``, ``identity_method``);
    ``entry_kind``/``entry_values`` override the case's (the 届出 on screen, or a 世帯の届出's
    header values, ``setai_todoke.HEADER_FIELDS``); ``record`` is the register record of the
    person worked on (``Visit.subject.record`` or the resident summary's fields); ``members`` the
    rows of a 世帯の届出 (``person_row`` of each 異動者) — without them the single 届出's person
    is the one row. ``requester_name`` is the 届出人 as the clerk confirmed it (the person
    worked on when the resident came in person)."""
    kind = entry_kind if entry_kind is not None else _get(case, "entry_kind")
    values = {k: _s(v) for k, v in (entry_values if entry_values is not None
                                    else (_get(case, "entry_values") or {})).items()}
    card = {k: _s(v) for k, v in (_get(case, "card_values") or {}).items() if k in CARD_KEYS}
    reg = {k: _s(_get(record, k)) for k in REGISTER_KEYS if _get(record, k) is not None}
    if members:
        rows = tuple(dict(m) for m in members)
    else:
        base = {**reg, **{k: v for k, v in card.items() if v}}
        base.update({k: v for k, v in values.items() if v and k in PERSON_KEYS})
        founds = kind == "tennyu" and not values.get("household_no")  # a 転入 alone founds a 世帯
        rows = (person_row(base, event=kind or "",
                           relationship_to_head="世帯主" if founds else None),) if any(
            base.get(k) for k in ("name_kanji", "name_kana")) else ()
    head = next((r.get("name_kanji", "") for r in rows if r.get("relationship_to_head") == "世帯主"),
                "") or reg.get("head_name", "")
    new_address = values.get("address", "")
    new_postal = values.get("postal_code", "")
    old_address = ""
    if kind == "tennyu":
        old_address = values.get("moved_in_from") or card.get("moved_in_from", "")
    elif kind == "tenkyo":
        old_address = reg.get("address", "")
    elif kind == "tenshutsu":
        new_address, new_postal, old_address = values.get("moved_out_to", ""), "", reg.get("address", "")
    current = (values.get("address") if kind in ("tennyu", "tenkyo", "shussei") else "") \
        or reg.get("address", "")
    case_values = {
        **{k: v for k, v in values.items() if k in CASE_KEYS},
        "kind": kind or "", "kind_label": KIND_LABELS.get(kind or "", ""),
        "new_postal_code": new_postal, "new_address": new_address,
        "new_katagaki": values.get("katagaki", "") if kind in ("tennyu", "tenkyo", "shussei") else "",
        "old_address": old_address, "current_address": current, "head_name": head,
    }
    if kind == "tennyu" and not case_values.get("moved_in_from"):
        case_values["moved_in_from"] = card.get("moved_in_from", "")
    requester = _get(case, "requester_kind") or ""
    method = _get(case, "identity_method") or ""
    visit = {"requester_name": _s(requester_name),
             "requester_kind": REQUESTER_KINDS.get(requester, ""),
             "identity_method": IDENTITY_METHODS.get(method, ""),
             "todoke_date": values.get("todoke_date") or (today.isoformat() if today else "")}
    return FormSources(kind, case_values, rows, card, reg, dict(_get(case, "answers") or {}),
                       visit, dict(clerk or {}), today)


# -- filling ---------------------------------------------------------------------------------

def shown(key: str, value: Any) -> str:
    """A value as the form shows it: dates in 和暦 (as the register prints them), sex as 男/女,
    a yes/no answer as はい/いいえ; text as typed (a date the entry cannot read stays as typed)."""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    text = _s(value)
    if not text:
        return ""
    if key in DATE_KEYS:
        if dates.is_unknown_text(text):
            return dates.UNKNOWN_JA
        try:
            return wareki(parse_date(text).isoformat())
        except ValueError:
            return text
    if key == "sex":
        return SEX_LABELS.get(text, text)
    return text


def _value(f: FieldDef, sources: FormSources, row: Mapping[str, str] | None, index: int | None) -> str:
    """The item's value from its source; when the source has none, what the clerk typed for it
    (補記: an item no source could fill — a 続柄 the register summary lacks — is the clerk's to
    complete, under the same key as a ``clerk`` item)."""
    typed = _s(sources.clerk.get(f.id if index is None else f"{f.id}.{index}"))
    if f.source == "clerk":
        return typed
    return _from_source(f, sources, row) or typed


def _from_source(f: FieldDef, sources: FormSources, row: Mapping[str, str] | None) -> str:
    space, _, key = f.source.partition(".")
    if space == "person":
        return shown(key, (row or {}).get(key))
    if space == "answer":
        return shown(key, sources.answers[key]) if key in sources.answers else ""
    data = {"case": sources.case, "card": sources.card, "register": sources.register,
            "visit": sources.visit}[space]
    return shown(key, data.get(key))


def _reference_day(sources: FormSources) -> dt.date:
    for text in (sources.visit.get("todoke_date"), sources.case.get("todoke_date")):
        try:
            return parse_date(text or "")
        except ValueError:
            continue
    return sources.today or dt.date.today()


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def is_child(birth: dt.date, on: dt.date) -> bool:
    """児童 (児童手当法 第3条, since 令和6年10月): to the first 3月31日 after reaching 18 (one reaches
    an age the day before the birthday, 年齢計算ニ関スル法律)."""
    try:
        eighteenth = birth.replace(year=birth.year + 18)
    except ValueError:  # 2/29
        eighteenth = dt.date(birth.year + 18, 3, 1)
    reached = eighteenth - dt.timedelta(days=1)
    end = dt.date(reached.year if reached <= dt.date(reached.year, 3, 31) else reached.year + 1, 3, 31)
    return birth <= on <= end


def _rows(form: FormDef, sources: FormSources) -> list[tuple[int, Mapping[str, str]]]:
    if not form.person_fields:
        return []
    if form.rows == "all":
        return list(enumerate(sources.persons))
    on = _reference_day(sources)
    out = []
    for i, p in enumerate(sources.persons):
        try:
            birth = parse_date(p.get("birth_date", ""))
        except ValueError:
            continue  # an unreadable birth date: the clerk sees it on the 異動届
        if (form.rows == "children" and is_child(birth, on)) or (
                form.rows == "seniors" and _age(birth, on) >= 65):
            out.append((i, p))
    return out


@dataclass(frozen=True, repr=False)
class FilledForm:
    """A form filled from the sources: ``values`` (item id → text), ``rows`` (one mapping per
    row) and ``missing`` (the labels of required items still empty, for the clerk)."""

    form: FormDef
    values: Mapping[str, str]
    rows: tuple[Mapping[str, str], ...]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def items(self) -> dict[str, Any]:
        """Exactly the form's items, JSON-able: what its division receives."""
        return {"form_id": self.form.id, "title": self.form.title,
                "division_id": self.form.division_id,
                "values": {f.id: self.values.get(f.id, "") for f in self.form.fields},
                "rows": [{f.id: r.get(f.id, "") for f in self.form.person_fields}
                         for r in self.rows]}

    def canonical_json(self) -> bytes:
        return json.dumps(self.items(), ensure_ascii=False, sort_keys=True,
                          separators=(",", ":")).encode("utf-8")

    def digest(self) -> str:
        """sha256 (hex) of the canonical JSON of ``items``: ties the confirmation to the form."""
        return hashlib.sha256(self.canonical_json()).hexdigest()

    def __repr__(self) -> str:
        return (f"FilledForm(form={self.form.id}, rows={len(self.rows)}, "
                f"missing={len(self.missing)})")


def fill(form: FormDef, sources: FormSources) -> FilledForm:
    """The form's items from ``sources``; only the form's own items are read (K-DQ-12)."""
    values = {f.id: _value(f, sources, None, None) for f in form.fields}
    missing = [f.label for f in form.fields if f.required_for(sources.kind) and not values[f.id]]
    rows = []
    for n, (i, person) in enumerate(_rows(form, sources)):
        row = {f.id: _value(f, sources, person, n) for f in form.person_fields}
        rows.append(row)
        missing.extend(f"{f.label}（{n + 1}行目）" for f in form.person_fields
                       if f.required_for(sources.kind) and not row[f.id])
    if form.person_fields and not rows:
        table = next(s.title for s in form.sections if s.table)
        missing.append(table)
    return FilledForm(form, values, tuple(rows), tuple(missing))


def clerk_items(form: FormDef, sources: FormSources) -> list[tuple[str, str]]:
    """(key, label) of the items the clerk types on ``form``: its ``clerk`` items and every
    required item its sources leave empty (補記), keyed as ``FormSources.clerk`` keys them —
    ``<id>`` for an item, ``<id>.<row>`` for a row's (row from 0)."""
    bare = replace(sources, clerk={})
    out = [(f.id, f.label) for f in form.fields
           if f.source == "clerk" or (f.required_for(sources.kind) and not _value(f, bare, None, None))]
    for n, (_i, person) in enumerate(_rows(form, sources)):
        out.extend((f"{f.id}.{n}", f"{f.label}（{n + 1}行目）") for f in form.person_fields
                   if f.source == "clerk" or (f.required_for(sources.kind)
                                              and not _value(f, bare, person, n)))
    return out
