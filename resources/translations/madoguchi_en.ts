<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!--
  English translation of the Madoguchi counter terminal (窓口端末).
  Japanese is the source language. Maintained by hand: every self.tr(...) and
  QCoreApplication.translate(...) string in ui/ must appear here under its context
  (tests/ui/test_translations.py checks this). Compiled at run time with lrelease.
-->
<TS version="2.1" language="en_US" sourcelanguage="ja_JP">
<context>
    <name>ErrorMessages</name>
    <message>
        <source>中央サーバーに接続できません</source>
        <translation>Cannot connect to the central server</translation>
    </message>
    <message>
        <source>中央サーバーでエラーが発生しました（%1）</source>
        <translation>The central server reported an error (%1)</translation>
    </message>
    <message>
        <source>予期しないエラーが発生しました</source>
        <translation>An unexpected error occurred</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <source>職員ログイン</source>
        <translation>Staff login</translation>
    </message>
    <message>
        <source>ログイン</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>職員ID</source>
        <translation>Staff ID</translation>
    </message>
    <message>
        <source>パスワード</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>デモ用アカウント（架空のデータです）</source>
        <translation>Demo accounts (fictitious data)</translation>
    </message>
    <message>
        <source>職員ID: %1　パスワード: %2　（%3）</source>
        <translation>Staff ID: %1  Password: %2  (%3)</translation>
    </message>
    <message>
        <source>職員IDとパスワードを入力してください</source>
        <translation>Enter your staff ID and password</translation>
    </message>
    <message>
        <source>追加の本人認証が必要です。この端末ではまだ対応していません</source>
        <translation>Additional authentication is required, which this terminal does not support yet</translation>
    </message>
    <message>
        <source>ログイン中…</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>支援措置の判断(&amp;D)</source>
        <translation>Support measure &amp;decisions</translation>
    </message>
    <message>
        <source>⚠ 支援措置の対象者を扱っています。住所・連絡先を第三者に知られないようにしてください。代理人・第三者への交付や回答はできません（上司の判断が必要です）。</source>
        <translation>⚠ A person under a support measure is being handled. Keep their address and contacts from third parties. Nothing may be issued or answered to a proxy or third party (a supervisor decides).</translation>
    </message>
    <message>
        <source>受付・届出の入力(&amp;U)</source>
        <translation>Reception and &amp;entry</translation>
    </message>
    <message>
        <source>税の二重チェック(&amp;C)</source>
        <translation>Tax double &amp;check</translation>
    </message>
    <message>
        <source>税の照会(&amp;I)</source>
        <translation>Tax &amp;inquiry</translation>
    </message>
    <message>
        <source>仮想カード</source>
        <translation>Virtual card</translation>
    </message>
    <message>
        <source>審査(&amp;R)</source>
        <translation>&amp;Review</translation>
    </message>
    <message>
        <source>住民検索(&amp;S)</source>
        <translation>Resident &amp;search</translation>
    </message>
    <message>
        <source>画面(&amp;V)</source>
        <translation>&amp;Screens</translation>
    </message>
    <message>
        <source>管理(&amp;A)</source>
        <translation>&amp;Administration</translation>
    </message>
    <message>
        <source>ログインの有効期限が切れました。もう一度ログインしてください</source>
        <translation>Your login has expired. Please log in again.</translation>
    </message>
    <message>
        <source>この端末は中央で利用停止されました。端末内の作業データを消去し、ログアウトしました。情報主管課に連絡してください</source>
        <translation>This terminal has been disabled centrally. Its working data was erased and you were logged out. Contact IT security.</translation>
    </message>
    <message>
        <source>カメラなし</source>
        <translation>No camera</translation>
    </message>
    <message>
        <source>パスワードの誤りが続いたため、アカウントがロックされました。ログアウトしました</source>
        <translation>Too many wrong passwords: the account is locked and you were logged out.</translation>
    </message>
    <message>
        <source>一定時間操作がなかったため、画面をロックしました。</source>
        <translation>The screen was locked after a period without activity.</translation>
    </message>
    <message>
        <source>仮想カメラ</source>
        <translation>Virtual camera</translation>
    </message>
    <message>
        <source>最大利用時間に達したため、ログアウトしました。もう一度ログインしてください</source>
        <translation>The maximum session length was reached and you were logged out. Please log in again.</translation>
    </message>
    <message>
        <source>画面ロックのまま時間が経過したため、ログアウトしました。端末内の作業データは消去しました</source>
        <translation>The screen stayed locked too long, so you were logged out. The working data on this terminal was erased.</translation>
    </message>
    <message>
        <source>開発用鍵ストア（メモリ内）</source>
        <translation>Development key store (in memory)</translation>
    </message>
    <message>
        <source>窓口端末 — Madoguchi</source>
        <translation>Counter Terminal — Madoguchi</translation>
    </message>
    <message>
        <source>異動リスト(&amp;L)</source>
        <translation>&amp;List of changes</translation>
    </message>
    <message>
        <source>職権の入力(&amp;O)</source>
        <translation>Ex &amp;officio entry</translation>
    </message>
    <message>
        <source>職権の決裁(&amp;E)</source>
        <translation>Ex officio d&amp;ecisions</translation>
    </message>
</context>
<context>
    <name>Purposes</name>
    <message>
        <source>異動届の受付</source>
        <translation>Receiving a change-of-residence notification</translation>
    </message>
    <message>
        <source>証明書の交付</source>
        <translation>Issuing a certificate</translation>
    </message>
    <message>
        <source>本人確認</source>
        <translation>Identity verification</translation>
    </message>
    <message>
        <source>税務</source>
        <translation>Taxation</translation>
    </message>
    <message>
        <source>照会への回答</source>
        <translation>Answering an official inquiry</translation>
    </message>
    <message>
        <source>審査</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>その他</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>SearchPage</name>
    <message>
        <source>検索結果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <source>新しい受付（転入・出生など）(&amp;N)</source>
        <translation>&amp;New case (moving in, birth, …)</translation>
    </message>
    <message>
        <source>この方の届出を入力</source>
        <translation>Enter a notification for this person</translation>
    </message>
    <message>
        <source>税務窓口（申告・課税証明）</source>
        <translation>Tax counter (return, certificate)</translation>
    </message>
    <message>
        <source>本人確認</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <source>住民票の写しを交付</source>
        <translation>Issue a certificate of residence</translation>
    </message>
    <message>
        <source>ログアウト</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>住民検索</source>
        <translation>Resident search</translation>
    </message>
    <message>
        <source>（選択してください）</source>
        <translation>(choose a purpose)</translation>
    </message>
    <message>
        <source>「その他」の場合は具体的な目的を入力</source>
        <translation>For "Other", describe the purpose</translation>
    </message>
    <message>
        <source>11桁</source>
        <translation>11 digits</translation>
    </message>
    <message>
        <source>漢字またはフリガナ</source>
        <translation>Kanji or katakana reading</translation>
    </message>
    <message>
        <source>例: 1980-04-01</source>
        <translation>e.g. 1980-04-01</translation>
    </message>
    <message>
        <source>検索</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>クリア</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>利用目的</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>目的の補足</source>
        <translation>Purpose note</translation>
    </message>
    <message>
        <source>住民票コード</source>
        <translation>Resident record code</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>生年月日</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>検索条件</source>
        <translation>Search criteria</translation>
    </message>
    <message>
        <source>利用目的を選び、住民票コード・氏名・住所・生年月日のうち2つ以上を入力してください。</source>
        <translation>Choose a purpose and enter at least two of: resident record code, name, address, date of birth.</translation>
    </message>
    <message>
        <source>フリガナ</source>
        <translation>Reading (kana)</translation>
    </message>
    <message>
        <source>個人番号</source>
        <translation>My Number</translation>
    </message>
    <message>
        <source>支援措置</source>
        <translation>Support measure</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>%1 さん（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>検索中…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <source>該当する住民は見つかりませんでした</source>
        <translation>No matching resident was found</translation>
    </message>
    <message numerus="yes">
        <source>%n 件見つかりました</source>
        <translation>
            <numerusform>%n resident found</numerusform>
            <numerusform>%n residents found</numerusform>
        </translation>
    </message>
    <message>
        <source>個人番号を閲覧する権限がありません</source>
        <translation>You are not authorised to see the My Number</translation>
    </message>
    <message>
        <source>⚠ 支援措置</source>
        <translation>⚠ Support measure</translation>
    </message>
    <message>
        <source>DV等支援措置の対象者です。住所等を第三者に伝えないでください。</source>
        <translation>This resident is protected by a support measure (e.g. domestic violence). Do not disclose the address or other details to third parties.</translation>
    </message>
    <message>
        <source>除票</source>
        <translation>Removed</translation>
    </message>
    <message>
        <source>住民</source>
        <translation>Resident</translation>
    </message>
</context>
<context>
    <name>PrivacyShield</name>
    <message>
        <source>ログインした職員とは別の人を検知しました</source>
        <translation>Someone other than the logged-in operator is at the counter</translation>
    </message>
    <message>
        <source>画面をロックしました。ログインした職員本人がパスワードを入力してください。</source>
        <translation>The screen is locked. The logged-in operator must enter their password.</translation>
    </message>
    <message>
        <source>覗き込みを検知しました</source>
        <translation>Someone is looking at the screen</translation>
    </message>
    <message>
        <source>個人情報を隠しています。周囲の方が離れると自動的に表示が戻ります。</source>
        <translation>Personal data is hidden. The screen comes back automatically when nobody else is looking.</translation>
    </message>
    <message>
        <source>カメラが覆われています</source>
        <translation>The camera is covered</translation>
    </message>
    <message>
        <source>カメラの覆いを外してください。映像を確認できるまで画面を隠します。</source>
        <translation>Uncover the camera. The screen stays hidden until the camera image can be checked.</translation>
    </message>
    <message>
        <source>カメラの映像が止まっています</source>
        <translation>The camera image has stopped</translation>
    </message>
    <message>
        <source>カメラの映像が更新されないため画面を隠しています。</source>
        <translation>The screen is hidden because the camera image is not updating.</translation>
    </message>
    <message>
        <source>離席を検知しました</source>
        <translation>You appear to have left the counter</translation>
    </message>
    <message>
        <source>画面をロックしました。もう一度ログインしてください。</source>
        <translation>The screen is locked. Please log in again.</translation>
    </message>
    <message>
        <source>カメラを利用できません</source>
        <translation>The camera is unavailable</translation>
    </message>
    <message>
        <source>カメラが接続されていないか応答がないため、画面を隠しています。</source>
        <translation>The screen is hidden because the camera is not connected or not responding.</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>%1 さん（%2）の作業を保留しています。本人がパスワードを入力すると再開します。</source>
        <translation>%1 (%2)'s work is on hold. It resumes when the same operator enters their password.</translation>
    </message>
    <message>
        <source>パスワード</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>パスワードを入力してください</source>
        <translation>Enter your password</translation>
    </message>
    <message>
        <source>ログアウト（別の職員が使う場合）</source>
        <translation>Log out (if another operator needs the terminal)</translation>
    </message>
    <message>
        <source>ロック解除</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>中央サーバーに接続できないため、ロックを解除できません。接続を確認してもう一度お試しください</source>
        <translation>The screen cannot be unlocked because the central server is unreachable. Check the connection and try again.</translation>
    </message>
    <message>
        <source>画面をロックしました</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <source>確認中…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>ResidentWindow</name>
    <message>
        <source>窓口 — お客様用画面</source>
        <translation>Counter — resident's screen</translation>
    </message>
    <message>
        <source>しばらくお{待|ま}ちください</source>
        <translation>Please wait a moment</translation>
    </message>
    <message>
        <source>文字を小さく</source>
        <translation>Smaller text</translation>
    </message>
    <message>
        <source>文字を大きく</source>
        <translation>Larger text</translation>
    </message>
    <message>
        <source>{内容|ないよう}をご{確認|かくにん}ください</source>
        <translation>Please check the contents</translation>
    </message>
    <message>
        <source>%1 / %2 ページ</source>
        <translation>Page %1 of %2</translation>
    </message>
    <message>
        <source>この{署名|しょめい}は{次|つぎ}の{書類|しょるい}に{使|つか}われます</source>
        <translation>This signature will be used on the following forms</translation>
    </message>
    <message>
        <source>{下|した}の{枠|わく}の{中|なか}にお{名前|なまえ}を{書|か}いてください</source>
        <translation>Please write your name in the box below</translation>
    </message>
    <message>
        <source>消して書き直す</source>
        <translation>Clear and write again</translation>
    </message>
    <message>
        <source>署名を確定する</source>
        <translation>Confirm the signature</translation>
    </message>
    <message>
        <source>代筆 — 理由: %1</source>
        <translation>Written by a staff member on your behalf (代筆) — reason: %1</translation>
    </message>
</context>
<context>
    <name>ReviewListDialog</name>
    <message>
        <source>要確認リスト</source>
        <translation>Items to check</translation>
    </message>
    <message>
        <source>中央サーバーが受け付けなかった処理です。理由を確認して、必要なら入力し直してください。後続の処理は送信済みです。</source>
        <translation>The central server did not accept these. Read the reason and enter them again if needed. The work queued after them has been sent.</translation>
    </message>
    <message>
        <source>処理</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <source>理由（中央サーバー）</source>
        <translation>Reason (central server)</translation>
    </message>
    <message>
        <source>コード</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>不受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>要調査</source>
        <translation>Needs investigation</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>権限の申請</source>
        <translation>Apply for rights</translation>
    </message>
    <message>
        <source>申請の承認</source>
        <translation>Applications</translation>
    </message>
    <message>
        <source>覗き込み対策</source>
        <translation>Onlooker protection</translation>
    </message>
    <message>
        <source>%1 さん（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>アクセス点検</source>
        <translation>Access review</translation>
    </message>
    <message>
        <source>ログアウト</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>権限一覧</source>
        <translation>Rights</translation>
    </message>
    <message>
        <source>監査ログ</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>端末</source>
        <translation>Terminals</translation>
    </message>
    <message>
        <source>管理</source>
        <translation>Administration</translation>
    </message>
</context>
<context>
    <name>AccessReviewTab</name>
    <message>
        <source>%1 の記録 %2 件を点検しました。要確認 %3 件</source>
        <translation>Reviewed %2 records of %1. %3 to check</translation>
    </message>
    <message>
        <source>アクセス点検</source>
        <translation>Access review</translation>
    </message>
    <message>
        <source>ログイン失敗</source>
        <translation>Failed logins</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>参照件数過多</source>
        <translation>Unusual volume</translation>
    </message>
    <message>
        <source>支援措置対象者の参照</source>
        <translation>Access to a 支援措置 subject</translation>
    </message>
    <message>
        <source>日時</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>時間外参照</source>
        <translation>Off-hours access</translation>
    </message>
    <message>
        <source>点検する</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>点検する日</source>
        <translation>Day to review</translation>
    </message>
    <message>
        <source>種類</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>端末</source>
        <translation>Terminals</translation>
    </message>
    <message>
        <source>職員</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>要確認の記録はありません</source>
        <translation>Nothing to check</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <source>改ざんの疑いがあります: 第 %1 行（%2）</source>
        <translation>Possible tampering: row %1 (%2)</translation>
    </message>
    <message>
        <source>正常です（%1 行を検査、署名付きチェックポイントと一致）</source>
        <translation>Intact (%1 rows checked, in agreement with the signed checkpoints)</translation>
    </message>
    <message>
        <source>各行の連鎖は正常です（%1 行を検査）。ただしチェックポイントが設定されていないため、末尾の削除は検出できません</source>
        <translation>The chain of rows is intact (%1 rows checked), but with no checkpoints configured a deleted tail cannot be detected</translation>
    </message>
    <message>
        <source>監査ログの改ざん検査を実行</source>
        <translation>Verify the audit log</translation>
    </message>
    <message>
        <source>監査ログは追記のみで、各行が前の行のハッシュを含みます。検査は全行をたどり、最初に一致しない行を示します。</source>
        <translation>The audit log is append-only and every row carries the hash of the row before it. Verification walks every row and names the first one that does not match.</translation>
    </message>
</context>
<context>
    <name>DevicesTab</name>
    <message>
        <source>停止理由</source>
        <translation>Reason disabled</translation>
    </message>
    <message>
        <source>再読み込み</source>
        <translation>Reload</translation>
    </message>
    <message>
        <source>利用中</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>利用停止</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>利用停止する端末を一覧から選んでください</source>
        <translation>Select the terminal to disable in the list</translation>
    </message>
    <message>
        <source>利用停止の理由を入力してください</source>
        <translation>Enter the reason for disabling</translation>
    </message>
    <message>
        <source>利用停止の理由（例: 紛失届）</source>
        <translation>Reason for disabling (e.g. reported lost)</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>種別</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>窓口端末</source>
        <translation>Counter terminal</translation>
    </message>
    <message>
        <source>端末</source>
        <translation>Terminals</translation>
    </message>
    <message>
        <source>端末 %1 を利用停止にしました。次の通信で作業データが消去されます</source>
        <translation>Terminal %1 disabled. Its working data is erased at its next contact</translation>
    </message>
    <message>
        <source>端末ID</source>
        <translation>Terminal ID</translation>
    </message>
    <message>
        <source>貸出承認</source>
        <translation>Loan approval</translation>
    </message>
    <message>
        <source>貸出端末</source>
        <translation>Loan device</translation>
    </message>
    <message>
        <source>選択した端末を利用停止</source>
        <translation>Disable the selected terminal</translation>
    </message>
</context>
<context>
    <name>OnlookerTab</name>
    <message>
        <source> 秒</source>
        <translation> s</translation>
    </message>
    <message>
        <source>このカメラを使う（この端末）</source>
        <translation>Use this camera (this terminal)</translation>
    </message>
    <message>
        <source>カメラに異常があれば画面を隠す（推奨）</source>
        <translation>Hide the screen when the camera is in doubt (recommended)</translation>
    </message>
    <message>
        <source>カメラを探す</source>
        <translation>Find cameras</translation>
    </message>
    <message>
        <source>使用するカメラ</source>
        <translation>Camera to use</translation>
    </message>
    <message>
        <source>使用中のカメラ: %1</source>
        <translation>Camera in use: %1</translation>
    </message>
    <message>
        <source>保存しました。各端末の次回ログインから適用されます</source>
        <translation>Saved. Terminals use it from their next login</translation>
    </message>
    <message>
        <source>保存（次回のログインから適用）</source>
        <translation>Save (applies from the next login)</translation>
    </message>
    <message>
        <source>検出の最低信頼度（感度）</source>
        <translation>Minimum detection confidence (sensitivity)</translation>
    </message>
    <message>
        <source>検出の様子（枠のみ。映像は表示・保存しません）</source>
        <translation>What the detector sees (boxes only; no image is shown or kept)</translation>
    </message>
    <message>
        <source>解除までのフレーム数</source>
        <translation>Clean frames before clearing</translation>
    </message>
    <message>
        <source>遮蔽までのフレーム数</source>
        <translation>Onlooker frames before shielding</translation>
    </message>
    <message>
        <source>離席と判断する時間</source>
        <translation>Absence before locking</translation>
    </message>
    <message>
        <source>（注意: カメラ異常時に画面を隠さない設定です）</source>
        <translation> (Warning: the screen is NOT hidden when the camera fails)</translation>
    </message>
</context>
<context>
    <name>RightsTab</name>
    <message>
        <source>初期設定（%1）</source>
        <translation>Initial provisioning (%1)</translation>
    </message>
    <message>
        <source>申請者</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>%1 さんの権限「%2」を失効させました（次の操作から有効）</source>
        <translation>Revoked %1's right "%2" (effective from their next request)</translation>
    </message>
    <message>
        <source>%1 件を %2 に書き出しました</source>
        <translation>Wrote %1 rows to %2</translation>
    </message>
    <message>
        <source>CSVに書き出す</source>
        <translation>Export CSV</translation>
    </message>
    <message>
        <source>この権限はすでに失効しています</source>
        <translation>This right is already revoked</translation>
    </message>
    <message>
        <source>ファイルに書き込めません: %1</source>
        <translation>Cannot write the file: %1</translation>
    </message>
    <message>
        <source>フォルダー %1 がありません</source>
        <translation>The folder %1 does not exist</translation>
    </message>
    <message>
        <source>付与者</source>
        <translation>Granted by</translation>
    </message>
    <message>
        <source>再読み込み</source>
        <translation>Reload</translation>
    </message>
    <message>
        <source>失効</source>
        <translation>Revoked</translation>
    </message>
    <message>
        <source>失効させる権限を一覧から選んでください</source>
        <translation>Select the right to revoke in the list</translation>
    </message>
    <message>
        <source>失効の理由を入力してください</source>
        <translation>Enter the reason for the revocation</translation>
    </message>
    <message>
        <source>失効の理由（例: 異動のため）</source>
        <translation>Reason for revoking (e.g. transferred)</translation>
    </message>
    <message>
        <source>書き出し先</source>
        <translation>Save to</translation>
    </message>
    <message>
        <source>書き出し先のファイル名を入力してください</source>
        <translation>Enter the file to write</translation>
    </message>
    <message>
        <source>有効</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>期限</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>期限切れ</source>
        <translation>Expired</translation>
    </message>
    <message>
        <source>権限</source>
        <translation>Right</translation>
    </message>
    <message>
        <source>権限一覧</source>
        <translation>Rights</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>職員ID</source>
        <translation>Operator ID</translation>
    </message>
    <message>
        <source>選択した権限を失効</source>
        <translation>Revoke the selected right</translation>
    </message>
    <message>
        <source>開始</source>
        <translation>From</translation>
    </message>
    <message>
        <source>開始前</source>
        <translation>Not yet valid</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>⚠ この届出には署名済みの申請書がまだ保存されていません</source>
        <translation>⚠ No signed form has been stored with this notification yet</translation>
    </message>
    <message>
        <source>⚠ 申請書と届出の内容に相違があります。差し戻してください</source>
        <translation>⚠ The forms and the notification differ. Return it</translation>
    </message>
    <message>
        <source>この届出の署名済みの申請書</source>
        <translation>The signed forms of this notification</translation>
    </message>
    <message>
        <source>一致（%1項目）</source>
        <translation>Same (%1 items)</translation>
    </message>
    <message>
        <source>代筆（%1）</source>
        <translation>Written on behalf (%1)</translation>
    </message>
    <message>
        <source>受け取る課</source>
        <translation>Receiving division</translation>
    </message>
    <message>
        <source>届出との照合</source>
        <translation>Compared with the notification</translation>
    </message>
    <message>
        <source>本人</source>
        <translation>The resident</translation>
    </message>
    <message>
        <source>版</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>相違: </source>
        <translation>Differs: </translation>
    </message>
    <message>
        <source>署名</source>
        <translation>Signed by</translation>
    </message>
    <message>
        <source>署名済みの申請書</source>
        <translation>Signed form</translation>
    </message>
    <message>
        <source>署名済みの申請書 %1 件（届出の内容と一致）</source>
        <translation>%1 signed forms (the same as the notification)</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>⚠ この届出には本人確認の記録がありません。届出人の確認方法を入力者に確かめてください</source>
        <translation>⚠ No identity check is recorded for this notification. Ask the clerk who entered it how the notifier was identified.</translation>
    </message>
    <message>
        <source>マイナンバーカード（ICチップ照合）</source>
        <translation>My Number Card (chip checked)</translation>
    </message>
    <message>
        <source>マイナンバーカード（券面入力補助）</source>
        <translation>My Number Card (card face, input support)</translation>
    </message>
    <message>
        <source>・署名検証済み</source>
        <translation>, signature verified</translation>
    </message>
    <message>
        <source>対象者以外の住民（記録番号 %1）を確認。届出人であることを確かめてください</source>
        <translation>checked a resident other than the subject (record %1): make sure this is the notifier</translation>
    </message>
    <message>
        <source>届出の対象者本人（記録番号 %1）</source>
        <translation>the subject of the notification (record %1)</translation>
    </message>
    <message>
        <source>本人確認: %1%2　%3　%4　確認者: %5</source>
        <translation>Identity check: %1%2  %3  %4  checked by: %5</translation>
    </message>
    <message>
        <source>本人確認書類</source>
        <translation>Identity documents</translation>
    </message>
    <message>
        <source>転入の受付で確認</source>
        <translation>checked at the moving-in reception</translation>
    </message>
    <message>
        <source>入力内容と現在の記録</source>
        <translation>The entry and the current record</translation>
    </message>
    <message>
        <source>中央サーバーに接続できないため、審査できません。審査は最新の住民記録と照合して行います。接続が戻ると再開できます</source>
        <translation>Review is not possible while the central server is unreachable: it compares entries with the latest register record. It resumes when the connection is back.</translation>
    </message>
    <message>
        <source>%1 さん（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>⚠ 支援措置の対象者です。住所等を第三者に知られないよう取り扱いに注意してください</source>
        <translation>⚠ This person is under a support measure (支援措置). Take care that no third party learns the address.</translation>
    </message>
    <message>
        <source>ご自身が入力した届出は審査できません。別の職員が審査します</source>
        <translation>You cannot review an entry you made yourself. Another operator will review it.</translation>
    </message>
    <message>
        <source>ログアウト</source>
        <translation>Log out</translation>
    </message>
    <message>
        <source>入力内容</source>
        <translation>Entered</translation>
    </message>
    <message>
        <source>入力後に住民記録が更新されています。承認できません。最新の記録で入力し直すよう差し戻してください</source>
        <translation>The register record changed after this entry. It cannot be approved; return it so that it is entered again on the latest record.</translation>
    </message>
    <message>
        <source>入力者</source>
        <translation>Entered by</translation>
    </message>
    <message>
        <source>変更あり</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>審査</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>審査待ちの届出</source>
        <translation>Entries waiting for review</translation>
    </message>
    <message>
        <source>審査待ちの届出はありません</source>
        <translation>No entries are waiting for review</translation>
    </message>
    <message>
        <source>対象</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>届出</source>
        <translation>Notification</translation>
    </message>
    <message>
        <source>左の一覧から届出を選んでください</source>
        <translation>Select an entry in the list on the left</translation>
    </message>
    <message>
        <source>差し戻しの理由</source>
        <translation>Reason for returning</translation>
    </message>
    <message>
        <source>差し戻す</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>承認して反映</source>
        <translation>Approve and apply</translation>
    </message>
    <message>
        <source>現在の記録</source>
        <translation>Current record</translation>
    </message>
    <message>
        <source>番号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>第%1号　%2届　入力: %3</source>
        <translation>No. %1 — %2 — entered by %3</translation>
    </message>
    <message>
        <source>第%1号を差し戻しました</source>
        <translation>Returned No. %1</translation>
    </message>
    <message>
        <source>第%1号を承認し、住民記録に反映しました</source>
        <translation>Approved No. %1 and applied it to the register</translation>
    </message>
    <message>
        <source>項目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>異動日</source>
        <translation>Date of change</translation>
    </message>
    <message>
        <source>届出日</source>
        <translation>Date notified</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>フリガナ</source>
        <translation>Name (kana)</translation>
    </message>
    <message>
        <source>生年月日</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>性別</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>個人番号</source>
        <translation>My Number</translation>
    </message>
    <message>
        <source>郵便番号</source>
        <translation>Postal code</translation>
    </message>
    <message>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>方書</source>
        <translation>Building / care of</translation>
    </message>
    <message>
        <source>本籍</source>
        <translation>Registered domicile</translation>
    </message>
    <message>
        <source>筆頭者</source>
        <translation>Head of family register</translation>
    </message>
    <message>
        <source>国籍</source>
        <translation>Nationality</translation>
    </message>
    <message>
        <source>在留資格</source>
        <translation>Residence status</translation>
    </message>
    <message>
        <source>在留期間満了日</source>
        <translation>Period of stay ends</translation>
    </message>
    <message>
        <source>在留カード番号</source>
        <translation>Residence card no.</translation>
    </message>
    <message>
        <source>転入前住所</source>
        <translation>Previous address</translation>
    </message>
    <message>
        <source>転出先</source>
        <translation>Moving to</translation>
    </message>
    <message>
        <source>世帯番号</source>
        <translation>Household no.</translation>
    </message>
    <message>
        <source>続柄</source>
        <translation>Relationship</translation>
    </message>
    <message>
        <source>転入</source>
        <translation>Moving in</translation>
    </message>
    <message>
        <source>転居</source>
        <translation>Move within the city</translation>
    </message>
    <message>
        <source>転出</source>
        <translation>Moving out</translation>
    </message>
    <message>
        <source>世帯変更</source>
        <translation>Household change</translation>
    </message>
    <message>
        <source>出生</source>
        <translation>Birth</translation>
    </message>
    <message>
        <source>死亡</source>
        <translation>Death</translation>
    </message>
</context>
<context>
    <name>DecisionQueue</name>
    <message>
        <source>再読み込み</source>
        <translation>Reload</translation>
    </message>
    <message>
        <source>差し戻しの理由を入力してください</source>
        <translation>Enter the reason for returning</translation>
    </message>
</context>
<context>
    <name>IssuancePage</name>
    <message>
        <source>住民票記載事項証明書の交付</source>
        <translation>Issue a certificate of recorded items</translation>
    </message>
    <message>
        <source>世帯主・続柄</source>
        <translation>Head of household and relationship</translation>
    </message>
    <message>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>住民となった日</source>
        <translation>Date of becoming a resident</translation>
    </message>
    <message>
        <source>住民票の写し</source>
        <translation>Copy of the residence record</translation>
    </message>
    <message>
        <source>判断依頼は代理人・第三者からの請求に限ります</source>
        <translation>A decision can be requested only for a proxy or a third party</translation>
    </message>
    <message>
        <source>性別</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>提出先</source>
        <translation>Submitted to</translation>
    </message>
    <message>
        <source>提出先を入力してください</source>
        <translation>Enter where it will be submitted</translation>
    </message>
    <message>
        <source>本籍・筆頭者（請求があった場合のみ）</source>
        <translation>Registered domicile and head of family register (only when asked for)</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>生年月日</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>記載事項証明書</source>
        <translation>Certificate of recorded items</translation>
    </message>
    <message>
        <source>証明する事項</source>
        <translation>Items to certify</translation>
    </message>
    <message>
        <source>証明する事項を一つ以上選んでください</source>
        <translation>Choose at least one item to certify</translation>
    </message>
    <message>
        <source>証明書</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>中央サーバーに接続できないため、交付できません。交付には支援措置の状態の確認が必要です。接続が戻ると再開できます</source>
        <translation>Certificates cannot be issued while the central server is unreachable: issuance needs the current 支援措置 state. It resumes when the connection is back.</translation>
    </message>
    <message>
        <source>PDFを保存できませんでした</source>
        <translation>The PDF could not be saved</translation>
    </message>
    <message>
        <source>⚠ 支援措置の対象者です。代理人・第三者への交付はできません（所属長の判断が必要）</source>
        <translation>⚠ This person is under a support measure: no issuance to a proxy or third party (a supervisor must decide)</translation>
    </message>
    <message>
        <source>上記以外</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>世帯全員（世帯連記式）</source>
        <translation>Whole household</translation>
    </message>
    <message>
        <source>交付しています…</source>
        <translation>Issuing…</translation>
    </message>
    <message>
        <source>交付する（PDFを作成）</source>
        <translation>Issue (create the PDF)</translation>
    </message>
    <message>
        <source>代理人（委任状あり）</source>
        <translation>Proxy (with a letter of proxy)</translation>
    </message>
    <message>
        <source>住民票の写しの交付</source>
        <translation>Issue a certificate of residence</translation>
    </message>
    <message>
        <source>住民票コード</source>
        <translation>Resident record code</translation>
    </message>
    <message>
        <source>例: さくら年金事務所</source>
        <translation>e.g. Sakura pension office</translation>
    </message>
    <message>
        <source>個人番号</source>
        <translation>My Number</translation>
    </message>
    <message>
        <source>個人番号の記載には特定個人情報アクセス権限が必要です</source>
        <translation>Printing the My Number needs the specific personal information access right</translation>
    </message>
    <message>
        <source>個人票（本人のみ）</source>
        <translation>Individual (this person only)</translation>
    </message>
    <message>
        <source>利用目的</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>利用目的を選んでください</source>
        <translation>Choose the purpose</translation>
    </message>
    <message>
        <source>勤務先への提出（社会保険・税の手続き）</source>
        <translation>For the employer (social insurance and tax)</translation>
    </message>
    <message>
        <source>同一世帯の方</source>
        <translation>Same household</translation>
    </message>
    <message>
        <source>委任状を確認した</source>
        <translation>Letter of proxy checked</translation>
    </message>
    <message>
        <source>提出先（個人番号）</source>
        <translation>Submitted to (My Number)</translation>
    </message>
    <message>
        <source>本人</source>
        <translation>The person</translation>
    </message>
    <message>
        <source>本籍・筆頭者</source>
        <translation>Registered domicile and head</translation>
    </message>
    <message>
        <source>検索に戻る</source>
        <translation>Back to search</translation>
    </message>
    <message>
        <source>災害対策</source>
        <translation>Disaster response</translation>
    </message>
    <message>
        <source>目的の補足</source>
        <translation>Purpose details</translation>
    </message>
    <message>
        <source>社会保障（年金・医療・介護・福祉・労働保険）</source>
        <translation>Social security (pension, health, care, welfare, labour insurance)</translation>
    </message>
    <message>
        <source>税（申告・届出・源泉徴収）</source>
        <translation>Tax (returns, notifications, withholding)</translation>
    </message>
    <message>
        <source>種類</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>第三者</source>
        <translation>Third party</translation>
    </message>
    <message>
        <source>続柄</source>
        <translation>Relationship</translation>
    </message>
    <message>
        <source>記載する事項</source>
        <translation>Items to print</translation>
    </message>
    <message>
        <source>証明書番号 %1 を交付しました。帳票管理簿に記録済みです。PDF: %2</source>
        <translation>Issued certificate %1 and recorded it in the issuance ledger. PDF: %2</translation>
    </message>
    <message>
        <source>請求の内容</source>
        <translation>Request</translation>
    </message>
    <message>
        <source>請求理由（個人番号）</source>
        <translation>Reason (My Number)</translation>
    </message>
    <message>
        <source>請求者</source>
        <translation>Requested by</translation>
    </message>
    <message>
        <source>部数</source>
        <translation>Copies</translation>
    </message>
    <message>
        <source>（選択してください）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <source>証明書番号 %1 は交付として記録されましたが、印刷用の内容を保存できませんでした。もう一度交付してください（新しい交付として記録されます）</source>
        <translation>Certificate %1 is recorded as issued, but its content could not be saved for printing. Issue it again (recorded as a new issuance)</translation>
    </message>
</context>
<context>
    <name>DecisionRequestBox</name>
    <message>
        <source>この判断は使用済みか期限切れです。改めて判断依頼をしてください</source>
        <translation>This decision has been used or has expired. Send a new request for a decision</translation>
    </message>
    <message>
        <source>まだ判断されていません。しばらくしてからもう一度確認してください</source>
        <translation>Not decided yet. Check again a little later</translation>
    </message>
    <message>
        <source>判断依頼 第%1号を送りました。所属長の判断を待っています</source>
        <translation>Request for a decision no. %1 sent. Waiting for the supervisor</translation>
    </message>
    <message>
        <source>判断結果を確認</source>
        <translation>Check the decision</translation>
    </message>
    <message>
        <source>所属長が交付を認めました（理由: %1）。同じ内容で「交付する」を押してください（1回限り・当日限り）</source>
        <translation>The supervisor approved the issuance (reason: %1). Press "Issue" with the same details (once, today only)</translation>
    </message>
    <message>
        <source>所属長が交付を認めませんでした（理由: %1）。交付できません</source>
        <translation>The supervisor refused the issuance (reason: %1). It cannot be issued</translation>
    </message>
    <message>
        <source>所属長に判断を依頼する</source>
        <translation>Ask the supervisor to decide</translation>
    </message>
    <message>
        <source>所属長の判断に基づき交付しました（判断は使用済み）</source>
        <translation>Issued on the supervisor's decision (the decision is now used)</translation>
    </message>
    <message>
        <source>所属長への判断依頼（支援措置）</source>
        <translation>Request for a supervisor's decision (support measure)</translation>
    </message>
    <message>
        <source>法人・団体の場合</source>
        <translation>For a company or organisation</translation>
    </message>
    <message>
        <source>請求者の所属・名称</source>
        <translation>Requester's organisation</translation>
    </message>
    <message>
        <source>請求者の氏名</source>
        <translation>Requester's name</translation>
    </message>
    <message>
        <source>請求者の氏名を入力してください</source>
        <translation>Enter the requester's name</translation>
    </message>
</context>
<context>
    <name>Subject</name>
    <message>
        <source>対象: %1（%2）　%3</source>
        <translation>Person: %1 (%2)  %3</translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <source>確認の方法</source>
        <translation>How identity is checked</translation>
    </message>
    <message>
        <source>申告に戻る(&amp;B)</source>
        <translation>&amp;Back to the tax return</translation>
    </message>
    <message>
        <source>検索に戻る(&amp;B)</source>
        <translation>&amp;Back to search</translation>
    </message>
    <message>
        <source>対象: 転入の届出人（この市の住民記録はまだありません。カードの券面事項を読み取り、届出の入力に使います）</source>
        <translation>Subject: person moving in (no register record here yet; the card's details are read and used for the notification)</translation>
    </message>
    <message>
        <source>受付に戻る(&amp;B)</source>
        <translation>&amp;Back to the case</translation>
    </message>
    <message>
        <source>カードリーダーを準備できません。書類で確認してください</source>
        <translation>The card reader cannot be prepared. Identify with documents</translation>
    </message>
    <message>
        <source>カードを確認しています…</source>
        <translation>Checking the card…</translation>
    </message>
    <message>
        <source>カードリーダーが設定されていません。書類で確認してください</source>
        <translation>No card reader is configured. Identify with documents</translation>
    </message>
    <message>
        <source>マイナンバーカード(&amp;C)</source>
        <translation>My Number &amp;card</translation>
    </message>
    <message>
        <source>マイナンバーカードをリーダーに置き、「カードを読む」を押してください</source>
        <translation>Place the My Number card on the reader and press "Read card"</translation>
    </message>
    <message>
        <source>住民記録を読み込んでいます…</source>
        <translation>Loading the register record…</translation>
    </message>
    <message>
        <source>健康保険の資格確認書・被保険者証</source>
        <translation>Health insurance card or eligibility certificate</translation>
    </message>
    <message>
        <source>公共料金の領収書（氏名・住所記載）</source>
        <translation>Utility bill with name and address</translation>
    </message>
    <message>
        <source>在留カード・特別永住者証明書</source>
        <translation>Residence card / special permanent resident certificate</translation>
    </message>
    <message>
        <source>学生証（写真なし）</source>
        <translation>Student ID (no photo)</translation>
    </message>
    <message>
        <source>対象: %1（%2）</source>
        <translation>Person: %1 (%2)</translation>
    </message>
    <message>
        <source>年金手帳・基礎年金番号通知書</source>
        <translation>Pension book / basic pension number notice</translation>
    </message>
    <message>
        <source>年金証書</source>
        <translation>Pension certificate</translation>
    </message>
    <message>
        <source>旅券（パスポート）</source>
        <translation>Passport</translation>
    </message>
    <message>
        <source>暗証番号は4桁の数字です</source>
        <translation>The PIN is 4 digits</translation>
    </message>
    <message>
        <source>書類(&amp;S)</source>
        <translation>&amp;Supporting documents</translation>
    </message>
    <message>
        <source>本人確認</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <source>本人確認を記録しました</source>
        <translation>Identity check recorded</translation>
    </message>
    <message>
        <source>残り1回です。ご本人に伝えたうえで確認欄にチェックしてください</source>
        <translation>One try left. Tell the resident, then tick the confirmation box</translation>
    </message>
    <message>
        <source>相違があることを含めて記録しました。住民記録の確認が必要です</source>
        <translation>Recorded, including the differences. The register record needs checking</translation>
    </message>
    <message>
        <source>身体障害者手帳（写真付き）</source>
        <translation>Disability certificate (with photo)</translation>
    </message>
    <message>
        <source>運転免許証</source>
        <translation>Driving licence</translation>
    </message>
    <message>
        <source>運転経歴証明書</source>
        <translation>Certificate of driving history</translation>
    </message>
    <message>
        <source>預金通帳・キャッシュカード</source>
        <translation>Bank book / cash card</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>暗証番号（4桁）</source>
        <translation>PIN (4 digits)</translation>
    </message>
    <message>
        <source>確定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>訂正</source>
        <translation>Clear</translation>
    </message>
</context>
<context>
    <name>EnrolPage</name>
    <message>
        <source>%1 の登録を削除しました</source>
        <translation>Deleted the enrolment of %1</translation>
    </message>
    <message>
        <source>%1 の顔を登録しました</source>
        <translation>Enrolled the face of %1</translation>
    </message>
    <message>
        <source>%1 は未登録です</source>
        <translation>%1 has no enrolled face</translation>
    </message>
    <message>
        <source>%1 は登録済みです（%2、撮影%3回、登録者 %4）</source>
        <translation>%1 is enrolled (%2, %3 captures, by %4)</translation>
    </message>
    <message>
        <source>戻る</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>撮り直す</source>
        <translation>Start over</translation>
    </message>
    <message>
        <source>撮影しました（%1/%2）</source>
        <translation>Captured (%1/%2)</translation>
    </message>
    <message>
        <source>撮影（%1/%2）</source>
        <translation>Capture (%1/%2)</translation>
    </message>
    <message>
        <source>登録する</source>
        <translation>Enrol</translation>
    </message>
    <message>
        <source>登録する職員本人だけをカメラの正面に座らせ、撮影を繰り返してください。顔の画像は保存されず、照合用の特徴量だけを暗号化して中央に登録します。</source>
        <translation>Seat only the operator being enrolled in front of the camera and repeat the capture. No face image is stored; only the features used for matching are encrypted and enrolled centrally.</translation>
    </message>
    <message>
        <source>登録を削除</source>
        <translation>Delete enrolment</translation>
    </message>
    <message>
        <source>登録状況を確認</source>
        <translation>Check enrolment</translation>
    </message>
    <message>
        <source>職員ID</source>
        <translation>Staff ID</translation>
    </message>
    <message>
        <source>職員IDを入力してください</source>
        <translation>Enter the staff ID</translation>
    </message>
    <message>
        <source>顔認証の登録</source>
        <translation>Face enrolment</translation>
    </message>
</context>
<context>
    <name>FacePage</name>
    <message>
        <source>%1 さん、カメラの正面を向いて「顔認証を行う」を押してください。</source>
        <translation>%1, face the camera and press "Verify face".</translation>
    </message>
    <message>
        <source>ログインをやめる</source>
        <translation>Cancel login</translation>
    </message>
    <message>
        <source>撮影しています…</source>
        <translation>Capturing…</translation>
    </message>
    <message>
        <source>確認中…</source>
        <translation>Verifying…</translation>
    </message>
    <message>
        <source>追加の本人認証が必要です。この端末ではまだ対応していません</source>
        <translation>Further authentication is required, which this terminal does not support yet</translation>
    </message>
    <message>
        <source>顔の画像は端末にも中央にも保存されません。照合用の特徴量だけを中央サーバーに送ります。</source>
        <translation>No face image is stored on the terminal or centrally. Only the features used for matching are sent to the central server.</translation>
    </message>
    <message>
        <source>顔認証</source>
        <translation>Face verification</translation>
    </message>
    <message>
        <source>顔認証に失敗しました</source>
        <translation>Face verification failed</translation>
    </message>
    <message>
        <source>顔認証に失敗しました（あと%1回）</source>
        <translation>Face verification failed (%1 tries left)</translation>
    </message>
    <message>
        <source>顔認証を行う</source>
        <translation>Verify face</translation>
    </message>
</context>
<context>
    <name>FaceQuality</name>
    <message>
        <source>カメラまたは顔認証の機能を利用できません。情報主管課に連絡してください</source>
        <translation>The camera or face verification is unavailable. Contact the information security office</translation>
    </message>
    <message>
        <source>明るすぎます。逆光を避けてください</source>
        <translation>Too bright. Avoid backlight</translation>
    </message>
    <message>
        <source>暗すぎます。照明を確認してください</source>
        <translation>Too dark. Check the lighting</translation>
    </message>
    <message>
        <source>画像がぼやけています。動かずにカメラを見てください</source>
        <translation>The image is blurred. Hold still and look at the camera</translation>
    </message>
    <message>
        <source>複数の顔が映っています。職員本人だけがカメラに映るようにしてください</source>
        <translation>Several faces are visible. Only the operator should be in view</translation>
    </message>
    <message>
        <source>顔が小さすぎます。カメラに近づいてください</source>
        <translation>The face is too small. Move closer to the camera</translation>
    </message>
    <message>
        <source>顔が見つかりません。カメラの正面を向いてください</source>
        <translation>No face found. Face the camera</translation>
    </message>
    <message>
        <source>顔を撮影できませんでした。もう一度お試しください</source>
        <translation>Could not capture the face. Please try again</translation>
    </message>
    <message>
        <source>顔を画面の中央に合わせてください</source>
        <translation>Centre your face in the picture</translation>
    </message>
</context>
<context>
    <name>DependentRow</name>
    <message>
        <source>%1人目</source>
        <translation>No. %1</translation>
    </message>
    <message>
        <source>その他の親族</source>
        <translation>Other relative</translation>
    </message>
    <message>
        <source>フリガナ</source>
        <translation>Kana</translation>
    </message>
    <message>
        <source>個人番号（12桁）</source>
        <translation>My Number (12 digits)</translation>
    </message>
    <message>
        <source>削除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>同居</source>
        <translation>Lives with filer</translation>
    </message>
    <message>
        <source>子</source>
        <translation>Child</translation>
    </message>
    <message>
        <source>所得見積額（円）</source>
        <translation>Estimated income (yen)</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>父母</source>
        <translation>Parent</translation>
    </message>
    <message>
        <source>生年月日 例: 2010-04-01</source>
        <translation>Date of birth, e.g. 2010-04-01</translation>
    </message>
    <message>
        <source>配偶者</source>
        <translation>Spouse</translation>
    </message>
    <message>
        <source>（続柄）</source>
        <translation>(Relationship)</translation>
    </message>
</context>
<context>
    <name>TaxCheckPage</name>
    <message>
        <source>二重チェック待ちの申告</source>
        <translation>Filings waiting for the double check</translation>
    </message>
    <message>
        <source>申告の入力内容と計算結果</source>
        <translation>The filing as entered and the computed result</translation>
    </message>
    <message>
        <source>ご自身が入力した申告は二重チェックできません。別の職員が確認します</source>
        <translation>You entered this return yourself and cannot double-check it. Another staff member will check it</translation>
    </message>
    <message>
        <source>その他の所得</source>
        <translation>Other income</translation>
    </message>
    <message>
        <source>マイナンバーカード</source>
        <translation>My Number card</translation>
    </message>
    <message>
        <source>マイナンバーカード（券面）</source>
        <translation>My Number card (card face)</translation>
    </message>
    <message>
        <source>二重チェック待ちの申告はありません</source>
        <translation>No returns are waiting for a double check</translation>
    </message>
    <message>
        <source>住民税申告の二重チェック</source>
        <translation>Double check of resident tax returns</translation>
    </message>
    <message>
        <source>個人番号</source>
        <translation>My Number</translation>
    </message>
    <message>
        <source>入力内容・計算結果</source>
        <translation>Entered and computed</translation>
    </message>
    <message>
        <source>入力者</source>
        <translation>Entered by</translation>
    </message>
    <message>
        <source>公的年金等の収入</source>
        <translation>Public pension revenue</translation>
    </message>
    <message>
        <source>医療費控除</source>
        <translation>Medical expense deduction</translation>
    </message>
    <message>
        <source>左の一覧から申告を選び、申告書の原本と照合してください</source>
        <translation>Choose a return on the left and compare it with the original form</translation>
    </message>
    <message>
        <source>差し戻しの理由（申告書と相違する項目など）</source>
        <translation>Reason for returning (items that differ from the form, ...)</translation>
    </message>
    <message>
        <source>差し戻す</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <source>所得見積</source>
        <translation>Estimated income</translation>
    </message>
    <message>
        <source>扶養親族 %1</source>
        <translation>Dependent %1</translation>
    </message>
    <message>
        <source>本人確認</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <source>本人確認書類</source>
        <translation>Identity documents</translation>
    </message>
    <message>
        <source>生命保険料控除</source>
        <translation>Life insurance deduction</translation>
    </message>
    <message>
        <source>生年月日・住所</source>
        <translation>Date of birth, address</translation>
    </message>
    <message>
        <source>申告書と一致を確認（課税台帳に登録）</source>
        <translation>Matches the form (register in the tax ledger)</translation>
    </message>
    <message>
        <source>申告第%1号　入力: %2</source>
        <translation>Return %1  entered by %2</translation>
    </message>
    <message>
        <source>申告第%1号を差し戻しました</source>
        <translation>Return %1 was sent back</translation>
    </message>
    <message>
        <source>申告第%1号を確認し、課税台帳に登録しました</source>
        <translation>Return %1 was checked and registered in the tax ledger</translation>
    </message>
    <message>
        <source>申告者</source>
        <translation>Filer</translation>
    </message>
    <message>
        <source>番号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>社会保険料控除</source>
        <translation>Social insurance deduction</translation>
    </message>
    <message>
        <source>給与収入</source>
        <translation>Employment revenue</translation>
    </message>
    <message>
        <source>計算: 所得控除</source>
        <translation>Computed: deductions</translation>
    </message>
    <message>
        <source>計算: 所得金額</source>
        <translation>Computed: income</translation>
    </message>
    <message>
        <source>計算: 税額（市民税＋県民税）</source>
        <translation>Computed: tax (municipal + prefectural)</translation>
    </message>
    <message>
        <source>計算: 課税標準</source>
        <translation>Computed: taxable income</translation>
    </message>
    <message>
        <source>項目</source>
        <translation>Item</translation>
    </message>
</context>
<context>
    <name>TaxInquiryPage</name>
    <message>
        <source>課税の記録</source>
        <translation>Tax records</translation>
    </message>
    <message>
        <source>クリア</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>例: 1975-05-05</source>
        <translation>e.g. 1975-05-05</translation>
    </message>
    <message>
        <source>個人番号</source>
        <translation>My Number</translation>
    </message>
    <message>
        <source>個人番号が正しくありません（12桁・検査用数字）</source>
        <translation>The My Number is not valid (12 digits, check digit)</translation>
    </message>
    <message>
        <source>個人番号を確認してください（本人確認に必要です）</source>
        <translation>Check the My Number (needed to confirm identity)</translation>
    </message>
    <message>
        <source>利用目的</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>利用目的を選んでください</source>
        <translation>Choose a purpose</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <source>所得控除</source>
        <translation>Deductions</translation>
    </message>
    <message>
        <source>所得金額</source>
        <translation>Income</translation>
    </message>
    <message>
        <source>扶養人数</source>
        <translation>Dependents</translation>
    </message>
    <message>
        <source>本人確認ができました。照会は利用目的とともに記録されています</source>
        <translation>Identity confirmed. The inquiry is recorded with its purpose</translation>
    </message>
    <message>
        <source>本人確認ができました。課税記録はありません</source>
        <translation>Identity confirmed. There are no tax records</translation>
    </message>
    <message>
        <source>本人確認ができるまで照会内容は表示されません</source>
        <translation>Nothing is shown until the identity is confirmed</translation>
    </message>
    <message>
        <source>本人確認して照会</source>
        <translation>Confirm identity and inquire</translation>
    </message>
    <message>
        <source>本人確認として、氏名・生年月日に加えて個人番号を確認します。確認できるまで課税内容は表示されません</source>
        <translation>To confirm identity, the name and date of birth plus the My Number are checked. Nothing about the taxes is shown until then</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>氏名を入力してください</source>
        <translation>Enter the name</translation>
    </message>
    <message>
        <source>照会者の本人確認</source>
        <translation>Caller's identity</translation>
    </message>
    <message>
        <source>生年月日</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>生年月日は 1975-05-05 の形で入力してください</source>
        <translation>Enter the date of birth as 1975-05-05</translation>
    </message>
    <message>
        <source>目的の補足</source>
        <translation>Purpose note</translation>
    </message>
    <message>
        <source>税の照会（本人確認のうえ回答）</source>
        <translation>Tax inquiry (answered after an identity check)</translation>
    </message>
    <message>
        <source>税額</source>
        <translation>Tax</translation>
    </message>
    <message>
        <source>課税標準</source>
        <translation>Taxable income</translation>
    </message>
    <message>
        <source>（選択してください）</source>
        <translation>(Choose)</translation>
    </message>
</context>
<context>
    <name>TaxPage</name>
    <message>
        <source>税務窓口の手続き</source>
        <translation>Tax counter procedures</translation>
    </message>
    <message>
        <source>⚠ 支援措置の対象者です。代理人・第三者への証明書の交付はできません（所属長の判断が必要）</source>
        <translation>⚠ Support-measure subject. No certificate for a proxy or third party (needs the head of section)</translation>
    </message>
    <message>
        <source>住民税申告の受付</source>
        <translation>Resident tax return</translation>
    </message>
    <message>
        <source>検索に戻る</source>
        <translation>Back to search</translation>
    </message>
    <message>
        <source>税務窓口（個人住民税）</source>
        <translation>Tax counter (individual resident tax)</translation>
    </message>
    <message>
        <source>課税・所得証明書の交付</source>
        <translation>Tax and income certificates</translation>
    </message>
</context>
<context>
    <name>Subject</name>
    <message>
        <source>対象: %1（%2）　%3</source>
        <translation>Person: %1 (%2)  %3</translation>
    </message>
</context>
<context>
    <name>FilingTab</name>
    <message>
        <source>その他の所得（事業・不動産等）</source>
        <translation>Other income (business, property, ...)</translation>
    </message>
    <message>
        <source>マイナンバーカード</source>
        <translation>My Number card</translation>
    </message>
    <message>
        <source>マイナンバーカード（券面）</source>
        <translation>My Number card (card face)</translation>
    </message>
    <message>
        <source>入力に誤りがあります（%1件）。赤枠の項目を確認してください</source>
        <translation>There are errors (%1). Check the items framed in red</translation>
    </message>
    <message>
        <source>公的年金等の収入</source>
        <translation>Public pension revenue</translation>
    </message>
    <message>
        <source>円</source>
        <translation>yen</translation>
    </message>
    <message>
        <source>医療費控除（上限200万円）</source>
        <translation>Medical expense deduction (up to 2,000,000 yen)</translation>
    </message>
    <message>
        <source>収入・所得控除（申告書のとおり）</source>
        <translation>Revenue and deductions (as on the form)</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <source>扶養親族は%1人まで入力できます</source>
        <translation>Up to %1 dependents can be entered</translation>
    </message>
    <message>
        <source>扶養親族はいません</source>
        <translation>No dependents</translation>
    </message>
    <message>
        <source>扶養親族を追加</source>
        <translation>Add a dependent</translation>
    </message>
    <message>
        <source>控除対象配偶者・扶養親族（個人番号は検査用数字を確認します）</source>
        <translation>Spouse and dependents (My Numbers' check digits are checked)</translation>
    </message>
    <message>
        <source>本人確認: 未実施 — 申告を受け付ける前に、マイナンバーカードまたは本人確認書類で確認してください</source>
        <translation>Identity: not checked — check it with the My Number card or documents before taking the return</translation>
    </message>
    <message>
        <source>本人確認: 済（%1）</source>
        <translation>Identity: checked (%1)</translation>
    </message>
    <message>
        <source>本人確認を行う</source>
        <translation>Check identity</translation>
    </message>
    <message>
        <source>本人確認書類</source>
        <translation>Identity documents</translation>
    </message>
    <message>
        <source>生命保険料控除（上限7万円）</source>
        <translation>Life insurance deduction (up to 70,000 yen)</translation>
    </message>
    <message>
        <source>申告を登録して二重チェックへ回す</source>
        <translation>Register the return for double check</translation>
    </message>
    <message>
        <source>申告第%1号を登録しました。別の職員の二重チェック後に課税台帳へ反映されます。（所得 %2・所得控除 %3・課税標準 %4・税額 %5）</source>
        <translation>Return %1 registered. It reaches the tax ledger after another staff member double-checks it. (income %2, deductions %3, taxable %4, tax %5)</translation>
    </message>
    <message>
        <source>社会保険料控除</source>
        <translation>Social insurance deduction</translation>
    </message>
    <message>
        <source>給与収入</source>
        <translation>Employment revenue</translation>
    </message>
</context>
<context>
    <name>CertificateTab</name>
    <message>
        <source>%1 × %2通 = %3</source>
        <translation>%1 × %2 copies = %3</translation>
    </message>
    <message>
        <source>PDFを保存できませんでした</source>
        <translation>The PDF could not be saved</translation>
    </message>
    <message>
        <source>交付しています…</source>
        <translation>Issuing…</translation>
    </message>
    <message>
        <source>交付する（PDFを作成）</source>
        <translation>Issue (make the PDF)</translation>
    </message>
    <message>
        <source>代理人・第三者の氏名（帳票管理簿に記録）</source>
        <translation>Name of the proxy or third party (recorded in the ledger)</translation>
    </message>
    <message>
        <source>代理人（委任状が必要）</source>
        <translation>Proxy (letter of proxy needed)</translation>
    </message>
    <message>
        <source>利用目的</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>利用目的を選んでください</source>
        <translation>Choose a purpose</translation>
    </message>
    <message>
        <source>同一世帯の方</source>
        <translation>Member of the same household</translation>
    </message>
    <message>
        <source>委任状を確認した</source>
        <translation>Letter of proxy checked</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <source>手数料</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>本人</source>
        <translation>The person</translation>
    </message>
    <message>
        <source>目的の補足</source>
        <translation>Purpose note</translation>
    </message>
    <message>
        <source>第三者（委任状が必要）</source>
        <translation>Third party (letter of proxy needed)</translation>
    </message>
    <message>
        <source>証明書の種類</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>証明書の種類と年度を選んでください</source>
        <translation>Choose the certificate and the fiscal year</translation>
    </message>
    <message>
        <source>証明書番号 %1 を交付しました。手数料 %2 を受領してください。帳票管理簿に記録済みです。PDF: %3</source>
        <translation>Certificate %1 issued. Collect the fee of %2. Recorded in the ledger. PDF: %3</translation>
    </message>
    <message>
        <source>請求の内容（証明書に個人番号は記載されません）</source>
        <translation>Request (certificates never show the My Number)</translation>
    </message>
    <message>
        <source>請求者</source>
        <translation>Requester</translation>
    </message>
    <message>
        <source>請求者の氏名</source>
        <translation>Requester's name</translation>
    </message>
    <message>
        <source>部数</source>
        <translation>Copies</translation>
    </message>
    <message>
        <source>（手数料表を読み込み中）</source>
        <translation>(loading the fee table)</translation>
    </message>
    <message>
        <source>（選択してください）</source>
        <translation>(Choose)</translation>
    </message>
    <message>
        <source>証明書番号 %1 は交付として記録されましたが、印刷用の内容を保存できませんでした。もう一度交付してください（新しい交付として記録されます）</source>
        <translation>Certificate %1 is recorded as issued, but its content could not be saved for printing. Issue it again (recorded as a new issuance)</translation>
    </message>
</context>
<context>
    <name>CasePage</name>
    <message>
        <source>申請書カタログを読み込めません: %1</source>
        <translation>The form catalogue cannot be read: %1</translation>
    </message>
    <message>
        <source>保存していない申請書（%1）は破棄しました。</source>
        <translation> The forms not stored (%1) were discarded.</translation>
    </message>
    <message>
        <source>%1 さんのカードを照合しました。</source>
        <translation>%1's card matched.</translation>
    </message>
    <message>
        <source>この世帯の特例転入はすべて審査に回しました。</source>
        <translation>Every moving-in of this household has been sent for review.</translation>
    </message>
    <message>
        <source>カードが一致しません。</source>
        <translation>The card does not match.</translation>
    </message>
    <message>
        <source>一人の届出に戻る(&amp;M)</source>
        <translation>Back to a one-person notification (&amp;M)</translation>
    </message>
    <message>
        <source>世帯の届出（複数の異動者）にする(&amp;M)</source>
        <translation>Household notification (several persons) (&amp;M)</translation>
    </message>
    <message>
        <source>世帯主の転入がまだ審査中です。審査で住民票に記載されてから世帯員の転入を送ってください。</source>
        <translation>The head of household's moving-in is still under review. Send the members' moving-in once it is on the register.</translation>
    </message>
    <message>
        <source>世帯主の転入を審査に回しました（案件番号 %1）。審査で住民票に記載された後、もう一度「特例転入を審査に回す」で世帯員の転入を送ります。</source>
        <translation>The head of household's moving-in was sent for review (case %1). Once it is on the register, press "Send special moving-in for review" again to send the members'.</translation>
    </message>
    <message>
        <source>世帯員の転入を審査に回しました（案件番号 %1）。別の職員の審査後に住民票に反映されます。</source>
        <translation>The members' moving-in was sent for review (cases %1). It reaches the register after another staff member's review.</translation>
    </message>
    <message>
        <source>全員のカードを読み取りました。住所・異動日・続柄を確認してください。</source>
        <translation>Every card has been read. Confirm the address, the date of the move and the relationships.</translation>
    </message>
    <message>
        <source>残り %1 枚のカードを読み取ってください。</source>
        <translation>Read the remaining %1 card(s).</translation>
    </message>
    <message>
        <source>表示された項目を確認してください。</source>
        <translation>Check the items shown.</translation>
    </message>
    <message>
        <source>転入予定の世帯が見つかりました。住所・異動日・続柄を確認してください。</source>
        <translation>The expected household was found. Confirm the address, the date of the move and the relationships.</translation>
    </message>
    <message>
        <source>転入予定の世帯（%1 人）が見つかりました。各世帯員のカードを読み取ってください。</source>
        <translation>The expected household (%1 persons) was found. Read each member's card.</translation>
    </message>
    <message>
        <source>転出証明書情報は届いていません。カードの券面事項を入力しました。転出証明書（紙）で確認して入力してください。</source>
        <translation>No moving-out certificate information has arrived. The card's data was entered; check and complete it from the paper moving-out certificate.</translation>
    </message>
    <message>
        <source>転出証明書情報（転入予定者）を照会しています…</source>
        <translation>Looking up the moving-out certificate information (expected arrivals)…</translation>
    </message>
    <message>
        <source>本人確認を記録しました。</source>
        <translation>The identity check was recorded.</translation>
    </message>
    <message>
        <source>住民検索に戻る(&amp;B)</source>
        <translation>&amp;Back to resident search</translation>
    </message>
    <message>
        <source>カードを読み取りました。聞き取りで「転入」を選ぶと届出に入力されます。</source>
        <translation>The card was read. Choose "moving in" in the interview and its details fill the notification.</translation>
    </message>
    <message>
        <source>カードの券面事項（氏名・生年月日・性別・転入前住所）を入力しました。フリガナと新しい住所を入力してください。</source>
        <translation>The card's details (name, date of birth, sex, previous address) were filled in. Enter the furigana and the new address.</translation>
    </message>
    <message>
        <source>この届出は審査に回しました（案件番号 %1）。内容を変えたときだけ再送できます。</source>
        <translation>This notification was sent for review (case %1). It can be sent again only after a change.</translation>
    </message>
    <message>
        <source>この端末では保留できません（作業領域がありません）</source>
        <translation>This terminal cannot park a case (no work area).</translation>
    </message>
    <message>
        <source>センターの確認で差し戻されました。表示された項目を直してください。</source>
        <translation>The central check refused the entry. Correct the fields shown.</translation>
    </message>
    <message>
        <source>ライフイベントを選んでください</source>
        <translation>Choose a life event</translation>
    </message>
    <message>
        <source>受付・聞き取り・届出の入力</source>
        <translation>Reception, interview and entry</translation>
    </message>
    <message>
        <source>受付番号 %1 を保留しました。</source>
        <translation>Case %1 parked.</translation>
    </message>
    <message>
        <source>受付番号 %1 を再開しました。</source>
        <translation>Case %1 resumed.</translation>
    </message>
    <message>
        <source>審査待ちになりました（案件番号 %1）。別の職員の審査後に住民票に反映されます。</source>
        <translation>Waiting for review (case %1). The register changes after another clerk approves it.</translation>
    </message>
    <message>
        <source>対象者: %1（%2）</source>
        <translation>Person: %1 (%2)</translation>
    </message>
    <message>
        <source>対象者: 住民検索で選んでください（転入・出生は不要）</source>
        <translation>Person: choose on the resident search (not needed for move-in or birth)</translation>
    </message>
    <message>
        <source>手続き案内票を作成しています…</source>
        <translation>Preparing the procedure guide…</translation>
    </message>
    <message>
        <source>手続き案内票を作成しました。来庁者にお渡しください。</source>
        <translation>The procedure guide is ready. Hand it to the resident.</translation>
    </message>
    <message>
        <source>第三者からの請求です。交付は審査を経てから行います。</source>
        <translation>A third-party request: issuance follows review.</translation>
    </message>
    <message>
        <source>送信しています…</source>
        <translation>Sending…</translation>
    </message>
</context>
<context>
    <name>PasswordRenewalPage</name>
    <message>
        <source>パスワードの更新</source>
        <translation>Password renewal</translation>
    </message>
    <message>
        <source>パスワードの有効期間（6か月）が過ぎました。新しいパスワードを設定してください。12文字以上で、職員IDを含まないものにしてください。</source>
        <translation>Your password is older than six months. Set a new one: 12 characters or more, without your login ID.</translation>
    </message>
    <message>
        <source>中止してログアウト</source>
        <translation>Cancel and log out</translation>
    </message>
    <message>
        <source>新しいパスワード</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>新しいパスワード（確認）</source>
        <translation>New password (again)</translation>
    </message>
    <message>
        <source>更新してログイン</source>
        <translation>Renew and log in</translation>
    </message>
    <message>
        <source>現在のパスワード</source>
        <translation>Current password</translation>
    </message>
    <message>
        <source>現在のパスワードと新しいパスワードを入力してください</source>
        <translation>Enter the current and the new password</translation>
    </message>
    <message>
        <source>確認のパスワードが一致しません</source>
        <translation>The two new passwords differ</translation>
    </message>
</context>
<context>
    <name>CameraChoice</name>
    <message>
        <source>カメラ %1</source>
        <translation>Camera %1</translation>
    </message>
    <message>
        <source>仮想カメラ（デモ・試験用）</source>
        <translation>Virtual camera (demo and tests)</translation>
    </message>
    <message>
        <source>カメラなし</source>
        <translation>No camera</translation>
    </message>
</context>
<context>
    <name>BusyIndicator</name>
    <message>
        <source>処理中</source>
        <translation>Working</translation>
    </message>
</context>
<context>
    <name>SupportDecisionPage</name>
    <message>
        <source>判断依頼の内容</source>
        <translation>The request</translation>
    </message>
    <message>
        <source>%1・%2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>⚠ 支援措置: この証明書に載る方のうち %1 人が支援措置の対象者（または併せて支援を受ける方）です</source>
        <translation>⚠ Support measure: %1 person(s) on this certificate are protected (target or co-protected)</translation>
    </message>
    <message>
        <source>ご自身が依頼した判断はできません。別の所属長が判断します</source>
        <translation>You cannot decide a request you made yourself. Another supervisor decides</translation>
    </message>
    <message>
        <source>世帯全員</source>
        <translation>Whole household</translation>
    </message>
    <message>
        <source>中央サーバーに接続できないため、判断できません。接続が戻ると再開できます</source>
        <translation>Cannot decide: the central server is unreachable. You can continue when the connection is back</translation>
    </message>
    <message>
        <source>交付を認めない</source>
        <translation>Refuse issuance</translation>
    </message>
    <message>
        <source>交付を認める（1回限り）</source>
        <translation>Approve issuance (once)</translation>
    </message>
    <message>
        <source>代理人</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>住民票の写し</source>
        <translation>Copy of the residence record</translation>
    </message>
    <message>
        <source>依頼 第%1号の交付を認めました</source>
        <translation>Request no. %1 approved</translation>
    </message>
    <message>
        <source>依頼 第%1号の交付を認めませんでした</source>
        <translation>Request no. %1 refused</translation>
    </message>
    <message>
        <source>依頼した職員</source>
        <translation>Requested by</translation>
    </message>
    <message>
        <source>依頼番号</source>
        <translation>Request no.</translation>
    </message>
    <message>
        <source>個人票</source>
        <translation>Individual</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>判断の理由を入力してください</source>
        <translation>Enter the reason for the decision</translation>
    </message>
    <message>
        <source>判断の理由（必須）</source>
        <translation>Reason for the decision (required)</translation>
    </message>
    <message>
        <source>判断待ちの依頼</source>
        <translation>Requests waiting for a decision</translation>
    </message>
    <message>
        <source>判断待ちの依頼はありません</source>
        <translation>No requests are waiting for a decision</translation>
    </message>
    <message>
        <source>利用目的</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <source>対象</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>対象者</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>支援措置の判断（所属長）</source>
        <translation>Support measure decisions (supervisor)</translation>
    </message>
    <message>
        <source>番号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>第三者</source>
        <translation>Third party</translation>
    </message>
    <message>
        <source>記載事項証明書</source>
        <translation>Certificate of recorded items</translation>
    </message>
    <message>
        <source>証明書</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <source>請求者</source>
        <translation>Requester</translation>
    </message>
    <message>
        <source>請求者の区分</source>
        <translation>Requester type</translation>
    </message>
    <message>
        <source>請求者の所属・名称</source>
        <translation>Requester's organisation</translation>
    </message>
    <message>
        <source>請求者の氏名</source>
        <translation>Requester's name</translation>
    </message>
    <message>
        <source>項目</source>
        <translation>Item</translation>
    </message>
</context>
<context>
    <name>PrintButton</name>
    <message>
        <source>印刷(&amp;P)</source>
        <translation>&amp;Print</translation>
    </message>
    <message>
        <source>印刷しています…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>印刷しました（%1 ページ）</source>
        <translation>Printed (%1 page(s))</translation>
    </message>
    <message>
        <source>印刷できませんでした。プリンターの状態を確認して、もう一度交付してください（新しい交付として記録されます）</source>
        <translation>Could not print. Check the printer and issue the certificate again (recorded as a new issuance)</translation>
    </message>
</context>
<context>
    <name>CardView</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>。カードの個人番号が検査用数字と一致しません。このカードの個人番号は使えません</source>
        <translation>. The card's My Number fails its check digit: it cannot be relied on</translation>
    </message>
    <message>
        <source>。カードの性別が「不明」（コード0）です。券面と目視で確認してください</source>
        <translation>. The card gives the sex as not known (code 0). Compare the card face by eye</translation>
    </message>
    <message>
        <source>。氏名に外字・代替文字の可能性があります。券面と目視で確認してください</source>
        <translation>. The name may contain gaiji or substitute characters: compare it with the card face by eye</translation>
    </message>
    <message>
        <source>ご本人に暗証番号を入力してもらってください</source>
        <translation>Ask the resident to enter their PIN</translation>
    </message>
    <message>
        <source>もう一度カードを置いて「カードを読む」を押してください</source>
        <translation>Place the card again and press "Read card"</translation>
    </message>
    <message>
        <source>カード</source>
        <translation>Card</translation>
    </message>
    <message>
        <source>カードと住民記録が一致しました</source>
        <translation>The card matches the register record</translation>
    </message>
    <message>
        <source>カードと住民記録に相違があります。色の付いた項目を確認してください</source>
        <translation>The card and the register record differ. Check the highlighted items</translation>
    </message>
    <message>
        <source>カードと住民記録の比較</source>
        <translation>The card beside the register record</translation>
    </message>
    <message>
        <source>カードを読み取りました。転入のため住民記録との照合はありません。「本人確認を記録」で届出の入力に反映します</source>
        <translation>The card was read. Moving in: there is no register record to compare with. "Record the check" fills the notification</translation>
    </message>
    <message>
        <source>カードを読む(&amp;R)</source>
        <translation>&amp;Read the card</translation>
    </message>
    <message>
        <source>カード内の改ざん検知用ハッシュ: 一致</source>
        <translation>Card digests: match</translation>
    </message>
    <message>
        <source>カード内の改ざん検知用ハッシュ: 未確認</source>
        <translation>Card digests: not verified</translation>
    </message>
    <message>
        <source>一致</source>
        <translation>Match</translation>
    </message>
    <message>
        <source>仮想カード（デモ用。実物のカードではありません。暗証番号: %1）</source>
        <translation>Virtual card (demo, not a real card; PIN: %1)</translation>
    </message>
    <message>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>住所（転入前）</source>
        <translation>Address (before moving in)</translation>
    </message>
    <message>
        <source>住民記録</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>個人番号: 読み取っていません（権限がないか不要のため）</source>
        <translation>My Number: not read (no right, or not needed)</translation>
    </message>
    <message>
        <source>個人番号（カード）: %1</source>
        <translation>My Number (card): %1</translation>
    </message>
    <message>
        <source>個人番号（カード）: %1 — 検査用数字が一致しません</source>
        <translation>My Number (card): %1 — the check digit does not match</translation>
    </message>
    <message>
        <source>判定</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>利用者証明用電子証明書: 読み取れませんでした</source>
        <translation>User authentication certificate: could not be read</translation>
    </message>
    <message>
        <source>利用者証明用電子証明書の有効期限: %1（あと %2 日）</source>
        <translation>User authentication certificate valid until %1 (%2 days left)</translation>
    </message>
    <message>
        <source>利用者証明用電子証明書の有効期限が切れています（%1）</source>
        <translation>The user authentication certificate has expired (%1)</translation>
    </message>
    <message>
        <source>性別</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>暗証番号がロックされています。このカードでは確認できません。ロック解除は窓口での手続きが必要です。書類による確認に切り替えてください。</source>
        <translation>The PIN is locked. This card cannot be used; unlocking needs a procedure at the counter. Identify with documents instead.</translation>
    </message>
    <message>
        <source>暗証番号（4桁）をご本人が入力してください</source>
        <translation>The resident enters the 4-digit PIN</translation>
    </message>
    <message>
        <source>書類で確認する(&amp;D)</source>
        <translation>Check with &amp;documents</translation>
    </message>
    <message>
        <source>本人確認を記録(&amp;M)</source>
        <translation>Record the check (&amp;M)</translation>
    </message>
    <message>
        <source>残り %1 回</source>
        <translation>%1 tries left</translation>
    </message>
    <message>
        <source>残り1回で、間違えるとロックされることをご本人に伝えました</source>
        <translation>I told the resident that one try is left and a wrong PIN locks the card</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>生年月日</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>発行者の署名: 検証していません（発行者の公開鍵が設定されていません）</source>
        <translation>Issuer signature: not verified (no issuer public key is configured)</translation>
    </message>
    <message>
        <source>発行者の署名: 検証できませんでした（%1）。カードが正規のものか確認してください</source>
        <translation>Issuer signature: NOT verified (%1). Check that the card is genuine</translation>
    </message>
    <message>
        <source>発行者の署名: 検証済み</source>
        <translation>Issuer signature: verified</translation>
    </message>
    <message>
        <source>発行者の署名: 検証済み（プロジェクトのテスト用の鍵。仮想カードのみ）</source>
        <translation>Issuer signature: verified (the project's test key; virtual cards only)</translation>
    </message>
    <message>
        <source>目視確認</source>
        <translation>Check visually</translation>
    </message>
    <message>
        <source>相違</source>
        <translation>Differs</translation>
    </message>
    <message>
        <source>項目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>（転入: 記録なし）</source>
        <translation>(moving in: no record)</translation>
    </message>
</context>
<context>
    <name>DocumentsTab</name>
    <message>
        <source>写真のない書類（2点必要）</source>
        <translation>Documents without a photo (two needed)</translation>
    </message>
    <message>
        <source>写真付きの書類（1点で可）</source>
        <translation>Photo ID (one is enough)</translation>
    </message>
    <message>
        <source>本人確認を記録(&amp;M)</source>
        <translation>Record the check (&amp;M)</translation>
    </message>
</context>
<context>
    <name>EntryForm</name>
    <message>
        <source>3. 届出の入力</source>
        <translation>3. Entry of the notification</translation>
    </message>
    <message>
        <source>カードから</source>
        <translation>From the card</translation>
    </message>
    <message>
        <source>カードから（修正あり）</source>
        <translation>From the card (changed)</translation>
    </message>
    <message>
        <source>令和8年4月1日 / R8.4.1 / 2026-04-01</source>
        <translation>Reiwa 8-4-1 / R8.4.1 / 2026-04-01</translation>
    </message>
    <message>
        <source>任意</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>審査に回す(&amp;S)</source>
        <translation>&amp;Send for review</translation>
    </message>
    <message>
        <source>届出の種類</source>
        <translation>Notification</translation>
    </message>
    <message>
        <source>届出の種類(&amp;K)</source>
        <translation>&amp;Kind of notification</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>選んでください</source>
        <translation>Choose</translation>
    </message>
</context>
<context>
    <name>InterviewBox</name>
    <message>
        <source>2. 聞き取り（ライフイベント）</source>
        <translation>2. Interview (life events)</translation>
    </message>
    <message>
        <source>この窓口</source>
        <translation>this counter</translation>
    </message>
    <message>
        <source>他の課の手続きがあります。届出の情報を関係課と共有することを来庁者に説明してください。</source>
        <translation>Other divisions have procedures. Tell the resident that the notification is shared with them.</translation>
    </message>
    <message>
        <source>必要な手続き</source>
        <translation>Procedures needed</translation>
    </message>
    <message>
        <source>必要な手続き(&amp;L)</source>
        <translation>Procedures needed (&amp;L)</translation>
    </message>
    <message>
        <source>手続き案内票を印刷(&amp;G)</source>
        <translation>Print the procedure &amp;guide</translation>
    </message>
</context>
<context>
    <name>LoginFlow</name>
    <message>
        <source>端末の作業領域（暗号化キャッシュ）を作成できないため、ログインを中止しました。情報主管課に連絡してください</source>
        <translation>Login was cancelled because the terminal's encrypted work area could not be created. Contact IT security.</translation>
    </message>
</context>
<context>
    <name>ReceptionBox</name>
    <message>
        <source>1. 受付</source>
        <translation>1. Reception</translation>
    </message>
    <message>
        <source>代理人本人の本人確認をした</source>
        <translation>Proxy's own identity checked</translation>
    </message>
    <message>
        <source>代理人（委任状）</source>
        <translation>Proxy (power of attorney)</translation>
    </message>
    <message>
        <source>保留(&amp;H)</source>
        <translation>&amp;Hold</translation>
    </message>
    <message>
        <source>保留中(&amp;Y):</source>
        <translation>On hold (&amp;Y):</translation>
    </message>
    <message>
        <source>保留中の案件</source>
        <translation>Parked cases</translation>
    </message>
    <message>
        <source>再開(&amp;E)</source>
        <translation>R&amp;esume</translation>
    </message>
    <message>
        <source>受付を開始(&amp;O)</source>
        <translation>&amp;Open the case</translation>
    </message>
    <message>
        <source>受付番号</source>
        <translation>Queue number</translation>
    </message>
    <message>
        <source>受付番号(&amp;Q)</source>
        <translation>&amp;Queue number</translation>
    </message>
    <message>
        <source>同一世帯の方</source>
        <translation>Same household</translation>
    </message>
    <message>
        <source>委任状を確認した</source>
        <translation>Letter of proxy checked</translation>
    </message>
    <message>
        <source>整理券の番号（例: A-012）</source>
        <translation>Number on the queue ticket (e.g. A-012)</translation>
    </message>
    <message>
        <source>本人</source>
        <translation>The person</translation>
    </message>
    <message>
        <source>本人確認（マイナンバーカード）(&amp;I)</source>
        <translation>&amp;Identity check (My Number card)</translation>
    </message>
    <message>
        <source>来庁者(&amp;W)</source>
        <translation>&amp;Who came</translation>
    </message>
    <message>
        <source>来庁者の立場</source>
        <translation>Visitor's capacity</translation>
    </message>
    <message>
        <source>第三者</source>
        <translation>Third party</translation>
    </message>
</context>
<context>
    <name>TerminalStatus</name>
    <message>
        <source>この端末は利用停止されています</source>
        <translation>This terminal has been disabled</translation>
    </message>
    <message>
        <source>中央サーバー: オフライン</source>
        <translation>Central server: offline</translation>
    </message>
    <message>
        <source>中央サーバー: オンライン</source>
        <translation>Central server: online</translation>
    </message>
    <message>
        <source>中央サーバー: 応答異常</source>
        <translation>Central server: error response</translation>
    </message>
    <message>
        <source>中央サーバー: 確認中…</source>
        <translation>Central server: checking…</translation>
    </message>
    <message>
        <source>未送信 %1件</source>
        <translation>%1 unsent</translation>
    </message>
    <message>
        <source>残り時間 %1:%2</source>
        <translation>Time left %1:%2</translation>
    </message>
    <message>
        <source>端末ID: %1</source>
        <translation>Terminal ID: %1</translation>
    </message>
    <message>
        <source>要確認 %1件</source>
        <translation>%1 to check</translation>
    </message>
    <message>
        <source>顔認証の登録</source>
        <translation>Face enrolment</translation>
    </message>
</context>
<context>
    <name>ScreenLock</name>
    <message>
        <source>ログインした職員とは別の人がカメラの前にいるため、画面をロックしました。ログインした職員本人がパスワードを入力してください。</source>
        <translation>The screen was locked because someone other than the logged-in operator is in front of the camera. The logged-in operator must enter their password.</translation>
    </message>
    <message>
        <source>職員の離席を検知したため、画面をロックしました。</source>
        <translation>The screen was locked because the operator left the counter.</translation>
    </message>
</context>
<context>
    <name>ApplicationQueueTab</name>
    <message>
        <source>%1 〜 %2</source>
        <translation>%1 to %2</translation>
    </message>
    <message>
        <source>%1（%2）</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>ご自身が申請した、またはご自身の権限の申請は承認・却下できません。別のセキュリティ管理者が行います</source>
        <translation>You cannot execute or decline an application you made or one for your own rights; another security administrator does it</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>Value</translation>
    </message>
    <message>
        <source>却下</source>
        <translation>Decline</translation>
    </message>
    <message>
        <source>却下の理由を入力してください</source>
        <translation>Enter the reason for declining</translation>
    </message>
    <message>
        <source>却下の理由（却下の場合は必須）</source>
        <translation>Reason for declining (required to decline)</translation>
    </message>
    <message>
        <source>所属</source>
        <translation>Section</translation>
    </message>
    <message>
        <source>承認・設定</source>
        <translation>Approve and grant</translation>
    </message>
    <message>
        <source>承認待ちの申請</source>
        <translation>Applications waiting for approval</translation>
    </message>
    <message>
        <source>承認待ちの申請はありません</source>
        <translation>No application is waiting for approval</translation>
    </message>
    <message>
        <source>期間</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>権限</source>
        <translation>Right</translation>
    </message>
    <message>
        <source>権限付与の申請（承認・設定）</source>
        <translation>Applications for rights (approve and grant)</translation>
    </message>
    <message>
        <source>申請 第%1号を却下しました</source>
        <translation>Declined application no. %1</translation>
    </message>
    <message>
        <source>申請 第%1号を承認し、権限を設定しました</source>
        <translation>Approved application no. %1 and granted the right</translation>
    </message>
    <message>
        <source>申請の内容</source>
        <translation>The application</translation>
    </message>
    <message>
        <source>申請日時</source>
        <translation>Applied at</translation>
    </message>
    <message>
        <source>申請理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>申請番号</source>
        <translation>Application no.</translation>
    </message>
    <message>
        <source>申請者</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>申請者（所属長）</source>
        <translation>Applicant (section head)</translation>
    </message>
    <message>
        <source>番号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>職員</source>
        <translation>Staff member</translation>
    </message>
    <message>
        <source>職員ID</source>
        <translation>Login ID</translation>
    </message>
    <message>
        <source>項目</source>
        <translation>Item</translation>
    </message>
</context>
<context>
    <name>ApplyTab</name>
    <message>
        <source>セキュリティ管理者</source>
        <translation>Security administrator</translation>
    </message>
    <message>
        <source>委託先職員</source>
        <translation>Contractor clerk</translation>
    </message>
    <message>
        <source>審査担当</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <source>情報システム担当</source>
        <translation>IT staff</translation>
    </message>
    <message>
        <source>所属長</source>
        <translation>Section head</translation>
    </message>
    <message>
        <source>期限</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>期限（年度末まで）</source>
        <translation>Until (at most the fiscal year end)</translation>
    </message>
    <message>
        <source>権限</source>
        <translation>Right</translation>
    </message>
    <message>
        <source>特定個人情報アクセス権限</source>
        <translation>My Number access right</translation>
    </message>
    <message>
        <source>申請 第%1号を受け付けました（%2 さんの「%3」）。セキュリティ管理者の承認・設定で有効になります</source>
        <translation>Application no. %1 received (%3 for %2). It takes effect when a security administrator approves it</translation>
    </message>
    <message>
        <source>申請する</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>申請する権限</source>
        <translation>Right applied for</translation>
    </message>
    <message>
        <source>申請する職員のID</source>
        <translation>Login ID of the staff member</translation>
    </message>
    <message>
        <source>申請する職員のIDを入力してください</source>
        <translation>Enter the login ID of the staff member</translation>
    </message>
    <message>
        <source>申請理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>申請理由を入力してください</source>
        <translation>Enter the reason for the application</translation>
    </message>
    <message>
        <source>申請理由（例: 窓口業務への配属）</source>
        <translation>Reason (e.g. assigned to the counter)</translation>
    </message>
    <message>
        <source>窓口職員</source>
        <translation>Counter clerk</translation>
    </message>
    <message>
        <source>職員ID</source>
        <translation>Login ID</translation>
    </message>
</context>
<context>
    <name>SetaiBox</name>
    <message>
        <source>世帯の届出を審査に回す(&amp;P)</source>
        <translation>Send the household notification for review (&amp;P)</translation>
    </message>
    <message>
        <source>世帯の届出（複数の異動者）</source>
        <translation>Household notification (several persons)</translation>
    </message>
    <message>
        <source>令和8年4月1日 / R8.4.1 / 2026-04-01</source>
        <translation>令和8年4月1日 / R8.4.1 / 2026-04-01</translation>
    </message>
    <message>
        <source>加入する世帯の世帯番号</source>
        <translation>Number of the household joined</translation>
    </message>
    <message>
        <source>届出日</source>
        <translation>Date of notification</translation>
    </message>
    <message>
        <source>方書</source>
        <translation>Building / room</translation>
    </message>
    <message>
        <source>最後の行を削除</source>
        <translation>Remove the last row</translation>
    </message>
    <message>
        <source>異動</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>異動の種類</source>
        <translation>Kind of change</translation>
    </message>
    <message>
        <source>異動後の世帯</source>
        <translation>Household afterwards</translation>
    </message>
    <message>
        <source>異動日</source>
        <translation>Date of the change</translation>
    </message>
    <message>
        <source>異動者</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>異動者%1</source>
        <translation>Person %1</translation>
    </message>
    <message>
        <source>異動者は住民検索で選んだ方から選びます。続柄は異動後の世帯主との続柄です。</source>
        <translation>Choose each person from those found in the resident search. The relationship is to the head of household afterwards.</translation>
    </message>
    <message>
        <source>異動者を追加(&amp;F)</source>
        <translation>Add a person (&amp;F)</translation>
    </message>
    <message>
        <source>続柄</source>
        <translation>Relationship</translation>
    </message>
    <message>
        <source>該当するときのみ</source>
        <translation>Only where it applies</translation>
    </message>
    <message>
        <source>転出先</source>
        <translation>Moving out to</translation>
    </message>
    <message>
        <source>転居先の住所</source>
        <translation>New address</translation>
    </message>
    <message>
        <source>転居先の郵便番号</source>
        <translation>Postal code of the new address</translation>
    </message>
    <message>
        <source>選んでください</source>
        <translation>Choose</translation>
    </message>
    <message>
        <source>（変更なし）</source>
        <translation>(unchanged)</translation>
    </message>
</context>
<context>
    <name>TokureiBox</name>
    <message>
        <source>カードなし</source>
        <translation>No card</translation>
    </message>
    <message>
        <source>マイナンバーカード</source>
        <translation>My Number card</translation>
    </message>
    <message>
        <source>令和8年4月1日 / R8.4.1 / 2026-04-01</source>
        <translation>令和8年4月1日 / R8.4.1 / 2026-04-01</translation>
    </message>
    <message>
        <source>任意</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>例: 123-4567</source>
        <translation>e.g. 123-4567</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>審査</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>審査待ち（案件番号 %1）</source>
        <translation>Awaiting review (case %1)</translation>
    </message>
    <message>
        <source>新しい住所(&amp;J)</source>
        <translation>New address (&amp;J)</translation>
    </message>
    <message>
        <source>方書</source>
        <translation>Building / room</translation>
    </message>
    <message>
        <source>未読取</source>
        <translation>Not read</translation>
    </message>
    <message>
        <source>次のカードを読み取る(&amp;X)</source>
        <translation>Read the next card (&amp;X)</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>特例転入を審査に回す(&amp;T)</source>
        <translation>Send special moving-in for review (&amp;T)</translation>
    </message>
    <message>
        <source>特例転入（転出証明書情報）</source>
        <translation>Special moving-in (moving-out certificate information)</translation>
    </message>
    <message>
        <source>生年月日・性別</source>
        <translation>Date of birth, sex</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>異動日（住み始めた日）</source>
        <translation>Date of the move (first day living here)</translation>
    </message>
    <message>
        <source>続柄</source>
        <translation>Relationship</translation>
    </message>
    <message>
        <source>続柄（%1）</source>
        <translation>Relationship (%1)</translation>
    </message>
    <message>
        <source>読取済み</source>
        <translation>Read</translation>
    </message>
    <message>
        <source>読取済み（照合一致）</source>
        <translation>Read (matches)</translation>
    </message>
    <message>
        <source>転出元: %1（%2）　転出予定日: %3　特例転入の期限: %4　世帯員 %5 人</source>
        <translation>From: %1 (%2)   Planned moving-out: %3   Special moving-in until: %4   Members: %5</translation>
    </message>
    <message>
        <source>郵便番号</source>
        <translation>Postal code</translation>
    </message>
</context>
<context>
    <name>IdouListPage</name>
    <message>
        <source>印刷(&amp;R)</source>
        <translation>P&amp;rint</translation>
    </message>
    <message>
        <source>印刷しました（%1 ページ）</source>
        <translation>Printed (%1 pages)</translation>
    </message>
    <message>
        <source>印刷できませんでした。プリンターの状態を確認してください</source>
        <translation>Could not print. Please check the printer</translation>
    </message>
    <message>
        <source>%1　%2　%3 件（未点検 %4 件、うち前日までの分 %5 件）</source>
        <translation>%1  %2  %3 rows (%4 not checked, %5 of them from earlier days)</translation>
    </message>
    <message>
        <source>%1（繰越）</source>
        <translation>%1 (carried over)</translation>
    </message>
    <message>
        <source>PDFを保存(&amp;P)</source>
        <translation>Save &amp;PDF</translation>
    </message>
    <message>
        <source>✓ 点検済み（%1）</source>
        <translation>✓ Checked (%1)</translation>
    </message>
    <message>
        <source>この日の異動はありません</source>
        <translation>No changes were applied on this day</translation>
    </message>
    <message>
        <source>この窓口（%1）</source>
        <translation>This counter (%1)</translation>
    </message>
    <message>
        <source>ご自身が入力した異動は点検できません。別の職員が点検します</source>
        <translation>You cannot check a change you entered yourself. Another staff member checks it</translation>
    </message>
    <message>
        <source>不詳</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>入力者</source>
        <translation>Entered by</translation>
    </message>
    <message>
        <source>前日までの未点検の異動です</source>
        <translation>A change of an earlier day that nobody has checked yet</translation>
    </message>
    <message>
        <source>区分</source>
        <translation>Entry</translation>
    </message>
    <message>
        <source>届出</source>
        <translation>Notification</translation>
    </message>
    <message>
        <source>承認者</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <source>日付(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>点検</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>点検する</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>異動</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>異動 %1 の点検</source>
        <translation>Check of change %1</translation>
    </message>
    <message>
        <source>異動 %1 を点検済みにしました</source>
        <translation>Change %1 marked as checked</translation>
    </message>
    <message>
        <source>異動リスト</source>
        <translation>List of changes</translation>
    </message>
    <message>
        <source>異動リストのPDFを保存しました: %1</source>
        <translation>Saved the list of changes as PDF: %1</translation>
    </message>
    <message>
        <source>異動リストの日付</source>
        <translation>Date of the list of changes</translation>
    </message>
    <message>
        <source>異動日</source>
        <translation>Date of change</translation>
    </message>
    <message>
        <source>窓口 %1</source>
        <translation>Counter %1</translation>
    </message>
    <message>
        <source>範囲</source>
        <translation>Scope</translation>
    </message>
    <message>
        <source>職権</source>
        <translation>Ex officio</translation>
    </message>
    <message>
        <source>表示</source>
        <translation>Show</translation>
    </message>
    <message>
        <source>記録日時</source>
        <translation>Recorded at</translation>
    </message>
    <message>
        <source>課全体</source>
        <translation>Whole office</translation>
    </message>
</context>
<context>
    <name>ShokkenEntryPage</name>
    <message>
        <source>わかる場合のみ</source>
        <translation>Only if known</translation>
    </message>
    <message>
        <source>任意</source>
        <translation>Optional</translation>
    </message>
    <message>
        <source>女</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>従前の住所</source>
        <translation>Previous address</translation>
    </message>
    <message>
        <source>性別</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>男</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>職権記載</source>
        <translation>Ex officio entry</translation>
    </message>
    <message>
        <source>選んでください</source>
        <translation>Choose</translation>
    </message>
    <message>
        <source>%1　%2</source>
        <translation>%1  %2</translation>
    </message>
    <message>
        <source>この住民票は既に消除されています</source>
        <translation>This record has already been removed</translation>
    </message>
    <message>
        <source>フリガナ</source>
        <translation>Name (kana)</translation>
    </message>
    <message>
        <source>ログインIDまたは氏名を「、」で区切って入力</source>
        <translation>Login IDs or names, separated by 、 or commas</translation>
    </message>
    <message>
        <source>他機関からの通知</source>
        <translation>Notice from another authority</translation>
    </message>
    <message>
        <source>令和8年4月1日 / R8.4.1 / 2026-04-01</source>
        <translation>令和8年4月1日 / R8.4.1 / 2026-04-01</translation>
    </message>
    <message>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>例: 不現住（居住の実態なし）</source>
        <translation>e.g. not living at the address</translation>
    </message>
    <message>
        <source>修正する項目</source>
        <translation>Item to correct</translation>
    </message>
    <message>
        <source>修正後の内容</source>
        <translation>Corrected value</translation>
    </message>
    <message>
        <source>入力内容を確認してください</source>
        <translation>Please check the entry</translation>
    </message>
    <message>
        <source>呼び出す</source>
        <translation>Look up</translation>
    </message>
    <message>
        <source>実態調査</source>
        <translation>Investigation</translation>
    </message>
    <message>
        <source>対象者</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>届出によらず、実態調査で確認した事実に基づいて住民票を消除・修正します。入力した内容は所属長の決裁を経て反映されます（入力者本人は決裁できません）。</source>
        <translation>Removes or corrects a record on facts confirmed by an investigation, without a notification. The entry is applied after a supervisor decides it (never by the person who entered it).</translation>
    </message>
    <message>
        <source>方書</source>
        <translation>Building/room</translation>
    </message>
    <message>
        <source>書類調査</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>本籍</source>
        <translation>Registered domicile</translation>
    </message>
    <message>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>決裁に回す(&amp;S)</source>
        <translation>&amp;Send for decision</translation>
    </message>
    <message>
        <source>照会</source>
        <translation>Inquiry</translation>
    </message>
    <message>
        <source>現地調査</source>
        <translation>Site visit</translation>
    </message>
    <message>
        <source>生年月日</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>異動日</source>
        <translation>Date of change</translation>
    </message>
    <message>
        <source>確認した事実（1000文字以内）</source>
        <translation>The facts confirmed (up to 1000 characters)</translation>
    </message>
    <message>
        <source>種別(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <source>空欄または「不詳」で異動日不詳</source>
        <translation>Leave blank or type 不詳 when the date is unknown</translation>
    </message>
    <message>
        <source>第%1号（%2）を所属長の決裁に回しました</source>
        <translation>No. %1 (%2) was sent to a supervisor for decision</translation>
    </message>
    <message>
        <source>筆頭者</source>
        <translation>Head of family register</translation>
    </message>
    <message>
        <source>続柄</source>
        <translation>Relationship</translation>
    </message>
    <message>
        <source>職権の事由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>職権の事由(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <source>職権の種別</source>
        <translation>Kind of ex officio entry</translation>
    </message>
    <message>
        <source>職権修正</source>
        <translation>Ex officio correction</translation>
    </message>
    <message>
        <source>職権消除</source>
        <translation>Ex officio removal</translation>
    </message>
    <message>
        <source>職権記載・消除・修正の入力</source>
        <translation>Ex officio entry, removal and correction</translation>
    </message>
    <message>
        <source>記録番号</source>
        <translation>Record number</translation>
    </message>
    <message>
        <source>記録番号は数字で入力してください</source>
        <translation>Type the record number in digits</translation>
    </message>
    <message>
        <source>調査した職員</source>
        <translation>Investigators</translation>
    </message>
    <message>
        <source>調査の方法</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>調査の結果</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>調査日</source>
        <translation>Date of investigation</translation>
    </message>
    <message>
        <source>郵便番号</source>
        <translation>Postal code</translation>
    </message>
    <message>
        <source>（選択してください）</source>
        <translation>(choose)</translation>
    </message>
</context>
<context>
    <name>ShokkenQueuePage</name>
    <message>
        <source>フリガナ</source>
        <translation>Name (kana)</translation>
    </message>
    <message>
        <source>従前の住所</source>
        <translation>Previous address</translation>
    </message>
    <message>
        <source>性別</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>方書</source>
        <translation>Building/room</translation>
    </message>
    <message>
        <source>郵便番号</source>
        <translation>Postal code</translation>
    </message>
    <message>
        <source>%1（本人）</source>
        <translation>%1 (you)</translation>
    </message>
    <message>
        <source>ご自身が入力した職権は決裁できません。別の所属長が決裁します</source>
        <translation>You cannot decide an entry you made yourself. Another supervisor decides it</translation>
    </message>
    <message>
        <source>中央サーバーに接続できないため、決裁できません。接続が戻ると再開できます</source>
        <translation>The central server cannot be reached, so nothing can be decided. You can continue once the connection is back</translation>
    </message>
    <message>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>入力内容</source>
        <translation>Entered</translation>
    </message>
    <message>
        <source>入力後に住民記録が更新されています。決裁できません。最新の記録で入力し直すよう差し戻してください</source>
        <translation>The record changed after the entry. It cannot be decided. Return it so that it is entered again on the latest record</translation>
    </message>
    <message>
        <source>入力者</source>
        <translation>Entered by</translation>
    </message>
    <message>
        <source>対象</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>対象者</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>左の一覧から職権の案件を選んでください</source>
        <translation>Choose an entry from the list on the left</translation>
    </message>
    <message>
        <source>差し戻しの理由</source>
        <translation>Reason for returning</translation>
    </message>
    <message>
        <source>差し戻す</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>決裁して反映</source>
        <translation>Approve and apply</translation>
    </message>
    <message>
        <source>決裁待ちの職権</source>
        <translation>Ex officio entries awaiting decision</translation>
    </message>
    <message>
        <source>決裁待ちの職権はありません</source>
        <translation>No ex officio entries await a decision</translation>
    </message>
    <message>
        <source>現在の記録</source>
        <translation>Current record</translation>
    </message>
    <message>
        <source>生年月日</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>番号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>異動日</source>
        <translation>Date of change</translation>
    </message>
    <message>
        <source>種別</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>第%1号　%2　入力: %3</source>
        <translation>No. %1  %2  entered by: %3</translation>
    </message>
    <message>
        <source>第%1号を差し戻しました</source>
        <translation>No. %1 was returned</translation>
    </message>
    <message>
        <source>第%1号を決裁し、住民記録に反映しました</source>
        <translation>No. %1 was approved and applied to the register</translation>
    </message>
    <message>
        <source>職権の事由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>職権の入力内容と現在の記録</source>
        <translation>The entry beside the current record</translation>
    </message>
    <message>
        <source>職権の決裁（所属長）</source>
        <translation>Ex officio decisions (supervisor)</translation>
    </message>
    <message>
        <source>職権修正</source>
        <translation>Ex officio correction</translation>
    </message>
    <message>
        <source>職権消除</source>
        <translation>Ex officio removal</translation>
    </message>
    <message>
        <source>職権記載</source>
        <translation>Ex officio entry</translation>
    </message>
    <message>
        <source>記録の状態</source>
        <translation>Record status</translation>
    </message>
    <message>
        <source>調査した職員</source>
        <translation>Investigators</translation>
    </message>
    <message>
        <source>調査の方法</source>
        <translation>Method</translation>
    </message>
    <message>
        <source>調査の結果</source>
        <translation>Finding</translation>
    </message>
    <message>
        <source>調査日</source>
        <translation>Date of investigation</translation>
    </message>
    <message>
        <source>項目</source>
        <translation>Item</translation>
    </message>
</context>
<context>
    <name>FormsBox</name>
    <message>
        <source>お客様に署名を依頼(&amp;A)</source>
        <translation>&amp;Ask the resident to sign</translation>
    </message>
    <message>
        <source>お客様の画面に次のページを表示(&amp;N)</source>
        <translation>Show the &amp;next page on the resident's screen</translation>
    </message>
    <message>
        <source>この来庁の申請書</source>
        <translation>The forms of this visit</translation>
    </message>
    <message>
        <source>代筆の理由</source>
        <translation>Reason for writing on the resident's behalf</translation>
    </message>
    <message>
        <source>代筆の理由（その他）</source>
        <translation>Reason for writing on the resident's behalf (other)</translation>
    </message>
    <message>
        <source>代筆（職員が代わって署名欄に書く）</source>
        <translation>Written on behalf (a clerk writes in the signature box)</translation>
    </message>
    <message>
        <source>受け取る課</source>
        <translation>Receiving division</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <source>申請書</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>申請書の内容が各課に送られることをお客様に説明した</source>
        <translation>I told the resident that the forms' contents go to the divisions</translation>
    </message>
    <message>
        <source>申請書（お客様の画面で確認・署名）</source>
        <translation>Forms (checked and signed on the resident's screen)</translation>
    </message>
    <message>
        <source>署名した申請書を保存(&amp;U)</source>
        <translation>Store the signed forms (&amp;U)</translation>
    </message>
</context>
<context>
    <name>FormsStep</name>
    <message>
        <source>前の届出の申請書（%1）は保存されていません。</source>
        <translation>The forms of the previous notification (%1) were not stored.</translation>
    </message>
    <message>
        <source>お客様の画面に「%1」%2 / %3 ページを表示しました。</source>
        <translation>Page %2 / %3 of "%1" is on the resident's screen.</translation>
    </message>
    <message>
        <source>お客様の画面に署名欄を表示しました。署名の確定をお待ちください。</source>
        <translation>The signature box is on the resident's screen. Wait until the resident confirms the signature.</translation>
    </message>
    <message>
        <source>お客様の確認 %1 / %2 ページ</source>
        <translation>Checked by the resident: %1 / %2 pages</translation>
    </message>
    <message>
        <source>すべてのページをお客様に確認いただきました。署名を依頼してください。</source>
        <translation>The resident has checked every page. Ask for the signature.</translation>
    </message>
    <message>
        <source>代筆の理由を入力してください</source>
        <translation>Enter the reason for writing on the resident's behalf</translation>
    </message>
    <message>
        <source>保存しました</source>
        <translation>Stored</translation>
    </message>
    <message>
        <source>未入力: %1</source>
        <translation>Missing: %1</translation>
    </message>
    <message>
        <source>申請書の内容が %1 に送られることをお客様に説明した（記録されます）</source>
        <translation>I told the resident that the forms' contents go to %1 (this is recorded)</translation>
    </message>
    <message>
        <source>申請書を保存しています…</source>
        <translation>Storing the forms…</translation>
    </message>
    <message>
        <source>画面の保護中（のぞき見防止・ロック）のため、お客様の画面には表示していません。解除後にもう一度送ってください。</source>
        <translation>The screen is protected (onlooker shield or lock), so nothing was shown on the resident's screen. Send it again once it is lifted.</translation>
    </message>
    <message>
        <source>署名した申請書をセンターに保存しました。審査の後、各課に送られます。</source>
        <translation>The signed forms are stored at the centre. They go to the divisions after review.</translation>
    </message>
    <message>
        <source>署名をいただきました。保存してください。</source>
        <translation>The resident has signed. Store the forms.</translation>
    </message>
    <message>
        <source>署名済み（未保存）</source>
        <translation>Signed (not stored yet)</translation>
    </message>
</context>
</TS>
