"""The card tab of 本人確認 (WF-2, DQ-3): what the card path shows, step by step.

カードを読む → the PIN tries left and the certificate's expiry (no try spent) → the resident's PIN
on the pad → the ``CardReport`` (``app.identity.check_card``): the 基本4情報 beside the register
record with every difference coloured, or, for a 転入, the card's 券面事項 alone; the integrity of
what was read (digests, the issuer's signature) and the 個人番号 when it was read — marked when it
fails its check digit. A locked PIN gets its own panel and the way to the documents. This module
only shows; the page decides when (``ui.pages.identity.page``).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QGroupBox, QHeaderView, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from app.identity import CardIdentity, CardReadError, CardReport
from japan.era import wareki
from ui.common.i18n import fill
from ui.common.keys import Button
from ui.common.widgets import banner, text_label
from ui.pages.identity.pin_pad import PinPad

DIFFERENT = QColor("#ffd6d6")
CHECK = QColor("#fff3c4")


class CardView(QWidget):
    """The card tab's widgets and how each step of a reading is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card_status = text_label("cardStatus")
        self.virtual_label = banner("", "virtualCard",
                                    "background: #fff8e1; color: #5d4200; font-weight: bold; padding: 4px;")
        self.read_button = Button(self.tr("カードを読む(&R)"))
        self.read_button.setObjectName("readCardButton")
        self.pin_box = QGroupBox(self.tr("暗証番号（4桁）をご本人が入力してください"))
        self.tries_label = text_label("triesLeft", wrap=False)
        self.cert_label = text_label("certificateExpiry", wrap=False)
        self.pin_pad = PinPad()
        self.confirm_last = QCheckBox(self.tr("残り1回で、間違えるとロックされることをご本人に伝えました"))
        self.confirm_last.setObjectName("confirmLastTry")
        self.confirm_last.hide()
        pin_layout = QVBoxLayout(self.pin_box)
        for w in (self.tries_label, self.cert_label, self.pin_pad, self.confirm_last):
            pin_layout.addWidget(w)
        self.pin_box.hide()
        self.locked_panel = banner(self.tr("暗証番号がロックされています。このカードでは確認できません。"
                                           "ロック解除は窓口での手続きが必要です。書類による確認に切り替えてください。"),
                                   "pinLockedPanel",
                                   "background: #b00020; color: white; font-weight: bold; padding: 8px;")
        self.to_documents_button = Button(self.tr("書類で確認する(&D)"))
        self.to_documents_button.hide()
        self.compare_table = QTableWidget(0, 4)
        self.compare_table.setObjectName("compareTable")
        self.compare_table.setAccessibleName(self.tr("カードと住民記録の比較"))
        self.compare_table.setHorizontalHeaderLabels(
            [self.tr("項目"), self.tr("カード"), self.tr("住民記録"), self.tr("判定")])
        self.compare_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.compare_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.compare_table.verticalHeader().hide()
        self.integrity_label = text_label("integrity")
        self.my_number_label = text_label("cardMyNumber")
        self.record_card_button = Button(self.tr("本人確認を記録(&M)"))
        self.record_card_button.setObjectName("recordCardCheck")
        self.record_card_button.setEnabled(False)
        layout = QVBoxLayout(self)
        for w in (self.virtual_label, self.card_status, self.read_button, self.pin_box,
                  self.locked_panel, self.to_documents_button, self.compare_table,
                  self.integrity_label, self.my_number_label, self.record_card_button):
            layout.addWidget(w)
        for button in (self.read_button, self.to_documents_button, self.record_card_button):
            button.setAutoDefault(True)

    # -- steps ---------------------------------------------------------------------------

    def reset(self) -> None:
        """A new check: nothing of an earlier card on screen."""
        self.clear_result()
        for w in (self.pin_box, self.locked_panel, self.to_documents_button, self.virtual_label):
            w.hide()
        self.read_button.setEnabled(False)

    def clear_result(self) -> None:
        """Nothing read from a card stays on screen after an error or a new start."""
        self.compare_table.setRowCount(0)
        self.integrity_label.clear()
        self.my_number_label.clear()
        self.record_card_button.setEnabled(False)

    def show_virtual(self, virtual: bool, demo_pin: str) -> None:
        self.virtual_label.setText(fill(self.tr("仮想カード（デモ用。実物のカードではありません。暗証番号: %1）"),
                                        demo_pin) if virtual else "")
        self.virtual_label.setVisible(virtual)

    def show_status(self, tries: int, not_after: dt.datetime | None) -> None:
        """The card answered without a PIN: tries left and the certificate; the pad opens."""
        if not_after is None:
            self.cert_label.setText(self.tr("利用者証明用電子証明書: 読み取れませんでした"))
        else:
            days = (not_after - dt.datetime.now(dt.timezone.utc)).days
            when = not_after.date().isoformat()
            self.cert_label.setText(
                fill(self.tr("利用者証明用電子証明書の有効期限: %1（あと %2 日）"), when, days) if days >= 0
                else fill(self.tr("利用者証明用電子証明書の有効期限が切れています（%1）"), when))
        self.tries_label.setText(fill(self.tr("残り %1 回"), tries))
        self.confirm_last.setChecked(False)
        self.confirm_last.setVisible(tries == 1)
        self.pin_box.show()
        self.pin_pad.edit.setFocus()
        self.card_status.setText(self.tr("ご本人に暗証番号を入力してもらってください"))

    def show_error(self, err: CardReadError) -> None:
        """A card error: the panels it calls for (the message itself is the page's to say)."""
        self.clear_result()
        if err.code == "pin_locked":
            self.pin_box.hide()
            self.locked_panel.show()
            self.to_documents_button.show()
            self.card_status.setText("")
        elif err.code == "wrong_pin":
            tries = err.tries_left or 0
            self.tries_label.setText(fill(self.tr("残り %1 回"), tries))
            self.confirm_last.setChecked(False)
            self.confirm_last.setVisible(tries == 1)
        elif err.code == "last_try_needs_confirmation":
            self.confirm_last.show()
        else:
            self.pin_box.hide()
            self.card_status.setText(self.tr("もう一度カードを置いて「カードを読む」を押してください"))

    def show_report(self, report: CardReport) -> None:
        """The card's reading: beside the register, or alone for a 転入."""
        self.pin_box.hide()
        labels = {"name": self.tr("氏名"), "address": self.tr("住所"), "birth_date": self.tr("生年月日"),
                  "sex": self.tr("性別")}
        verdicts = {"same": self.tr("一致"), "different": self.tr("相違"), "check": self.tr("目視確認")}
        if report.newcomer:
            labels["address"] = self.tr("住所（転入前）")
            verdicts["card"] = self.tr("—")
        self.compare_table.setRowCount(len(report.rows))
        for r, row in enumerate(report.rows):
            card_text, register_text = row.card, row.register
            if row.key == "birth_date":  # 和暦 as the register prints it, 西暦 beside it
                card_text = f"{wareki(row.card)}（{row.card}）" if row.card else ""
                register_text = f"{wareki(row.register)}（{row.register}）" if row.register else ""
            if report.newcomer:
                register_text = self.tr("（転入: 記録なし）")
            for c, value in enumerate((labels.get(row.key, row.label), card_text, register_text,
                                       verdicts.get(row.status, row.status))):
                item = QTableWidgetItem(value)
                if row.status in ("different", "check"):
                    item.setBackground(QBrush(DIFFERENT if row.status == "different" else CHECK))
                self.compare_table.setItem(r, c, item)
        self._show_integrity(report.card, report.my_number_invalid)
        self.card_status.setText(self._verdict(report))
        self.record_card_button.setEnabled(True)
        self.record_card_button.setFocus()

    def _verdict(self, report: CardReport) -> str:
        if report.newcomer:
            text = self.tr("カードを読み取りました。転入のため住民記録との照合はありません。"
                           "「本人確認を記録」で届出の入力に反映します")
            if report.name_needs_visual_check:
                text += self.tr("。氏名に外字・代替文字の可能性があります。券面と目視で確認してください")
        elif report.rows and all(r.status == "same" for r in report.rows):
            text = self.tr("カードと住民記録が一致しました")
        else:
            text = self.tr("カードと住民記録に相違があります。色の付いた項目を確認してください")
        if report.card.sex == "unknown":
            text += self.tr("。カードの性別が「不明」（コード0）です。券面と目視で確認してください")
        if report.my_number_invalid:
            text += self.tr("。カードの個人番号が検査用数字と一致しません。このカードの個人番号は使えません")
        return text

    def _show_integrity(self, card: CardIdentity, number_invalid: bool) -> None:
        if card.signature == "verified":
            signature = self.tr("発行者の署名: 検証済み")
        elif card.signature == "verified_test":
            signature = self.tr("発行者の署名: 検証済み（プロジェクトのテスト用の鍵。仮想カードのみ）")
        elif card.signature == "not_checked":
            signature = self.tr("発行者の署名: 検証していません（発行者の公開鍵が設定されていません）")
        else:
            signature = fill(self.tr("発行者の署名: 検証できませんでした（%1）。カードが正規のものか確認してください"),
                             card.signature.removeprefix("failed_"))
        self.integrity_label.setText(
            (self.tr("カード内の改ざん検知用ハッシュ: 一致") if card.digests_verified
             else self.tr("カード内の改ざん検知用ハッシュ: 未確認")) + "　" + signature)
        if card.my_number and number_invalid:
            self.my_number_label.setText(fill(self.tr("個人番号（カード）: %1 — 検査用数字が一致しません"),
                                              card.my_number))
            self.my_number_label.setStyleSheet("color: #b00020; font-weight: bold;")
        elif card.my_number:
            self.my_number_label.setText(fill(self.tr("個人番号（カード）: %1"), card.my_number))
            self.my_number_label.setStyleSheet("")
        else:
            self.my_number_label.setText(self.tr("個人番号: 読み取っていません（権限がないか不要のため）"))
            self.my_number_label.setStyleSheet("")
