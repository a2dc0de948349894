"""覗き込み対策 (PRIV-1): the central 覗き込み policy every terminal gets at its next login — frames
with an onlooker before the screen is shielded (k), clean frames before it clears (m), how long
the operator may be away before the lock, whether a camera in doubt shields the screen, the
detector's sensitivity — beside what this terminal's detector sees and the choice of its camera.
The camera is the window's (``cameras_requested``, ``camera_chosen``); only boxes are shown."""
from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                               QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from app.admin import OnlookerPolicy
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.worker import Runner
from ui.pages.admin.preview import DetectorPreview
from ui.pages.admin.tab import AdminTab


class PolicyClient(Protocol):
    def onlooker_policy(self) -> OnlookerPolicy: ...

    def set_onlooker_policy(self, value: OnlookerPolicy) -> OnlookerPolicy: ...


def _spin(name: str, low: int, high: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(low, high)
    return spin


class OnlookerTab(AdminTab):
    cameras_requested = Signal()  # look for this terminal's cameras (in the background)
    camera_chosen = Signal(str)  # "device:N" | "synthetic" | "none"

    def __init__(self, client: PolicyClient, runner: Runner, failures: Failures) -> None:
        super().__init__(runner, failures, "policyMessage")
        self._client = client
        self.k_spin = _spin("onlookerK", 1, 10)
        self.m_spin = _spin("onlookerM", 1, 100)
        self.absent_spin = _spin("absentSeconds", 10, 600)
        self.absent_spin.setSuffix(self.tr(" 秒"))
        self.fail_closed_check = QCheckBox(self.tr("カメラに異常があれば画面を隠す（推奨）"))
        self.fail_closed_check.setObjectName("failClosed")
        self.min_score_spin = QDoubleSpinBox()
        self.min_score_spin.setObjectName("minScore")
        self.min_score_spin.setRange(0.0, 0.95)
        self.min_score_spin.setSingleStep(0.05)
        self.save_button = QPushButton(self.tr("保存（次回のログインから適用）"))
        self.save_button.setObjectName("savePolicyButton")
        self.camera_label = QLabel()
        self.camera_label.setObjectName("cameraInUse")
        self.camera_combo = QComboBox()
        self.camera_combo.setObjectName("cameraChoice")
        self.camera_combo.setAccessibleName(self.tr("使用するカメラ"))
        self.find_cameras_button = QPushButton(self.tr("カメラを探す"))
        self.use_camera_button = QPushButton(self.tr("このカメラを使う（この端末）"))
        self.use_camera_button.setObjectName("useCameraButton")
        self.find_cameras_button.clicked.connect(self.cameras_requested)
        self.use_camera_button.clicked.connect(self._choose_camera)
        self.preview = DetectorPreview()
        form = QFormLayout()
        for label, field in ((self.tr("遮蔽までのフレーム数"), self.k_spin),
                             (self.tr("解除までのフレーム数"), self.m_spin),
                             (self.tr("離席と判断する時間"), self.absent_spin), ("", self.fail_closed_check),
                             (self.tr("検出の最低信頼度（感度）"), self.min_score_spin),
                             ("", self.save_button), ("", self.message)):
            form.addRow(label, field)
        left = QWidget()
        left.setLayout(form)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("検出の様子（枠のみ。映像は表示・保存しません）")))
        right.addWidget(self.preview, 1)
        right.addWidget(self.camera_label)
        choose = QHBoxLayout()
        choose.addWidget(self.camera_combo, 1)
        choose.addWidget(self.find_cameras_button)
        choose.addWidget(self.use_camera_button)
        right.addLayout(choose)
        row = QHBoxLayout(self)
        row.addWidget(left)
        row.addLayout(right, 1)
        self.save_button.clicked.connect(self.save)

    def _choose_camera(self) -> None:
        spec = self.camera_combo.currentData()
        if spec:
            self.camera_chosen.emit(spec)

    def set_cameras(self, choices: list[tuple[str, str]], current: str) -> None:
        """The cameras this terminal can use, as (spec, label), and the one in use."""
        self.camera_combo.clear()
        for spec, label in choices:
            self.camera_combo.addItem(label, spec)
        index = self.camera_combo.findData(current)
        self.camera_combo.setCurrentIndex(max(0, index))
        label = next((lbl for spec, lbl in choices if spec == current), current)
        self.camera_label.setText(fill(self.tr("使用中のカメラ: %1"), label))

    def load(self) -> None:
        self.ops.run(self._client.onlooker_policy, self._show)

    def _show(self, policy: OnlookerPolicy) -> None:
        self.k_spin.setValue(policy.k)
        self.m_spin.setValue(policy.m)
        self.absent_spin.setValue(policy.absent_seconds)
        self.fail_closed_check.setChecked(policy.fail_closed)
        self.min_score_spin.setValue(policy.min_score)

    def save(self) -> None:
        policy = OnlookerPolicy(k=self.k_spin.value(), m=self.m_spin.value(),
                                absent_seconds=self.absent_spin.value(),
                                fail_closed=self.fail_closed_check.isChecked(),
                                min_score=round(self.min_score_spin.value(), 2))
        client = self._client

        def done(saved: OnlookerPolicy) -> None:
            self._show(saved)
            warning = "" if saved.fail_closed else self.tr("（注意: カメラ異常時に画面を隠さない設定です）")
            self.message.say(self.tr("保存しました。各端末の次回ログインから適用されます") + warning,
                             not saved.fail_closed)

        self.ops.run(lambda: client.set_onlooker_policy(policy), done)
