"""手続きカタログと聞き取り (life-event interview, 書かない窓口, K-WF-4): which procedures a case needs.

The catalogue is data (``resources/procedures.toml``): life events, yes/no questions and procedures
(each with its division, counter, forms, the standard-spec function id and, for this counter's own
work, the 異動届 kind to enter). ``plan`` turns the events the clerk picked and the answers into a
``Plan``: the 異動届 to enter here and the other procedures, in catalogue order, each once. The
手続き案内票 (procedure guide) lines come from the plan alone: no name, address or number of anyone
(K-WF-4.7), so a 支援措置 person's address can never reach it. Pure functions, no Qt.
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "resources" / "procedures.toml"
IDOU_KINDS = ("tennyu", "tenkyo", "tenshutsu", "setai_henko", "shussei", "shibou")


class CatalogueError(ValueError):
    """The catalogue file is not usable; ``message_ja`` says why, for the administrator."""

    def __init__(self, message_ja: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_ja = message_ja


@dataclass(frozen=True)
class Procedure:
    """手続き: one procedure, at this counter (``idou_kind`` set) or at another division's."""

    id: str
    name: str
    division: str
    counter: str
    standard_function_id: str
    forms: tuple[str, ...]
    idou_kind: str | None = None


@dataclass(frozen=True)
class Question:
    """聞き取り項目: a yes/no question; a yes adds ``adds``."""

    id: str
    text: str
    adds: tuple[str, ...]


@dataclass(frozen=True)
class LifeEvent:
    """ライフイベント: what happened (引越し, 出生, 死亡, …)."""

    id: str
    label: str
    procedures: tuple[str, ...]
    questions: tuple[str, ...]
    always: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    version: int
    events: tuple[LifeEvent, ...]
    questions: Mapping[str, Question]
    procedures: Mapping[str, Procedure]

    def event(self, event_id: str) -> LifeEvent:
        for e in self.events:
            if e.id == event_id:
                return e
        raise KeyError(event_id)

    def questions_for(self, event_ids: Iterable[str]) -> list[Question]:
        """The questions of the chosen events, each once, in the order first asked."""
        seen: dict[str, Question] = {}
        for event_id in event_ids:
            for q in self.event(event_id).questions:
                seen.setdefault(q, self.questions[q])
        return list(seen.values())


@dataclass(frozen=True)
class Plan:
    """The case's procedures: ``here`` (異動届 entered at this counter) and ``elsewhere``."""

    events: tuple[str, ...]
    procedures: tuple[Procedure, ...]

    @property
    def here(self) -> tuple[Procedure, ...]:
        return tuple(p for p in self.procedures if p.idou_kind is not None)

    @property
    def elsewhere(self) -> tuple[Procedure, ...]:
        return tuple(p for p in self.procedures if p.idou_kind is None)

    @property
    def idou_kinds(self) -> tuple[str, ...]:
        return tuple(p.idou_kind for p in self.here if p.idou_kind)

    @property
    def shares_with_other_divisions(self) -> bool:
        """True when another division gets this case's data: the clerk tells the resident
        (000 L9197-9207, K-WF-4.5)."""
        return any(p.division != "市民課" for p in self.procedures)


def _strs(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogueError(f"手続きカタログの {where} は文字列の一覧でなければなりません",
                             f"{where} must be a list of strings")
    return tuple(value)


def _field(entry: Mapping[str, object], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"手続きカタログの {where} に {key} がありません",
                             f"{where} has no {key}")
    return value


def parse(data: Mapping[str, object]) -> Catalogue:
    """Build and check a catalogue from parsed TOML."""
    procs: dict[str, Procedure] = {}
    for i, p in enumerate(data.get("procedure", []) or []):
        where = f"procedure[{i}]"
        pid = _field(p, "id", where)
        kind = p.get("idou_kind")
        if kind is not None and kind not in IDOU_KINDS:
            raise CatalogueError(f"手続き {pid} の idou_kind「{kind}」は使えません",
                                 f"procedure {pid}: unknown idou_kind {kind!r}")
        if pid in procs:
            raise CatalogueError(f"手続き {pid} が二度定義されています", f"duplicate procedure {pid}")
        procs[pid] = Procedure(pid, _field(p, "name", where), _field(p, "division", where),
                               _field(p, "counter", where),
                               _field(p, "standard_function_id", where),
                               _strs(p.get("forms", []), f"{where}.forms"), kind)
    questions: dict[str, Question] = {}
    for i, q in enumerate(data.get("question", []) or []):
        where = f"question[{i}]"
        qid = _field(q, "id", where)
        questions[qid] = Question(qid, _field(q, "text", where), _strs(q.get("adds", []),
                                                                         f"{where}.adds"))
    events = []
    for i, e in enumerate(data.get("event", []) or []):
        where = f"event[{i}]"
        events.append(LifeEvent(_field(e, "id", where), _field(e, "label", where),
                                _strs(e.get("procedures", []), f"{where}.procedures"),
                                _strs(e.get("questions", []), f"{where}.questions"),
                                _strs(e.get("always", []), f"{where}.always")))
    for ref in [x for q in questions.values() for x in q.adds] + \
               [x for e in events for x in e.procedures + e.always]:
        if ref not in procs:
            raise CatalogueError(f"手続きカタログが未定義の手続き {ref} を参照しています",
                                 f"unknown procedure {ref}")
    for e in events:
        for q in e.questions:
            if q not in questions:
                raise CatalogueError(f"手続きカタログが未定義の質問 {q} を参照しています",
                                     f"unknown question {q}")
    if not events:
        raise CatalogueError("手続きカタログにライフイベントがありません", "no events")
    return Catalogue(int(data.get("version", 1)), tuple(events), questions, procs)


def load(path: Path = CATALOGUE_PATH) -> Catalogue:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError("手続きカタログを読み込めません。情報主管課に連絡してください",
                             f"cannot read the procedure catalogue: {exc}") from exc
    return parse(data)


def plan(catalogue: Catalogue, events: Iterable[str], answers: Mapping[str, bool]) -> Plan:
    """The procedures for ``events`` given yes/no ``answers`` (unanswered = no), each once,
    in catalogue order."""
    events = tuple(events)
    if not events:
        raise ValueError("no life event chosen")
    wanted: set[str] = set()
    asked = {q.id for q in catalogue.questions_for(events)}
    for event_id in events:
        e = catalogue.event(event_id)
        wanted.update(e.procedures)
        wanted.update(e.always)
    for qid, yes in answers.items():
        if yes and qid in asked:
            wanted.update(catalogue.questions[qid].adds)
    ordered = tuple(p for pid, p in catalogue.procedures.items() if pid in wanted)
    return Plan(events, ordered)


@dataclass(frozen=True)
class GuideLine:
    counter: str
    division: str
    procedure: str
    forms: tuple[str, ...]


def guide(plan_: Plan) -> list[GuideLine]:
    """手続き案内票: where to go next and what to bring. Procedures only: never a person's data."""
    return [GuideLine(p.counter, p.division, p.name, p.forms) for p in plan_.procedures]
