"""Screenshots of what a clerk sees, from the real window against the real demo central API.

    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python scripts/screens.py [--out docs/screens]

Logs in as the demo clerk (My Number masked), searches a 支援措置 target by 氏名+生年月日 and shows a
refused one-key search. The face step: a different face at the virtual camera is refused (with the
tries left), then the operator's face passes; the security admin's enrolment screen. No camera image
is ever shown or saved. A developer tool for issue notes and docs; not part of the product.
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

    import numpy as np

    from drivers.camera import face_set
    from drivers.camera.sources import Frame
    from ui.camera_worker import CameraChoice
    from ui.face_worker import FaceStation, demo_enrolment_features

    class Camera:  # the virtual camera's operator, or somebody else (an LFW face) once
        def __init__(self):
            self.stranger, self.rng = False, np.random.default_rng(1)

        def open(self):
            return True

        def read(self):
            who = 42 if self.stranger else face_set.ASTRONAUT
            return Frame(face_set.frame(who, self.rng), 0.0, 0)

        def close(self):
            pass

    camera = Camera()
    station = FaceStation(CameraChoice("synthetic"), make_source=lambda _c: camera,
                          warmup_frames=0, frames=2)
    central = EmbeddedCentral(args.data_dir, demo_faces=demo_enrolment_features())
    info = central.start()
    try:
        app = QApplication.instance() or QApplication(["madoguchi-screens"])
        use_japanese_font(app)
        client = CentralClient(info.url, DeviceSigner(DeviceKey.load(info.device_key_file,
                                                                     info.device_id)))
        window = MainWindow(client, run_synchronously, terminal_id=info.device_id,
                            demo_operators=info.demo_operators, face=station)
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
        camera.stranger = True
        window.login_page.submit()  # password right; another person's face: refused
        shot("04-face-step-refused.png")
        camera.stranger = False
        window.face_page.verify()  # the operator's own face: in
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
        window.logout()
        admin = next(o for o in info.demo_operators if o["login_id"] == "secadm01")
        window.login_page.login_id_edit.setText(admin["login_id"])
        window.login_page.password_edit.setText(admin["password"])
        window.login_page.submit()
        window.show_enrolment()
        window.enrol_page.login_edit.setText("clerk01")
        window.enrol_page.check_status()
        for _ in range(2):
            window.enrol_page.capture()
        shot("05-face-enrolment.png")
        client.logout()
    finally:
        central.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
