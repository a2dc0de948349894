"""書類による本人確認 (000 L3286): the checklist of one photo ID or two other documents, its verdict,
and the labels of every document code (also named on the 審査 page). The rule is
``app.identity.documents_sufficient``; this tab only shows it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from app.identity import OTHER_DOCUMENTS, PHOTO_IDS, documents_sufficient
from ui.common.keys import Button


def document_labels() -> dict[str, str]:
    """本人確認書類, by code, in the UI language (also named on the 審査 page)."""
    return {
        "drivers_license": QCoreApplication.translate("IdentityPage", "運転免許証"),
        "passport": QCoreApplication.translate("IdentityPage", "旅券（パスポート）"),
        "residence_card": QCoreApplication.translate("IdentityPage", "在留カード・特別永住者証明書"),
        "disability_certificate": QCoreApplication.translate("IdentityPage", "身体障害者手帳（写真付き）"),
        "driving_history": QCoreApplication.translate("IdentityPage", "運転経歴証明書"),
        "health_insurance": QCoreApplication.translate("IdentityPage", "健康保険の資格確認書・被保険者証"),
        "pension_book": QCoreApplication.translate("IdentityPage", "年金手帳・基礎年金番号通知書"),
        "pension_certificate": QCoreApplication.translate("IdentityPage", "年金証書"),
        "student_id": QCoreApplication.translate("IdentityPage", "学生証（写真なし）"),
        "bank_book": QCoreApplication.translate("IdentityPage", "預金通帳・キャッシュカード"),
        "utility_bill": QCoreApplication.translate("IdentityPage", "公共料金の領収書（氏名・住所記載）"),
    }


class DocumentsTab(QWidget):
    """The documents checklist; ``record_requested`` when the clerk records a sufficient set."""

    record_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.doc_checks: dict[str, QCheckBox] = {}
        photo = QGroupBox(self.tr("写真付きの書類（1点で可）"))
        pl = QVBoxLayout(photo)
        other = QGroupBox(self.tr("写真のない書類（2点必要）"))
        ol = QVBoxLayout(other)
        labels = document_labels()
        for code in PHOTO_IDS:
            self.doc_checks[code] = QCheckBox(labels[code])
            pl.addWidget(self.doc_checks[code])
        for code in OTHER_DOCUMENTS:
            self.doc_checks[code] = QCheckBox(labels[code])
            ol.addWidget(self.doc_checks[code])
        self.docs_verdict = QLabel()
        self.docs_verdict.setObjectName("documentsVerdict")
        self.record_docs_button = Button(self.tr("本人確認を記録(&M)"))
        self.record_docs_button.setObjectName("recordDocumentsCheck")
        self.record_docs_button.setAutoDefault(True)
        self.record_docs_button.clicked.connect(self.record_requested)
        for w in (photo, other, self.docs_verdict, self.record_docs_button):
            layout.addWidget(w)
        for box in self.doc_checks.values():
            box.toggled.connect(self.update_verdict)
        self.update_verdict()

    def checked(self) -> tuple[str, ...]:
        """The codes ticked, sorted (as they are recorded)."""
        return tuple(sorted(code for code, box in self.doc_checks.items() if box.isChecked()))

    def sufficient(self) -> bool:
        return documents_sufficient(set(self.checked())).sufficient

    def reset(self) -> None:
        for box in self.doc_checks.values():
            box.setChecked(False)

    def update_verdict(self) -> None:
        verdict = documents_sufficient(set(self.checked()))
        self.docs_verdict.setText(verdict.reason_ja)
        self.docs_verdict.setStyleSheet("color: #1b5e20;" if verdict.sufficient else "color: #8a5300;")
        self.record_docs_button.setEnabled(verdict.sufficient)

    def focus_next(self) -> None:
        """The cursor to the first document not yet ticked (or the first)."""
        boxes = list(self.doc_checks.values())
        next((b for b in boxes if not b.isChecked()), boxes[0]).setFocus(Qt.FocusReason.TabFocusReason)
