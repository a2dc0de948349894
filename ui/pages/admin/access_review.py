"""アクセス点検 (LOG-10): the daily review of the access log for one JST day — reads outside office
hours, reads of 支援措置 subjects, refused logins and unusual volume — as the centre finds them."""
from __future__ import annotations

import datetime as dt
from typing import Protocol

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from app import clock
from app.admin import AccessReview
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.widgets import fill_queue, list_table
from ui.common.worker import Runner
from ui.pages.admin.tab import AdminTab


class AccessReviewClient(Protocol):
    def access_review(self, day: dt.date | None = None) -> AccessReview: ...


class AccessReviewTab(AdminTab):
    def __init__(self, client: AccessReviewClient, runner: Runner, failures: Failures) -> None:
        super().__init__(runner, failures, "reviewMessage")
        self._client = client
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("reviewDate")
        self.date_edit.setAccessibleName(self.tr("点検する日"))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        d = clock.today()  # the day in Japan, as the central API reviews it
        self.date_edit.setDate(QDate(d.year, d.month, d.day))
        self.run_button = QPushButton(self.tr("点検する"))
        self.run_button.setObjectName("runReviewButton")
        self.summary = QLabel()
        self.summary.setObjectName("reviewSummary")
        self.table = list_table([self.tr("種類"), self.tr("職員"), self.tr("端末"), self.tr("日時"),
                                 self.tr("内容")], "reviewFindings", self.tr("アクセス点検"))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("点検する日")))
        row.addWidget(self.date_edit)
        row.addWidget(self.run_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        self.run_button.clicked.connect(self.run)

    def clear(self) -> None:
        super().clear()
        self.table.setRowCount(0)
        self.summary.clear()

    def run(self) -> None:
        day = self.date_edit.date().toPython()
        client = self._client
        self.ops.run(lambda: client.access_review(day), self._show)

    def _set_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)

    def _show(self, report: AccessReview) -> None:
        findings = report.findings
        kinds = {"off_hours": self.tr("時間外参照"), "support_measure_access": self.tr("支援措置対象者の参照"),
                 "failed_logins": self.tr("ログイン失敗"), "unusual_volume": self.tr("参照件数過多")}
        self.summary.setText(fill(self.tr("%1 の記録 %2 件を点検しました。要確認 %3 件"),
                                  report.date.isoformat() if report.date else "", report.events,
                                  len(findings)))
        fill_queue(self.table, [[kinds.get(f.kind, f.kind), f.operator, f.device,
                                 f.at[:19].replace("T", " "), f.detail_ja or f.detail]
                                for f in findings])
        self.message.say("" if findings else self.tr("要確認の記録はありません"))
