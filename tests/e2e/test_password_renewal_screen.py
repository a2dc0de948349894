"""パスワードの更新 in the window (001: six months): an operator with an old password is taken to the
renewal page after the password (and the face, when enrolled); a weak password is explained there;
a good one ends in the search page. Real window, real central API (SQLite and PostgreSQL)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import update

from central.models import Operator, utcnow
from tests.e2e.test_case_flow import window  # noqa: F401 - the same real window fixture
from tests.e2e.windows import type_login


def log_in_with_an_old_password(qtbot, central, win, login_id, days):
    """A clerk ``login_id`` whose password was set ``days`` ago types it in and presses Return."""
    central.operator(login_id, ["clerk"])
    with central.sessions.begin() as db:
        db.execute(update(Operator).where(Operator.login_id == login_id)
                   .values(password_changed_at=utcnow() - dt.timedelta(days=days)))
    type_login(qtbot, win, login_id, central.passwords[login_id], press_return=True)


def test_an_old_password_is_renewed_before_the_counter_opens(central, window, qtbot):  # noqa: F811
    log_in_with_an_old_password(qtbot, central, window, "old2", days=190)
    renewal = window.password_page
    assert window.current_page is renewal and window.session is None
    qtbot.keyClicks(renewal.current_edit, central.passwords["old2"])
    qtbot.keyClicks(renewal.new_edit, "short")
    qtbot.keyClicks(renewal.confirm_edit, "short")
    qtbot.mouseClick(renewal.submit_button, Qt.MouseButton.LeftButton)
    assert "12文字以上" in renewal.error_label.text() and window.session is None
    assert renewal.current_edit.text() == central.passwords["old2"]  # what was right is kept
    qtbot.keyClicks(renewal.new_edit, "Renewed-Counter-2026")
    qtbot.keyClicks(renewal.confirm_edit, "Renewed-Counter-2027")
    qtbot.mouseClick(renewal.submit_button, Qt.MouseButton.LeftButton)
    assert renewal.error_label.text() == "確認のパスワードが一致しません"
    qtbot.keyClicks(renewal.confirm_edit, "Renewed-Counter-2026")
    qtbot.keyClick(renewal.confirm_edit, Qt.Key.Key_Return)
    assert window.session is not None and window.current_page is window.search_page
    assert renewal.new_edit.text() == "" and renewal.current_edit.text() == ""


def test_giving_up_the_renewal_logs_out(central, window, qtbot):  # noqa: F811
    log_in_with_an_old_password(qtbot, central, window, "old3", days=365)
    qtbot.mouseClick(window.password_page.cancel_button, Qt.MouseButton.LeftButton)
    assert window.current_page is window.login_page and window.session is None
    assert window.client.session is None  # the pending login was abandoned at the centre
