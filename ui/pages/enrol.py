"""顔認証の登録 (face enrolment by the security admin, AUTH-5).

The admin types the operator's ID, has the operator look at the camera and takes several captures;
each is graded (one face, size, light, sharpness, centred) before it counts. Only the captures'
features are kept, in this page's memory, until they are sent; the centre checks them again
(number, consistency), encrypts and stores the template. Re-enrolment replaces it; deletion removes
it. The terminal never stores a template or an image.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.pages.face import capture_error_message
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.worker import Runner

CAPTURES = 5


class EnrolPage(QWidget):
    """Emits ``back_requested`` when the admin leaves the screen."""

    back_requested = Signal()

    def __init__(self, client: Any, runner: Runner, station: Any = None,
                 *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self.station = station
        self._busy = False
        self._features: list[str] = []
        self.required = CAPTURES

        title = QLabel(self.tr("顔認証の登録"))
        title.setObjectName("pageTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("enrolLoginId")
        self.login_edit.setMaxLength(40)
        self.status_button = QPushButton(self.tr("登録状況を確認"))
        self.status_button.setObjectName("enrolStatusButton")
        self.capture_button = QPushButton()
        self.capture_button.setObjectName("enrolCaptureButton")
        self.clear_button = QPushButton(self.tr("撮り直す"))
        self.clear_button.setObjectName("enrolClearButton")
        self.enrol_button = QPushButton(self.tr("登録する"))
        self.enrol_button.setObjectName("enrolSubmitButton")
        self.delete_button = QPushButton(self.tr("登録を削除"))
        self.delete_button.setObjectName("enrolDeleteButton")
        self.back_button = QPushButton(self.tr("戻る"))
        self.back_button.setObjectName("enrolBackButton")
        self.message_label = QLabel()
        self.message_label.setObjectName("enrolMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        guide = QLabel(self.tr("登録する職員本人だけをカメラの正面に座らせ、撮影を繰り返してください。"
                               "顔の画像は保存されず、照合用の特徴量だけを暗号化して中央に登録します。"))
        guide.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("職員ID"), self.login_edit)
        buttons = QHBoxLayout()
        for b in (self.capture_button, self.clear_button, self.enrol_button):
            buttons.addWidget(b)
        box = QWidget()
        box.setFixedWidth(560)
        layout = QVBoxLayout(box)
        layout.addWidget(title)
        layout.addWidget(guide)
        layout.addLayout(form)
        layout.addWidget(self.status_button)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        layout.addWidget(self.delete_button)
        layout.addWidget(self.back_button)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.busy)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        self.status_button.clicked.connect(self.check_status)
        self.capture_button.clicked.connect(self.capture)
        self.clear_button.clicked.connect(self.clear)
        self.enrol_button.clicked.connect(self.enrol)
        self.delete_button.clicked.connect(self.delete)
        self.back_button.clicked.connect(self._back)
        self.login_edit.textChanged.connect(lambda _t: self.clear())
        self._update()

    # -- behaviour --------------------------------------------------------

    @property
    def captured(self) -> int:
        return len(self._features)

    def reset(self) -> None:
        """Forget everything (leaving the screen, session end)."""
        self._features.clear()
        self.login_edit.clear()
        self._say("", error=False)
        self._busy = False
        self._update()

    def clear(self) -> None:
        self._features.clear()
        self._update()

    def _login(self) -> str | None:
        login = self.login_edit.text().strip()
        if not login:
            self._say(self.tr("職員IDを入力してください"), error=True)
            return None
        return login

    def check_status(self) -> None:
        login = self._login()
        if login is None or self._busy:
            return
        self._start()
        self._runner(lambda: self._client.biometric_status(login), self._on_status, self._on_error)

    def _on_status(self, answer: dict) -> None:
        self._stop()
        if answer.get("enrolled"):
            self._say(fill(self.tr("%1 は登録済みです（%2、撮影%3回、登録者 %4）"),
                           answer.get("login_id", ""), str(answer.get("enrolled_at", ""))[:16],
                           answer.get("captures", ""), answer.get("enrolled_by", "")), error=False)
        else:
            self._say(fill(self.tr("%1 は未登録です"), answer.get("login_id", "")), error=False)

    def capture(self) -> None:
        if self._busy or self._login() is None:
            return
        if self.station is None:
            self._say(capture_error_message(RuntimeError("no station")), error=True)
            return
        self._start()
        station = self.station
        self._runner(station.sample, self._on_sample, self._on_capture_error)

    def _on_sample(self, sample: Any) -> None:
        self._stop()
        if sample.features is None:
            self._say(capture_error_message(RuntimeError("no features")), error=True)
            return
        if self.captured < self.required:
            self._features.append(sample.features)
        self._say(fill(self.tr("撮影しました（%1/%2）"), self.captured, self.required), error=False)
        self._update()

    def _on_capture_error(self, exc: Exception) -> None:
        self._stop()
        self._say(capture_error_message(exc), error=True)

    def enrol(self) -> None:
        login = self._login()
        if login is None or self._busy or self.captured < self.required:
            return
        provider = self.station.provider
        captures = list(self._features)
        self._start()
        self._runner(lambda: self._client.enrol_biometric(login, provider.name, provider.model,
                                                          captures),
                     self._on_enrolled, self._on_error)

    def _on_enrolled(self, answer: dict) -> None:
        self._stop()
        self._features.clear()
        self._say(fill(self.tr("%1 の顔を登録しました"), answer.get("login_id", "")), error=False)
        self._update()

    def delete(self) -> None:
        login = self._login()
        if login is None or self._busy:
            return
        self._start()
        self._runner(lambda: self._client.delete_biometric(login), self._on_deleted, self._on_error)

    def _on_deleted(self, answer: dict) -> None:
        self._stop()
        self._say(fill(self.tr("%1 の登録を削除しました"), answer.get("login_id", "")), error=False)

    def _on_error(self, exc: Exception) -> None:
        self._stop()
        self._say(error_message(exc), error=True)

    def _back(self) -> None:
        self.reset()
        self.back_requested.emit()

    # -- display ----------------------------------------------------------

    def _start(self) -> None:
        self._busy = True
        self._update()

    def _stop(self) -> None:
        self._busy = False
        self._update()

    def _update(self) -> None:
        self.capture_button.setText(fill(self.tr("撮影（%1/%2）"), self.captured, self.required))
        idle = not self._busy
        self.capture_button.setEnabled(idle and self.captured < self.required)
        self.enrol_button.setEnabled(idle and self.captured >= self.required)
        for b in (self.status_button, self.clear_button, self.delete_button):
            b.setEnabled(idle)

    def _say(self, text: str, *, error: bool) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #b00020; font-weight: bold;" if error
                                         else "color: #1b3a5c;")
