"""権限一覧 (AUTHZ-6/9): every grant of a right with its status and who applied for it (AUTHZ-4:
the 所属長, or 初期設定 for a right provisioned by the CLI); revoke one (effective from the
holder's next request) with a reason; export the list as CSV to reconcile with the rights sheet
(権限管理簿). The CSV is written readable by its owner only; it holds no My Number."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QLabel, QPushButton

from app import clock
from app.admin import RightGrant
from ui.common.i18n import fill
from ui.common.ops import Failure, Failures
from ui.common.widgets import fill_queue, line_edit, list_table
from ui.common.worker import Runner
from ui.pages.admin.tab import ActionListTab, reason_edit, side_by_side


class RightsClient(Protocol):
    def list_rights(self) -> list[RightGrant]: ...

    def revoke_right(self, grant_id: int, reason: str) -> object: ...

    def export_rights_csv(self) -> bytes: ...


class RightsTab(ActionListTab[RightGrant]):
    def __init__(self, client: RightsClient, runner: Runner, failures: Failures) -> None:
        super().__init__(runner, failures, "rightsMessage")
        self._client = client
        self.table = list_table([self.tr("職員ID"), self.tr("氏名"), self.tr("権限"), self.tr("開始"),
                                 self.tr("期限"), self.tr("状態"), self.tr("付与者"),
                                 self.tr("申請者")],
                                "rightsTable", self.tr("権限一覧"))
        self.refresh_button = QPushButton(self.tr("再読み込み"))
        self.reason_edit = reason_edit("revokeReason", self.tr("失効の理由（例: 異動のため）"))
        self.revoke_button = QPushButton(self.tr("選択した権限を失効"))
        self.revoke_button.setObjectName("revokeButton")
        self.csv_path_edit = line_edit("rightsCsvPath", accessible=self.tr("書き出し先"))
        self.export_button = QPushButton(self.tr("CSVに書き出す"))
        self.export_button.setObjectName("exportRightsButton")
        self.lay_out(side_by_side(self.reason_edit, self.revoke_button, wide=self.reason_edit),
                     side_by_side(QLabel(self.tr("書き出し先")), self.csv_path_edit, self.export_button,
                                  self.refresh_button, wide=self.csv_path_edit))
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.export_button.clicked.connect(self.export)

    def prepare(self) -> None:
        """A security admin logged in: today's file name in the home folder."""
        today = clock.today().strftime("%Y%m%d")
        self.csv_path_edit.setText(str(Path.home() / f"madoguchi-rights-{today}.csv"))

    def load(self) -> None:
        self.ops.run(self._client.list_rights, self._show)

    def _show(self, grants: list[RightGrant]) -> None:
        self.rows = grants
        status = {"valid": self.tr("有効"), "expired": self.tr("期限切れ"),
                  "revoked": self.tr("失効"), "future": self.tr("開始前")}
        fill_queue(self.table, [[g.login_id, g.display_name, g.right_ja,
                                 g.valid_from.isoformat() if g.valid_from else "",
                                 g.valid_until.isoformat() if g.valid_until else "",
                                 status.get(g.status, g.status), g.granted_by,
                                 g.applied_by if g.origin == "application"
                                 else fill(self.tr("初期設定（%1）"), g.applied_by)]
                                for g in grants])

    def revoke_selected(self) -> None:
        grant = self.chosen(self.tr("失効させる権限を一覧から選んでください"))
        if grant is None:
            return
        if grant.status == "revoked":
            self.message.say(self.tr("この権限はすでに失効しています"), True)
            return
        reason = self.reason(self.tr("失効の理由を入力してください"))
        if reason is None:
            return
        client = self._client
        self.act(lambda: client.revoke_right(grant.grant_id, reason),
                 fill(self.tr("%1 さんの権限「%2」を失効させました（次の操作から有効）"),
                      grant.login_id, grant.right_ja))

    def export(self) -> None:
        text = self.csv_path_edit.text().strip()
        if not text:
            self.message.say(self.tr("書き出し先のファイル名を入力してください"), True)
            return
        path = Path(text).expanduser()
        if not path.parent.is_dir():
            self.message.say(fill(self.tr("フォルダー %1 がありません"), str(path.parent)), True)
            return
        client = self._client

        def fetch_and_write() -> int:
            data = client.export_rights_csv()
            path.write_bytes(data)
            path.chmod(0o600)
            return data.count(b"\n") - 1

        def done(rows: int) -> None:
            self.message.say(fill(self.tr("%1 件を %2 に書き出しました"), rows, str(path)))

        def failed(failure: Failure) -> None:
            unwritable = isinstance(failure.exc, OSError)
            self.message.say(fill(self.tr("ファイルに書き込めません: %1"), str(path)) if unwritable
                             else failure.message, True)

        self.ops.run(fetch_and_write, done, failed)
