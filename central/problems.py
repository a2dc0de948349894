"""RFC 9457 problem details with a stable ``code`` and Japanese text beside the English.

Every refusal the API makes is a ``Problem``: the client shows ``detail_ja`` to the clerk and files the
``code``. Unexpected exceptions are answered as a generic 500 problem without internals (and the tests
assert that none happens).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_BASE = "https://madoguchi.invalid/problems/"
MEDIA_TYPE = "application/problem+json"


@dataclass
class Problem(Exception):
    status: int
    code: str
    title: str
    detail: str
    title_ja: str
    detail_ja: str
    field: str | None = None
    extra: dict[str, Any] = dc_field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        body = {
            "type": PROBLEM_BASE + self.code,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
            "title_ja": self.title_ja,
            "detail_ja": self.detail_ja,
        }
        if self.field:
            body["field"] = self.field
        body.update(self.extra)
        return body

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, media_type=MEDIA_TYPE)


# Catalogue: code -> (status, English title, Japanese title). Details are given where raised.
CATALOGUE: dict[str, tuple[int, str, str]] = {
    "invalid_request": (422, "Invalid request", "入力内容に誤りがあります"),
    "audit_proof_unavailable": (409, "No audit proof for this row",
                                "この行の監査ログ証明は作成できません"),
    "purpose_required": (422, "Purpose required", "利用目的が必要です"),
    "purpose_invalid": (422, "Unknown purpose", "利用目的が正しくありません"),
    "search_needs_two_keys": (422, "Search needs two keys", "検索条件が不足しています"),
    "my_number_format": (422, "Malformed My Number", "個人番号の形式が正しくありません"),
    "my_number_check_digit": (422, "My Number check digit is wrong", "個人番号の検査用数字が一致しません"),
    "kana_invalid": (422, "Kana expected", "フリガナはカタカナで入力してください"),
    "postal_code_invalid": (422, "Malformed postal code", "郵便番号は7桁の数字です"),
    "date_in_future": (422, "Date in the future", "未来の日付は入力できません"),
    "date_before_birth": (422, "Date before birth", "生年月日より前の日付です"),
    "date_out_of_range": (422, "Date out of the plausible range", "日付が範囲外です"),
    "date_unknown_not_allowed": (422, "This date cannot be recorded as unknown",
                                 "この日付は不詳にできません"),
    "todoke_before_idou": (422, "Notification before the change", "届出日が異動日より前です"),
    "already_resident": (422, "Already a resident", "既に住民登録があります"),
    "not_a_resident": (422, "Not a current resident", "現在の住民ではありません"),
    "tenkyo_non_address_change": (422, "転居 may change only the address", "転居では住所以外を変更できません"),
    "setai_henko_non_household_change": (
        422, "世帯変更 may change only household fields", "世帯変更では世帯以外の項目を変更できません"),
    "field_not_changeable": (422, "Field cannot be changed", "変更できない項目です"),
    "household_not_found": (422, "Household not found", "世帯が見つかりません"),
    "household_head_conflict": (422, "Household already has a head", "世帯主が既にいます"),
    # 世帯の届出 (household.py, K-DQ-1)
    "household_head_missing": (422, "Household without a head", "世帯主がいません"),
    "household_head_multiple": (422, "More than one head", "世帯主が複数います"),
    "household_head_minor": (422, "Head too young", "世帯主にできない年齢です"),
    "setai_nushi_henko_required": (422, "世帯主変更 required", "世帯主変更の届出が必要です"),
    "relationship_restatement_required": (422, "Relationship must be restated",
                                          "新しい世帯主との続柄が必要です"),
    "relationship_required": (422, "Relationship required", "続柄がありません"),
    "relationship_unknown": (422, "Unknown relationship", "続柄が正しくありません"),
    "relationship_age_inconsistent": (422, "Relationship does not fit the ages",
                                      "続柄と年齢が合いません"),
    "relationship_sex_inconsistent": (422, "Relationship does not fit the sex",
                                      "続柄と性別が合いません"),
    "spouse_multiple": (422, "More than one spouse", "妻・夫が複数います"),
    "duplicate_member": (422, "Person named twice", "同じ方が二度記載されています"),
    "household_address_split": (422, "One household at two addresses", "世帯の住所が分かれます"),
    "mother_not_found": (422, "Mother not found", "母が見つかりません"),
    "mother_inconsistent": (422, "Not the mother", "母として記載できません"),
    "mother_household_mismatch": (422, "Not the mother's household", "母の世帯ではありません"),
    "version_conflict": (409, "Record changed since it was read", "記録が更新されています"),
    "resident_not_found": (404, "Resident not found", "住民が見つかりません"),
    "not_found": (404, "Not found", "見つかりません"),
    "idempotency_key_required": (400, "Idempotency-Key header required", "冪等キーがありません"),
    "idempotency_key_invalid": (400, "Idempotency-Key must be a UUID", "冪等キーの形式が正しくありません"),
    "idempotency_key_reused": (422, "Idempotency-Key reused with a different request",
                               "同じ冪等キーで異なる内容が送られました"),
    "device_auth_required": (401, "Device signature required", "端末の署名がありません"),
    "device_unknown": (401, "Unknown device", "登録されていない端末です"),
    "device_signature_invalid": (401, "Device signature invalid", "端末の署名が正しくありません"),
    "device_clock_skew": (401, "Device clock out of range", "端末の時刻がずれています"),
    "device_signature_replayed": (401, "Signed request already received",
                                  "同じ署名の要求がすでに受け付けられています"),
    "device_signature_outdated": (401, "Signature scheme no longer accepted",
                                  "端末の署名形式が古いため受け付けられません"),
    "device_disabled": (403, "Device disabled", "この端末は利用停止されています"),
    "session_required": (401, "Operator session required", "ログインが必要です"),
    "session_invalid": (401, "Session invalid or expired", "ログインの有効期限が切れました"),
    "session_wrong_device": (401, "Session belongs to another device", "別の端末のセッションです"),
    "login_failed": (401, "Login failed", "ログインできません"),
    "unlock_failed": (401, "Unlock failed", "画面ロックを解除できません"),
    "account_locked": (423, "Account locked", "アカウントがロックされています"),
    "loan_not_approved": (403, "Loan device not approved", "貸出端末の承認がありません"),
    "no_valid_rights": (403, "No valid rights", "有効な権限がありません"),
    "forbidden": (403, "Not permitted", "この操作の権限がありません"),
    "right_period_invalid": (422, "Right period invalid", "権限の有効期間が正しくありません"),
    # rights applications (AUTHZ-4, #21 class 3: right_applications.py)
    "rights_application_required": (403, "A right is granted only on an application",
                                    "権限の付与には所属長の申請が必要です"),
    "own_rights_change": (403, "No one changes their own rights", "自分自身の権限は変更できません"),
    "not_section_head": (403, "Only the operator's section head applies", "所属長だけが申請できます"),
    "executor_is_applicant": (403, "The applicant cannot execute the application",
                              "申請者本人は承認・設定できません"),
    "right_application_not_found": (404, "Rights application not found", "権限付与の申請が見つかりません"),
    "right_application_not_pending": (409, "Application already handled", "この申請は処理済みです"),
    # 職権記載・職権消除・職権修正 (K-DQ-16) and the 異動リスト (DQ-2)
    "shokken_evidence_required": (422, "Reason and investigation required",
                                  "職権の事由と実態調査の記録が必要です"),
    "shokken_no_change": (422, "The correction changes nothing", "修正内容が現在の記録と同じです"),
    "shokken_decider_is_entrant": (403, "The entrant cannot decide their own 職権 entry",
                                   "職権の記載等を入力した本人は決裁できません"),
    "shokken_needs_supervisor": (403, "A 職権 case is decided by a supervisor",
                                 "職権の記載等は所属長が決裁します"),
    "idou_not_found": (404, "No such applied change", "該当する異動がありません"),
    "idou_checker_is_entrant": (403, "The entrant cannot check their own change",
                                "この異動を入力した本人は点検できません"),
    "idou_already_checked": (409, "Change already checked", "この異動は点検済みです"),
    "report_font_unavailable": (503, "No Japanese font for reports", "帳票用のフォントがありません"),
    "case_not_found": (404, "Case not found", "審査案件が見つかりません"),
    "case_not_open": (422, "Case is not waiting for review", "この案件は審査待ちではありません"),
    "reviewer_is_entrant": (403, "The entrant cannot review their own entry",
                            "入力した本人は審査できません"),
    "record_changed_since_entry": (409, "Record changed since the entry",
                                   "入力後に住民記録が更新されています"),
    "purpose_note_required": (422, "Purpose note required", "目的の補足が必要です"),
    "power_of_attorney_required": (422, "Letter of proxy required", "委任状の確認が必要です"),
    "my_number_not_for_requester": (403, "My Number not for this requester",
                                    "この請求者には個人番号入りの写しを交付できません"),
    "my_number_reason_required": (422, "Reason and destination required", "請求理由と提出先が必要です"),
    "my_number_purpose_not_allowed": (422, "Reason not allowed by the My Number Act",
                                      "番号法で認められた請求理由ではありません"),
    "support_measure_blocked": (403, "Blocked by a support measure", "支援措置により交付できません"),
    "support_decision_not_needed": (422, "No support-measure block to decide on",
                                    "支援措置による交付制限はありません"),
    "support_decision_not_found": (404, "Support-measure decision not found",
                                   "支援措置の判断依頼が見つかりません"),
    "support_decision_not_pending": (409, "Decision already made", "この判断依頼は判断済みです"),
    "decider_is_requester": (403, "The requester cannot decide their own request",
                             "判断を依頼した本人は判断できません"),
    "support_decision_pending": (403, "Supervisor's decision still pending",
                                 "所属長の判断がまだありません"),
    "support_decision_refused": (403, "Supervisor refused the issuance", "所属長が交付を認めませんでした"),
    "support_decision_used": (409, "Decision already used", "この判断は使用済みです"),
    "support_decision_expired": (403, "Decision no longer valid", "判断の有効期限が切れています"),
    "identity_check_not_found": (422, "Identity check not found", "本人確認の記録が見つかりません"),
    "identity_check_mismatch": (422, "Identity check recorded a mismatch", "本人確認で相違がありました"),
    "identity_check_other_counter": (422, "Identity check made at another counter",
                                     "別の窓口の本人確認です"),
    "identity_check_stale": (422, "Identity check not made today", "当日の本人確認ではありません"),
    "support_decision_not_yours": (403, "Decision was requested by another clerk",
                                   "別の職員が依頼した判断です"),
    "support_decision_mismatch": (422, "Decision is for a different request",
                                  "判断の内容と請求の内容が一致しません"),
    "kisai_item_not_allowed": (422, "Item not allowed on this certificate",
                               "この証明書には記載できない事項です"),
    "kisai_items_required": (422, "Items to certify required", "証明する事項を選んでください"),
    "submit_to_required": (422, "Destination required", "提出先が必要です"),
    "certificate_not_found": (404, "Issuance not found", "交付記録が見つかりません"),
    "certificate_expired": (410, "Certificate content no longer available", "印刷の有効時間が過ぎました"),
    "certificate_content_served": (410, "Certificate content already served",
                                   "この証明書の内容は取得済みです"),
    # 転出証明書 and 特例転入 (#22 point 2: tenshutsu.py, tennyu_yotei.py)
    "tenshutsu_not_applied": (422, "No applied 転出", "転出が記載されていません"),
    "tenshutsu_not_together": (422, "Persons did not move out together",
                               "同じ転出の方ではありません"),
    "tennyu_yotei_not_found": (404, "No 転出証明書情報 pending", "転出証明書情報が見つかりません"),
    "tennyu_yotei_used": (409, "転出証明書情報 already used", "この転出証明書情報は使用済みです"),
    "tokurei_card_required": (422, "Card and PIN required", "マイナンバーカードと暗証番号が必要です"),
    "tokurei_no_card": (422, "No card holder in the group", "マイナンバーカードを持つ方がいません"),
    "tokurei_too_early": (422, "Notified before moving in", "住み始める前の届出です"),
    "tokurei_move_in_limit": (422, "Too late after moving in", "住み始めた日から期限を過ぎています"),
    "tokurei_planned_date_limit": (422, "Too late after the planned 転出 date",
                                   "転出予定日から期限を過ぎています"),
    "tokurei_card_mismatch": (422, "Card differs from the 転出証明書情報",
                              "カードと転出証明書情報が一致しません"),
    "tokurei_info_mismatch": (422, "届出 differs from the 転出証明書情報",
                              "届出と転出証明書情報が一致しません"),
    "tenshutsu_shomeisho_mismatch": (422, "届出 differs from the 転出証明書",
                                     "届出と転出証明書が一致しません"),
    "juminhyo_code_in_use": (409, "住民票コード already on the register",
                             "この住民票コードは既に記載されています"),
    "biometric_not_enrolled": (403, "No biometric enrolled", "生体情報が登録されていません"),
    "biometric_mismatch": (401, "Biometric verification failed", "本人確認（生体認証）に失敗しました"),
    "biometric_features_invalid": (422, "Invalid biometric features", "特徴量の形式が正しくありません"),
    "biometric_model_mismatch": (422, "Biometric model differs", "認証モデルが異なります"),
    "password_too_weak": (422, "Password not acceptable", "このパスワードは使えません"),
    "factor_not_pending": (409, "No such factor pending", "この認証は求められていません"),
    "enrolment_quality": (422, "Enrolment captures rejected", "登録用の撮影が基準を満たしません"),
    "fiscal_year_out_of_range": (422, "Fiscal year out of range", "年度が範囲外です"),
    "filer_identity_required": (422, "Filer not identified", "申告者の本人確認が必要です"),
    "deduction_over_limit": (422, "Deduction above its limit", "控除額が上限を超えています"),
    "dependent_invalid": (422, "Dependent entry inconsistent", "扶養親族の入力に誤りがあります"),
    "dependent_income_over_limit": (422, "Dependent's income above the limit",
                                    "扶養親族の所得が要件を超えています"),
    "filing_not_found": (404, "Filing not found", "申告が見つかりません"),
    "filing_not_open": (422, "Filing is not waiting for its check", "この申告は二重チェック待ちではありません"),
    "checker_is_entrant": (403, "The entrant cannot check their own entry",
                           "入力した本人は二重チェックできません"),
    "requester_name_required": (422, "Requester's name required", "請求者の氏名が必要です"),
    "tax_record_not_found": (404, "No tax record for that fiscal year", "その年度の課税記録がありません"),
    "identity_required": (422, "Identity confirmation required", "本人確認が必要です"),
    "identity_not_confirmed": (403, "Identity not confirmed", "本人確認ができません"),
    # 申請書の電子保存 and 庁内連携 (#23 points 4 and 5: signed_forms.py, renkei.py)
    "case_not_pending": (409, "Case is not waiting for review", "審査待ちの案件ではありません"),
    "form_pdf_invalid": (422, "Not a PDF/A", "PDF/Aではありません"),
    "form_pdf_too_large": (413, "PDF too large", "PDFが大きすぎます"),
    "form_items_invalid": (422, "Form items invalid", "申請書の項目の形式が正しくありません"),
    "form_digest_mismatch": (422, "Items digest does not match", "申請書の項目の要約値が一致しません"),
    "signature_invalid": (422, "Signature invalid", "署名のデータが正しくありません"),
    "proxy_writer_not_caller": (403, "A 代筆 is stored by its writer",
                                "代筆は代筆した職員本人が保存します"),
    "resident_not_told": (422, "Resident not told where the form goes",
                          "担当課への送付について住民への説明がありません"),
    "form_not_found": (404, "Form not found", "申請書が見つかりません"),
    "form_not_entrant": (403, "Only the case's entrant stores its forms",
                         "届出を入力した職員だけが申請書を保存できます"),
    "form_unknown": (422, "Form not in the catalogue", "申請書カタログにない様式です"),
    "form_division_mismatch": (422, "Form goes to another division", "送付先の課が様式と違います"),
    "form_items_my_number": (422, "A form never carries a My Number",
                             "申請書には個人番号を記載しません"),
    "reviewer_stored_forms": (403, "Whoever stored the forms cannot review the case",
                              "申請書を保存した職員は審査できません"),
    "division_auth_required": (401, "Division token required", "連携先の認証情報がありません"),
    "division_token_invalid": (401, "Division token invalid", "連携先の認証情報が正しくありません"),
    "division_forbidden": (403, "Another division's feed", "他の課の連携情報は読めません"),
    "renkei_cursor_ahead": (422, "Cursor past the last event", "受領位置が配信済みの範囲を超えています"),
    "url_encoding_invalid": (400, "Path or query not UTF-8", "URLの文字コードが正しくありません"),
    "body_not_allowed": (400, "Operation takes no body", "この操作には本文を送れません"),
    "body_too_large": (413, "Request body too large", "リクエストの本文が大きすぎます"),
    "body_length_invalid": (400, "Invalid Content-Length", "本文の長さが正しくありません"),
    "body_encoding_invalid": (400, "Request body not UTF-8", "リクエストの本文の文字コードが正しくありません"),
    "body_too_deep": (400, "Request body nested too deeply", "リクエストの本文の入れ子が深すぎます"),
    "internal_error": (500, "Internal error", "システムエラーが発生しました"),
}


def problem(code: str, detail: str, detail_ja: str, *, field: str | None = None,
            **extra: Any) -> Problem:
    status, title, title_ja = CATALOGUE[code]
    return Problem(status, code, title, detail, title_ja, detail_ja, field, extra)


# Validation messages that never contain the value sent (pydantic's own wording: the type, a
# limit, the expected literals or format). Any other type gets a neutral message: its wording may
# quote the input (a discriminator's tag, a UUID's wrong character), and the input of a personal
# field must never come back (#21 class 10: a My Number sent as a number was answered with
# ``input_value=<12 digits>``).
_SAFE_MESSAGES = frozenset({
    "missing", "extra_forbidden", "string_type", "string_too_short", "string_too_long",
    "string_pattern_mismatch", "string_unicode", "int_type", "int_parsing", "int_parsing_size",
    "int_from_float", "float_type", "float_parsing", "finite_number", "bool_type", "bool_parsing",
    "greater_than", "greater_than_equal", "less_than", "less_than_equal", "multiple_of",
    "literal_error", "enum", "date_type", "date_parsing", "date_from_datetime_parsing",
    "date_from_datetime_inexact", "date_past", "date_future", "datetime_type", "datetime_parsing",
    "datetime_from_date_parsing", "list_type", "tuple_type", "set_type", "dict_type",
    "model_type", "model_attributes_type", "too_short", "too_long", "json_type", "json_invalid",
    "union_tag_not_found", "none_required", "uuid_type", "bytes_type", "decimal_type",
    "decimal_parsing", "decimal_max_digits", "decimal_max_places", "decimal_whole_digits",
    "frozen_field", "frozen_instance", "iterable_type", "mapping_type", "callable_type",
})
_NEUTRAL = {"union_tag_invalid": "Tag does not match any of the expected tags",
            "uuid_parsing": "Input should be a valid UUID"}
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_ERRORS = 20  # a body with many wrong items answers with the first ones and their count


def _location(loc: Any, skip_source: bool) -> str:
    """A field's dotted location: declared names and list indexes only. A name a client
    invented (an unknown key: extra_forbidden's location) is input too, shown as ``*`` unless
    it reads as a field name."""
    parts = [p if isinstance(p, int) or (isinstance(p, str) and _FIELD_NAME.fullmatch(p))
             else "*" for p in (loc or ())]
    if skip_source and len(parts) > 1:
        parts = parts[1:]  # "body", "query", "path": where it came from, not which field
    return ".".join(str(p) for p in parts)


def validation_errors(errors: list[dict[str, Any]], *, skip_source: bool = True
                      ) -> list[dict[str, str]]:
    """Each error as its field and a message, without the input, its context or its URL."""
    out = []
    for err in errors[:MAX_ERRORS]:
        kind = str(err.get("type", ""))
        message = (str(err.get("msg", "")) if kind in _SAFE_MESSAGES
                   else _NEUTRAL.get(kind, "Invalid value"))
        out.append({"field": _location(err.get("loc"), skip_source) or "body",
                    "message": message[:200],
                    "type": kind[:60]})
    return out


def invalid_request(errors: list[dict[str, Any]], *, skip_source: bool = True,
                    what: str = "") -> Problem:
    """The 422 of a validation error (of a request, or of a batch's command): the locations
    and messages of ``validation_errors``, never a value."""
    items = validation_errors(errors, skip_source=skip_source)
    first = items[0]["field"] if items else None
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in items) or "invalid request"
    extra: dict[str, Any] = {"errors": items}
    if len(errors) > len(items):
        extra["error_count"] = len(errors)
    return problem(
        "invalid_request", what + detail,
        f"入力項目「{first}」の形式が正しくありません" if first else "入力の形式が正しくありません",
        field=first, **extra)


def _validation_problem(exc: RequestValidationError) -> Problem:
    try:
        errors = list(exc.errors())
    except RecursionError:  # pragma: no cover - bodies are depth-bounded first (guard.py)
        errors = []
    return invalid_request(errors)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(_: Request, exc: Problem) -> JSONResponse:
        return exc.response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_problem(exc).response()

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return problem("not_found", "No such resource", "該当する機能がありません").response()
        status = exc.status_code
        p = Problem(status, f"http_{status}", str(exc.detail), str(exc.detail),
                    "要求を処理できません", "要求を処理できません")
        return p.response()

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:  # pragma: no cover
        import logging

        logging.getLogger("central").error("unexpected error: %s", type(exc).__name__)
        return problem("internal_error", "Internal error", "システムエラーが発生しました。"
                       "管理者に連絡してください").response()
