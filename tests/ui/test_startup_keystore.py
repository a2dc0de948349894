"""Start-up of the real terminal process: the keyring rule (SYNC-4) and crash recovery.

Production refuses an insecure keyring backend with a clear message in Japanese and English; the
demo falls back to an in-memory key store and says so on screen; whatever cache a crash left
behind is shredded before anyone can log in.
"""

from ui_terminal_process import env_without_display, run_terminal, signed_terminal_config

from app.device_key import DeviceKey

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_production_refuses_a_plaintext_or_null_keyring(tmp_path):
    key = DeviceKey.generate("PROD-0001")
    key_file = tmp_path / "device.pem"
    key_file.write_bytes(key.private_pem())
    env = env_without_display(QT_QPA_PLATFORM="offscreen",
                              PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    result = run_terminal([*signed_terminal_config(tmp_path), "--device-id", "PROD-0001",
                           "--device-key", str(key_file), "--cache-dir", str(tmp_path / "cache")],
                          env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert "安全な鍵保管庫" in result.stderr and "No secure OS keyring" in result.stderr
    assert "keyring.backends.null" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "cache").exists()  # refused before anything was written


def test_demo_falls_back_to_memory_keys_and_shreds_a_crashed_cache(tmp_path):
    data_dir = tmp_path / "data"
    cache_dir = data_dir / "session-cache"
    cache_dir.mkdir(parents=True)
    leftover = cache_dir / ("a" * 32 + ".cache")
    leftover.write_bytes(b"SQLite format 3\x00" + bytes(4080))  # what a crash would leave
    (cache_dir / ("a" * 32 + ".cache-wal")).write_bytes(bytes(64))
    shot = tmp_path / "login.png"
    env = env_without_display(QT_QPA_PLATFORM="offscreen",
                              PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    result = run_terminal(["--demo", "--data-dir", str(data_dir), "--screenshot", str(shot),
                           "--camera", "none"], env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert shot.read_bytes().startswith(PNG_MAGIC)
    assert list(cache_dir.iterdir()) == []
    assert "shredded 1 session cache" in result.stderr
