"""顔認証 (the login's face step, AUTH-1): after the password, the live face is checked by the centre.

The camera capture and the feature extraction run through the runner (``FaceStation.sample`` in
ui/devices/face.py, off the GUI thread); only the features go to the centre, which compares them with
the template enrolled for *this* login ID. A poor capture (no face, too dark, …) is not sent and costs
no try; the clerk sees why in Japanese. A mismatch shows "顔認証に失敗しました" with the tries left;
the centre locks the account after repeated failures and the page goes back to the login.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.api_client import ApiError, CentralUnreachable, OperatorSession
from app.biometrics import NoUsableCapture
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.worker import Runner


def quality_message(issues: tuple[str, ...]) -> str:
    """What the clerk should change, for the first quality issue of a capture."""
    texts = {
        "no_face": QCoreApplication.translate("FaceQuality", "顔が見つかりません。カメラの正面を向いてください"),
        "several_faces": QCoreApplication.translate(
            "FaceQuality", "複数の顔が映っています。職員本人だけがカメラに映るようにしてください"),
        "too_small": QCoreApplication.translate("FaceQuality", "顔が小さすぎます。カメラに近づいてください"),
        "too_dark": QCoreApplication.translate("FaceQuality", "暗すぎます。照明を確認してください"),
        "too_bright": QCoreApplication.translate("FaceQuality", "明るすぎます。逆光を避けてください"),
        "blurry": QCoreApplication.translate("FaceQuality", "画像がぼやけています。動かずにカメラを見てください"),
        "off_centre": QCoreApplication.translate("FaceQuality", "顔を画面の中央に合わせてください"),
    }
    for issue in issues:
        if issue in texts:
            return texts[issue]
    return QCoreApplication.translate("FaceQuality", "顔を撮影できませんでした。もう一度お試しください")


def capture_error_message(exc: BaseException) -> str:
    """The clerk's message for a failed capture (no camera, no model) or a quality refusal."""
    if isinstance(exc, NoUsableCapture):
        return quality_message(exc.issues)
    return QCoreApplication.translate(
        "FaceQuality", "カメラまたは顔認証の機能を利用できません。情報主管課に連絡してください")


class FacePage(QWidget):
    """Emits ``verified(OperatorSession)`` when the centre accepted the face, ``cancelled`` when
    the clerk gives up, ``ended(message)`` when the centre ended the pending login (lockout,
    expiry)."""

    verified = Signal(object)
    cancelled = Signal()
    ended = Signal(str)

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
        self.session: OperatorSession | None = None
        self._verified_features: str | None = None

        title = QLabel(self.tr("顔認証"))
        title.setObjectName("pageTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        self.operator_label = QLabel()
        self.operator_label.setObjectName("faceOperator")
        self.operator_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("faceStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_button = QPushButton(self.tr("顔認証を行う"))
        self.verify_button.setObjectName("faceVerifyButton")
        self.verify_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("ログインをやめる"))
        self.cancel_button.setObjectName("faceCancelButton")
        note = QLabel(self.tr("顔の画像は端末にも中央にも保存されません。"
                              "照合用の特徴量だけを中央サーバーに送ります。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")

        box = QWidget()
        box.setFixedWidth(480)
        layout = QVBoxLayout(box)
        for widget in (title, self.operator_label, self.status_label, self.verify_button,
                       self.cancel_button, note):
            layout.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.busy)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        self.verify_button.clicked.connect(self.verify)
        self.cancel_button.clicked.connect(self.cancel)

    def show_for(self, session: OperatorSession, *, start: bool = True) -> None:
        """Ask ``session``'s operator for their face; starts a first attempt at once."""
        self.session = session
        self.operator_label.setText(fill(
            self.tr("%1 さん、カメラの正面を向いて「顔認証を行う」を押してください。"),
            session.operator.display_name or session.operator.login_id))
        self._show_status("", error=False)
        self._set_busy(False)
        if start:
            self.verify()

    def verify(self) -> None:
        if self._busy or self.session is None:
            return
        if self.station is None:
            self._show_status(capture_error_message(RuntimeError("no station")), error=True)
            return
        self._set_busy(True)
        self._show_status(self.tr("撮影しています…"), error=False)
        station, client = self.station, self._client

        def job() -> Any:
            sample = station.sample()  # camera + model, in the worker thread
            provider = station.provider
            client.verify_factor(provider.name, provider.model, sample.features)
            return sample.features

        self._runner(job, self._on_verified, self._on_error)

    def cancel(self) -> None:
        self.session = None
        self._set_busy(False)
        self.cancelled.emit()

    def _on_verified(self, features: Any) -> None:
        self._set_busy(False)
        session = getattr(self._client, "session", None) or self.session
        if session is None or self.session is None:
            return  # cancelled meanwhile
        if set(session.pending_factors) - {"password_renewal"}:
            self._show_status(self.tr("追加の本人認証が必要です。この端末ではまだ対応していません"),
                              error=True)
            return
        self.session = None
        self._show_status("", error=False)
        # The capture the centre just accepted: the reference of the camera's presence check
        # (在席確認) for this session, kept in memory only and handed over once.
        self._verified_features = features if isinstance(features, str) else None
        self.verified.emit(session)

    def take_verified_features(self) -> str | None:
        """The accepted capture's features, once (then forgotten here)."""
        features, self._verified_features = self._verified_features, None
        return features

    def _on_error(self, exc: Exception) -> None:
        self._set_busy(False)
        if self.session is None:
            return
        if isinstance(exc, ApiError):
            if exc.code == "biometric_mismatch":
                left = exc.tries_left
                text = (fill(self.tr("顔認証に失敗しました（あと%1回）"), left)
                        if left is not None else self.tr("顔認証に失敗しました"))
                self._show_status(text, error=True)
                return
            if exc.code in ("biometric_features_invalid",):
                self._show_status(error_message(exc), error=True)
                return
            self.session = None
            self.ended.emit(error_message(exc))  # locked, expired, not enrolled, disabled
            return
        if isinstance(exc, CentralUnreachable):
            self._show_status(error_message(exc), error=True)
            return
        self._show_status(capture_error_message(exc), error=True)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.verify_button.setEnabled(not busy)
        self.verify_button.setText(self.tr("確認中…") if busy else self.tr("顔認証を行う"))

    def _show_status(self, text: str, *, error: bool) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet("color: #b00020; font-weight: bold;" if error
                                        else "color: #1b3a5c;")
