"""2. 聞き取り (ライフイベント): the life events ticked, the questions they raise, and the procedures
that follow (``app.procedures``, from ``resources/procedures.toml``), with the 手続き案内票 button and
the notice that other divisions will be told. The plan is the catalogue's; this box only asks
and lists."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QListWidget, QVBoxLayout

from app import procedures
from ui.common.keys import Button
from ui.common.widgets import WARNING_STYLE, text_label


class InterviewBox(QGroupBox):
    """The interview part of the case page; ``planned`` after every change of events or answers."""

    planned = Signal()

    def __init__(self, catalogue: procedures.Catalogue, key_filter: QObject) -> None:
        super().__init__()
        self.setTitle(self.tr("2. 聞き取り（ライフイベント）"))
        self.catalogue = catalogue
        self._key_filter = key_filter  # Return on a box: on to the 届出 (the page decides)
        self.plan: procedures.Plan | None = None
        layout = QVBoxLayout(self)
        events_row = QHBoxLayout()
        self.event_checks: dict[str, QCheckBox] = {}
        for event in catalogue.events:
            box = QCheckBox(event.label)
            box.setObjectName(f"event_{event.id}")
            box.toggled.connect(self.rebuild_questions)
            box.installEventFilter(key_filter)
            self.event_checks[event.id] = box
            events_row.addWidget(box)
        events_row.addStretch(1)
        layout.addLayout(events_row)
        self.questions_box = QVBoxLayout()
        self.question_checks: dict[str, QCheckBox] = {}
        layout.addLayout(self.questions_box)
        self.procedure_list = QListWidget()
        self.procedure_list.setObjectName("procedureList")
        self.procedure_list.setAccessibleName(self.tr("必要な手続き"))
        self.procedure_list.setMaximumHeight(150)
        procedures_label = QLabel(self.tr("必要な手続き(&L)"))
        procedures_label.setBuddy(self.procedure_list)
        layout.addWidget(procedures_label)
        layout.addWidget(self.procedure_list)
        self.sharing_label = text_label("sharingNotice", WARNING_STYLE)
        layout.addWidget(self.sharing_label)
        self.guide_button = Button(self.tr("手続き案内票を印刷(&G)"))
        self.guide_button.setObjectName("printGuideButton")
        self.guide_button.setAutoDefault(True)
        layout.addWidget(self.guide_button, 0, Qt.AlignmentFlag.AlignLeft)

    def chosen_events(self) -> list[str]:
        return [eid for eid, box in self.event_checks.items() if box.isChecked()]

    def answers(self) -> dict[str, bool]:
        return {qid: box.isChecked() for qid, box in self.question_checks.items()}

    def rebuild_questions(self) -> None:
        previous = self.answers()
        for box in self.question_checks.values():
            self.questions_box.removeWidget(box)
            box.deleteLater()
        self.question_checks = {}
        for q in self.catalogue.questions_for(self.chosen_events()):
            box = QCheckBox(q.text)
            box.setObjectName(f"question_{q.id}")
            box.setChecked(previous.get(q.id, False))
            box.toggled.connect(self.replan)
            box.installEventFilter(self._key_filter)
            self.questions_box.addWidget(box)
            box.show()  # at once (a layout would show it later), so Tab can reach it now
            self.question_checks[q.id] = box
        self.replan()

    def replan(self) -> None:
        events = self.chosen_events()
        self.procedure_list.clear()
        self.plan = procedures.plan(self.catalogue, events, self.answers()) if events else None
        if self.plan is None:
            self.sharing_label.clear()
        else:
            for p in self.plan.procedures:
                where = self.tr("この窓口") if p.idou_kind else f"{p.division}　{p.counter}"
                self.procedure_list.addItem(f"{p.name}（{where}）")
            self.sharing_label.setText(
                self.tr("他の課の手続きがあります。届出の情報を関係課と共有することを来庁者に説明してください。")
                if self.plan.shares_with_other_divisions else "")
        self.planned.emit()

    def restore(self, events: list[str], answers: dict[str, bool]) -> None:
        """A resumed case: its events and answers as they were."""
        for eid, box in self.event_checks.items():
            box.blockSignals(True)
            box.setChecked(eid in events)
            box.blockSignals(False)
        self.rebuild_questions()
        for qid, box in self.question_checks.items():
            box.setChecked(answers.get(qid, False))

    def reset(self) -> None:
        for box in self.event_checks.values():
            box.setChecked(False)
        self.procedure_list.clear()
        self.sharing_label.clear()

    def set_open(self, on: bool) -> None:
        for box in self.event_checks.values():
            box.setEnabled(on)
