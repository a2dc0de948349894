"""The actions the screens offer (操作), by the names the centre's authorisation uses (AUTHZ-3).

The centre's login answers which of these the operator may take (``central.rights.actions_for``);
a screen asks ``OperatorSession.may(action)`` and nothing else: which right gives which action is
the centre's rule alone, never the terminal's. The centre checks every request again.
"""
from __future__ import annotations

RESIDENT_SEARCH = "resident.search"  # 住民検索・受付
IDOU_SUBMIT = "idou.submit"  # 異動届の入力
CERTIFICATE_ISSUE = "certificate.issue"  # 住民票の写し等の交付
CASE_REVIEW = "case.review"  # 審査
SUPPORT_DECIDE = "support.decision.decide"  # 支援措置の判断 (所属長)
SHOKKEN_SUBMIT = "shokken.submit"  # 職権記載・消除・修正の入力 (K-DQ-16)
SHOKKEN_DECIDE = "shokken.decide"  # 職権の決裁 (所属長)
IDOU_LIST_READ = "idou_list.read"  # 異動リストの表示・印刷 (DQ-2)
IDOU_LIST_CHECK = "idou_list.check"  # 異動リストの点検
MY_NUMBER_READ = "my_number.read"  # 個人番号の表示・カードからの読取 (特定個人情報アクセス権限)
TAX_INQUIRY = "tax.inquiry"  # 税の照会
TAX_FILING_CHECK = "tax.filing.check"  # 税の二重チェック
RIGHTS_MANAGE = "rights.manage"  # 権限の管理 (申請の承認・設定, 失効, 一覧)
RIGHTS_APPLY = "rights.apply"  # 権限付与の申請 (所属長, AUTHZ-4)
POLICY_MANAGE = "policy.manage"  # 覗き込み対策の設定
DEVICES_MANAGE = "devices.manage"  # 端末の管理・カメラの選択
AUDIT_REVIEW = "audit.review"  # アクセスログの点検
AUDIT_VERIFY = "audit.verify"  # 監査ログの検証
BIOMETRICS_MANAGE = "biometrics.manage"  # 顔認証の登録

#: The 管理 screen is offered when any of its tabs is.
ADMIN_SCREEN = (RIGHTS_MANAGE, RIGHTS_APPLY, POLICY_MANAGE, DEVICES_MANAGE, AUDIT_REVIEW,
                AUDIT_VERIFY, BIOMETRICS_MANAGE)
