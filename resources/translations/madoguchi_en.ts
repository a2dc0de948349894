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
        <source>顔認証の登録</source>
        <translation>Face enrolment</translation>
    </message>
    <message>
        <source>ログインの有効期限が切れました。もう一度ログインしてください</source>
        <translation>Your login has expired. Please log in again.</translation>
    </message>
    <message>
        <source>未送信 %1件</source>
        <translation>%1 unsent</translation>
    </message>
    <message>
        <source>要確認 %1件</source>
        <translation>%1 to check</translation>
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
        <source>残り時間 %1:%2</source>
        <translation>Time left %1:%2</translation>
    </message>
    <message>
        <source>画面ロックのまま時間が経過したため、ログアウトしました。端末内の作業データは消去しました</source>
        <translation>The screen stayed locked too long, so you were logged out. The working data on this terminal was erased.</translation>
    </message>
    <message>
        <source>端末の作業領域（暗号化キャッシュ）を作成できないため、ログインを中止しました。情報主管課に連絡してください</source>
        <translation>Login was cancelled because the terminal's encrypted work area could not be created. Contact IT security.</translation>
    </message>
    <message>
        <source>職員の離席を検知したため、画面をロックしました。</source>
        <translation>The screen was locked because the operator left the counter.</translation>
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
        <source>端末ID: %1</source>
        <translation>Terminal ID: %1</translation>
    </message>
    <message>
        <source>中央サーバー: 確認中…</source>
        <translation>Central server: checking…</translation>
    </message>
    <message>
        <source>中央サーバー: オンライン</source>
        <translation>Central server: online</translation>
    </message>
    <message>
        <source>中央サーバー: オフライン</source>
        <translation>Central server: offline</translation>
    </message>
    <message>
        <source>この端末は利用停止されています</source>
        <translation>This terminal has been disabled</translation>
    </message>
    <message>
        <source>中央サーバー: 応答異常</source>
        <translation>Central server: error response</translation>
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
</TS>
