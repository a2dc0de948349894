"""The face step of the login and the enrolment screen (AUTH-1/5), offscreen Qt against the real
central API (in process, SQLite, face policy "required") with a scripted camera: generated frames of
the virtual camera's operator (the astronaut) or of a different LFW face. Nothing about a face is
written anywhere on the terminal side."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.api_client import CentralClient
from app.device_key import DeviceKey, DeviceSigner
from central import admin
from central.api import create_app
from central.factors import enrol_direct
from central.models import AuditEvent, BiometricTemplate, Operator
from drivers.camera.recognition import FaceProvider
from drivers.camera.sources import Frame
from testbed.camera import face_set
from tests.central.signing import signed_client
from tests.faces import encoder, operator_captures
from ui.devices.camera import CameraChoice
from ui.devices.face import FaceStation
from ui.shell.main_window import MainWindow
from ui.common.worker import run_synchronously

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


class ScriptedCamera:
    """A frame source that plays the frames a test gives it (then no frame)."""

    def __init__(self, frames):
        self.frames = list(frames)
        self.opened = 0

    def open(self):
        self.opened += 1
        return True

    def read(self):
        if not self.frames:
            return None
        return Frame(self.frames.pop(0), 0.0, 0)

    def close(self):
        pass


class Camera:
    """What the camera will show next: ``show(identity)`` or ``show_nothing()``."""

    def __init__(self):
        self.next = []
        self.rng = np.random.default_rng(3)

    def show(self, identity, n=3):
        self.next = [face_set.frame(identity, self.rng, face_set.Variant(
            width=int(self.rng.integers(130, 170)))) for _ in range(n)]

    def show_nothing(self, n=3):
        self.next = [np.full((480, 640, 3), 160, np.uint8) for _ in range(n)]

    def source(self, _choice):
        frames, self.next = self.next, []
        return ScriptedCamera(frames)


@pytest.fixture
def setup(central, qtbot):
    central.settings = replace(central.settings, face_policy="required")
    central.app = create_app(central.settings, central.engine)
    central.operator("clerk1", ["clerk"])
    central.operator("secadm", ["security_admin"])
    with central.sessions.begin() as db:
        enrol_direct(db, central.settings, "clerk1", operator_captures(4), actor="test")
        enrol_direct(db, central.settings, "secadm", operator_captures(4), actor="test")
    key = DeviceKey.generate("UI-FACE-01")
    with central.sessions.begin() as db:
        admin.register_device(db, key.device_id, "ui", "counter", key.public_key_raw(),
                              actor="test")
    transport = signed_client(central.app, None)._transport
    client = CentralClient("http://central.test", DeviceSigner(key), transport=transport)
    camera = Camera()
    station = FaceStation(CameraChoice("synthetic"), FaceProvider(encoder()),
                          make_source=camera.source, warmup_frames=0, frames=3)
    win = MainWindow(client, run_synchronously, terminal_id=key.device_id, face=station)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield central, win, camera, client
    win.health_timer.stop()
    client.close()


def log_in(qtbot, window, login_id, password):
    page = window.login_page
    qtbot.keyClicks(page.login_id_edit, login_id)
    qtbot.keyClicks(page.password_edit, password)
    qtbot.mouseClick(page.login_button, Qt.MouseButton.LeftButton)


def face_audit(central):
    with central.sessions() as db:
        return db.scalars(select(AuditEvent).where(AuditEvent.action == "session.factor.face")
                          .order_by(AuditEvent.seq)).all()


def test_the_right_face_completes_the_login(qtbot, setup):
    central, win, camera, client = setup
    camera.show(face_set.ASTRONAUT)
    log_in(qtbot, win, "clerk1", central.passwords["clerk1"])
    assert win.current_page is win.search_page
    assert win.session is not None and win.session.pending_factors == ()
    assert [e.outcome for e in face_audit(central)] == ["ok"]
    assert face_audit(central)[0].device_id == "UI-FACE-01"


def test_a_different_face_is_refused_with_tries_left(qtbot, setup):
    central, win, camera, client = setup
    camera.show(42)
    log_in(qtbot, win, "clerk1", central.passwords["clerk1"])
    page = win.face_page
    assert win.current_page is page and win.session is None
    assert page.status_label.text() == "顔認証に失敗しました（あと4回）"
    # The operator sits down and tries again: accepted.
    camera.show(face_set.ASTRONAUT)
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert win.current_page is win.search_page
    assert [e.outcome for e in face_audit(central)] == ["denied", "ok"]


def test_a_capture_without_a_face_costs_no_try(qtbot, setup):
    central, win, camera, client = setup
    camera.show_nothing()
    log_in(qtbot, win, "clerk1", central.passwords["clerk1"])
    assert win.face_page.status_label.text() == "顔が見つかりません。カメラの正面を向いてください"
    assert face_audit(central) == []
    qtbot.mouseClick(win.face_page.cancel_button, Qt.MouseButton.LeftButton)
    assert win.current_page is win.login_page and client.session is None


def test_lockout_returns_to_the_login_page(qtbot, setup):
    central, win, camera, client = setup
    camera.show(42)
    log_in(qtbot, win, "clerk1", central.passwords["clerk1"])
    for _ in range(central.settings.max_failed_biometrics - 1):
        camera.show(42)
        qtbot.mouseClick(win.face_page.verify_button, Qt.MouseButton.LeftButton)
    assert win.current_page is win.login_page
    assert "ロック" in win.login_page.error_label.text()


def test_security_admin_enrols_an_operator(qtbot, setup):
    central, win, camera, client = setup
    central.operator("clerk2", ["clerk"])
    camera.show(face_set.ASTRONAUT)
    log_in(qtbot, win, "secadm", central.passwords["secadm"])
    assert win.enrol_button.isVisible()
    qtbot.mouseClick(win.enrol_button, Qt.MouseButton.LeftButton)
    page = win.enrol_page
    assert win.current_page is page
    qtbot.keyClicks(page.login_edit, "clerk2")
    camera.show_nothing()
    qtbot.mouseClick(page.capture_button, Qt.MouseButton.LeftButton)
    assert page.captured == 0 and "顔が見つかりません" in page.message_label.text()
    for i in range(page.required):
        camera.show(42)
        qtbot.mouseClick(page.capture_button, Qt.MouseButton.LeftButton)
        assert page.captured == i + 1
    assert not page.capture_button.isEnabled() and page.enrol_button.isEnabled()
    qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    assert page.message_label.text() == "clerk2 の顔を登録しました"
    with central.sessions() as db:
        tpl = db.scalar(select(BiometricTemplate).join(Operator)
                        .where(Operator.login_id == "clerk2"))
        assert tpl is not None and tpl.captures == page.required and tpl.enrolled_by == "secadm"
    qtbot.mouseClick(page.status_button, Qt.MouseButton.LeftButton)
    assert "登録済み" in page.message_label.text()
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert win.current_page is win.admin_page  # the admin's own home: no register rights


def test_enrolment_button_only_for_the_security_admin(qtbot, setup):
    central, win, camera, client = setup
    camera.show(face_set.ASTRONAUT)
    log_in(qtbot, win, "clerk1", central.passwords["clerk1"])
    assert win.current_page is win.search_page
    assert not win.enrol_button.isVisible()
    win.show_enrolment()
    assert win.current_page is win.search_page
