"""顔認証の登録 (face enrolment by the security admin, AUTH-5).

The admin types the operator's ID, has the operator look at the camera and takes several captures;
each is graded (one face, size, light, sharpness, centred) before it counts. Only the captures'
features are kept, in this page's memory, until they are sent; the centre checks them again
(number, consistency), encrypts and stores the template. Re-enrolment replaces it; deletion removes
it. The terminal never stores a template or an image.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from app.admin import BiometricStatus
from app.biometrics import Sample
from ui.common.face_capture import STATUS_STYLE, FaceCapture, Station, capture_error_message
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.panel import PanelPage
from ui.common.widgets import MessageLine, line_edit, page_title
from ui.common.worker import Runner

CAPTURES = 5


class EnrolmentClient(Protocol):
    """The calls the enrolment page makes (``CentralClient``)."""

    def biometric_status(self, login_id: str) -> BiometricStatus: ...

    def enrol_biometric(self, login_id: str, provider: str, model: str,
                        captures: list[str]) -> BiometricStatus: ...

    def delete_biometric(self, login_id: str) -> BiometricStatus: ...


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    return button


class EnrolPage(PanelPage):
    """Emits ``back_requested`` when the admin leaves the screen."""

    back_requested = Signal()

    def __init__(self, client: EnrolmentClient, runner: Runner, station: Station | None = None,
                 *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, failures, parent, width=560)
        self._client = client
        self.face_capture = FaceCapture(station, self.ops)
        self._features: list[str] = []
        self.required = CAPTURES

        self.login_edit = line_edit("enrolLoginId", max_length=40)
        self.status_button = _button(self.tr("登録状況を確認"), "enrolStatusButton")
        self.capture_button = _button("", "enrolCaptureButton")
        self.clear_button = _button(self.tr("撮り直す"), "enrolClearButton")
        self.enrol_button = _button(self.tr("登録する"), "enrolSubmitButton")
        self.delete_button = _button(self.tr("登録を削除"), "enrolDeleteButton")
        self.back_button = _button(self.tr("戻る"), "enrolBackButton")
        self.message_label = MessageLine("enrolMessage", ok_style=STATUS_STYLE, selectable=True)
        guide = QLabel(self.tr("登録する職員本人だけをカメラの正面に座らせ、撮影を繰り返してください。"
                               "顔の画像は保存されず、照合用の特徴量だけを暗号化して中央に登録します。"))
        guide.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("職員ID"), self.login_edit)
        buttons = QHBoxLayout()
        for b in (self.capture_button, self.clear_button, self.enrol_button):
            buttons.addWidget(b)
        self.add(page_title(self.tr("顔認証の登録"), scale=1.6, name="pageTitle"), guide)
        self.panel_layout.addLayout(form)
        self.add(self.status_button)
        self.panel_layout.addLayout(buttons)
        self.add(self.message_label, self.delete_button, self.back_button)

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
    def station(self) -> Station | None:
        return self.face_capture.station

    @property
    def captured(self) -> int:
        return len(self._features)

    def reset(self) -> None:
        """Forget everything (leaving the screen, session end)."""
        self._features.clear()
        self.login_edit.clear()
        self._say("")
        self._update()

    def clear(self) -> None:
        self._features.clear()
        self._update()

    def _login(self) -> str | None:
        login = self.login_edit.text().strip()
        if not login:
            self._say(self.tr("職員IDを入力してください"), True)
            return None
        return login

    def check_status(self) -> None:
        login = self._login()
        if login is None or self.ops.running:
            return
        self.ops.run(lambda: self._client.biometric_status(login), self._on_status)

    def _on_status(self, status: BiometricStatus) -> None:
        if status.enrolled:
            self._say(fill(self.tr("%1 は登録済みです（%2、撮影%3回、登録者 %4）"),
                           status.login_id, status.enrolled_at[:16], status.captures,
                           status.enrolled_by))
        else:
            self._say(fill(self.tr("%1 は未登録です"), status.login_id))

    def capture(self) -> None:
        if self.ops.running or self._login() is None:
            return
        self.face_capture.take(self._on_sample,
                                  lambda failure: self._say(FaceCapture.message(failure), True))

    def _on_sample(self, sample: Sample) -> None:
        if sample.features is None:
            self._say(capture_error_message(RuntimeError("no features")), True)
            return
        if self.captured < self.required:
            self._features.append(sample.features)
        self._say(fill(self.tr("撮影しました（%1/%2）"), self.captured, self.required))
        self._update()

    def enrol(self) -> None:
        login = self._login()
        if login is None or self.ops.running or self.captured < self.required or self.station is None:
            return
        provider = self.station.provider
        captures = list(self._features)
        self.ops.run(lambda: self._client.enrol_biometric(login, provider.name, provider.model,
                                                          captures), self._on_enrolled)

    def _on_enrolled(self, status: BiometricStatus) -> None:
        self._features.clear()
        self._say(fill(self.tr("%1 の顔を登録しました"), status.login_id))
        self._update()

    def delete(self) -> None:
        login = self._login()
        if login is None or self.ops.running:
            return
        self.ops.run(lambda: self._client.delete_biometric(login),
                     lambda status: self._say(fill(self.tr("%1 の登録を削除しました"), status.login_id)))

    def _back(self) -> None:
        self.reset()
        self.back_requested.emit()

    # -- display ----------------------------------------------------------

    def _set_busy(self, _busy: bool) -> None:
        self._update()

    def _update(self) -> None:
        self.capture_button.setText(fill(self.tr("撮影（%1/%2）"), self.captured, self.required))
        idle = not self.ops.running
        self.capture_button.setEnabled(idle and self.captured < self.required)
        self.enrol_button.setEnabled(idle and self.captured >= self.required)
        for b in (self.status_button, self.clear_button, self.delete_button):
            b.setEnabled(idle)

    def _say(self, text: str, error: bool = False) -> None:
        self.message_label.say(text, error)
