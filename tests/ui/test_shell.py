"""The client shell: main window, login page, search page (offscreen Qt)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt

from app.api_client import (ApiError, CentralUnreachable, DeviceDisabled, Operator, OperatorSession, Right,
                            SessionPolicy, parse_permissions)
from central.rights import actions_for
from app.residents import ResidentSearchResult, ResidentSummary
from tests.e2e.windows import type_login
from ui.shell.main_window import MainWindow
from ui.common.worker import BackgroundRunner, run_synchronously


def make_session(pending=()):
    return OperatorSession(
        token="tok",
        expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.timezone.utc),
        operator=Operator(login_id="clerk01", display_name="窓口 一郎"),
        rights=(Right("clerk", dt.date(2099, 3, 31)),),
        policy=SessionPolicy(5, 480),
        pending_factors=tuple(pending),
        permissions=parse_permissions(actions_for({"clerk": dt.date(2099, 3, 31)})),  # as the centre says
    )


def resident(**overrides):
    data = {
        "id": 1,
        "juminhyo_code": "12345678901",
        "name_kanji": "山田 太郎",
        "name_kana": "ヤマダ タロウ",
        "birth_date": "1980-04-01",
        "sex": "male",
        "address": "架空県見本市中央町1-2-3",
        "katagaki": None,
        "status": "current",
        "my_number": "************",
        "my_number_disclosed": False,
        "support_measure": True,
        "version": 1,
    }
    data.update(overrides)
    return ResidentSummary.from_json(data)


class FakeClient:
    """Stands in for CentralClient; records calls and the thread they ran on."""

    def __init__(self):
        self.health_error: Exception | None = None
        self.login_error: Exception | None = None
        self.search_error: Exception | None = None
        self.search_result = ResidentSearchResult(items=(resident(),), count=1)
        self.session_to_return = make_session()
        self.calls: list[tuple] = []
        self.threads: dict[str, int] = {}

    def health(self):
        self.threads["health"] = threading.get_ident()
        self.calls.append(("health",))
        if self.health_error:
            raise self.health_error
        return {"status": "ok", "version": "test"}

    def login(self, login_id, password):
        self.threads["login"] = threading.get_ident()
        self.calls.append(("login", login_id))
        if self.login_error:
            raise self.login_error
        return self.session_to_return

    def logout(self):
        self.calls.append(("logout",))

    def search_residents(self, purpose, purpose_note=None, **keys):
        self.threads["search"] = threading.get_ident()
        self.calls.append(("search", purpose, purpose_note, keys))
        if self.search_error:
            raise self.search_error
        return self.search_result


@pytest.fixture
def client():
    return FakeClient()


@pytest.fixture
def window(qtbot, client):
    win = MainWindow(client, run_synchronously, terminal_id="TERM-TEST-01", demo_operators=None)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def log_in(qtbot, window, login_id="clerk01", password="pw"):
    type_login(qtbot, window, login_id, password)


def test_window_title_is_japanese(window):
    assert window.windowTitle() == "窓口端末 — Madoguchi"


def test_starts_on_the_login_page_logged_out(window):
    assert window.current_page is window.login_page
    assert window.login_page.password_edit.echoMode() == window.login_page.password_edit.EchoMode.Password
    assert not window.login_page.error_label.isVisible()
    assert not window.login_page.demo_hint.isVisible()


def test_status_bar_shows_terminal_id(window):
    assert "TERM-TEST-01" in window.terminal_label.text()
    assert window.terminal_label.isVisible()


def test_failed_login_shows_japanese_detail_and_keeps_the_id(qtbot, window, client):
    client.login_error = ApiError(
        401, "login_failed", title="Login failed", detail="Wrong login ID or password",
        title_ja="ログインできません", detail_ja="職員IDまたはパスワードが違います",
    )
    log_in(qtbot, window, "clerk01", "wrong")
    page = window.login_page
    assert window.current_page is page
    assert page.error_label.isVisible()
    assert page.error_label.text() == "職員IDまたはパスワードが違います"
    assert "Traceback" not in page.error_label.text()
    assert page.login_id_edit.text() == "clerk01"
    assert page.password_edit.text() == ""
    assert page.login_button.isEnabled()


def test_login_when_central_is_unreachable(qtbot, window, client):
    client.login_error = CentralUnreachable()
    log_in(qtbot, window)
    assert window.login_page.error_label.text() == "中央サーバーに接続できません"
    assert window.login_page.login_id_edit.text() == "clerk01"


def test_empty_login_is_not_sent(qtbot, window, client):
    qtbot.mouseClick(window.login_page.login_button, Qt.MouseButton.LeftButton)
    assert ("login", "") not in client.calls
    assert not any(call[0] == "login" for call in client.calls)
    assert window.login_page.error_label.isVisible()


def test_successful_login_shows_search_page_with_operator_name(qtbot, window, client):
    log_in(qtbot, window)
    assert ("login", "clerk01") in client.calls
    assert window.current_page is window.search_page
    assert "窓口 一郎" in window.search_page.operator_label.text()
    assert window.search_page.logout_button.isVisible()


def test_login_with_pending_factors_does_not_enter(qtbot, window, client):
    client.session_to_return = make_session(pending=["otp"])
    log_in(qtbot, window)
    assert window.current_page is window.login_page
    assert window.login_page.error_label.isVisible()
    assert ("logout",) in client.calls


def fill_search(qtbot, page, purpose="idou", **fields):
    index = page.purpose_combo.findData(purpose)
    page.purpose_combo.setCurrentIndex(index)
    widgets = {
        "purpose_note": page.purpose_note_edit,
        "juminhyo_code": page.juminhyo_code_edit,
        "name": page.name_edit,
        "address": page.address_edit,
        "birth_date": page.birth_date_edit,
    }
    for name, text in fields.items():
        # QTest can only type Latin-1 keys; Japanese arrives as an IME commit anyway.
        widgets[name].insert(text)


def test_search_without_enough_keys_shows_server_message_and_keeps_fields(qtbot, window, client):
    log_in(qtbot, window)
    page = window.search_page
    client.search_error = ApiError(
        422, "search_needs_two_keys", title="Search needs two keys", detail="Give two keys",
        title_ja="検索条件が不足しています", detail_ja="検索条件を2つ以上入力してください",
    )
    fill_search(qtbot, page, "idou", name="山田")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert page.error_label.isVisible()
    assert page.error_label.text() == "検索条件を2つ以上入力してください"
    assert page.name_edit.text() == "山田"
    assert page.purpose_combo.currentData() == "idou"
    assert page.results_table.rowCount() == 0
    assert page.search_button.isEnabled()


def test_field_error_focuses_the_field(qtbot, window, client):
    log_in(qtbot, window)
    page = window.search_page
    client.search_error = ApiError(422, "purpose_required", detail_ja="利用目的を選択してください", field="purpose")
    page.name_edit.insert("山田")
    page.address_edit.insert("見本市")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert client.calls[-1] == ("search", None, None, {"juminhyo_code": "", "name": "山田", "address": "見本市", "birth_date": ""})
    assert page.error_label.text() == "利用目的を選択してください"
    assert page.purpose_combo.hasFocus()


def test_results_table_shows_masked_my_number_and_support_marker(qtbot, window, client):
    log_in(qtbot, window)
    page = window.search_page
    client.search_result = ResidentSearchResult(
        items=(resident(), resident(id=2, juminhyo_code="98765432109", support_measure=False, status="removed")),
        count=2,
    )
    fill_search(qtbot, page, "certificate", name="山田", birth_date="1980-04-01")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert not page.error_label.isVisible()
    table = page.results_table
    assert table.rowCount() == 2
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[:6] == ["住民票コード", "氏名", "フリガナ", "生年月日", "住所", "個人番号"]
    my_number_col = headers.index("個人番号")
    support_col = headers.index("支援措置")
    assert table.item(0, my_number_col).text() == "************"
    assert table.item(0, 0).text() == "12345678901"
    assert table.item(0, 1).text() == "山田 太郎"
    assert "⚠" in table.item(0, support_col).text()
    assert "⚠" not in table.item(1, support_col).text()
    assert table.item(1, headers.index("状態")).text() == "除票"
    assert "2 件" in page.result_label.text()
    assert client.calls[-1] == (
        "search", "certificate", None,
        {"juminhyo_code": "", "name": "山田", "address": "", "birth_date": "1980-04-01"},
    )


def test_disclosed_my_number_is_shown_as_returned(qtbot, window, client):
    log_in(qtbot, window)
    page = window.search_page
    client.search_result = ResidentSearchResult(
        items=(resident(my_number="123456789018", my_number_disclosed=True),), count=1
    )
    fill_search(qtbot, page, "idou", name="山田", address="見本市")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert page.results_table.item(0, 5).text() == "123456789018"


def test_other_purpose_sends_the_note(qtbot, window, client):
    log_in(qtbot, window)
    page = window.search_page
    fill_search(qtbot, page, "other", purpose_note="弁護士会照会", name="山田", address="見本市")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert client.calls[-1][1:3] == ("other", "弁護士会照会")
    assert page.purpose_combo.currentText() == "その他"


def test_empty_result(qtbot, window, client):
    log_in(qtbot, window)
    page = window.search_page
    client.search_result = ResidentSearchResult(items=(), count=0)
    fill_search(qtbot, page, "idou", name="山田", address="見本市")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert page.results_table.rowCount() == 0
    assert page.result_label.text() == "該当する住民は見つかりませんでした"


def test_logout_returns_to_a_clean_login_page(qtbot, window, client):
    log_in(qtbot, window)
    page = window.search_page
    fill_search(qtbot, page, "idou", name="山田", address="見本市")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.logout_button, Qt.MouseButton.LeftButton)
    assert ("logout",) in client.calls
    assert window.current_page is window.login_page
    assert window.login_page.password_edit.text() == ""
    assert page.name_edit.text() == ""
    assert page.results_table.rowCount() == 0
    assert page.operator_label.text() == ""


def test_status_bar_shows_online_then_offline(qtbot, window, client):
    label = window.connection_label
    assert "オンライン" in label.text()
    assert window.health_state == "online"
    client.health_error = CentralUnreachable()
    with qtbot.waitSignal(window.health_changed, timeout=1000) as blocker:
        window.health_timer.timeout.emit()
    assert blocker.args == ["offline"]
    assert "オフライン" in label.text()
    assert "オンライン" not in label.text()
    client.health_error = None
    window.check_health()
    assert "オンライン" in label.text()


def test_status_bar_for_a_disabled_device(qtbot, window, client):
    client.health_error = DeviceDisabled(403, "device_disabled", detail_ja="この端末は利用停止されています")
    window.check_health()
    assert window.health_state == "disabled"
    assert "利用停止" in window.connection_label.text()


def test_health_timer_runs_periodically(window):
    assert window.health_timer.isActive()
    assert window.health_timer.interval() == 15_000


def test_demo_hint_lists_demo_operators(qtbot, client):
    win = MainWindow(
        client,
        run_synchronously,
        terminal_id="DEMO-0001",
        demo_operators=[{"login_id": "clerk01", "password": "demo-abc123", "role": "clerk"}],
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    hint = win.login_page.demo_hint
    assert hint.isVisible()
    assert "clerk01" in hint.text()
    assert "demo-abc123" in hint.text()


def test_real_background_runner_works_off_the_gui_thread(qtbot, client):
    runner = BackgroundRunner()
    win = MainWindow(client, runner, terminal_id="TERM-BG")
    qtbot.addWidget(win)
    win.show()
    gui_thread = threading.get_ident()

    with qtbot.waitSignal(win.health_changed, timeout=5000) as blocker:
        pass
    assert blocker.args == ["online"]
    assert client.threads["health"] != gui_thread

    log_in(qtbot, win)
    qtbot.waitUntil(lambda: win.current_page is win.search_page, timeout=5000)
    assert client.threads["login"] != gui_thread
    assert "窓口 一郎" in win.search_page.operator_label.text()

    page = win.search_page
    fill_search(qtbot, page, "idou", name="山田", address="見本市")
    with qtbot.waitSignal(page.search_finished, timeout=5000):
        qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert client.threads["search"] != gui_thread
    assert page.results_table.rowCount() == 1
    win.health_timer.stop()
    assert runner.wait(5000)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)


def test_background_runner_delivers_errors_on_the_gui_thread(qtbot):
    runner = BackgroundRunner()
    outcome = {}
    gui_thread = threading.get_ident()

    def boom():
        outcome["worker"] = threading.get_ident()
        raise CentralUnreachable()

    def on_error(exc):
        outcome["error"] = exc
        outcome["delivered_on"] = threading.get_ident()

    runner(boom, lambda result: outcome.setdefault("result", result), on_error)
    qtbot.waitUntil(lambda: "error" in outcome, timeout=5000)
    assert isinstance(outcome["error"], CentralUnreachable)
    assert outcome["worker"] != gui_thread
    assert outcome["delivered_on"] == gui_thread
    assert "result" not in outcome


def test_expired_session_returns_to_login_with_the_reason(qtbot, window, client):
    log_in(qtbot, window)
    page = window.search_page
    client.search_error = ApiError(
        401, "session_invalid", detail_ja="ログインの有効期限が切れました。もう一度ログインしてください"
    )
    fill_search(qtbot, page, "idou", name="山田", address="見本市")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert window.current_page is window.login_page
    assert window.login_page.error_label.text() == "ログインの有効期限が切れました。もう一度ログインしてください"
    assert ("logout",) in client.calls
    assert page.name_edit.text() == ""


def test_issuance_and_review_are_off_while_the_centre_is_unreachable(window, client):
    """Loan-device offline rule (architecture §4): 交付 and 審査 need the server; they say why."""
    client.health_error = CentralUnreachable()
    window.check_health()
    assert window.health_state == "offline"
    for page, button in ((window.issuance_page, window.issuance_page.issue_button),
                         (window.review_page, window.review_page.approve_button)):
        assert not button.isEnabled()
        assert not page.offline_label.isHidden() and "中央サーバー" in page.offline_label.text()
    client.health_error = None
    window.check_health()
    assert window.issuance_page.issue_button.isEnabled()
    assert window.issuance_page.offline_label.isHidden() and window.review_page.offline_label.isHidden()


def test_login_on_a_disabled_terminal_says_so_on_the_login_page(qtbot, window, client):
    """No session for the shell to end yet: the login page itself says why it stopped."""
    client.login_error = DeviceDisabled(403, "device_disabled", detail_ja="この端末は利用停止されています")
    log_in(qtbot, window)
    page = window.login_page
    assert window.current_page is page and window.session is None
    assert page.error_label.text() == "この端末は利用停止されています"
    assert page.login_button.isEnabled() and page.password_edit.text() == ""
    assert window.health_state == "disabled"
