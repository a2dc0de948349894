"""申請書 on the case page (書かない窓口 #23): the visit's forms, shown to the resident page by page on
the resident's screen, signed once there, and stored at the centre with the 届出.

``FormsBox`` holds the widgets only: the forms with their receiving division and state, the items
the clerk types on a form (口座 and the like), 代筆, the notice to the resident that other divisions
receive their forms (K-PRIV-11) and the buttons. ``FormsStep`` composes it: the rules are
``app.visit_forms.FormSet``'s, filling is ``app.forms``', drawing is ``ui.printing.form_pdf``'s (a
page is drawn off the GUI thread, then sent), the resident's screen is ``ui.resident``'s and the
centre is called on the runner. The signature only ever comes from the resident's window
(``ResidentScreen.signed``); nothing of a form is written to disk.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QLineEdit, QVBoxLayout, QWidget)

from app import forms, procedures
from app.signature import PROXY_REASONS, Proxy
from app.visit_forms import FormSet
from ui.common.keys import Button
from ui.common.ops import Failure, PageOps
from ui.common.i18n import fill
from ui.common.widgets import fill_queue, list_table, text_label
from ui.printing.form_pdf import form_pdf, page_count, render_page

#: The size a page is drawn at for the resident's screen (A4 portrait at about 150 dpi).
PAGE_SIZE = QSize(1240, 1754)
STATE_STYLE = "color: #b00020;"


class FormsClient(Protocol):
    def store_signed_form(self, case_id: int, form: dict[str, Any],
                          idempotency_key: str) -> dict[str, Any]: ...


class FormsBox(QGroupBox):
    """The widgets of the case's forms (see the module's docstring)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("申請書（お客様の画面で確認・署名）"), parent)
        self.setObjectName("formsBox")
        self.table = list_table([self.tr("申請書"), self.tr("受け取る課"), self.tr("状態")],
                                "formsTable", self.tr("この来庁の申請書"))
        self.clerk_box = QWidget()
        self.clerk_form = QFormLayout(self.clerk_box)
        self.clerk_form.setContentsMargins(0, 0, 0, 0)
        self.clerk_edits: dict[tuple[str, str], QLineEdit] = {}
        self.show_button = Button(self.tr("お客様の画面に次のページを表示(&N)"))
        self.show_button.setObjectName("formsShow")
        self.proxy_check = QCheckBox(self.tr("代筆（職員が代わって署名欄に書く）"))
        self.proxy_check.setObjectName("formsProxy")
        self.proxy_combo = QComboBox()
        self.proxy_combo.setObjectName("formsProxyReason")
        self.proxy_combo.setAccessibleName(self.tr("代筆の理由"))
        for key, label in PROXY_REASONS.items():
            self.proxy_combo.addItem(label, key)
        self.proxy_note = QLineEdit()
        self.proxy_note.setObjectName("formsProxyNote")
        self.proxy_note.setAccessibleName(self.tr("代筆の理由（その他）"))
        self.proxy_note.setMaxLength(200)
        self.sign_button = Button(self.tr("お客様に署名を依頼(&A)"))
        self.sign_button.setObjectName("formsSign")
        self.told_check = QCheckBox(self.tr("申請書の内容が各課に送られることをお客様に説明した"))
        self.told_check.setObjectName("formsTold")
        self.store_button = Button(self.tr("署名した申請書を保存(&U)"))
        self.store_button.setObjectName("formsStore")
        self.message = text_label("formsMessage")

        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.clerk_box)
        row = QHBoxLayout()
        row.addWidget(self.show_button)
        row.addStretch(1)
        layout.addLayout(row)
        proxy = QHBoxLayout()
        proxy.addWidget(self.proxy_check)
        proxy.addWidget(self.proxy_combo, 1)
        proxy.addWidget(self.proxy_note, 1)
        layout.addLayout(proxy)
        layout.addWidget(self.sign_button)
        layout.addWidget(self.told_check)
        layout.addWidget(self.store_button)
        layout.addWidget(self.message)
        self.proxy_check.toggled.connect(self._proxy_toggled)
        self._proxy_toggled(False)
        self.hide()

    def _proxy_toggled(self, on: bool) -> None:
        self.proxy_combo.setEnabled(on)
        self.proxy_note.setEnabled(on)

    def set_forms(self, rows: Sequence[Sequence[str]]) -> None:
        fill_queue(self.table, rows)

    def set_clerk_fields(self, fields: Sequence[tuple[tuple[str, str], str, str]]) -> None:
        """The items the clerk types: (form id, item key), label, current text. Texts are kept."""
        typed = self.clerk_values()
        while self.clerk_form.rowCount():
            self.clerk_form.removeRow(0)
        self.clerk_edits = {}
        for key, label, value in fields:
            edit = QLineEdit(typed.get(key, value))
            edit.setObjectName(f"formsClerk_{key[0]}_{key[1]}")
            edit.setAccessibleName(label)
            edit.setMaxLength(100)
            self.clerk_form.addRow(label, edit)
            self.clerk_edits[key] = edit
        self.clerk_box.setVisible(bool(fields))

    def clerk_values(self) -> dict[tuple[str, str], str]:
        return {key: edit.text() for key, edit in self.clerk_edits.items()}

    def say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(STATE_STYLE if error else "")


class FormsStep(QObject):
    """The forms of one case, from filling to stored (see the module's docstring). ``stored()`` when
    every form of the visit is stored at the centre."""

    stored = Signal()

    def __init__(self, box: FormsBox, client: FormsClient, ops: PageOps, *,
                 resident: Callable[[], Any], login_id: Callable[[], str],
                 catalogue: Callable[[], forms.FormCatalogue],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.box, self._client, self._ops = box, client, ops
        self._resident, self._login_id, self._catalogue = resident, login_id, catalogue
        self.set = FormSet()
        self.case_id: int | None = None
        self._sources: forms.FormSources | None = None
        self._defs: list[forms.FormDef] = []
        self._connected: Any = None
        # the visit so far: what each division was sent (the 手続き案内票) and which division forms
        # are stored already (a later 届出 of the visit does not prepare them again)
        self._visit_lines: list[str] = []
        self._visit_division_forms: set[str] = set()
        box.show_button.clicked.connect(self.show_next)
        box.sign_button.clicked.connect(self.ask_signature)
        box.store_button.clicked.connect(self.store)
        box.told_check.toggled.connect(self._told)

    # -- the forms of the case -----------------------------------------------------------------

    def start(self, case_id: int, plan: procedures.Plan, sources: forms.FormSources) -> None:
        """The 届出 of ``case_id`` is sent: its forms, filled from ``sources``. Forms of an earlier
        届出 of the visit not yet stored are dropped, and the clerk is told; another division's
        form stored earlier in the visit is not prepared again."""
        left = [f.form.title for f in self.set.to_store()] if self.case_id not in (None, case_id) \
            else []
        self.case_id, self._sources = case_id, sources
        self._defs = [d for d in forms.forms_for(plan, self._catalogue())
                      if d.id not in self._visit_division_forms]
        self.set = FormSet()
        self.box.proxy_check.setChecked(False)
        self.box.told_check.setChecked(False)
        self.box.set_clerk_fields([])
        resident = self._resident()
        if resident is not None:
            resident.blank()  # nothing of the previous 届出 stays on the resident's screen
        self._refill()
        self.box.setVisible(bool(self._defs))
        self._follow_resident()
        if left:
            self.box.say(fill(self.tr("前の届出の申請書（%1）は保存されていません。"),
                              "・".join(left)), True)

    def reset(self) -> None:
        """The visit is over (a new case, parked, the session ended): nothing of it is kept."""
        self.case_id, self._sources, self._defs = None, None, []
        self.set = FormSet()
        self._visit_lines, self._visit_division_forms = [], set()
        self.box.set_clerk_fields([])
        self.box.hide()
        resident = self._resident()
        if resident is not None:
            resident.new_visit()

    def _follow_resident(self) -> None:
        resident = self._resident()
        if resident is not None and self._connected is not resident:
            resident.signed.connect(self._signed)
            resident.send_refused.connect(self._send_refused)
            self._connected = resident

    def _refill(self) -> None:
        if self._sources is None:
            return
        typed = self.box.clerk_values()
        filled, fields = [], []
        for d in self._defs:
            clerk = {key: text.strip() for (form_id, key), text in typed.items() if form_id == d.id}
            sources = dataclasses.replace(self._sources, clerk=clerk)
            f = forms.fill(d, sources)
            filled.append(f)
            fields.extend(((d.id, key), f"{d.title}: {label}", clerk.get(key, ""))
                          for key, label in forms.clerk_items(d, sources))
        if self.set.set_forms(filled, {f.form.id: page_count(f) for f in filled}) \
                and self.set.signature is None and self.set.shown == set():
            self.box.say("")
        if [k for k, _l, _v in fields] != list(self.box.clerk_edits):
            self.box.set_clerk_fields(fields)
            for edit in self.box.clerk_edits.values():
                edit.editingFinished.connect(self._refill)
        divisions = self.set.divisions()
        self.box.told_check.setText(fill(self.tr(
            "申請書の内容が %1 に送られることをお客様に説明した（記録されます）"), "・".join(divisions)))
        self.box.told_check.setVisible(bool(divisions))
        self._show_state()

    def _state(self, f: forms.FilledForm) -> str:
        if f.form.id in self.set.stored:
            return self.tr("保存しました")
        if f.missing:
            return fill(self.tr("未入力: %1"), "、".join(f.missing))
        if self.set.signature is not None:
            return self.tr("署名済み（未保存）")
        pages = self.set.pages.get(f.form.id, 1)
        seen = sum(1 for fid, _p in self.set.shown if fid == f.form.id)
        return fill(self.tr("お客様の確認 %1 / %2 ページ"), seen, pages)

    def _show_state(self) -> None:
        self.box.set_forms([[f.form.title, f.form.division, self._state(f)] for f in self.set.forms])

    # -- showing to the resident -----------------------------------------------------------------

    def show_next(self) -> None:
        if self.case_id is None or self._ops.running:
            return
        self._refill()
        nxt = self.set.next_unseen()
        if nxt is None:
            self.box.say(self.tr("すべてのページをお客様に確認いただきました。署名を依頼してください。"))
            return
        form_id, page = nxt
        problem = self.set.problem_before_showing(form_id)
        if problem is not None:
            self.box.say(problem, True)
            return
        filled, pages = self.set.form(form_id), self.set.pages.get(form_id, 1)
        fs, case_id, digest = self.set, self.case_id, filled.digest()

        def shown(image: Any) -> None:
            current = self.set is fs and self.case_id == case_id and any(
                f.form.id == form_id and f.digest() == digest for f in fs.forms)
            if not current:  # the forms changed while the page was drawn: not sent
                return
            resident = self._resident()
            if resident is not None and resident.send_page(image, filled.form.title, page, pages):
                self.set.mark_shown(form_id, page)
                self.box.say(fill(self.tr("お客様の画面に「%1」%2 / %3 ページを表示しました。"),
                                 filled.form.title, page, pages))
            self._show_state()

        self._ops.run(lambda: render_page(filled, page - 1, PAGE_SIZE), shown, self._failed)

    def _send_refused(self, reason: str) -> None:
        self.box.say(self.tr("画面の保護中（のぞき見防止・ロック）のため、お客様の画面には表示していません。"
                             "解除後にもう一度送ってください。"), True)

    # -- the signature ------------------------------------------------------------------------------

    def _proxy(self) -> Proxy | None:
        if not self.box.proxy_check.isChecked():
            return None
        return Proxy(self._login_id(), str(self.box.proxy_combo.currentData()),
                     self.box.proxy_note.text().strip())

    def ask_signature(self) -> None:
        if self.case_id is None:
            return
        self._refill()
        problem = self.set.problem_before_signing()
        proxy = self._proxy()
        if problem is None and proxy is not None and proxy.reason == "other" and not proxy.note:
            problem = self.tr("代筆の理由を入力してください")
        if problem is not None:
            self.box.say(problem, True)
            return
        resident = self._resident()
        if resident is not None and resident.ask_signature(self.set.signing_titles(), proxy):
            self.box.say(self.tr("お客様の画面に署名欄を表示しました。署名の確定をお待ちください。"))

    def _signed(self, signature: Any) -> None:
        if self.case_id is None or self.set.problem_before_signing() is not None:
            return  # a signature for forms no longer on screen: not kept
        self.set.sign(signature)
        self.box.say(self.tr("署名をいただきました。保存してください。"))
        self._show_state()

    def _told(self, on: bool) -> None:
        self.set.told_divisions = on

    # -- storing at the centre ------------------------------------------------------------------------

    def store(self) -> None:
        """Each signed form drawn once as PDF/A (kept in memory, so a retry sends the same bytes
        under the same Idempotency-Key, derived from the case, the form's content and the
        signature) and sent; forms stored before a failure stay stored."""
        if self.case_id is None or self._ops.running:
            return
        problem = self.set.problem_before_storing()
        if problem is not None or self.set.signature is None:
            self.box.say(problem or "", True)
            return
        fs, case_id, client, signature = self.set, self.case_id, self._client, self.set.signature
        work = [(f, f.digest()) for f in fs.to_store()]
        done: list[tuple[str, str, int]] = []  # (form id, digest, version) as each is stored

        def job() -> None:
            for f, digest in work:  # drawn here, in memory only
                pdf = fs.pdf_for(f, signature, lambda f=f: form_pdf(f, signature))
                key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"madoguchi:form:{case_id}:{f.form.id}:"
                                                         f"{digest}:{signature.signed_at}"))
                answer = client.store_signed_form(case_id, fs.upload(f, pdf), key)
                done.append((f.form.id, digest, int(answer.get("version", 1))))

        def settle() -> bool:
            if self.set is not fs or self.case_id != case_id:
                return False  # another 届出 is on screen now
            for form_id, digest, version in done:
                if any(f.form.id == form_id and f.digest() == digest for f in fs.forms):
                    fs.mark_stored(form_id, version)
            self._note_visit()
            self._show_state()
            return True

        def stored(_none: Any) -> None:
            if settle() and fs.all_stored:
                self.box.say(self.tr("署名した申請書をセンターに保存しました。審査の後、各課に送られます。"))
                resident = self._resident()
                if resident is not None:
                    resident.blank()
                self.stored.emit()

        def failed(failure: Failure) -> None:
            settle()
            self._failed(failure)

        self.box.say(self.tr("申請書を保存しています…"))
        self._ops.run(job, stored, failed)

    def _note_visit(self) -> None:
        for f in self.set.division_forms():
            if f.form.id in self.set.stored:
                self._visit_division_forms.add(f.form.id)
        for line in self.set.guide_lines():
            if line not in self._visit_lines:
                self._visit_lines.append(line)

    def _failed(self, failure: Failure) -> None:
        self.box.say(failure.message, True)

    def guide_lines(self) -> list[str]:
        """What each division was sent in this visit (every 届出 of it), for the 手続き案内票."""
        return list(self._visit_lines)
