"""Typed card errors with Japanese and English messages for every status word and PC/SC error.

Status words follow ISO 7816-4 and what public My Number card implementations report
(see ../shared/docs/mynumber-card.md §4.3); PC/SC codes are pcsc-lite / WinSCard hresults (§4.3).
"""
from __future__ import annotations


class CardError(Exception):
    """Base of every card error. ``message_ja`` is what the counter shows; ``message_en`` for logs/--lang en."""

    code = "card_error"
    message_ja = "カードの読み取りでエラーが発生しました。"
    message_en = "The card could not be read."

    def __init__(self, message_ja: str | None = None, message_en: str | None = None, *, sw: int | None = None,
                 hresult: int | None = None) -> None:
        for text in (message_ja, message_en):
            if text is not None and not isinstance(text, str):  # e.g. a status word passed positionally
                raise TypeError(f"card error messages are text, got {type(text).__name__}; pass sw=/hresult=")
        if message_ja is not None:
            self.message_ja = message_ja
        if message_en is not None:
            self.message_en = message_en
        self.sw = sw
        self.hresult = hresult
        detail = f" (SW {sw:04X})" if sw is not None else f" (0x{hresult:08X})" if hresult is not None else ""
        super().__init__(f"{self.code}: {self.message_en}{detail}")


# ---- status-word errors -------------------------------------------------------------------------
class CardStatusError(CardError):
    code = "card_status"


class WrongPin(CardStatusError):
    code = "wrong_pin"

    def __init__(self, tries_left: int, sw: int) -> None:
        self.tries_left = tries_left
        super().__init__(f"暗証番号が違います。残り{tries_left}回です。",
                         f"Wrong PIN. {tries_left} tries left.", sw=sw)


class PinLocked(CardStatusError):
    code = "pin_locked"
    message_ja = "暗証番号がロックされています。窓口でロック解除の手続きが必要です。"
    message_en = "The PIN is locked. It must be reset at the municipal counter."

    def __init__(self, sw: int, *, just_locked: bool = False) -> None:
        self.just_locked = just_locked
        if just_locked:
            super().__init__("暗証番号を連続して間違えたため、ロックされました。窓口でロック解除の手続きが必要です。",
                             "The PIN was entered wrongly too many times and is now locked.", sw=sw)
        else:
            super().__init__(sw=sw)


class LastTryNeedsConfirmation(CardError):
    """Raised before any VERIFY is sent when only one try is left and staff have not confirmed."""
    code = "last_try_needs_confirmation"
    message_ja = "暗証番号の残り回数が1回です。間違えるとロックされます。職員が確認のうえ続行してください。"
    message_en = "Only one PIN try is left; a wrong entry locks the card. Staff must confirm before continuing."


class NotVerified(CardStatusError):
    code = "not_verified"
    message_ja = "暗証番号の照合が済んでいないため読み取れません。"
    message_en = "Security status not satisfied: the PIN has not been verified."


class NotMyNumberCard(CardStatusError):
    code = "not_my_number_card"
    message_ja = "マイナンバーカードではありません。カードを確認してください。"
    message_en = "This is not a My Number card (application not found)."


class FileNotFound(CardStatusError):
    code = "file_not_found"
    message_ja = "カード内に必要なファイルが見つかりません。"
    message_en = "File or application not found on the card."


class CommandNotAllowed(CardStatusError):
    code = "command_not_allowed"
    message_ja = "カードがこの操作を受け付けませんでした（ファイル未選択）。"
    message_en = "Command not allowed (no current EF)."


class WrongParameters(CardStatusError):
    code = "wrong_parameters"
    message_ja = "カードへの指示が正しくありません（P1/P2）。"
    message_en = "Incorrect parameters P1/P2."


class WrongLength(CardStatusError):
    code = "wrong_length"
    message_ja = "カードへの指示の長さが正しくありません。"
    message_en = "Wrong length."


class WrongOffset(CardStatusError):
    code = "wrong_offset"
    message_ja = "カード内のファイルの範囲外を読もうとしました。"
    message_en = "Wrong offset: outside the file."


class WrongLe(CardStatusError):
    code = "wrong_le"

    def __init__(self, sw: int) -> None:
        self.available = sw & 0xFF
        super().__init__(f"読み取り長が正しくありません（{self.available}バイトまで）。",
                         f"Wrong Le; {self.available} bytes available.", sw=sw)


class EndOfFile(CardStatusError):
    code = "end_of_file"
    message_ja = "指定の長さを読む前にファイルの終わりに達しました。"
    message_en = "End of file reached before reading Le bytes."


class InsNotSupported(CardStatusError):
    code = "ins_not_supported"
    message_ja = "カードがこの命令に対応していません。"
    message_en = "Instruction not supported by the card."


class ClaNotSupported(CardStatusError):
    code = "cla_not_supported"
    message_ja = "カードがこの命令クラスに対応していません。"
    message_en = "Class not supported by the card."


class UnexpectedStatus(CardStatusError):
    code = "unexpected_status"

    def __init__(self, sw: int) -> None:
        super().__init__(f"カードが予期しない応答を返しました（{sw:04X}）。",
                         f"Unexpected status word {sw:04X}.", sw=sw)


# ---- data errors ---------------------------------------------------------------------------------
class IntegrityError(CardError):
    code = "integrity_error"
    message_ja = "カードから読み取ったデータの検証に失敗しました（ハッシュ不一致）。読み取り結果は使用できません。"
    message_en = "Integrity check failed: the data read does not match the card's digest."


class MalformedData(CardError):
    code = "malformed_data"
    message_ja = "カードのデータ形式が正しくありません。"
    message_en = "The card returned malformed data."


# ---- transport / PC/SC errors --------------------------------------------------------------------
class TransportError(CardError):
    code = "transport_error"
    message_ja = "カードリーダーとの通信でエラーが発生しました。"
    message_en = "Communication with the card reader failed."


class CardRemoved(TransportError):
    code = "card_removed"
    message_ja = "読み取り中にカードが外されました。カードを置き直してください。"
    message_en = "The card was removed or reset during the operation. Place the card again."


class NoCard(TransportError):
    code = "no_card"
    message_ja = "カードが置かれていません。カードを置いてください。"
    message_en = "No card in the reader. Please place the card."


class CardUnresponsive(TransportError):
    code = "card_unresponsive"
    message_ja = "カードが応答しません。カードの向きや置き方を確認してください。"
    message_en = "The card does not respond."


class ReaderLost(TransportError):
    code = "reader_lost"
    message_ja = "カードリーダーが見つかりません。接続を確認してください。"
    message_en = "The card reader is not available. Check the connection."


class NoReaders(ReaderLost):
    code = "no_readers"
    message_ja = "カードリーダーが接続されていません。"
    message_en = "No card reader is connected."


class ServiceLost(TransportError):
    code = "service_lost"
    message_ja = "スマートカードサービスが停止しています。再接続を待っています。"
    message_en = "The smart card service (PC/SC) is not running."


class SharingViolation(TransportError):
    code = "sharing_violation"
    message_ja = "他のソフトウェアがカードを使用中です。しばらくしてからやり直してください。"
    message_en = "The card is in use by another application (sharing violation)."


class CardTimeout(TransportError):
    code = "timeout"
    message_ja = "カードリーダーの応答がタイムアウトしました。"
    message_en = "The card reader timed out."


class Cancelled(TransportError):
    code = "cancelled"
    message_ja = "カードの操作が取り消されました。"
    message_en = "The card operation was cancelled."


# ---- tables ----------------------------------------------------------------------------------------
#: exact status words → (exception class, Japanese, English). 63 Cx and 6C xx are families (see error_for_sw).
SW_TABLE: dict[int, tuple[type[CardStatusError], str, str]] = {
    0x6982: (NotVerified, NotVerified.message_ja, NotVerified.message_en),
    0x6983: (PinLocked, PinLocked.message_ja, PinLocked.message_en),
    0x6984: (PinLocked, PinLocked.message_ja, PinLocked.message_en),
    0x6986: (CommandNotAllowed, CommandNotAllowed.message_ja, CommandNotAllowed.message_en),
    0x6A82: (FileNotFound, FileNotFound.message_ja, FileNotFound.message_en),
    0x6A86: (WrongParameters, WrongParameters.message_ja, WrongParameters.message_en),
    0x6700: (WrongLength, WrongLength.message_ja, WrongLength.message_en),
    0x6B00: (WrongOffset, WrongOffset.message_ja, WrongOffset.message_en),
    0x6282: (EndOfFile, EndOfFile.message_ja, EndOfFile.message_en),
    0x6D00: (InsNotSupported, InsNotSupported.message_ja, InsNotSupported.message_en),
    0x6E00: (ClaNotSupported, ClaNotSupported.message_ja, ClaNotSupported.message_en),
}


def error_for_sw(sw: int, *, selecting_application: bool = False) -> CardStatusError:
    """The typed exception for a non-9000 status word. 6A 82 on SELECT of the AP means 'not a My Number card'."""
    if sw == 0x6A82 and selecting_application:
        return NotMyNumberCard(sw=sw)
    if sw & 0xFFF0 == 0x63C0:
        tries = sw & 0x0F
        return PinLocked(sw, just_locked=True) if tries == 0 else WrongPin(tries, sw)
    if sw & 0xFF00 == 0x6C00:
        return WrongLe(sw)
    entry = SW_TABLE.get(sw)
    if entry is None:
        return UnexpectedStatus(sw)
    cls = entry[0]
    return cls(sw=sw)


# PC/SC hresults (pcsc-lite values; identical on WinSCard).
SCARD_E_CANCELLED = 0x80100002
SCARD_E_UNKNOWN_READER = 0x80100009
SCARD_E_TIMEOUT = 0x8010000A
SCARD_E_SHARING_VIOLATION = 0x8010000B
SCARD_E_NO_SMARTCARD = 0x8010000C
SCARD_E_NOT_TRANSACTED = 0x80100016
SCARD_E_READER_UNAVAILABLE = 0x80100017
SCARD_E_NO_SERVICE = 0x8010001D
SCARD_E_SERVICE_STOPPED = 0x8010001E
SCARD_E_NO_READERS_AVAILABLE = 0x8010002E
SCARD_W_UNRESPONSIVE_CARD = 0x80100066
SCARD_W_UNPOWERED_CARD = 0x80100067
SCARD_W_RESET_CARD = 0x80100068
SCARD_W_REMOVED_CARD = 0x80100069

#: PC/SC hresult → exception class (each class carries its Japanese and English message).
PCSC_TABLE: dict[int, type[TransportError]] = {
    SCARD_E_CANCELLED: Cancelled,
    SCARD_E_UNKNOWN_READER: ReaderLost,
    SCARD_E_TIMEOUT: CardTimeout,
    SCARD_E_SHARING_VIOLATION: SharingViolation,
    SCARD_E_NO_SMARTCARD: NoCard,
    SCARD_E_NOT_TRANSACTED: CardRemoved,
    SCARD_E_READER_UNAVAILABLE: ReaderLost,
    SCARD_E_NO_SERVICE: ServiceLost,
    SCARD_E_SERVICE_STOPPED: ServiceLost,
    SCARD_E_NO_READERS_AVAILABLE: NoReaders,
    SCARD_W_UNRESPONSIVE_CARD: CardUnresponsive,
    SCARD_W_UNPOWERED_CARD: CardRemoved,
    SCARD_W_RESET_CARD: CardRemoved,
    SCARD_W_REMOVED_CARD: CardRemoved,
}


def error_for_hresult(hresult: int) -> TransportError:
    hresult &= 0xFFFFFFFF
    cls = PCSC_TABLE.get(hresult)
    if cls is None:
        return TransportError(f"カードリーダーとの通信でエラーが発生しました（0x{hresult:08X}）。",
                              f"PC/SC error 0x{hresult:08X}.", hresult=hresult)
    return cls(hresult=hresult)
