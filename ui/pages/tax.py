"""税務窓口（個人住民税）: 申告受付 and 課税・所得証明書 for the resident chosen on the search page (#8).

申告受付 (TAX-2/3/4): the filer is identified first (本人確認 by card or documents, recorded with the
centre; the button opens the 本人確認 page and comes back). Income, deductions and dependents are
checked here (app.tax) and again by the centre; every message stands beside its field and nothing
typed is lost. The entry is sent as a command (Idempotency-Key, kept for a retry of the same entry)
and waits for a second person's 二重チェック before the 課税台帳 changes.

証明書交付 (TAX-1): kind, 年度, who asks (anyone but the person or the household needs a 委任状,
and their name is recorded), purpose and copies; the fee per copy comes from the centre's table.
The PDF never has a My Number. Network calls and rendering run in the runner.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.api_client import ApiError, OperatorSession
from app.identity import IdentityResult
from app.outbox import uuid7
from app.residents import ResidentSummary
from app.tax import (AMOUNT_FIELDS, MAX_DEPENDENTS, DependentForm, FilingForm, certificate_layout,
                     check_filing, yen)
from japan.era import nendo
from ui.common.busy import BusyIndicator
from ui.printing.certificate_pdf import render_pdf
from ui.common.errors import error_message
from ui.common.i18n import fill
from ui.printing.queue import PrintButton
from ui.pages.search import purpose_label
from ui.common.ops import Failures
from ui.common.worker import Runner

ERROR_STYLE = "color: #b00020; font-weight: bold;"
BAD_FIELD = "border: 2px solid #b00020;"


class DependentRow(QWidget):
    """One 扶養親族: 氏名, フリガナ, 生年月日, 続柄, 個人番号, 所得見積額, 同居, and its message."""

    remove_requested = Signal(object)

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("氏名"))
        self.name_edit.setMaxLength(100)
        self.kana_edit = QLineEdit()
        self.kana_edit.setPlaceholderText(self.tr("フリガナ"))
        self.kana_edit.setMaxLength(200)
        self.birth_edit = QLineEdit()
        self.birth_edit.setPlaceholderText(self.tr("生年月日 例: 2010-04-01"))
        self.birth_edit.setMaxLength(20)
        self.relationship_combo = QComboBox()
        self.relationship_combo.addItem(self.tr("（続柄）"), "")
        for code, label in (("spouse", self.tr("配偶者")), ("child", self.tr("子")),
                            ("parent", self.tr("父母")), ("other", self.tr("その他の親族"))):
            self.relationship_combo.addItem(label, code)
        self.my_number_edit = QLineEdit()
        self.my_number_edit.setPlaceholderText(self.tr("個人番号（12桁）"))
        self.my_number_edit.setMaxLength(14)
        self.my_number_edit.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)  # onlookers
        self.income_edit = QLineEdit()
        self.income_edit.setPlaceholderText(self.tr("所得見積額（円）"))
        self.income_edit.setMaxLength(15)
        self.lives_with_check = QCheckBox(self.tr("同居"))
        self.lives_with_check.setChecked(True)
        self.remove_button = QPushButton(self.tr("削除"))
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.hide()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 6)
        grid.addWidget(self.caption, 0, 0)
        grid.addWidget(self.name_edit, 0, 1)
        grid.addWidget(self.kana_edit, 0, 2)
        grid.addWidget(self.birth_edit, 0, 3)
        grid.addWidget(self.relationship_combo, 0, 4)
        grid.addWidget(self.my_number_edit, 1, 1)
        grid.addWidget(self.income_edit, 1, 2)
        grid.addWidget(self.lives_with_check, 1, 3)
        grid.addWidget(self.remove_button, 1, 4)
        grid.addWidget(self.error_label, 2, 1, 1, 4)
        self.fields = {"name": self.name_edit, "name_kana": self.kana_edit,
                       "birth_date": self.birth_edit, "relationship": self.relationship_combo,
                       "my_number": self.my_number_edit, "income_estimate": self.income_edit}
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        self.set_number(number)

    def set_number(self, number: int) -> None:
        self.caption.setText(fill(self.tr("%1人目"), number))

    def form(self) -> DependentForm:
        return DependentForm(self.name_edit.text(), self.kana_edit.text(), self.birth_edit.text(),
                             self.relationship_combo.currentData() or "", self.my_number_edit.text(),
                             self.income_edit.text(), self.lives_with_check.isChecked())

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, widget in self.fields.items():
            widget.setStyleSheet(BAD_FIELD if key in errors else "")
        self.error_label.setText("\n".join(errors.values()))
        self.error_label.setVisible(bool(errors))


class TaxPage(QWidget):
    back_requested = Signal()
    session_ended = Signal(str)
    identity_requested = Signal(object)  # the ResidentSummary to identify first
    filed = Signal(object)  # the centre's answer
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
        self.identity: IdentityResult | None = None
        self.kinds: dict[str, Any] = {}
        self._filing_key: str | None = None
        self._cert_key: str | None = None
        self._busy = False
        self.last_pdf: Path | None = None
        self.last_filing: dict[str, Any] | None = None

        title = QLabel(self.tr("税務窓口（個人住民税）"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.back_button = QPushButton(self.tr("検索に戻る"))
        self.back_button.setObjectName("taxBack")
        banner = QHBoxLayout()
        banner.addWidget(title)
        banner.addStretch(1)
        banner.addWidget(self.back_button)
        self.subject_label = QLabel()
        self.subject_label.setObjectName("taxSubject")
        self.support_banner = QLabel(self.tr("⚠ 支援措置の対象者です。代理人・第三者への証明書の交付はできません（所属長の判断が必要）"))
        self.support_banner.setWordWrap(True)
        self.support_banner.setStyleSheet("background: #b00020; color: white; font-weight: bold; padding: 6px;")
        self.support_banner.hide()

        self.tabs = QTabWidget()
        self.filing_tab = self._build_filing_tab()
        self.cert_tab = self._build_certificate_tab()
        self.tabs.addTab(self.filing_tab, self.tr("住民税申告の受付"))
        self.tabs.addTab(self.cert_tab, self.tr("課税・所得証明書の交付"))
        self.tabs.tabBar().setAccessibleName(self.tr("税務窓口の手続き"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addLayout(banner)
        layout.addWidget(self.subject_label)
        layout.addWidget(self.support_banner)
        layout.addWidget(self.tabs, 1)
        self.back_button.clicked.connect(self.back_requested)

    # -- 申告受付 -------------------------------------------------------------------

    def _build_filing_tab(self) -> QWidget:
        tab = QWidget()
        self.identity_label = QLabel()
        self.identity_label.setObjectName("taxIdentity")
        self.identity_label.setWordWrap(True)
        self.identity_button = QPushButton(self.tr("本人確認を行う"))
        self.identity_button.setObjectName("taxIdentityButton")
        id_row = QHBoxLayout()
        id_row.addWidget(self.identity_label, 1)
        id_row.addWidget(self.identity_button)
        self.filing_year_combo = QComboBox()
        self.filing_year_combo.setObjectName("filingYear")
        labels = {
            "employment_revenue": self.tr("給与収入"), "pension_revenue": self.tr("公的年金等の収入"),
            "other_income": self.tr("その他の所得（事業・不動産等）"),
            "social_insurance": self.tr("社会保険料控除"),
            "life_insurance": self.tr("生命保険料控除（上限7万円）"),
            "medical": self.tr("医療費控除（上限200万円）"),
        }
        form = QFormLayout()
        form.addRow(self.tr("年度"), self.filing_year_combo)
        self.amount_edits: dict[str, QLineEdit] = {}
        self.amount_errors: dict[str, QLabel] = {}
        for name in AMOUNT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"amount_{name}")
            edit.setPlaceholderText(self.tr("円"))
            edit.setMaxLength(15)
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.hide()
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(error, 2)
            form.addRow(labels[name], row)
            edit.setAccessibleName(labels[name])  # the label is not its buddy (error beside it)
            self.amount_edits[name], self.amount_errors[name] = edit, error
            edit.textEdited.connect(self._forget_filing_key)
        amounts = QGroupBox(self.tr("収入・所得控除（申告書のとおり）"))
        amounts.setLayout(form)

        self.dependent_rows: list[DependentRow] = []
        self.dependents_box = QVBoxLayout()
        self.add_dependent_button = QPushButton(self.tr("扶養親族を追加"))
        self.add_dependent_button.setObjectName("addDependent")
        self.dependents_message = QLabel(self.tr("扶養親族はいません"))
        deps = QGroupBox(self.tr("控除対象配偶者・扶養親族（個人番号は検査用数字を確認します）"))
        deps_layout = QVBoxLayout(deps)
        deps_layout.addWidget(self.dependents_message)
        deps_layout.addLayout(self.dependents_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_dependent_button)
        add_row.addStretch(1)
        deps_layout.addLayout(add_row)

        self.file_button = QPushButton(self.tr("申告を登録して二重チェックへ回す"))
        self.file_button.setObjectName("fileButton")
        self.filing_message = QLabel()
        self.filing_message.setObjectName("filingMessage")
        self.filing_message.setWordWrap(True)
        self.filing_message.hide()

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(id_row)
        inner_layout.addWidget(amounts)
        inner_layout.addWidget(deps)
        inner_layout.addWidget(self.file_button)
        inner_layout.addWidget(self.filing_message)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop: Tab goes to the fields
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(tab)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.identity_button.clicked.connect(self._ask_identity)
        self.add_dependent_button.clicked.connect(self.add_dependent)
        self.file_button.clicked.connect(self.submit_filing)
        self.filing_year_combo.currentIndexChanged.connect(self._forget_filing_key)
        return tab

    def add_dependent(self) -> DependentRow | None:
        if len(self.dependent_rows) >= MAX_DEPENDENTS:
            self._say(self.filing_message, fill(self.tr("扶養親族は%1人まで入力できます"), MAX_DEPENDENTS), True)
            return None
        row = DependentRow(len(self.dependent_rows) + 1)
        row.remove_requested.connect(self._remove_dependent)
        for edit in (row.name_edit, row.kana_edit, row.birth_edit, row.my_number_edit, row.income_edit):
            edit.textEdited.connect(self._forget_filing_key)
        self.dependent_rows.append(row)
        self.dependents_box.addWidget(row)
        self.dependents_message.hide()
        self._forget_filing_key()
        return row

    def _remove_dependent(self, row: DependentRow) -> None:
        self.dependent_rows.remove(row)
        row.setParent(None)
        row.deleteLater()
        for i, r in enumerate(self.dependent_rows):
            r.set_number(i + 1)
        self.dependents_message.setVisible(not self.dependent_rows)
        self._forget_filing_key()

    def _forget_filing_key(self, *_args: object) -> None:
        self._filing_key = None

    def _ask_identity(self) -> None:
        if self.resident is not None:
            self.identity_requested.emit(self.resident)

    def set_identity(self, result: IdentityResult | None) -> None:
        """The 本人確認 recorded for this resident (by the identity page), or None."""
        if result is not None and (self.resident is None or result.resident_id != self.resident.id):
            return
        self.identity = result if result is not None and result.matched else None
        if self.identity is None:
            self.identity_label.setText(self.tr("本人確認: 未実施 — 申告を受け付ける前に、マイナンバーカードまたは本人確認書類で確認してください"))
            self.identity_label.setStyleSheet("color: #8a5300; font-weight: bold;")
        else:
            how = {"card": self.tr("マイナンバーカード"), "card_code_b": self.tr("マイナンバーカード（券面）"),
                   "documents": self.tr("本人確認書類")}.get(self.identity.method, self.identity.method)
            self.identity_label.setText(fill(self.tr("本人確認: 済（%1）"), how))
            self.identity_label.setStyleSheet("color: #1b5e20; font-weight: bold;")

    def filing_form(self) -> FilingForm:
        assert self.resident is not None
        return FilingForm(self.resident.id, int(self.filing_year_combo.currentData() or 0),
                          self.identity.method if self.identity else None,
                          {name: edit.text() for name, edit in self.amount_edits.items()},
                          [row.form() for row in self.dependent_rows])

    def _show_filing_errors(self, errors: dict[str, str]) -> None:
        for name, edit in self.amount_edits.items():
            edit.setStyleSheet(BAD_FIELD if name in errors else "")
            self.amount_errors[name].setText(errors.get(name, ""))
            self.amount_errors[name].setVisible(name in errors)
        for i, row in enumerate(self.dependent_rows):
            prefix = f"dependents.{i}."
            row.show_errors({k[len(prefix):]: v for k, v in errors.items() if k.startswith(prefix)})
        if "identity" in errors:
            self.identity_label.setText(errors["identity"])
            self.identity_label.setStyleSheet(ERROR_STYLE)

    def submit_filing(self) -> None:
        if self._busy or self.resident is None:
            return
        request, errors = check_filing(self.filing_form())
        self._show_filing_errors(errors)
        if request is None:
            self._say(self.filing_message, fill(self.tr("入力に誤りがあります（%1件）。赤枠の項目を確認してください"),
                                                len(errors)), True)
            return
        if self._filing_key is None:
            self._filing_key = str(uuid7())
        key, client = self._filing_key, self._client
        self._set_busy(True)
        self._runner(lambda: client.submit_tax_filing(request, key), self._filed, self._filing_failed)

    def _filed(self, answer: dict[str, Any]) -> None:
        self._set_busy(False)
        # the key is kept: pressing again without a change replays this 申告, never a second one
        self.last_filing = answer
        c = answer.get("computed") or {}
        self._say(self.filing_message, fill(
            self.tr("申告第%1号を登録しました。別の職員の二重チェック後に課税台帳へ反映されます。"
                    "（所得 %2・所得控除 %3・課税標準 %4・税額 %5）"),
            answer.get("filing_id"), yen(c.get("total_income")), yen(c.get("deductions")),
            yen(c.get("taxable_income")),
            yen(int(c.get("municipal_tax") or 0) + int(c.get("prefectural_tax") or 0))), False)
        self.filed.emit(answer)

    def _filing_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, ApiError):
            self._filing_key = None  # a refusal is final: the corrected entry is a new command
            if exc.ends_session:
                self.session_ended.emit(error_message(exc))
                return
            if exc.field:
                self._show_filing_errors({"identity" if exc.field == "identity_method" else exc.field:
                                          error_message(exc)})
        self._say(self.filing_message, error_message(exc), True)

    # -- 証明書交付 -----------------------------------------------------------------

    def _build_certificate_tab(self) -> QWidget:
        tab = QWidget()
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("taxCertKind")
        self.cert_year_combo = QComboBox()
        self.cert_year_combo.setObjectName("taxCertYear")
        self.requester_combo = QComboBox()
        self.requester_combo.setObjectName("taxRequester")
        for code, label in (("self", self.tr("本人")), ("household", self.tr("同一世帯の方")),
                            ("proxy", self.tr("代理人（委任状が必要）")),
                            ("third_party", self.tr("第三者（委任状が必要）"))):
            self.requester_combo.addItem(label, code)
        self.attorney_check = QCheckBox(self.tr("委任状を確認した"))
        self.attorney_check.setObjectName("taxPowerOfAttorney")
        self.requester_name_edit = QLineEdit()
        self.requester_name_edit.setObjectName("taxRequesterName")
        self.requester_name_edit.setMaxLength(100)
        self.requester_name_edit.setPlaceholderText(self.tr("代理人・第三者の氏名（帳票管理簿に記録）"))
        self.cert_purpose_combo = QComboBox()
        self.cert_purpose_combo.setObjectName("taxCertPurpose")
        self.cert_purpose_combo.addItem(self.tr("（選択してください）"), "")
        for code in ("certificate", "tax", "other"):
            self.cert_purpose_combo.addItem(purpose_label(code), code)
        self.cert_purpose_note = QLineEdit()
        self.cert_purpose_note.setMaxLength(200)
        self.copies_spin = QSpinBox()
        self.copies_spin.setRange(1, 10)
        self.fee_label = QLabel()
        self.fee_label.setObjectName("taxFee")
        self.fee_label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        form = QFormLayout()
        form.addRow(self.tr("証明書の種類"), self.kind_combo)
        form.addRow(self.tr("年度"), self.cert_year_combo)
        form.addRow(self.tr("請求者"), self.requester_combo)
        form.addRow("", self.attorney_check)
        form.addRow(self.tr("請求者の氏名"), self.requester_name_edit)
        form.addRow(self.tr("利用目的"), self.cert_purpose_combo)
        form.addRow(self.tr("目的の補足"), self.cert_purpose_note)
        form.addRow(self.tr("部数"), self.copies_spin)
        form.addRow(self.tr("手数料"), self.fee_label)
        box = QGroupBox(self.tr("請求の内容（証明書に個人番号は記載されません）"))
        box.setLayout(form)
        self.cert_button = QPushButton(self.tr("交付する（PDFを作成）"))
        self.cert_button.setObjectName("taxIssueButton")
        self.cert_message = QLabel()
        self.cert_message.setObjectName("taxCertMessage")
        self.cert_message.setWordWrap(True)
        self.cert_message.hide()
        self.print_button = PrintButton(
            self._runner, lambda text, error: self._say(self.cert_message, text, error))
        layout = QVBoxLayout(tab)
        layout.addWidget(box)
        issue_row = QHBoxLayout()
        issue_row.addWidget(self.cert_button, 1)
        issue_row.addWidget(self.print_button)
        layout.addLayout(issue_row)
        layout.addWidget(self.cert_message)
        layout.addStretch(1)

        self.cert_button.clicked.connect(self.issue_certificate)
        self.requester_combo.currentIndexChanged.connect(self._update_requester)
        for w in (self.kind_combo, self.cert_year_combo, self.requester_combo, self.cert_purpose_combo):
            w.currentIndexChanged.connect(self._forget_cert_key)
        self.attorney_check.toggled.connect(self._forget_cert_key)
        self.attorney_check.toggled.connect(lambda _on: self.attorney_check.setStyleSheet(""))
        self.requester_name_edit.textEdited.connect(lambda _t: self.requester_name_edit.setStyleSheet(""))
        for e in (self.requester_name_edit, self.cert_purpose_note):
            e.textEdited.connect(self._forget_cert_key)
        self.copies_spin.valueChanged.connect(self._forget_cert_key)
        self.kind_combo.currentIndexChanged.connect(self._show_fee)
        self.copies_spin.valueChanged.connect(self._show_fee)
        self._update_requester()
        return tab

    def _forget_cert_key(self, *_args: object) -> None:
        self._cert_key = None

    def _update_requester(self) -> None:
        other = self.requester_combo.currentData() in ("proxy", "third_party")
        self.attorney_check.setEnabled(other)
        self.requester_name_edit.setEnabled(other)
        if not other:
            self.attorney_check.setChecked(False)

    def _show_fee(self) -> None:
        kind = next((k for k in self.kinds.get("kinds", []) if k["code"] == self.kind_combo.currentData()), None)
        if kind is None:
            self.fee_label.setText(self.tr("（手数料表を読み込み中）"))
            return
        per = int(kind["fee_yen_per_copy"])
        copies = self.copies_spin.value()
        self.fee_label.setText(fill(self.tr("%1 × %2通 = %3"), yen(per), copies, yen(per * copies)))

    def _load_kinds(self) -> None:
        self._runner(self._client.tax_certificate_kinds, self._show_kinds,
                     lambda exc: self._say(self.cert_message, error_message(exc), True))

    def _show_kinds(self, kinds: dict[str, Any]) -> None:
        self.kinds = kinds
        current = self.kind_combo.currentData()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        for k in kinds.get("kinds", []):
            self.kind_combo.addItem(k["label_ja"], k["code"])
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(current)))
        self.kind_combo.blockSignals(False)
        years = [int(y) for y in kinds.get("fiscal_years", [])]
        for combo in (self.cert_year_combo, self.filing_year_combo):
            combo.blockSignals(True)
            combo.clear()
            for y in years:
                combo.addItem(f"{nendo(y)}（{y}）", y)
            combo.blockSignals(False)
        if len(years) > 1:
            self.cert_year_combo.setCurrentIndex(1)  # last year's 年度 is the usual request
        self._show_fee()

    def certificate_request(self) -> dict[str, Any]:
        assert self.resident is not None
        other = self.requester_combo.currentData() in ("proxy", "third_party")
        return {"resident_id": self.resident.id, "kind": self.kind_combo.currentData(),
                "fiscal_year": self.cert_year_combo.currentData(),
                "requester_relation": self.requester_combo.currentData(),
                "requester_name": (self.requester_name_edit.text().strip() or None) if other else None,
                "power_of_attorney_seen": self.attorney_check.isChecked() if other else False,
                "purpose": self.cert_purpose_combo.currentData() or "",
                "purpose_note": self.cert_purpose_note.text().strip() or None,
                "copies": self.copies_spin.value()}

    def issue_certificate(self) -> None:
        if self._busy or self.resident is None:
            return
        if not self.kind_combo.currentData() or self.cert_year_combo.currentData() is None:
            self._say(self.cert_message, self.tr("証明書の種類と年度を選んでください"), True)
            return
        if not self.cert_purpose_combo.currentData():
            self._say(self.cert_message, self.tr("利用目的を選んでください"), True)
            self.cert_purpose_combo.setFocus()
            return
        request = self.certificate_request()
        if self._cert_key is None:
            self._cert_key = str(uuid7())
        key, client = self._cert_key, self._client
        folder = self._print_dir() if self._print_dir else Path.cwd()

        def work() -> tuple[dict[str, Any], Path]:
            answer = client.issue_tax_certificate(request, key)
            content = client.tax_certificate_content(int(answer["issuance_id"]))
            path = folder / f"tax-{answer['certificate_no']}.pdf"
            doc, copies = certificate_layout(content), int(content.get("copies") or 1)
            render_pdf(doc, path, copies=copies)
            return answer, path, doc, copies

        self._set_busy(True)
        self._say(self.cert_message, self.tr("交付しています…"), False)
        self._runner(work, self._issued, self._cert_failed)

    def _issued(self, result: tuple[dict[str, Any], Path, Any, int]) -> None:
        answer, path, doc, copies = result
        self.print_button.set_document(doc, copies)
        self._set_busy(False)
        self._cert_key = None
        self.last_pdf = path
        self._say(self.cert_message, fill(
            self.tr("証明書番号 %1 を交付しました。手数料 %2 を受領してください。帳票管理簿に記録済みです。PDF: %3"),
            answer.get("certificate_no"), yen(answer.get("fee_yen")), str(path)), False)
        self.issued.emit(path)

    def _cert_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, ApiError):
            self._cert_key = None
            if exc.ends_session:
                self.session_ended.emit(error_message(exc))
                return
        if isinstance(exc, OSError):
            self._say(self.cert_message, self.tr("PDFを保存できませんでした"), True)
            return
        self._say(self.cert_message, error_message(exc), True)
        if isinstance(exc, ApiError) and exc.field == "power_of_attorney_seen":
            self.attorney_check.setStyleSheet(ERROR_STYLE)
        elif isinstance(exc, ApiError) and exc.field == "requester_name":
            self.requester_name_edit.setStyleSheet(BAD_FIELD)

    # -- state ---------------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        if session is None:
            self.show_resident(None)

    def show_resident(self, resident: ResidentSummary | None) -> None:
        """Start with ``resident``: blank forms, no identity yet (until the page is told)."""
        self.resident = resident
        self._filing_key = self._cert_key = None
        self.last_pdf, self.last_filing = None, None
        self.print_button.set_document(None)
        for edit in self.amount_edits.values():
            edit.clear()
        for row in list(self.dependent_rows):
            self._remove_dependent(row)
        self._show_filing_errors({})
        self.requester_combo.setCurrentIndex(0)
        self.cert_purpose_combo.setCurrentIndex(0)
        self.requester_name_edit.clear()
        self.cert_purpose_note.clear()
        self.copies_spin.setValue(1)
        self.attorney_check.setStyleSheet("")
        self.requester_name_edit.setStyleSheet("")
        for label in (self.filing_message, self.cert_message):
            self._say(label, "", False)
        self.set_identity(None)
        if resident is None:
            self.subject_label.clear()
            self.support_banner.hide()
            return
        self.subject_label.setText(fill(self.tr("対象: %1（%2）　%3"), resident.name_kanji,
                                        resident.name_kana, resident.address))
        self.support_banner.setVisible(resident.support_measure)
        self._load_kinds()

    def set_online(self, online: bool) -> None:
        self._online = online
        self._set_busy(self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        enabled = not busy and getattr(self, "_online", True)
        self.file_button.setEnabled(enabled)
        self.cert_button.setEnabled(enabled)
        self.print_button.allow(not busy)

    @staticmethod
    def _say(label: QLabel, text: str, error: bool) -> None:
        label.setText(text)
        label.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")
        label.setVisible(bool(text))
