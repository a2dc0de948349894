"""顔認証 (the login's face step, AUTH-1): after the password, the live face is checked by the centre.

The camera capture and the feature extraction run in the background (``ui.common.face_capture``);
only the features go to the centre, which compares them with the template enrolled for *this*
login ID. A poor capture (no face, too dark, …) is not sent and costs no try; the clerk sees why in
Japanese. A mismatch shows "顔認証に失敗しました" with the tries left; the centre locks the account
after repeated failures and the page goes back to the login.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.api_client import DeviceDisabled, OperatorSession
from app.biometrics import Sample
from ui.common.face_capture import STATUS_STYLE, FaceCapture, Station
from ui.common.i18n import fill
from ui.common.ops import Failure, Failures
from ui.common.panel import PanelPage
from ui.common.widgets import BusyButton, MessageLine, page_title
from ui.common.worker import Runner


class FactorClient(Protocol):
    """The calls the face step makes (``CentralClient``): the login waiting for its face."""

    @property
    def session(self) -> OperatorSession | None: ...

    def verify_factor(self, provider: str, model: str, features: str) -> object: ...


class FacePage(PanelPage):
    """Emits ``verified(OperatorSession)`` when the centre accepted the face, ``cancelled`` when
    the clerk gives up, ``ended(message)`` when the centre ended the pending login (lockout,
    expiry)."""

    verified = Signal(object)
    cancelled = Signal()
    ended = Signal(str)

    def __init__(self, client: FactorClient, runner: Runner, station: Station | None = None,
                 *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, failures, parent, width=480)
        self._client = client
        self.face_capture = FaceCapture(station, self.ops)
        self.session: OperatorSession | None = None
        self._verified_features: str | None = None

        self.operator_label = QLabel()
        self.operator_label.setObjectName("faceOperator")
        self.operator_label.setWordWrap(True)
        self.status_label = MessageLine("faceStatus", ok_style=STATUS_STYLE, selectable=True)
        self.verify_button = BusyButton(self.tr("顔認証を行う"), self.tr("確認中…"),
                                        "faceVerifyButton", default=True)
        self.cancel_button = QPushButton(self.tr("ログインをやめる"))
        self.cancel_button.setObjectName("faceCancelButton")
        note = QLabel(self.tr("顔の画像は端末にも中央にも保存されません。"
                              "照合用の特徴量だけを中央サーバーに送ります。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        self.add(page_title(self.tr("顔認証"), scale=1.6, name="pageTitle"), self.operator_label,
                 self.status_label, self.verify_button, self.cancel_button, note)

        self.verify_button.clicked.connect(self.verify)
        self.cancel_button.clicked.connect(self.cancel)

    @property
    def station(self) -> Station | None:
        return self.face_capture.station

    def show_for(self, session: OperatorSession, *, start: bool = True) -> None:
        """Ask ``session``'s operator for their face; starts a first attempt at once."""
        self.session = session
        self.operator_label.setText(fill(
            self.tr("%1 さん、カメラの正面を向いて「顔認証を行う」を押してください。"),
            session.operator.display_name or session.operator.login_id))
        self._say("")
        self._set_busy(self.ops.running)
        if start:
            self.verify()

    def verify(self) -> None:
        if self.ops.running or self.session is None:
            return
        if self.station is not None:
            self._say(self.tr("撮影しています…"))
        client = self._client

        def send(station: Station, sample: Sample) -> str | None:
            provider = station.provider  # loads the model on first use: in the worker too
            client.verify_factor(provider.name, provider.model, sample.features or "")
            return sample.features

        self.face_capture.take(self._on_verified, self._on_error, then=send)

    def cancel(self) -> None:
        self.session = None
        self._set_busy(False)
        self.cancelled.emit()

    def _on_verified(self, features: str | None) -> None:
        session = self._client.session or self.session
        if session is None or self.session is None:
            return  # cancelled meanwhile
        if set(session.pending_factors) - {"password_renewal"}:
            self._say(self.tr("追加の本人認証が必要です。この端末ではまだ対応していません"), True)
            return
        self.session = None
        self._say("")
        # The capture the centre just accepted: the reference of the camera's presence check
        # (在席確認) for this session, kept in memory only and handed over once.
        self._verified_features = features
        self.verified.emit(session)

    def take_verified_features(self) -> str | None:
        """The accepted capture's features, once (then forgotten here)."""
        features, self._verified_features = self._verified_features, None
        return features

    def _on_error(self, failure: Failure) -> None:
        if self.session is None:
            return
        problem = failure.problem
        if problem is not None and problem.code == "biometric_mismatch":
            left = problem.tries_left
            self._say(fill(self.tr("顔認証に失敗しました（あと%1回）"), left)
                      if left is not None else self.tr("顔認証に失敗しました"), True)
        elif problem is not None and problem.code != "biometric_features_invalid":
            self.session = None
            self.ended.emit(failure.message)  # locked, expired, not enrolled
        else:
            self._say(self.face_capture.message(failure), True)

    def _shared_failure(self, exc: BaseException) -> None:
        if isinstance(exc, DeviceDisabled):  # no session for the shell to end: back to the login
            self._on_error(Failure(exc))
        else:  # the shell went back to the login, saying why
            self.session = None

    def _set_busy(self, busy: bool) -> None:
        self.verify_button.set_busy(busy)

    def _say(self, text: str, error: bool = False) -> None:
        self.status_label.say(text, error)
