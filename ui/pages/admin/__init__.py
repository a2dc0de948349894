"""管理画面: the security admin's and IT staff's tools in the client (AUTHZ-6/9, LOG-10, DEV-3/6, PRIV-1).

Each tab appears only when the centre lets the operator take its action (``session.may``; the
centre checks again on every call), and each is a module of this package:

* 権限一覧 (``rights``, rights.manage) — every grant with its status and the application behind
  it; revoke one; export the CSV;
* 申請の承認 (``applications``, rights.manage) — execute (承認・設定) or decline a 所属長's
  application for a right; 権限の申請 (rights.apply) — a 所属長 applies (AUTHZ-4);
* アクセス点検 (``access_review``, audit.review) — the daily access-log review;
* 監査ログ (``audit``, audit.verify) — verify the audit hash chain;
* 端末 (``devices``, devices.manage) — the device registry; disable a lost or retired terminal;
* 覗き込み対策 (``onlooker``, policy.manage) — the onlooker policy, the detector's boxes
  (``preview``) and this terminal's camera.

This module is the page: its title bar, the tabs an operator may use, and the names the window,
its tests and ``scripts/screens.py`` know the tabs' widgets by. No screen here ever shows a My
Number or a resident's 4情報; every call runs in the background.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app import actions
from app.admin import DeviceEntry, RightGrant
from app.api_client import OperatorSession
from ui.common.busy import BusyIndicator
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.widgets import title_bar
from ui.common.worker import Runner
from ui.pages.admin.access_review import AccessReviewClient, AccessReviewTab
from ui.pages.admin.applications import (ApplicationQueueTab, ApplicationsClient, ApplyClient,
                                         ApplyTab)
from ui.pages.admin.audit import AuditClient, AuditTab
from ui.pages.admin.devices import DevicesClient, DevicesTab
from ui.pages.admin.onlooker import OnlookerTab, PolicyClient
from ui.pages.admin.preview import DetectorPreview
from ui.pages.admin.rights import RightsClient, RightsTab

__all__ = ["AdminClient", "AdminPage", "DetectorPreview"]


class AdminClient(RightsClient, ApplyClient, ApplicationsClient, AccessReviewClient, AuditClient,
                  DevicesClient, PolicyClient, Protocol):
    """The calls the 管理 screen makes (``CentralClient``): its tabs' together."""


class AdminPage(QWidget):
    """Emits ``logout_requested``; ``cameras_requested`` and ``camera_chosen(spec)`` for the
    window, which owns the camera (``set_cameras`` answers)."""

    logout_requested = Signal()
    cameras_requested = Signal()  # look for this terminal's cameras (in the background)
    camera_chosen = Signal(str)  # "device:N" | "synthetic" | "none"

    def __init__(self, client: AdminClient, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared (ui.common.ops)
        self.busy = BusyIndicator(self)  # every wait of every tab shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self.session: OperatorSession | None = None

        self.operator_label = QLabel()
        self.logout_button = QPushButton(self.tr("ログアウト"))
        self.logout_button.setObjectName("adminLogout")
        self.logout_button.clicked.connect(self.logout_requested)

        self.tabs = QTabWidget()
        self.tabs.tabBar().setAccessibleName(self.tr("管理"))
        self.rights_tab = RightsTab(client, self._runner, self.failures)
        self.apply_tab = ApplyTab(client, self._runner, self.failures)
        self.applications_tab = ApplicationQueueTab(client, runner, failures=self.failures)
        self.review_tab = AccessReviewTab(client, self._runner, self.failures)
        self.audit_tab = AuditTab(client, self._runner, self.failures)
        self.devices_tab = DevicesTab(client, self._runner, self.failures)
        self.camera_tab = OnlookerTab(client, self._runner, self.failures)
        self.camera_tab.cameras_requested.connect(self.cameras_requested)
        self.camera_tab.camera_chosen.connect(self.camera_chosen)
        #: (tab, its title, the action that shows it), in the order of the tab bar.
        self._tabs = ((self.rights_tab, self.tr("権限一覧"), actions.RIGHTS_MANAGE),
                      (self.applications_tab, self.tr("申請の承認"), actions.RIGHTS_MANAGE),
                      (self.apply_tab, self.tr("権限の申請"), actions.RIGHTS_APPLY),
                      (self.review_tab, self.tr("アクセス点検"), actions.AUDIT_REVIEW),
                      (self.audit_tab, self.tr("監査ログ"), actions.AUDIT_VERIFY),
                      (self.devices_tab, self.tr("端末"), actions.DEVICES_MANAGE),
                      (self.camera_tab, self.tr("覗き込み対策"), actions.POLICY_MANAGE))
        self._name_tab_widgets()

        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addLayout(title_bar(self.tr("管理"), self.operator_label, self.logout_button))
        layout.addWidget(self.tabs)

    def _name_tab_widgets(self) -> None:
        """The tabs' widgets by the names the window's tests and scripts use."""
        rights, review, audit = self.rights_tab, self.review_tab, self.audit_tab
        devices, camera = self.devices_tab, self.camera_tab
        self.rights_table, self.rights_message = rights.table, rights.message
        self.revoke_reason_edit, self.revoke_button = rights.reason_edit, rights.revoke_button
        self.csv_path_edit, self.export_button = rights.csv_path_edit, rights.export_button
        self.review_button, self.review_table = review.run_button, review.table
        self.review_summary, self.review_message = review.summary, review.message
        self.verify_button, self.verify_result = audit.verify_button, audit.message
        self.devices_table, self.devices_message = devices.table, devices.message
        self.disable_reason_edit, self.disable_button = devices.reason_edit, devices.disable_button
        self.k_spin, self.m_spin, self.absent_spin = camera.k_spin, camera.m_spin, camera.absent_spin
        self.min_score_spin, self.fail_closed_check = camera.min_score_spin, camera.fail_closed_check
        self.save_policy_button, self.policy_message = camera.save_button, camera.message
        self.camera_combo, self.camera_label = camera.camera_combo, camera.camera_label
        self.use_camera_button, self.preview = camera.use_camera_button, camera.preview

    @property
    def rights(self) -> list[RightGrant]:
        """The grants the 権限一覧 shows, row by row."""
        return self.rights_tab.rows

    @property
    def devices(self) -> list[DeviceEntry]:
        """The terminals the 端末 tab shows, row by row."""
        return self.devices_tab.rows

    def set_cameras(self, choices: list[tuple[str, str]], current: str) -> None:
        """The cameras this terminal can use, as (spec, label), and the one in use."""
        self.camera_tab.set_cameras(choices, current)

    def run_review(self) -> None:
        """Review the chosen day's access log (アクセス点検)."""
        self.review_tab.run()

    # -- session -----------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        """Show only the tabs this operator may use; ``None`` wipes everything."""
        self.session = session
        self.tabs.clear()
        for tab, _title, _action in self._tabs:
            tab.clear()
        if session is None:
            self.operator_label.clear()
            return
        self.operator_label.setText(fill(self.tr("%1 さん（%2）"), session.operator.display_name,
                                         session.operator.login_id))
        for tab, title, action in self._tabs:
            if session.may(action):
                self.tabs.addTab(tab, title)
        if session.may(actions.RIGHTS_MANAGE):
            self.rights_tab.prepare()
            self.applications_tab.set_session(session)
        if session.may(actions.RIGHTS_APPLY):
            self.apply_tab.prepare()

    def load(self) -> None:
        """Fetch what the visible tabs show."""
        if self.session is None:
            return
        for tab, action in ((self.rights_tab, actions.RIGHTS_MANAGE),
                            (self.applications_tab, actions.RIGHTS_MANAGE),
                            (self.devices_tab, actions.DEVICES_MANAGE),
                            (self.camera_tab, actions.POLICY_MANAGE)):
            if self.session.may(action):
                tab.load()
