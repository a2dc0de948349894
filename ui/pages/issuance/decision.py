"""所属長への判断依頼 on the 交付 page (WF-7): offered once the centre refused a certificate because a
支援措置 subject is on it and the requester is a proxy or third party.

``DecisionRequestBox`` takes the requester's name and organisation, sends the refused request as
taken to the supervisors' queue (with an Idempotency-Key kept for a retry), checks the outcome and
holds an approval for the page to name when it issues that very request, once, today.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel

from app.commands import CommandKeys
from app.support_decision import SupportDecision
from ui.common.i18n import fill
from ui.common.ops import Failure, PageOps
from ui.common.widgets import ERROR_STYLE, WARNING_STYLE, button, line_edit

DECIDED_STYLE = "color: #1b5e20; font-weight: bold;"
#: The centre's refusals of an issue that mean the approval held can no longer lift the block.
APPROVAL_GONE = frozenset({"support_decision_refused", "support_decision_used",
                           "support_decision_expired", "support_decision_not_yours"})


class DecisionRequestClient(Protocol):
    """The calls of the 判断依頼."""

    def request_support_decision(self, request: dict[str, Any], idempotency_key: str) -> SupportDecision: ...
    def support_decision(self, decision_id: int) -> SupportDecision: ...


class DecisionRequestBox(QGroupBox):
    """The 判断依頼 of the request on the page. ``draft()`` is the page's request as taken (kind,
    resident, scope, requester, purpose), or None when it cannot be sent (the page says why)."""

    def __init__(self, client: DecisionRequestClient, ops: PageOps,
                 draft: Callable[[], dict[str, Any] | None]) -> None:
        super().__init__()
        self.setTitle(self.tr("所属長への判断依頼（支援措置）"))
        self.setObjectName("decisionBox")
        self._client, self._ops, self._draft = client, ops, draft
        self._keys = CommandKeys()
        self.decision_id: int | None = None  # the 判断依頼 sent for this request
        self.approved_id: int | None = None  # an approval to name when issuing
        self.requester_name_edit = line_edit("requesterName", max_length=100)
        self.requester_org_edit = line_edit("requesterOrg", max_length=100,
                                            placeholder=self.tr("法人・団体の場合"))
        self.ask_button = button(self.tr("所属長に判断を依頼する"), "askDecision")
        self.check_button = button(self.tr("判断結果を確認"), "checkDecision")
        self.check_button.setEnabled(False)
        self.label = QLabel()
        self.label.setObjectName("decisionStatus")
        self.label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.ask_button)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow(self.tr("請求者の氏名"), self.requester_name_edit)
        form.addRow(self.tr("請求者の所属・名称"), self.requester_org_edit)
        form.addRow("", buttons)
        form.addRow("", self.label)
        self.hide()
        self.ask_button.clicked.connect(self.ask)
        self.check_button.clicked.connect(self.check)
        for w in (self.requester_name_edit, self.requester_org_edit):
            w.textEdited.connect(lambda *_: self._keys.forget("decision"))

    def reset(self) -> None:
        """A new request: nothing asked, nothing approved."""
        self.requester_name_edit.clear()
        self.requester_org_edit.clear()
        self.decision_id = self.approved_id = None
        self._keys.clear()
        self.label.clear()
        self.check_button.setEnabled(False)
        self.hide()

    def allow(self, ready: bool) -> None:
        """Off while the page waits or the centre is unreachable."""
        self.ask_button.setEnabled(ready)
        self.check_button.setEnabled(ready and self.decision_id is not None)

    def refused(self, code: str) -> None:
        """The centre refused to issue: offer the 判断依頼 where it can help."""
        if code == "support_measure_blocked":
            self.show()  # the clerk may ask the supervisor (WF-7)
        elif code in APPROVAL_GONE:
            self.approved_id = None  # that approval can no longer lift the block
            self.show()

    def used(self) -> None:
        """The approval lifted the block once: it is spent."""
        self.approved_id = self.decision_id = None
        self.label.setText(self.tr("所属長の判断に基づき交付しました（判断は使用済み）"))
        self.check_button.setEnabled(False)

    # -- 判断依頼 ----------------------------------------------------------------------

    def ask(self) -> None:
        """Send the refused request, as taken, to the supervisors' queue."""
        request = None if self._ops.running else self._draft()
        if request is None:
            return
        name = self.requester_name_edit.text().strip()
        if not name:
            self._ops.say(self.tr("請求者の氏名を入力してください"), True)
            self.requester_name_edit.setFocus()
            return
        request |= {"requester_name": name,
                    "requester_org": self.requester_org_edit.text().strip() or None}
        key, client = self._keys.key("decision"), self._client
        self._ops.run(lambda: client.request_support_decision(request, key), self._asked,
                      self._failed)

    def _asked(self, decision: SupportDecision) -> None:
        self._keys.forget("decision")
        self.decision_id, self.approved_id = decision.id, None
        self.check_button.setEnabled(True)
        self.label.setStyleSheet(WARNING_STYLE)
        self.label.setText(fill(self.tr("判断依頼 第%1号を送りました。所属長の判断を待っています"),
                                decision.id))
        self._ops.say("")

    def check(self) -> None:
        decision_id = self.decision_id
        if self._ops.running or decision_id is None:
            return
        self._ops.run(lambda: self._client.support_decision(decision_id), self._show, self._failed)

    def _show(self, decision: SupportDecision) -> None:
        reason = decision.decision_reason
        if decision.status == "approved" and decision.valid_today:
            self.approved_id = decision.id
            self.label.setStyleSheet(DECIDED_STYLE)
            self.label.setText(fill(self.tr(
                "所属長が交付を認めました（理由: %1）。同じ内容で「交付する」を押してください（1回限り・当日限り）"),
                reason))
            return
        if decision.status == "pending":
            self.label.setStyleSheet(WARNING_STYLE)
            self.label.setText(self.tr("まだ判断されていません。しばらくしてからもう一度確認してください"))
            return
        self.approved_id = None
        self.label.setStyleSheet(ERROR_STYLE)
        if decision.status == "refused":
            self.label.setText(fill(self.tr("所属長が交付を認めませんでした（理由: %1）。交付できません"), reason))
        else:
            self.label.setText(self.tr("この判断は使用済みか期限切れです。改めて判断依頼をしてください"))

    def _failed(self, failure: Failure) -> None:
        self._keys.failed("decision", failure.exc)
        self._ops.say(failure.message, True)
