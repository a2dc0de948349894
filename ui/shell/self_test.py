"""``madoguchi --self-test``: does this build (from source or frozen) have everything it needs? (#9)

IT staff run it after installing a terminal; CI runs it on the PyInstaller build. It opens the real
main window on Qt's offscreen platform and checks each native piece the client loads at run time:
Qt platform and image-format plugins, a Japanese font, OpenCV with the face models, pyscard's PC/SC
binding, SQLCipher encryption, the keyring backends and the TLS certificate bundle. No network, no
card, no camera and no personal data are needed; nothing is written outside a temporary folder.

Each check prints one line (``ok`` or ``FAIL`` with the reason); the exit code is 0 only when all
pass. Checks that need the drivers/ room are passed in by the composition root (ui/main.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

Check = tuple[str, Callable[[], str]]


def _qt_app():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "madoguchi"])


def check_qt_plugins() -> str:
    from PySide6.QtGui import QGuiApplication, QImageReader
    from PySide6.QtCore import QLibraryInfo

    _qt_app()
    platform = QGuiApplication.platformName()
    if platform != "offscreen":
        raise RuntimeError(f"platform plugin is {platform!r}, expected 'offscreen'")
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    platforms = sorted(p.name for p in (plugins / "platforms").glob("*qxcb*")) if plugins.is_dir() else []
    if sys.platform.startswith("linux") and not platforms:
        raise RuntimeError(f"no xcb platform plugin under {plugins}")
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"png", "jpg"} - formats
    if missing:
        raise RuntimeError(f"image formats missing: {sorted(missing)}")
    return f"platform={platform}, image formats={len(formats)}, plugins={plugins}"


def check_japanese_font() -> str:
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

    from ui.main import JAPANESE_FONT_FAMILIES

    _qt_app()
    families = set(QFontDatabase.families())
    found = [f for f in JAPANESE_FONT_FAMILIES if f in families]
    if not found:
        raise RuntimeError(f"no Japanese font among {len(families)} families (install fonts-noto-cjk)")
    metrics = QFontMetrics(QFont(found[0]))
    if not all(metrics.inFontUcs4(ord(ch)) for ch in "窓口端末"):
        raise RuntimeError(f"{found[0]} lacks kanji glyphs")
    return found[0]


def check_main_window() -> str:
    """The real main window, built as ui/main.py builds it, shown offscreen and painted."""
    from app.api_client import CentralClient
    from app.device_key import DeviceKey, DeviceSigner
    from app.keystore import MemoryKeyStore
    from app.session import Workspace
    from ui.shell.main_window import MainWindow
    from ui.common.worker import BackgroundRunner

    app = _qt_app()
    with tempfile.TemporaryDirectory(prefix="madoguchi-selftest-") as tmp:
        client = CentralClient("http://127.0.0.1:9", DeviceSigner(DeviceKey.generate("SELFTEST")))
        runner = BackgroundRunner()
        workspace = Workspace(MemoryKeyStore(), Path(tmp) / "cache")
        window = MainWindow(client, runner, terminal_id="SELFTEST", health_interval_ms=3_600_000,
                            workspace=workspace)
        try:
            window.show()
            deadline = time.monotonic() + 10
            while not window.isVisible() and time.monotonic() < deadline:
                app.processEvents()
            image = window.grab().toImage()
            if image.isNull() or image.width() < 200:
                raise RuntimeError("the window did not paint")
            title = window.windowTitle()
        finally:
            window.health_timer.stop()
            window.close()
            runner.wait(15_000)
            app.processEvents()
            client.close()
            window.deleteLater()
            app.processEvents()
    return f"{image.width()}x{image.height()} {title!r}"


def check_opencv() -> str:
    import cv2
    import numpy as np

    frame = np.zeros((240, 320, 3), np.uint8)
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if gray.shape != (240, 320):
        raise RuntimeError("cvtColor gave a wrong shape")
    return f"OpenCV {cv2.__version__}, numpy {np.__version__}"


def check_pyscard() -> str:
    from smartcard.scard import SCARD_S_SUCCESS, SCARD_SCOPE_USER, SCardEstablishContext, SCardReleaseContext

    rc, context = SCardEstablishContext(SCARD_SCOPE_USER)
    if rc == SCARD_S_SUCCESS:
        SCardReleaseContext(context)
        return "PC/SC service reachable"
    # The binding and libpcsclite loaded; no pcscd running is normal on a build machine.
    return f"binding loaded, PC/SC service not running (0x{rc & 0xFFFFFFFF:08X})"


def check_sqlcipher() -> str:
    import sqlcipher3

    with tempfile.TemporaryDirectory(prefix="madoguchi-selftest-") as tmp:
        path = str(Path(tmp) / "probe.db")
        conn = sqlcipher3.connect(path)
        conn.execute("PRAGMA key = \"x'" + "11" * 32 + "'\"")
        conn.execute("CREATE TABLE t (v TEXT)")
        conn.execute("INSERT INTO t VALUES ('probe')")
        conn.commit()
        version = conn.execute("PRAGMA cipher_version").fetchone()[0]
        conn.close()
        if b"probe" in Path(path).read_bytes() or Path(path).read_bytes().startswith(b"SQLite format 3"):
            raise RuntimeError("the database file is not encrypted")
        wrong = sqlcipher3.connect(path)
        wrong.execute("PRAGMA cipher_log_level = NONE")
        wrong.execute("PRAGMA key = \"x'" + "22" * 32 + "'\"")
        try:
            wrong.execute("SELECT count(*) FROM t").fetchone()
        except sqlcipher3.DatabaseError:
            pass
        else:
            raise RuntimeError("a wrong key opened the database")
        finally:
            wrong.close()
    return f"SQLCipher {version}"


def check_keyring() -> str:
    """The OS backend the production key store needs is bundled (whether a keyring daemon runs on
    this machine is the start-up check's business, app.keystore)."""
    import importlib

    import keyring

    wanted = {"linux": ("keyring.backends.SecretService", "secretstorage", "jeepney"),
              "win32": ("keyring.backends.Windows",)}.get(
        "linux" if sys.platform.startswith("linux") else sys.platform, ())
    for module in wanted:
        importlib.import_module(module)
    return f"bundled {', '.join(wanted) or '-'}; active {type(keyring.get_keyring()).__name__}"


def check_tls_bundle() -> str:
    import ssl

    import certifi

    ctx = ssl.create_default_context(cafile=certifi.where())
    return f"{len(ctx.get_ca_certs())} CA certificates"


def check_translations() -> str:
    from ui.common.i18n import translation_file

    qm = translation_file("en")
    if qm is None or not qm.is_file():
        raise RuntimeError("the English translation (madoguchi_en.qm) is missing")
    return str(qm.name)


CORE_CHECKS: list[Check] = [
    ("qt-plugins", check_qt_plugins),
    ("japanese-font", check_japanese_font),
    ("main-window", check_main_window),
    ("opencv", check_opencv),
    ("pyscard", check_pyscard),
    ("sqlcipher", check_sqlcipher),
    ("keyring", check_keyring),
    ("tls-bundle", check_tls_bundle),
    ("translations", check_translations),
]


def run(extra: Sequence[Check] = (), out=None) -> int:  # type: ignore[no-untyped-def]
    """Run every check, print one line each, return the exit code (0 = all passed)."""
    out = out or sys.stdout
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    frozen = getattr(sys, "frozen", False)
    print(f"madoguchi self-test ({'frozen' if frozen else 'source'}, Python {sys.version.split()[0]})",
          file=out)
    failed: list[str] = []
    checks = list(CORE_CHECKS) + list(extra)
    for name, fn in checks:
        started = time.perf_counter()
        try:
            detail = fn()
        except Exception as exc:  # noqa: BLE001 - every failure is reported, none stops the others
            failed.append(name)
            print(f"FAIL {name}: {type(exc).__name__}: {exc}", file=out)
        else:
            print(f"ok   {name}: {detail} ({(time.perf_counter() - started) * 1000:.0f} ms)", file=out)
    if failed:
        print(f"self-test FAILED: {', '.join(failed)} ({len(failed)} of {len(checks)} checks)", file=out)
        return 1
    print(f"self-test OK ({len(checks)} checks)", file=out)
    return 0
