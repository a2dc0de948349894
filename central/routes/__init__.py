"""The central API's routes: one ``APIRouter`` per area; ``api.create_app`` adds them in order.

Routers (each module's docstring says what it owns and what it may touch):
system (稼働確認), sessions (ログイン), factors (顔認証), password (パスワードの更新), register (住民記録の
照会・本人確認), commands (異動届), cases (審査), issuance (交付), support_decisions (支援措置の判断),
tax (個人住民税), changes (変更フィード), audit (監査), admin (管理), shokken (職権記載・消除・修正の入力と
決裁), idou_list (異動リストと点検), forms (申請書の電子保存), renkei (庁内連携: the divisions' feed, read
with a division's own token, not a terminal's signature).

Beside them, modules with no routes: ``auth`` (authentication, authorization and the audit of
refusals: every route's caller), ``context`` (the app's shared state, ``Depends(context)``),
``reads`` (the audited reads), ``idempotency`` (the commands' Idempotency-Key) and ``params``
(parameters and bodies several routers declare). A route is thin: it gets its caller from
``auth``, does one transaction of domain work from the modules of ``central`` and audits it.
"""
