"""The terminal's session life in a real window (offscreen Qt) against the real central API (SQLite
and PostgreSQL), with the real SQLCipher cache and its key in a real Secret Service
(gnome-keyring on a private D-Bus): every way a session ends crypto-shreds its cache (SYNC-4),
the idle lock keeps what was typed and only the same operator may continue (001 L475, AUTH-7),
loan devices are logged out at the maximum session length (000 L3584), and a remote disable
reaches the clerk (DEV-*)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.api_client import CentralClient
from app.device_key import DeviceKey, DeviceSigner
from app.session import EndReason, Workspace
from central import admin
from central.models import AuditEvent
from tests.central.signing import signed_client
from tests.e2e.windows import type_login
from ui.shell.main_window import MainWindow
from ui.common.worker import run_synchronously

pytestmark = pytest.mark.usefixtures("qapp")


class Clock:
    def __init__(self) -> None:
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def terminal(central, keystore, tmp_path, qtbot):
    made = []

    def make(kind="counter", runner=run_synchronously, workspace_type=Workspace, **kw):
        key = DeviceKey.generate(f"WIN-{len(made):04d}")
        with central.sessions.begin() as db:
            admin.register_device(db, key.device_id, "窓口端末", kind, key.public_key_raw(),
                                  actor="test", **kw)
        transport = signed_client(central.app, None)._transport  # in-process ASGI
        client = CentralClient("http://central.test", DeviceSigner(key), transport=transport)
        clock = Clock()
        workspace = workspace_type(keystore, tmp_path / f"cache-{len(made)}")
        workspace.recover()
        win = MainWindow(client, runner, terminal_id=key.device_id,
                         workspace=workspace, clock=clock, guard_tick_ms=3_600_000,
                         health_interval_ms=3_600_000)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        made.append(win)
        return win, client, clock, key

    yield make
    for win in made:
        win.health_timer.stop()


def cache_files(win):
    return sorted(p.name for p in win.workspace.directory.iterdir())


def assert_shredded(win, keystore, session_id):
    assert win.workspace.cache is None
    assert keystore.get(session_id) is None
    assert session_id not in keystore.session_ids()
    assert cache_files(win) == []


def audit_actions(central, action):
    with central.sessions.begin() as db:
        return [(e.operator_login, e.outcome, e.detail) for e in db.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def logged_in(qtbot, central, win, login_id="clerk1"):
    if login_id not in central.passwords:
        central.operator(login_id, ["clerk"])
    type_login(qtbot, win, login_id, central.passwords[login_id])
    assert win.current_page is win.search_page, win.login_page.error_label.text()
    cache = win.workspace.cache
    assert cache is not None and cache.path.exists()
    return cache.session_id


def test_login_opens_an_encrypted_cache_and_logout_shreds_it(central, keystore, terminal, qtbot):
    win, client, _, _ = terminal()
    sid = logged_in(qtbot, central, win)
    assert keystore.get(sid) is not None and len(keystore.get(sid)) == 32
    assert win.session_label.text().startswith("残り時間")
    qtbot.mouseClick(win.search_page.logout_button, Qt.MouseButton.LeftButton)
    assert win.current_page is win.login_page
    assert_shredded(win, keystore, sid)
    assert client.session is None
    assert [a[:2] for a in audit_actions(central, "session.logout")] == [("clerk1", "ok")]


def test_idle_lock_keeps_typed_fields_and_only_the_same_operator_unlocks(central, keystore,
                                                                         terminal, qtbot):
    central.operator("clerk2", ["clerk"])
    win, client, clock, _ = terminal()
    sid = logged_in(qtbot, central, win)
    win.search_page.name_edit.insert("見本　花子")  # QTest types ASCII only; IME input lands like this
    clock.advance(4 * 60 + 59)
    win.guard.check()
    assert win.current_page is win.search_page  # not yet
    clock.advance(1)
    win.guard.check()
    assert win.locked and win.current_page is win.lock_page
    assert not win.search_page.isVisible()  # no personal data on screen while locked
    assert "clerk1" in win.lock_page.operator_label.text()

    # another clerk's password does not unlock (AUTH-7), and says so
    qtbot.keyClicks(win.lock_page.password_edit, central.passwords["clerk2"])
    qtbot.mouseClick(win.lock_page.unlock_button, Qt.MouseButton.LeftButton)
    assert win.locked and win.lock_page.error_label.isVisible()
    assert "パスワード" in win.lock_page.error_label.text()
    assert win.lock_page.password_edit.text() == ""

    qtbot.keyClicks(win.lock_page.password_edit, central.passwords["clerk1"])
    qtbot.keyClick(win.lock_page.password_edit, Qt.Key.Key_Return)
    assert not win.locked and win.current_page is win.search_page
    assert win.search_page.name_edit.text() == "見本　花子"  # nothing typed was lost
    assert win.workspace.cache is not None and win.workspace.cache.session_id == sid
    assert [a[1] for a in audit_actions(central, "session.unlock")] == ["denied", "ok"]


def test_a_lock_left_too_long_ends_the_session_and_shreds(central, keystore, terminal, qtbot):
    win, client, clock, _ = terminal()
    sid = logged_in(qtbot, central, win)
    ended = []
    win.session_ended.connect(ended.append)
    clock.advance(5 * 60)
    win.guard.check()
    assert win.locked
    clock.advance(10 * 60)
    win.guard.check()
    assert ended == [EndReason.IDLE_TIMEOUT]
    assert win.current_page is win.login_page and win.login_page.error_label.isVisible()
    assert "ログアウト" in win.login_page.error_label.text()
    assert_shredded(win, keystore, sid)
    assert client.session is None


def test_loan_device_session_out_at_eight_hours_despite_activity(central, keystore, terminal,
                                                                  qtbot):
    win, client, clock, _ = terminal(kind="loan", loan_approved_by="kacho1")
    sid = logged_in(qtbot, central, win)
    assert win.session.policy.max_session_minutes == 480
    assert win.session.policy.roaming_allowed is True
    ended = []
    win.session_ended.connect(ended.append)
    for _ in range(8 * 60 // 4 - 1):  # a key press every 4 minutes: never idle
        clock.advance(4 * 60)
        qtbot.keyClick(win.search_page.name_edit, Qt.Key.Key_A)
        win.guard.check()
        assert not win.locked
    clock.advance(4 * 60)
    win.guard.check()
    assert ended == [EndReason.SESSION_OUT]
    assert "最大利用時間" in win.login_page.error_label.text()
    assert_shredded(win, keystore, sid)


def test_remote_disable_shreds_logs_out_and_says_why(central, keystore, terminal, qtbot):
    central.operator("it1", ["it_admin"])
    win, client, clock, key = terminal(kind="loan", loan_approved_by="kacho1")
    sid = logged_in(qtbot, central, win)
    it = central.client(login_id="it1")
    assert it.post(f"/v1/admin/devices/{key.device_id}/disable",
                   json={"reason": "紛失届"}).status_code == 200
    ended = []
    win.session_ended.connect(ended.append)
    win.check_health()  # the next contact with the centre
    assert ended == [EndReason.REMOTE_DISABLE]
    assert win.health_state == "disabled"
    assert "利用停止" in win.login_page.error_label.text()
    assert_shredded(win, keystore, sid)


def test_remote_disable_noticed_by_a_search_too(central, keystore, terminal, qtbot):
    central.operator("it1", ["it_admin"])
    win, client, clock, key = terminal()
    sid = logged_in(qtbot, central, win)
    central.client(login_id="it1").post(f"/v1/admin/devices/{key.device_id}/disable",
                                        json={"reason": "盗難"})
    page = win.search_page
    page.purpose_combo.setCurrentIndex(1)
    qtbot.keyClicks(page.juminhyo_code_edit, "12345678901")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    assert win.current_page is win.login_page
    assert_shredded(win, keystore, sid)


def test_repeated_wrong_passwords_at_the_lock_end_the_session(central, keystore, terminal, qtbot):
    win, client, clock, _ = terminal()
    sid = logged_in(qtbot, central, win)
    win.lock_session("test")
    ended = []
    win.session_ended.connect(ended.append)
    for i in range(central.settings.max_failed_logins):
        qtbot.keyClicks(win.lock_page.password_edit, f"wrong-{i}")
        qtbot.mouseClick(win.lock_page.unlock_button, Qt.MouseButton.LeftButton)
    assert ended == [EndReason.ACCOUNT_LOCKED]
    assert win.current_page is win.login_page
    assert_shredded(win, keystore, sid)


def test_a_crash_leaves_nothing_the_next_start_does_not_shred(central, keystore, terminal, qtbot):
    win, client, clock, _ = terminal()
    sid = logged_in(qtbot, central, win)
    win.workspace.cache.put_draft("d1", "idou", {"name": "見本　花子"})
    win.workspace.cache.close()  # the process dies: no logout, no shred
    win.workspace.cache = None
    assert keystore.get(sid) is not None and cache_files(win)
    again = Workspace(keystore, win.workspace.directory)
    assert again.recover() == [sid]
    assert keystore.get(sid) is None and cache_files(win) == []


def test_background_sync_applies_in_order_and_lists_rejections_with_the_reason(central, keystore,
                                                                               terminal, qtbot):
    from app.outbox import CommandState
    from tests.central.factories import my_number, tennyu, wrong_check_digit

    win, client, clock, key = terminal()
    logged_in(qtbot, central, win)
    box = win.sync.outbox
    first = box.enqueue("tennyu", tennyu())
    bad = box.enqueue("tennyu", tennyu(my_number=wrong_check_digit(my_number())))
    last = box.enqueue("tennyu", tennyu())
    win.sync_now()  # the synchronous runner stands in for the background job
    assert box.get(first.command_id).state is CommandState.APPLIED
    assert box.get(last.command_id).state is CommandState.APPLIED  # the rejection did not block
    assert box.get(bad.command_id).state is CommandState.REJECTED
    assert win.outbox_label.text() == ""
    assert win.review_button.isVisible() and "1" in win.review_button.text()
    win.show_review_list()
    table = win.review_dialog.table
    assert table.rowCount() == 1
    assert "個人番号" in table.item(0, 2).text()  # the centre's own reason, in Japanese
    win.review_dialog.close()
    assert win.sync_status.cursor >= 2 and win.health_state == "online"
    assert win.sync.puller.versions()  # the change feed reached the cache


def test_background_sync_notices_a_remote_disable(central, keystore, terminal, qtbot):
    from tests.central.factories import tennyu

    central.operator("it1", ["it_admin"])
    win, client, clock, key = terminal()
    sid = logged_in(qtbot, central, win)
    win.sync.outbox.enqueue("tennyu", tennyu())
    central.client(login_id="it1").post(f"/v1/admin/devices/{key.device_id}/disable",
                                        json={"reason": "紛失届"})
    ended = []
    win.session_ended.connect(ended.append)
    win.sync_now()
    assert ended == [EndReason.REMOTE_DISABLE]
    assert_shredded(win, keystore, sid)


class HeldRunner:
    """Runs background jobs synchronously, except the ones the test holds to run later."""

    def __init__(self) -> None:
        self.hold = False
        self.held: list = []

    def __call__(self, fn, on_success, on_error) -> None:
        if self.hold:
            self.held.append((fn, on_success, on_error))
        else:
            run_synchronously(fn, on_success, on_error)

    def release(self) -> None:
        jobs, self.held = self.held, []
        for job in jobs:
            run_synchronously(*job)


def test_the_cache_is_made_off_the_gui_thread_and_the_session_opens_after_it(
        central, keystore, terminal, qtbot):
    """SYNC-4 + no GUI stall (#7): the SQLCipher file and its key are made by a background job;
    until it is done the login page stays busy and no page with resident data opens."""
    import threading

    threads = []

    class Recording(Workspace):
        def open(self, session):
            threads.append(threading.current_thread())
            return super().open(session)

    from ui.common.worker import BackgroundRunner
    runner = BackgroundRunner()
    win, _, _, _ = terminal(runner=runner, workspace_type=Recording)
    central.operator("clerk1", ["clerk"])
    type_login(qtbot, win, "clerk1", central.passwords["clerk1"])
    qtbot.waitUntil(lambda: win.session is not None, timeout=20_000)
    assert threads and threads[0] is not threading.main_thread()
    assert win.current_page is win.search_page
    assert win.workspace.cache is not None and win.workspace.cache.path.exists()
    win.logout()
    runner.wait()


def test_a_session_ended_while_its_cache_is_made_leaves_no_cache(central, keystore, terminal,
                                                                  qtbot):
    held = HeldRunner()
    win, _, _, _ = terminal(runner=held)
    central.operator("clerk1", ["clerk"])
    held.hold = True
    type_login(qtbot, win, "clerk1", central.passwords["clerk1"])
    held.release()  # the login itself
    assert len(held.held) == 1  # the cache job waits
    assert win.session is None and win.current_page is win.login_page
    assert not win.login_page.login_button.isEnabled()  # ログイン中…
    win.logout()  # e.g. the window is closed meanwhile
    held.hold = False
    held.release()  # the cache is made now, and shredded at once
    assert win.session is None and win.current_page is win.login_page
    assert win.workspace.cache is None and keystore.session_ids() == []
    assert cache_files(win) == []
