"""交付画面: issue a 住民票の写し or a 記載事項証明書 for the resident chosen on the search page
(WF-6, DQ-6, WF-7). For a 記載事項証明書 the clerk ticks the items to certify and the 提出先; it
never carries a 個人番号 or 住民票コード.

The clerk says who asks (本人 / 同一世帯 / 代理人 with 委任状 / 第三者), why (利用目的), and which
optional items to print. The 個人番号 can be asked for only by an operator holding
特定個人情報アクセス権限, only for the person or the same household, with a 請求理由 and a 提出先;
the centre checks all of it again and refuses with a specific Japanese message, keeping what was
entered. When it refuses because a 支援措置 subject is on the certificate and the requester is a
proxy or third party, the clerk can send the request as taken to the supervisors (判断依頼, with the
requester's name and organisation), check the outcome, and issue that very request once when it
was approved (WF-7). On success the certificate is rendered to PDF in the session's print folder (deleted at
session end) and recorded in the 帳票管理簿 by the centre. Network and rendering run in the runner.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.api_client import ApiError, OperatorSession
from app.certificate import kisai_layout, layout
from app.outbox import uuid7
from app.residents import PURPOSE_CODES, ResidentSummary
from ui.common.busy import BusyIndicator
from ui.printing.certificate_pdf import render_kisai_pdf, render_pdf
from ui.common.errors import error_message
from ui.common.i18n import fill
from ui.printing.queue import PrintButton
from ui.pages.search import purpose_label
from ui.common.ops import Failures
from ui.common.worker import Runner

MY_NUMBER_ACCESS = "my_number_access"


class IssuancePage(QWidget):
    back_requested = Signal()
    session_ended = Signal(str)
    issued = Signal(object)  # the PDF path

    def __init__(self, client: Any, runner: Runner, print_dir: Callable[[], Path] | None = None,
                 *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self._print_dir = print_dir
        self.session: OperatorSession | None = None
        self.resident: ResidentSummary | None = None
        self._key: str | None = None
        self._busy = False
        self._online = True
        self.last_pdf: Path | None = None

        self.title = title = QLabel(self.tr("住民票の写しの交付"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.back_button = QPushButton(self.tr("検索に戻る"))
        self.back_button.setObjectName("issuanceBack")
        banner = QHBoxLayout()
        banner.addWidget(title)
        banner.addStretch(1)
        banner.addWidget(self.back_button)

        self.subject_label = QLabel()
        self.subject_label.setObjectName("issuanceSubject")
        self.support_banner = QLabel(self.tr("⚠ 支援措置の対象者です。代理人・第三者への交付はできません（所属長の判断が必要）"))
        self.support_banner.setObjectName("issuanceSupportBanner")
        self.support_banner.setWordWrap(True)
        self.support_banner.setStyleSheet("background: #b00020; color: white; font-weight: bold; padding: 6px;")
        self.support_banner.hide()

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
        kisai_row = QHBoxLayout()
        for code, check in self.kisai_checks.items():
            check.setObjectName(f"kisai_{code}")
            kisai_row.addWidget(check)
        kisai_row.addStretch(1)
        self.kisai_submit_edit = QLineEdit()
        self.kisai_submit_edit.setObjectName("kisaiSubmitTo")
        self.kisai_submit_edit.setMaxLength(100)
        self.kisai_submit_edit.setPlaceholderText(self.tr("例: さくら年金事務所"))

        self.individual_radio = QRadioButton(self.tr("個人票（本人のみ）"))
        self.household_radio = QRadioButton(self.tr("世帯全員（世帯連記式）"))
        self.individual_radio.setChecked(True)
        self.scope_group = QButtonGroup(self)
        for b in (self.individual_radio, self.household_radio):
            self.scope_group.addButton(b)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.individual_radio)
        scope_row.addWidget(self.household_radio)

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
        self.purpose_note_edit = QLineEdit()
        self.purpose_note_edit.setObjectName("issuancePurposeNote")
        self.purpose_note_edit.setMaxLength(200)

        self.relationship_check = QCheckBox(self.tr("続柄"))
        self.relationship_check.setChecked(True)
        self.honseki_check = QCheckBox(self.tr("本籍・筆頭者"))
        self.code_check = QCheckBox(self.tr("住民票コード"))
        self.my_number_check = QCheckBox(self.tr("個人番号"))
        self.my_number_check.setObjectName("includeMyNumber")
        items_row = QHBoxLayout()
        for c in (self.relationship_check, self.honseki_check, self.code_check, self.my_number_check):
            items_row.addWidget(c)
        items_row.addStretch(1)
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("myNumberReason")
        self.reason_combo.addItem(self.tr("（選択してください）"), "")
        for code, label in (("social_security", self.tr("社会保障（年金・医療・介護・福祉・労働保険）")),
                            ("tax", self.tr("税（申告・届出・源泉徴収）")), ("disaster", self.tr("災害対策")),
                            ("employer", self.tr("勤務先への提出（社会保険・税の手続き）")),
                            ("other", self.tr("上記以外"))):
            self.reason_combo.addItem(label, code)
        self.submit_to_edit = QLineEdit()
        self.submit_to_edit.setObjectName("submitTo")
        self.submit_to_edit.setMaxLength(100)
        self.submit_to_edit.setPlaceholderText(self.tr("例: さくら年金事務所"))
        self.copies_spin = QSpinBox()
        self.copies_spin.setRange(1, 10)

        form = QFormLayout()
        self._form, self._scope_row, self._items_row, self._kisai_row = form, scope_row, items_row, kisai_row
        form.addRow(self.tr("証明書"), self.kind_combo)
        form.addRow(self.tr("種類"), scope_row)
        form.addRow(self.tr("証明する事項"), kisai_row)
        form.addRow(self.tr("提出先"), self.kisai_submit_edit)
        form.addRow(self.tr("請求者"), self.requester_combo)
        form.addRow("", self.attorney_check)
        form.addRow(self.tr("利用目的"), self.purpose_combo)
        form.addRow(self.tr("目的の補足"), self.purpose_note_edit)
        form.addRow(self.tr("記載する事項"), items_row)
        form.addRow(self.tr("請求理由（個人番号）"), self.reason_combo)
        form.addRow(self.tr("提出先（個人番号）"), self.submit_to_edit)
        form.addRow(self.tr("部数"), self.copies_spin)
        box = QGroupBox(self.tr("請求の内容"))
        box.setLayout(form)

        self.issue_button = QPushButton(self.tr("交付する（PDFを作成）"))
        self.issue_button.setObjectName("issueButton")
        self.print_button = PrintButton(self._runner, self._say)
        self.offline_label = QLabel(self.tr("中央サーバーに接続できないため、交付できません。"
                                            "交付には支援措置の状態の確認が必要です。接続が戻ると再開できます"))
        self.offline_label.setObjectName("issuanceOffline")
        self.offline_label.setWordWrap(True)
        self.offline_label.setStyleSheet("color: #8a5300; font-weight: bold;")
        self.offline_label.hide()
        self.message = QLabel()
        self.message.setObjectName("issuanceMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        # 所属長への判断依頼 (WF-7): offered once the centre refused for a 支援措置 subject.
        self.requester_name_edit = QLineEdit()
        self.requester_name_edit.setObjectName("requesterName")
        self.requester_name_edit.setMaxLength(100)
        self.requester_org_edit = QLineEdit()
        self.requester_org_edit.setObjectName("requesterOrg")
        self.requester_org_edit.setMaxLength(100)
        self.requester_org_edit.setPlaceholderText(self.tr("法人・団体の場合"))
        self.ask_decision_button = QPushButton(self.tr("所属長に判断を依頼する"))
        self.ask_decision_button.setObjectName("askDecision")
        self.check_decision_button = QPushButton(self.tr("判断結果を確認"))
        self.check_decision_button.setObjectName("checkDecision")
        self.check_decision_button.setEnabled(False)
        self.decision_label = QLabel()
        self.decision_label.setObjectName("decisionStatus")
        self.decision_label.setWordWrap(True)
        decision_buttons = QHBoxLayout()
        decision_buttons.addWidget(self.ask_decision_button)
        decision_buttons.addWidget(self.check_decision_button)
        decision_buttons.addStretch(1)
        decision_form = QFormLayout()
        decision_form.addRow(self.tr("請求者の氏名"), self.requester_name_edit)
        decision_form.addRow(self.tr("請求者の所属・名称"), self.requester_org_edit)
        decision_form.addRow("", decision_buttons)
        decision_form.addRow("", self.decision_label)
        self.decision_box = QGroupBox(self.tr("所属長への判断依頼（支援措置）"))
        self.decision_box.setObjectName("decisionBox")
        self.decision_box.setLayout(decision_form)
        self.decision_box.hide()
        self._decision_id: int | None = None  # the 判断依頼 sent for this request
        self._approved_id: int | None = None  # an approval to name when issuing
        self._decision_key: str | None = None

        layout_ = QVBoxLayout(self)
        layout_.addWidget(self.busy)
        layout_.addLayout(banner)
        layout_.addWidget(self.subject_label)
        layout_.addWidget(self.support_banner)
        layout_.addWidget(box)
        issue_row = QHBoxLayout()
        issue_row.addWidget(self.issue_button, 1)
        issue_row.addWidget(self.print_button)
        layout_.addLayout(issue_row)
        layout_.addWidget(self.offline_label)
        layout_.addWidget(self.message)
        layout_.addWidget(self.decision_box)
        layout_.addStretch(1)

        self.back_button.clicked.connect(self.back_requested)
        self.issue_button.clicked.connect(self.submit)
        self.my_number_check.toggled.connect(self._update_enabled)
        self.requester_combo.currentIndexChanged.connect(self._update_enabled)
        self.kind_combo.currentIndexChanged.connect(self._update_enabled)
        self.kind_combo.currentIndexChanged.connect(self._forget_key)
        for c in self.kisai_checks.values():
            c.toggled.connect(self._forget_key)
        self.kisai_submit_edit.textEdited.connect(self._forget_key)
        for w in (self.requester_combo, self.purpose_combo, self.reason_combo):
            w.currentIndexChanged.connect(self._forget_key)
        for w in (self.individual_radio, self.household_radio, self.attorney_check,
                  self.relationship_check, self.honseki_check, self.code_check, self.my_number_check):
            w.toggled.connect(self._forget_key)
        for w in (self.purpose_note_edit, self.submit_to_edit):
            w.textEdited.connect(self._forget_key)
        self.copies_spin.valueChanged.connect(self._forget_key)
        self.ask_decision_button.clicked.connect(self.ask_decision)
        self.check_decision_button.clicked.connect(self.check_decision)
        for w in (self.requester_name_edit, self.requester_org_edit):
            w.textEdited.connect(self._forget_decision_key)
        self._update_enabled()

    # -- state -------------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        if session is None:
            self.show_resident(None)

    def show_resident(self, resident: ResidentSummary | None) -> None:
        """Start a new request for ``resident`` (a blank form)."""
        self.resident = resident
        self._key = None
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
        self._say("", False)
        self.requester_name_edit.clear()
        self.requester_org_edit.clear()
        self._decision_id = self._approved_id = self._decision_key = None
        self.decision_label.clear()
        self.check_decision_button.setEnabled(False)
        self.decision_box.hide()
        if resident is None:
            self.subject_label.clear()
            self.support_banner.hide()
            return
        self.subject_label.setText(fill(self.tr("対象: %1（%2）　%3"), resident.name_kanji,
                                        resident.name_kana, resident.address))
        self.support_banner.setVisible(resident.support_measure)
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
        may_print_number = self.session is not None and self.session.has_right(MY_NUMBER_ACCESS)
        self.my_number_check.setEnabled(may_print_number)
        self.my_number_check.setToolTip("" if may_print_number else
                                        self.tr("個人番号の記載には特定個人情報アクセス権限が必要です"))
        wants_number = self.my_number_check.isChecked()
        self.reason_combo.setEnabled(wants_number)
        self.submit_to_edit.setEnabled(wants_number)
        self.attorney_check.setEnabled(self.requester_combo.currentData() == "proxy")

    def _forget_key(self, *_args: object) -> None:
        """The request changed: the next 交付 is a new command (a new Idempotency-Key)."""
        self._key = None

    def request(self) -> dict[str, Any]:
        assert self.resident is not None
        if self.is_kisai():  # 記載事項証明書: the chosen items, one person, never a number
            return {
                "kind": "kisai",
                "resident_id": self.resident.id,
                "scope": "individual",
                "requester_relation": self.requester_combo.currentData(),
                "power_of_attorney_seen": self.attorney_check.isChecked(),
                "purpose": self.purpose_combo.currentData() or "",
                "purpose_note": self.purpose_note_edit.text().strip() or None,
                "items": [code for code, c in self.kisai_checks.items() if c.isChecked()],
                "submit_to": self.kisai_submit_edit.text().strip() or None,
                "copies": self.copies_spin.value(),
                "support_decision_id": self._approved_id,
            }
        wants_number = self.my_number_check.isChecked()
        return {
            "resident_id": self.resident.id,
            "scope": "household" if self.household_radio.isChecked() else "individual",
            "requester_relation": self.requester_combo.currentData(),
            "power_of_attorney_seen": self.attorney_check.isChecked(),
            "purpose": self.purpose_combo.currentData() or "",
            "purpose_note": self.purpose_note_edit.text().strip() or None,
            "include": {"my_number": wants_number, "juminhyo_code": self.code_check.isChecked(),
                        "honseki": self.honseki_check.isChecked(),
                        "relationship": self.relationship_check.isChecked()},
            "my_number_reason": (self.reason_combo.currentData() or None) if wants_number else None,
            "submit_to": (self.submit_to_edit.text().strip() or None) if wants_number else None,
            "copies": self.copies_spin.value(),
            "support_decision_id": self._approved_id,
        }

    def decision_request(self) -> dict[str, Any]:
        """The 判断依頼: the request as taken, with the requester's name and organisation."""
        assert self.resident is not None
        return {
            "kind": "kisai" if self.is_kisai() else "juminhyo",
            "resident_id": self.resident.id,
            "scope": "household" if self.household_radio.isChecked() and not self.is_kisai()
            else "individual",
            "requester_relation": self.requester_combo.currentData(),
            "requester_name": self.requester_name_edit.text().strip(),
            "requester_org": self.requester_org_edit.text().strip() or None,
            "purpose": self.purpose_combo.currentData() or "",
            "purpose_note": self.purpose_note_edit.text().strip() or None,
        }

    # -- issue -------------------------------------------------------------------

    def submit(self) -> None:
        if self._busy or self.resident is None:
            return
        if not self.purpose_combo.currentData():
            self._say(self.tr("利用目的を選んでください"), True)
            self.purpose_combo.setFocus()
            return
        if self.is_kisai() and not any(c.isChecked() for c in self.kisai_checks.values()):
            self._say(self.tr("証明する事項を一つ以上選んでください"), True)
            return
        if self.is_kisai() and not self.kisai_submit_edit.text().strip():
            self._say(self.tr("提出先を入力してください"), True)
            self.kisai_submit_edit.setFocus()
            return
        request = self.request()
        kisai = request.get("kind") == "kisai"
        if self._key is None:
            self._key = str(uuid7())  # kept for a retry of the same request
        key, client = self._key, self._client
        folder = self._print_dir() if self._print_dir else Path.cwd()

        def work() -> tuple[str, Path]:
            answer = client.issue_certificate(request, key)
            content = client.certificate_content(int(answer["issuance_id"]))
            copies = int(content.get("copies") or 1)
            if kisai:
                path = folder / f"kisai-{answer['certificate_no']}.pdf"
                doc = kisai_layout(content)
                render_kisai_pdf(doc, path, copies=copies)
            else:
                path = folder / f"juminhyo-{answer['certificate_no']}.pdf"
                doc = layout(content)
                render_pdf(doc, path, copies=copies)
            return str(answer["certificate_no"]), path, doc, copies

        self._set_busy(True)
        self._say(self.tr("交付しています…"), False)
        self._runner(work, self._done, self._failed)

    def _done(self, result: tuple[str, Path, Any, int]) -> None:
        number, path, doc, copies = result
        self.print_button.set_document(doc, copies)
        self._set_busy(False)
        self._key = None
        if self._approved_id is not None:  # an approval lifts the block once
            self._approved_id = self._decision_id = None
            self.decision_label.setText(self.tr("所属長の判断に基づき交付しました（判断は使用済み）"))
            self.check_decision_button.setEnabled(False)
        self.last_pdf = path
        self._say(fill(self.tr("証明書番号 %1 を交付しました。帳票管理簿に記録済みです。PDF: %2"),
                       number, str(path)), False)
        self.issued.emit(path)

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, ApiError):
            self._key = None  # a refusal is final: fixing the form makes a new request
            if exc.ends_session:
                self.session_ended.emit(error_message(exc))
                return
            if exc.code == "support_measure_blocked":
                self.decision_box.show()  # the clerk may ask the supervisor (WF-7)
            elif exc.code in ("support_decision_refused", "support_decision_used",
                              "support_decision_expired", "support_decision_not_yours"):
                self._approved_id = None  # that approval can no longer lift the block
                self.decision_box.show()
        if isinstance(exc, OSError):
            self._say(self.tr("PDFを保存できませんでした"), True)
            return
        self._say(error_message(exc), True)

    # -- 所属長への判断依頼 (WF-7) ---------------------------------------------------

    def _forget_decision_key(self, *_args: object) -> None:
        self._decision_key = None

    def ask_decision(self) -> None:
        """Send the refused request, as taken, to the supervisors' queue."""
        if self._busy or self.resident is None:
            return
        if self.requester_combo.currentData() not in ("proxy", "third_party"):
            self._say(self.tr("判断依頼は代理人・第三者からの請求に限ります"), True)
            return
        if not self.purpose_combo.currentData():
            self._say(self.tr("利用目的を選んでください"), True)
            self.purpose_combo.setFocus()
            return
        if not self.requester_name_edit.text().strip():
            self._say(self.tr("請求者の氏名を入力してください"), True)
            self.requester_name_edit.setFocus()
            return
        request = self.decision_request()
        if self._decision_key is None:
            self._decision_key = str(uuid7())
        key, client = self._decision_key, self._client
        self._set_busy(True)
        self._runner(lambda: client.request_support_decision(request, key), self._asked,
                     self._decision_failed)

    def _asked(self, answer: dict[str, Any]) -> None:
        self._set_busy(False)
        self._decision_key = None
        self._decision_id = int(answer["decision_id"])
        self._approved_id = None
        self.check_decision_button.setEnabled(True)
        self.decision_label.setStyleSheet("color: #8a5300; font-weight: bold;")
        self.decision_label.setText(fill(self.tr("判断依頼 第%1号を送りました。所属長の判断を待っています"),
                                         self._decision_id))
        self._say("", False)

    def check_decision(self) -> None:
        if self._busy or self._decision_id is None:
            return
        decision_id, client = self._decision_id, self._client
        self._set_busy(True)
        self._runner(lambda: client.support_decision(decision_id), self._show_decision,
                     self._decision_failed)

    def _show_decision(self, decision: dict[str, Any]) -> None:
        self._set_busy(False)
        status = decision.get("status")
        reason = str(decision.get("decision_reason") or "")
        if status == "approved" and decision.get("valid_today"):
            self._approved_id = int(decision["id"])
            self.decision_label.setStyleSheet("color: #1b5e20; font-weight: bold;")
            self.decision_label.setText(fill(self.tr(
                "所属長が交付を認めました（理由: %1）。同じ内容で「交付する」を押してください（1回限り・当日限り）"),
                reason))
        elif status == "refused":
            self._approved_id = None
            self.decision_label.setStyleSheet("color: #b00020; font-weight: bold;")
            self.decision_label.setText(fill(self.tr(
                "所属長が交付を認めませんでした（理由: %1）。交付できません"), reason))
        elif status == "pending":
            self.decision_label.setStyleSheet("color: #8a5300; font-weight: bold;")
            self.decision_label.setText(self.tr("まだ判断されていません。しばらくしてからもう一度確認してください"))
        else:
            self._approved_id = None
            self.decision_label.setStyleSheet("color: #b00020; font-weight: bold;")
            self.decision_label.setText(self.tr("この判断は使用済みか期限切れです。改めて判断依頼をしてください"))

    def _decision_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, ApiError):
            self._decision_key = None
            if exc.ends_session:
                self.session_ended.emit(error_message(exc))
                return
        self._say(error_message(exc), True)

    def set_online(self, online: bool) -> None:
        """Issuance needs the centre (支援措置 state, 帳票管理簿): off while it is unreachable."""
        self._online = online
        self.offline_label.setVisible(not online)
        self._set_busy(self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.issue_button.setEnabled(not busy and self._online)
        self.print_button.allow(not busy)
        self.ask_decision_button.setEnabled(not busy and self._online)
        self.check_decision_button.setEnabled(not busy and self._online and self._decision_id is not None)

    def _say(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if error else "color: #1b5e20;")
        self.message.setVisible(bool(text))
