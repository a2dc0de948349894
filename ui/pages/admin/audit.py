"""監査ログ: the check of the audit log's hash chain (改ざん検査). The log is append-only and each row
holds the hash of the one before; the centre walks every row and names the first that does not
match."""
from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

from app.admin import AuditChainReport
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.worker import Runner
from ui.pages.admin.tab import AdminTab


class AuditClient(Protocol):
    def verify_audit(self) -> AuditChainReport: ...


class AuditTab(AdminTab):
    def __init__(self, client: AuditClient, runner: Runner, failures: Failures) -> None:
        super().__init__(runner, failures, "verifyResult")
        self._client = client
        self.verify_button = QPushButton(self.tr("監査ログの改ざん検査を実行"))
        self.verify_button.setObjectName("verifyAuditButton")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("監査ログは追記のみで、各行が前の行のハッシュを含みます。"
                                        "検査は全行をたどり、最初に一致しない行を示します。")))
        layout.addWidget(self.verify_button)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.verify_button.clicked.connect(self.verify)

    def verify(self) -> None:
        self.ops.run(self._client.verify_audit, self._show)

    def _set_busy(self, busy: bool) -> None:
        self.verify_button.setEnabled(not busy)

    def _show(self, report: AuditChainReport) -> None:
        if report.ok and report.anchored:
            self.message.say(fill(self.tr("正常です（%1 行を検査、署名付きチェックポイントと一致）"),
                                  report.rows_checked))
        elif report.ok:
            self.message.say(fill(self.tr("各行の連鎖は正常です（%1 行を検査）。ただしチェックポイントが"
                                          "設定されていないため、末尾の削除は検出できません"),
                                  report.rows_checked), True)
        else:
            self.message.say(fill(self.tr("改ざんの疑いがあります: 第 %1 行（%2）"),
                                  report.first_broken_seq, report.reason), True)
