"""申請書の描画 (#23 points 1 and 4, K-WF-4.3/4.4): the resident's screen and the stored PDF/A come from
one drawing routine. Read back with poppler (pdftotext for the words, pdftoppm for the picture):
the PDF/A identification, the title and the resident's name, ink in the signature box only when
signed, a 代筆 labelled, the digest in the footer; and nothing written to disk while rendering."""
from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

from app import forms
from app.reception import CaseFile
from app.signature import Point, Proxy, Signature, Stroke
from tests.unit.test_forms import TODAY, family_sources
from ui.printing import form_pdf

DPI = 50


@pytest.fixture(scope="module")
def catalogue():
    return forms.load()


@pytest.fixture
def idou(qapp, catalogue):
    return forms.fill(catalogue.form("jumin_idou"), family_sources())


def signature(proxy: Proxy | None = None) -> Signature:
    """A zigzag written on a 400 × 150 pad."""
    points = tuple(Point(10 + 6 * i, 30 + (i % 10) * 9, 12 * i, 0.5) for i in range(60))
    return Signature((Stroke(points),), "tablet", 400, 150, "2026-04-10T01:02:03+00:00", proxy)


def pdf_text(pdf: bytes) -> str:
    assert shutil.which("pdftotext"), "poppler-utils is installed by scripts/setup.sh"
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    # Qt's CJK font maps some kanji to radical code points (⽒, ⺠): NFKC folds most of them back.
    text = unicodedata.normalize("NFKC", out.stdout.decode("utf-8"))
    return "".join(text.translate(str.maketrans({"⺠": "民", "⻑": "長", "∕": "/", "‧": "・"})).split())


def pdf_page(pdf: bytes, page: int, tmp_path) -> QImage:
    assert shutil.which("pdftoppm"), "poppler-utils is installed by scripts/setup.sh"
    (tmp_path / "in.pdf").write_bytes(pdf)
    root = tmp_path / f"page{page}"
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-singlefile", "-f", str(page + 1),
                    "-l", str(page + 1), str(tmp_path / "in.pdf"), str(root)], check=True)
    image = QImage(str(root) + ".png")
    assert not image.isNull()
    return image


def dark_share(image: QImage, box, scale: float, inset: float, threshold: int = 128) -> float:
    """Share of pixels darker than ``threshold`` inside ``box`` (sheet units), ``inset`` units in
    from its border."""
    r = box.adjusted(inset, inset, -inset, -inset)
    x0, y0 = int(r.left() * scale), int(r.top() * scale)
    x1, y1 = int(r.right() * scale), int(r.bottom() * scale)
    dark = total = 0
    for y in range(y0, y1):
        for x in range(x0, x1):
            total += 1
            if image.pixelColor(x, y).lightness() < threshold:
                dark += 1
    return dark / total


def test_the_pdf_is_pdf_a_with_the_title_the_names_and_the_digest(idou):
    pdf = form_pdf.form_pdf(idou, signature())
    assert pdf.startswith(b"%PDF-")
    assert b"pdfaid" in pdf and b"pdfaid:part" in pdf
    text = pdf_text(pdf)
    assert "住民異動届" in text and "提出先市民課" in text
    assert "山田太郎" in text and "ヤマダハナコ" in text  # the 全角 space is a break to pdftotext
    assert "令和8年4月1日" in text and "東京都架空市本町一丁目2番3号" in text
    assert idou.digest() in text
    assert "123456789018" not in text and "123456789018".encode() not in pdf


def test_two_renders_of_the_same_form_have_the_same_text(idou):
    assert pdf_text(form_pdf.form_pdf(idou, signature())) == \
        pdf_text(form_pdf.form_pdf(idou, signature()))


def test_the_signature_box_has_ink_only_when_signed(idou, tmp_path):
    page, box = form_pdf.signature_box(idou)
    scale = DPI / 254  # sheet units are 0.1 mm (the sheet fills the PDF page)
    unsigned = pdf_page(form_pdf.form_pdf(idou, None), page, tmp_path)
    signed = pdf_page(form_pdf.form_pdf(idou, signature()), page, tmp_path)
    assert abs(unsigned.width() - 210 / 25.4 * DPI) <= 1
    assert dark_share(unsigned, box, scale, inset=20) == 0
    assert dark_share(signed, box, scale, inset=20) > 0.01
    # …and the rest of the page is the same drawing.
    above = box.adjusted(0, -box.top() + 400, 0, -box.height())
    assert abs(dark_share(unsigned, above, scale, 0) - dark_share(signed, above, scale, 0)) < 0.001


def test_the_screen_shows_the_prompt_then_the_strokes(idou):
    page, box = form_pdf.signature_box(idou)
    size = QSize(1240, 1754)
    scale = size.width() / form_pdf.PAGE_W
    empty = form_pdf.render_page(idou, page, size)
    signed = form_pdf.render_page(idou, page, size, signature())
    # 「ここに署名」 in grey: some mid-grey ink, no black.
    assert dark_share(empty, box, scale, inset=20, threshold=220) > 0.005
    assert dark_share(empty, box, scale, inset=20, threshold=60) == 0
    assert dark_share(signed, box, scale, inset=20, threshold=60) > 0.01


def _mean_difference(a: QImage, b: QImage, step: int = 4) -> float:
    small = QSize(a.width() // step, a.height() // step)
    smooth = (Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    a, b = a.scaled(small, *smooth), b.scaled(small, *smooth)
    diff = sum(abs(a.pixelColor(x, y).lightness() - b.pixelColor(x, y).lightness())
               for y in range(small.height()) for x in range(small.width()))
    return diff / (small.width() * small.height())


def test_the_screen_and_the_pdf_are_the_same_drawing(idou, catalogue, tmp_path):
    sig = signature()
    stored = pdf_page(form_pdf.form_pdf(idou, sig), 0, tmp_path)
    screen = form_pdf.render_page(idou, 0, stored.size(), sig)
    other = form_pdf.render_page(forms.fill(catalogue.form("kokuho_shikaku"), family_sources()),
                                 0, stored.size(), sig)
    same = _mean_difference(stored, screen)
    assert same < 8  # anti-aliasing and glyph hinting apart, the same page…
    assert _mean_difference(stored, other) > 2 * same  # …which another form is not


def test_a_proxy_signature_is_labelled_with_the_clerk_and_the_reason(idou):
    text = pdf_text(form_pdf.form_pdf(idou, signature(Proxy("clerk01", "physical"))))
    assert "代筆(職員clerk01、理由:身体の障害・けが等により本人が署名できない)" in text
    other = pdf_text(form_pdf.form_pdf(idou, signature(Proxy("clerk01", "other", "骨折"))))
    assert "理由:その他(理由を記録):骨折" in other
    assert "代筆" not in pdf_text(form_pdf.form_pdf(idou, signature()))


def test_a_long_household_goes_on_to_a_second_page_with_the_signature_last(qapp, catalogue,
                                                                          tmp_path):
    members = [forms.person_row({"name_kanji": f"山田　{i}郎", "name_kana": "ヤマダ　タロウ",
                                 "birth_date": "1990-01-01", "sex": "male",
                                 "relationship_to_head": "子"}, event="tennyu")
               for i in range(1, 31)]
    sources = forms.sources_for(CaseFile("1", identity_method="card"), entry_kind="tennyu",
                                entry_values={"idou_date": "2026-04-01"}, members=members,
                                requester_name="山田　太郎", today=TODAY)
    filled = forms.fill(catalogue.form("jumin_idou"), sources)
    pages = form_pdf.page_count(filled)
    assert pages >= 2
    assert form_pdf.signature_box(filled)[0] == pages - 1
    text = pdf_text(form_pdf.form_pdf(filled, signature()))
    assert "山田30郎" in text and "異動者(続き)" in text and f"{pages}/{pages}頁" in text
    with pytest.raises(IndexError):
        form_pdf.render_page(filled, pages, QSize(600, 848))


def test_rendering_writes_no_file(idou, tmp_path, monkeypatch):
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    before = set(os.listdir(tmp_path))
    form_pdf.form_pdf(idou, signature())
    form_pdf.render_page(idou, 0, QSize(800, 1131), signature())
    assert os.listdir(work) == [] and set(os.listdir(tmp_path)) == before


def test_every_catalogue_form_renders(qapp, catalogue):
    sources = family_sources()
    for form in catalogue.forms:
        filled = forms.fill(form, sources)
        text = pdf_text(form_pdf.form_pdf(filled, signature()))
        assert "".join(unicodedata.normalize("NFKC", form.title).split()) in text, form.id
        assert filled.digest() in text


def test_repainting_many_times_does_not_bring_the_interpreter_down(tmp_path):
    """The bindings drop a reference to None on many void calls (see ``ui/__init__.py``): a
    process that paints a form thousands of times — a resident's screen over a day — exits
    cleanly because importing ``ui`` pinned None, True and False."""
    import subprocess
    import sys

    script = tmp_path / "paint.py"
    script.write_text(
        "import sys\n"
        "import ui\n"
        "from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPen\n"
        "app = QGuiApplication([])\n"
        "image = QImage(8, 8, QImage.Format.Format_RGB32)\n"
        "start = sys.getrefcount(None)\n"
        "for _ in range(20000):\n"
        "    image.fill(0)\n"
        "    p = QPainter(image); p.setPen(QPen()); p.end()\n"
        "print(start - sys.getrefcount(None))\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
                          cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    assert done.returncode == 0, done.stderr[-500:]
    assert "dealloc" not in done.stderr


def test_the_pdf_carries_what_pdf_a_1b_asks_for(idou, tmp_path):
    """PDF/A-1b (K-WF-4.4, kept for years): an output intent with its ICC profile, XMP metadata
    naming the part, and every font embedded (poppler's pdffonts, the real tool)."""
    pdf = form_pdf.form_pdf(idou, signature())
    assert b"/OutputIntents" in pdf and b"/GTS_PDFA1" in pdf and b"/DestOutputProfile" in pdf
    assert b"<pdfaid:part>1</pdfaid:part>" in pdf or b'pdfaid:part="1"' in pdf
    (tmp_path / "form.pdf").write_bytes(pdf)  # a test's own folder, not the terminal's
    out = subprocess.run(["pdffonts", str(tmp_path / "form.pdf")], capture_output=True, check=True,
                         text=True)
    fonts = out.stdout.splitlines()[2:]
    assert fonts, out.stdout
    assert all(line.split()[-5] == "yes" for line in fonts), out.stdout  # the "emb" column
