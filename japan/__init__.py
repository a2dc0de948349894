"""Japanese rules (日本の制度・表記の規則): one implementation each, for every room.

- ``japan.mynumber``: the 個人番号 (My Number) check digit of 番号法施行令 第8条 and the form of a
  12-digit number;
- ``japan.kana``: the フリガナ check (全角カタカナ), width folding (全角・半角), the 清音化 search key of
  a reading and the search key of a name, full-width printing of codes;
- ``japan.era``: the era table (元号: 明治 to 令和), 和暦 formatting (令和8年4月1日, 令和8年度) and the
  parsing of dates typed in 和暦 or 西暦.
- ``japan.ruby``: the ルビ (furigana) markup ``{署名|しょめい}`` of texts shown or printed with
  their reading.

Pure Python (the standard library and jaconv), no Qt and no I/O, and it imports nothing of the
project: app/, ui/, central/ and drivers/ all import it (drivers may not import app or central,
central may not import app), so a rule lives here once instead of once per room.
"""
