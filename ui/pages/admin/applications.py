"""権限付与の申請と承認・設定 (AUTHZ-4): two tabs of the 管理 screen.

* 権限の申請 (``ApplyTab``, rights.apply) — a 所属長 applies for a right of an operator of their
  own section: login ID, right, period (to 3/31 at most) and reason. Nothing is granted yet.
* 申請の承認 (``ApplicationQueueTab``, rights.manage) — the security admin's queue of pending
  applications (``ui.common.decision_queue``, as the 支援措置 decision page): 承認・設定 makes the
  grant, 却下 closes it with a reason. The buttons are offered only for an application the admin
  neither made nor is the grantee of; the centre refuses both too, and every other rule
  (the applicant's section, the period) is the centre's.
"""
from __future__ import annotations

import datetime as dt
from typing import Protocol

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QPushButton, QVBoxLayout, QWidget

from app import clock
from app.admin import RightApplication
from ui.common.decision_queue import DecisionQueue, QueueTexts, detail_table
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.widgets import button, line_edit, list_table
from ui.common.worker import Runner
from ui.pages.admin.tab import AdminTab, reason_edit

#: The rights a 所属長 may apply for, as the centre names them (its labels are its own).
RIGHTS = ("clerk", "reviewer", "supervisor", "contractor_clerk", "my_number_access",
          "security_admin", "it_admin")


class ApplyClient(Protocol):
    def apply_for_right(self, login_id: str, right: str, valid_from: dt.date,
                        valid_until: dt.date, reason: str) -> RightApplication: ...


class ApplicationsClient(Protocol):
    def list_right_applications(self) -> list[RightApplication]: ...

    def execute_right_application(self, application_id: int) -> RightApplication: ...

    def decline_right_application(self, application_id: int, reason: str) -> RightApplication: ...


def fiscal_year_end(day: dt.date) -> dt.date:
    """年度末 (3/31) of the fiscal year that contains ``day``: the latest end a right may have."""
    return dt.date(day.year if day.month <= 3 else day.year + 1, 3, 31)


class ApplyTab(AdminTab):
    """The 所属長's application form."""

    def __init__(self, client: ApplyClient, runner: Runner, failures: Failures) -> None:
        super().__init__(runner, failures, "applyMessage")
        self._client = client
        labels = {"clerk": self.tr("窓口職員"), "reviewer": self.tr("審査担当"),
                  "supervisor": self.tr("所属長"), "contractor_clerk": self.tr("委託先職員"),
                  "my_number_access": self.tr("特定個人情報アクセス権限"),
                  "security_admin": self.tr("セキュリティ管理者"),
                  "it_admin": self.tr("情報システム担当")}
        self.login_edit = line_edit("applyLoginId", self.tr("職員ID"), 40,
                                    accessible=self.tr("申請する職員のID"))
        self.right_combo = QComboBox()
        self.right_combo.setObjectName("applyRight")
        self.right_combo.setAccessibleName(self.tr("申請する権限"))
        for right in RIGHTS:
            self.right_combo.addItem(labels[right], right)
        self.until_edit = QDateEdit()
        self.until_edit.setObjectName("applyUntil")
        self.until_edit.setCalendarPopup(True)
        self.until_edit.setDisplayFormat("yyyy-MM-dd")
        self.until_edit.setAccessibleName(self.tr("期限（年度末まで）"))
        self.reason_edit = reason_edit("applyReason", self.tr("申請理由（例: 窓口業務への配属）"))
        self.apply_button = QPushButton(self.tr("申請する"))
        self.apply_button.setObjectName("applyButton")
        form = QFormLayout()
        form.addRow(self.tr("職員ID"), self.login_edit)
        form.addRow(self.tr("権限"), self.right_combo)
        form.addRow(self.tr("期限"), self.until_edit)
        form.addRow(self.tr("申請理由"), self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.apply_button)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.apply_button.clicked.connect(self.apply)

    def prepare(self) -> None:
        """Today's default period: to the fiscal year end."""
        end = fiscal_year_end(clock.today())
        self.until_edit.setDate(QDate(end.year, end.month, end.day))

    def clear(self) -> None:
        super().clear()
        self.login_edit.clear()
        self.reason_edit.clear()

    def apply(self) -> None:
        login_id = self.login_edit.text().strip()
        reason = self.reason_edit.text().strip()
        if not login_id:
            self.message.say(self.tr("申請する職員のIDを入力してください"), True)
            self.login_edit.setFocus()
            return
        if not reason:
            self.message.say(self.tr("申請理由を入力してください"), True)
            self.reason_edit.setFocus()
            return
        right = str(self.right_combo.currentData())
        until = self.until_edit.date().toPython()
        client = self._client

        def done(app: RightApplication) -> None:
            self.login_edit.clear()
            self.reason_edit.clear()
            self.message.say(fill(self.tr("申請 第%1号を受け付けました（%2 さんの「%3」）。"
                                          "セキュリティ管理者の承認・設定で有効になります"),
                                  app.id, app.login_id, app.right_ja))

        self.ops.run(lambda: client.apply_for_right(login_id, right, clock.today(), until, reason),
                     done)


class ApplicationQueueTab(DecisionQueue):
    """The security admin's queue of pending applications."""

    select_application = DecisionQueue.select_item

    def __init__(self, client: ApplicationsClient, runner: Runner, *,
                 failures: Failures | None = None, parent: QWidget | None = None) -> None:
        super().__init__(runner, failures=failures, parent=parent)
        self._client = client
        self.refresh_button.setObjectName("refreshApplications")
        self.reason_edit.setObjectName("applicationDeclineReason")
        self.message.setObjectName("applicationsMessage")
        self.decline_button = button(self.tr("却下"), "declineApplication")
        self.execute_button = button(self.tr("承認・設定"), "executeApplication")
        queue = list_table([self.tr("番号"), self.tr("職員ID"), self.tr("権限"), self.tr("申請者")],
                           "applicationQueue", self.tr("承認待ちの申請"))
        self.build(
            self.tr("権限付与の申請（承認・設定）"), queue,
            detail_table([self.tr("項目"), self.tr("内容")], "applicationDetail",
                         self.tr("申請の内容")),
            QueueTexts(empty=self.tr("承認待ちの申請はありません"),
                       own=self.tr("ご自身が申請した、またはご自身の権限の申請は承認・却下できません。"
                                   "別のセキュリティ管理者が行います"),
                       approved=self.tr("申請 第%1号を承認し、権限を設定しました"),
                       not_approved=self.tr("申請 第%1号を却下しました")),
            (self.tr("却下の理由（却下の場合は必須）"), self.decline_button, self.execute_button))

    def clear(self) -> None:
        self.set_session(None)

    def fetch(self) -> list[RightApplication]:
        return self._client.list_right_applications()

    def queue_row(self, item: RightApplication) -> list[str]:
        return [str(item.id), item.login_id, item.right_ja, item.applied_by]

    def entrant(self, item: RightApplication) -> str:
        return item.applied_by

    def is_own(self, item: RightApplication | None) -> bool:
        """The admin's own application, or an application for the admin's own rights."""
        return super().is_own(item) or (
            item is not None and self.session is not None
            and item.login_id == self.session.operator.login_id)

    def show_item(self, item: RightApplication | None) -> None:
        if item is None:
            return
        period = fill(self.tr("%1 〜 %2"),
                      item.valid_from.isoformat() if item.valid_from else "",
                      item.valid_until.isoformat() if item.valid_until else "")
        self.show_rows([
            (self.tr("申請番号"), str(item.id)),
            (self.tr("職員"), fill(self.tr("%1（%2）"), item.display_name, item.login_id)),
            (self.tr("所属"), item.section),
            (self.tr("権限"), item.right_ja),
            (self.tr("期間"), period),
            (self.tr("申請理由"), item.reason),
            (self.tr("申請者（所属長）"), item.applied_by),
            (self.tr("申請日時"), item.applied_at),
        ])

    def approve(self) -> None:
        client = self._client
        self.approve_with_key(lambda application_id, _key:
                              client.execute_right_application(application_id))

    def send_back(self) -> None:
        client = self._client
        self.send_with_reason(client.decline_right_application, lambda app: app.status,
                              self.tr("却下の理由を入力してください"))
