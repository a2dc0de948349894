"""この来庁の申請書 (the visit's forms, 書かない窓口 #23): from filled forms to stored signed forms.

The counter's rules of the loop, apart from any screen: every page of every form is shown to the
resident before the one signature is asked for (K-WF-4.3); a form still missing a required item
cannot be shown for signing; a form whose content changes after it was shown is shown again and the
signature, which was given for the old content, is dropped; a form that goes to another division
is stored only once the clerk has told the resident so (K-WF-4.5, K-PRIV-11), and that is recorded
with the form. ``FormSet.upload`` gives the body of ``POST /v1/cases/{id}/forms`` for one form.

State lives in memory for the visit only (the forms hold personal data): nothing is written to disk
or logged, reprs say counts only. No Qt: the PDF bytes come from ui/printing.
"""
from __future__ import annotations

import base64
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.forms import FilledForm, FormCatalogue, FormCatalogueError, load, shown
from app.signature import Signature

OWN_DIVISION = "shimin"  # 市民課: the counter's own 届書, told to no other division


def _missing_message(title: str, labels: Sequence[str]) -> str:
    return f"{title}に未入力の項目があります: " + "、".join(labels)


@dataclass(repr=False)
class FormSet:
    """申請書一式: the filled forms of the visit, the pages the resident has seen, the signature
    and which forms the centre has stored (form id → version)."""

    forms: list[FilledForm] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)  # form id → its page count
    shown: set[tuple[str, int]] = field(default_factory=set)
    signature: Signature | None = None
    told_divisions: bool = False
    stored: dict[str, int] = field(default_factory=dict)
    # the signed PDF of each form as drawn once (memory only): (digest, signed_at, bytes)
    pdfs: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"FormSet(forms={len(self.forms)}, shown={len(self.shown)}, "
                f"signed={self.signature is not None}, stored={len(self.stored)})")

    # -- the forms ---------------------------------------------------------------------------

    def set_forms(self, forms: Sequence[FilledForm], pages: dict[str, int]) -> bool:
        """Replace the forms (the clerk typed, the entry changed). A form whose content changed is
        unseen again and its storing forgotten; any change drops the signature. True if changed."""
        before = {f.form.id: f.digest() for f in self.forms}
        after = {f.form.id: f.digest() for f in forms}
        self.forms, self.pages = list(forms), dict(pages)
        changed = {fid for fid in set(before) | set(after) if before.get(fid) != after.get(fid)}
        if changed:
            self.shown = {(fid, p) for fid, p in self.shown if fid not in changed}
            self.stored = {fid: v for fid, v in self.stored.items() if fid not in changed}
            self.pdfs = {fid: p for fid, p in self.pdfs.items() if fid not in changed}
            if self.signature is not None and any(f.form.needs_signature for f in forms):
                self.signature = None
        return bool(changed)

    def form(self, form_id: str) -> FilledForm:
        return next(f for f in self.forms if f.form.id == form_id)

    def missing(self) -> dict[str, tuple[str, ...]]:
        """Form title → the required items still empty (only forms that miss something)."""
        return {f.form.title: f.missing for f in self.forms if f.missing}

    def division_forms(self) -> list[FilledForm]:
        """The forms another division receives (the resident must be told, K-PRIV-11)."""
        return [f for f in self.forms if f.form.division_id != OWN_DIVISION]

    def divisions(self) -> list[str]:
        """The receiving divisions' names, each once, in form order."""
        seen: list[str] = []
        for f in self.division_forms():
            if f.form.division not in seen:
                seen.append(f.form.division)
        return seen

    # -- showing and signing -------------------------------------------------------------------

    def page_order(self) -> list[tuple[str, int]]:
        return [(f.form.id, p) for f in self.forms for p in range(1, self.pages.get(f.form.id, 1) + 1)]

    def mark_shown(self, form_id: str, page: int) -> None:
        self.shown.add((form_id, page))

    def next_unseen(self) -> tuple[str, int] | None:
        """The first page the resident has not seen yet (in form order), or None."""
        return next((fp for fp in self.page_order() if fp not in self.shown), None)

    def signing_titles(self) -> list[str]:
        return [f.form.title for f in self.forms if f.form.needs_signature]

    def problem_before_showing(self, form_id: str) -> str | None:
        form = self.form(form_id)
        return _missing_message(form.form.title, form.missing) if form.missing else None

    def problem_before_signing(self) -> str | None:
        """Why the signature cannot be asked for yet (Japanese), or None."""
        if not self.forms:
            return "署名いただく申請書がありません"
        missing = self.missing()
        if missing:
            return _missing_message(*next(iter(missing.items())))
        unseen = self.next_unseen()
        if unseen is not None:
            return (f"{self.form(unseen[0]).form.title}の{unseen[1]}ページをまだお客様に"
                    "確認いただいていません")
        if not self.signing_titles():
            return "署名が必要な申請書がありません"
        return None

    def sign(self, signature: Signature) -> None:
        """The resident signed (only ever from the resident's window): for every form needing it."""
        if self.problem_before_signing() is not None:
            raise ValueError("the forms are not ready for a signature")
        self.signature = signature

    # -- storing -----------------------------------------------------------------------------------

    def problem_before_storing(self) -> str | None:
        """Why the signed forms cannot be stored yet (Japanese), or None."""
        if self.signature is None:
            return "お客様の署名がまだありません"
        if self.division_forms() and not self.told_divisions:
            return ("申請書の内容が" + "・".join(self.divisions()) +
                    "に送られることをお客様に説明し、説明したことを記録してください")
        return None

    def pdf_for(self, filled: FilledForm, signature: Signature,
                draw: Callable[[], bytes]) -> bytes:
        """The form's signed PDF: drawn once for this content and signature, then the same bytes
        (a retry of the store must send the same body as the first try)."""
        digest = filled.digest()
        kept = self.pdfs.get(filled.form.id)
        if kept is None or kept[:2] != (digest, signature.signed_at):
            kept = (digest, signature.signed_at, draw())
            self.pdfs[filled.form.id] = kept
        return kept[2]

    def to_store(self) -> list[FilledForm]:
        return [f for f in self.forms if f.form.id not in self.stored]

    def upload(self, filled: FilledForm, pdf: bytes) -> dict[str, Any]:
        """The body of ``POST /v1/cases/{case_id}/forms`` for ``filled`` rendered as ``pdf``."""
        problem = self.problem_before_storing()
        if problem is not None or self.signature is None:
            raise ValueError("the forms are not ready to be stored")
        return {
            "form_id": filled.form.id, "title": filled.form.title,
            "division_id": filled.form.division_id,
            "retention_years": filled.form.retention_years,
            "pdf": base64.b64encode(pdf).decode("ascii"),
            "items": filled.items(), "digest": filled.digest(),
            "signature": self.signature.to_json(),
            "told_divisions": self.told_divisions or filled.form.division_id == OWN_DIVISION,
        }

    def mark_stored(self, form_id: str, version: int) -> None:
        self.stored[form_id] = version

    @property
    def all_stored(self) -> bool:
        return bool(self.forms) and all(f.form.id in self.stored for f in self.forms)

    def guide_lines(self) -> list[str]:
        """The 手続き案内票's lines saying which division was sent which form (no personal data)."""
        return [f"{f.form.division}へ「{f.form.title}」の内容をお送りしました（審査の後に届きます）"
                for f in self.division_forms() if f.form.id in self.stored]


# -- 審査: the stored form beside the entry ----------------------------------------------------------

@dataclass(frozen=True)
class FormCheck:
    """One item a reviewer compares: its label, what the signed form says, what the 届出 says."""

    label: str
    on_form: str
    entered: str
    household: bool = False  # a member of the same 特例転入 household, with a 転入 of their own

    @property
    def same(self) -> bool:
        return self.household or self.on_form == self.entered


def _entered_address(command: dict[str, Any]) -> str:
    person = command.get("person") if isinstance(command.get("person"), dict) else {}
    changes = command.get("changes") if isinstance(command.get("changes"), dict) else {}
    if command.get("kind") == "tenshutsu":
        return str(command.get("moved_out_to") or "")
    return str(person.get("address") or changes.get("address") or command.get("address") or "")


def _entered_names(command: dict[str, Any], current: dict[str, Any] | None) -> list[str]:
    names = []
    person = command.get("person")
    if isinstance(person, dict) and person.get("name_kanji"):
        names.append(str(person["name_kanji"]))
    now = {c.get("id"): c for c in (current or {}).get("members") or () if isinstance(c, dict)}
    for m in command.get("members") or ():
        if not isinstance(m, dict):
            continue
        p = m.get("person") if isinstance(m.get("person"), dict) else now.get(m.get("resident_id"))
        if p and p.get("name_kanji"):
            names.append(str(p["name_kanji"]))
    if not names and current and current.get("name_kanji"):
        names.append(str(current["name_kanji"]))
    return names


def form_checks(items: dict[str, Any], command: dict[str, Any],
                current: dict[str, Any] | None = None) -> list[FormCheck]:
    """What a reviewer compares between a signed form's ``items`` and the 届出 (``command``, with
    the register's ``current`` record): the dates, the new address and each 異動者's name. Only the
    items the form has are compared (a division's form has no address, for instance)."""
    values = items.get("values") if isinstance(items.get("values"), dict) else {}
    rows = [r for r in items.get("rows") or () if isinstance(r, dict)]
    checks = []
    for key, label in (("idou_date", "異動日"), ("todoke_date", "届出日")):
        if key in values and command.get(key):
            checks.append(FormCheck(label, str(values[key]), shown(key, command[key])))
    if "new_address" in values and _entered_address(command):
        checks.append(FormCheck("新しい住所", str(values["new_address"]), _entered_address(command)))
    on_form = [str(r.get("name_kanji", "")) for r in rows if r.get("name_kanji")]
    entered = _entered_names(command, current)
    tokurei = isinstance(command.get("tokurei"), dict)
    for name in on_form:  # every person on the form is a person of the 届出 …
        if name in entered:
            checks.append(FormCheck("氏名", name, name))
        elif tokurei:  # … or of its 特例転入 household, whose own 転入 follow the 世帯主's
            checks.append(FormCheck("氏名", name, "同じ世帯の特例転入（各自の転入届で審査）", True))
        else:
            checks.append(FormCheck("氏名", name, "（届出にない方）"))
    return checks


def catalogue_order(form_ids: Sequence[str]) -> list[str]:
    """``form_ids`` in the catalogue's order (unknown ids last, as given)."""
    cat = _catalogue()
    known = [f.id for f in cat.forms] if cat is not None else []
    return sorted(form_ids, key=lambda i: known.index(i) if i in known else len(known))


def division_name(division_id: str) -> str:
    """The receiving division's name (保険年金課 …) for its feed id; the id when unknown."""
    cat = _catalogue()
    for f in cat.forms if cat is not None else ():
        if f.division_id == division_id:
            return f.division
    return division_id


@functools.cache
def _catalogue() -> FormCatalogue | None:
    """The shipped form catalogue, read once (None when it cannot be read: names fall back)."""
    try:
        return load()
    except (FormCatalogueError, OSError):
        return None
