"""The camera guard wired into the real window (PRIV-1), against the real central API.

A scripted camera (noise frames; a stand-in detector reads how many faces the scene has) runs in the
real ``CaptureWorker`` thread; the policy comes from the centre at login. Checked: the camera runs
only while a session is open and unlocked (released at lock and logout), an onlooker shields the
search page, an absent operator locks the session, and every shield reaches the audit log with
its reason and duration and no image. Waits are on conditions (qtbot.waitUntil), never sleeps.
"""
from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.onlooker import Decision
from central.models import AuditEvent
from drivers.camera.detectors import Face
from drivers.camera.sources import Frame
from tests.e2e.windows import open_window, type_login
from ui.devices.camera import CameraChoice, OnlookerGuard
from ui.shell.privacy_shield import PrivacyShield

OPERATOR = Face(260, 250, 130, 150, 0.99)
ONLOOKER = Face(60, 60, 70, 80, 0.95)


class Clock:
    """Shared by the camera thread and the policy; the test moves it forward."""

    def __init__(self) -> None:
        self.now = 50_000.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            self.now += 0.05  # every reading is a later moment (a 20 fps camera)
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


class ScriptedCamera:
    """Noise frames whose first pixel tells the stand-in detector what the scene holds."""

    SCENES = {"operator": 1, "onlooker": 2, "nobody": 3}

    def __init__(self) -> None:
        self.scene = "operator"
        self.opened = 0
        self.closed = 0
        self.is_open = False
        self._rng = np.random.default_rng(3)
        self._i = 0

    def open(self) -> bool:
        self.opened += 1
        self.is_open = True
        return True

    def read(self) -> Frame:
        image = self._rng.integers(40, 220, (480, 640, 3), dtype=np.uint8)
        image[0, 0, 0] = self.SCENES[self.scene]
        self._i += 1
        return Frame(image, 0.0, self._i)

    def close(self) -> None:
        self.closed += 1
        self.is_open = False


class SceneDetector:
    def detect(self, image):
        code = int(image[0, 0, 0])
        return {1: [OPERATOR], 2: [OPERATOR, ONLOOKER], 3: []}[code]


@pytest.fixture
def counter(central, qtbot, tmp_path):
    camera, clock = ScriptedCamera(), Clock()
    shield = PrivacyShield()
    guard = OnlookerGuard(shield, CameraChoice("synthetic"), make_source=lambda _c: camera,
                          make_detector=SceneDetector, fps=40.0, clock=clock)
    win = open_window(central, qtbot, "CAM-0001", tmp_path / "cache", onlooker=guard)
    central.operator("clerk1", ["clerk"])
    yield win, guard, camera, clock, shield
    guard.stop()
    shield.apply(Decision.clear())


def log_in(qtbot, central, win):
    type_login(qtbot, win, "clerk1", central.passwords["clerk1"])
    assert win.current_page is win.search_page


def terminal_events(central):
    with central.sessions.begin() as db:
        return [(e.action, e.operator_login, e.device_id, e.detail) for e in db.scalars(
            select(AuditEvent).where(AuditEvent.action.like("terminal.%")).order_by(AuditEvent.seq))]


def test_camera_runs_only_while_a_session_is_open_and_unlocked(central, counter, qtbot):
    win, guard, camera, clock, shield = counter
    assert not guard.running and camera.opened == 0  # logged out: the camera stays off
    log_in(qtbot, central, win)
    qtbot.waitUntil(lambda: guard.running and camera.is_open)
    qtbot.waitUntil(lambda: not shield.active)  # the operator alone: no shield
    win.lock_session("test")
    assert not guard.running and not camera.is_open and camera.closed >= 1  # released at lock
    assert not shield.active  # the lock page itself hides everything
    win.lock_page.password_edit.setText(central.passwords["clerk1"])
    qtbot.mouseClick(win.lock_page.unlock_button, Qt.MouseButton.LeftButton)
    assert guard.running and shield.active  # fails closed again until the camera answers
    qtbot.waitUntil(lambda: camera.is_open and not shield.active)
    qtbot.mouseClick(win.search_page.logout_button, Qt.MouseButton.LeftButton)
    assert not guard.running and not camera.is_open


def test_an_onlooker_shields_the_search_page_and_is_audited_without_an_image(central, counter,
                                                                             qtbot):
    win, guard, camera, clock, shield = counter
    log_in(qtbot, central, win)
    qtbot.waitUntil(lambda: guard.running and not shield.active)
    camera.scene = "onlooker"
    qtbot.waitUntil(lambda: shield.active)
    overlay = shield.overlay_for(win)
    assert overlay is not None and overlay.isVisible()
    assert win.search_page.name_edit.visibleRegion().isEmpty()  # personal data hidden
    camera.scene = "operator"
    qtbot.waitUntil(lambda: not shield.active, timeout=10_000)  # clears by itself (m clean frames)
    qtbot.waitUntil(lambda: any(a == "terminal.privacy_shield" for a, *_ in terminal_events(central)))
    events = terminal_events(central)
    shield_rows = [e for e in events if e[0] == "terminal.privacy_shield"]
    assert len(shield_rows) == 1
    action, operator, device, detail = shield_rows[0]
    assert (operator, device) == ("clerk1", "CAM-0001")
    assert detail["reason"] == "onlooker" and detail["duration_ms"] > 0
    assert set(detail) == {"reason", "duration_ms", "started_at"}  # metadata only


def test_an_absent_operator_locks_the_session(central, counter, qtbot):
    win, guard, camera, clock, shield = counter
    log_in(qtbot, central, win)
    qtbot.waitUntil(lambda: guard.running and not shield.active)
    seen = []
    guard.observed.connect(lambda result: seen.append(len(result.faces)))
    camera.scene = "nobody"
    qtbot.waitUntil(lambda: seen[-3:] == [0, 0, 0])  # frames of the empty scene have arrived
    clock.advance(61)  # the centre's policy: 60 s without the operator
    qtbot.waitUntil(lambda: win.locked)
    assert win.current_page is win.lock_page
    assert not guard.running and not camera.is_open
    assert "離席" in win.lock_page.reason_label.text()
    qtbot.mouseClick(win.lock_page.logout_button, Qt.MouseButton.LeftButton)
    assert any(a == "terminal.presence_lock" for a, *_ in terminal_events(central))


def test_without_a_camera_the_screen_stays_shielded(central, qtbot, tmp_path):
    shield = PrivacyShield()
    guard = OnlookerGuard(shield, CameraChoice("none"))
    win = open_window(central, qtbot, "CAM-0002", onlooker=guard)
    central.operator("clerk1", ["clerk"])
    try:
        log_in(qtbot, central, win)
        assert shield.active  # fail closed (PRIV-1): no camera, no personal data on screen
        assert shield.overlay_for(win).isVisible()
    finally:
        guard.stop()
        shield.apply(Decision.clear())


class FaceCamera:
    """Real face photographs (testbed.camera.face_set) of whoever ``who`` names."""

    def __init__(self) -> None:
        from testbed.camera import face_set

        self._set = face_set
        self.who = face_set.ASTRONAUT
        self.is_open = False
        self._rng = np.random.default_rng(8)
        self._i = 0

    def open(self) -> bool:
        self.is_open = True
        return True

    def read(self) -> Frame:
        self._i += 1
        return Frame(self._set.frame(self.who, self._rng), 0.0, self._i)

    def close(self) -> None:
        self.is_open = False


def test_someone_else_at_the_counter_locks_the_session(central, qtbot, tmp_path):
    """在席確認 (AUTH session rules): after login the camera compares faces with the accepted login
    capture (real detector, real embeddings); when another person sits down the screen is shielded
    and then locked, with its own reason, and the lock is audited."""
    from drivers.camera.detectors import SsdFaceDetector
    from drivers.camera.recognition import FaceEncoder, PresenceMatcher
    from testbed.camera import face_set

    encoder = FaceEncoder()
    login = encoder.analyse(face_set.frame(face_set.ASTRONAUT, np.random.default_rng(1)))
    camera, clock, shield = FaceCamera(), Clock(), PrivacyShield()
    guard = OnlookerGuard(shield, CameraChoice("device", 0), make_source=lambda _c: camera,
                          make_detector=SsdFaceDetector, fps=40.0, clock=clock,
                          make_identify=lambda f: PresenceMatcher.from_features(encoder, [f]))
    win = open_window(central, qtbot, "CAM-0003", tmp_path / "cache", onlooker=guard)
    central.operator("clerk1", ["clerk"])
    guard.set_operator(login.features)  # as the face step hands it over after a face login
    try:
        log_in(qtbot, central, win)
        verdicts = []
        guard.observed.connect(lambda r: verdicts.append(getattr(r, "verdicts", ())))
        qtbot.waitUntil(lambda: guard.running and not shield.active, timeout=10_000)
        qtbot.waitUntil(lambda: (True,) in verdicts, timeout=10_000)
        camera.who = 42  # someone else sits down
        qtbot.waitUntil(lambda: shield.active, timeout=10_000)
        assert win.search_page.name_edit.visibleRegion().isEmpty()
        qtbot.waitUntil(lambda: win.locked, timeout=20_000)
        assert (False,) in verdicts
        assert "別の人" in win.lock_page.reason_label.text()
        assert not guard.running and not camera.is_open
        assert win.lock_page.logout_button.isEnabled(), "logout must stay possible"
        win.lock_page.logout_button.click()
        locks = [d for a, _, _, d in terminal_events(central) if a == "terminal.presence_lock"]
        assert [d["reason"] for d in locks] == ["operator_changed"]
        assert win.session is None, "not logged out"
        assert guard._operator_features is None, "the reference must end with the session"
    finally:
        guard.stop()
        shield.apply(Decision.clear())


def test_the_security_admin_chooses_this_terminals_camera(central, counter, qtbot, monkeypatch):
    """The settings page (PRIV-1 item 5): the cameras found on this terminal are listed, the one in
    use is named, and choosing another restarts the watch with it (the old one is released)."""
    import ui.devices.camera as camera_worker

    win, guard, camera, clock, shield = counter
    monkeypatch.setattr(camera_worker, "device_available", lambda index: index == 1)
    opened = []
    guard._make_source = lambda choice: opened.append(choice) or camera
    central.operator("sec1", ["security_admin", "clerk"])
    type_login(qtbot, win, "sec1", central.passwords["sec1"], press_return=True)
    qtbot.waitUntil(lambda: guard.running and not shield.active)
    win.admin_action.trigger()
    admin = win.admin_page
    specs = [admin.camera_combo.itemData(i) for i in range(admin.camera_combo.count())]
    assert specs == ["device:1", "synthetic"]  # no "none": protection is never switched off here
    assert admin.camera_label.text() == "使用中のカメラ: 仮想カメラ（デモ・試験用）"
    closed = camera.closed
    admin.camera_combo.setCurrentIndex(admin.camera_combo.findData("device:1"))
    qtbot.mouseClick(admin.use_camera_button, Qt.MouseButton.LeftButton)
    assert camera.closed > closed  # the old camera was released first
    assert guard.choice == CameraChoice("device", 1) and opened[-1] == CameraChoice("device", 1)
    qtbot.waitUntil(lambda: guard.running and camera.is_open and not shield.active)
    assert admin.camera_label.text() == "使用中のカメラ: カメラ 1"


def test_the_residents_screen_follows_the_clerks_privacy(central, counter, qtbot):
    """The resident's window (#23 point 2, PRIV-1, AUTH-7): nothing before a page is sent; blank as
    soon as an onlooker raises the shield, and nothing sent while it is up; blank on the lock and
    at the end of the session — through the real shell, camera guard and shield."""
    from PySide6.QtGui import QColor, QImage

    win, guard, camera, clock, shield = counter
    resident = win.resident_screen
    resident.window.show()
    qtbot.waitExposed(resident.window)
    page = QImage(600, 800, QImage.Format.Format_RGB32)
    page.fill(QColor("#123456"))
    assert not resident.send_page(page, "住民異動届", 1, 1)  # logged out: the shield is up
    assert resident.window.showing == "blank"
    log_in(qtbot, central, win)
    qtbot.waitUntil(lambda: guard.running and not shield.active)
    with qtbot.waitSignal(resident.painted):
        assert resident.send_page(page, "住民異動届", 1, 1)
    assert resident.window.showing == "page"
    camera.scene = "onlooker"
    qtbot.waitUntil(lambda: shield.active)
    assert resident.window.showing == "blank" and resident.window.page_view.image is None
    with qtbot.waitSignal(resident.send_refused) as refused:
        assert not resident.send_page(page, "住民異動届", 1, 1)
    assert refused.args == ["shield"]
    camera.scene = "operator"
    qtbot.waitUntil(lambda: not shield.active)
    assert resident.window.showing == "blank"  # what was dropped does not come back by itself
    assert resident.send_page(page, "住民異動届", 1, 1)
    win.lock_session("test")
    assert resident.window.showing == "blank"
    assert not resident.send_page(page, "住民異動届", 1, 1)
    win.lock_page.password_edit.setText(central.passwords["clerk1"])
    qtbot.mouseClick(win.lock_page.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: camera.is_open and not shield.active)
    assert resident.send_page(page, "住民異動届", 1, 1)
    qtbot.mouseClick(win.search_page.logout_button, Qt.MouseButton.LeftButton)
    assert resident.window.showing == "blank" and resident.window.page_view.image is None
