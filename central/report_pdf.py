"""The 異動リスト as a PDF (DQ-2, K-WF-6.5): A4 landscape, a Japanese font embedded as a subset, one
row per 異動 as in the JSON list (idou_list.py), with a 点検 column to tick on paper or to see who
ticked it. Never a 個人番号: the PDF is drawn from the listing's rows, which carry none.

Certificates are drawn on the terminal with Qt (ui/printing); this report is the centre's own, like
the rights CSV, so it is drawn here with fpdf2 and the Noto Sans CJK JP font that the machines have
(fonts-noto-cjk, scripts/setup.sh) — the same family the terminal prints with.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import clock
from .problems import problem

# (path, index in a collection): Noto Sans CJK JP, else IPAex (TrueType), else what fontconfig has
FONT_CANDIDATES = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 0),
    ("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", 0),
)

COLUMNS = (  # (heading, width mm)
    ("No", 9), ("種別", 11), ("事由", 17), ("氏名・フリガナ", 44), ("住所", 67), ("異動日", 20),
    ("届出日", 20), ("入力者・端末", 30), ("承認者", 20), ("点検", 29),
)


@lru_cache(maxsize=1)
def font() -> tuple[str, int]:
    """The Japanese font the report embeds (path, collection index)."""
    for path, index in FONT_CANDIDATES:
        if Path(path).is_file():
            return path, index
    if shutil.which("fc-match"):
        out = subprocess.run(["fc-match", "-f", "%{file}\n%{index}", "Noto Sans CJK JP:lang=ja"],
                             capture_output=True, text=True, timeout=10, check=False).stdout
        lines = out.splitlines()
        if len(lines) == 2 and Path(lines[0]).is_file() and lines[1].isdigit():
            return lines[0], int(lines[1])
    raise problem("report_font_unavailable", "No Japanese font for the report is installed",
                  "帳票用の日本語フォントがありません。管理者に連絡してください")


def _jst(at: str | None) -> str:
    """A UTC ISO time of the listing as the office reads it: MM-DD HH:MM in JST."""
    if not at:
        return ""
    when = dt.datetime.fromisoformat(at.rstrip("Z")).replace(tzinfo=dt.timezone.utc)
    return when.astimezone(clock.JST).strftime("%m-%d %H:%M")


def _date(value: str | None, unknown: bool = False) -> str:
    if unknown:
        return "不詳"
    return value or "—"


def idou_list_pdf(listing: dict[str, Any], *, printed_by: str, printed_at: str) -> bytes:
    """The listing (idou_list.listing) as PDF bytes."""
    from fpdf import FPDF  # loaded on first use: the API starts without it
    from fpdf.fonts import FontFace

    path, index = font()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(f"異動リスト {listing['date']}")
    pdf.set_creator("Madoguchi")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_font("jp", "", path, collection_font_number=index)
    scope = f"端末 {listing['device']}" if listing["device"] else "全体（所属全端末）"
    heading = (f"異動リスト　{listing['date']}（日本時間）　{scope}")
    summary = (f"当日 {listing['today_count']} 件　前日以前の未点検 {listing['carried_over_count']} 件"
               f"　未点検 計 {listing['unchecked_count']} 件　出力: {printed_by} {printed_at}")

    def header() -> None:
        pdf.set_font("jp", size=13)
        pdf.cell(0, 7, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("jp", size=8)
        pdf.cell(0, 5, summary, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    pdf.add_page()
    header()
    pdf.set_font("jp", size=7.5)
    widths = tuple(w for _, w in COLUMNS)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=3.8,
                   first_row_as_headings=True, repeat_headings=1,
                   headings_style=FontFace(emphasis="", fill_color=(225, 225, 225))) as table:
        head = table.row()
        for title, _ in COLUMNS:
            head.cell(title)
        for n, r in enumerate(listing["rows"], 1):
            row = table.row()
            row.cell(str(n))
            row.cell(r["entry_kind_ja"])
            row.cell(r["kind_ja"] + ("\n(前日以前)" if r["carried_over"] else ""))
            row.cell(f"{r['name_kanji']}\n{r['name_kana']}")
            address = r["address"] + (f" {r['katagaki']}" if r["katagaki"] else "")
            if r["moved_out_to"]:
                address += f"\n転出先: {r['moved_out_to']}"
            if r["support_measure"]:
                address += "\n※支援措置対象"
            row.cell(address)
            row.cell(_date(r["idou_date"], r["idou_date_unknown"]))
            row.cell(_date(r["todoke_date"]) if r["entry_kind"] == "todoke" else "（職権）")
            row.cell(f"{r['operator'] or '—'}\n{r['device'] or ''}\n{_jst(r['recorded_at'])}")
            row.cell(r["approved_by"] or "（即時）")
            row.cell(f"済 {r['checked_by']}\n{_jst(r['checked_at'])}" if r["checked"]
                     else "□ 未点検")
    if not listing["rows"]:
        pdf.set_font("jp", size=10)
        pdf.cell(0, 8, "該当する異動はありません", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("jp", size=7)
    pdf.cell(0, 5, "日本時間の暦日で集計（時刻は日本時間）。個人番号は記載しません。",
             new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
