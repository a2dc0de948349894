"""交付画面: issue a 住民票の写し or a 記載事項証明書 for the resident chosen on the search page
(WF-6, DQ-6, WF-7). For a 記載事項証明書 the clerk ticks the items to certify and the 提出先; it
never carries a 個人番号 or 住民票コード.

The clerk says who asks (本人 / 同一世帯 / 代理人 with 委任状 / 第三者), why (利用目的), and which
optional items to print. The 個人番号 can be asked for only by an operator who may read it
(``actions.MY_NUMBER_READ``), only for the person or the same household, with a 請求理由 and a 提出先;
the centre checks all of it again and refuses with a specific Japanese message, keeping what was
entered. When it refuses because a 支援措置 subject is on the certificate and the requester is a
proxy or third party, the clerk can send the request as taken to the supervisors
(``ui.pages.issuance.decision``). On success the certificate is rendered to PDF in the session's
print folder (deleted at session end) and recorded in the 帳票管理簿 by the centre. Network and
rendering run in the background (``self.ops``); the 交付 is retried with the same Idempotency-Key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import actions
from app.api_client import OperatorSession
from app.certificate import CertificateContent, IssuanceAttempt, IssuedCertificate
from app.commands import CommandKeys
from app.residents import PURPOSE_CODES, ResidentSummary
from ui.common.busy import BusyIndicator
from ui.common.i18n import fill
from ui.common.ops import Failure, Failures, PageOps
from ui.common.widgets import (WARNING_STYLE, MessageLine, banner, button, line_edit, page_title,
                               show_subject)
from ui.common.worker import Runner
from ui.pages.issuance.decision import DecisionRequestBox, DecisionRequestClient
from ui.pages.search import purpose_label
from ui.printing.certificate_pdf import render_kisai_pdf, render_pdf
from ui.printing.queue import PrintButton

CERTIFICATE = "certificate"  # the draft whose Idempotency-Key the 交付 keeps


class IssuanceClient(DecisionRequestClient, Protocol):
    """The calls the 交付 page makes (the 判断依頼's too)."""

    def issue_certificate(self, request: dict[str, Any], idempotency_key: str) -> IssuedCertificate: ...
    def certificate_content(self, issuance_id: int) -> CertificateContent: ...


class IssuancePage(QWidget):
    back_requested = Signal()
    issued = Signal(object)  # the PDF path

    def __init__(self, client: IssuanceClient, runner: Runner,
                 print_dir: Callable[[], Path] | None = None, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self.message = MessageLine("issuanceMessage")
        self.ops = PageOps(runner, self.busy, self.failures, say=self.message.say,
                           on_busy=self._set_busy)
        self._runner = self.ops.run  # every call of the page waits with its busy indicator
        self.keys = CommandKeys()
        self._print_dir = print_dir
        self.session: OperatorSession | None = None
        self.resident: ResidentSummary | None = None
        self._online = True
        self.last_pdf: Path | None = None

        self.title = page_title(self.tr("住民票の写しの交付"))
        self.back_button = button(self.tr("検索に戻る"), "issuanceBack")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.back_button)
        self.subject_label = QLabel()
        self.subject_label.setObjectName("issuanceSubject")
        self.support_banner = banner(self.tr(
            "⚠ 支援措置の対象者です。代理人・第三者への交付はできません（所属長の判断が必要）"),
            "issuanceSupportBanner")
        box = self._request_form()
        self.issue_button = button(self.tr("交付する（PDFを作成）"), "issueButton")
        self.print_button = PrintButton(self.busy.wrap(runner), self.message.say)
        self.offline_label = banner(self.tr("中央サーバーに接続できないため、交付できません。"
                                            "交付には支援措置の状態の確認が必要です。接続が戻ると再開できます"),
                                    "issuanceOffline", WARNING_STYLE)
        # 所属長への判断依頼 (WF-7): offered once the centre refused for a 支援措置 subject.
        self.decision_box = DecisionRequestBox(client, self.ops, self.decision_request)
        self.requester_name_edit = self.decision_box.requester_name_edit
        self.requester_org_edit = self.decision_box.requester_org_edit
        self.ask_decision_button = self.decision_box.ask_button
        self.check_decision_button = self.decision_box.check_button
        self.decision_label = self.decision_box.label

        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addLayout(top)
        for widget in (self.subject_label, self.support_banner, box):
            layout.addWidget(widget)
        issue_row = QHBoxLayout()
        issue_row.addWidget(self.issue_button, 1)
        issue_row.addWidget(self.print_button)
        layout.addLayout(issue_row)
        for widget in (self.offline_label, self.message, self.decision_box):
            layout.addWidget(widget)
        layout.addStretch(1)

        self.back_button.clicked.connect(self.back_requested)
        self.issue_button.clicked.connect(self.submit)
        for changed in (self.my_number_check.toggled, self.requester_combo.currentIndexChanged,
                        self.kind_combo.currentIndexChanged):  # what the form offers follows them
            changed.connect(self._update_enabled)
        self._update_enabled()

    def _request_form(self) -> QGroupBox:
        """請求の内容: the certificate, who asks and why, what to print (its fields are the page's)."""
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("certificateKind")
        self.kind_combo.addItem(self.tr("住民票の写し"), "juminhyo")
        self.kind_combo.addItem(self.tr("記載事項証明書"), "kisai")
        # 記載事項証明書: the items to certify (本籍 only when the requester asks for it)
        self.kisai_checks = {code: QCheckBox(label) for code, label in (
            ("name", self.tr("氏名")), ("birth_date", self.tr("生年月日")), ("sex", self.tr("性別")),
            ("address", self.tr("住所")), ("became_resident_on", self.tr("住民となった日")),
            ("householder_relationship", self.tr("世帯主・続柄")),
            ("honseki", self.tr("本籍・筆頭者（請求があった場合のみ）")))}
        self._kisai_row = QHBoxLayout()
        for code, check in self.kisai_checks.items():
            check.setObjectName(f"kisai_{code}")
            self._kisai_row.addWidget(check)
        self._kisai_row.addStretch(1)
        self.kisai_submit_edit = line_edit("kisaiSubmitTo", max_length=100,
                                           placeholder=self.tr("例: さくら年金事務所"))
        self.individual_radio = QRadioButton(self.tr("個人票（本人のみ）"))
        self.household_radio = QRadioButton(self.tr("世帯全員（世帯連記式）"))
        self.individual_radio.setChecked(True)
        self.scope_group = QButtonGroup(self)
        self._scope_row = QHBoxLayout()
        for b in (self.individual_radio, self.household_radio):
            self.scope_group.addButton(b)
            self._scope_row.addWidget(b)
        self.requester_combo = QComboBox()
        self.requester_combo.setObjectName("requester")
        for code, label in (("self", self.tr("本人")), ("household", self.tr("同一世帯の方")),
                            ("proxy", self.tr("代理人（委任状あり）")), ("third_party", self.tr("第三者"))):
            self.requester_combo.addItem(label, code)
        self.attorney_check = QCheckBox(self.tr("委任状を確認した"))
        self.attorney_check.setObjectName("powerOfAttorney")
        self.purpose_combo = QComboBox()
        self.purpose_combo.setObjectName("issuancePurpose")
        self.purpose_combo.addItem(self.tr("（選択してください）"), "")
        for code in PURPOSE_CODES:
            self.purpose_combo.addItem(purpose_label(code), code)
        self.purpose_note_edit = line_edit("issuancePurposeNote", max_length=200)
        self.relationship_check = QCheckBox(self.tr("続柄"))
        self.relationship_check.setChecked(True)
        self.honseki_check = QCheckBox(self.tr("本籍・筆頭者"))
        self.code_check = QCheckBox(self.tr("住民票コード"))
        self.my_number_check = QCheckBox(self.tr("個人番号"))
        self.my_number_check.setObjectName("includeMyNumber")
        self._items_row = QHBoxLayout()
        for c in (self.relationship_check, self.honseki_check, self.code_check, self.my_number_check):
            self._items_row.addWidget(c)
        self._items_row.addStretch(1)
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("myNumberReason")
        self.reason_combo.addItem(self.tr("（選択してください）"), "")
        for code, label in (("social_security", self.tr("社会保障（年金・医療・介護・福祉・労働保険）")),
                            ("tax", self.tr("税（申告・届出・源泉徴収）")), ("disaster", self.tr("災害対策")),
                            ("employer", self.tr("勤務先への提出（社会保険・税の手続き）")),
                            ("other", self.tr("上記以外"))):
            self.reason_combo.addItem(label, code)
        self.submit_to_edit = line_edit("submitTo", max_length=100,
                                        placeholder=self.tr("例: さくら年金事務所"))
        self.copies_spin = QSpinBox()
        self.copies_spin.setRange(1, 10)

        self._form = form = QFormLayout()
        for label, field in ((self.tr("証明書"), self.kind_combo), (self.tr("種類"), self._scope_row),
                             (self.tr("証明する事項"), self._kisai_row),
                             (self.tr("提出先"), self.kisai_submit_edit),
                             (self.tr("請求者"), self.requester_combo), ("", self.attorney_check),
                             (self.tr("利用目的"), self.purpose_combo),
                             (self.tr("目的の補足"), self.purpose_note_edit),
                             (self.tr("記載する事項"), self._items_row),
                             (self.tr("請求理由（個人番号）"), self.reason_combo),
                             (self.tr("提出先（個人番号）"), self.submit_to_edit),
                             (self.tr("部数"), self.copies_spin)):
            form.addRow(label, field)
        box = QGroupBox(self.tr("請求の内容"))
        box.setLayout(form)
        # any change makes the next 交付 a new command (a new Idempotency-Key)
        forget = self._forget_key
        for combo in (self.kind_combo, self.requester_combo, self.purpose_combo, self.reason_combo):
            combo.currentIndexChanged.connect(forget)
        for check in (*self.kisai_checks.values(), self.individual_radio, self.household_radio,
                      self.attorney_check, self.relationship_check, self.honseki_check,
                      self.code_check, self.my_number_check):
            check.toggled.connect(forget)
        for edit in (self.kisai_submit_edit, self.purpose_note_edit, self.submit_to_edit):
            edit.textEdited.connect(forget)
        self.copies_spin.valueChanged.connect(forget)
        return box

    # -- state -------------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        if session is None:
            self.show_resident(None)
        self._update_enabled()  # whether this operator may print the 個人番号

    def show_resident(self, resident: ResidentSummary | None) -> None:
        """Start a new request for ``resident`` (a blank form)."""
        self.resident = resident
        self.keys.clear()
        self.last_pdf = None
        self.print_button.set_document(None)
        self.individual_radio.setChecked(True)
        for w in (self.kind_combo, self.requester_combo, self.purpose_combo, self.reason_combo):
            w.setCurrentIndex(0)
        for w in (self.purpose_note_edit, self.submit_to_edit, self.kisai_submit_edit):
            w.clear()
        for code, c in self.kisai_checks.items():
            c.setChecked(code in ("name", "address"))
        for c in (self.attorney_check, self.honseki_check, self.code_check, self.my_number_check):
            c.setChecked(False)
        self.relationship_check.setChecked(True)
        self.copies_spin.setValue(1)
        self.message.say("")
        self.decision_box.reset()
        show_subject(self.subject_label, self.support_banner, resident)
        if resident is not None:
            self._update_enabled()

    def is_kisai(self) -> bool:
        return self.kind_combo.currentData() == "kisai"

    def _update_enabled(self) -> None:
        kisai = self.is_kisai()
        self.title.setText(self.tr("住民票記載事項証明書の交付") if kisai else self.tr("住民票の写しの交付"))
        for row in (self._scope_row, self._items_row, self.reason_combo, self.submit_to_edit):
            self._form.setRowVisible(row, not kisai)
        for row in (self._kisai_row, self.kisai_submit_edit):
            self._form.setRowVisible(row, kisai)
        may_print_number = self.session is not None and self.session.may(actions.MY_NUMBER_READ)
        self.my_number_check.setEnabled(may_print_number)
        self.my_number_check.setToolTip("" if may_print_number else
                                        self.tr("個人番号の記載には特定個人情報アクセス権限が必要です"))
        wants_number = self.my_number_check.isChecked()
        self.reason_combo.setEnabled(wants_number)
        self.submit_to_edit.setEnabled(wants_number)
        self.attorney_check.setEnabled(self.requester_combo.currentData() == "proxy")

    def _forget_key(self, *_args: object) -> None:
        """The request changed: the next 交付 is a new command (a new Idempotency-Key)."""
        self.keys.forget(CERTIFICATE)

    def request(self) -> dict[str, Any]:
        assert self.resident is not None
        asked = {"resident_id": self.resident.id,
                 "requester_relation": self.requester_combo.currentData(),
                 "power_of_attorney_seen": self.attorney_check.isChecked(),
                 "purpose": self.purpose_combo.currentData() or "",
                 "purpose_note": self.purpose_note_edit.text().strip() or None}
        if self.is_kisai():  # 記載事項証明書: the chosen items, one person, never a number
            return {"kind": "kisai", **asked, "scope": "individual",
                    "items": [code for code, c in self.kisai_checks.items() if c.isChecked()],
                    "submit_to": self.kisai_submit_edit.text().strip() or None,
                    "copies": self.copies_spin.value(),
                    "support_decision_id": self.decision_box.approved_id}
        wants_number = self.my_number_check.isChecked()
        return {**asked, "scope": "household" if self.household_radio.isChecked() else "individual",
                "include": {"my_number": wants_number, "juminhyo_code": self.code_check.isChecked(),
                            "honseki": self.honseki_check.isChecked(),
                            "relationship": self.relationship_check.isChecked()},
                "my_number_reason": (self.reason_combo.currentData() or None) if wants_number else None,
                "submit_to": (self.submit_to_edit.text().strip() or None) if wants_number else None,
                "copies": self.copies_spin.value(),
                "support_decision_id": self.decision_box.approved_id}

    def decision_request(self) -> dict[str, Any] | None:
        """The 判断依頼 of the request as taken (the box adds the requester's name and
        organisation), or None when there is none to send (said on the message line)."""
        if self.resident is None:
            return None
        if self.requester_combo.currentData() not in ("proxy", "third_party"):
            self.message.say(self.tr("判断依頼は代理人・第三者からの請求に限ります"), True)
            return None
        if not self.purpose_combo.currentData():
            self.message.say(self.tr("利用目的を選んでください"), True)
            self.purpose_combo.setFocus()
            return None
        return {"kind": "kisai" if self.is_kisai() else "juminhyo",
                "resident_id": self.resident.id,
                "scope": "household" if self.household_radio.isChecked() and not self.is_kisai()
                else "individual",
                "requester_relation": self.requester_combo.currentData(),
                "purpose": self.purpose_combo.currentData() or "",
                "purpose_note": self.purpose_note_edit.text().strip() or None}

    # -- issue -------------------------------------------------------------------

    def submit(self) -> None:
        if self.ops.running or self.resident is None:
            return
        if not self.purpose_combo.currentData():
            self.message.say(self.tr("利用目的を選んでください"), True)
            self.purpose_combo.setFocus()
            return
        if self.is_kisai() and not any(c.isChecked() for c in self.kisai_checks.values()):
            self.message.say(self.tr("証明する事項を一つ以上選んでください"), True)
            return
        if self.is_kisai() and not self.kisai_submit_edit.text().strip():
            self.message.say(self.tr("提出先を入力してください"), True)
            self.kisai_submit_edit.setFocus()
            return
        request = self.request()
        kisai = request.get("kind") == "kisai"
        key, client = self.keys.key(CERTIFICATE), self._client  # kept for a retry of the same request
        folder = self._print_dir() if self._print_dir else Path.cwd()

        attempt = IssuanceAttempt()

        def work() -> tuple[str, Path, CertificateContent]:
            answer = client.issue_certificate(request, key)
            attempt.recorded(answer.certificate_no)
            content = client.certificate_content(answer.issuance_id)  # served once (#21 c8)
            path = folder / f"{'kisai' if kisai else 'juminhyo'}-{answer.certificate_no}.pdf"
            render = render_kisai_pdf if kisai else render_pdf
            render(content.document, path, copies=content.copies)
            return answer.certificate_no, path, content

        self.message.say(self.tr("交付しています…"))
        self.ops.run(work, self._done, lambda failure: self._failed(failure, attempt))

    def _done(self, result: tuple[str, Path, CertificateContent]) -> None:
        number, path, content = result
        self.print_button.set_document(content.document, content.copies)
        self.keys.forget(CERTIFICATE)
        if self.decision_box.approved_id is not None:  # an approval lifts the block once
            self.decision_box.used()
        self.last_pdf = path
        self.message.say(fill(self.tr("証明書番号 %1 を交付しました。帳票管理簿に記録済みです。PDF: %2"),
                              number, str(path)))
        self.issued.emit(path)

    def _failed(self, failure: Failure, attempt: IssuanceAttempt | None = None) -> None:
        if attempt is not None and attempt.needs_new_issuance:
            # recorded, but not printable here: the next press is a new issuance (#21 class 8)
            self.keys.forget(CERTIFICATE)
            if self.decision_box.approved_id is not None:  # the issuance used the approval
                self.decision_box.used()
            self.message.say(fill(self.tr(
                "証明書番号 %1 は交付として記録されましたが、印刷用の内容を保存できませんでした。"
                "もう一度交付してください（新しい交付として記録されます）"),
                attempt.certificate_no or ""), True)
            return
        self.keys.failed(CERTIFICATE, failure.exc)  # a refusal is final: fixing the form makes a new request
        self.decision_box.refused(failure.code if failure.problem is not None else "")
        if isinstance(failure.exc, OSError):
            self.message.say(self.tr("PDFを保存できませんでした"), True)
            return
        self.message.say(failure.message, True)

    def set_online(self, online: bool) -> None:
        """Issuance needs the centre (支援措置 state, 帳票管理簿): off while it is unreachable."""
        self._online = online
        self.offline_label.setVisible(not online)
        self._set_busy(self.ops.running)

    def _set_busy(self, busy: bool) -> None:
        ready = not busy and self._online
        self.issue_button.setEnabled(ready)
        self.print_button.allow(not busy)
        self.decision_box.allow(ready)
