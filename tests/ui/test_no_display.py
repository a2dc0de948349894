"""Without any display, ``python -m ui.main --demo`` explains itself and starts nothing."""

from ui_terminal_process import env_without_display, run_terminal


def test_no_display_exits_2_with_xvfb_hint_and_starts_no_central(tmp_path):
    data_dir = tmp_path / "data"
    result = run_terminal(["--demo", "--data-dir", str(data_dir)], env_without_display(), cwd=tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr
    message = result.stderr + result.stdout
    assert "Xvfb" in message
    assert "xvfb-run -a bash scripts/demo.sh" in message
    assert "画面" in message
    assert "Traceback" not in message
    # The (fake) central was never started: it would have created the data dir and a marker.
    assert not data_dir.exists()
    assert not (data_dir / "fake-central-started").exists()
