"""The resident's screen (#23 points 2 and 3): nothing shown before it is sent, blank on shield, lock
and session end, the signature pad's three inputs, and the clerk cannot sign for the resident."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import (QColor, QEventPoint, QImage, QInputDevice, QMouseEvent, QPointingDevice,
                           QTabletEvent, QTouchEvent)
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget

from app.signature import Proxy, Signature
from ui.common import i18n
from ui.resident.controller import ResidentScreen
from ui.resident.ruby_label import RubyLabel
from ui.resident.window import FONT_LEVELS, ResidentWindow

TS_FILE = i18n.TRANSLATIONS_DIR / "madoguchi_en.ts"
FORM_COLOUR = QColor(200, 30, 160)  # a colour nothing else on the screen has
TITLE = "住民異動届（転入）"
SIGNED_AT = "2026-04-01T01:02:03+00:00"


def form_page() -> QImage:
    image = QImage(600, 848, QImage.Format.Format_RGB32)
    image.fill(FORM_COLOUR)
    return image


def has_form_pixels(widget: QWidget) -> bool:
    shot = widget.grab().toImage()
    step = 8
    return any(shot.pixelColor(x, y) == FORM_COLOUR
               for x in range(0, shot.width(), step) for y in range(0, shot.height(), step))


def visible_texts(window: QWidget) -> list[str]:
    texts = [w.text() for w in window.findChildren(QLabel) if w.isVisibleTo(window)]
    texts += [w.text() for w in window.findChildren(RubyLabel) if w.isVisibleTo(window)]
    texts += [w.text() for w in window.findChildren(QPushButton) if w.isVisibleTo(window)]
    return [t for t in texts if t]


@pytest.fixture
def screen(qtbot):
    resident = ResidentScreen(ResidentWindow(now=lambda: SIGNED_AT))
    qtbot.addWidget(resident.window)
    resident.window.show()
    qtbot.waitExposed(resident.window)
    return resident


# -- what is shown ------------------------------------------------------------------------------

def test_nothing_is_shown_before_a_page_is_sent(qtbot, screen):
    window = screen.window
    assert window.showing == "blank"
    assert visible_texts(window) == ["しばらくお{待|ま}ちください"]
    assert not has_form_pixels(window)
    assert all(TITLE not in t for t in visible_texts(window))
    with qtbot.waitSignal(screen.painted, timeout=2000) as painted:
        assert screen.send_page(form_page(), TITLE, 1, 3)
    assert painted.args == [1]
    assert window.showing == "page"
    assert has_form_pixels(window)
    assert window.page_title.text() == TITLE
    assert window.page_number.text() == "1 / 3 ページ"


def test_the_page_is_scaled_to_fit_keeping_its_aspect(qtbot, screen):
    screen.send_page(form_page(), TITLE, 2, 3)
    target = screen.window.page_view.target()
    assert target.width() <= screen.window.page_view.width() + 0.5
    assert target.height() <= screen.window.page_view.height() + 0.5
    assert target.width() / target.height() == pytest.approx(600 / 848, rel=1e-3)


@pytest.mark.parametrize("event", ["shield", "lock", "session_end"])
def test_blank_on_shield_lock_and_session_end(qtbot, screen, event):
    window = screen.window
    screen.send_page(form_page(), TITLE, 1, 1)
    assert has_form_pixels(window)
    {"shield": lambda: screen.on_shield(True), "lock": screen.on_lock,
     "session_end": screen.on_session_end}[event]()
    assert window.showing == "blank"
    assert window.page_view.image is None  # the reference is dropped, not only hidden
    assert not has_form_pixels(window)
    assert all(TITLE not in t for t in visible_texts(window))


def test_the_shell_signals_blank_it(qtbot, screen):
    from PySide6.QtCore import QObject, Signal

    class Shell(QObject):
        shield_changed = Signal(bool)
        locked = Signal()
        unlocked = Signal()
        session_ended = Signal(object)
        active = True  # the shield starts fail closed

    shell = Shell()
    screen.attach(shield=shell, locked=shell.locked,
                  unlocked=shell.unlocked, session_ended=shell.session_ended)
    assert not screen.send_page(form_page(), TITLE, 1, 1)  # up when attached: nothing shown
    shell.shield_changed.emit(False)
    with qtbot.waitSignal(screen.send_refused) as refused:
        assert not screen.send_page(form_page(), TITLE, 1, 1)  # no session yet
    assert refused.args == ["no_session"]
    screen.on_session_start()
    assert screen.send_page(form_page(), TITLE, 1, 1)
    shell.shield_changed.emit(True)
    assert screen.window.showing == "blank"
    shell.shield_changed.emit(False)
    screen.send_page(form_page(), TITLE, 1, 1)
    shell.locked.emit()
    assert screen.window.showing == "blank"
    with qtbot.waitSignal(screen.send_refused) as refused:
        assert not screen.send_page(form_page(), TITLE, 1, 1)
    assert refused.args == ["locked"]
    shell.unlocked.emit()
    assert screen.send_page(form_page(), TITLE, 1, 1)
    shell.session_ended.emit("logout")
    assert screen.window.showing == "blank"


def test_a_page_sent_while_shielded_is_not_shown(qtbot, screen):
    screen.on_shield(True)
    with qtbot.waitSignal(screen.send_refused) as refused:
        assert not screen.send_page(form_page(), TITLE, 1, 2)
    assert refused.args == ["shield"]
    assert not screen.ask_signature([TITLE])
    assert screen.window.showing == "blank"
    assert screen.window.page_view.image is None
    screen.on_shield(False)
    assert screen.window.showing == "blank"  # the dropped page does not come back by itself
    assert not has_form_pixels(screen.window)
    assert screen.send_page(form_page(), TITLE, 1, 2)
    assert has_form_pixels(screen.window)


# -- the signature pad --------------------------------------------------------------------------

PEN = QPointingDevice("test pen", 9001, QInputDevice.DeviceType.Stylus,
                      QPointingDevice.PointerType.Pen,
                      QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 2)
TOUCH = QPointingDevice("test touch screen", 9002, QInputDevice.DeviceType.TouchScreen,
                        QPointingDevice.PointerType.Finger, QInputDevice.Capability.Position, 5, 0)

SWIRL = [(60 + 12 * i, 80 + (i % 5) * 9) for i in range(12)]


def tablet(pad, kind, x, y, pressure, ts):
    event = QTabletEvent(kind, PEN, QPointF(x, y), QPointF(pad.mapToGlobal(QPoint(x, y))), pressure,
                         0.0, 0.0, 0.0, 0.0, 0.0, Qt.KeyboardModifier.NoModifier,
                         Qt.MouseButton.LeftButton,
                         Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease
                         else Qt.MouseButton.LeftButton)
    event.setTimestamp(ts)
    QApplication.sendEvent(pad, event)


def draw_tablet(pad, points=SWIRL, t0=5000):
    last = len(points) - 1
    for i, (x, y) in enumerate(points):
        kind = (QEvent.Type.TabletPress if i == 0 else
                QEvent.Type.TabletRelease if i == last else QEvent.Type.TabletMove)
        tablet(pad, kind, x, y, 0.2 + 0.05 * i, t0 + 8 * i)


def mouse(widget, kind, x, y, ts):
    buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease \
        else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, QPointF(x, y), QPointF(widget.mapToGlobal(QPoint(x, y))),
                        Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove
                        else Qt.MouseButton.NoButton, buttons, Qt.KeyboardModifier.NoModifier)
    event.setTimestamp(ts)
    QApplication.sendEvent(widget, event)


def draw_mouse(widget, points=SWIRL, t0=100):
    last = len(points) - 1
    for i, (x, y) in enumerate(points):
        kind = (QEvent.Type.MouseButtonPress if i == 0 else
                QEvent.Type.MouseButtonRelease if i == last else QEvent.Type.MouseMove)
        mouse(widget, kind, x, y, t0 + 10 * i)


def draw_touch(pad, points=SWIRL, t0=700):
    last = len(points) - 1
    for i, (x, y) in enumerate(points):
        kind, state = ((QEvent.Type.TouchBegin, QEventPoint.State.Pressed) if i == 0 else
                       (QEvent.Type.TouchEnd, QEventPoint.State.Released) if i == last else
                       (QEvent.Type.TouchUpdate, QEventPoint.State.Updated))
        point = QEventPoint(1, state, QPointF(x, y), QPointF(pad.mapToGlobal(QPoint(x, y))))
        event = QTouchEvent(kind, TOUCH, Qt.KeyboardModifier.NoModifier, [point])
        event.setTimestamp(t0 + 12 * i)
        QApplication.sendEvent(pad, event)


def confirm(qtbot, window) -> Signature:
    with qtbot.waitSignal(window.signed, timeout=2000) as signed:
        qtbot.mouseClick(window.confirm_button, Qt.MouseButton.LeftButton)
    return signed.args[0]


@pytest.fixture
def pad_screen(qtbot, screen):
    assert screen.ask_signature(["住民異動届", "国民健康保険の届"])
    assert screen.window.showing == "signature"
    return screen


def test_a_tablet_signature_has_pressure_and_increasing_times(qtbot, pad_screen):
    window = pad_screen.window
    assert "・住民異動届\n・国民健康保険の届" == window.forms_list.text()
    draw_tablet(window.pad)
    with qtbot.waitSignal(pad_screen.signed) as relayed:
        sig = confirm(qtbot, window)
    assert relayed.args[0] is sig
    assert sig.input == "tablet" and sig.pressure and sig.proxy is None
    assert sig.signed_at == SIGNED_AT
    (stroke,) = sig.strokes
    times = [p.t_ms for p in stroke.points]
    assert times[0] == 0 and times == sorted(times) and times[-1] == 8 * (len(SWIRL) - 1)
    assert [round(p.pressure, 2) for p in stroke.points][:3] == [0.2, 0.25, 0.3]
    assert (stroke.points[0].x, stroke.points[0].y) == SWIRL[0]
    assert window.showing == "blank" and window.pad.empty  # the strokes left with the signature


def test_a_mouse_signature(qtbot, pad_screen):
    window = pad_screen.window
    draw_mouse(window.pad)
    draw_mouse(window.pad, [(x, y + 60) for x, y in SWIRL], t0=600)
    sig = confirm(qtbot, window)
    assert sig.input == "mouse" and not sig.pressure and len(sig.strokes) == 2
    times = [p.t_ms for s in sig.strokes for p in s.points]
    assert times == sorted(times) and times[-1] == 500 + 10 * (len(SWIRL) - 1)


def test_a_touch_signature(qtbot, pad_screen):
    window = pad_screen.window
    draw_touch(window.pad)
    sig = confirm(qtbot, window)
    assert sig.input == "touch" and not sig.pressure and len(sig.strokes) == 1
    assert sig.point_count == len(SWIRL)
    times = [p.t_ms for p in sig.strokes[0].points]
    assert times == sorted(times) and times[-1] == 12 * (len(SWIRL) - 1)


def test_mouse_events_qt_makes_from_a_pen_are_not_counted_twice(qtbot, pad_screen):
    pad = pad_screen.window.pad
    draw_tablet(pad)
    event = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(300, 100), QPointF(300, 100),
                        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier, PEN)  # as Qt re-sends an ignored pen
    QApplication.sendEvent(pad, event)
    assert pad.stroke_count == 1
    draw_mouse(pad)  # a real mouse after the pen: one input per signature
    assert pad.stroke_count == 1


def test_clear_then_sign_again(qtbot, pad_screen):
    window = pad_screen.window
    draw_mouse(window.pad)
    assert not window.pad.empty
    qtbot.mouseClick(window.clear_button, Qt.MouseButton.LeftButton)
    assert window.pad.empty
    draw_tablet(window.pad)  # another input is welcome after a clear
    sig = confirm(qtbot, window)
    assert sig.input == "tablet" and len(sig.strokes) == 1


def test_an_empty_confirm_says_so_in_japanese(qtbot, pad_screen):
    window = pad_screen.window
    with qtbot.assertNotEmitted(window.signed):
        qtbot.mouseClick(window.confirm_button, Qt.MouseButton.LeftButton)
    assert window.error_label.isVisibleTo(window)
    assert window.error_label.text() == "署名がありません。署名欄にお名前を書いてください"
    assert window.showing == "signature"


def test_proxy_signature_shows_and_carries_the_proxy(qtbot, screen):
    proxy = Proxy(writer="clerk01", reason="physical")
    assert screen.ask_signature(["住民異動届"], proxy)
    window = screen.window
    assert window.proxy_label.isVisibleTo(window)
    assert window.proxy_label.text() == "代筆 — 理由: 身体の障害・けが等により本人が署名できない"
    draw_mouse(window.pad)
    sig = confirm(qtbot, window)
    assert sig.proxy == proxy
    screen.ask_signature(["住民異動届"])
    assert not window.proxy_label.isVisibleTo(window)


def test_blank_drops_the_strokes(qtbot, pad_screen):
    draw_tablet(pad_screen.window.pad)
    pad_screen.on_shield(True)
    assert pad_screen.window.pad.empty and pad_screen.window.showing == "blank"


# -- the clerk cannot sign for the resident -------------------------------------------------------

def test_input_on_the_clerks_window_never_reaches_the_pad(qtbot, pad_screen):
    clerk = QWidget()
    qtbot.addWidget(clerk)
    field = QWidget(clerk)
    QVBoxLayout(clerk).addWidget(field)
    clerk.resize(pad_screen.window.size())
    clerk.show()
    qtbot.waitExposed(clerk)
    pad = pad_screen.window.pad
    draw_mouse(field)
    draw_mouse(clerk)
    qtbot.mousePress(field, Qt.MouseButton.LeftButton, pos=QPoint(60, 80))
    qtbot.mouseMove(field, QPoint(200, 120))
    qtbot.mouseRelease(field, Qt.MouseButton.LeftButton, pos=QPoint(200, 120))
    assert pad.empty
    assert not hasattr(pad, "add_stroke") and not any(
        name.startswith("add") for name in dir(pad) if not name.startswith("_")
        and name not in dir(QWidget))


def test_a_pad_moved_out_of_the_resident_window_refuses_every_input(qtbot, pad_screen):
    pad = pad_screen.window.pad
    clerk = QWidget()
    qtbot.addWidget(clerk)
    pad.setParent(clerk)
    clerk.resize(800, 400)
    clerk.show()
    pad.show()
    qtbot.waitExposed(clerk)
    assert pad.window() is clerk
    draw_mouse(pad)
    draw_tablet(pad)
    draw_touch(pad)
    assert pad.empty


# -- accessibility ---------------------------------------------------------------------------------

def test_the_text_size_buttons_change_the_instruction_font_within_bounds(qtbot, pad_screen):
    window = pad_screen.window
    before = window.sign_instruction.font().pointSizeF()
    qtbot.mouseClick(window.larger_button, Qt.MouseButton.LeftButton)
    assert window.sign_instruction.font().pointSizeF() > before
    assert window.confirm_button.font().pointSizeF() > before * 0.9 - 0.01
    for _ in range(10):
        window.larger()
    assert window.sign_instruction.font().pointSizeF() == FONT_LEVELS[-1]
    assert not window.larger_button.isEnabled()
    for _ in range(10):
        window.smaller()
    assert window.sign_instruction.font().pointSizeF() == FONT_LEVELS[0]
    assert not window.smaller_button.isEnabled()


def test_english_for_the_resident_only(qtbot, tmp_path):
    qm = tmp_path / "madoguchi_en.qm"
    i18n.compile_translation(TS_FILE, qm)
    window = ResidentWindow(english_qm=qm)
    qtbot.addWidget(window)
    window.ask_signature(["住民異動届"])
    assert window.sign_instruction.plainText() == "下の枠の中にお名前を書いてください"
    qtbot.mouseClick(window.english_button, Qt.MouseButton.LeftButton)
    assert window.english
    assert window.sign_instruction.text() == "Please write your name in the box below"
    assert window.confirm_button.text() == "Confirm the signature"
    assert i18n.language() == "ja"  # the clerk's window keeps its language
    qtbot.mouseClick(window.english_button, Qt.MouseButton.LeftButton)
    assert window.confirm_button.text() == "署名を確定する"


def test_the_instructions_carry_furigana(qtbot, pad_screen):
    label = pad_screen.window.sign_instruction
    assert [s.reading for s in label.segments() if s.reading] == ["した", "わく", "なか", "なまえ", "か"]
    plain = RubyLabel("Please write your name in the box below")
    plain.setFont(label.font())
    assert plain.heightForWidth(2000) < label.heightForWidth(2000)  # room for the reading above
    assert plain.heightForWidth(120) > plain.heightForWidth(2000)  # wraps between words
    assert label.heightForWidth(150) > label.heightForWidth(2000)  # and between characters


def test_place_without_a_second_screen_is_a_normal_window(qtbot):
    window = ResidentWindow()
    qtbot.addWidget(window)
    assert window.place(QApplication.instance()) is None
    assert window.isVisible() and not window.isFullScreen()


def test_the_window_goes_full_screen_on_the_second_display(tmp_path):
    """On a terminal with two displays the resident's window takes the second one, full screen
    (#23 point 2); run in its own process, Qt's offscreen platform given two screens."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": [
        {"name": "clerk", "x": 0, "y": 0, "width": 1280, "height": 800, "logicalDpi": 96},
        {"name": "resident", "x": 1280, "y": 0, "width": 1024, "height": 768, "logicalDpi": 96}]}))
    script = tmp_path / "place.py"
    script.write_text(
        "import ui\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from ui.resident.controller import ResidentScreen\n"
        "app = QApplication([])\n"
        "screen = ResidentScreen()\n"
        "placed = screen.place(app)\n"
        "app.processEvents()\n"
        "w = screen.window\n"
        "print(placed.name() if placed else None, w.screen().name(), w.isFullScreen(),"
        " w.geometry().x(), w.geometry().width())\n", encoding="utf-8")
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          cwd=repo, env={**os.environ, "PYTHONPATH": str(repo),
                                         "QT_QPA_PLATFORM": f"offscreen:configfile={config}"})
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stdout.split() == ["resident", "resident", "True", "1280", "1024"], done.stdout
