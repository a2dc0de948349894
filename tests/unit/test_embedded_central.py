import io
import sys
import textwrap

import pytest

from app.embedded_central import EmbeddedCentral, EmbeddedCentralError, default_command, has_display

READY = {
    "url": "http://127.0.0.1:1234",
    "device_id": "DEMO-0001",
    "device_key_file": "/tmp/key.pem",
    "demo_operators": [{"login_id": "clerk01", "password": "demo-x", "role": "clerk"}],
}


def python_command(code: str):
    def command(data_dir, ready_file):
        return [sys.executable, "-c", textwrap.dedent(code), str(data_dir), str(ready_file)]

    return command


def test_default_command_is_the_central_cli(tmp_path):
    argv = default_command(tmp_path / "d", tmp_path / "r.json")
    assert argv == [sys.executable, "-m", "central.cli", "demo", "--data-dir", str(tmp_path / "d"), "--ready-file", str(tmp_path / "r.json")]


def test_waits_for_the_ready_file_even_if_written_in_two_steps(tmp_path):
    code = f"""
        import sys, time, json
        ready = sys.argv[2]
        with open(ready, "w") as fh:
            fh.write('{{"url": ')          # a half-written file must not be taken
        time.sleep(0.3)
        with open(ready, "w") as fh:
            fh.write(json.dumps({READY!r}))
        time.sleep(60)
    """
    progress = io.StringIO()
    central = EmbeddedCentral(tmp_path / "data", command=python_command(code))
    try:
        info = central.start(timeout=20, progress=progress, progress_interval=0.1)
        assert info.url == "http://127.0.0.1:1234"
        assert info.device_id == "DEMO-0001"
        assert info.demo_operators[0]["login_id"] == "clerk01"
        assert "demo-x" not in repr(info)
        process = central.process
        assert process.poll() is None
    finally:
        central.stop()
    assert process.poll() is not None
    assert "central API ready" in progress.getvalue()


def test_times_out_and_kills_the_child(tmp_path):
    central = EmbeddedCentral(tmp_path / "data", command=python_command("import time; time.sleep(60)"))
    progress = io.StringIO()
    with pytest.raises(EmbeddedCentralError, match="not ready after"):
        central.start(timeout=0.5, progress=progress, progress_interval=0.1)
    assert central.process is None
    assert "still waiting" in progress.getvalue()


def test_child_exit_is_reported(tmp_path):
    central = EmbeddedCentral(tmp_path / "data", command=python_command("raise SystemExit(4)"))
    with pytest.raises(EmbeddedCentralError, match="code 4"):
        central.start(timeout=20, progress=io.StringIO())
    central.stop()


def test_incomplete_ready_file_is_an_error(tmp_path):
    code = """
        import sys, json, time
        open(sys.argv[2], "w").write(json.dumps({"url": "http://x"}))
        time.sleep(60)
    """
    with EmbeddedCentral(tmp_path / "data", command=python_command(code)) as central:
        with pytest.raises(EmbeddedCentralError, match="incomplete"):
            central.start(timeout=20, progress=io.StringIO())


@pytest.mark.parametrize(
    "env, platform, expected",
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({"DISPLAY": ""}, "linux", False),
        ({}, "win32", True),
        ({}, "darwin", True),
    ],
)
def test_has_display(env, platform, expected):
    assert has_display(env, platform) is expected
