"""Every card failure reaches the clerk as a Japanese message, through the real 本人確認 page (#20
point 8, WF-2): each error class of drivers/card/errors.py raised by the reader while the card is
set up and while it is read, an old 住基カード (no My Number application), a card whose 個人番号
fails its check digit, and a card whose sex is ISO 5218's "0" (not known). The card I/O is the real
protocol code over the in-memory reader, through ``ui.devices.card.CardAccess``; only the centre is
a stub here (tests/e2e/test_identity_screen.py runs the same page against the real central API).
Nothing read from a card stays on screen after an error, and no error ends as a traceback.
"""
from __future__ import annotations

import datetime as dt
import inspect

import pytest
from PySide6.QtCore import Qt

from app import actions
from app.api_client import Operator, OperatorSession, Permission, RecordedCheck, SessionPolicy
from drivers.card import errors
from drivers.card.memory import MemoryCardReader
from drivers.card.virtual import Person, VirtualMyNumberCard
from ui.devices.card import CardAccess
from ui.pages.identity import IdentityPage
from ui.common.worker import run_synchronously

RECORD = {"name_kanji": "架空　太郎", "address": "架空県さくら市桜町一丁目２番地３",
          "birth_date": "1985-04-01", "sex": "male"}


def card_error_classes() -> list[type[errors.CardError]]:
    """Every class of drivers/card/errors.py, found there (a new one is tested without a change)."""
    return sorted((c for _n, c in inspect.getmembers(errors, inspect.isclass)
                   if issubclass(c, errors.CardError) and c.__module__ == errors.__name__),
                  key=lambda c: c.__name__)


def make(cls: type[errors.CardError]) -> errors.CardError:
    params = inspect.signature(cls).parameters
    if "tries_left" in params:
        return cls(2, 0x63C2)  # type: ignore[call-arg]
    if "sw" in params and params["sw"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD \
            and params["sw"].default is inspect.Parameter.empty:
        return cls(0x6A82)  # type: ignore[call-arg]
    return cls()


class Centre:
    """The centre's two answers the page needs: the register record and the check's record."""

    def __init__(self):
        self.recorded = []

    def read_resident(self, resident_id, purpose):
        return dict(RECORD)

    def record_identity_check(self, check):
        self.recorded.append(check)
        return RecordedCheck(len(self.recorded))


class ScriptedReader(MemoryCardReader):
    """The in-memory reader, except that call number ``fail_on`` raises ``exc``."""

    def __init__(self, card, exc, fail_on):
        super().__init__(card)
        self.exc, self.fail_on, self.calls = exc, fail_on, 0

    def run(self, operation):
        self.calls += 1
        if self.calls == self.fail_on:
            raise self.exc
        return super().run(operation)


def session(*allowed: str) -> OperatorSession:
    return OperatorSession(token="t", expires_at=None, operator=Operator("c1", "窓口 一郎"), rights=(),
                           policy=SessionPolicy(5, 480),
                           permissions=tuple(Permission(a, dt.date(2099, 3, 31)) for a in allowed))


def open_page(qtbot, access, *allowed):
    page = IdentityPage(Centre(), run_synchronously, lambda _record: access)
    qtbot.addWidget(page)
    page.show()
    page.set_session(session(*allowed))
    from app.residents import ResidentSummary

    page.show_resident(ResidentSummary.from_json(dict(RECORD, id=7, version=1)))
    return page


def read(qtbot, page, pin="1234"):
    qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
    if page.pin_box.isVisible():
        qtbot.keyClicks(page.pin_pad.edit, pin)
        qtbot.mouseClick(page.pin_pad.ok, Qt.MouseButton.LeftButton)


def nothing_of_the_card_on_screen(page):
    assert page.compare_table.rowCount() == 0
    assert page.my_number_label.text() == "" and page.integrity_label.text() == ""
    assert page.card_result is None and not page.record_card_button.isEnabled()


@pytest.mark.parametrize("stage", ["setup", "read"])
@pytest.mark.parametrize("cls", card_error_classes(), ids=lambda c: c.__name__)
def test_every_card_error_is_said_in_japanese_and_clears_the_screen(qtbot, cls, stage):
    exc = make(cls)
    card = VirtualMyNumberCard(Person(**{"name": RECORD["name_kanji"], "address": RECORD["address"],
                                         "birth_date": dt.date(1985, 4, 1)}))
    page = open_page(qtbot, CardAccess(ScriptedReader(card, exc, 1 if stage == "setup" else 2),
                                       virtual=True), actions.MY_NUMBER_READ)
    read(qtbot, page)
    assert page.message.isVisible() and page.message.text() == exc.message_ja
    assert isinstance(exc.message_ja, str) and exc.message_ja  # never a number or empty
    nothing_of_the_card_on_screen(page)
    if exc.code == "pin_locked":
        assert page.locked_panel.isVisible() and page.to_documents_button.isVisible()
    elif exc.code == "wrong_pin":
        assert page.tries_label.text() == "残り 2 回"
    assert page.read_button.isEnabled() or exc.code == "pin_locked" or stage == "read"


def test_a_status_word_passed_as_the_message_is_refused_at_once():
    """The bug that turned an old 住基カード into a TypeError on screen: a status word given as the
    message (NotMyNumberCard(0x6A82)) is refused where it is made, not where it is shown."""
    with pytest.raises(TypeError, match="sw="):
        errors.NotMyNumberCard(0x6A82)


def test_an_old_juki_card_is_not_a_my_number_card(qtbot):
    page = open_page(qtbot, CardAccess(MemoryCardReader(VirtualMyNumberCard(my_number_card=False)),
                                       virtual=True))
    read(qtbot, page)
    assert page.message.text() == errors.NotMyNumberCard.message_ja
    assert not page.pin_box.isVisible()  # no PIN is asked of a card that is not one
    nothing_of_the_card_on_screen(page)


def test_a_my_number_that_fails_its_check_digit_is_shown_and_recorded_as_such(qtbot):
    person = Person(name=RECORD["name_kanji"], address=RECORD["address"],
                    birth_date=dt.date(1985, 4, 1), my_number="123456789010")  # check digit is 8
    page = open_page(qtbot, CardAccess(MemoryCardReader(VirtualMyNumberCard(person)), virtual=True),
                     actions.MY_NUMBER_READ)
    read(qtbot, page)
    assert "検査用数字が一致しません" in page.my_number_label.text()
    assert "個人番号が検査用数字と一致しません" in page.card_status.text()
    qtbot.mouseClick(page.record_card_button, Qt.MouseButton.LeftButton)
    assert page.result is not None and not page.result.matched
    assert page.result.items == ("my_number",)
    assert page._client.recorded[-1]["items"] == ["my_number"]


def test_a_valid_my_number_is_shown_without_a_warning(qtbot):
    person = Person(name=RECORD["name_kanji"], address=RECORD["address"], birth_date=dt.date(1985, 4, 1))
    page = open_page(qtbot, CardAccess(MemoryCardReader(VirtualMyNumberCard(person)), virtual=True),
                     actions.MY_NUMBER_READ)
    read(qtbot, page)
    assert page.my_number_label.text().startswith("個人番号（カード）:")
    assert "検査用数字" not in page.my_number_label.text() + page.card_status.text()
    qtbot.mouseClick(page.record_card_button, Qt.MouseButton.LeftButton)
    assert page.result.matched and page.result.items == ()


def test_a_card_whose_sex_is_not_known_is_read_and_flagged(qtbot):
    person = Person(name=RECORD["name_kanji"], address=RECORD["address"], birth_date=dt.date(1985, 4, 1),
                    sex="0")
    page = open_page(qtbot, CardAccess(MemoryCardReader(VirtualMyNumberCard(person)), virtual=True))
    read(qtbot, page)
    rows = {page.compare_table.item(r, 0).text(): page.compare_table.item(r, 3).text()
            for r in range(page.compare_table.rowCount())}
    assert rows["性別"] == "相違" and page.compare_table.item(3, 1).text() == "不明"
    assert "不明" in page.card_status.text()
    qtbot.mouseClick(page.record_card_button, Qt.MouseButton.LeftButton)
    assert page.result.items == ("sex",)


def test_a_reader_that_fails_with_something_else_says_so_without_a_traceback(qtbot, caplog):
    class Broken:
        def run(self, operation):
            raise RuntimeError("driver bug")

    page = open_page(qtbot, CardAccess(Broken(), virtual=True))
    read(qtbot, page)
    assert page.message.text() == "カードリーダーを準備できません。書類で確認してください"
    nothing_of_the_card_on_screen(page)
