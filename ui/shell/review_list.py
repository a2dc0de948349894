"""要確認リスト: commands the centre did not apply, with the centre's reason (SYNC-*).

They never block the queue; the clerk reads why and redoes the work properly (a rejected 異動 is
entered again after the resident's details are checked). Shows kinds, codes and the centre's
Japanese reason only; no personal data.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.outbox import CommandState, ReviewItem


class ReviewListDialog(QDialog):
    def __init__(self, items: Sequence[ReviewItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("要確認リスト"))
        self.resize(760, 360)
        intro = QLabel(self.tr("中央サーバーが受け付けなかった処理です。理由を確認して、"
                               "必要なら入力し直してください。後続の処理は送信済みです。"))
        intro.setWordWrap(True)
        self.table = QTableWidget(len(items), 4)
        self.table.setObjectName("reviewTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("処理"), self.tr("状態"), self.tr("理由（中央サーバー）"), self.tr("コード")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, item in enumerate(items):
            state = (self.tr("不受理") if item.state is CommandState.REJECTED
                     else self.tr("要調査"))
            values = [item.kind, state, item.detail_ja or "", f"{item.status or ''} {item.code or ''}".strip()]
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem(value))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
