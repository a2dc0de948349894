"""端末 (DEV-3/6): the device registry — counter terminals and loan devices, active or disabled —
and the remote disable of a lost or retired terminal, with a reason: its next contact with the
centre is refused and it wipes its working data."""
from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QPushButton

from app.admin import DeviceEntry
from ui.common.i18n import fill
from ui.common.ops import Failures
from ui.common.widgets import fill_queue, list_table
from ui.common.worker import Runner
from ui.pages.admin.tab import ActionListTab, reason_edit, side_by_side


class DevicesClient(Protocol):
    def list_devices(self) -> list[DeviceEntry]: ...

    def disable_device(self, device_id: str, reason: str) -> object: ...


class DevicesTab(ActionListTab[DeviceEntry]):
    def __init__(self, client: DevicesClient, runner: Runner, failures: Failures) -> None:
        super().__init__(runner, failures, "devicesMessage")
        self._client = client
        self.table = list_table([self.tr("端末ID"), self.tr("名称"), self.tr("種別"), self.tr("状態"),
                                 self.tr("貸出承認"), self.tr("停止理由")],
                                "devicesTable", self.tr("端末"))
        self.refresh_button = QPushButton(self.tr("再読み込み"))
        self.reason_edit = reason_edit("disableReason", self.tr("利用停止の理由（例: 紛失届）"))
        self.disable_button = QPushButton(self.tr("選択した端末を利用停止"))
        self.disable_button.setObjectName("disableDeviceButton")
        self.lay_out(side_by_side(self.reason_edit, self.disable_button, self.refresh_button,
                                  wide=self.reason_edit))
        self.disable_button.clicked.connect(self.disable_selected)

    def load(self) -> None:
        self.ops.run(self._client.list_devices, self._show)

    def _show(self, devices: list[DeviceEntry]) -> None:
        self.rows = devices
        kinds = {"counter": self.tr("窓口端末"), "loan": self.tr("貸出端末")}
        states = {"active": self.tr("利用中"), "disabled": self.tr("利用停止")}
        fill_queue(self.table, [[d.device_id, d.name, kinds.get(d.kind, d.kind),
                                 states.get(d.status, d.status), d.loan_approval, d.disabled_reason]
                                for d in devices])

    def disable_selected(self) -> None:
        device = self.chosen(self.tr("利用停止する端末を一覧から選んでください"))
        if device is None:
            return
        reason = self.reason(self.tr("利用停止の理由を入力してください"))
        if reason is None:
            return
        client, device_id = self._client, device.device_id
        self.act(lambda: client.disable_device(device_id, reason),
                 fill(self.tr("端末 %1 を利用停止にしました。次の通信で作業データが消去されます"), device_id))
