"""審査画面: a reviewer who is not the entrant approves or returns submitted 異動届 (DQ-1, DQ-8).

The queue on the left; on the right the entry beside the register record as it is now, items that
the entry changes highlighted. When the record changed after the entry the page says so and
approval is not offered (the centre refuses it too, 000 L4375); a return needs a reason. A 支援措置
subject carries a banner for as long as the case is on screen. Approval is retried with the same
Idempotency-Key, so a lost answer never applies a case twice (``ui.common.decision_queue``).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QWidget

from app.api_client import OperatorSession
from app.visit_forms import catalogue_order, division_name, form_checks
from app.review import CaseView, IdentityCheckRecord, entry_rows, kind_label, local_time, subject_name
from ui.common.decision_queue import RETURNED, DecisionQueue, QueueTexts, detail_table
from ui.common.i18n import fill
from ui.common.ops import Failure, Failures
from ui.common.widgets import (NOTICE_BANNER_STYLE, OK_STYLE, WARNING_STYLE, banner, button,
                               fill_queue, list_table)
from ui.common.worker import Runner
from ui.pages.identity import document_labels

CHANGED = QColor("#fff3c4")


class ReviewClient(Protocol):
    """The calls the 審査 page makes."""

    def list_cases(self) -> list[CaseView]: ...
    def approve_case(self, case_id: int, idempotency_key: str) -> object: ...
    def return_case(self, case_id: int, reason: str) -> object: ...
    def case_forms(self, case_id: int) -> list[dict]: ...


class ReviewPage(DecisionQueue):
    logout_requested = Signal()
    select_case = DecisionQueue.select_item

    def __init__(self, client: ReviewClient, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(runner, failures=failures, parent=parent)
        self._client = client
        # Labels come from app.review in Japanese; shown through tr() so English works too.
        self._labels = {
            "idou_date": self.tr("異動日"), "todoke_date": self.tr("届出日"),
            "name_kanji": self.tr("氏名"), "name_kana": self.tr("フリガナ"),
            "birth_date": self.tr("生年月日"), "sex": self.tr("性別"),
            "my_number": self.tr("個人番号"), "postal_code": self.tr("郵便番号"),
            "address": self.tr("住所"), "katagaki": self.tr("方書"), "honseki": self.tr("本籍"),
            "hittousha": self.tr("筆頭者"), "nationality": self.tr("国籍"),
            "residence_status": self.tr("在留資格"), "residence_expiry": self.tr("在留期間満了日"),
            "residence_card_no": self.tr("在留カード番号"), "moved_in_from": self.tr("転入前住所"),
            "moved_out_to": self.tr("転出先"), "household_no": self.tr("世帯番号"),
            "relationship_to_head": self.tr("続柄"),
        }
        self._kinds = {"tennyu": self.tr("転入"), "tenkyo": self.tr("転居"),
                       "tenshutsu": self.tr("転出"), "setai_henko": self.tr("世帯変更"),
                       "shussei": self.tr("出生"), "shibou": self.tr("死亡")}
        self._methods = {"card": self.tr("マイナンバーカード（ICチップ照合）"),
                         "card_code_b": self.tr("マイナンバーカード（券面入力補助）"),
                         "documents": self.tr("本人確認書類")}

        self.operator_label = QLabel()
        self.refresh_button.setObjectName("refreshCases")
        self.reason_edit.setObjectName("returnReason")
        self.message.setObjectName("reviewMessage")
        self.logout_button = button(self.tr("ログアウト"))
        self.logout_button.clicked.connect(self.logout_requested)
        self.support_banner = banner(self.tr(
            "⚠ 支援措置の対象者です。住所等を第三者に知られないよう取り扱いに注意してください"), "supportBanner")
        self.stale_banner = banner(self.tr("入力後に住民記録が更新されています。承認できません。"
                                           "最新の記録で入力し直すよう差し戻してください"),
                                   "staleBanner", NOTICE_BANNER_STYLE)
        self.case_title = QLabel()
        self.case_title.setObjectName("caseTitle")
        self.identity_label = QLabel()  # how the 届出人 was identified (WF-2), or that it is unknown
        self.identity_label.setObjectName("caseIdentity")
        self.identity_label.setWordWrap(True)
        # 申請書: the signed forms stored with the 届出, each compared with the entry (#23 point 4)
        self.forms_label = QLabel()
        self.forms_label.setObjectName("caseFormsLabel")
        self.forms_label.setWordWrap(True)
        self.forms_table = list_table(
            [self.tr("署名済みの申請書"), self.tr("版"), self.tr("署名"), self.tr("受け取る課"),
             self.tr("届出との照合")], "caseForms", self.tr("この届出の署名済みの申請書"))
        self.forms_table.setMaximumHeight(150)
        self.return_button = button(self.tr("差し戻す"), "returnButton")
        self.approve_button = button(self.tr("承認して反映"), "approveButton")
        self.build(
            self.tr("審査"),
            list_table([self.tr("番号"), self.tr("届出"), self.tr("対象"), self.tr("入力者")],
                       "caseQueue", self.tr("審査待ちの届出")),
            detail_table([self.tr("項目"), self.tr("入力内容"), self.tr("現在の記録")],
                         "caseDetail", self.tr("入力内容と現在の記録")),
            QueueTexts(empty=self.tr("審査待ちの届出はありません"),
                       own=self.tr("ご自身が入力した届出は審査できません。別の職員が審査します"),
                       approved=self.tr("第%1号を承認し、住民記録に反映しました"),
                       not_approved=self.tr("第%1号を差し戻しました")),
            (self.tr("差し戻しの理由"), self.return_button, self.approve_button),
            header=(self.operator_label, self.refresh_button, self.logout_button),
            above=(self.support_banner, self.stale_banner, self.case_title, self.identity_label,
                   self.forms_label, self.forms_table),
            offline=("reviewOffline", self.tr("中央サーバーに接続できないため、審査できません。"
                                              "審査は最新の住民記録と照合して行います。接続が戻ると再開できます")))

    def set_session(self, session: OperatorSession | None) -> None:
        super().set_session(session)
        self.operator_label.setText("" if session is None else fill(
            self.tr("%1 さん（%2）"), session.operator.display_name, session.operator.login_id))

    # -- the queue and one case ------------------------------------------------------

    def fetch(self) -> list[CaseView]:
        return self._client.list_cases()

    def queue_row(self, case: CaseView) -> list[str]:
        return [str(case.id), self._kind(case), ("⚠" if case.support_measure else "") + subject_name(case),
                case.entered_by]

    def _kind(self, case: CaseView) -> str:
        return self._kinds.get(case.kind, kind_label(case.kind))

    def show_item(self, case: CaseView | None) -> None:
        self.support_banner.setVisible(case is not None and case.support_measure)
        self.stale_banner.setVisible(case is not None and case.record_changed)
        self.forms_table.setRowCount(0)
        self.forms_label.clear()
        if case is None:
            self.case_title.setText(self.tr("左の一覧から届出を選んでください"))
            self.identity_label.clear()
            return
        self.case_title.setText(fill(self.tr("第%1号　%2届　入力: %3"), case.id, self._kind(case),
                                     case.entered_by))
        self._show_identity(case.identity_check)
        rows = entry_rows(case.command, case.current)
        self.show_rows([(self._labels.get(row.key, row.label), row.entered, row.current) for row in rows])
        for r, row in enumerate(rows):
            if row.changed:
                item = self.detail.item(r, 1)
                item.setBackground(QBrush(CHANGED))
                item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, self.tr("変更あり"))
        client, case_id = self._client, case.id
        self.ops.run(lambda: client.case_forms(case_id), lambda forms: self._show_forms(case, forms),
                     lambda failure: self.forms_label.setText(failure.message))

    def _show_forms(self, case: CaseView, stored: list[dict]) -> None:
        """The latest version of each signed form, its signer, its division and how it compares
        with the entry item by item (a difference named, so the reviewer returns the case)."""
        if self.current is None or self.current.id != case.id:
            return  # another case was chosen meanwhile
        latest: dict[str, dict] = {}
        for f in stored:
            latest[str(f.get("form_id"))] = f
        rows, differs = [], False
        for f in (latest[i] for i in catalogue_order(list(latest))):
            checks = form_checks(f.get("items") or {}, dict(case.command), dict(case.current or {}))
            wrong = [c for c in checks if not c.same]
            differs |= bool(wrong)
            signer = (fill(self.tr("代筆（%1）"), f.get("proxy_writer") or "")
                      if f.get("signer") == "proxy" else self.tr("本人"))
            said = (fill(self.tr("一致（%1項目）"), len(checks)) if not wrong else
                    self.tr("相違: ") + "、".join(f"{c.label}（申請書 {c.on_form}／届出 {c.entered}）"
                                              for c in wrong))
            rows.append([str(f.get("title", "")), str(f.get("version", "")), signer,
                         division_name(str(f.get("division_id", ""))), said])
        fill_queue(self.forms_table, rows)
        if not latest:
            self.forms_label.setText(self.tr("⚠ この届出には署名済みの申請書がまだ保存されていません"))
            self.forms_label.setStyleSheet(WARNING_STYLE)
        elif differs:
            self.forms_label.setText(self.tr("⚠ 申請書と届出の内容に相違があります。差し戻してください"))
            self.forms_label.setStyleSheet(WARNING_STYLE)
        else:
            self.forms_label.setText(fill(self.tr("署名済みの申請書 %1 件（届出の内容と一致）"),
                                          len(latest)))
            self.forms_label.setStyleSheet(OK_STYLE)

    def _show_identity(self, check: IdentityCheckRecord | None) -> None:
        """本人確認 as the centre recorded it for this 届出: how, when, by whom, and of whom; a warning
        when the 届出 names none (the reviewer then asks the entrant before approving)."""
        if check is None:
            self.identity_label.setText(self.tr("⚠ この届出には本人確認の記録がありません。"
                                                "届出人の確認方法を入力者に確かめてください"))
            self.identity_label.setStyleSheet(WARNING_STYLE)
            return
        how = self._methods.get(check.method, check.method)
        if check.method == "documents" and check.items:
            names = document_labels()
            how = fill(self.tr("%1（%2）"), how, "・".join(names.get(i, i) for i in check.items))
        someone_else = not check.is_subject
        if check.subject == "newcomer":
            whom = self.tr("転入の受付で確認")
        elif someone_else:  # 出生・死亡 or a family member's 届出: is this the 届出人?
            whom = fill(self.tr("対象者以外の住民（記録番号 %1）を確認。届出人であることを確かめてください"),
                        check.resident_id or "")
        else:
            whom = fill(self.tr("届出の対象者本人（記録番号 %1）"), check.resident_id or "")
        signed = self.tr("・署名検証済み") if check.signature_verified else ""
        self.identity_label.setText(fill(self.tr("本人確認: %1%2　%3　%4　確認者: %5"), how, signed,
                                         local_time(check.at), whom, check.operator))
        self.identity_label.setStyleSheet(WARNING_STYLE if someone_else else OK_STYLE)

    # -- decisions -------------------------------------------------------------------

    def may_approve(self, case: CaseView) -> bool:
        """Never an entry made on a record that changed since (DQ-8)."""
        return not case.record_changed and self.stale_banner.isHidden()

    def approve(self) -> None:
        self.approve_with_key(self._client.approve_case)

    def send_back(self) -> None:
        self.send_with_reason(self._client.return_case, lambda _answer: RETURNED)

    def refused(self, failure: Failure) -> None:
        if failure.code == "record_changed_since_entry":
            self.stale_banner.show()
            self.approve_button.setEnabled(False)
