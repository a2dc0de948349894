"""本人確認画面 (WF-2, DQ-3, DQ-5): the card beside the register record, or a documents checklist.

Card path: カードを読む asks the card for the PIN tries left (no try spent) → the resident types the
4-digit PIN on the pad (masked) → one VERIFY → the 基本4情報 beside the register record with every
difference highlighted. Never retried automatically; with one try left the clerk must confirm
first; a locked PIN gets its own panel and no VERIFY at all; any card error clears whatever was on
screen. The 個人番号 is read only for an operator holding 特定個人情報アクセス権限. The page says
plainly whether the digests and the signature were verified, and when the card is the built-in
仮想カード. Documents path: one photo ID or two other documents (000 L3286). The result is recorded
with the centre (who, when, whom, how, what was checked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.api_client import ApiError, OperatorSession
from app.identity import (OTHER_DOCUMENTS, PHOTO_IDS, SEX_LABELS, CardIdentity, IdentityResult, all_match,
                          compare, documents_sufficient, name_needs_visual_check)
from app.residents import ResidentSummary
from japan.era import wareki
from ui.busy import BusyIndicator
from ui.errors import error_message
from ui.i18n import fill
from ui.keys import Button
from ui.worker import Runner

MY_NUMBER_ACCESS = "my_number_access"
DIFFERENT = QColor("#ffd6d6")
CHECK = QColor("#fff3c4")


class PinPad(QWidget):
    """Four masked digits typed by the resident (keyboard or the on-screen keys)."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName("pinEdit")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setMaxLength(4)
        self.edit.setInputMask("")
        self.edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.edit.setAccessibleName(self.tr("暗証番号（4桁）"))
        grid = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        for i, label in enumerate("123456789"):
            self._key(grid, label, i // 3, i % 3)
        self._key(grid, "0", 3, 1)
        clear = QPushButton(self.tr("訂正"))
        clear.clicked.connect(self.edit.clear)
        grid.addWidget(clear, 3, 0)
        self.ok = QPushButton(self.tr("確定"))
        self.ok.setObjectName("pinOk")
        self.ok.clicked.connect(self.submitted)
        grid.addWidget(self.ok, 3, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addLayout(grid)
        self.edit.returnPressed.connect(self.submitted)

    def _key(self, grid: QGridLayout, digit: str, row: int, col: int) -> None:
        button = QPushButton(digit)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self.edit.insert(digit) if len(self.edit.text()) < 4 else None)
        self.keys[digit] = button
        grid.addWidget(button, row, col)

    def take(self) -> str:
        """The PIN, and clear the field at once (it never stays on screen or in the widget)."""
        pin = self.edit.text()
        self.edit.clear()
        return pin


def document_labels() -> dict[str, str]:
    """本人確認書類, by code, in the UI language (also named on the 審査 page)."""
    return {
        "drivers_license": QCoreApplication.translate("IdentityPage", "運転免許証"),
        "passport": QCoreApplication.translate("IdentityPage", "旅券（パスポート）"),
        "residence_card": QCoreApplication.translate("IdentityPage", "在留カード・特別永住者証明書"),
        "disability_certificate": QCoreApplication.translate("IdentityPage", "身体障害者手帳（写真付き）"),
        "driving_history": QCoreApplication.translate("IdentityPage", "運転経歴証明書"),
        "health_insurance": QCoreApplication.translate("IdentityPage", "健康保険の資格確認書・被保険者証"),
        "pension_book": QCoreApplication.translate("IdentityPage", "年金手帳・基礎年金番号通知書"),
        "pension_certificate": QCoreApplication.translate("IdentityPage", "年金証書"),
        "student_id": QCoreApplication.translate("IdentityPage", "学生証（写真なし）"),
        "bank_book": QCoreApplication.translate("IdentityPage", "預金通帳・キャッシュカード"),
        "utility_bill": QCoreApplication.translate("IdentityPage", "公共料金の領収書（氏名・住所記載）"),
    }


class IdentityPage(QWidget):
    back_requested = Signal()
    session_ended = Signal(str)
    recorded = Signal(object)  # IdentityResult

    def __init__(self, client: Any, runner: Runner,
                 card_access: Callable[[dict[str, Any]], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.busy = BusyIndicator(self)  # every wait (centre, card) shows it and a busy cursor
        self._client = client
        self._runner = self.busy.wrap(runner)
        self._card_access = card_access
        self.session: OperatorSession | None = None
        self.resident: ResidentSummary | None = None
        self.record: dict[str, Any] | None = None
        self.card: Any = None
        self.card_result: CardIdentity | None = None
        self.result: IdentityResult | None = None
        self.newcomer_case: str | None = None  # a 転入 without a register record (its case id)
        self._busy = False

        title = QLabel(self.tr("本人確認"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.back_button = Button(self.tr("検索に戻る(&B)"))
        banner = QHBoxLayout()
        banner.addWidget(title)
        banner.addStretch(1)
        banner.addWidget(self.back_button)
        self.subject_label = QLabel()
        self.subject_label.setObjectName("identitySubject")

        # card tab
        self.card_status = QLabel()
        self.card_status.setObjectName("cardStatus")
        self.card_status.setWordWrap(True)
        self.virtual_label = QLabel()
        self.virtual_label.setObjectName("virtualCard")
        self.virtual_label.setStyleSheet("background: #fff8e1; color: #5d4200; font-weight: bold; padding: 4px;")
        self.virtual_label.hide()
        self.read_button = Button(self.tr("カードを読む(&R)"))
        self.read_button.setObjectName("readCardButton")
        self.pin_box = QGroupBox(self.tr("暗証番号（4桁）をご本人が入力してください"))
        self.tries_label = QLabel()
        self.tries_label.setObjectName("triesLeft")
        self.cert_label = QLabel()
        self.cert_label.setObjectName("certificateExpiry")
        self.pin_pad = PinPad()
        self.confirm_last = QCheckBox(self.tr("残り1回で、間違えるとロックされることをご本人に伝えました"))
        self.confirm_last.setObjectName("confirmLastTry")
        self.confirm_last.hide()
        pin_layout = QVBoxLayout(self.pin_box)
        pin_layout.addWidget(self.tries_label)
        pin_layout.addWidget(self.cert_label)
        pin_layout.addWidget(self.pin_pad)
        pin_layout.addWidget(self.confirm_last)
        self.pin_box.hide()
        self.locked_panel = QLabel(self.tr("暗証番号がロックされています。このカードでは確認できません。"
                                           "ロック解除は窓口での手続きが必要です。書類による確認に切り替えてください。"))
        self.locked_panel.setObjectName("pinLockedPanel")
        self.locked_panel.setWordWrap(True)
        self.locked_panel.setStyleSheet("background: #b00020; color: white; font-weight: bold; padding: 8px;")
        self.locked_panel.hide()
        self.to_documents_button = Button(self.tr("書類で確認する(&D)"))
        self.to_documents_button.hide()
        self.compare_table = QTableWidget(0, 4)
        self.compare_table.setObjectName("compareTable")
        self.compare_table.setAccessibleName(self.tr("カードと住民記録の比較"))
        self.compare_table.setHorizontalHeaderLabels(
            [self.tr("項目"), self.tr("カード"), self.tr("住民記録"), self.tr("判定")])
        self.compare_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.compare_table.verticalHeader().hide()
        self.integrity_label = QLabel()
        self.integrity_label.setObjectName("integrity")
        self.integrity_label.setWordWrap(True)
        self.my_number_label = QLabel()
        self.my_number_label.setObjectName("cardMyNumber")
        self.record_card_button = Button(self.tr("本人確認を記録(&M)"))
        self.record_card_button.setObjectName("recordCardCheck")
        self.record_card_button.setEnabled(False)
        card_tab = QWidget()
        cl = QVBoxLayout(card_tab)
        for w in (self.virtual_label, self.card_status, self.read_button, self.pin_box,
                  self.locked_panel, self.to_documents_button, self.compare_table,
                  self.integrity_label, self.my_number_label, self.record_card_button):
            cl.addWidget(w)

        # documents tab
        docs_tab = QWidget()
        dl = QVBoxLayout(docs_tab)
        self.doc_checks: dict[str, QCheckBox] = {}
        photo = QGroupBox(self.tr("写真付きの書類（1点で可）"))
        pl = QVBoxLayout(photo)
        other = QGroupBox(self.tr("写真のない書類（2点必要）"))
        ol = QVBoxLayout(other)
        labels = document_labels()
        for code in PHOTO_IDS:
            self.doc_checks[code] = QCheckBox(labels[code])
            pl.addWidget(self.doc_checks[code])
        for code in OTHER_DOCUMENTS:
            self.doc_checks[code] = QCheckBox(labels[code])
            ol.addWidget(self.doc_checks[code])
        self.docs_verdict = QLabel()
        self.docs_verdict.setObjectName("documentsVerdict")
        self.record_docs_button = Button(self.tr("本人確認を記録(&M)"))
        self.record_docs_button.setObjectName("recordDocumentsCheck")
        for w in (photo, other, self.docs_verdict, self.record_docs_button):
            dl.addWidget(w)
        for box in self.doc_checks.values():
            box.toggled.connect(self._update_documents)

        self.tabs = QTabWidget()
        # Alt+C / Alt+S choose the method from the keyboard; the cursor follows (_method_chosen).
        self.tabs.addTab(card_tab, self.tr("マイナンバーカード(&C)"))
        self.tabs.addTab(docs_tab, self.tr("書類(&S)"))
        self.tabs.tabBar().setAccessibleName(self.tr("確認の方法"))
        self.card_tab, self.docs_tab = card_tab, docs_tab
        self.message = QLabel()
        self.message.setObjectName("identityMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(banner)
        layout.addWidget(self.subject_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)

        self.back_button.clicked.connect(self.back_requested)
        self.read_button.clicked.connect(self.start_card)
        self.pin_pad.submitted.connect(self.submit_pin)
        self.to_documents_button.clicked.connect(lambda: self.tabs.setCurrentWidget(self.docs_tab))
        self.tabs.currentChanged.connect(self._method_chosen)
        self.record_card_button.clicked.connect(self.record_card)
        self.record_docs_button.clicked.connect(self.record_documents)
        # Return presses a focused button (as in a dialog); Space does too.
        for button in (self.back_button, self.read_button, self.to_documents_button,
                       self.record_card_button, self.record_docs_button):
            button.setAutoDefault(True)
        self._update_documents()

    # -- keyboard ------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Entering the page puts the cursor on カードを読む (or the documents when no reader)."""
        super().showEvent(event)
        if self.read_button.isEnabled():
            self.read_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self._card_access is None:
            self.tabs.setCurrentWidget(self.docs_tab)
            next(iter(self.doc_checks.values())).setFocus(Qt.FocusReason.OtherFocusReason)

    def _method_chosen(self, _index: int) -> None:
        """A method chosen by keyboard (Alt+C / Alt+S, Ctrl+Tab) or the mouse: the cursor goes to
        its first step — the first document not yet ticked, or カードを読む — so the clerk never
        hunts for it with Tab; unless it is already on that tab (Qt brings it back to where it
        was left there) or on the tab bar."""
        tab = self.tabs.currentWidget()
        focus = self.focusWidget() if self.isVisible() else None
        if not self.isVisible() or focus is self.tabs.tabBar() or (
                focus is not None and tab.isAncestorOf(focus)):
            return  # arrows on the tab bar keep the cursor there, as everywhere in Qt
        if tab is self.docs_tab:
            boxes = list(self.doc_checks.values())
            next((b for b in boxes if not b.isChecked()), boxes[0]).setFocus(
                Qt.FocusReason.TabFocusReason)
        elif self.read_button.isEnabled():
            self.read_button.setFocus(Qt.FocusReason.TabFocusReason)

    def back_to(self, where: str) -> None:
        """The back button says where it goes: search, case (受付) or tax (申告)."""
        self.back_button.setText({"case": self.tr("受付に戻る(&B)"), "tax": self.tr("申告に戻る(&B)")}
                                 .get(where, self.tr("検索に戻る(&B)")))

    # -- state -------------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        if session is None:
            self.show_resident(None)

    def show_resident(self, resident: ResidentSummary | None) -> None:
        """Start a new check for ``resident``; the register record is fetched for comparison."""
        self._start(resident)
        if resident is None:
            self.subject_label.clear()
            return
        self.subject_label.setText(fill(self.tr("対象: %1（%2）"), resident.name_kanji, resident.name_kana))
        self.card_status.setText(self.tr("住民記録を読み込んでいます…"))
        client, rid = self._client, resident.id
        self._runner(lambda: client.read_resident(rid, "identity"), self._on_record, self._on_record_error)

    def show_newcomer(self, case_id: str) -> None:
        """Start a check for a 転入: no register record here yet, so the card's 券面事項 are read
        and shown on their own (for the 転入届), and the check is recorded against the case."""
        self._start(None)
        self.newcomer_case = case_id
        self.record = {}
        self.subject_label.setText(self.tr("対象: 転入の届出人（この市の住民記録はまだありません。"
                                           "カードの券面事項を読み取り、届出の入力に使います）"))
        self._on_record({})

    def _start(self, resident: ResidentSummary | None) -> None:
        self.newcomer_case = None
        self.resident, self.record, self.card = resident, None, None
        self.result = None
        self._clear_card_result()
        self.pin_box.hide()
        self.locked_panel.hide()
        self.to_documents_button.hide()
        self.virtual_label.hide()
        self.read_button.setEnabled(False)
        for box in self.doc_checks.values():
            box.setChecked(False)
        self._say("", False)
        self.tabs.setCurrentIndex(0)

    def _on_record(self, record: dict[str, Any]) -> None:
        self.record = record
        self.card_status.setText(self.tr("マイナンバーカードをリーダーに置き、「カードを読む」を押してください"))
        self.read_button.setEnabled(True)

    def _on_record_error(self, exc: Exception) -> None:
        if isinstance(exc, ApiError) and exc.ends_session:
            self.session_ended.emit(error_message(exc))
            return
        self.card_status.setText("")
        self._say(error_message(exc), True)

    def _clear_card_result(self) -> None:
        """Nothing read from a card stays on screen after an error or a new start."""
        self.card_result = None
        self.compare_table.setRowCount(0)
        self.integrity_label.clear()
        self.my_number_label.clear()
        self.record_card_button.setEnabled(False)

    # -- card ----------------------------------------------------------------------

    def start_card(self) -> None:
        if self._busy or self.record is None or self._card_access is None:
            if self._card_access is None:
                self._say(self.tr("カードリーダーが設定されていません。書類で確認してください"), True)
            return
        self._clear_card_result()
        self.locked_panel.hide()
        self.to_documents_button.hide()
        self._set_busy(True)
        self.card_status.setText(self.tr("カードを確認しています…"))
        access, record = self._card_access, self.record

        def job() -> Any:  # setting up the reader (or the virtual card's keys) is I/O: off the GUI
            card = access(record)
            return card, card.card_status()

        self._runner(job, self._on_card_ready, self._on_card_setup_error)

    def _on_card_setup_error(self, exc: Exception) -> None:
        if not hasattr(exc, "message_ja") and not isinstance(exc, ApiError):
            self._set_busy(False)  # a reader that cannot even be set up
            self.card_status.clear()
            self._say(self.tr("カードリーダーを準備できません。書類で確認してください"), True)
            return
        self._on_card_error(exc)

    def _on_card_ready(self, result: Any) -> None:
        card, status = result
        self.card = card
        virtual = bool(getattr(card, "virtual", False))
        self.virtual_label.setText(fill(self.tr("仮想カード（デモ用。実物のカードではありません。暗証番号: %1）"),
                                        getattr(card, "demo_pin", "")) if virtual else "")
        self.virtual_label.setVisible(virtual)
        self._on_tries(status)

    def _on_tries(self, status: Any) -> None:
        tries, not_after = status if isinstance(status, tuple) else (status, None)
        self._set_busy(False)
        if not_after is None:
            self.cert_label.setText(self.tr("利用者証明用電子証明書: 読み取れませんでした"))
        else:
            import datetime as dt

            days = (not_after - dt.datetime.now(dt.timezone.utc)).days
            when = not_after.date().isoformat()
            self.cert_label.setText(
                fill(self.tr("利用者証明用電子証明書の有効期限: %1（あと %2 日）"), when, days) if days >= 0
                else fill(self.tr("利用者証明用電子証明書の有効期限が切れています（%1）"), when))
        self.tries_label.setText(fill(self.tr("残り %1 回"), tries))
        self.confirm_last.setChecked(False)
        self.confirm_last.setVisible(tries == 1)
        self.pin_box.show()
        self.pin_pad.edit.setFocus()
        self.card_status.setText(self.tr("ご本人に暗証番号を入力してもらってください"))

    def submit_pin(self) -> None:
        if self._busy or self.card is None:
            return
        pin = self.pin_pad.take()
        if len(pin) != 4 or not pin.isdigit():
            self._say(self.tr("暗証番号は4桁の数字です"), True)
            return
        confirm = self.confirm_last.isVisible() and self.confirm_last.isChecked()
        if self.confirm_last.isVisible() and not confirm:
            self._say(self.tr("残り1回です。ご本人に伝えたうえで確認欄にチェックしてください"), True)
            return
        with_number = self.session is not None and self.session.has_right(MY_NUMBER_ACCESS)
        card = self.card
        self._set_busy(True)
        self._say("", False)
        self._runner(lambda: card.read(pin, with_my_number=with_number, confirm_last_try=confirm),
                     self._on_card_read, self._on_card_error)

    def _on_card_read(self, card: CardIdentity) -> None:
        self._set_busy(False)
        self.pin_box.hide()
        self.card_result = card
        if self.newcomer_case is not None:
            self._show_newcomer_card(card)
            return
        rows = compare(card, self.record or {})
        labels = {"name": self.tr("氏名"), "address": self.tr("住所"), "birth_date": self.tr("生年月日"),
                  "sex": self.tr("性別")}
        verdicts = {"same": self.tr("一致"), "different": self.tr("相違"), "check": self.tr("目視確認")}
        self.compare_table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            card_text, register_text = row.card, row.register
            if row.key == "birth_date":  # 和暦 as the register prints it, 西暦 beside it
                card_text = f"{wareki(row.card)}（{row.card}）" if row.card else ""
                register_text = f"{wareki(row.register)}（{row.register}）" if row.register else ""
            for c, value in enumerate((labels.get(row.key, row.label), card_text, register_text,
                                       verdicts[row.status])):
                item = QTableWidgetItem(value)
                if row.status != "same":
                    item.setBackground(QBrush(DIFFERENT if row.status == "different" else CHECK))
                self.compare_table.setItem(r, c, item)
        self._show_integrity(card)
        matched = all_match(rows)
        self.card_status.setText(self.tr("カードと住民記録が一致しました") if matched else
                                 self.tr("カードと住民記録に相違があります。色の付いた項目を確認してください"))
        self.record_card_button.setEnabled(True)
        self.record_card_button.setFocus()

    def _show_newcomer_card(self, card: CardIdentity) -> None:
        """転入: the card's 券面事項 alone (nothing here to compare with); a name that may hold
        外字/代替文字 is marked for a visual check against the card face, as for a resident."""
        check = name_needs_visual_check(card.name)
        rows = ((self.tr("氏名"), card.name, check), (self.tr("住所（転入前）"), card.address, False),
                (self.tr("生年月日"), f"{wareki(card.birth_date.isoformat())}（{card.birth_date.isoformat()}）",
                 False),
                (self.tr("性別"), SEX_LABELS.get(card.sex, card.sex), False))
        self.compare_table.setRowCount(len(rows))
        for r, (label, value, visual) in enumerate(rows):
            for c, text in enumerate((label, value, self.tr("（転入: 記録なし）"),
                                      self.tr("目視確認") if visual else self.tr("—"))):
                item = QTableWidgetItem(text)
                if visual:
                    item.setBackground(QBrush(CHECK))
                self.compare_table.setItem(r, c, item)
        self._show_integrity(card)
        self.card_status.setText(
            self.tr("カードを読み取りました。転入のため住民記録との照合はありません。"
                    "「本人確認を記録」で届出の入力に反映します")
            + (self.tr("。氏名に外字・代替文字の可能性があります。券面と目視で確認してください") if check else ""))
        self.record_card_button.setEnabled(True)
        self.record_card_button.setFocus()

    def _show_integrity(self, card: CardIdentity) -> None:
        if card.signature == "verified":
            signature = self.tr("発行者の署名: 検証済み")
        elif card.signature == "verified_test":
            signature = self.tr("発行者の署名: 検証済み（プロジェクトのテスト用の鍵。仮想カードのみ）")
        elif card.signature == "not_checked":
            signature = self.tr("発行者の署名: 検証していません（発行者の公開鍵が設定されていません）")
        else:
            signature = fill(self.tr("発行者の署名: 検証できませんでした（%1）。カードが正規のものか確認してください"),
                             card.signature.removeprefix("failed_"))
        self.integrity_label.setText(
            (self.tr("カード内の改ざん検知用ハッシュ: 一致") if card.digests_verified
             else self.tr("カード内の改ざん検知用ハッシュ: 未確認")) + "　" + signature)
        if card.my_number:
            self.my_number_label.setText(fill(self.tr("個人番号（カード）: %1"), card.my_number))
        else:
            self.my_number_label.setText(self.tr("個人番号: 読み取っていません（権限がないか不要のため）"))

    def _on_card_error(self, exc: Exception) -> None:
        self._set_busy(False)
        self._clear_card_result()
        if not hasattr(exc, "message_ja"):  # not a card error (a bug, or the centre)
            self._say(error_message(exc), True)
            return
        code = getattr(exc, "code", "")
        if code == "pin_locked":
            self.pin_box.hide()
            self.locked_panel.show()
            self.to_documents_button.show()
            self.card_status.setText("")
            self._say(exc.message_ja, True)
            return
        if code == "wrong_pin":
            self.tries_label.setText(fill(self.tr("残り %1 回"), getattr(exc, "tries_left", 0)))
            self.confirm_last.setChecked(False)
            self.confirm_last.setVisible(getattr(exc, "tries_left", 0) == 1)
            self._say(exc.message_ja, True)
            return
        if code == "last_try_needs_confirmation":
            self.confirm_last.show()
            self._say(exc.message_ja, True)
            return
        self.pin_box.hide()
        self.card_status.setText(self.tr("もう一度カードを置いて「カードを読む」を押してください"))
        self._say(exc.message_ja, True)

    # -- documents -----------------------------------------------------------------

    def checked_documents(self) -> set[str]:
        return {code for code, box in self.doc_checks.items() if box.isChecked()}

    def _update_documents(self) -> None:
        verdict = documents_sufficient(self.checked_documents())
        self.docs_verdict.setText(verdict.reason_ja)
        self.docs_verdict.setStyleSheet("color: #1b5e20;" if verdict.sufficient else "color: #8a5300;")
        self.record_docs_button.setEnabled(verdict.sufficient)

    # -- record --------------------------------------------------------------------

    def record_card(self) -> None:
        if self.card_result is None:
            return
        if self.newcomer_case is not None:  # 転入: the case, not a resident; nothing to differ from
            card = self.card_result
            self._record(IdentityResult(None, "card", True, digests_verified=card.digests_verified,
                                        signature_verified=card.signature_verified,
                                        virtual_card=card.virtual, newcomer_case=self.newcomer_case))
            return
        if self.resident is None:
            return
        rows = compare(self.card_result, self.record or {})
        result = IdentityResult(self.resident.id, "card", all_match(rows),
                                tuple(r.key for r in rows if r.status != "same"),
                                digests_verified=self.card_result.digests_verified,
                                signature_verified=self.card_result.signature_verified,
                                virtual_card=self.card_result.virtual)
        self._record(result)

    def record_documents(self) -> None:
        if self.resident is None and self.newcomer_case is None:
            return
        items = tuple(sorted(self.checked_documents()))
        if not documents_sufficient(set(items)).sufficient:
            return
        self._record(IdentityResult(self.resident.id if self.resident else None, "documents", True, items,
                                    newcomer_case=self.newcomer_case))

    def _record(self, result: IdentityResult) -> None:
        client = self._client
        self._set_busy(True)

        def done(answer: object) -> None:
            self._set_busy(False)
            seq = answer.get("seq") if isinstance(answer, dict) else None
            self.result = replace(result, seq=seq if isinstance(seq, int) else None)
            self._say(self.tr("本人確認を記録しました") if result.matched else
                      self.tr("相違があることを含めて記録しました。住民記録の確認が必要です"), not result.matched)
            self.recorded.emit(self.result)

        def failed(exc: Exception) -> None:
            self._set_busy(False)
            if isinstance(exc, ApiError) and exc.ends_session:
                self.session_ended.emit(error_message(exc))
                return
            self._say(error_message(exc), True)

        self._runner(lambda: client.record_identity_check(result.to_json()), done, failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.read_button.setEnabled(not busy and self.record is not None)
        self.pin_pad.ok.setEnabled(not busy)

    def _say(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if error else "color: #1b5e20;")
        self.message.setVisible(bool(text))
