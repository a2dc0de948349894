"""Roles, rights and the authorisation matrix (AUTHZ-*).

A right is granted for a period that never runs past the fiscal year end (3/31, AUTHZ-7); all rights
are revoked at the fiscal-year rollover (AUTHZ-8); a revocation takes effect on the next request
because effective rights are computed per request from the grants table (AUTHZ-6).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

CLERK = "clerk"  # 窓口職員
REVIEWER = "reviewer"  # 審査担当
SUPERVISOR = "supervisor"  # 所属長・管理責任者
SECURITY_ADMIN = "security_admin"  # 情報主管課 セキュリティ管理者
IT_ADMIN = "it_admin"  # 情報システム担当
CONTRACTOR_CLERK = "contractor_clerk"  # 委託先職員
MY_NUMBER_ACCESS = "my_number_access"  # 特定個人情報アクセス権限 (its own right, AUTHZ-1/2)

ROLES = (CLERK, REVIEWER, SUPERVISOR, SECURITY_ADMIN, IT_ADMIN, CONTRACTOR_CLERK)
ALL_RIGHTS = ROLES + (MY_NUMBER_ACCESS,)

RIGHT_LABELS_JA = {
    CLERK: "窓口職員",
    REVIEWER: "審査担当",
    SUPERVISOR: "所属長",
    SECURITY_ADMIN: "セキュリティ管理者",
    IT_ADMIN: "情報システム担当",
    CONTRACTOR_CLERK: "委託先職員",
    MY_NUMBER_ACCESS: "特定個人情報アクセス権限",
}

_REGISTER_USERS = frozenset({CLERK, REVIEWER, SUPERVISOR, CONTRACTOR_CLERK})

# action -> roles allowed. One table, tested exhaustively (tests/central/test_authz_matrix.py).
ACTIONS: dict[str, frozenset[str]] = {
    "resident.search": _REGISTER_USERS,
    "resident.read": _REGISTER_USERS,
    "idou.submit": frozenset({CLERK, CONTRACTOR_CLERK, SUPERVISOR}),
    "certificate.issue": frozenset({CLERK, CONTRACTOR_CLERK, SUPERVISOR}),
    # 支援措置 (WF-7): whoever may issue may ask for the 所属長's decision; only a supervisor
    # decides, and never on a request of their own (checked in the route).
    "support.decision.request": frozenset({CLERK, CONTRACTOR_CLERK, SUPERVISOR}),
    "support.decision.decide": frozenset({SUPERVISOR}),
    "case.review": frozenset({REVIEWER, SUPERVISOR}),
    # 職権記載・消除・修正 (K-DQ-16): entered by municipal staff (an act of the mayor's authority,
    # not given to 委託先), decided by a supervisor other than the entrant (checked in the route).
    "shokken.submit": frozenset({CLERK, SUPERVISOR}),
    "shokken.decide": frozenset({SUPERVISOR}),
    # 異動リスト (DQ-2, K-WF-6.5): reviewers and supervisors view, print and tick it; a tick is
    # never by the person who entered that 異動 (checked in the route).
    "idou_list.read": frozenset({REVIEWER, SUPERVISOR}),
    "idou_list.check": frozenset({REVIEWER, SUPERVISOR}),
    # 申請書の電子保存 (#23 point 4): stored by whoever may submit the 届出 they belong to; read
    # beside the entry by the reviewers, and by an entrant for the cases it entered (checked in
    # the route, routes/forms.py).
    "form.store": frozenset({CLERK, CONTRACTOR_CLERK, SUPERVISOR}),
    "form.read": frozenset({CLERK, CONTRACTOR_CLERK, REVIEWER, SUPERVISOR}),
    "changes.read": frozenset(ROLES),
    "audit.verify": frozenset({SECURITY_ADMIN}),
    "audit.review": frozenset({SECURITY_ADMIN}),
    "rights.manage": frozenset({SECURITY_ADMIN}),
    # 権限付与の申請 (AUTHZ-4): the 所属長 of the grantee's section applies (checked in
    # right_applications.py); the security admin executes or declines (rights.manage).
    "rights.apply": frozenset({SUPERVISOR}),
    "policy.manage": frozenset({SECURITY_ADMIN}),
    "devices.manage": frozenset({IT_ADMIN, SECURITY_ADMIN}),
    "biometrics.manage": frozenset({SECURITY_ADMIN}),  # 生体情報の登録・削除 (AUTH-5)
    # 個人住民税の窓口 (#8): 申告受付 by municipal staff, 二重チェック by another person (any of
    # these, never the entrant), 証明書 like the 住民票の写し, 照会 by municipal staff only.
    "tax.filing.submit": frozenset({CLERK, SUPERVISOR}),
    "tax.filing.check": frozenset({CLERK, REVIEWER, SUPERVISOR}),
    "tax.certificate.issue": frozenset({CLERK, CONTRACTOR_CLERK, SUPERVISOR}),
    "tax.inquiry": frozenset({CLERK, SUPERVISOR}),
    # 住基ネット CS adapter (#22, K-WF-4.6): 転出証明書情報 received as 転入予定者 by the 情報システム
    # 担当 who runs the link (it stores, never discloses: the lookup is resident.search + 特定個人情報)
    "tennyu_yotei.receive": frozenset({IT_ADMIN}),
}


def fiscal_year_end(day: dt.date) -> dt.date:
    """年度末: March 31 of the fiscal year (April–March) that contains ``day``."""
    return dt.date(day.year if day.month <= 3 else day.year + 1, 3, 31)


def period_error(valid_from: dt.date, valid_until: dt.date,
                 employment_until: dt.date | None = None) -> str | None:
    """Why a grant period is not allowed, or None."""
    if valid_until < valid_from:
        return "valid_until is before valid_from"
    if valid_until > fiscal_year_end(valid_from):
        return f"valid_until is past the fiscal year end {fiscal_year_end(valid_from)}"
    if employment_until is not None and valid_until > employment_until:
        return f"valid_until is past the employment period ({employment_until})"
    return None


def allowed(action: str, rights: Iterable[str]) -> bool:
    return bool(ACTIONS[action] & set(rights))


# Rights that are disclosures rather than route permissions: the client asks for them by action
# name like any other (``my_number.read``: 個人番号 shown and read from the card, AUTHZ-1/2).
DISCLOSURES: dict[str, str] = {"my_number.read": MY_NUMBER_ACCESS}


def actions_for(held: Mapping[str, dt.date | None]) -> dict[str, str | None]:
    """What a login tells the terminal it may offer (操作権限): each action the held rights allow,
    with the last day it is allowed (the latest ``valid_until`` of the rights that give it; None for
    no end). ``held`` maps each effective right to its ``valid_until``. The terminal shows menus and
    buttons from this alone; every request is still checked against ``ACTIONS``."""
    table = {**ACTIONS, **{a: frozenset({r}) for a, r in DISCLOSURES.items()}}
    out: dict[str, str | None] = {}
    for action, roles in sorted(table.items()):
        ends = [held[r] for r in roles if r in held]
        if ends:
            out[action] = None if None in ends else max(e for e in ends if e).isoformat()
    return out
