"""支援措置の判断（所属長）: a supervisor approves or refuses the 判断依頼 that clerks sent when the centre
refused a certificate to a proxy or third party because a 支援措置 subject is on it (WF-7).

The queue on the left; on the right the request as the clerk took it (who asks, in what capacity,
for what, which certificate) and the fact of the measure — never the measure's related persons,
which the centre does not send. A decision needs a reason; a supervisor cannot decide a request of
their own (the centre refuses it too). The queue's layout and flow: ``ui.common.decision_queue``.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QWidget

from app.support_decision import SupportDecision
from ui.common.decision_queue import DecisionQueue, QueueTexts, detail_table
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.widgets import banner, button, list_table
from ui.common.worker import Runner
from ui.pages.search import purpose_label


class SupportDecisionClient(Protocol):
    """The calls the 所属長's page makes."""

    def list_support_decisions(self) -> list[SupportDecision]: ...
    def decide_support_decision(self, decision_id: int, approve: bool, reason: str) -> SupportDecision: ...


class SupportDecisionPage(DecisionQueue):
    select_decision = DecisionQueue.select_item

    def __init__(self, client: SupportDecisionClient, runner: Runner, *,
                 failures: Failures | None = None, parent: QWidget | None = None) -> None:
        super().__init__(runner, failures=failures, parent=parent)
        self._client = client
        self._relations = {"proxy": self.tr("代理人"), "third_party": self.tr("第三者")}
        self._kinds = {"juminhyo": self.tr("住民票の写し"), "kisai": self.tr("記載事項証明書")}
        self._scopes = {"individual": self.tr("個人票"), "household": self.tr("世帯全員")}

        self.refresh_button.setObjectName("refreshDecisions")
        self.reason_edit.setObjectName("decisionReason")
        self.message.setObjectName("decisionMessage")
        self.support_label = banner("", "decisionSupportFact")
        self.refuse_button = button(self.tr("交付を認めない"), "refuseDecision")
        self.approve_button = button(self.tr("交付を認める（1回限り）"), "approveDecision")
        queue = list_table([self.tr("番号"), self.tr("対象"), self.tr("請求者"), self.tr("依頼した職員")],
                           "decisionQueue", self.tr("判断待ちの依頼"))
        queue.horizontalHeader().setStretchLastSection(False)
        self.build(
            self.tr("支援措置の判断（所属長）"), queue,
            detail_table([self.tr("項目"), self.tr("内容")], "decisionDetail", self.tr("判断依頼の内容")),
            QueueTexts(empty=self.tr("判断待ちの依頼はありません"),
                       own=self.tr("ご自身が依頼した判断はできません。別の所属長が判断します"),
                       approved=self.tr("依頼 第%1号の交付を認めました"),
                       not_approved=self.tr("依頼 第%1号の交付を認めませんでした")),
            (self.tr("判断の理由（必須）"), self.refuse_button, self.approve_button),
            above=(self.support_label,),
            offline=("decisionOffline",
                     self.tr("中央サーバーに接続できないため、判断できません。接続が戻ると再開できます")))

    # -- the queue and one request ----------------------------------------------------

    def fetch(self) -> list[SupportDecision]:
        return self._client.list_support_decisions()

    def queue_row(self, item: SupportDecision) -> list[str]:
        requester = fill(self.tr("%1（%2）"), item.requester_name,
                         self._relations.get(item.requester_relation, ""))
        return [str(item.id), item.subject_name, requester, item.requested_by]

    def entrant(self, item: SupportDecision) -> str:
        return item.requested_by

    def show_item(self, item: SupportDecision | None) -> None:
        self.support_label.setVisible(item is not None)
        if item is None:
            return
        self.support_label.setText(fill(self.tr(
            "⚠ 支援措置: この証明書に載る方のうち %1 人が支援措置の対象者（または併せて支援を受ける方）です"),
            item.protected_on_certificate))
        purpose = purpose_label(item.purpose)
        if item.purpose_note:
            purpose = f"{purpose}（{item.purpose_note}）"
        self.show_rows([
            (self.tr("依頼番号"), str(item.id)),
            (self.tr("対象者"), f"{item.subject_name}（{item.subject_kana}）"),
            (self.tr("証明書"), fill(self.tr("%1・%2"), self._kinds.get(item.kind, ""),
                                    self._scopes.get(item.scope, ""))),
            (self.tr("請求者の区分"), self._relations.get(item.requester_relation, "")),
            (self.tr("請求者の氏名"), item.requester_name),
            (self.tr("請求者の所属・名称"), item.requester_org),
            (self.tr("利用目的"), purpose),
            (self.tr("依頼した職員"), item.requested_by),
        ])

    def approve(self) -> None:
        self.decide(True)

    def send_back(self) -> None:
        self.decide(False)

    def decide(self, approve: bool) -> None:
        """所属長の判断 with the reason typed (shown to the clerk who asked)."""
        self.send_with_reason(
            lambda decision_id, reason: self._client.decide_support_decision(decision_id, approve, reason),
            lambda decision: decision.status, self.tr("判断の理由を入力してください"))
