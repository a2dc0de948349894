"""Building blocks for central tests: valid 異動 commands for synthetic people, and a 支援措置
written straight into the register."""
from __future__ import annotations

import datetime as dt
from central import clock  # today in JST, as the centre dates everything
import itertools
import random
import uuid

from japan import mynumber

_seq = itertools.count(1)


def my_number(rng: random.Random | None = None) -> str:
    rng = rng or random.Random(next(_seq) * 7919)
    body = f"{rng.randrange(10**10, 10**11):011d}"
    return body + str(mynumber.check_digit(body))


def wrong_check_digit(valid: str) -> str:
    return valid[:11] + str((int(valid[11]) + 1) % 10)


def tennyu(**person) -> dict:
    today = clock.today()
    n = next(_seq)
    p = {
        "name_kanji": "試験　太郎",
        "name_kana": "シケン　タロウ",
        "birth_date": (dt.date(1950, 1, 1) + dt.timedelta(days=n)).isoformat(),
        "sex": "male",
        # no My Number unless a test gives one: sending one needs 特定個人情報アクセス権限
        "my_number": None,
        "postal_code": "9990001",
        "address": f"架空県さくら市桜町一丁目{n}番1号",
        "katagaki": None,
    }
    p.update(person)
    return {
        "kind": "tennyu",
        "idou_date": (today - dt.timedelta(days=3)).isoformat(),
        "todoke_date": today.isoformat(),
        "person": p,
        "moved_in_from": "架空県もみじ市本町1番1号",
    }


def post(client, body: dict, key: str | None = None):
    return client.post("/v1/commands/idou", json=body,
                       headers={"Idempotency-Key": key or str(uuid.uuid4())})


def new_resident(client, **person) -> dict:
    """Move a synthetic person in through the API and return {id, version, ...}."""
    r = post(client, tennyu(**person))
    assert r.status_code == 201, r.text
    return r.json()


def add_support_measure(central, resident_id: int, *, start: dt.date | None = None,
                        end: dt.date | None = None, perpetrator: str | None = None) -> None:
    """A 支援措置 (DV) for ``resident_id``, from yesterday for 30 days unless ``start`` and ``end``
    say otherwise; with ``perpetrator``, its related person (the 加害者) too."""
    from central.models import SupportMeasure, SupportMeasureRelated

    today = clock.today()
    with central.sessions.begin() as db:
        m = SupportMeasure(target_resident_id=resident_id, category="DV",
                           start_date=start or today - dt.timedelta(days=1),
                           end_date=end or today + dt.timedelta(days=30))
        db.add(m)
        if perpetrator:
            db.flush()
            db.add(SupportMeasureRelated(measure_id=m.id, role="perpetrator", name=perpetrator,
                                         address="架空県もみじ市秘密町9番9号"))
