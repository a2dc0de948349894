"""SQLAlchemy models of the central API: reference register (住民基本台帳), operators, rights, devices,
sessions, idempotency records, the change feed and the audit log.

Only the central API touches these tables. A My Number (個人番号) is never stored in plain text: it is
AES-GCM ciphertext plus an HMAC blind index for exact lookups (see crypto.py).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# --- reference register -------------------------------------------------------------------------


class Household(Base):
    """世帯: a household with its 世帯番号. The head (世帯主) is the member whose relationship is 世帯主."""

    __tablename__ = "households"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_no: Mapped[str] = mapped_column(String(12), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    members: Mapped[list["Resident"]] = relationship(back_populates="household")


class Resident(Base):
    """住民票: one person's record in the reference register (001 別添1 fields, 000 別添2)."""

    __tablename__ = "residents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    juminhyo_code: Mapped[str] = mapped_column(String(11), unique=True)  # 住民票コード
    my_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # 個人番号, AES-GCM
    my_number_index: Mapped[str | None] = mapped_column(String(64), unique=True)  # HMAC blind index
    name_kanji: Mapped[str] = mapped_column(String(100))  # 氏名
    name_kana: Mapped[str] = mapped_column(String(200))  # フリガナ (katakana)
    name_kana_certified: Mapped[bool] = mapped_column(Boolean, default=False)  # 振り仮名 確認済
    name_search_kana: Mapped[str] = mapped_column(String(200), index=True)  # 清音化かな (002)
    name_search: Mapped[str] = mapped_column(String(100), index=True)  # 氏名 NFKC, no spaces
    name_roman: Mapped[str | None] = mapped_column(String(200))  # ローマ字氏名 (foreign residents)
    gaiji: Mapped[bool] = mapped_column(Boolean, default=False)  # 外字 used in the name
    # 代替文字: [{"position": int, "original": "髙 (はしごだか)", "substitute": "高"}]
    substitute_chars: Mapped[list[Any]] = mapped_column(JSON, default=list)
    tsusho: Mapped[str | None] = mapped_column(String(100))  # 通称
    tsusho_kana: Mapped[str | None] = mapped_column(String(200))
    former_surname: Mapped[str | None] = mapped_column(String(50))  # 旧氏
    former_surname_kana: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[dt.date] = mapped_column(Date)  # 生年月日
    sex: Mapped[str] = mapped_column(String(6))  # 性別: male / female
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    relationship_to_head: Mapped[str] = mapped_column(String(20))  # 続柄
    postal_code: Mapped[str] = mapped_column(String(7))
    address: Mapped[str] = mapped_column(String(200), index=True)  # 住所
    katagaki: Mapped[str | None] = mapped_column(String(100))  # 方書
    became_resident_on: Mapped[dt.date] = mapped_column(Date)  # 住民となった日
    address_set_on: Mapped[dt.date] = mapped_column(Date)  # 住所を定めた日
    previous_address: Mapped[str | None] = mapped_column(String(200))  # 前住所
    moved_in_from: Mapped[str | None] = mapped_column(String(200))  # 転入前住所
    honseki: Mapped[str | None] = mapped_column(String(200))  # 本籍
    hittousha: Mapped[str | None] = mapped_column(String(100))  # 筆頭者
    is_foreign: Mapped[bool] = mapped_column(Boolean, default=False)
    nationality: Mapped[str | None] = mapped_column(String(50))  # 国籍・地域
    residence_status: Mapped[str | None] = mapped_column(String(50))  # 在留資格
    residence_expiry: Mapped[dt.date | None] = mapped_column(Date)  # 在留期間の満了の日
    residence_card_no: Mapped[str | None] = mapped_column(String(12))  # 在留カード等の番号
    art30_45_category: Mapped[str | None] = mapped_column(String(40))  # 第30条の45に規定する区分
    status: Mapped[str] = mapped_column(String(10), default="current", index=True)  # current / removed
    removed_on: Mapped[dt.date | None] = mapped_column(Date)  # 消除日 (logical deletion only)
    removed_on_unknown: Mapped[bool] = mapped_column(Boolean, default=False,  # 不詳 (K-DQ-17)
                                                     server_default=false())
    removal_reason: Mapped[str | None] = mapped_column(String(20))  # 転出 / 死亡 / 職権消除
    moved_out_to: Mapped[str | None] = mapped_column(String(200))  # 転出先
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    household: Mapped[Household] = relationship(back_populates="members")
    history: Mapped[list["ResidentHistory"]] = relationship(
        back_populates="resident", order_by="ResidentHistory.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_residents_birth_date", "birth_date"),)


class ResidentHistory(Base):
    """異動履歴: every change of a record, with 事由, 異動日 and 届出日. Rows are never deleted."""

    __tablename__ = "resident_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # tennyu, tenkyo, ... or "initial"
    reason: Mapped[str] = mapped_column(String(40))  # 事由 in Japanese (転入, 転居, ...)
    idou_date: Mapped[dt.date | None] = mapped_column(Date)  # 異動日 (None only when 不詳)
    # 異動年月日不詳 (K-DQ-17): recorded as unknown, never an invented date
    idou_date_unknown: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default=false())
    todoke_date: Mapped[dt.date | None] = mapped_column(Date)  # 届出日
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    operator_login: Mapped[str | None] = mapped_column(String(40))
    device_id: Mapped[str | None] = mapped_column(String(40))
    command_id: Mapped[str | None] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # field -> [old, new]
    # 記載等の種別 (000 別添2 item 97): "todoke" (by a 届出) or "shokken" (職権, K-DQ-16)
    entry_kind: Mapped[str] = mapped_column(String(8), default="todoke",
                                            server_default="todoke")
    case_id: Mapped[int | None] = mapped_column(Integer)  # the 審査/職権 case it was applied from
    approved_by: Mapped[str | None] = mapped_column(String(40))  # who approved it (K-DQ-6)
    resident: Mapped[Resident] = relationship(back_populates="history")
    __table_args__ = (Index("ix_resident_history_recorded_at", "recorded_at"),)


class IdouCheck(Base):
    """異動リストの点検 (DQ-2, K-DQ-6): a reviewer's tick that one applied 異動 was checked against
    its 届出 (or, for 職権, its case) — by someone other than the person who entered it. One per
    異動履歴 row; never deleted."""

    __tablename__ = "idou_checks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    history_id: Mapped[int] = mapped_column(ForeignKey("resident_history.id"), unique=True)
    checked_by: Mapped[str] = mapped_column(String(40))
    checked_device: Mapped[str] = mapped_column(String(40))
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SupportMeasure(Base):
    """支援措置: DV/stalking/abuse protection for a target, for a period, with related persons."""

    __tablename__ = "support_measures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))  # DV / ストーカー / 児童虐待 / その他
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    related: Mapped[list["SupportMeasureRelated"]] = relationship(back_populates="measure")


class SupportMeasureRelated(Base):
    """支援措置の関係者: co-protected household members (併せて支援を求める者) or the 加害者."""

    __tablename__ = "support_measure_related"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("support_measures.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))  # co_protected / perpetrator
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(100))  # a perpetrator may live elsewhere
    address: Mapped[str | None] = mapped_column(String(200))
    measure: Mapped[SupportMeasure] = relationship(back_populates="related")


class TaxRecord(Base):
    """個人住民税 課税台帳 for one person and one 年度 (fiscal year, 西暦)."""

    __tablename__ = "tax_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)  # 年度
    employment_income: Mapped[int] = mapped_column(Integer, default=0)  # 給与所得
    pension_income: Mapped[int] = mapped_column(Integer, default=0)  # 公的年金等に係る雑所得
    other_income: Mapped[int] = mapped_column(Integer, default=0)
    total_income: Mapped[int] = mapped_column(Integer, default=0)  # 総所得金額
    deductions: Mapped[int] = mapped_column(Integer, default=0)  # 所得控除
    taxable_income: Mapped[int] = mapped_column(Integer, default=0)  # 課税標準
    municipal_tax: Mapped[int] = mapped_column(Integer, default=0)  # 市民税
    prefectural_tax: Mapped[int] = mapped_column(Integer, default=0)  # 県民税
    dependents_count: Mapped[int] = mapped_column(Integer, default=0)  # 扶養人数
    version: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("resident_id", "fiscal_year"),)


# --- operators, rights, devices, sessions -----------------------------------------------------


class Operator(Base):
    """職員: a person who operates a terminal (clerk, reviewer, admin, contractor staff)."""

    __tablename__ = "operators"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login_id: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="active")  # active / suspended
    is_contractor: Mapped[bool] = mapped_column(Boolean, default=False)  # 委託先職員
    employment_until: Mapped[dt.date | None] = mapped_column(Date)  # 任用期間 (temporary staff)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    failed_biometrics: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    section: Mapped[str | None] = mapped_column(String(40))  # 所属 (課); its 所属長 applies for rights
    grants: Mapped[list["RightGrant"]] = relationship(back_populates="operator")


class RightGrant(Base):
    """権限付与: one right (a role, or 特定個人情報アクセス権限) for a period never past 3/31."""

    __tablename__ = "right_grants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    right: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    granted_by: Mapped[str | None] = mapped_column(String(40))
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(40))
    revoke_reason: Mapped[str | None] = mapped_column(String(200))
    # Where the grant comes from (AUTHZ-4): "application" (a 所属長's 申請 executed by the security
    # admin, ``application_id``) or "provisioning" (initial provisioning by the CLI or the demo
    # set-up, ``granted_by`` names it; also every grant made before the workflow existed).
    origin: Mapped[str] = mapped_column(String(20), default="provisioning",
                                        server_default="provisioning")
    application_id: Mapped[int | None] = mapped_column(ForeignKey("right_applications.id"),
                                                       unique=True)
    operator: Mapped[Operator] = relationship(back_populates="grants")
    application: Mapped["RightApplication | None"] = relationship(foreign_keys=[application_id])


class RightApplication(Base):
    """権限付与の申請 (AUTHZ-4): the 所属長 of the operator's section applies for a right and a
    period; the security admin executes (承認・設定, the grant) or declines it. Applicant, executor
    and grantee are three different people. Rows are kept for reconciliation (AUTHZ-9)."""

    __tablename__ = "right_applications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)  # grantee
    right: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))  # 申請理由
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending / executed / declined
    section: Mapped[str] = mapped_column(String(40))  # the section the applicant heads
    applied_by: Mapped[str] = mapped_column(String(40))
    applied_device: Mapped[str | None] = mapped_column(String(40))
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(40))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decision_reason: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    operator: Mapped[Operator] = relationship()
    __mapper_args__ = {"version_id_col": version}


class Device(Base):
    """登録端末: a municipal terminal allowed to connect, identified by its Ed25519 public key."""

    __tablename__ = "devices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))  # counter / loan
    status: Mapped[str] = mapped_column(String(10), default="active")  # active / disabled
    public_key: Mapped[bytes] = mapped_column(LargeBinary(32))
    registered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    registered_by: Mapped[str | None] = mapped_column(String(40))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    disabled_reason: Mapped[str | None] = mapped_column(String(200))
    loan_approved_by: Mapped[str | None] = mapped_column(String(40))  # 所属長 (DEV-4)
    loan_approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    loan_approval_ref: Mapped[str | None] = mapped_column(String(100))


class OperatorSession(Base):
    """An operator's session on one device; the bearer token is stored only as its SHA-256."""

    __tablename__ = "operator_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    device_pk: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    factors_done: Mapped[list[Any]] = mapped_column(JSON, default=list)  # ["password", "face"]
    factors_required: Mapped[list[Any]] = mapped_column(JSON, default=list)
    operator: Mapped[Operator] = relationship()
    device: Mapped[Device] = relationship()


class BiometricTemplate(Base):
    """登録された生体テンプレート: one per operator and provider, AES-GCM encrypted and bound to the
    login ID (biometrics.py). Enrolled, re-enrolled and deleted only by the security admin (AUTH-5);
    never sent to a terminal."""

    __tablename__ = "biometric_templates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    provider: Mapped[str] = mapped_column(String(20))  # face (vein later)
    model: Mapped[str] = mapped_column(String(40))  # feature model, e.g. dlib-resnet-v1
    template_enc: Mapped[bytes] = mapped_column(LargeBinary)
    captures: Mapped[int] = mapped_column(Integer)
    enrolled_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    enrolled_by: Mapped[str] = mapped_column(String(40))
    operator: Mapped[Operator] = relationship()
    __table_args__ = (UniqueConstraint("operator_id", "provider"),)


# --- commands, change feed, audit ----------------------------------------------------------------


class DeviceNonce(Base):
    """A device signature accepted once (#21 class 5): its nonce, kept while its signed time is
    inside the clock window; the same nonce again is refused (security.consume_nonce)."""

    __tablename__ = "device_nonces"
    device_pk: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    signed_at: Mapped[int] = mapped_column(BigInteger, index=True)  # the signed unix seconds


class IdempotencyRecord(Base):
    """The stored result of a command, keyed by (device, Idempotency-Key): a replay returns it."""

    __tablename__ = "idempotency_records"
    device_pk: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the body
    # The scope a stored answer is returned to (#21 class 4): the operator and the route.
    operator_login: Mapped[str] = mapped_column(String(40), default="", server_default="")
    route: Mapped[str] = mapped_column(String(200), default="", server_default="")
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Change(Base):
    """変更フィード: one row per entity version; seq is the monotonic cursor (no personal data)."""

    __tablename__ = "changes"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    command_id: Mapped[str | None] = mapped_column(String(64))


class AuditEvent(Base):
    """監査ログ: append-only and hash-chained; each row carries the previous row's hash (LOG-1)."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    at: Mapped[str] = mapped_column(String(32))  # UTC ISO-8601, part of the hash
    operator_login: Mapped[str | None] = mapped_column(String(40))
    device_id: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(Text)  # e.g. "resident:123" — never a name
    purpose: Mapped[str | None] = mapped_column(String(40))
    purpose_note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(20))  # ok / denied / rejected / failed
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Case(Base):
    """審査案件: an entry waiting for a second person's review (WF-5, DQ-1); never deleted."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # idou
    command: Mapped[dict[str, Any]] = mapped_column(JSON)  # the entry as submitted
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"), index=True)
    base_version: Mapped[int | None] = mapped_column(Integer)  # record version at entry (DQ-8)
    status: Mapped[str] = mapped_column(String(12), default="submitted", index=True)
    entered_by: Mapped[str] = mapped_column(String(40))
    entered_device: Mapped[str] = mapped_column(String(40))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(40))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    review_reason: Mapped[str | None] = mapped_column(String(200))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class Issuance(Base):
    """帳票管理簿 / 証明書等発行履歴 (RET-7, LOG-2): every certificate issued — who, when, what, for
    whom and why. Never the certificate's content: that is rendered on demand and not stored."""

    __tablename__ = "issuances"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # juminhyo / kisai (記載事項証明書)
    scope: Mapped[str] = mapped_column(String(12))  # individual (個人票) / household (世帯連記式)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    person_ids: Mapped[list[Any]] = mapped_column(JSON)  # who is on the certificate
    requester_relation: Mapped[str] = mapped_column(String(12))  # self/household/proxy/third_party
    purpose: Mapped[str] = mapped_column(String(40))
    purpose_note: Mapped[str | None] = mapped_column(String(200))
    included: Mapped[dict[str, Any]] = mapped_column(JSON)  # which optional items were printed
    my_number_reason: Mapped[str | None] = mapped_column(String(40))  # 請求理由 (code)
    submit_to: Mapped[str | None] = mapped_column(String(100))  # 提出先
    copies: Mapped[int] = mapped_column(Integer, default=1)
    operator_login: Mapped[str] = mapped_column(String(40))
    device_id: Mapped[str] = mapped_column(String(40))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # 所属長の判断 that lifted a 支援措置 block for this issuance (WF-7), used exactly once
    support_decision_id: Mapped[int | None] = mapped_column(ForeignKey("support_decisions.id"),
                                                            unique=True)
    # when its content was served (once: a reprint is a new issuance, #21 class 8)
    content_served_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class SupportDecision(Base):
    """支援措置の判断依頼 and 所属長の判断 (WF-7): a request that the server refused because a 支援措置
    target or co-protected person is on the certificate and the requester is a proxy or third party,
    as the clerk took it; a supervisor other than the requester approves or refuses it with a reason.
    An approval is good for that request, once, on the day it was given. Never deleted."""

    __tablename__ = "support_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # juminhyo / kisai (記載事項証明書)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    scope: Mapped[str] = mapped_column(String(12))
    requester_relation: Mapped[str] = mapped_column(String(12))  # proxy / third_party
    requester_name: Mapped[str] = mapped_column(String(100))  # as stated, free text
    requester_org: Mapped[str | None] = mapped_column(String(100))
    purpose: Mapped[str] = mapped_column(String(40))
    purpose_note: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    requested_by: Mapped[str] = mapped_column(String(40))
    requested_device: Mapped[str] = mapped_column(String(40))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(40))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)  # an approval is good this day only
    decision_reason: Mapped[str | None] = mapped_column(String(200))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    used_by: Mapped[str | None] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class PolicySetting(Base):
    """Centrally set terminal policy (端末ポリシー) that the security admin may change at run time,
    e.g. the 覗き込み rules (PRIV-1). One row per key; every change is audited with old and new."""

    __tablename__ = "policy_settings"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class TaxFiling(Base):
    """住民税申告 taken at the counter (TAX-2/3/4): the filer (identified), income, deductions and
    dependents as entered, and the computed result. Registered in the 課税台帳 only when a second
    person has checked it (二重チェック, TAX-3, 003 L2050); never deleted. Dependents' My Numbers
    are AES-GCM ciphertext inside ``dependents`` (base64), never plain text."""

    __tablename__ = "tax_filings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)  # 年度
    identity_method: Mapped[str] = mapped_column(String(20))  # card / card_code_b / documents
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)  # revenues and deductions as entered
    dependents: Mapped[list[Any]] = mapped_column(JSON, default=list)
    computed: Mapped[dict[str, Any]] = mapped_column(JSON)  # 所得, 控除, 課税標準, 税額
    status: Mapped[str] = mapped_column(String(12), default="submitted", index=True)
    entered_by: Mapped[str] = mapped_column(String(40))
    entered_device: Mapped[str] = mapped_column(String(40))
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    checked_by: Mapped[str | None] = mapped_column(String(40))
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    return_reason: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    __mapper_args__ = {"version_id_col": version}


class TaxCertificate(Base):
    """帳票管理簿 for 課税証明書 / 所得証明書 (TAX-1): who asked, in what capacity, whether a 委任状
    was seen, which 年度, how many copies and the fee. Never the content and never a My Number."""

    __tablename__ = "tax_certificates"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # kazei / shotoku
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    requester_relation: Mapped[str] = mapped_column(String(12))  # self/household/proxy/third_party
    requester_name: Mapped[str | None] = mapped_column(String(100))  # 代理人・第三者の氏名
    power_of_attorney_seen: Mapped[bool] = mapped_column(Boolean, default=False)  # 委任状
    purpose: Mapped[str] = mapped_column(String(40))
    purpose_note: Mapped[str | None] = mapped_column(String(200))
    copies: Mapped[int] = mapped_column(Integer, default=1)
    fee_yen: Mapped[int] = mapped_column(Integer)
    operator_login: Mapped[str] = mapped_column(String(40))
    device_id: Mapped[str] = mapped_column(String(40))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    content_served_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # once (#21 c8)


class TennyuYotei(Base):
    """転入予定者 (K-WF-4.6): one person of a 転出証明書情報 received ahead of the visit from the
    former municipality (through the 住基ネット CS adapter, tennyu_yotei.py). A prospective record,
    not a 住民票: it becomes one when the 特例転入 is applied (``status`` arrived, ``resident_id``).
    The 個人番号 is stored as the register stores it (AES-GCM plus the HMAC blind index)."""

    __tablename__ = "tennyu_yotei"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_id: Mapped[str] = mapped_column(String(40), index=True)  # 転出証明書情報の番号
    member_no: Mapped[int] = mapped_column(Integer)  # order in the household (世帯主 first)
    from_municipality: Mapped[str] = mapped_column(String(100))  # 転出元市区町村
    juminhyo_code: Mapped[str] = mapped_column(String(11), index=True)  # 住民票コード
    my_number_enc: Mapped[bytes | None] = mapped_column(LargeBinary)  # 個人番号, AES-GCM
    my_number_index: Mapped[str | None] = mapped_column(String(64), index=True)  # blind index
    name_kanji: Mapped[str] = mapped_column(String(100))  # 氏名
    name_kana: Mapped[str] = mapped_column(String(200))
    former_surname: Mapped[str | None] = mapped_column(String(50))  # 旧氏
    former_surname_kana: Mapped[str | None] = mapped_column(String(100))
    substitute_chars: Mapped[list[Any]] = mapped_column(JSON, default=list)  # 異体字 / 代替文字
    birth_date: Mapped[dt.date] = mapped_column(Date)  # 出生の年月日
    sex: Mapped[str] = mapped_column(String(6))  # 男女の別: male / female
    householder_name: Mapped[str] = mapped_column(String(100))  # 世帯主の氏名
    relationship_to_head: Mapped[str] = mapped_column(String(20))  # 世帯主との続柄
    address: Mapped[str] = mapped_column(String(200))  # 住所 (従前の住所)
    moved_out_to: Mapped[str] = mapped_column(String(200))  # 転出先
    planned_date: Mapped[dt.date] = mapped_column(Date)  # 転出の予定年月日
    honseki: Mapped[str | None] = mapped_column(String(200))  # 本籍
    hittousha: Mapped[str | None] = mapped_column(String(100))  # 筆頭者
    card_held: Mapped[bool] = mapped_column(Boolean, default=False)  # マイナンバーカードの有無
    qualifications: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # 国保 … 児童手当
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    received_by: Mapped[str] = mapped_column(String(40))  # the operator, or "cs-adapter"
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # / arrived
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id"))
    __table_args__ = (UniqueConstraint("certificate_id", "member_no"),)


# --- signed forms (申請書電子保存) and the 庁内連携 feed (#23 points 4 and 5) -----------------------


class SignedForm(Base):
    """申請書の電子保存: one version of a form the resident signed at the counter for a case (PDF/A,
    its items and the signature), kept until ``retention_until`` (signed_forms.py). The PDF, the
    items and the signature are AES-GCM ciphertext bound to (case, form, version, part); the
    PDF's SHA-256 is also in the audit chain (``form.store``). A form signed again is a new
    version; the earlier ones are kept."""

    __tablename__ = "signed_forms"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    form_id: Mapped[str] = mapped_column(String(64))  # the form's catalogue id (ascii)
    title: Mapped[str] = mapped_column(String(200))  # 様式名
    division_id: Mapped[str] = mapped_column(String(40))  # 担当課 ("shimin": 市民課 itself)
    version: Mapped[int] = mapped_column(Integer)
    pdf_enc: Mapped[bytes] = mapped_column(LargeBinary)
    fields_enc: Mapped[bytes] = mapped_column(LargeBinary)  # {"form_id","title","division_id",…}
    signature_enc: Mapped[bytes] = mapped_column(LargeBinary)
    signer: Mapped[str] = mapped_column(String(8))  # resident / proxy (代筆)
    proxy_writer: Mapped[str | None] = mapped_column(String(40))
    proxy_reason: Mapped[str | None] = mapped_column(String(20))
    told_divisions: Mapped[bool] = mapped_column(Boolean, default=False)  # K-PRIV-11, K-WF-4.5
    sha256: Mapped[str] = mapped_column(String(64))  # of the PDF
    digest: Mapped[str] = mapped_column(String(64))  # of the items' canonical JSON
    stored_by: Mapped[str] = mapped_column(String(40))
    stored_device: Mapped[str] = mapped_column(String(40))
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    retention_until: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    __table_args__ = (UniqueConstraint("case_id", "form_id", "version"),)


class DivisionClient(Base):
    """庁内連携の接続先: a division's system (国保年金課, 子育て支援課 …) that reads its feed with a
    bearer token; only the token's SHA-256 is kept. ``acked`` is how far it has read."""

    __tablename__ = "division_clients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    division_id: Mapped[str] = mapped_column(String(40), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    acked: Mapped[int] = mapped_column(Integer, default=0)  # the last event id acknowledged
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RenkeiEvent(Base):
    """庁内連携: one approved case's form for one division, with exactly that form's items
    (AES-GCM, bound to the event's division, case, form and version); ``id`` is the cursor."""

    __tablename__ = "renkei_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    division_id: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    form_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    items_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    __table_args__ = (Index("ix_renkei_events_division_id", "division_id", "id"),
                      UniqueConstraint("division_id", "case_id", "form_id", "version"))
