"""Composition root of the counter terminal (窓口端末の起動).

    python -m ui.main [--terminal-config FILE --config-trust-key PEM] [--device-key PEM_PATH]
    python -m ui.main --demo [--data-dir DIR]
    python -m ui.main --self-test

``--self-test`` checks that this build can run (window offscreen, Qt plugins, fonts, OpenCV and the
face models, pyscard, SQLCipher, keyring) and exits 0 or 1; IT staff and CI run it on installed and
frozen builds (#9).

``--screenshot PATH`` grabs the window to a PNG once it is shown and the first
connectivity check has answered, then quits (for screenshots under Xvfb).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from ui.options import build_parser, parse_args  # noqa: F401 - the command line, re-exported

NO_DISPLAY_MESSAGE = """\
画面（ディスプレイ）が見つかりません。DISPLAY も WAYLAND_DISPLAY も設定されていません。
仮想画面 Xvfb の上で起動してください:
    xvfb-run -a bash scripts/demo.sh

No display found: neither DISPLAY nor WAYLAND_DISPLAY is set.
Run Madoguchi on a virtual X server (Xvfb):
    xvfb-run -a bash scripts/demo.sh
(For a check without any screen at all, set QT_QPA_PLATFORM=offscreen.)"""

JAPANESE_FONT_FAMILIES = (
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "IPAexGothic",
    "IPAGothic",
    "Yu Gothic UI",
    "Meiryo UI",
    "Hiragino Sans",
)

log = logging.getLogger("madoguchi")


DEV_KEYSTORE_NOTICE = "開発用鍵ストア（メモリ内）"


def select_keystore(demo: bool):  # type: ignore[no-untyped-def]
    """The session-key store and a status-bar notice (or None).

    Production: the OS keyring, and only a secure backend (``InsecureKeyringError`` otherwise:
    the client must not start). Demo: the OS keyring if it is secure, else keys in this
    process's memory, with a visible notice (a crash loses the key, so the cache left behind is
    noise that the next start deletes).
    """
    from app.keystore import InsecureKeyringError, MemoryKeyStore, open_keystore

    try:
        return open_keystore(production=True), None
    except InsecureKeyringError:
        if not demo:
            raise
        return MemoryKeyStore(), DEV_KEYSTORE_NOTICE


def main(argv: Sequence[str] | None = None) -> int:
    """Start the terminal; returns the process exit code."""
    from app.embedded_central import DEFAULT_DATA_DIR, EmbeddedCentral, EmbeddedCentralError, has_display
    from app.provisioning import ConfigError

    args = parse_args(argv)
    if args.self_test:
        return self_test()
    if not has_display(os.environ):
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every URL at INFO, query strings (names, birth dates) included.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    central: EmbeddedCentral | None = None
    try:
        if args.demo:
            central = EmbeddedCentral(args.data_dir or DEFAULT_DATA_DIR,
                                      demo_faces=_demo_faces())
            try:
                info = central.start()
            except EmbeddedCentralError as exc:
                print(f"デモ用の中央サーバーを起動できませんでした / could not start the demo central API: {exc}", file=sys.stderr)
                return 1
            url, device_id, key_file = info.url, info.device_id, info.device_key_file
            demo_operators = list(info.demo_operators)
            cache_dir = args.cache_dir or (args.data_dir or DEFAULT_DATA_DIR) / "session-cache"
        else:
            try:
                url, device_id, key_file = production_settings(args)
            except ConfigError as exc:
                print(f"{exc.message_ja}\n{exc.message_en}", file=sys.stderr)
                _show_fatal_standalone(exc.message_ja, exc.message_en)
                return 1
            demo_operators = []
            cache_dir = args.cache_dir or Path.home() / ".cache" / "madoguchi" / "session"
        return _run_gui(args, url, device_id, key_file, demo_operators, cache_dir)
    except KeyboardInterrupt:
        return 130
    finally:
        if central is not None:
            central.stop()


def production_settings(args: argparse.Namespace) -> tuple[str, str, Path]:
    """(central URL, device id, device key file) from the verified terminal configuration.

    Raises ``app.provisioning.ConfigError`` (Japanese + English) for a missing, unsigned, modified
    or expired configuration, a disagreeing command line, or a pinned file that changed.
    """
    from app.provisioning import (ConfigError, default_config_path, default_trust_key_path,
                                  load_config)

    cfg = load_config(args.terminal_config or default_config_path(),
                      args.config_trust_key or default_trust_key_path())
    for flag, given, configured in (("--central-url", args.central_url, cfg.central_url),
                                    ("--device-id", args.device_id, cfg.device_id)):
        if given and given != configured:
            raise ConfigError("argument_mismatch",
                              f"{flag} の値が署名済み端末設定（{configured}）と異なります。",
                              f"{flag} {given} disagrees with the signed terminal configuration ({configured}).")
    key_file = args.device_key or cfg.device_key_path
    if key_file is None:
        raise ConfigError("no_device_key", "端末鍵の場所が指定されていません（--device-key）。",
                          "No device key: give --device-key or device_key_path in the configuration.")
    if cfg.pins.get("card_issuer_keys_sha256"):
        if args.card_keys is None:
            raise ConfigError("pin_missing_file",
                              "端末設定はカード発行者鍵の一覧を固定していますが、--card-keys が指定されていません。",
                              "The configuration pins the card-issuer key list but --card-keys is not given.")
        cfg.check_pinned_file("card_issuer_keys_sha256", args.card_keys)
    return cfg.central_url, cfg.device_id, Path(key_file)


def _show_fatal_standalone(message_ja: str, message_en: str) -> None:
    """``_show_fatal`` before the window exists (creates the QApplication it needs)."""
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "madoguchi"])
    _show_fatal(message_ja, message_en)


def self_test() -> int:
    """``--self-test``: the core checks of ui.shell.self_test plus the drivers' (composition root only)."""
    from ui.shell import self_test as st

    def face_models() -> str:
        import numpy as np

        from drivers.camera.detectors import HaarFaceDetector, SsdFaceDetector
        from drivers.camera.recognition import FaceEncoder

        frame = np.zeros((240, 320, 3), np.uint8)
        found = SsdFaceDetector().detect(frame) + HaarFaceDetector().detect(frame)
        if found:
            raise RuntimeError("faces found in a black frame")
        FaceEncoder()  # loads dlib's 5-point and ResNet models
        return "Haar cascade, res10 SSD, dlib 5-point + ResNet loaded"

    def card_driver() -> str:
        from drivers.card import pcsc

        try:
            return f"{len(pcsc.list_readers())} reader(s)"
        except Exception as exc:  # noqa: BLE001 - no pcscd / no reader on a build machine
            return f"driver loaded ({type(exc).__name__})"

    return st.run([("face-models", face_models), ("card-driver", card_driver)])


def _demo_faces() -> list[str]:
    """Face features of the virtual camera's operator, to enrol the demo accounts (AUTH-1)."""
    try:
        from ui.devices.face import demo_enrolment_features

        return demo_enrolment_features()
    except Exception as exc:  # noqa: BLE001 - no face models: the demo runs password-only
        log.warning("demo face enrolment unavailable: %s", exc)
        return []


def _run_gui(
    args: argparse.Namespace,
    url: str,
    device_id: str,
    key_file: Path,
    demo_operators: list[dict[str, str]],
    cache_dir: Path,
) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.api_client import CentralClient
    from app.device_key import DeviceKey, DeviceSigner
    from app.keystore import InsecureKeyringError
    from app.session import EndReason, Workspace
    from ui.devices.camera import CameraChoice, OnlookerGuard
    from ui.devices.face import FaceStation
    from ui.common.i18n import install_translator
    from ui.shell.main_window import MainWindow
    from ui.shell.privacy_shield import PrivacyShield
    from ui.common.worker import BackgroundRunner

    try:
        key = DeviceKey.load(key_file, device_id)
    except (OSError, ValueError) as exc:
        print(f"端末鍵を読み込めません / cannot load the device key {key_file}: {exc}", file=sys.stderr)
        return 1
    client = CentralClient(url, DeviceSigner(key))

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "madoguchi"])
    app.setApplicationName("Madoguchi")
    app.setOrganizationName("Madoguchi")
    from ui.shell.gc_main_thread import MainThreadGarbageCollector

    collector = MainThreadGarbageCollector(app)  # Qt objects die on the GUI thread only
    collector.start()
    use_japanese_font(app)
    translator = install_translator(app, args.lang)  # noqa: F841 - kept alive for the run

    try:
        keystore, keystore_notice = select_keystore(args.demo)
    except InsecureKeyringError as exc:
        print(f"{exc.message_ja}\n{exc.message_en}", file=sys.stderr)
        _show_fatal(exc.message_ja, exc.message_en)
        return 1
    workspace = Workspace(keystore, cache_dir)
    try:
        left = workspace.recover()
    except Exception as exc:  # noqa: BLE001 - a cache that cannot be shredded: do not start
        message_ja = "前回の作業データ（暗号化キャッシュ）を消去できないため、起動できません。情報主管課に連絡してください。"
        message_en = f"The session cache left by an earlier run cannot be shredded ({type(exc).__name__}); not starting."
        print(f"{message_ja}\n{message_en}", file=sys.stderr)
        _show_fatal(message_ja, message_en)
        return 1
    if left:
        log.warning("shredded %d session cache(s) left by an earlier run", len(left))

    runner = BackgroundRunner()
    shield = PrivacyShield(app)
    camera = CameraChoice.parse(args.camera, demo=args.demo)
    face = FaceStation(camera)  # the login's face step and the admin's enrolment (AUTH-1/5)

    def presence_matcher(features: str):
        """在席確認 on a real camera: faces compared with the capture accepted at login."""
        from drivers.camera.recognition import PresenceMatcher

        return PresenceMatcher.from_features(face.provider.encoder, [features])

    onlooker = OnlookerGuard(shield, camera, parent=app,
                             make_identify=presence_matcher if camera.kind == "device" else None)
    notices = [app.translate("MainWindow", "開発用鍵ストア（メモリ内）")] if keystore_notice else []
    if camera.kind == "synthetic":
        notices.append(app.translate("MainWindow", "仮想カメラ"))
    elif camera.kind == "none":
        notices.append(app.translate("MainWindow", "カメラなし"))
    card_access = choose_card_access(args.card, demo=args.demo, keys_file=args.card_keys,
                                     preferred=args.card_reader)
    if card_access is not None and getattr(card_access, "__name__", "") == "virtual_card_access":
        notices.append(app.translate("MainWindow", "仮想カード"))
    window = MainWindow(
        client,
        runner,
        terminal_id=device_id,
        demo_operators=demo_operators,
        health_interval_ms=max(1000, int(args.health_interval * 1000)),
        workspace=workspace,
        onlooker=onlooker,
        notices=notices,
        card_access=card_access,
        face=face,
    )
    app.aboutToQuit.connect(onlooker.stop)

    # Let Python see SIGINT/SIGTERM while Qt's event loop runs.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: app.quit())
    wakeup = QTimer()
    wakeup.start(250)
    wakeup.timeout.connect(lambda: None)

    if args.screenshot is not None:
        _arrange_screenshot(app, window, args.screenshot)

    window.show()
    window.resident_screen.place(app)  # お客様用画面: the second display, or a window of its own
    # The first shield of the process must not pay Qt's one-time costs (login's fail-closed shield).
    QTimer.singleShot(0, lambda: shield.rehearse(window.size()))
    code = app.exec()

    wakeup.stop()
    window.health_timer.stop()
    if window.session is not None:
        window.end_session(EndReason.LOGOUT)
    onlooker.stop()
    workspace.end(EndReason.LOGOUT)
    if client.session is not None:
        try:
            client.logout()
        except Exception as exc:  # noqa: BLE001 - best effort on the way out
            log.info("logout on exit failed: %s", type(exc).__name__)
    runner.wait(15_000)
    client.close()
    window.deleteLater()
    return code


def choose_card_access(choice: str, *, demo: bool, keys_file: Path | None = None,  # type: ignore[no-untyped-def]
                       preferred: str | None = None):
    """The card reader factory for the 本人確認 page (``--card``), or None for documents only."""
    from ui.devices.card import pcsc_card_access, readers_present, virtual_card_access

    if choice == "none":
        return None
    if choice == "virtual" or (choice == "auto" and demo and not readers_present()):
        return virtual_card_access
    if choice == "pcsc" or readers_present():
        return lambda _record: pcsc_card_access(preferred, keys_file=str(keys_file) if keys_file else None)
    return None


def _show_fatal(message_ja: str, message_en: str) -> None:
    """A blocking error dialog (not on the offscreen platform, where nobody could close it)."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return
    QMessageBox.critical(None, "Madoguchi", f"{message_ja}\n\n{message_en}")


def use_japanese_font(app) -> None:  # type: ignore[no-untyped-def]
    """Prefer a Japanese CJK font so that kanji get Japanese glyph shapes."""
    from PySide6.QtGui import QFontDatabase

    families = set(QFontDatabase.families())
    for family in JAPANESE_FONT_FAMILIES:
        if family in families:
            font = app.font()
            font.setFamily(family)
            app.setFont(font)
            return


def _arrange_screenshot(app, window, path: Path, safety_ms: int = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Save the window to ``path`` after the first health answer, then quit."""
    from PySide6.QtCore import QTimer

    taken = False

    def shoot() -> None:
        nonlocal taken
        if taken:
            return
        taken = True
        path.parent.mkdir(parents=True, exist_ok=True)
        ok = window.grab().save(str(path), "PNG")
        print(f"screenshot {'saved to' if ok else 'FAILED for'} {path}", file=sys.stderr)
        app.exit(0 if ok else 1)

    def on_health(_state: str) -> None:
        QTimer.singleShot(300, shoot)

    if window.health_state is not None:
        on_health(window.health_state)
    else:
        window.health_changed.connect(on_health)
    QTimer.singleShot(safety_ms, shoot)


if __name__ == "__main__":
    sys.exit(main())
