"""PrivacyShield in real offscreen Qt windows: covers everything, blocks input, clears on CLEAR."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMainWindow, QPushButton, QVBoxLayout, QWidget

from app.onlooker import Decision, OnlookerConfig, OnlookerPolicy, Reason
from drivers.camera import CaptureWorker, Scene, SsdFaceDetector, SyntheticSceneSource
from ui.shell.privacy_shield import SHIELD_COLOUR, OnlookerController, PrivacyShield, ShieldOverlay

SECRET_BG = QColor(255, 0, 0)   # no shield pixel is anywhere near pure red
SECRET_FG = QColor(0, 255, 0)


def secret_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setAutoFillBackground(True)
    label.setStyleSheet("QLabel { background: #ff0000; color: #00ff00; font-size: 20px; }")
    label.setMinimumSize(300, 80)
    return label


class Counter(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("counter")
        central = QWidget()
        layout = QVBoxLayout(central)
        self.label = secret_label("山田 太郎 1980-04-01 個人番号 1234 5678 9012 (架空)")
        self.edit = QLineEdit()
        self.button = QPushButton("issue")
        self.clicks = 0
        self.button.clicked.connect(self._click)
        layout.addWidget(self.label)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        self.setCentralWidget(central)
        self.saved = 0
        action = QAction("save", self)
        action.setShortcut(QKeySequence("Ctrl+S"))
        action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        action.triggered.connect(self._save)
        self.addAction(action)
        self.resize(640, 400)

    def _click(self) -> None:
        self.clicks += 1

    def _save(self) -> None:
        self.saved += 1


class Detail(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("detail")
        layout = QVBoxLayout(self)
        self.label = secret_label("佐藤 花子 東京都千代田区1-1 (架空)")
        layout.addWidget(self.label)
        self.resize(420, 240)


@pytest.fixture
def windows(qtbot):
    counter, detail = Counter(), Detail()
    qtbot.addWidget(counter)
    qtbot.addWidget(detail)
    counter.show()
    detail.show()
    qtbot.waitExposed(counter)
    qtbot.waitExposed(detail)
    return counter, detail


@pytest.fixture
def shield(qtbot):
    made = PrivacyShield()
    yield made
    made.apply(Decision.clear())  # never leave an application event filter behind


def red_pixels(widget: QWidget) -> int:
    image = widget.grab().toImage()
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if c.red() > 200 and c.green() < 60 and c.blue() < 60:
                count += 1
    return count


def assert_covered(shield: PrivacyShield, window: QWidget, label: QLabel) -> ShieldOverlay:
    overlay = shield.overlay_for(window)
    assert overlay is not None and overlay.isVisible()
    assert overlay.geometry() == window.rect()
    stacked = [c for c in window.children() if isinstance(c, QWidget) and not c.isWindow()]
    assert stacked[-1] is overlay  # on top of every sibling
    w, h = window.width(), window.height()
    for x, y in [(0, 0), (w - 1, 0), (0, h - 1), (w - 1, h - 1), (w // 2, h // 2), (w // 3, h // 4)]:
        hit = window.childAt(QPoint(x, y))  # what a click there would reach
        assert hit is overlay or overlay.isAncestorOf(hit), (x, y, hit)
    assert label.visibleRegion().isEmpty()
    image = window.grab().toImage()
    assert image.pixelColor(1, 1) == SHIELD_COLOUR and image.pixelColor(w - 2, h - 2) == SHIELD_COLOUR
    assert red_pixels(window) == 0
    return overlay


def test_shield_covers_every_window_and_hides_all_personal_data(qtbot, windows, shield):
    counter, detail = windows
    assert red_pixels(counter) > 100 and red_pixels(detail) > 100  # the data is visible before
    assert not counter.label.visibleRegion().isEmpty()
    with qtbot.waitSignal(shield.shield_changed) as changed:
        shield.apply(Decision.shield(Reason.ONLOOKER))
    assert changed.args == [True] and shield.active
    for window in windows:
        overlay = assert_covered(shield, window, window.label)
        assert overlay.title.text() == "覗き込みを検知しました"
    with qtbot.waitSignal(shield.shield_changed) as changed:
        shield.apply(Decision.clear())
    assert changed.args == [False] and not shield.active
    for window in windows:
        assert shield.overlay_for(window) is None
        assert not window.label.visibleRegion().isEmpty()
        assert red_pixels(window) > 100
    qtbot.waitUntil(lambda: not any(isinstance(c, ShieldOverlay) for w in windows for c in w.children()))


def test_clerk_input_does_not_dismiss_or_reach_the_window(qtbot, windows, shield):
    counter, _ = windows
    counter.activateWindow()
    counter.edit.setFocus()
    qtbot.keyClicks(counter.edit, "ab")
    qtbot.mouseClick(counter.button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(counter.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (counter.edit.text(), counter.clicks, counter.saved) == ("ab", 1, 1)  # input works unshielded

    shield.apply(Decision.shield(Reason.ONLOOKER))
    overlay = shield.overlay_for(counter)
    qtbot.keyClicks(counter.edit, "cd")
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Space, Qt.Key.Key_Tab):
        qtbot.keyClick(overlay, key)
        qtbot.keyClick(counter.edit, key)
    qtbot.keyClick(counter.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(counter.button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(overlay, Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(overlay, Qt.MouseButton.LeftButton)
    assert (counter.edit.text(), counter.clicks, counter.saved) == ("ab", 1, 1)
    assert shield.active and overlay.isVisible()
    assert_covered(shield, counter, counter.label)

    shield.apply(Decision.clear())
    qtbot.keyClicks(counter.edit, "e")
    assert counter.edit.text() == "abe"


def test_shield_stays_on_top_of_new_children_new_windows_and_resizes(qtbot, windows, shield):
    counter, detail = windows
    shield.apply(Decision.shield(Reason.ONLOOKER))
    late = secret_label("後から表示された個人情報")
    late.setParent(detail)
    late.show()
    late.raise_()
    counter.label.raise_()
    counter.resize(800, 560)
    qtbot.waitUntil(lambda: shield.overlay_for(counter).geometry() == counter.rect())
    assert_covered(shield, counter, counter.label)
    assert_covered(shield, detail, late)
    dialog = QDialog(counter)
    dialog.setLayout(QVBoxLayout())
    dialog_label = secret_label("ダイアログの個人情報")
    dialog.layout().addWidget(dialog_label)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert_covered(shield, dialog, dialog_label)
    dialog.close()


@pytest.mark.parametrize("reason, title", [
    (Reason.CAMERA_COVERED, "カメラが覆われています"),
    (Reason.CAMERA_FROZEN, "カメラの映像が止まっています"),
    (Reason.CAMERA_MISSING, "カメラを利用できません"),
])
def test_camera_faults_show_a_camera_message(qtbot, windows, reason, title, shield):
    shield.apply(Decision.shield(reason))
    for window in windows:
        assert assert_covered(shield, window, window.label).title.text() == title
    shield.apply(Decision.shield(Reason.ONLOOKER))  # the message follows the reason
    assert shield.overlay_for(windows[0]).title.text() == "覗き込みを検知しました"
    shield.apply(Decision.clear())


def test_lock_covers_and_asks_for_a_session_lock(qtbot, windows, shield):
    with qtbot.waitSignal(shield.lock_requested):
        shield.apply(Decision.lock())
    for window in windows:
        assert assert_covered(shield, window, window.label).title.text() == "離席を検知しました"
    shield.apply(Decision.clear())
    assert not shield.active


def test_controller_end_to_end_with_a_camera_thread(qtbot, windows, shield):
    """Synthetic camera → SSD detector in a worker thread → policy → shield on the GUI thread."""
    counter, detail = windows
    policy = OnlookerPolicy(OnlookerConfig(k=2, m=4))
    controller = OnlookerController(shield, policy, tick_ms=50)
    assert shield.decision == Decision.shield(Reason.CAMERA_MISSING)  # fail closed until frames come
    assert_covered(shield, counter, counter.label)
    timeline = [(8, Scene()), (10, Scene(onlookers=1, onlooker_face_width=100)), (8, Scene())]
    source = SyntheticSceneSource(timeline, fps=20.0, seed=4)
    gui_thread = threading.get_ident()
    worker_threads: set[int] = set()

    def on_result(result):
        worker_threads.add(threading.get_ident())
        controller.submit(result)

    seen: list[Decision] = []
    controller.decision_changed.connect(seen.append)
    worker = CaptureWorker(source, SsdFaceDetector(), on_result, pace=20.0, retry_open_s=30.0)
    controller.start()
    worker.start()
    try:
        qtbot.waitUntil(lambda: Decision.shield(Reason.ONLOOKER) in seen, timeout=15000)
        qtbot.waitUntil(lambda: shield.decision == Decision.clear() and seen.count(Decision.clear()) >= 2,
                        timeout=15000)
        assert red_pixels(counter) > 100
        # the source ends: no more frames → the camera counts as missing and the shield comes back
        qtbot.waitUntil(lambda: shield.decision == Decision.shield(Reason.CAMERA_MISSING), timeout=15000)
        assert_covered(shield, counter, counter.label)
    finally:
        worker.stop()
        controller.stop()
    first_clear = seen.index(Decision.clear())
    hidden = seen.index(Decision.shield(Reason.ONLOOKER), first_clear)
    assert Decision.clear() in seen[hidden:]  # alone → onlooker hides → leaves → shown again
    assert worker_threads and gui_thread not in worker_threads
    assert controller.frames == 26
    shield.apply(Decision.clear())


def test_the_start_up_rehearsal_leaves_nothing_on_screen_and_the_shield_still_works(
        qtbot, windows, shield):
    """rehearse() renders a cover offscreen once (Qt's first-use costs paid at start-up, not at
    the first shield): no window appears, focus stays, nothing is covered or filtered, and the
    real shield afterwards covers every window as before."""
    from PySide6.QtWidgets import QApplication

    counter, detail = windows
    counter.activateWindow()
    counter.edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is counter.edit)
    visible_before = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
    shield.rehearse(counter.size())
    assert {w for w in QApplication.topLevelWidgets() if w.isVisible()} == visible_before
    assert QApplication.focusWidget() is counter.edit
    assert not shield.active and shield.overlays() == []
    assert red_pixels(counter) > 100
    shield.apply(Decision.shield(Reason.CAMERA_MISSING))
    for window in windows:
        assert_covered(shield, window, window.label)
