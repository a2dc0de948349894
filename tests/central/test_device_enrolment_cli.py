"""Device enrolment and a lost loan laptop, with the commands of packaging/README.md (#9, DEV-3)."""

import base64
import os

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from central.cli import main as cli_main
from central.models import AuditEvent, Device
from tools.provision import main as provision


def test_enrol_a_loan_laptop_then_disable_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MADOGUCHI_DATA_KEY", base64.b64encode(os.urandom(32)).decode())
    url = f"sqlite:///{tmp_path / 'central.db'}"
    assert cli_main(["--database-url", url, "migrate"]) == 0
    key, pub = tmp_path / "device.pem", tmp_path / "LOAN-0007.pub"
    assert provision(["device-key", "--device-id", "LOAN-0007", "--key", str(key), "--pub", str(pub)]) == 0
    assert cli_main(["--database-url", url, "register-device", "LOAN-0007", "--name", "貸出PC 7", "--kind", "loan",
                     "--public-key", str(pub), "--loan-approved-by", "総務課長",
                     "--loan-approval-ref", "R8-123"]) == 0
    assert cli_main(["--database-url", url, "disable-device", "--device-id", "LOAN-0007",
                     "--reason", "紛失届", "--by", "secadm01"]) == 0
    assert cli_main(["--database-url", url, "disable-device", "--device-id", "NOPE-1",
                     "--reason", "x", "--by", "secadm01"]) == 2
    assert "cannot disable NOPE-1" in capsys.readouterr().err
    engine = create_engine(url)
    with Session(engine) as db:
        device = db.scalar(select(Device).where(Device.device_id == "LOAN-0007"))
        assert (device.kind, device.status, device.disabled_reason) == ("loan", "disabled", "紛失届")
        actions = db.scalars(select(AuditEvent.action).where(AuditEvent.subject == "device:LOAN-0007")).all()
        assert "devices.disable" in actions
    engine.dispose()
