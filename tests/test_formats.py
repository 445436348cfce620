"""PDF and DOCX guides: made here with fpdf2 and python-docx, read through the same outline as the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.config import Settings
from advisor.errors import CorpusError
from advisor.ingest.parse import read_corpus, read_document
from advisor.ingest.split import split_document

PDF_BODY = (
    "The scholarship committee reviews every application for the Data Futures award in the spring. "
    "Applicants submit a two page statement describing the project they want to pursue after graduation."
)
PDF_LIST = ["A transcript from every college attended", "Two letters of recommendation from faculty"]


def make_pdf(path: Path, *, headings: bool = True, encrypt: str | None = None, text: bool = True) -> Path:
    """A small PDF: a title, two headed sections with paragraphs and a bulleted list (fpdf2)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()

    def cell(height: float, text: str) -> None:
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    if text:
        big, mid, body = (22, 16, 11) if headings else (11, 11, 11)
        pdf.set_font("Helvetica", size=big)
        cell(12, "Scholarships for Data Students")
        pdf.set_font("Helvetica", size=mid)
        cell(10, "Data Futures Award")
        pdf.set_font("Helvetica", size=body)
        cell(6, PDF_BODY)
        pdf.ln(6)
        cell(6, "To apply, send the following documents:")
        for item in PDF_LIST:
            cell(6, f"- {item}")
        pdf.ln(6)
        pdf.set_font("Helvetica", size=mid)
        cell(10, "Deadlines")
        pdf.set_font("Helvetica", size=body)
        cell(6, "Applications for the Data Futures award close on the first Friday of March each year.")
    else:
        pdf.set_fill_color(30, 30, 30)
        pdf.rect(20, 20, 100, 60, style="F")  # a drawing, no text: as a scan looks to a reader
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password=encrypt)
    pdf.output(str(path))
    return path


def make_docx(path: Path) -> Path:
    """A Word document with a title, headings, a bulleted list and a table with a header row."""
    import docx

    d = docx.Document()
    d.core_properties.title = "Internships in Analytics"
    d.add_heading("Internships in Analytics", level=0)
    d.add_heading("Finding a placement", level=1)
    d.add_paragraph("The career office keeps a list of partner employers who host analytics interns every summer.")
    d.add_paragraph("Partners usually ask for:")
    d.add_paragraph("A résumé of one page", style="List Bullet")
    d.add_paragraph("A short portfolio of data projects", style="List Bullet")
    d.add_heading("Stipends", level=1)
    table = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Employer type", "Monthly stipend"), ("Startup", "$2,400"), ("Bank", "$4,100")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    d.save(str(path))
    return path


def blocks(path: Path):
    return read_document(path, path.name, 10_000_000)


def test_pdf_headings_paragraphs_and_lists(tmp_path):
    doc = blocks(make_pdf(tmp_path / "awards.pdf"))
    assert doc.title == "Scholarships for Data Students"
    sections = {b.section for b in doc.blocks}
    assert sections == {"Data Futures Award", "Deadlines"}
    body = next(b for b in doc.blocks if "scholarship committee" in b.text)
    assert PDF_BODY in body.text.replace("\n", " ")  # wrapped lines joined into the paragraph
    listed = next(b for b in doc.blocks if "transcript" in b.text)
    assert listed.text.splitlines() == ["To apply, send the following documents:", *[f"- {i}" for i in PDF_LIST]]


def test_pdf_in_one_font_size_falls_back_to_the_plain_text_reading(tmp_path):
    doc = blocks(make_pdf(tmp_path / "flat.pdf", headings=False))
    assert any("scholarship committee" in b.text for b in doc.blocks)
    assert doc.title  # from the first short line, or the file name


def test_docx_headings_lists_and_table_rows(tmp_path):
    doc = blocks(make_docx(tmp_path / "internships.docx"))
    assert doc.title == "Internships in Analytics"
    by_text = {b.text: b.section for b in doc.blocks}
    lead = next(t for t in by_text if t.startswith("Partners usually ask for:"))
    assert lead.splitlines()[1:] == ["- A résumé of one page", "- A short portfolio of data projects"]
    assert by_text[lead] == "Finding a placement"
    table = next(t for t in by_text if "Startup" in t)
    assert table.splitlines() == [
        "Employer type: Startup · Monthly stipend: $2,400",
        "Employer type: Bank · Monthly stipend: $4,100",
    ]
    assert by_text[table] == "Stipends"
    assert split_document(doc, Settings())  # and it splits like any other document


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: make_pdf(p, text=False), "no text layer"),
        (lambda p: make_pdf(p, encrypt="secret"), "encrypted"),
        (lambda p: p.write_bytes(b"%PDF-1.7\nthis is not really a pdf\n%%EOF") and p, "cannot be read as a PDF"),
    ],
    ids=["textless", "encrypted", "broken"],
)
def test_unusable_pdf_is_skipped_with_the_reason(tmp_path, make, reason):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.md").write_text("# Guide\n\nA paragraph long enough to be a passage of its own, about careers.\n")
    make(corpus / "bad.pdf")
    with pytest.raises(CorpusError, match=reason):
        blocks(corpus / "bad.pdf")
    read = read_corpus(Settings(corpus=corpus))
    assert [s.source for s in read.skipped] == ["corpus/bad.pdf"]
    assert reason in read.skipped[0].reason
    assert [d.source for d in read.documents] == ["corpus/guide.md"]


def test_broken_docx_is_skipped_with_the_reason(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip at all")
    with pytest.raises(CorpusError, match="cannot be read as a Word document"):
        blocks(bad)


def test_unreadable_pdf_keeps_its_earlier_passages(tmp_path, embeddings):
    """A PDF that was indexed and is then replaced by a broken one: its passages stay, with a warning."""
    from advisor.ingest.store import open_store
    from advisor.ingest.sync import ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.md").write_text("# Guide\n\nA paragraph long enough to be a passage of its own, about careers.\n")
    make_pdf(corpus / "awards.pdf")
    settings = Settings(corpus=corpus, data=tmp_path / "data")
    store = open_store(settings, embeddings=embeddings)
    first = ingest(store)
    kept = {s.id for s in store.stored() if s.source == "corpus/awards.pdf"}
    assert first.added == 2 and kept
    (corpus / "awards.pdf").write_bytes(b"%PDF-1.7\ntruncated")
    second = ingest(store)
    assert any(s.startswith("corpus/awards.pdf: cannot be read as a PDF") for s in second.skipped)
    assert second.removed == 0
    assert {s.id for s in store.stored() if s.source == "corpus/awards.pdf"} == kept
