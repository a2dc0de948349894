"""支援措置の判断（所属長）: a supervisor approves or refuses the 判断依頼 that clerks sent when the centre
refused a certificate to a proxy or third party because a 支援措置 subject is on it (WF-7).

The queue on the left; on the right the request as the clerk took it (who asks, in what capacity,
for what, which certificate) and the fact of the measure — never the measure's related persons,
which the centre does not send. A decision needs a reason; a supervisor cannot decide a request of
their own (the centre refuses it too). Network calls run in the runner.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
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
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.i18n import fill
from ui.common.widgets import fill_queue, select_by_id
from ui.pages.search import purpose_label
from ui.common.ops import Failures
from ui.common.worker import Runner


def is_supervisor(session: OperatorSession | None) -> bool:
    """所属長の判断 is for supervisors (support.decision.decide)."""
    return session is not None and session.has_right("supervisor")


class SupportDecisionPage(QWidget):
    session_ended = Signal(str)
    decided = Signal(int, str)  # decision id, "approved" | "refused"

    def __init__(self, client: Any, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self.session: OperatorSession | None = None
        self.items: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self._busy = False
        self._online = True
        self._relations = {"proxy": self.tr("代理人"), "third_party": self.tr("第三者")}
        self._kinds = {"juminhyo": self.tr("住民票の写し"), "kisai": self.tr("記載事項証明書")}
        self._scopes = {"individual": self.tr("個人票"), "household": self.tr("世帯全員")}

        title = QLabel(self.tr("支援措置の判断（所属長）"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.refresh_button = QPushButton(self.tr("再読み込み"))
        self.refresh_button.setObjectName("refreshDecisions")
        banner = QHBoxLayout()
        banner.addWidget(title)
        banner.addStretch(1)
        banner.addWidget(self.refresh_button)

        self.queue = QTableWidget(0, 4)
        self.queue.setObjectName("decisionQueue")
        self.queue.setHorizontalHeaderLabels([self.tr("番号"), self.tr("対象"), self.tr("請求者"),
                                              self.tr("依頼した職員")])
        self.queue.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.queue.setAccessibleName(self.tr("判断待ちの依頼"))

        self.support_label = QLabel()
        self.support_label.setObjectName("decisionSupportFact")
        self.support_label.setWordWrap(True)
        self.support_label.setStyleSheet("background: #b00020; color: white; font-weight: bold; padding: 6px;")
        self.support_label.hide()
        self.detail = QTableWidget(0, 2)
        self.detail.setObjectName("decisionDetail")
        self.detail.setAccessibleName(self.tr("判断依頼の内容"))
        self.detail.setHorizontalHeaderLabels([self.tr("項目"), self.tr("内容")])
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.detail.verticalHeader().hide()
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("decisionReason")
        self.reason_edit.setAccessibleName(self.tr("判断の理由（必須）"))
        self.reason_edit.setMaxLength(200)
        self.reason_edit.setPlaceholderText(self.tr("判断の理由（必須）"))
        self.refuse_button = QPushButton(self.tr("交付を認めない"))
        self.refuse_button.setObjectName("refuseDecision")
        self.approve_button = QPushButton(self.tr("交付を認める（1回限り）"))
        self.approve_button.setObjectName("approveDecision")
        self.offline_label = QLabel(self.tr("中央サーバーに接続できないため、判断できません。接続が戻ると再開できます"))
        self.offline_label.setObjectName("decisionOffline")
        self.offline_label.setWordWrap(True)
        self.offline_label.setStyleSheet("color: #8a5300; font-weight: bold;")
        self.offline_label.hide()
        self.message = QLabel()
        self.message.setObjectName("decisionMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        actions = QHBoxLayout()
        actions.addWidget(self.reason_edit, 1)
        actions.addWidget(self.refuse_button)
        actions.addWidget(self.approve_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.support_label)
        right_layout.addWidget(self.detail)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.offline_label)
        right_layout.addWidget(self.message)
        splitter = QSplitter()
        splitter.addWidget(self.queue)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([430, 750])
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addLayout(banner)
        layout.addWidget(splitter)

        self.refresh_button.clicked.connect(self.load)
        self.queue.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.refuse_button.clicked.connect(lambda: self.decide(False))
        self._show(None)

    # -- session and queue ---------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        self.session = session
        self.items = []
        self.queue.setRowCount(0)
        self._show(None)
        self._say("", False)

    def load(self) -> None:
        if self.session is None:
            return
        self._runner(self._client.list_support_decisions, self._show_queue, self._failed)

    def _show_queue(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        fill_queue(self.queue, [
            [str(item.get("id")), str((item.get("subject") or {}).get("name_kanji") or ""),
             fill(self.tr("%1（%2）"), item.get("requester_name") or "",
                  self._relations.get(str(item.get("requester_relation")), "")),
             str(item.get("requested_by") or "")] for item in items])
        self._show(None)
        if not items:
            self._say(self.tr("判断待ちの依頼はありません"), False)

    def _select(self, row: int) -> None:
        self._show(self.items[row] if 0 <= row < len(self.items) else None)

    def select_decision(self, decision_id: int) -> None:
        select_by_id(self.queue, self.items, decision_id)

    # -- one request ----------------------------------------------------------------

    def _own(self, item: dict[str, Any] | None) -> bool:
        return (item is not None and self.session is not None
                and item.get("requested_by") == self.session.operator.login_id)

    def _show(self, item: dict[str, Any] | None) -> None:
        self.current = item
        self.detail.setRowCount(0)
        self.reason_edit.clear()
        if item is None:
            self.support_label.hide()
            self._update_buttons()
            return
        fact = item.get("support_measure") or {}
        self.support_label.setText(fill(self.tr(
            "⚠ 支援措置: この証明書に載る方のうち %1 人が支援措置の対象者（または併せて支援を受ける方）です"),
            fact.get("protected_on_certificate", 0)))
        self.support_label.show()
        subject = item.get("subject") or {}
        purpose = purpose_label(str(item.get("purpose") or ""))
        if item.get("purpose_note"):
            purpose = f"{purpose}（{item['purpose_note']}）"
        rows = [
            (self.tr("依頼番号"), str(item.get("id"))),
            (self.tr("対象者"), f"{subject.get('name_kanji', '')}（{subject.get('name_kana', '')}）"),
            (self.tr("証明書"), fill(self.tr("%1・%2"), self._kinds.get(str(item.get("kind")), ""),
                                    self._scopes.get(str(item.get("scope")), ""))),
            (self.tr("請求者の区分"), self._relations.get(str(item.get("requester_relation")), "")),
            (self.tr("請求者の氏名"), str(item.get("requester_name") or "")),
            (self.tr("請求者の所属・名称"), str(item.get("requester_org") or "")),
            (self.tr("利用目的"), purpose),
            (self.tr("依頼した職員"), str(item.get("requested_by") or "")),
        ]
        self.detail.setRowCount(len(rows))
        for r, (label, value) in enumerate(rows):
            self.detail.setItem(r, 0, QTableWidgetItem(label))
            self.detail.setItem(r, 1, QTableWidgetItem(value))
        self._update_buttons()
        if self._own(item):
            self._say(self.tr("ご自身が依頼した判断はできません。別の所属長が判断します"), True)
        else:
            self._say("", False)

    def decide(self, approve: bool) -> None:
        item = self.current
        if item is None or self._busy:
            return
        reason = self.reason_edit.text().strip()
        if not reason:
            self._say(self.tr("判断の理由を入力してください"), True)
            self.reason_edit.setFocus()
            return
        decision_id, client = int(item["id"]), self._client
        self._set_busy(True)
        self._runner(lambda: client.decide_support_decision(decision_id, approve, reason),
                     lambda result: self._decided(decision_id, str(result.get("status"))),
                     self._failed)

    def _decided(self, decision_id: int, status: str) -> None:
        self._set_busy(False)
        self.decided.emit(decision_id, status)
        self.load()
        self._say(fill(self.tr("依頼 第%1号の交付を認めました") if status == "approved"
                       else self.tr("依頼 第%1号の交付を認めませんでした"), decision_id), False)

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, ApiError) and exc.ends_session:
            self.session_ended.emit(error_message(exc))
            return
        self._say(error_message(exc), True)  # the reason typed stays in its field

    def set_online(self, online: bool) -> None:
        self._online = online
        self.offline_label.setVisible(not online)
        self._update_buttons()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        ok = self.current is not None and not self._busy and self._online and not self._own(self.current)
        self.approve_button.setEnabled(ok)
        self.refuse_button.setEnabled(ok)

    def _say(self, text: str, error: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if error else "color: #1b5e20;")
        self.message.setVisible(bool(text))
