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
ROOT = Path(__file__).resolve().parent.parent
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


def test_a_pdf_in_one_font_size_keeps_its_tables(tmp_path):
    # read as plain text, whose rules dropped a table's short rows ("Friday · Closed") or took its first row for
    # the title; before, the first file had "no paragraphs of text" and the second kept only its lead-in
    from fpdf import FPDF

    for lead_in in (False, True):
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        if lead_in:
            pdf.multi_cell(0, 6, "The career office is open on these days during the fall and spring terms.")
            pdf.ln(4)
        with pdf.table(first_row_as_headings=False) as table:
            for day, hours in [("Monday", "9 am to 5 pm"), ("Tuesday", "9 am to 5 pm"), ("Friday", "Closed")]:
                row = table.row()
                row.cell(day)
                row.cell(hours)
        pdf.output(str(tmp_path / "hours.pdf"))
        doc = blocks(tmp_path / "hours.pdf")
        assert doc.blocks[-1].text == "Monday · 9 am to 5 pm\nTuesday · 9 am to 5 pm\nFriday · Closed"
        assert doc.title == "hours"


SAVED_CROSSING = (
    "Most graduates of the program find their first analytics job within six months of finishing it, and the "
    "career office keeps in touch with every one of them through an annual survey that asks about titles, pay, "
    "employers and what they wish they had learned sooner. "
) * 6
SAVED_ITEMS = ["Statistics with R", "Database design", "Data visualization for decision makers"]
SAVED_ROWS = [
    ("Data analyst", "Builds the reports and dashboards that business teams ask for every week", "$83,000"),
    ("Data engineer", "Keeps the pipelines running", "$126,000"),
]


def make_saved_page_pdf(path: Path) -> Path:
    """A web page as a browser's "Save as PDF" makes it (fpdf2): the date and title at the top of every page and
    the address and page number at the bottom, a title on two lines, bold headings at the body's size, a paragraph
    running over a page break, a list whose bullets are drawn (its items indented, no bullet in the text) and a
    table with a bold header row and a cell wrapped on two lines."""
    from fpdf import FPDF

    class Saved(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=7)
            self.set_y(5)
            self.cell(0, 4, "12/7/26, 6:55 PM    Analytics Careers | Calder University")
            self.set_y(20)

        def footer(self) -> None:
            self.set_font("Helvetica", size=7)
            self.set_y(-10)
            self.cell(0, 4, f"https://calder.example.edu/analytics-careers    {self.page_no()}/{{nb}}")

    pdf = Saved()
    pdf.set_margins(20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    def text(size: int, height: float, line: str, style: str = "", indent: float = 0) -> None:
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.set_x(20 + indent)
        pdf.multi_cell(170 - indent, height, line, new_x="LMARGIN", new_y="NEXT")

    text(22, 10, "Analytics Careers at Calder: What Our Graduates Do and What They Earn", "B")
    pdf.ln(4)
    text(11, 6, "Our analytics graduates work across the region, in banks, hospitals, retailers and public agencies.")
    pdf.ln(4)
    text(11, 6, "Courses", "B")
    pdf.ln(2)
    text(11, 6, "Every student takes these courses in the first year:")
    for item in SAVED_ITEMS:
        text(11, 6, item, indent=8)
    pdf.ln(4)
    text(11, 6, "Pay", "B")
    pdf.ln(2)
    with pdf.table(col_widths=(40, 90, 40), text_align="LEFT") as table:
        pdf.set_font("Helvetica", style="B", size=11)
        table.row(["Role", "What they do", "Median pay"])
        pdf.set_font("Helvetica", size=11)
        for row in SAVED_ROWS:
            table.row(list(row))
    pdf.ln(4)
    text(11, 6, "Questions", "B")  # a FAQ saved with its answers folded away: its questions alone
    pdf.ln(2)
    for question in ("Can I study part time?", "Is the GRE required?"):
        text(11, 6, question, indent=8)
    pdf.ln(4)
    text(11, 6, "Outcomes", "B")
    pdf.ln(2)
    pdf.set_y(pdf.h - 45)  # near the page's foot: the paragraph runs on over the page break
    text(11, 6, SAVED_CROSSING.strip())
    pdf.output(str(path))
    return path


def test_a_saved_web_page_pdf_loses_its_running_lines_and_keeps_its_structure(tmp_path):
    # a page an office saves from its browser: the reader once kept the date, title, address and "1/2" as text
    # in the middle of a paragraph, cut the paragraph at the page break, split the two-line title, and read the
    # bold headings, the indented list and the table as running text; and a FAQ saved folded, its questions
    # alone, was retrieved first for the questions it does not answer
    doc = blocks(make_saved_page_pdf(tmp_path / "analytics.pdf"))
    assert doc.title == "Analytics Careers at Calder: What Our Graduates Do and What They Earn"
    text = "\n".join(b.text for b in doc.blocks)
    assert "6:55" not in text and "calder.example.edu" not in text and "1/2" not in text
    assert "GRE" not in text  # the FAQ's questions without their answers answer nothing
    assert {b.section for b in doc.blocks} >= {"Courses", "Pay", "Outcomes"}
    crossing = [b for b in doc.blocks if "annual survey" in b.text]
    assert len(crossing) == 1 and crossing[0].text == SAVED_CROSSING.strip()
    assert crossing[0].section == "Outcomes"
    listed = next(b for b in doc.blocks if b.section == "Courses")
    assert listed.text.splitlines() == ["Every student takes these courses in the first year:"] + [
        f"- {i}" for i in SAVED_ITEMS
    ]
    table = next(b for b in doc.blocks if b.section == "Pay")
    assert table.text.splitlines() == [f"Role: {r} · What they do: {w} · Median pay: {m}" for r, w, m in SAVED_ROWS]


BROCHURE = [
    (
        "Why analytics",
        "Every organization in the region now collects more data than it can use, and employers tell "
        "us they cannot find enough people who can turn it into decisions. Our graduates fill that gap.",
    ),
    (
        "Where graduates work",
        "Most of our graduates join banks, hospitals and public agencies within six months, "
        "and about a third of them stay with the employer that hosted their internship.",
    ),
    (
        "Paying for it",
        "Tuition is charged per credit, and every admitted student is considered for a departmental "
        "scholarship that covers up to half of it in the first year of study.",
    ),
]


def test_a_two_column_brochure_pdf_reads_column_by_column(tmp_path):
    # a word processor's brochure in two columns: the second column's lines start right of the first's, and the
    # rule that reads indented lines as list items read them as such until the second column's margin was known;
    # a paragraph running from the foot of one column to the top of the next stays one
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=20)
    pdf.multi_cell(0, 10, "Analytics at Calder", new_x="LMARGIN", new_y="NEXT")
    with pdf.text_columns(ncols=2, gutter=10, balance=True) as columns:
        for heading, text in BROCHURE * 2:
            pdf.set_font("Helvetica", style="B", size=14)
            columns.write(heading + "\n")
            pdf.set_font("Helvetica", size=11)
            columns.write(text + "\n\n")
    pdf.output(str(tmp_path / "brochure.pdf"))
    doc = blocks(tmp_path / "brochure.pdf")
    assert doc.title == "Analytics at Calder"
    assert [(b.section, b.text) for b in doc.blocks] == [*BROCHURE, *BROCHURE]


def test_a_word_hyphenated_at_a_lines_end_is_one_word_again_and_a_hyphenated_word_keeps_its_hyphen(tmp_path):
    # a word processor hyphenating to fit a line ("employ-" / "ment") is undone; "full-time" and "NCLEX-RN" broken
    # at their own hyphen keep it, and a line ending in a broken word goes on however short it is
    from fpdf import FPDF

    lines = [
        "Most of our graduates find employ-",
        "ment within six months of finishing,",
        "and most of them take on full-",
        "time roles in hospitals, with an in-",
        "come above the median; each one",
        "must first pass the NCLEX-",
        "RN exam.",
    ]
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=20)
    pdf.cell(0, 10, "Nursing at Harlow", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.cell(0, 10, "After graduation", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(tmp_path / "hyphens.pdf"))
    doc = blocks(tmp_path / "hyphens.pdf")
    assert [(b.section, b.text) for b in doc.blocks] == [
        (
            "After graduation",
            "Most of our graduates find employment within six months of finishing, and most of them take on "
            "full-time roles in hospitals, with an income above the median; each one must first pass the NCLEX-RN "
            "exam.",
        )
    ]


def test_a_long_tables_rows_at_the_top_of_each_page_are_no_running_header(tmp_path):
    # rows that differ only in their figures sit at the top of every page, as a running header does, but several
    # on one page; before, rows 31-34 and 64-67 were dropped
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.cell(0, 10, "Wages by city", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "The table below gives the median wage in each city our graduates work in.")
    with pdf.table() as table:
        row = table.row()
        row.cell("City")
        row.cell("Wage")
        for i in range(80):
            row = table.row()
            row.cell(f"City {i}")
            row.cell(f"${50 + i},000")
    pdf.output(str(tmp_path / "wages.pdf"))
    assert pdf.pages_count == 3
    text = "\n".join(b.text for b in blocks(tmp_path / "wages.pdf").blocks)
    assert "City: City 0 · Wage: $50,000" in text  # the header names the first page's rows
    rows = text.splitlines()
    assert all(any(f"City {i} · " in r and r.endswith(f"${50 + i},000") for r in rows) for i in range(80))


CARE = "registered nurses care for patients in hospitals and clinics."


def test_a_running_header_that_the_first_page_repeats_as_its_title_still_goes(tmp_path):
    # the same words twice on one page (the header, then the title) are no table's rows
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for page in range(4):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.set_xy(10, 8)
        pdf.cell(0, 5, "Nursing Career Guide")
        pdf.set_xy(10, 285)
        pdf.cell(0, 5, f"Page {page + 1}")
        pdf.set_xy(10, 40)
        if page == 0:
            pdf.set_font("Helvetica", "B", 16)
            pdf.cell(0, 8, "Nursing Career Guide")
            pdf.set_xy(10, 55)
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, f"On page {page + 1}: {CARE}")
    from advisor.ingest.formats import read_pdf

    _, elements = read_pdf(bytes(pdf.output()))
    assert [(e.kind, e.text) for e in elements] == [
        ("heading", "Nursing Career Guide"),
        *[("paragraph", f"On page {n}: {CARE}") for n in range(1, 5)],
    ]


def test_a_pdf_whose_only_text_sits_where_running_headers_do_keeps_it(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for step in (1, 2, 3):
        pdf.add_page()
        pdf.cell(0, 6, f"Step {step} of the application", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 6, f"{step}", new_x="LMARGIN", new_y="NEXT")  # a page number alone still goes
        pdf.multi_cell(0, 6, f"Part {step}: submit the form and wait for an email from the office.")
    pdf.output(str(tmp_path / "steps.pdf"))
    text = "\n".join(f"{b.section} {b.text}" for b in blocks(tmp_path / "steps.pdf").blocks)
    assert all(f"Part {step}: submit the form" in text for step in (1, 2, 3))
    assert "Step 2 of the application" in text and "\n2\n" not in f"\n{text}\n"


def test_dev_guides_saved_by_a_browser_and_exported_by_a_word_processor_read_like_the_guides():
    # eval/pdf/ holds dev guides as Chromium's "Save as PDF" prints them, eval/pdf-writer/ as LibreOffice Writer
    # exports them (tools/print_pdf.py); the reader once kept the browser's date, title and address in the text,
    # cut a paragraph at the page break, and ran table rows and list items together
    from advisor.quality.evaluate import load_questions
    from tools.check_labels import missing

    cloud = read_document(ROOT / "eval/pdf/guides4/cloud-security-engineer.pdf", "cloud.pdf", 10_000_000)
    assert cloud.title == "How to Become a Cloud Security Engineer in 2026: Skills, Salary and Certifications"
    lines = [line for b in cloud.blocks for line in b.text.splitlines()]
    assert not [line for line in lines if "file://" in line or " PM " in line]
    source = (ROOT / "eval/guides4/cloud-security-engineer.md").read_text(encoding="utf-8").splitlines()
    outlook = next(line for line in source if "16,000 openings" in line)  # printed across a page break
    assert outlook in lines
    assert (
        "Level: Entry-level / associate (0–2 years) · Typical base salary range: $92,000 – $118,000 · "
        "Source: Glassdoor, December 2025"
    ) in lines
    for saved in ("eval/pdf/guides7", "eval/pdf-writer/guides7"):  # a table whose bold first column heads its rows
        program = read_document(ROOT / saved / "digital-forensics-program.pdf", "program.pdf", 10_000_000)
        glance = next(b for b in program.blocks if "30 credit hours" in b.text)
        assert glance.section == "Program at a glance"  # the heading above the table is no header of its columns
        assert "Credits · 30 credit hours" in glance.text.splitlines()
    network = read_document(ROOT / "eval/pdf-writer/guides7/network-engineer-guide.pdf", "network.pdf", 10_000_000)
    lines = [line for b in network.blocks for line in b.text.splitlines()]
    assert "- Junior network engineer - handling routine changes and tickets under supervision." in lines
    assert "Level: NOC technician · Years of experience: 0-2 · Typical base pay range: $48,000 - $65,000" in lines
    for corpus in ("eval/pdf/guides7", "eval/pdf-writer/guides7"):
        settings = Settings(corpus=ROOT / corpus)
        texts = [p.text for doc in read_corpus(settings).documents for p in split_document(doc, settings)]
        assert not missing(load_questions(ROOT / "eval/guides7-dev.jsonl"), texts), corpus


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


def test_a_docx_table_whose_bold_first_column_heads_its_rows_has_no_header_row(tmp_path):
    # "Program at a glance" as a Word table: each row a label in bold and its value; its first row is no header
    import docx

    d = docx.Document()
    d.add_heading("Program at a glance", level=1)
    table = d.add_table(rows=3, cols=2)
    for r, (label, value) in enumerate([("Degree", "M.S. in Analytics"), ("Credits", "30"), ("Length", "16 months")]):
        table.cell(r, 0).paragraphs[0].add_run(label).bold = True
        table.cell(r, 1).paragraphs[0].add_run(value)
    d.save(str(tmp_path / "glance.docx"))
    doc = blocks(tmp_path / "glance.docx")
    assert doc.blocks[0].text.splitlines() == ["Degree · M.S. in Analytics", "Credits · 30", "Length · 16 months"]


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


def test_a_docx_reads_text_in_content_controls_and_in_a_table_nested_in_a_cell(tmp_path):
    # a template's content controls (w:sdt) and a table inside a cell: python-docx's reading passes over both
    import io
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("Classes start in August.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Program", "Courses"
    table.cell(1, 0).text = "Nursing"
    inner = table.cell(1, 1).add_table(rows=2, cols=1)
    inner.cell(0, 0).text, inner.cell(1, 0).text = "Anatomy 101", "Pharmacology 210"
    saved = io.BytesIO()
    document.save(saved)
    # a block control; a paragraph with an inline one (a date picker) and one still showing its placeholder
    control = (
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>Apply by March 1 for the fall cohort.</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
        '<w:p><w:r><w:t xml:space="preserve">Orientation: </w:t></w:r><w:sdt><w:sdtContent><w:r>'
        '<w:t>August 20</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t xml:space="preserve">. Advisor: </w:t></w:r>'
        "<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>Click or tap here to enter text.</w:t>"
        "</w:r></w:sdtContent></w:sdt></w:p>"
    )
    edited = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(edited, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.decode().replace("<w:body>", f"<w:body>{control}", 1).encode()
            target.writestr(item, data)
    path = tmp_path / "template.docx"
    path.write_bytes(edited.getvalue())
    texts = [b.text for b in blocks(path).blocks]
    assert texts[0] == "Apply by March 1 for the fall cohort."
    assert texts[1] == "Orientation: August 20. Advisor:"
    assert "Program: Nursing · Courses: Anatomy 101 Pharmacology 210" in texts[-1]


def test_a_docx_header_merged_across_two_columns_heads_both(tmp_path):
    # before, the header row had fewer cells than the rows under it and was dropped, its text with it
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for i, row in enumerate([["Pay", "", "Source"], ["$61,000", "$98,000", "BLS"], ["$55,000", "$90,000", "Survey"]]):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Pay range"
    document.save(tmp_path / "merged.docx")
    assert blocks(tmp_path / "merged.docx").blocks[-1].text == (
        "Pay range: $61,000 · Pay range: $98,000 · Source: BLS\n"
        "Pay range: $55,000 · Pay range: $90,000 · Source: Survey"
    )
    # a first row merged across the whole table is its caption, above the rows its header row heads
    captioned = docx.Document()
    table = captioned.add_table(rows=3, cols=2)
    for i, row in enumerate([["", ""], ["Role", "Median pay"], ["Nurse", "$80,000"]]):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Table 1: Pay by role"
    captioned.save(tmp_path / "captioned.docx")
    caption, row = blocks(tmp_path / "captioned.docx").blocks[-1].text.splitlines()
    assert (caption, row) == ("Table 1: Pay by role", "Role: Nurse · Median pay: $80,000")


@pytest.mark.parametrize(
    "change",
    [
        ('<w:pStyle w:val="ListBullet"/>', '<w:pStyle w:val="ListBullet"/><w:numPr><w:ilvl w:val="abc"/></w:numPr>'),
        ("<w:tcPr>", "<w:tcPr><w:vMerge/>"),  # a cell merged with the one above the table's first row
        ("<w:r><w:t>Credits", '<w:r><w:rPr><w:b w:val="maybe"/></w:rPr><w:t>Credits'),  # a cell's bold
    ],
    ids=["list-level-not-a-number", "merged-above-the-first-row", "bold-neither-on-nor-off"],
)
def test_a_docx_with_a_malformed_value_inside_is_skipped_with_the_reason(tmp_path, change):
    # python-docx opens such a file and fails only as its paragraphs and tables are read
    import io
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("Apply by March 1.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Credits"
    document.add_paragraph("Classes start in August.")
    saved = io.BytesIO()
    document.save(saved)
    broken = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.decode().replace(*change, 1).encode()
            target.writestr(item, data)
    path = tmp_path / "malformed.docx"
    path.write_bytes(broken.getvalue())
    with pytest.raises(CorpusError, match="cannot be read as a Word document"):
        blocks(path)


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


def test_the_pdf_sets_tool_shows_each_guide_as_a_browser_would(tmp_path):
    # tools/print_pdf.py made eval/pdf/: Markdown rendered with its tables and its title, a text file as a
    # browser shows one (its lines kept, its characters escaped), HTML as it is, anything else skipped
    from tools.print_pdf import page_of

    (tmp_path / "guide.md").write_text("# Pay & Outlook\n\n| Role | Pay |\n| --- | --- |\n| Analyst | $83,000 |\n")
    (tmp_path / "faq.txt").write_text("Is it <hard>?\nNot very.\n")
    (tmp_path / "page.html").write_text("<p>As saved.</p>")
    (tmp_path / "notes.csv").write_text("a,b\n")
    md = page_of(tmp_path / "guide.md") or ""
    assert "<title>Pay &amp; Outlook</title>" in md and "<td>$83,000</td>" in md
    assert "Is it &lt;hard&gt;?\nNot very." in (page_of(tmp_path / "faq.txt") or "")
    assert page_of(tmp_path / "page.html") == "<p>As saved.</p>"
    assert page_of(tmp_path / "notes.csv") is None
