"""管理画面: the security admin's and IT staff's tools in the client (AUTHZ-6/9, LOG-10, DEV-3/6).

Tabs appear only for holders of the matching right (the centre checks again on every call):
* 権限一覧 — every grant with its status; revoke one (effective from the next request, AUTHZ-6);
  export the list as CSV to reconcile with the rights sheet (AUTHZ-9);
* アクセス点検 — the daily access-log review (LOG-10: off-hours reads, 支援措置 subjects, failed
  logins, unusual volume);
* 監査ログ — verify the audit hash chain;
* 端末 — the device registry; disable a lost or retired terminal (DEV-3).
No screen here ever shows a My Number or a resident's 4情報; every call runs through the runner.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import clock
from app.api_client import ApiError, OperatorSession
from ui.common.busy import BusyIndicator
from ui.common.errors import error_message
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.worker import Runner

SECURITY_ADMIN = "security_admin"
IT_ADMIN = "it_admin"
ADMIN_RIGHTS = (SECURITY_ADMIN, IT_ADMIN)


def is_admin(session: OperatorSession) -> bool:
    return any(session.has_right(r) for r in ADMIN_RIGHTS)


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))


def _message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


def _show(label: QLabel, text: str, error: bool) -> None:
    label.setText(text)
    label.setStyleSheet("color: #b00020; font-weight: bold;" if error else "color: #1b5e20;")
    label.setVisible(bool(text))


class DetectorPreview(QWidget):
    """What the face detector sees, as boxes on a blank frame — never the camera image (PRIV-1)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detectorPreview")
        self.setMinimumSize(320, 240)
        self.faces: tuple[Any, ...] = ()
        self.frame_size = (640, 480)
        self.fault: str | None = None
        self.frames = 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(320, 240)

    def show_result(self, result: Any) -> None:
        """A camera result (``FrameResult`` or ``NoFrame``): keep the boxes, repaint."""
        health = getattr(result, "health", None)
        if health is None:
            self.faces, self.fault = (), getattr(result, "reason", "missing")
        else:
            self.faces = tuple(getattr(result, "faces", ()))
            self.fault = health.fault
            self.frame_size = (int(getattr(result, "width", 640)), int(getattr(result, "height", 480)))
        self.frames += 1
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(30, 34, 40))
        w, h = self.frame_size
        scale = min(self.width() / max(1, w), self.height() / max(1, h))
        ox, oy = (self.width() - w * scale) / 2, (self.height() - h * scale) / 2
        painter.setPen(QPen(QColor(90, 90, 90), 1))
        painter.drawRect(QRectF(ox, oy, w * scale, h * scale))
        largest = max(self.faces, key=lambda f: f.w * f.h, default=None)
        for face in self.faces:
            colour = QColor(60, 200, 90) if face is largest else QColor(230, 60, 60)
            painter.setPen(QPen(colour, 2))
            painter.drawRect(QRectF(ox + face.x * scale, oy + face.y * scale, face.w * scale, face.h * scale))
            painter.drawText(QRectF(ox + face.x * scale, oy + face.y * scale - 16, 80, 16),
                             int(Qt.AlignmentFlag.AlignLeft), f"{face.score:.2f}")
        if self.fault:
            painter.setPen(QColor(255, 200, 0))
            painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), self.fault)
        painter.end()


class AdminPage(QWidget):
    """Emits ``logout_requested`` and ``session_ended(message)`` like the other pages."""

    logout_requested = Signal()
    session_ended = Signal(str)
    cameras_requested = Signal()  # look for this terminal's cameras (in the background)
    camera_chosen = Signal(str)  # "device:N" | "synthetic" | "none"

    def __init__(self, client: Any, runner: Runner, *, failures: Failures | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.failures = failures if failures is not None else Failures()  # shared failures (ui.common.ops)
        self._client = client
        self.busy = BusyIndicator(self)  # every wait shows it and a busy cursor
        self._runner = self.busy.wrap(runner)
        self.session: OperatorSession | None = None
        self.rights: list[dict[str, Any]] = []
        self.devices: list[dict[str, Any]] = []

        title = QLabel(self.tr("管理"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.operator_label = QLabel()
        self.logout_button = QPushButton(self.tr("ログアウト"))
        self.logout_button.setObjectName("adminLogout")
        self.logout_button.clicked.connect(self.logout_requested)
        banner = QHBoxLayout()
        banner.addWidget(title)
        banner.addStretch(1)
        banner.addWidget(self.operator_label)
        banner.addWidget(self.logout_button)

        self.tabs = QTabWidget()
        self.tabs.tabBar().setAccessibleName(self.tr("管理"))
        self._build_rights_tab()
        self._build_review_tab()
        self._build_audit_tab()
        self._build_devices_tab()
        self._build_camera_tab()

        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addLayout(banner)
        layout.addWidget(self.tabs)

    # -- tabs ------------------------------------------------------------------

    def _build_rights_tab(self) -> None:
        self.rights_tab = QWidget()
        self.rights_table = _table([self.tr("職員ID"), self.tr("氏名"), self.tr("権限"),
                                    self.tr("開始"), self.tr("期限"), self.tr("状態"),
                                    self.tr("付与者")])
        self.rights_table.setObjectName("rightsTable")
        self.rights_table.setAccessibleName(self.tr("権限一覧"))
        self.refresh_rights_button = QPushButton(self.tr("再読み込み"))
        self.revoke_reason_edit = QLineEdit()
        self.revoke_reason_edit.setObjectName("revokeReason")
        self.revoke_reason_edit.setPlaceholderText(self.tr("失効の理由（例: 異動のため）"))
        self.revoke_reason_edit.setAccessibleName(self.tr("失効の理由（例: 異動のため）"))
        self.revoke_reason_edit.setMaxLength(200)
        self.revoke_button = QPushButton(self.tr("選択した権限を失効"))
        self.revoke_button.setObjectName("revokeButton")
        self.csv_path_edit = QLineEdit()
        self.csv_path_edit.setObjectName("rightsCsvPath")
        self.csv_path_edit.setAccessibleName(self.tr("書き出し先"))
        self.export_button = QPushButton(self.tr("CSVに書き出す"))
        self.export_button.setObjectName("exportRightsButton")
        self.rights_message = _message_label("rightsMessage")
        row1 = QHBoxLayout()
        row1.addWidget(self.revoke_reason_edit, 1)
        row1.addWidget(self.revoke_button)
        row2 = QHBoxLayout()
        row2.addWidget(QLabel(self.tr("書き出し先")))
        row2.addWidget(self.csv_path_edit, 1)
        row2.addWidget(self.export_button)
        row2.addWidget(self.refresh_rights_button)
        layout = QVBoxLayout(self.rights_tab)
        layout.addWidget(self.rights_table)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.rights_message)
        self.refresh_rights_button.clicked.connect(self.load_rights)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.export_button.clicked.connect(self.export_rights)

    def _build_review_tab(self) -> None:
        self.review_tab = QWidget()
        self.review_date = QDateEdit()
        self.review_date.setObjectName("reviewDate")
        self.review_date.setAccessibleName(self.tr("点検する日"))
        self.review_date.setCalendarPopup(True)
        self.review_date.setDisplayFormat("yyyy-MM-dd")
        d = clock.today()  # the day in Japan, as the central API reviews it
        self.review_date.setDate(QDate(d.year, d.month, d.day))
        self.review_button = QPushButton(self.tr("点検する"))
        self.review_button.setObjectName("runReviewButton")
        self.review_summary = QLabel()
        self.review_summary.setObjectName("reviewSummary")
        self.review_table = _table([self.tr("種類"), self.tr("職員"), self.tr("端末"),
                                    self.tr("日時"), self.tr("内容")])
        self.review_table.setObjectName("reviewFindings")
        self.review_table.setAccessibleName(self.tr("アクセス点検"))
        self.review_message = _message_label("reviewMessage")
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("点検する日")))
        row.addWidget(self.review_date)
        row.addWidget(self.review_button)
        row.addStretch(1)
        layout = QVBoxLayout(self.review_tab)
        layout.addLayout(row)
        layout.addWidget(self.review_summary)
        layout.addWidget(self.review_table)
        layout.addWidget(self.review_message)
        self.review_button.clicked.connect(self.run_review)

    def _build_audit_tab(self) -> None:
        self.audit_tab = QWidget()
        self.verify_button = QPushButton(self.tr("監査ログの改ざん検査を実行"))
        self.verify_button.setObjectName("verifyAuditButton")
        self.verify_result = _message_label("verifyResult")
        layout = QVBoxLayout(self.audit_tab)
        layout.addWidget(QLabel(self.tr("監査ログは追記のみで、各行が前の行のハッシュを含みます。"
                                        "検査は全行をたどり、最初に一致しない行を示します。")))
        layout.addWidget(self.verify_button)
        layout.addWidget(self.verify_result)
        layout.addStretch(1)
        self.verify_button.clicked.connect(self.verify_audit)

    def _build_devices_tab(self) -> None:
        self.devices_tab = QWidget()
        self.devices_table = _table([self.tr("端末ID"), self.tr("名称"), self.tr("種別"),
                                     self.tr("状態"), self.tr("貸出承認"), self.tr("停止理由")])
        self.devices_table.setObjectName("devicesTable")
        self.devices_table.setAccessibleName(self.tr("端末"))
        self.refresh_devices_button = QPushButton(self.tr("再読み込み"))
        self.disable_reason_edit = QLineEdit()
        self.disable_reason_edit.setObjectName("disableReason")
        self.disable_reason_edit.setPlaceholderText(self.tr("利用停止の理由（例: 紛失届）"))
        self.disable_reason_edit.setAccessibleName(self.tr("利用停止の理由（例: 紛失届）"))
        self.disable_reason_edit.setMaxLength(200)
        self.disable_button = QPushButton(self.tr("選択した端末を利用停止"))
        self.disable_button.setObjectName("disableDeviceButton")
        self.devices_message = _message_label("devicesMessage")
        row = QHBoxLayout()
        row.addWidget(self.disable_reason_edit, 1)
        row.addWidget(self.disable_button)
        row.addWidget(self.refresh_devices_button)
        layout = QVBoxLayout(self.devices_tab)
        layout.addWidget(self.devices_table)
        layout.addLayout(row)
        layout.addWidget(self.devices_message)
        self.refresh_devices_button.clicked.connect(self.load_devices)
        self.disable_button.clicked.connect(self.disable_selected)

    def _build_camera_tab(self) -> None:
        self.camera_tab = QWidget()
        self.k_spin = QSpinBox()
        self.k_spin.setObjectName("onlookerK")
        self.k_spin.setRange(1, 10)
        self.m_spin = QSpinBox()
        self.m_spin.setObjectName("onlookerM")
        self.m_spin.setRange(1, 100)
        self.absent_spin = QSpinBox()
        self.absent_spin.setObjectName("absentSeconds")
        self.absent_spin.setRange(10, 600)
        self.absent_spin.setSuffix(self.tr(" 秒"))
        self.fail_closed_check = QCheckBox(self.tr("カメラに異常があれば画面を隠す（推奨）"))
        self.fail_closed_check.setObjectName("failClosed")
        self.min_score_spin = QDoubleSpinBox()
        self.min_score_spin.setObjectName("minScore")
        self.min_score_spin.setRange(0.0, 0.95)
        self.min_score_spin.setSingleStep(0.05)
        self.save_policy_button = QPushButton(self.tr("保存（次回のログインから適用）"))
        self.save_policy_button.setObjectName("savePolicyButton")
        self.policy_message = _message_label("policyMessage")
        self.camera_label = QLabel()
        self.camera_label.setObjectName("cameraInUse")
        self.camera_combo = QComboBox()
        self.camera_combo.setObjectName("cameraChoice")
        self.camera_combo.setAccessibleName(self.tr("使用するカメラ"))
        self.find_cameras_button = QPushButton(self.tr("カメラを探す"))
        self.use_camera_button = QPushButton(self.tr("このカメラを使う（この端末）"))
        self.use_camera_button.setObjectName("useCameraButton")
        self.find_cameras_button.clicked.connect(self.cameras_requested)
        self.use_camera_button.clicked.connect(self._choose_camera)
        self.preview = DetectorPreview()
        form = QFormLayout()
        form.addRow(self.tr("遮蔽までのフレーム数"), self.k_spin)
        form.addRow(self.tr("解除までのフレーム数"), self.m_spin)
        form.addRow(self.tr("離席と判断する時間"), self.absent_spin)
        form.addRow("", self.fail_closed_check)
        form.addRow(self.tr("検出の最低信頼度（感度）"), self.min_score_spin)
        form.addRow("", self.save_policy_button)
        form.addRow("", self.policy_message)
        left = QWidget()
        left.setLayout(form)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("検出の様子（枠のみ。映像は表示・保存しません）")))
        right.addWidget(self.preview, 1)
        right.addWidget(self.camera_label)
        choose = QHBoxLayout()
        choose.addWidget(self.camera_combo, 1)
        choose.addWidget(self.find_cameras_button)
        choose.addWidget(self.use_camera_button)
        right.addLayout(choose)
        row = QHBoxLayout(self.camera_tab)
        row.addWidget(left)
        row.addLayout(right, 1)
        self.save_policy_button.clicked.connect(self.save_policy)

    def _choose_camera(self) -> None:
        spec = self.camera_combo.currentData()
        if spec:
            self.camera_chosen.emit(spec)

    def set_cameras(self, choices: list[tuple[str, str]], current: str) -> None:
        """The cameras this terminal can use, as (spec, label), and the one in use."""
        self.camera_combo.clear()
        for spec, label in choices:
            self.camera_combo.addItem(label, spec)
        index = self.camera_combo.findData(current)
        self.camera_combo.setCurrentIndex(max(0, index))
        label = next((lbl for spec, lbl in choices if spec == current), current)
        self.camera_label.setText(fill(self.tr("使用中のカメラ: %1"), label))

    # -- session -----------------------------------------------------------------

    def set_session(self, session: OperatorSession | None) -> None:
        """Show only the tabs this operator may use; ``None`` wipes everything."""
        self.session = session
        self.tabs.clear()
        for table in (self.rights_table, self.review_table, self.devices_table):
            table.setRowCount(0)
        for label in (self.rights_message, self.review_message, self.verify_result,
                      self.devices_message, self.policy_message):
            _show(label, "", False)
        self.review_summary.clear()
        self.rights, self.devices = [], []
        if session is None:
            self.operator_label.clear()
            return
        self.operator_label.setText(fill(self.tr("%1 さん（%2）"), session.operator.display_name,
                                         session.operator.login_id))
        security = session.has_right(SECURITY_ADMIN)
        if security:
            self.tabs.addTab(self.rights_tab, self.tr("権限一覧"))
            self.tabs.addTab(self.review_tab, self.tr("アクセス点検"))
            self.tabs.addTab(self.audit_tab, self.tr("監査ログ"))
            today = clock.today().strftime("%Y%m%d")
            self.csv_path_edit.setText(str(Path.home() / f"madoguchi-rights-{today}.csv"))
        if security or session.has_right(IT_ADMIN):
            self.tabs.addTab(self.devices_tab, self.tr("端末"))
        if security:
            self.tabs.addTab(self.camera_tab, self.tr("覗き込み対策"))

    def load(self) -> None:
        """Fetch what the visible tabs show."""
        if self.session is None:
            return
        if self.session.has_right(SECURITY_ADMIN):
            self.load_rights()
        if any(self.session.has_right(r) for r in ADMIN_RIGHTS):
            self.load_devices()
        if self.session.has_right(SECURITY_ADMIN):
            self.load_policy()

    def _failed(self, label: QLabel, exc: Exception) -> None:
        if isinstance(exc, ApiError) and exc.ends_session:
            self.session_ended.emit(error_message(exc))
            return
        _show(label, error_message(exc), True)

    # -- rights --------------------------------------------------------------------

    def load_rights(self) -> None:
        self._runner(self._client.list_rights, self._show_rights,
                     lambda exc: self._failed(self.rights_message, exc))

    def _show_rights(self, rows: list[dict[str, Any]]) -> None:
        self.rights = rows
        status = {"valid": self.tr("有効"), "expired": self.tr("期限切れ"),
                  "revoked": self.tr("失効"), "future": self.tr("開始前")}
        _fill(self.rights_table, [[r.get("login_id", ""), r.get("display_name", ""),
                                   r.get("right_ja", r.get("right", "")), r.get("valid_from", ""),
                                   r.get("valid_until", ""),
                                   status.get(r.get("status", ""), r.get("status", "")),
                                   r.get("granted_by", "")] for r in rows])

    def revoke_selected(self) -> None:
        row = self.rights_table.currentRow()
        if row < 0 or row >= len(self.rights):
            _show(self.rights_message, self.tr("失効させる権限を一覧から選んでください"), True)
            return
        grant = self.rights[row]
        if grant.get("status") == "revoked":
            _show(self.rights_message, self.tr("この権限はすでに失効しています"), True)
            return
        reason = self.revoke_reason_edit.text().strip()
        if not reason:
            _show(self.rights_message, self.tr("失効の理由を入力してください"), True)
            self.revoke_reason_edit.setFocus()
            return
        client, grant_id = self._client, int(grant["grant_id"])

        def done(_result: object) -> None:
            self.revoke_reason_edit.clear()
            _show(self.rights_message, fill(self.tr("%1 さんの権限「%2」を失効させました（次の操作から有効）"),
                                            grant.get("login_id", ""), grant.get("right_ja", "")), False)
            self.load_rights()

        self._runner(lambda: client.revoke_right(grant_id, reason), done,
                     lambda exc: self._failed(self.rights_message, exc))

    def export_rights(self) -> None:
        text = self.csv_path_edit.text().strip()
        if not text:
            _show(self.rights_message, self.tr("書き出し先のファイル名を入力してください"), True)
            return
        path = Path(text).expanduser()
        if not path.parent.is_dir():
            _show(self.rights_message, fill(self.tr("フォルダー %1 がありません"), str(path.parent)), True)
            return
        client = self._client

        def fetch_and_write() -> int:
            data = client.export_rights_csv()
            path.write_bytes(data)
            path.chmod(0o600)
            return data.count(b"\n") - 1

        def done(rows: int) -> None:
            _show(self.rights_message, fill(self.tr("%1 件を %2 に書き出しました"), rows, str(path)), False)

        def failed(exc: Exception) -> None:
            if isinstance(exc, OSError):
                _show(self.rights_message, fill(self.tr("ファイルに書き込めません: %1"), str(path)), True)
            else:
                self._failed(self.rights_message, exc)

        self._runner(fetch_and_write, done, failed)

    # -- access review -------------------------------------------------------------

    def run_review(self) -> None:
        day = self.review_date.date().toPython()
        client = self._client
        self.review_button.setEnabled(False)

        def failed(exc: Exception) -> None:
            self.review_button.setEnabled(True)
            self._failed(self.review_message, exc)

        self._runner(lambda: client.access_review(day), self._show_review, failed)

    def _show_review(self, report: dict[str, Any]) -> None:
        self.review_button.setEnabled(True)
        findings = report.get("findings") or []
        kinds = {"off_hours": self.tr("時間外参照"), "support_measure_access": self.tr("支援措置対象者の参照"),
                 "failed_logins": self.tr("ログイン失敗"), "unusual_volume": self.tr("参照件数過多")}
        self.review_summary.setText(fill(self.tr("%1 の記録 %2 件を点検しました。要確認 %3 件"),
                                         report.get("date", ""), report.get("events", 0), len(findings)))
        _fill(self.review_table, [[kinds.get(f.get("kind", ""), f.get("kind", "")),
                                   f.get("operator") or "", f.get("device") or "",
                                   (f.get("at") or "")[:19].replace("T", " "),
                                   f.get("detail_ja") or f.get("detail") or ""] for f in findings])
        _show(self.review_message, "" if findings else self.tr("要確認の記録はありません"), False)

    # -- audit chain ---------------------------------------------------------------

    def verify_audit(self) -> None:
        self.verify_button.setEnabled(False)

        def done(result: dict[str, Any]) -> None:
            self.verify_button.setEnabled(True)
            if result.get("ok"):
                _show(self.verify_result, fill(self.tr("正常です（%1 行を検査）"),
                                               result.get("rows_checked", 0)), False)
            else:
                _show(self.verify_result, fill(self.tr("改ざんの疑いがあります: 第 %1 行（%2）"),
                                               result.get("first_broken_seq"), result.get("reason") or ""), True)

        def failed(exc: Exception) -> None:
            self.verify_button.setEnabled(True)
            self._failed(self.verify_result, exc)

        self._runner(self._client.verify_audit, done, failed)

    # -- 覗き込み対策 (PRIV-1) ---------------------------------------------------------

    def load_policy(self) -> None:
        self._runner(self._client.onlooker_policy, self._show_policy,
                     lambda exc: self._failed(self.policy_message, exc))

    def _show_policy(self, value: dict[str, Any]) -> None:
        self.k_spin.setValue(int(value.get("k", 2)))
        self.m_spin.setValue(int(value.get("m", 25)))
        self.absent_spin.setValue(int(value.get("absent_seconds", 60)))
        self.fail_closed_check.setChecked(bool(value.get("fail_closed", True)))
        self.min_score_spin.setValue(float(value.get("min_score", 0.0)))

    def save_policy(self) -> None:
        value = {"k": self.k_spin.value(), "m": self.m_spin.value(),
                 "absent_seconds": self.absent_spin.value(),
                 "fail_closed": self.fail_closed_check.isChecked(),
                 "min_score": round(self.min_score_spin.value(), 2)}
        client = self._client

        def done(saved: dict[str, Any]) -> None:
            self._show_policy(saved)
            warning = "" if saved.get("fail_closed") else self.tr(
                "（注意: カメラ異常時に画面を隠さない設定です）")
            _show(self.policy_message, self.tr("保存しました。各端末の次回ログインから適用されます") + warning,
                  not saved.get("fail_closed"))

        self._runner(lambda: client.set_onlooker_policy(value), done,
                     lambda exc: self._failed(self.policy_message, exc))

    # -- devices -------------------------------------------------------------------

    def load_devices(self) -> None:
        self._runner(self._client.list_devices, self._show_devices,
                     lambda exc: self._failed(self.devices_message, exc))

    def _show_devices(self, rows: list[dict[str, Any]]) -> None:
        self.devices = rows
        kinds = {"counter": self.tr("窓口端末"), "loan": self.tr("貸出端末")}
        states = {"active": self.tr("利用中"), "disabled": self.tr("利用停止")}
        _fill(self.devices_table, [[d.get("device_id", ""), d.get("name", ""),
                                    kinds.get(d.get("kind", ""), d.get("kind", "")),
                                    states.get(d.get("status", ""), d.get("status", "")),
                                    " ".join(x for x in (d.get("loan_approved_by"), d.get("loan_approval_ref")) if x),
                                    d.get("disabled_reason") or ""] for d in rows])

    def disable_selected(self) -> None:
        row = self.devices_table.currentRow()
        if row < 0 or row >= len(self.devices):
            _show(self.devices_message, self.tr("利用停止する端末を一覧から選んでください"), True)
            return
        device = self.devices[row]
        reason = self.disable_reason_edit.text().strip()
        if not reason:
            _show(self.devices_message, self.tr("利用停止の理由を入力してください"), True)
            self.disable_reason_edit.setFocus()
            return
        client, device_id = self._client, str(device["device_id"])

        def done(_result: object) -> None:
            self.disable_reason_edit.clear()
            _show(self.devices_message, fill(self.tr("端末 %1 を利用停止にしました。次の通信で作業データが消去されます"),
                                             device_id), False)
            self.load_devices()

        self._runner(lambda: client.disable_device(device_id, reason), done,
                     lambda exc: self._failed(self.devices_message, exc))
