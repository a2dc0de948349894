"""Screenshots of what a clerk sees, from the real window against the real demo central API.

    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python scripts/screens.py [--out docs/screens]

High-DPI (docs/screens/hidpi holds three of them):

    QT_SCALE_FACTOR=2 xvfb-run -a -s "-screen 0 2600x1900x24" .venv/bin/python scripts/screens.py --out /tmp/hidpi

Logs in as the demo clerk (My Number masked), searches a 支援措置 target by 氏名+生年月日 and shows a
refused one-key search; the face step (a different face at the virtual camera refused with
the tries left, then the operator's face passes); 本人確認 with the virtual card, 交付 of a
住民票の写し (and the PDF page rendered by pdftoppm), the lock screen, 審査 as the demo reviewer
and the security admin's screens, including face enrolment. No camera image is ever shown or
saved. The tax counter (#8): 申告受付 with its 本人確認 and field checks, the 二重チェック, a
課税証明書 (refused to a proxy without a 委任状, then issued, and its PDF) and the inquiry; a 職権消除
entered, refused beside a field, sent and decided, and the 異動リスト ticked, with its PDF. A
developer tool for issue notes and docs; not part of the product.
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
    from ui.shell.main_window import MainWindow
    from ui.common.worker import run_synchronously

    import numpy as np

    from drivers.camera.sources import Frame
    from testbed.camera import face_set
    from ui.devices.camera import CameraChoice
    from ui.devices.face import FaceStation, demo_enrolment_features

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
        from app.keystore import MemoryKeyStore
        from app.session import Workspace
        from ui.devices.card import virtual_card_access

        window = MainWindow(client, run_synchronously, terminal_id=info.device_id,
                            demo_operators=info.demo_operators, card_access=virtual_card_access,
                            workspace=Workspace(MemoryKeyStore(), args.data_dir / "session-cache"),
                            notices=["開発用鍵ストア（メモリ内）", "仮想カード"],
                            face=station)
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
        shot("12-face-step-refused.png")
        camera.stranger = False
        window.face_page.verify()  # the operator's own face: in
        with sqlite3.connect(args.data_dir / "central.db") as db:
            name, birth = db.execute(
                "SELECT r.name_kanji, r.birth_date FROM residents r JOIN support_measures s "
                "ON s.target_resident_id = r.id ORDER BY r.id LIMIT 1").fetchone()
        protected_name, protected_birth = name, birth  # a 支援措置 target, again at 27–28
        page = window.search_page
        page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("inquiry"))
        page.name_edit.setText(name)
        page.submit()  # only one key: the server refuses (DQ-7) and the form keeps what was typed
        shot("02-search-one-key-refused.png")
        page.birth_date_edit.setText(birth)
        page.submit()
        shot("03-search-result-masked.png")

        # 本人確認 with the built-in virtual card of an ordinary resident
        with sqlite3.connect(args.data_dir / "central.db") as db:
            code, = db.execute(
                "SELECT juminhyo_code FROM residents WHERE status='current' AND id NOT IN "
                "(SELECT target_resident_id FROM support_measures) ORDER BY id LIMIT 1 OFFSET 3").fetchone()
        page.clear_form()
        page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("identity"))
        page.juminhyo_code_edit.setText(code)
        page.submit()
        page.results_table.selectRow(0)
        page.identity_button.click()
        ident = window.identity_page
        ident.read_button.click()
        ident.pin_pad.edit.setText("1234")
        ident.submit_pin()
        shot("04-identity-card-beside-register.png")
        ident.tabs.setCurrentWidget(ident.docs_tab)
        ident.doc_checks["health_insurance"].setChecked(True)
        shot("05-identity-documents-one-missing.png")

        # 交付: a 住民票の写し, and its PDF page
        window.open_issuance(page.selected_resident())
        iss = window.issuance_page
        iss.purpose_combo.setCurrentIndex(iss.purpose_combo.findData("certificate"))
        iss.household_radio.setChecked(True)
        iss.submit()
        shot("06-issuance-done.png")
        import subprocess
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", str(iss.last_pdf),
                        str(args.out / "07-certificate-pdf")], check=True)
        print(args.out / "07-certificate-pdf.png")
        record = client.read_resident(page.selected_resident().id, "idou")

        # 税務窓口 (#8): 申告受付 after 本人確認 by documents, a wrong check digit beside its field,
        # the entry sent for 二重チェック; a 課税証明書 refused to a proxy without a 委任状, then
        # issued with the fee, and its PDF page; an inquiry refused, then answered.
        import datetime as dt

        from central.crypto import MyNumberCipher, parse_master_key
        from central.synth import generate
        # two valid 個人番号 of nobody in the demo register (generated from another seed than its own)
        good, someone_else = [p.my_number for h in generate(2, 10, today=dt.date(2026, 11, 22))
                              for p in h.members if p.my_number][:2]
        cipher = MyNumberCipher.from_master(parse_master_key((args.data_dir / "data-key").read_text().strip()))
        with sqlite3.connect(args.data_dir / "central.db") as db:  # a taxpayer with dependents
            tname, tbirth, tenc, tcode = db.execute(
                "SELECT r.name_kanji, r.birth_date, r.my_number_enc, r.juminhyo_code FROM residents r "
                "JOIN tax_records t ON t.resident_id = r.id WHERE r.status='current' "
                "AND r.my_number_enc IS NOT NULL AND t.dependents_count > 0 AND t.municipal_tax > 0 "
                "AND r.id NOT IN (SELECT target_resident_id FROM support_measures) "
                "ORDER BY r.id LIMIT 1 OFFSET 5").fetchone()
        window._go(window.search_page)
        page.clear_form()
        page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("tax"))
        page.juminhyo_code_edit.setText(tcode)
        page.submit()
        page.results_table.selectRow(0)
        page.tax_button.click()
        tax = window.tax_page
        shot("14-tax-filing-identity-first.png")
        tax.identity_button.click()
        ident.tabs.setCurrentWidget(ident.docs_tab)
        for code in ("health_insurance", "pension_book"):
            ident.doc_checks[code].setChecked(True)
        ident.record_docs_button.click()  # recorded, and back to the 申告
        for name, value in (("employment_revenue", "4,200,000"), ("social_insurance", "610,000"),
                            ("life_insurance", "95000")):
            tax.amount_edits[name].setText(value)
        dep = tax.add_dependent()
        dep.name_edit.setText("見本　花子")
        dep.kana_edit.setText("ミホン　ハナコ")
        dep.birth_edit.setText("1986-07-14")
        dep.relationship_combo.setCurrentIndex(dep.relationship_combo.findData("spouse"))
        dep.my_number_edit.setText(good[:11] + str((int(good[11]) + 1) % 10))
        dep.income_edit.setText("0")
        tax.submit_filing()
        shot("15-tax-filing-errors-beside-fields.png")
        dep.my_number_edit.setText(good)
        tax.amount_edits["life_insurance"].setText("40,000")
        tax.submit_filing()
        shot("16-tax-filing-sent-for-double-check.png")
        tax.tabs.setCurrentWidget(tax.cert_tab)
        tax.cert_purpose_combo.setCurrentIndex(tax.cert_purpose_combo.findData("certificate"))
        tax.requester_combo.setCurrentIndex(tax.requester_combo.findData("proxy"))
        tax.requester_name_edit.setText("代理　次郎")
        tax.copies_spin.setValue(2)
        tax.issue_certificate()  # no 委任状 ticked: the centre refuses
        shot("17-tax-certificate-proxy-refused.png")
        tax.attorney_check.setChecked(True)
        tax.issue_certificate()
        shot("18-tax-certificate-issued.png")
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", str(tax.last_pdf),
                        str(args.out / "19-tax-certificate-pdf")], check=True)
        print(args.out / "19-tax-certificate-pdf.png")
        window.tax_inquiry_action.trigger()
        inq = window.tax_inquiry_page
        inq.name_edit.setText(tname)
        inq.birth_edit.setText(tbirth)
        inq.purpose_combo.setCurrentIndex(inq.purpose_combo.findData("tax"))
        inq.my_number_edit.setText(someone_else)  # somebody else's number: nothing is shown
        inq.inquire()
        shot("20-tax-inquiry-refused.png")
        inq.my_number_edit.setText(cipher.decrypt(tenc))
        inq.inquire()
        shot("21-tax-inquiry-answered.png")

        # 受付 → 聞き取り → 手続き案内票 → 転入届 → 審査へ (issue #7)
        from app import clock  # the counter's day (JST), as the pages use it
        window.case_action.trigger()
        cp = window.case_page
        cp.queue_edit.setText("A-012")
        cp.open_case()
        cp.event_checks["move_in"].setChecked(True)
        for q in ("children", "kokuho"):
            cp.question_checks[q].setChecked(True)
        shot("23-case-interview-procedures.png")
        cp.print_guide()
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", str(cp.last_guide),
                        str(args.out / "24-case-guide-pdf")], check=True)
        print(args.out / "24-case-guide-pdf.png")
        for name, value in (("name_kanji", "転入　次郎"), ("name_kana", "てんにゅう じろう"),
                            ("birth_date", "昭和60年12月3日"), ("postal_code", "123-4567"),
                            ("address", "架空県さくら市本町三丁目4番5号"),
                            ("moved_in_from", "架空県もみじ市中央1-1"),
                            ("idou_date", clock.today().isoformat())):
            cp.edits[name].setText(value)
        cp.edits["sex"].setCurrentIndex(cp.edits["sex"].findData("male"))
        cp.submit()  # the フリガナ is refused beside its field; everything typed stays
        cp.scroll.ensureWidgetVisible(cp.submit_button)
        cp.scroll.ensureWidgetVisible(cp.edits["name_kana"])
        shot("25-case-entry-error-beside-field.png")
        cp.edits["name_kana"].setText("テンニュウ　ジロウ")
        cp.submit()
        cp.scroll.ensureWidgetVisible(cp.submit_button)
        shot("26-case-sent-to-review.png")

        # the lock screen (idle for the policy's minutes)
        window.lock_session(window.tr("一定時間操作がなかったため、画面をロックしました。"))
        shot("08-lock-screen.png")
        window.lock_page.password_edit.setText(clerk["password"])
        window.lock_page.submit()

        # a 転居 entered by the clerk after a 本人確認 with documents, reviewed by the demo reviewer
        import uuid
        today = clock.today().isoformat()
        check = client.record_identity_check({"resident_id": record["id"], "method": "documents",
                                              "matched": True, "items": ["drivers_license"]})
        client._request("POST", "/v1/cases/idou", expected=(201,), headers={"Idempotency-Key": str(uuid.uuid4())},
                        json={"kind": "tenkyo", "resident_id": record["id"], "expected_version": record["version"],
                              "idou_date": today, "todoke_date": today, "identity_check_seq": check.seq,
                              "changes": {"address": "架空県さくら市梅町三丁目4番5号"}})
        window.logout()
        reviewer = next(o for o in info.demo_operators if o["login_id"] == "review01")
        window.login_page.login_id_edit.setText(reviewer["login_id"])
        window.login_page.password_edit.setText(reviewer["password"])
        window.login_page.submit()
        window.face_page.verify()
        window.review_action.trigger()
        queue = window.review_page.queue
        queue.setCurrentCell(queue.rowCount() - 1, 0)  # the 転居, with its 本人確認
        shot("09-review.png")
        window.tax_check_action.trigger()  # the 住民税申告 entered by clerk01, checked by another
        window.tax_check_page.queue.setCurrentCell(0, 0)
        shot("22-tax-double-check.png")
        window.logout()

        # the security admin: daily access review and the onlooker policy
        admin = next(o for o in info.demo_operators if o["login_id"] == "secadm01")
        window.login_page.login_id_edit.setText(admin["login_id"])
        window.login_page.password_edit.setText(admin["password"])
        window.login_page.submit()
        window.face_page.verify()
        ap = window.admin_page
        ap.tabs.setCurrentWidget(ap.review_tab)
        ap.run_review()
        shot("10-admin-access-review.png")
        ap.tabs.setCurrentWidget(ap.camera_tab)
        shot("11-admin-onlooker-policy.png")
        window.show_enrolment()
        window.enrol_page.login_edit.setText("clerk01")
        window.enrol_page.check_status()
        for _ in range(2):
            window.enrol_page.capture()
        shot("13-face-enrolment.png")
        window.logout()

        def log_in(login_id: str) -> None:
            who = next(o for o in info.demo_operators if o["login_id"] == login_id)
            window.login_page.login_id_edit.setText(who["login_id"])
            window.login_page.password_edit.setText(who["password"])
            window.login_page.submit()
            window.face_page.verify()

        # 支援措置: a third party's request is blocked; the clerk asks the 所属長 (WF-7)
        log_in("clerk01")
        page = window.search_page
        page.clear_form()
        page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("certificate"))
        page.name_edit.setText(protected_name)
        page.birth_date_edit.setText(protected_birth)
        page.submit()
        page.results_table.selectRow(0)
        window.open_issuance(page.selected_resident())
        iss = window.issuance_page
        iss.purpose_combo.setCurrentIndex(iss.purpose_combo.findData("inquiry"))
        iss.purpose_note_edit.setText("債権回収のため")
        iss.requester_combo.setCurrentIndex(iss.requester_combo.findData("third_party"))
        iss.submit()
        iss.requester_name_edit.setText("債権　回収")
        iss.requester_org_edit.setText("さくら債権株式会社（架空）")
        iss.ask_decision_button.click()
        shot("27-support-measure-blocked-decision-asked.png")
        window.logout()
        log_in("kacho01")
        window.decision_action.trigger()
        window.decision_page.queue.setCurrentCell(0, 0)
        shot("28-supervisor-support-decision.png")
        window.logout()

        # 記載事項証明書 of an ordinary resident: only the chosen items, and its PDF
        log_in("clerk01")
        page = window.search_page
        page.clear_form()
        page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("certificate"))
        page.juminhyo_code_edit.setText(tcode)  # the taxpayer above: an ordinary resident
        page.submit()
        page.results_table.selectRow(0)
        window.open_issuance(page.selected_resident())
        iss = window.issuance_page
        iss.kind_combo.setCurrentIndex(iss.kind_combo.findData("kisai"))
        iss.purpose_combo.setCurrentIndex(iss.purpose_combo.findData("certificate"))
        for item, check in iss.kisai_checks.items():
            check.setChecked(item in ("name", "birth_date", "address"))
        iss.kisai_submit_edit.setText("さくら年金事務所（架空）")
        iss.submit()
        shot("29-kisai-issued.png")
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", str(iss.last_pdf),
                        str(args.out / "30-kisai-pdf")], check=True)
        print(args.out / "30-kisai-pdf.png")
        window.logout()

        # 職権消除 (K-DQ-16): entered by a clerk with its 実態調査, decided by the 所属長; then the
        # day's 異動リスト (DQ-2) as the reviewer ticks it, and its PDF
        with sqlite3.connect(args.data_dir / "central.db") as db:
            scode, = db.execute(
                "SELECT juminhyo_code FROM residents WHERE status='current' AND id NOT IN "
                "(SELECT target_resident_id FROM support_measures) ORDER BY id LIMIT 1 OFFSET 9").fetchone()
        log_in("clerk01")
        page = window.search_page
        page.clear_form()
        page.purpose_combo.setCurrentIndex(page.purpose_combo.findData("idou"))
        page.juminhyo_code_edit.setText(scode)
        page.submit()
        page.results_table.selectRow(0)
        window.shokken_action.trigger()
        sk = window.shokken_page
        sk.reason_edit.setText("不現住（居住の実態なし）")
        sk.investigated_edit.setText(clock.today().isoformat())
        sk.investigators_edit.setText("clerk01")
        sk.method_combo.setCurrentIndex(sk.method_combo.findData("site_visit"))
        sk.finding_edit.setPlainText("3回訪問したが不在。郵便物が滞留し、管理人から退去済みとの申出あり")
        sk.submit()  # a 現地調査 by one person: the centre's refusal beside the field
        shot("37-shokken-entry-error-beside-field.png")
        sk.investigators_edit.setText("clerk01、clerk02")
        sk.submit()
        shot("38-shokken-sent-for-decision.png")
        sk.kind_combo.setCurrentIndex(sk.kind_combo.findData("shokken_kisai"))
        sk.person_edits["name_kanji"].setText("記載　三郎")
        sk.person_edits["name_kana"].setText("きさい")
        sk.submit()  # a new person's items, checked like a 転入's, beside each field
        shot("43-shokken-kisai-entry.png")
        sk.reset()
        window.logout()
        log_in("kacho01")
        window.shokken_queue_action.trigger()
        window.shokken_queue_page.queue.setCurrentCell(0, 0)
        shot("39-shokken-supervisor-decision.png")
        window.shokken_queue_page.approve()
        window.logout()
        log_in("review01")
        window.review_action.trigger()  # the 転居 of 09-review approved: a 届出 on the list too
        rq = window.review_page
        rq.queue.setCurrentCell(rq.queue.rowCount() - 1, 0)
        rq.approve()
        window.idou_list_action.trigger()
        il = window.idou_list_page
        il.scope_combo.setCurrentIndex(il.scope_combo.findData(""))  # the whole office
        shot("40-idou-list-office.png")
        shokken_row = next(r for r in il.listing.rows if r.kind == "shokken_shojo")
        il.tick(shokken_row.history_id)
        il.save_pdf()
        shot("41-idou-list-ticked.png")
        subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", str(il.last_pdf),
                        str(args.out / "42-idou-list-pdf")], check=True)
        print(args.out / "42-idou-list-pdf.png")
        client.logout()
    finally:
        central.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
