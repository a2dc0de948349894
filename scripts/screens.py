"""Screenshots of what a clerk sees, from the real window against the real demo central API.

    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python scripts/screens.py [--out docs/screens]

Logs in as the demo clerk (My Number masked), searches a 支援措置 target by 氏名+生年月日 and shows a
refused one-key search. A developer tool for issue notes and docs; not part of the product.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", type=Path, default=Path("docs/screens"))
    p.add_argument("--data-dir", type=Path, default=Path(tempfile.mkdtemp(prefix="madoguchi-screens-")))
    args = p.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtWidgets import QApplication

    from app.api_client import CentralClient
    from app.device_key import DeviceKey, DeviceSigner
    from app.embedded_central import EmbeddedCentral
    from ui.main import use_japanese_font
    from ui.main_window import MainWindow
    from ui.worker import run_synchronously

    central = EmbeddedCentral(args.data_dir)
    info = central.start()
    try:
        app = QApplication.instance() or QApplication(["madoguchi-screens"])
        use_japanese_font(app)
        client = CentralClient(info.url, DeviceSigner(DeviceKey.load(info.device_key_file,
                                                                     info.device_id)))
        window = MainWindow(client, run_synchronously, terminal_id=info.device_id,
                            demo_operators=info.demo_operators)
        window.resize(1180, 760)
        window.show()

        def shot(name: str) -> None:
            app.processEvents()
            window.grab().save(str(args.out / name))
            print(args.out / name)

        shot("01-login.png")
        clerk = next(o for o in info.demo_operators if o["login_id"] == "clerk01")
        window.login_page.login_id_edit.setText(clerk["login_id"])
        window.login_page.password_edit.setText(clerk["password"])
        window.login_page.submit()
        with sqlite3.connect(args.data_dir / "central.db") as db:
            name, birth = db.execute(
                "SELECT r.name_kanji, r.birth_date FROM residents r JOIN support_measures s "
                "ON s.target_resident_id = r.id ORDER BY r.id LIMIT 1").fetchone()
        page = window.search_page
        page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("inquiry"))
        page.name_edit.setText(name)
        page.submit()  # only one key: the server refuses (DQ-7) and the form keeps what was typed
        shot("02-search-one-key-refused.png")
        page.birth_date_edit.setText(birth)
        page.submit()
        shot("03-search-result-masked.png")
        client.logout()
    finally:
        central.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
