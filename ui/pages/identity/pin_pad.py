"""暗証番号の入力: four masked digits typed by the resident (keyboard or the on-screen keys)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget


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
