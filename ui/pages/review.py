"""審査画面: a reviewer who is not the entrant approves or returns submitted 異動届 (DQ-1, DQ-8).

The queue on the left; on the right the entry beside the register record as it is now, items that
the entry changes highlighted. When the record changed after the entry the page says so and
approval is not offered (the centre refuses it too, 000 L4375); a return needs a reason. A 支援措置
subject carries a banner for as long as the case is on screen. Approval is retried with the same
Idempotency-Key, so a lost answer never applies a case twice.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api_client import ApiError, OperatorSession
from app.outbox import uuid7
from app.review import entry_rows, kind_label, local_time, subject_name
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.i18n import fill
from ui.pages.identity import document_labels
from ui.common.widgets import fill_queue, select_by_id
from ui.common.ops import Failures
from ui.common.worker import Runner

CHANGED = QColor("#fff3c4")


class ReviewPage(QWidget):
    logout_requested = Signal()
    session_ended = Signal(str)
    decided = Signal(int, str)  # case id, "approved" | "returned"

    def __init__(self, client: Any, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self.session: OperatorSession | None = None
        self.cases: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self._approve_keys: dict[int, str] = {}
        self._busy = False
        self._online = True
        # Labels come from app.review in Japanese; shown through tr() so English works too.
        self._labels = {
            "idou_date": self.tr("異動日"), "todoke_date": self.tr("届出日"),
            "name_kanji": self.tr("氏名"), "name_kana": self.tr("フリガナ"),
            "birth_date": self.tr("生年月日"), "sex": self.tr("性別"),
            "my_number": self.tr("個人番号"), "postal_code": self.tr("郵便番号"),
            "address": self.tr("住所"), "katagaki": self.tr("方書"), "honseki": self.tr("本籍"),
            "hittousha": self.tr("筆頭者"), "nationality": self.tr("国籍"),
            "residence_status": self.tr("在留資格"), "residence_expiry": self.tr("在留期間満了日"),
            "residence_card_no": self.tr("在留カード番号"), "moved_in_from": self.tr("転入前住所"),
            "moved_out_to": self.tr("転出先"), "household_no": self.tr("世帯番号"),
            "relationship_to_head": self.tr("続柄"),
        }
        self._kinds = {"tennyu": self.tr("転入"), "tenkyo": self.tr("転居"),
                       "tenshutsu": self.tr("転出"), "setai_henko": self.tr("世帯変更"),
                       "shussei": self.tr("出生"), "shibou": self.tr("死亡")}

        title = QLabel(self.tr("審査"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.operator_label = QLabel()
        self.refresh_button = QPushButton(self.tr("再読み込み"))
        self.refresh_button.setObjectName("refreshCases")
        self.logout_button = QPushButton(self.tr("ログアウト"))
        self.logout_button.clicked.connect(self.logout_requested)
        banner = QHBoxLayout()
        banner.addWidget(title)
        banner.addStretch(1)
        banner.addWidget(self.operator_label)
        banner.addWidget(self.refresh_button)
        banner.addWidget(self.logout_button)

        self.queue = QTableWidget(0, 4)
        self.queue.setObjectName("caseQueue")
        self.queue.setHorizontalHeaderLabels([self.tr("番号"), self.tr("届出"), self.tr("対象"),
                                              self.tr("入力者")])
        self.queue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue.horizontalHeader().setStretchLastSection(True)
        self.queue.setAccessibleName(self.tr("審査待ちの届出"))

        self.support_banner = QLabel(self.tr("⚠ 支援措置の対象者です。住所等を第三者に知られないよう取り扱いに注意してください"))
        self.support_banner.setObjectName("supportBanner")
        self.support_banner.setWordWrap(True)
        self.support_banner.setStyleSheet("background: #b00020; color: white; font-weight: bold; padding: 6px;")
        self.support_banner.hide()
        self.stale_banner = QLabel(self.tr("入力後に住民記録が更新されています。承認できません。"
                                           "最新の記録で入力し直すよう差し戻してください"))
        self.stale_banner.setObjectName("staleBanner")
        self.stale_banner.setWordWrap(True)
        self.stale_banner.setStyleSheet("background: #fff3c4; color: #5d4200; font-weight: bold; padding: 6px;")
        self.stale_banner.hide()
        self.case_title = QLabel()
        self.case_title.setObjectName("caseTitle")
        self.identity_label = QLabel()  # how the 届出人 was identified (WF-2), or that it is unknown
        self.identity_label.setObjectName("caseIdentity")
        self.identity_label.setWordWrap(True)
        self._methods = {"card": self.tr("マイナンバーカード（ICチップ照合）"),
                         "card_code_b": self.tr("マイナンバーカード（券面入力補助）"),
                         "documents": self.tr("本人確認書類")}
        self.detail = QTableWidget(0, 3)
        self.detail.setObjectName("caseDetail")
        self.detail.setAccessibleName(self.tr("入力内容と現在の記録"))
        self.detail.setHorizontalHeaderLabels([self.tr("項目"), self.tr("入力内容"), self.tr("現在の記録")])
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.detail.verticalHeader().hide()
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("returnReason")
        self.reason_edit.setPlaceholderText(self.tr("差し戻しの理由"))
        self.reason_edit.setAccessibleName(self.tr("差し戻しの理由"))
        self.reason_edit.setMaxLength(200)
        self.return_button = QPushButton(self.tr("差し戻す"))
        self.return_button.setObjectName("returnButton")
        self.approve_button = QPushButton(self.tr("承認して反映"))
        self.approve_button.setObjectName("approveButton")
        self.offline_label = QLabel(self.tr("中央サーバーに接続できないため、審査できません。"
                                            "審査は最新の住民記録と照合して行います。接続が戻ると再開できます"))
        self.offline_label.setObjectName("reviewOffline")
        self.offline_label.setWordWrap(True)
        self.offline_label.setStyleSheet("color: #8a5300; font-weight: bold;")
        self.offline_label.hide()
        self.message = QLabel()
        self.message.setObjectName("reviewMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        actions = QHBoxLayout()
        actions.addWidget(self.reason_edit, 1)
        actions.addWidget(self.return_button)
        actions.addWidget(self.approve_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        for w in (self.support_banner, self.stale_banner, self.case_title, self.identity_label,
                  self.detail):
            right_layout.addWidget(w)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.offline_label)
        right_layout.addWidget(self.message)
        splitter = QSplitter()
        splitter.addWidget(self.queue)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([430, 750])
        self.queue.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addLayout(banner)
        layout.addWidget(splitter)

        self.refresh_button.clicked.connect(self.load)
        self.queue.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.approve_button.clicked.connect(self.approve)
        self.return_button.clicked.connect(self.return_case)
        self._show_case(None)

    # -- session and queue -------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        self.cases, self._approve_keys = [], {}
        self.queue.setRowCount(0)
        self._show_case(None)
        self._say("", False)
        self.operator_label.setText("" if session is None else fill(
            self.tr("%1 さん（%2）"), session.operator.display_name, session.operator.login_id))

    def load(self) -> None:
        if self.session is None:
            return
        self._runner(self._client.list_cases, self._show_queue, self._failed)

    def _show_queue(self, cases: list[dict[str, Any]]) -> None:
        self.cases = cases
        fill_queue(self.queue, [
            [str(case.get("id")), self._kind(case),
             ("⚠" if (case.get("current") or {}).get("support_measure") else "") + subject_name(case),
             str(case.get("entered_by") or "")] for case in cases])
        self._show_case(None)
        if not cases:
            self._say(self.tr("審査待ちの届出はありません"), False)

    def _kind(self, case: dict[str, Any]) -> str:
        kind = str((case.get("command") or {}).get("kind", ""))
        return self._kinds.get(kind, kind_label(kind))

    def _select(self, row: int) -> None:
        self._show_case(self.cases[row] if 0 <= row < len(self.cases) else None)

    def select_case(self, case_id: int) -> None:
        select_by_id(self.queue, self.cases, case_id)

    # -- one case ------------------------------------------------------------------

    def _show_case(self, case: dict[str, Any] | None) -> None:
        self.current = case
        self.detail.setRowCount(0)
        self.reason_edit.clear()
        if case is None:
            self.case_title.setText(self.tr("左の一覧から届出を選んでください"))
            self.identity_label.clear()
            for w in (self.support_banner, self.stale_banner):
                w.hide()
            self.approve_button.setEnabled(False)
            self.return_button.setEnabled(False)
            return
        command = case.get("command") or {}
        current = case.get("current")
        stale = bool(case.get("record_changed"))
        own = self.session is not None and case.get("entered_by") == self.session.operator.login_id
        self.case_title.setText(fill(self.tr("第%1号　%2届　入力: %3"), case.get("id"),
                                     self._kind(case), case.get("entered_by") or ""))
        self._show_identity(case.get("identity_check"))
        self.support_banner.setVisible(bool((current or {}).get("support_measure")))
        self.stale_banner.setVisible(stale)
        rows = entry_rows(command, current)
        self.detail.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate((self._labels.get(row.key, row.label), row.entered, row.current)):
                item = QTableWidgetItem(value)
                if row.changed and c == 1:
                    item.setBackground(QBrush(CHANGED))
                    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, self.tr("変更あり"))
                self.detail.setItem(r, c, item)
        self._update_buttons()
        if own:
            self._say(self.tr("ご自身が入力した届出は審査できません。別の職員が審査します"), True)
        else:
            self._say("", False)

    def _show_identity(self, check: dict[str, Any] | None) -> None:
        """本人確認 as the centre recorded it for this 届出: how, when, by whom, and of whom; a warning
        when the 届出 names none (the reviewer then asks the entrant before approving)."""
        if not check:
            self.identity_label.setText(self.tr("⚠ この届出には本人確認の記録がありません。"
                                                "届出人の確認方法を入力者に確かめてください"))
            self.identity_label.setStyleSheet("color: #8a5300; font-weight: bold;")
            return
        how = self._methods.get(str(check.get("method")), str(check.get("method") or ""))
        if check.get("method") == "documents" and check.get("items"):
            names = document_labels()
            how = fill(self.tr("%1（%2）"), how, "・".join(names.get(i, i) for i in check["items"]))
        someone_else = not check.get("is_subject")
        if check.get("subject") == "newcomer":
            whom = self.tr("転入の受付で確認")
        elif someone_else:  # 出生・死亡 or a family member's 届出: is this the 届出人?
            whom = fill(self.tr("対象者以外の住民（記録番号 %1）を確認。届出人であることを確かめてください"),
                        check.get("resident_id") or "")
        else:
            whom = fill(self.tr("届出の対象者本人（記録番号 %1）"), check.get("resident_id") or "")
        signed = self.tr("・署名検証済み") if check.get("signature_verified") else ""
        self.identity_label.setText(fill(self.tr("本人確認: %1%2　%3　%4　確認者: %5"), how, signed,
                                         local_time(str(check.get("at") or "")), whom,
                                         check.get("operator") or ""))
        self.identity_label.setStyleSheet("color: #8a5300; font-weight: bold;" if someone_else
                                          else "color: #1b5e20;")

    def approve(self) -> None:
        case = self.current
        if case is None or self._busy:
            return
        case_id = int(case["id"])
        key = self._approve_keys.setdefault(case_id, str(uuid7()))  # same key on every retry
        client = self._client
        self._set_busy(True)
        self._runner(lambda: client.approve_case(case_id, key),
                     lambda result: self._decided(case_id, "approved"), self._failed)

    def return_case(self) -> None:
        case = self.current
        if case is None or self._busy:
            return
        reason = self.reason_edit.text().strip()
        if not reason:
            self._say(self.tr("差し戻しの理由を入力してください"), True)
            self.reason_edit.setFocus()
            return
        case_id, client = int(case["id"]), self._client
        self._set_busy(True)
        self._runner(lambda: client.return_case(case_id, reason),
                     lambda result: self._decided(case_id, "returned"), self._failed)

    def _decided(self, case_id: int, outcome: str) -> None:
        self._set_busy(False)
        self._approve_keys.pop(case_id, None)
        self.decided.emit(case_id, outcome)
        self.load()
        self._say(fill(self.tr("第%1号を承認し、住民記録に反映しました") if outcome == "approved"
                       else self.tr("第%1号を差し戻しました"), case_id), False)

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, ApiError) and exc.ends_session:
            self.session_ended.emit(error_message(exc))
            return
        self._say(error_message(exc), True)
        if isinstance(exc, ApiError) and exc.code == "record_changed_since_entry":
            self.stale_banner.show()
            self.approve_button.setEnabled(False)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def set_online(self, online: bool) -> None:
        """審査 needs the centre (never an outdated record): off while it is unreachable."""
        self._online = online
        self.offline_label.setVisible(not online)
        self._update_buttons()

    def _update_buttons(self) -> None:
        case = self.current
        if case is None or self._busy or not self._online:
            self.approve_button.setEnabled(False)
            self.return_button.setEnabled(False)
            return
        stale = bool(case.get("record_changed")) or not self.stale_banner.isHidden()
        own = self.session is not None and case.get("entered_by") == self.session.operator.login_id
        self.approve_button.setEnabled(not stale and not own)
        self.return_button.setEnabled(not own)

    def _say(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if error else "color: #1b5e20;")
        self.message.setVisible(bool(text))
