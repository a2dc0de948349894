"""``python -m ui.main --demo`` end to end: child central, ready file, signed calls, screenshot, shutdown.

Runs against the fake central (tests/fakes/fake_central), which verifies the device
signature with its own implementation of the scheme.
"""

import json

from ui_terminal_process import env_without_display, run_terminal, signed_terminal_config

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_demo_mode_starts_central_takes_screenshot_and_stops_it(tmp_path):
    data_dir = tmp_path / "data"
    shot = tmp_path / "shots" / "login.png"
    env = env_without_display(QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(tmp_path / "cache"))
    result = run_terminal(["--demo", "--data-dir", str(data_dir), "--screenshot", str(shot)], env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (data_dir / "fake-central-started").exists()
    assert shot.read_bytes().startswith(PNG_MAGIC)
    # The health check reached the fake central and its device signature verified.
    assert "GET /v1/health" in (data_dir / "requests.log").read_text().splitlines()
    # The central child was terminated when the terminal quit.
    assert (data_dir / "fake-central-stopped").read_text() == "SIGTERM"
    assert "中央サーバーの準備ができました" in result.stderr
    # Passwords of the demo accounts are shown in the window, never printed.
    assert "demo-pass-1" not in result.stderr + result.stdout


def test_demo_mode_reports_a_central_that_dies(tmp_path):
    env = env_without_display(QT_QPA_PLATFORM="offscreen", FAKE_CENTRAL_FAIL="1")
    result = run_terminal(["--demo", "--data-dir", str(tmp_path / "data")], env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "exited with code 3 before it was ready" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_mode_with_an_unusable_data_dir(tmp_path):
    data_dir = tmp_path / "not-a-dir"
    data_dir.write_text("")
    env = env_without_display(QT_QPA_PLATFORM="offscreen")
    result = run_terminal(["--demo", "--data-dir", str(data_dir)], env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "could not start the demo central API" in result.stderr
    assert "Traceback" not in result.stderr


def test_real_mode_needs_a_signed_terminal_configuration(tmp_path):
    env = env_without_display(QT_QPA_PLATFORM="offscreen")
    result = run_terminal(["--central-url", "http://127.0.0.1:9", "--terminal-config", str(tmp_path / "none.json"),
                           "--config-trust-key", str(tmp_path / "none.pub")], env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "自治体の署名検証鍵" in result.stderr and "verification key" in result.stderr
    assert "Traceback" not in result.stderr


def test_real_mode_refuses_a_missing_or_modified_configuration(tmp_path):
    env = env_without_display(QT_QPA_PLATFORM="offscreen")
    args = signed_terminal_config(tmp_path, device_id="T-1", device_key_path=tmp_path / "device.pem")
    config = tmp_path / "terminal.json"
    text = config.read_text()
    config.write_text(text.replace("http://127.0.0.1:9", "http://127.0.0.1:8"))
    result = run_terminal(args, env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "署名が一致しません" in result.stderr and "changed after signing" in result.stderr
    config.unlink()
    result = run_terminal(args, env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "端末設定ファイル" in result.stderr and "production mode needs a signed one" in result.stderr
    config.write_text(text)  # restored: now the signed file takes the client on to the device key
    result = run_terminal([*args, "--device-id", "T-2"], env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1 and "disagrees with the signed terminal configuration" in result.stderr


def test_real_mode_with_an_unreadable_key(tmp_path):
    env = env_without_display(QT_QPA_PLATFORM="offscreen")
    args = [*signed_terminal_config(tmp_path, device_id="T-1"), "--device-key", str(tmp_path / "missing.pem")]
    result = run_terminal(args, env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "cannot load the device key" in result.stderr


def test_a_demo_register_made_by_an_earlier_version_is_brought_up_to_date(tmp_path):
    """An updated demo found a register (and its demo.json) made before the face-template migration
    and stopped with "no such table: biometric_templates". Its schema is now upgraded first."""
    import sqlite3

    from central.cli import _demo_setup
    from central.migrate import upgrade

    data = tmp_path / "demo"
    data.mkdir()
    (data / "demo.json").write_text("{}")  # as an earlier run left it
    (data / "data-key").write_text(__import__("central.crypto", fromlist=["x"]).new_master_key())
    upgrade(f"sqlite:///{data / 'central.db'}", "0004")  # the schema of that earlier version
    state = _demo_setup(data, 10)
    tables = {r[0] for r in sqlite3.connect(data / "central.db").execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"biometric_templates", "support_decisions"} <= tables
    assert [o["login_id"] for o in state["demo_operators"]] == \
        [login for login, _, _ in __import__("central.cli", fromlist=["x"]).DEMO_OPERATORS]


def test_an_updated_demo_adds_the_accounts_made_since_and_keeps_the_old_ones(tmp_path,
                                                                            monkeypatch):
    """A data directory made when the demo had four accounts listed four on the login page after
    an update that brought a fifth (支援措置の所属長, #7): the missing ones are now created on
    start, with their own passwords, and the earlier accounts and passwords stay as they were."""
    import central.cli as cli
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from central.models import Operator, RightGrant
    from central.security import verify_password

    data = tmp_path / "demo"
    data.mkdir()
    monkeypatch.setattr(cli, "DEMO_OPERATORS", cli.DEMO_OPERATORS[:4])  # the earlier version
    before = cli._demo_setup(data, 10)["demo_operators"]
    assert len(before) == 4
    monkeypatch.undo()
    state = cli._demo_setup(data, 10)
    assert state["demo_operators"][:4] == before
    assert [o["login_id"] for o in state["demo_operators"]] == \
        [login for login, _, _ in cli.DEMO_OPERATORS]
    assert json.loads((data / "demo.json").read_text())["demo_operators"] == \
        state["demo_operators"]  # the next start lists them too, without adding them again
    assert cli._demo_setup(data, 10)["demo_operators"] == state["demo_operators"]
    new = state["demo_operators"][4]
    engine = create_engine(f"sqlite:///{data / 'central.db'}")
    try:
        with Session(engine) as db:
            op = db.scalar(select(Operator).where(Operator.login_id == new["login_id"]))
            assert verify_password(op.password_hash, new["password"])
            assert set(db.scalars(select(RightGrant.right)
                                  .where(RightGrant.operator_id == op.id))) == \
                set(cli.DEMO_OPERATORS[4][2])
    finally:
        engine.dispose()
