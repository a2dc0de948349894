"""申請書カタログ as the centre enforces it (#23; K-WF-4.3, K-DQ-12, K-WF-4.5).

The terminals draw their forms from ``resources/forms.toml``; the centre reads the same file so that
what a terminal sends is held to it, not taken on its word: a form the catalogue does not list is
refused, a form goes only to its own division's feed, its items are only the items the form has
(a 国保 form cannot carry the 児童手当 口座), each item is text, and the retention is the
catalogue's, not the terminal's. ``MADOGUCHI_FORMS_CATALOGUE`` points elsewhere for a deployment
whose catalogue lives beside its configuration. Read once per process; no I/O after that.
"""
from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "resources" / "forms.toml"


@dataclass(frozen=True)
class FormRule:
    """One form as the centre accepts it."""

    id: str
    title: str
    division_id: str
    retention_years: int
    value_keys: frozenset[str]
    row_keys: frozenset[str]


def _path() -> Path:
    return Path(os.environ.get("MADOGUCHI_FORMS_CATALOGUE") or DEFAULT_PATH)


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, FormRule]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = {}
    for form in data.get("form", []):
        rules[str(form["id"])] = FormRule(
            id=str(form["id"]), title=str(form["title"]), division_id=str(form["division_id"]),
            retention_years=int(form["retention_years"]),
            value_keys=frozenset(str(f["id"]) for f in form.get("fields", [])),
            row_keys=frozenset(str(f["id"]) for f in form.get("person_fields", [])))
    return rules


def rules() -> dict[str, FormRule]:
    """Form id → its rule, from the catalogue file."""
    return _load(_path())


def rule(form_id: str) -> FormRule | None:
    return rules().get(form_id)
