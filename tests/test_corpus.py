"""Reading and splitting the guide: real corpus, real files of every kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from advisor.config import Settings
from advisor.errors import CorpusError
from advisor.ingest.parse import _publisher, read_corpus, read_document
from advisor.ingest.split import split_document, split_long

SEED = ROOT / "tests" / "data" / "ml-engineer-vs-ai-engineer.txt"  # the seed article as plain text, as it was given


def passages(path: Path, settings: Settings | None = None):
    settings = settings or Settings()
    return split_document(read_document(path, path.name, 10_000_000), settings)


def unjoined(tmp_path: Path, name: str, content: str):
    """The passages of a file written with ``content``, short paragraphs left apart (each block its own)."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return passages(path, Settings(min_passage_chars=0))


def test_markdown_guide_splits_into_paragraph_passages_under_their_headings():
    ps = passages(CORPUS / "ml-engineer-vs-ai-engineer.md")
    assert len(ps) == 19
    assert {p.title for p in ps} == {"Machine Learning Engineer vs. AI Engineer: Role Comparison"}
    sections = [p.section for p in ps]
    assert "Career Outlook and Salary Comparison" in sections
    salary = next(p for p in ps if "$140,910" in p.text)
    assert salary.section == "Career Outlook and Salary Comparison"
    assert salary.embed_text.startswith(salary.title) and "Career Outlook" in salary.embed_text
    # No heading stands alone, and the reading-time badge (an HTML comment) is not a passage.
    assert all(len(p.text) > 60 for p in ps)
    assert not any("Min Read" in p.text for p in ps)


def test_corpus_text_is_the_seed_verbatim():
    seed_lines = [line for line in SEED.read_text(encoding="utf-8").splitlines()[2:] if line.strip()]
    corpus = (CORPUS / "ml-engineer-vs-ai-engineer.md").read_text(encoding="utf-8")
    for line in seed_lines:
        assert line in corpus


def test_plain_text_headings_are_recognised(tmp_path):
    txt = passages(SEED)
    md = passages(CORPUS / "ml-engineer-vs-ai-engineer.md")
    assert [(p.section, p.text) for p in txt] == [(p.section, p.text) for p in md]


def test_html_page_is_stripped_of_markup_and_chrome(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Careers</title><script>alert('x')</script><style>p{}</style></head>"
        "<body><nav>Home | Apply</nav><main><h1>Data Careers</h1><h2>Pay</h2>"
        "<p>Data scientists <b>earn</b> a median salary that varies widely by region and by industry.</p>"
        "<ul><li>Remote roles are common in this field for experienced analysts today.</li></ul>"
        "</main><footer>© University</footer></body></html>",
        encoding="utf-8",
    )
    ps = passages(page)
    assert ps[0].title == "Data Careers"
    assert ps[0].section == "Pay"
    assert ps[0].text.startswith("Data scientists earn a median salary")
    text = " ".join(p.text for p in ps)
    assert "alert" not in text and "Home" not in text and "©" not in text


def test_html_prose_outside_paragraph_tags_is_read_as_written(tmp_path):
    # Real pages put prose in <div>s and <section>s with no <p>, and links and bold inline in sentences.
    page = unjoined(
        tmp_path,
        "page.html",
        "<html><body><div class='wrap'><h1>Data Careers</h1>"
        "<div class='rich-text'>Data analysts earn a median of $82,360 a year, according to "
        "<a href='https://www.bls.gov/ooh/'>BLS</a>.<br>Most work in offices.</div>"
        "<section><h2>Pay</h2>Pay varies by industry; finance pays <b>the most</b>. <!-- note -->"
        "Government pays the least.<p>A paragraph of its own.</p><span>Loose text after it.</span></section>"
        "<div class='cta'><a href='/apply'>Apply now</a> <a href='/info'>Request information</a></div>"
        "</div></body></html>",
    )
    got = [(p.section, p.text) for p in page]
    assert got == [
        ("Data Careers", "Data analysts earn a median of $82,360 a year, according to BLS. Most work in offices."),
        ("Pay", "Pay varies by industry; finance pays the most. Government pays the least."),
        ("Pay", "A paragraph of its own."),
        ("Pay", "Loose text after it."),
    ]  # the row of call-to-action links is not a paragraph


def test_an_aside_in_the_content_is_read_after_it_and_a_sidebar_is_not(tmp_path):
    # a program page's "Quick facts" box states what students ask (length, credits); a related-links box, a
    # form's heading and a site's sidebar outside <main> say nothing of the subject
    page = unjoined(
        tmp_path,
        "program.html",
        "<html><body><aside><h2>Popular pages</h2><p>Our newest degree programs are listed here.</p></aside>"
        "<main><h1>Dental Assisting Certificate</h1>"
        "<aside class='quick-facts'><h2>Quick facts</h2><ul><li>Three terms, 34 credits</li>"
        "<li>120-hour clinical rotation</li></ul></aside>"
        "<p>The certificate prepares you for the national board exam.</p>"
        "<aside><h2>Explore more</h2><ul><li><a href='/a'>Nursing programs</a></li>"
        "<li><a href='/b'>Campus visits</a></li></ul></aside>"
        "<aside><h2>Request information</h2><form><input name='email'><button>Send</button></form></aside>"
        "<h2>Clinical rotation</h2><p>Students work in a general or pediatric dental office.</p></main>"
        "</body></html>",
    )
    got = [(p.section, p.text) for p in page]
    assert got == [
        ("Dental Assisting Certificate", "The certificate prepares you for the national board exam."),
        ("Clinical rotation", "Students work in a general or pediatric dental office."),
        ("Quick facts", "- Three terms, 34 credits\n- 120-hour clinical rotation"),
    ]


def test_an_aside_heads_only_its_own_text_and_one_without_a_heading_stays_in_its_section(tmp_path):
    # a box's heading of any level is no subsection of the section before it, and none of the content's
    # headings heads the box; a box with no heading belongs where it stands; its loose text is a paragraph
    page = unjoined(
        tmp_path,
        "page.html",
        "<html><body><article><h1>Paralegal Careers</h1><h2>Pay</h2>"
        "<p>Paralegals earned a median of $61,010 in May 2024.</p>"
        "<aside><h4>At a glance</h4><p>Most paralegals work full time in law firms.</p>"
        "<aside><h5>Did you know?</h5><p>Some firms pay for certification exams.</p></aside></aside>"
        "<aside><strong>Tip:</strong> ask about overtime rules before you accept an offer.</aside>"
        "<h2>Outlook</h2><p>Employment is projected to show little or no change.</p></article></body></html>",
    )
    got = [(p.section, p.text) for p in page]
    assert got == [
        ("Pay", "Paralegals earned a median of $61,010 in May 2024."),
        ("Pay", "Tip: ask about overtime rules before you accept an offer."),
        ("Outlook", "Employment is projected to show little or no change."),
        ("At a glance", "Most paralegals work full time in law firms."),
        ("At a glance › Did you know?", "Some firms pay for certification exams."),
    ]


def test_an_html_title_names_the_publisher_the_page_heading_leaves_out(tmp_path):
    # A program page often names its school only in <title>; students ask by that name.
    body = "<p>The program requires 120 credits, including a capstone project in the final year of study.</p>"
    program = tmp_path / "program.html"
    program.write_text(
        "<html><head><title>B.S. in Cybersecurity | School of Computing | Northfield State University</title></head>"
        f"<body><main><h1>Bachelor of Science in Cybersecurity</h1>{body}</main></body></html>",
        encoding="utf-8",
    )
    blog = tmp_path / "blog.html"
    blog.write_text(
        "<html><head><title>Cybersecurity Careers</title></head>"
        f"<body><h1>Cybersecurity Careers</h1>{body}</body></html>",
        encoding="utf-8",
    )
    ps = passages(program)
    assert {(p.title, p.site) for p in ps} == {("Bachelor of Science in Cybersecurity", "Northfield State University")}
    # searched and known by the school's name, but not embedded with it
    assert "Northfield State University" in ps[0].keyword_text and "Northfield" not in ps[0].embed_text
    assert {(p.title, p.site) for p in passages(blog)} == {("Cybersecurity Careers", "")}


@pytest.mark.parametrize(
    ("heading", "title", "site"),
    [
        ("M.S. in Data Science", "Larkspur State University | M.S. in Data Science", "Larkspur State University"),
        ("Data Science", "Data Science - Page 2", ""),
        ("Data Analysts", "Data Analysts : Occupational Outlook Handbook", "Occupational Outlook Handbook"),
    ],
)
def test_the_publisher_is_the_title_part_the_heading_does_not_say(heading, title, site):
    assert _publisher(heading, title) == site


def test_html_nested_lists_old_markup_and_link_rows(tmp_path):
    page = unjoined(
        tmp_path,
        "page.html",
        "<html><body><h1>Careers</h1><p>Skills to learn first:</p><ul><li>SQL<ul><li>joins</li></ul></li>"
        "<li>Python</li></ul><p>The co<tt>o</tt>lest part of the job is the <big>variety</big>.</p>"
        "<div><a href='/apply'>Apply</a> | <a href='/info'>Request information</a></div></body></html>",
    )
    assert [p.text for p in page] == [
        "Skills to learn first:\n- SQL\n  - joins\n- Python",  # the nested list once, under its item
        "The coolest part of the job is the variety.",
    ]


def test_a_table_of_contents_is_not_a_passage(tmp_path):
    md = unjoined(
        tmp_path,
        "guide.md",
        "# Data Careers\n\n## Contents\n\n- [Pay](#pay)\n  - [By industry](#industry)\n- [Outlook](#outlook)\n\n"
        "## Pay\n\nWhere to look for openings:\n\n- [Indeed](https://www.indeed.com)\n- [Pay](#pay), explained below\n",
    )
    html = unjoined(
        tmp_path,
        "guide.html",
        "<html><body><main><h1>Data Careers</h1><ul><li><a href='#pay'>Pay</a><ul><li><a href='#industry'>"
        "By industry</a></li></ul></li><li><a href='#outlook'>Outlook</a></li></ul><h2 id='pay'>Pay</h2>"
        "<p>Where to look for openings:</p><ul><li><a href='https://www.indeed.com'>Indeed</a></li></ul></main></body></html>",
    )
    assert [p.text for p in md] == ["Where to look for openings:\n- Indeed\n- Pay, explained below"]
    assert [p.text for p in html] == ["Where to look for openings:\n- Indeed"]


def test_a_typed_out_table_of_contents_is_not_a_passage(tmp_path):
    # pasted from a web page: the contents list repeats the headings, without links
    text = unjoined(
        tmp_path,
        "guide.txt",
        "Data Analyst Careers\n\nIn this article\n\n1. What Data Analysts Do\n2. Pay and Outlook\n\n"
        "What Data Analysts Do\n\nA data analyst turns raw numbers into decisions for the business every day.\n\n"
        "Pay and Outlook\n\nData analysts earned a median of $82,360 a year in May 2024, according to BLS.\n",
    )
    got = [(p.section, p.text) for p in text]
    assert got == [
        ("What Data Analysts Do", "A data analyst turns raw numbers into decisions for the business every day."),
        ("Pay and Outlook", "Data analysts earned a median of $82,360 a year in May 2024, according to BLS."),
    ]


def test_long_paragraph_splits_on_sentence_boundaries():
    sentence = "The U.S. Bureau of Labor Statistics reports steady growth in these roles. "
    pieces = split_long(sentence * 30, 400)
    assert len(pieces) > 1
    assert all(len(p) <= 400 for p in pieces)
    assert all(p.endswith("roles.") for p in pieces)  # "U.S." did not end a sentence


def test_ids_are_stable_and_depend_on_content(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text(
        "# T\n\n## S\n\n"
        + "First paragraph with enough words to stand alone. " * 3
        + "\n\n"
        + "Second paragraph, also long enough to be a passage. " * 3
    )
    first = [p.id for p in passages(doc)]
    assert first == [p.id for p in passages(doc)]
    doc.write_text(doc.read_text().replace("Second", "Changed"))
    second = [p.id for p in passages(doc)]
    assert first[0] == second[0] and first[1] != second[1]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("unknown.txt", b"Salaries in \x81\x8d\x90\x9d: neither UTF-8 nor Windows-1252", "not UTF-8"),
        ("big.txt", b"Long text. " * 500_000, "over the"),
        ("empty.md", b"# Only a heading\n", "no paragraphs"),
    ],
)
def test_unreadable_files_are_skipped_with_a_reason(corpus_copy, name, content, reason):
    (corpus_copy / name).write_bytes(content)
    corpus = read_corpus(Settings(corpus=corpus_copy))
    assert [d.source for d in corpus.documents] == ["corpus/ml-engineer-vs-ai-engineer.md"]
    assert len(corpus.skipped) == 1 and reason in corpus.skipped[0].reason


def test_nested_folders_are_read(corpus_copy):
    (corpus_copy / "more").mkdir()
    (corpus_copy / "more" / "data.txt").write_text(
        "Data Analyst\nA data analyst turns raw numbers into decisions for a business every day.\n"
    )
    corpus = read_corpus(Settings(corpus=corpus_copy))
    assert "corpus/more/data.txt" in [d.source for d in corpus.documents]


def test_missing_and_empty_corpus_dirs_name_the_way_out(tmp_path):
    with pytest.raises(CorpusError, match="does not exist.*ADVISOR_CORPUS"):
        read_corpus(Settings(corpus=tmp_path / "nope"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match="no .md, .txt, .html, .pdf or .docx files"):
        read_corpus(Settings(corpus=tmp_path / "empty"))


def test_a_text_files_short_first_line_is_its_title_even_when_a_shorter_heading_follows() -> None:
    from advisor.ingest.parse import parse_text

    title, blocks = parse_text(
        "Careers in Field Work: Questions and Answers\n\nGetting started\n\n"
        "What does a field worker do?\n\nA field worker visits sites and records what they find there."
    )
    assert title == "Careers in Field Work: Questions and Answers"
    assert [b.text for b in blocks] == ["A field worker visits sites and records what they find there."]


def test_a_plain_text_list_keeps_an_item_a_line_and_joins_its_lead_in() -> None:
    from advisor.ingest.parse import parse_text

    _, blocks = parse_text(
        "Field Work Careers\n\nWhat to bring\n\n"
        "Supervisors told us they check for three things:\n\n"
        "- Boots rated for wet ground\n- A notebook that survives rain, kept\n  dry in a bag\n"
        "  * a pencil, not a pen\n- A charged phone\n\n"
        "Most crews also hand out a radio on the first day."
    )
    listed = blocks[0].text.splitlines()
    assert listed == [
        "Supervisors told us they check for three things:",
        "- Boots rated for wet ground",
        "- A notebook that survives rain, kept dry in a bag",  # a wrapped item is one line
        "  * a pencil, not a pen",  # nested under the item above
        "- A charged phone",
    ]
    assert [b.text for b in blocks[1:]] == ["Most crews also hand out a radio on the first day."]


def test_a_text_without_blank_lines_keeps_its_numbered_list_together() -> None:
    from advisor.ingest.parse import parse_text

    _, blocks = parse_text(
        "Field Work Careers\nThe order most of our students take the exams in:\n"
        "1. The safety card, before any site visit.\n2. The first-aid course.\n3. The surveyor's licence.\n"
        "After that, experience counts more than another card."
    )
    assert [b.text.splitlines() for b in blocks] == [
        [
            "The order most of our students take the exams in:",
            "1. The safety card, before any site visit.",
            "2. The first-aid course.",
            "3. The surveyor's licence.",
        ],
        ["After that, experience counts more than another card."],
    ]


def test_lines_after_a_lead_in_are_a_list_without_bullets_and_wrapped_prose_is_one_paragraph() -> None:
    from advisor.ingest.parse import parse_text

    _, blocks = parse_text(
        "Field Work Careers\n\nPay\n\nHere is what our graduates reported by level:\n\n"
        "Assistant surveyor: $41,000 to $48,000\nSurveyor: $52,000 to $66,000\nParty chief: $60,000 to $75,000\n\n"
        "Pay rises with each licence, and crews that travel\nearn a daily allowance on top\nof their wage."
    )
    assert blocks[0].text.splitlines()[1:] == [
        "Assistant surveyor: $41,000 to $48,000",
        "Surveyor: $52,000 to $66,000",
        "Party chief: $60,000 to $75,000",
    ]
    wrapped = "Pay rises with each licence, and crews that travel earn a daily allowance on top of their wage."
    assert blocks[1].text == wrapped


def test_a_lead_in_goes_with_what_it_leads_into_at_any_length(tmp_path):
    opening = "Crews differ a lot from one employer to the next, and so does what they pay a newcomer."
    path = tmp_path / "pay.md"
    path.write_text(
        f"# Field Work\n\n## Pay\n\n{opening} Here is what graduates told us:\n\n"
        "A first job with a county office pays about $45,000.\n\n"
        "Private firms pay more, but their crews spend more nights away from home.\n\n"
        "## Hours\n\nA long paragraph that leads into the next one at its end, with little else to say:\n\n"
        "Crews start at seven in the morning and finish by four in the afternoon.\n",
        encoding="utf-8",
    )
    assert [p.text for p in passages(path)] == [
        opening,  # long enough to stand on its own
        "Here is what graduates told us:\nA first job with a county office pays about $45,000.",
        "Private firms pay more, but their crews spend more nights away from home.",
        "A long paragraph that leads into the next one at its end, with little else to say:\n"
        "Crews start at seven in the morning and finish by four in the afternoon.",
    ]
    # nor is a long passage cut right after a lead-in
    long_text = "A sentence about the work itself that runs on a while. " * 4 + "The three kinds:\n- one\n- two"
    pieces = split_long(long_text, len(long_text) - 8)  # room for the lead-in, not for its first item
    assert len(pieces) > 1
    assert not any(piece.rstrip().endswith(":") for piece in pieces)


def test_a_plain_text_faq_question_heads_its_answer_however_short() -> None:
    from advisor.ingest.parse import parse_text

    _, blocks = parse_text(
        "Field Work Careers\n\nCommon questions\n\nWhich cards should I get, and in what order?\n\n"
        "The order that works for most:\n\n1. The safety card.\n2. The first-aid course.\n\n"
        "Do crews work weekends?\n\nRarely.\n\nWhat would they do on a weekend?\n\nWhy?"
    )
    assert [(b.section, b.text.splitlines()[0]) for b in blocks] == [
        ("Common questions › Which cards should I get, and in what order?", "The order that works for most:"),
        ("Common questions › Do crews work weekends?", "Rarely."),
        # a question before a question heads nothing
        ("Common questions › Do crews work weekends?", "What would they do on a weekend?"),
        ("Common questions › Do crews work weekends?", "Why?"),
    ]


# A page copied from a browser into a text file: a paragraph a line, a byline, a list whose bullets the copy
# lost, a table pasted with tabs between its cells (invented text).
PASTED_PAGE = (
    "Field Work Careers\n"
    "By Ana Ruiz | Updated May 2, 2025 | 6 min read\n"
    "Survey crews measure land before anything is built on it, and most of the work happens outdoors in every season"
    " of the year, from the first stakes on a farm field to the last checks on a finished road.\n"
    "What Does a Crew Member Do?\n"
    "On a typical day, a crew member may:\n"
    "Set up the total station over a known point\n"
    "Clear brush along the line of sight\n"
    "Record each measurement in the field book\n"
    "Most crews work ten-hour days in summer and shorter ones in winter.\n"
    "Pay\n"
    "Pay depends on the employer more than on anything else, and crews that travel earn a daily allowance.\n"
    "Employer\tMedian wage\n"
    "County office\t$45,000\n"
    "Private firm\t$52,000\n"
)


def test_a_pasted_page_keeps_its_list_and_table_and_drops_its_byline() -> None:
    from advisor.ingest.parse import parse_text

    title, blocks = parse_text(PASTED_PAGE)
    assert title == "Field Work Careers"
    assert not any("Ana Ruiz" in b.section or "Ana Ruiz" in b.text for b in blocks)  # furniture, not a heading
    assert blocks[0].section == ""
    assert [(b.section, b.text.splitlines()) for b in blocks[1:]] == [
        (
            "What Does a Crew Member Do?",
            [
                "On a typical day, a crew member may:",
                "Set up the total station over a known point",
                "Clear brush along the line of sight",
                "Record each measurement in the field book",  # an item, not the heading of what follows
            ],
        ),
        ("What Does a Crew Member Do?", ["Most crews work ten-hour days in summer and shorter ones in winter."]),
        ("Pay", [PASTED_PAGE.splitlines()[10]]),
        ("Pay", ["Employer: County office · Median wage: $45,000", "Employer: Private firm · Median wage: $52,000"]),
    ]


def test_a_list_without_bullets_ends_at_a_heading_and_a_wrapped_text_keeps_its_lines_together() -> None:
    from advisor.ingest.parse import parse_text

    _, blocks = parse_text(
        "Field Work Careers\n"
        "Crews look for people who can handle a long day outside and still keep careful notes at the end of it:\n"
        "Stamina for long days outside\n"
        "Care with numbers\n"
        "How Much Do Crews Earn?\n"
        "Pay depends on the employer more than on anything else, and crews that travel earn a daily allowance.\n"
    )
    assert [b.section for b in blocks] == ["", "How Much Do Crews Earn?"]
    assert blocks[0].text.splitlines()[1:] == ["Stamina for long days outside", "Care with numbers"]

    # items that are sentences go on while the lines end as sentences do; a paragraph's long line ends them
    _, blocks = parse_text(
        "Field Work Careers\nThe three rules every crew chief repeats:\nMeasure twice.\nWrite it down.\n"
        "Check the instrument every morning.\n"
        "New crew members usually learn these in their first week, and the chief checks the field book each evening"
        " before the crew goes home.\n"
    )
    assert [b.text.splitlines() for b in blocks] == [
        [
            "The three rules every crew chief repeats:",
            "Measure twice.",
            "Write it down.",
            "Check the instrument every morning.",
        ],
        [
            "New crew members usually learn these in their first week, and the chief checks the field book each evening"
            " before the crew goes home."
        ],
    ]

    # a question on the line above its answer heads it, where the text's lines are not hard-wrapped
    _, blocks = parse_text(
        "Field Work Careers\n\nDo crews work weekends?\n"
        "Rarely, although a job that has fallen behind schedule can keep a crew out on a Saturday morning now and"
        " then, and that day is paid at the overtime rate.\n"
    )
    assert [b.section for b in blocks] == ["Do crews work weekends?"]
    assert blocks[0].text.startswith("Rarely")

    # a hard-wrapped paragraph is still one paragraph, even in a text with a long line (an address) here or there
    wrapped = "Pay rises with each licence, and crews that travel\nearn an allowance.\n\n" * 10
    _, blocks = parse_text(f"Field Work\n\n{wrapped}See https://example.edu/{'field-work-' * 10}pay for more.\n")
    assert blocks[0].text == "Pay rises with each licence, and crews that travel earn an allowance."


def test_a_faqs_question_and_answer_labels_make_a_heading_and_its_text() -> None:
    from advisor.ingest.parse import parse_text

    _, blocks = parse_text(
        "Field Work FAQ\n\nQ: Do crews work weekends, and if they do, is that time paid at the overtime rate or not?\n"
        "A: Rarely, and yes: a Saturday morning is paid at the overtime rate.\n\n"
        "Q: Is the work seasonal?\nA: Less than it used to be.\n"
    )
    assert [(b.section, b.text) for b in blocks] == [
        (
            "Do crews work weekends, and if they do, is that time paid at the overtime rate or not?",
            "Rarely, and yes: a Saturday morning is paid at the overtime rate.",
        ),
        ("Is the work seasonal?", "Less than it used to be."),
    ]


def test_a_converted_pages_breadcrumb_byline_pictures_and_links_to_other_pages_are_not_its_text(tmp_path):
    md = unjoined(
        tmp_path,
        "guide.md",
        "[Home](https://example.edu/) > [Careers](https://example.edu/careers/) > Surveying\n\n"
        "# Field Work Careers\n\n*By Ana Ruiz, Career Advisor · Updated May 2, 2025 · 6 min read*\n\n"
        "![A crew member setting up a total station](https://example.edu/crew.webp)\n\n"
        "**Table of contents**\n\n1. [Pay](#pay)\n2. [Outlook](#outlook)\n\n"
        "> ### Key takeaways\n> * Most crew members start with a two-year certificate.\n\n"
        "Survey crews measure land before anything is built on it, in every season.\n\n"
        "Format: Evenings · Credits: 30 · Length: 1 year\n\n"
        "## Pay {#pay}\n\nCounty offices pay a first-year crew member about $45,000.\n\nMay 2, 2025\n\n"
        "Job boards that list crew jobs:\n\n- [Indeed](https://www.indeed.com)\n- [USAJOBS](https://www.usajobs.gov)\n\n"
        "## Related posts\n\n- [How to Become a Licensed Surveyor](https://example.edu/licensed)\n"
        "- [Five Outdoor Careers That Pay Well](https://example.edu/outdoor)\n\n"
        "## Sources\n\n1. https://www.bls.gov/ooh/surveyors.htm\n2. Field Work Alumni Survey, 2025\n",
    )
    assert [(p.section, p.text) for p in md] == [
        ("Key takeaways", "- Most crew members start with a two-year certificate."),  # no longer under the contents
        ("Field Work Careers", "Survey crews measure land before anything is built on it, in every season."),
        ("Field Work Careers", "Format: Evenings · Credits: 30 · Length: 1 year"),  # quick facts, not a byline
        ("Pay", "County offices pay a first-year crew member about $45,000."),
        ("Pay", "Job boards that list crew jobs:\n- Indeed\n- USAJOBS"),  # names, not other pages' titles
        ("Sources", "2. Field Work Alumni Survey, 2025"),  # a bare address is no text
    ]


def test_an_html_articles_header_gives_its_title_and_share_and_related_boxes_are_chrome(tmp_path):
    html = unjoined(
        tmp_path,
        "page.html",
        "<html><head><title>Field Work | Careers | Example University</title></head><body>"
        "<header class='site-header'><div class='logo'>Example University</div></header>"
        "<article><header class='entry-header'><h1>Field Work Careers</h1>"
        "<p class='meta'>Posted by Career Services · Updated May 2, 2025</p></header>"
        "<div class='entry-content'><p>Survey crews measure land before anything is built on it.</p></div>"
        "<div class='share-buttons'><a href='https://facebook.com/s'>Facebook</a> <a href='mailto:?'>Email</a></div>"
        "<section class='related-posts'><h2>Related posts</h2><div class='card'><h3>How to Become a Surveyor</h3>"
        "<p>May 1, 2025</p></div></section></article></body></html>",
    )
    assert [(p.title, p.section, p.text) for p in html] == [
        ("Field Work Careers", "Field Work Careers", "Survey crews measure land before anything is built on it.")
    ]


def test_a_real_sites_wrappers_buttons_and_class_names_keep_its_content(tmp_path):
    # an ASP.NET page inside one <form>, a WordPress wrapper named for its sidebar, sections whose names hold
    # "social" or "related", an accordion's questions in <button>s, and a paragraph of bare links: before, the
    # first two pages had "no paragraphs of text" and the sections and questions were lost
    aspnet = unjoined(
        tmp_path,
        "aspnet.html",
        "<html><body><form id='form1' method='post'><input type='hidden' name='__VIEWSTATE' value='x'>"
        "<h1>Career Services</h1><p>We help students choose a major and prepare for interviews.</p>"
        "<h2>Hours</h2><p>We are open Monday to Friday, 8 am to 5 pm, in Building C.</p></form></body></html>",
    )
    assert [(p.section, p.text) for p in aspnet] == [
        ("Career Services", "We help students choose a major and prepare for interviews."),
        ("Hours", "We are open Monday to Friday, 8 am to 5 pm, in Building C."),
    ]
    page = unjoined(
        tmp_path,
        "bsw.html",
        "<html><body><div id='content' class='site-content layout-right-sidebar'><h1>Bachelor of Social Work</h1>"
        "<p><a href='/apply'>Apply now</a> <a href='/visit'>Visit campus</a></p>"
        "<section id='social-work-careers'><h2>Careers in social work</h2>"
        "<p>Social workers help people cope with problems in their everyday lives.</p></section>"
        "<section class='job-related-skills'><h2>Job skills</h2>"
        "<p>Employers value case management and crisis intervention.</p></section>"
        "<div class='accordion'><h3><button class='accordion-button'>Is the program accredited?</button></h3>"
        "<div class='accordion-body'>Yes, by the Council on Social Work Education.</div></div>"
        "<div class='share-buttons'><h2>Share this page</h2><a href='https://facebook.com/s'>Facebook</a></div>"
        "</div></body></html>",
    )
    assert [(p.section, p.text) for p in page] == [
        ("Careers in social work", "Social workers help people cope with problems in their everyday lives."),
        ("Job skills", "Employers value case management and crisis intervention."),
        ("Job skills › Is the program accredited?", "Yes, by the Council on Social Work Education."),
    ]


def test_an_html5_page_that_leaves_its_paragraphs_and_items_open_keeps_its_structure(tmp_path):
    # valid HTML5 without </p> or </li>: the rest of the page read as one paragraph, headings inlined, before
    page = unjoined(
        tmp_path,
        "pharmtech.html",
        "<!doctype html><title>Pharmacy Technician</title><h1>Pharmacy Technician</h1>"
        "<p>Pharmacy technicians help pharmacists dispense prescription medication."
        "<h2>Requirements</h2><p>Most states require certification:<ul><li>High school diploma<li>PTCB exam</ul>"
        "<h2>Pay</h2><p>The median wage was $40,300.",
    )
    assert [(p.section, p.text) for p in page] == [
        ("Pharmacy Technician", "Pharmacy technicians help pharmacists dispense prescription medication."),
        ("Requirements", "Most states require certification:\n- High school diploma\n- PTCB exam"),
        ("Pay", "The median wage was $40,300."),
    ]


def test_a_page_listing_several_articles_is_read_whole(tmp_path):
    # without <main>, the first <article> was taken for the page: the intro and the other two were lost
    page = unjoined(
        tmp_path,
        "programs.html",
        "<html><head><title>Health Programs</title></head><body><h1>Health Programs</h1>"
        "<p>Choose from three health certificates.</p>"
        "<article><h2>Phlebotomy</h2><p>A one-semester certificate preparing you to draw blood.</p></article>"
        "<article><h2>Medical Assisting</h2><p>A two-semester certificate in clinical skills.</p></article>"
        "<article><h2>Pharmacy Technician</h2><p>A certificate preparing you for the PTCB exam.</p></article>"
        "</body></html>",
    )
    assert [p.section for p in page] == ["Health Programs", "Phlebotomy", "Medical Assisting", "Pharmacy Technician"]


def _labelled_sets() -> list[tuple[str, list[Path]]]:
    """Each evaluation corpus with its question files: the seed's, every dev set's and every blind set's."""
    sets = [("corpus", [ROOT / "eval" / "questions.jsonl"])]
    for folder in sorted(p for p in (ROOT / "eval").iterdir() if p.is_dir()):
        files = sorted((ROOT / "eval").glob(f"{folder.name}-*.jsonl"))
        if files:
            sets.append((f"eval/{folder.name}", files))
    return sets


@pytest.mark.parametrize(("corpus", "files"), _labelled_sets(), ids=[name for name, _ in _labelled_sets()])
def test_every_labelled_snippet_is_in_a_passage_as_ingested(corpus, files):
    # a change to reading or splitting must leave each label findable, or the question can never count as
    # retrieved or cited (a wrapped text once read line by line lost 12 of unseen5's); only ids are named, so that
    # a failure on a blind set shows none of its text
    from advisor.ingest.split import passages_of
    from advisor.quality.evaluate import load_questions
    from tools.check_labels import missing

    settings = Settings(corpus=ROOT / corpus)
    texts = [p.text for _, ps in passages_of(read_corpus(settings), settings) for p in ps]
    lost = [ident for path in files for ident, _ in missing(load_questions(path), texts)]
    assert not lost, f"labels found in no passage: {lost}"


def test_plain_text_headings_underlined_or_numbered_head_their_sections(tmp_path) -> None:
    # a Word "Save as Plain Text" guide: the underlines were read as the headings, and "2. Education …" as text
    underlined = unjoined(
        tmp_path,
        "rt.txt",
        "How to Become a Respiratory Therapist\n=====================================\n\n"
        "Respiratory therapists care for patients who have trouble breathing.\n\n"
        "Education and licensing\n-----------------------\n\n"
        "Most therapists hold an associate degree. Every state but Alaska requires a license.\n\n* * *\n\n"
        "Pay\n---\n\nThe median annual wage was $80,450 in May 2024.",
    )
    title = "How to Become a Respiratory Therapist"
    assert [(p.section, p.text) for p in underlined] == [
        (title, "Respiratory therapists care for patients who have trouble breathing."),
        (
            "Education and licensing",
            "Most therapists hold an associate degree. Every state but Alaska requires a license.",
        ),
        ("Pay", "The median annual wage was $80,450 in May 2024."),
    ]
    numbered = unjoined(
        tmp_path,
        "faq.txt",
        "Respiratory Therapy FAQ\n\nThe order most students follow:\n\n1. Finish the prerequisites\n\n"
        "2. Apply to the program\n\nMost finish both within a year, and some take longer.\n\n"
        "1. What do respiratory therapists do?\n\nThey run breathing treatments and manage ventilators.\n\n"
        "- In intensive care\n- In home care\n\n"
        "2. How much do they earn?\n\nThe median annual wage was $80,450 in May 2024.",
    )
    assert [(p.section, p.text) for p in numbered] == [
        (
            "Respiratory Therapy FAQ",
            "The order most students follow:\n1. Finish the prerequisites\n2. Apply to the program",
        ),
        # the list's last item stays an item, though a paragraph follows it
        ("Respiratory Therapy FAQ", "Most finish both within a year, and some take longer."),
        ("What do respiratory therapists do?", "They run breathing treatments and manage ventilators."),
        ("What do respiratory therapists do?", "- In intensive care\n- In home care"),
        ("How much do they earn?", "The median annual wage was $80,450 in May 2024."),  # after a list: a heading
    ]


def test_markdown_front_matter_gives_the_title_and_is_not_text(tmp_path) -> None:
    # a page saved by trafilatura (or a static site's source): its record was read as a heading over the guide
    record = (
        "---\ntitle: 'How to Become a Data Analyst: 2025 Guide'\nauthor: Jane Doe\ndate: 2024-03-01\n"
        "url: https://example.com/careers/data-analyst\nhostname: example.com\n---\n\n"
    )
    body = "## What do data analysts earn?\n\nThe median pay was about $83,000 in 2024.\n"
    path = tmp_path / "analyst.md"
    path.write_text(record + body, encoding="utf-8")
    doc = read_document(path, path.name, 10_000_000)
    assert doc.title == "How to Become a Data Analyst: 2025 Guide"
    assert [(b.section, b.text) for b in doc.blocks] == [
        ("What do data analysts earn?", "The median pay was about $83,000 in 2024.")
    ]
    path.write_text(record + "# Data Analyst Careers\n\n" + body, encoding="utf-8")
    assert read_document(path, path.name, 10_000_000).title == "Data Analyst Careers"  # the page's own heading
    path.write_text("---\n\nAn opening paragraph between two rules.\n\n---\n\n" + body, encoding="utf-8")
    assert read_document(path, path.name, 10_000_000).blocks[0].text == "An opening paragraph between two rules."


def test_a_page_header_outside_main_gives_its_intro(tmp_path) -> None:
    # the intro in a page header or a hero before <main> was dropped with the site's header
    site = '<header class="site"><a href="/">Larkspur University</a><nav><a href="/a">Apply</a></nav></header>'
    main = "<main><h2>Pay</h2><p>The median pay was about $83,000 in 2024.</p></main><footer>© Larkspur</footer>"
    intro = "Data analysts turn raw numbers into decisions that managers can act on."
    for hero in (
        f'<header class="page-header"><h1>Data Analyst Careers</h1><p class="lede">{intro}</p></header>',
        f'<div class="hero"><div class="container"><h1>Data Analyst Careers</h1><p>{intro}</p></div></div>',
        f'<h1>Data Analyst Careers</h1><div class="links"><a href="/x">Apply now</a></div><p>{intro}</p>',
    ):
        path = tmp_path / "analyst.html"
        path.write_text(f"<html><head><title>Careers | Larkspur</title></head><body>{site}{hero}{main}</body></html>")
        doc = read_document(path, path.name, 10_000_000)
        assert doc.title == "Careers | Larkspur"  # a hero's <h1> is often a slogan: the <title> names the page
        assert [(b.section, b.text) for b in doc.blocks] == [
            ("", intro),
            ("Pay", "The median pay was about $83,000 in 2024."),
        ]
    # a site's logo in an <h1> is not the page's title, nor its header the page's text
    logo = '<header><h1 class="logo"><a href="/">Larkspur University</a></h1><p>Est. 1890 in the valley</p></header>'
    path.write_text(f"<html><head><title>Careers | Larkspur</title></head><body>{logo}{main}</body></html>")
    doc = read_document(path, path.name, 10_000_000)
    assert doc.title == "Careers | Larkspur"
    assert [b.text for b in doc.blocks] == ["The median pay was about $83,000 in 2024."]


def test_a_file_saved_as_windows_1252_or_utf_16_is_read(tmp_path) -> None:
    # Notepad's and Word's "ANSI" and "Unicode" saves, and a page declaring its charset, were refused as not UTF-8
    said = "Nurses’ pay rose 4% in 2024 – the “Magnet” hospitals paid most."
    (tmp_path / "ansi.txt").write_bytes(f"Nursing Pay\r\n\r\n{said}\r\n".encode("cp1252"))
    (tmp_path / "unicode.txt").write_bytes(f"Nursing Pay\r\n\r\n{said}\r\n".encode("utf-16"))
    page = f'<html><head><meta charset="windows-1252"><title>Nursing Pay</title></head><body><p>{said}</p></body>'
    (tmp_path / "page.html").write_bytes(page.encode("cp1252"))
    for name in ("ansi.txt", "unicode.txt", "page.html"):
        doc = read_document(tmp_path / name, name, 10_000_000)
        assert (doc.title, [b.text for b in doc.blocks]) == ("Nursing Pay", [said])


def test_a_date_alone_under_a_section_heading_is_its_fact_and_a_posts_date_is_not(tmp_path) -> None:
    # "February 1, 2026" under "Application deadline" was dropped as a byline's date
    for name, page in (
        (
            "bsn.html",
            "<html><body><main><h1>Nursing BSN</h1><p>May 2, 2025</p><p>Applications open each fall.</p>"
            "<h2>Application deadline</h2><p>February 1, 2026</p><h2>Start date</h2><p>August 24, 2026</p></main>",
        ),
        (
            "bsn.md",
            "# Nursing BSN\n\nMay 2, 2025\n\nApplications open each fall.\n\n## Application deadline\n\n"
            "February 1, 2026\n\n## Start date\n\nAugust 24, 2026\n",
        ),
    ):
        path = tmp_path / name
        path.write_text(page, encoding="utf-8")
        assert [(b.section, b.text) for b in read_document(path, name, 10_000_000).blocks] == [
            ("", "Applications open each fall."),
            ("Application deadline", "February 1, 2026"),
            ("Start date", "August 24, 2026"),
        ]


def test_a_related_posts_cards_dates_are_not_facts(tmp_path) -> None:
    path = tmp_path / "news.html"
    path.write_text(
        "<html><body><main><h1>Environmental Engineering</h1><p>A one-year professional master's degree.</p>"
        '<section class="related-posts"><h2>Related Posts</h2><div class="card"><h3><a href="/news/fe-exam/">'
        'Five Tips for Passing the FE Exam</a></h3><p class="card-date">May 14, 2024</p></div></section></main>',
        encoding="utf-8",
    )
    assert [b.text for b in read_document(path, path.name, 10_000_000).blocks] == [
        "A one-year professional master's degree."
    ]


def _blocks(tmp_path: Path, name: str, content: str) -> tuple[str, list[tuple[str, str]]]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    doc = read_document(path, name, 10_000_000)
    return doc.title, [(b.section, b.text) for b in doc.blocks]


def test_a_word_processors_html_keeps_its_title_lists_bold_headings_and_table_header(tmp_path) -> None:
    # Word's "Save as Web Page, Filtered": the title paragraph was a paragraph and the first <h1> the title, short
    # bullets ("·" then spaces) were dropped as page furniture, a bold line was text, bold header cells were a row
    gap = "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp; </span>"

    def item(cls: str, mark: str, text: str, level: int) -> str:
        return f"<p class={cls} style='margin-left:{0.5 * level}in;mso-list:l0 level{level} lfo1'>{mark}{gap}{text}</p>"

    page = (
        '<html><head><meta name=Generator content="Microsoft Word 15 (filtered)"></head><body><div class=WordSection1>'
        "<p class=MsoTitle>Career Guide: Medical Assistant</p><h1>Skills</h1><p class=MsoNormal>Employers look for:</p>"
        + item("MsoListParagraphCxSpFirst", "·", "Communication skills", 1)
        + item("MsoListParagraphCxSpMiddle", "o", "With patients", 2)
        + item("MsoListParagraphCxSpLast", "·", "Attention to detail", 1)
        + "<p class=MsoNormal><b>Job Outlook</b></p><p class=MsoNormal>Employment is projected to grow 12 percent.</p>"
        "<table class=MsoTableGrid><tr><td><p><b>Setting</b></p></td><td><p><b>Median wage</b></p></td></tr>"
        "<tr><td><p>Hospitals</p></td><td><p>$44,200</p></td></tr></table></div></body></html>"
    )
    title, blocks = _blocks(tmp_path, "ma.htm", page)
    assert title == "Career Guide: Medical Assistant"
    assert blocks == [
        ("Skills", "Employers look for:\n- Communication skills\n  - With patients\n- Attention to detail"),
        ("Skills › Job Outlook", "Employment is projected to grow 12 percent."),
        ("Skills › Job Outlook", "Setting: Hospitals · Median wage: $44,200"),
    ]
    # Google Docs' HTML names its title paragraph "title"
    title, blocks = _blocks(
        tmp_path,
        "gdocs.html",
        '<html><body class="doc-content"><p class="c1 title"><span>Data Analytics Certificate</span></p>'
        '<h1 class="c1"><span>Program Overview</span></h1><p class="c1"><span>Four courses, online.</span></p>',
    )
    assert (title, blocks) == ("Data Analytics Certificate", [("Program Overview", "Four courses, online.")])


def test_an_older_sites_regions_a_newsletter_pagination_and_a_byline_are_not_its_text(tmp_path) -> None:
    title, blocks = _blocks(
        tmp_path,
        "faq.html",
        "<html><head><title>Career Center FAQ</title></head><body>"
        '<div id="header"><div id="topnav"><ul><li><a href="/a/">Admissions</a></li></ul></div></div>'
        '<div id="leftcol"><h3>Career Center</h3><ul><li><a href="/c/">Home</a></li></ul></div>'
        '<div id="content"><h1>Frequently Asked Questions</h1><p>By Kiran Patel Updated May 2, 2024</p>'
        "<p>Drop-in hours are Monday through Thursday from 1 to 4 p.m.</p>"
        "<p>By March 1, 2026, submit your internship forms.</p>"
        '<div class="newsletter"><h3>Get career tips by e-mail</h3><p>Sign up for our monthly digest of jobs.</p></div>'
        '<nav class="pagination"><a href="/2">Older posts</a></nav></div>'
        '<div id="footer"><p>Last updated: 08/15/2024 &copy; Eastbrook College. All rights reserved.</p></div>'
        "</body></html>",
    )
    assert (title, blocks) == (
        "Frequently Asked Questions",
        [
            ("", "Drop-in hours are Monday through Thursday from 1 to 4 p.m."),
            ("", "By March 1, 2026, submit your internship forms."),  # a deadline is no byline
        ],
    )


def test_html_definitions_captions_numbered_lists_and_deep_nesting(tmp_path) -> None:
    _, blocks = _blocks(
        tmp_path,
        "bs.html",
        "<html><body><main><h1>B.S. in Cybersecurity</h1>"
        "<dl><dt>Credits</dt><dd>120</dd><dt>Format</dt><dd>On campus</dd><dd>Online</dd></dl>"
        '<figure><img src="lab.jpg" alt=""><figcaption>Students train in the 40-seat cyber range.</figcaption></figure>'
        "<p>Then, after a capstone review:</p><ol start='3'><li>CY 301 Forensics<ul><li>Disk images<ul>"
        "<li>Write blockers</li></ul></li></ul></li><li>CY 302 Malware</li></ol>"
        "<table><caption>Median pay, May 2024</caption><tr><th>Role</th><th>Pay</th></tr>"
        "<tr><td>Security analyst</td><td>$124,910</td></tr></table></main></body></html>",
    )
    assert [text for _, text in blocks] == [
        "Credits: 120\nFormat: On campus; Online",
        "Students train in the 40-seat cyber range.",
        "Then, after a capstone review:\n3. CY 301 Forensics\n  - Disk images\n    - Write blockers\n4. CY 302 Malware",
        "Median pay, May 2024",
        "Role: Security analyst · Pay: $124,910",
    ]


def test_a_word_processors_text_keeps_its_bullets_and_a_table_typed_between_bars(tmp_path) -> None:
    # Word's "Save as Plain Text" writes "•", "o" and numbers with a tab: read as table cells, or dropped as furniture
    _, blocks = _blocks(
        tmp_path,
        "ma.txt",
        "Medical Assistant\n\nTypical duties include:\n\n•\tRecording patient history\n•\tMeasuring vital signs\n"
        "o\tBlood pressure and pulse\n\n1.\tComplete a certificate program.\n2.\tPass the CMA exam.\n\n"
        "The median annual wage was $44,200 in May 2024.\n\n| Setting | Median wage |\n|---|---:|\n"
        "| Hospitals | $44,200 |\n| Clinics | $42,100 |\n\nDuties\n\no Collect patient information\n"
        "o Schedule visits\n",
    )
    assert [text for _, text in blocks] == [
        "Typical duties include:\n- Recording patient history\n- Measuring vital signs\n  - Blood pressure and pulse",
        "1. Complete a certificate program.\n2. Pass the CMA exam.",
        "The median annual wage was $44,200 in May 2024.",
        "Setting: Hospitals · Median wage: $44,200\nSetting: Clinics · Median wage: $42,100",
        "- Collect patient information\n- Schedule visits",
    ]
    _, blocks = _blocks(
        tmp_path, "pay.md", "# Pay\n\n| Setting | Median wage |\n| Hospitals | $44,200 |\n| Clinics | $42,100 |\n"
    )
    assert blocks == [("", "Setting: Hospitals · Median wage: $44,200\nSetting: Clinics · Median wage: $42,100")]


def test_markdown_converted_from_a_page_or_written_as_plain_text(tmp_path) -> None:
    # markitdown's page: its menu, a button's link and the copyright line were text; a Notion callout (raw HTML)
    # was lost; a .md file with no Markdown in it lost its headings
    title, blocks = _blocks(
        tmp_path,
        "dev.md",
        "[Skip to main content](#main)\n\n* [Admissions](/admissions)\n* [Career Center](/careers)\n\n"
        "# Software Developer Careers\n\n<aside>\n💡 This guide is for students in the B.S. in Computing.\n</aside>\n\n"
        "Software developers design applications.\n\n[Book an appointment](https://example.edu/book)\n\n"
        "<details>\n<summary>Do I need a degree?</summary>\n\nMost employers ask for one.\n\n</details>\n\n"
        "Where to look:\n\n- [Indeed](https://indeed.com)\n- [Dice](https://dice.com)\n\n"
        "© 2024 Larkspur State University. All rights reserved.\n",
    )
    assert (title, blocks) == (
        "Software Developer Careers",
        [
            ("", "💡 This guide is for students in the B.S. in Computing."),
            ("", "Software developers design applications."),
            ("Do I need a degree?", "Most employers ask for one."),
            ("", "Where to look:\n- Indeed\n- Dice"),  # after </details>; a list of job boards is the guide's
        ],
    )
    title, blocks = _blocks(
        tmp_path,
        "rt.md",
        "Career Guide: Radiologic Technologist\n\nWhat They Do\n\nThey perform x-rays, CT scans and mammograms.\n\n"
        "Education\n\nMost have an associate degree.\n",
    )
    assert (title, blocks) == (
        "Career Guide: Radiologic Technologist",
        [
            ("What They Do", "They perform x-rays, CT scans and mammograms."),
            ("Education", "Most have an associate degree."),
        ],
    )


def test_lists_exported_a_list_per_item_or_per_level_are_one_list(tmp_path) -> None:
    # Notion writes each item as a <ul> of its own, Google Docs each level; LibreOffice prints its page header
    _, blocks = _blocks(
        tmp_path,
        "pt.html",
        '<html><body><div title="header"><p>Occupational Therapist guide, page header</p></div>'
        "<h1>Physical Therapist Career Guide</h1><h2>Skills</h2><p>Programs look for:</p>"
        '<ul class="bulleted-list"><li>Compassion</li></ul><ul class="bulleted-list"><li>Stamina</li></ul>'
        "<h2>Who should enroll</h2>"
        '<ul class="c4 lst-kix_ab-0 start"><li>Working professionals</li><li>Recent graduates</li></ul>'
        '<ul class="c4 lst-kix_ab-1 start"><li>Including liberal arts majors</li></ul>'
        '<ul class="c4 lst-kix_ab-0"><li>Career changers</li></ul></body></html>',
    )
    assert blocks == [
        ("Skills", "Programs look for:\n- Compassion\n- Stamina"),
        (
            "Who should enroll",
            "- Working professionals\n- Recent graduates\n  - Including liberal arts majors\n- Career changers",
        ),
    ]


def test_a_pages_landmark_roles_hidden_text_and_footnote_marks(tmp_path) -> None:
    # role="main" without <main>: the whole body was read, menus and footer included; screen-reader text, a wiki's
    # "[edit]" and a footnote's "[4]" were read into headings and sentences
    title, blocks = _blocks(
        tmp_path,
        "acct.html",
        "<html><head><title>Accounting Careers | Career Services | Eastfield University</title></head><body>"
        '<div class="mega-nav"><ul><li><a href="/admissions">Admissions</a></li></ul></div>'
        '<div id="leftnav"><h2>Career Services</h2><ul><li><a href="/career/students/">Students</a></li></ul></div>'
        '<div id="maincontent" role="main"><h1>Accounting Careers</h1><h2>CPA Licensure <a href="/help">'
        '<span class="visually-hidden">Help for licensure</span></a><span class="mw-editsection">[<a href="/e">edit'
        '</a>]</span></h2><p>Most states require 150 semester hours of college credit.<sup class="reference">'
        '<a href="#cite_note-4">[4]</a></sup> See the <a href="https://aicpa.org">AICPA<span class="element-invisible">'
        ' (link is external)</span></a> for more.</p><div role="navigation"><ul><li><a href="/w/x">Auditor</a></li>'
        '</ul></div></div><div role="contentinfo"><h3>Contact Career Services</h3><p>Room 120, Wilson Hall.</p></div>'
        "</body></html>",
    )
    assert (title, blocks) == (
        "Accounting Careers",
        [("CPA Licensure", "Most states require 150 semester hours of college credit. See the AICPA for more.")],
    )


def test_accordion_titles_and_tab_labels_head_their_panels_and_a_layout_table_is_its_boxes(tmp_path) -> None:
    # an accordion's titles outside headings and a tab list's labels were dropped with their buttons and links, and
    # a page laid out in a table was read as one table row
    _, blocks = _blocks(
        tmp_path,
        "bio.html",
        "<html><body><table><tr><td><h1>Careers in Biology</h1><h2>Career Areas</h2>"
        '<div class="elementor-tab-title" role="button"><a class="elementor-accordion-title">Health Care</a></div>'
        '<div class="elementor-tab-content"><p>Physician assistant roles require a graduate program.</p></div>'
        '<div class="card-header"><a data-toggle="collapse" href="#c2">Wages</a></div>'
        '<div class="collapse" id="c2"><p>The median wage is $44.56 an hour.</p></div>'
        '<button class="accordion">Do I need to code?</button><div class="panel"><p>Many roles expect R.</p></div>'
        '<h2>Psychology</h2><ul class="nav nav-tabs" role="tablist"><li><a href="#skills" role="tab">Skills</a></li>'
        '<li><a href="#jobs" role="tab">Sample Job Titles</a></li></ul><div class="tab-content">'
        '<div class="tab-pane" id="skills"><p>Majors learn to design studies.</p></div>'
        '<div class="tab-pane" id="jobs"><ul><li>Case manager</li></ul></div></div></td></tr></table></body></html>',
    )
    assert blocks == [
        ("Career Areas › Health Care", "Physician assistant roles require a graduate program."),
        ("Career Areas › Wages", "The median wage is $44.56 an hour."),
        ("Career Areas › Do I need to code?", "Many roles expect R."),
        ("Psychology › Skills", "Majors learn to design studies."),
        ("Psychology › Sample Job Titles", "- Case manager"),
    ]


def test_table_headers_over_two_rows_spans_and_a_table_of_labels_and_values(tmp_path) -> None:
    # the projections table's second header row and a cell spanning two rows lost their labels; a two-column
    # table of labels and values took its first row for a header ("Typical education: Median pay (2024)")
    _, blocks = _blocks(
        tmp_path,
        "elec.html",
        "<html><body><main><h1>Electricians</h1><table><thead><tr><th rowspan='2'>Title</th>"
        "<th rowspan='2'>Employment, 2024</th><th colspan='2'>Change, 2024-34</th></tr><tr><th>Percent</th>"
        "<th>Numeric</th></tr></thead><tbody><tr><td>Electricians</td><td>818,700</td><td>9</td><td>73,500</td></tr>"
        "</tbody></table><table><tr><th>Location</th><th>Period</th><th>Median</th></tr><tr><td rowspan='2'>"
        "United States</td><td>Hourly</td><td>$44.56</td></tr><tr><td>Yearly</td><td>$93,600</td></tr></table>"
        "<table><tr><td>Typical education</td><td>Associate degree</td></tr><tr><td>Median pay</td><td>$94,260</td>"
        "</tr></table></main></body></html>",
    )
    assert [text for _, text in blocks] == [
        "Title: Electricians · Employment, 2024: 818,700 · Change, 2024-34 Percent: 9 · "
        "Change, 2024-34 Numeric: 73,500",
        "Location: United States · Period: Hourly · Median: $44.56\n"
        "Location: United States · Period: Yearly · Median: $93,600",
        "Typical education · Associate degree\nMedian pay · $94,260",
    ]


def test_contacts_after_a_lead_in_are_kept_and_a_pages_labels_are_not(tmp_path) -> None:
    _, blocks = _blocks(
        tmp_path,
        "sd.html",
        "<html><body><main><h1>Software Developers</h1><p>Skip to main content</p><h2>Contacts</h2>"
        "<p>For more information about computer careers, visit</p>"
        '<p><a href="https://www.acm.org/">Association for Computing Machinery</a></p>'
        '<h3>Your advisor</h3><p><a href="mailto:jlee@larkspur.edu">jlee@larkspur.edu</a> | 555-201-4410</p>'
        '<div class="ad"><div>Advertisement</div></div><p>Related: <a href="/x">12 Data Analyst Skills</a></p>'
        '<p><a href="/apply">Apply now</a></p></main></body></html>',
    )
    assert blocks == [
        ("Contacts", "For more information about computer careers, visit"),
        ("Contacts", "Association for Computing Machinery"),
        ("Contacts › Your advisor", "jlee@larkspur.edu | 555-201-4410"),
    ]


def test_a_publishers_article_chrome_is_not_its_text(tmp_path) -> None:
    # an occupational handbook's quick facts (a row naming the table), a tab link inside each heading, a site menu
    # in a box named "main-nav"; an article's update stamp, reviewer, share labels and list of other articles
    _, blocks = _blocks(
        tmp_path,
        "ooh.html",
        '<html><body><div id="main-nav-container"><ul><li><a href="/">Home</a></li><li><a href="/d">Data Tools</a>'
        "</li></ul></div><div><h1>Software Developers</h1><div><span>Updated June 5, 2025</span></div>"
        '<div>Reviewed by <a href="/r/jl">Jennifer Herrity</a></div><table><thead><tr><th colspan="2">Quick Facts: '
        "Software Developers</th></tr></thead><tbody><tr><th>2024 Median Pay</th><td>$133,080 per year</td></tr>"
        "<tr><th>Number of Jobs, 2024</th><td>1,895,500</td></tr></tbody></table>"
        '<h2>Work Environment <span><a href="#tab-3">About this section</a></span></h2>'
        "<p>Most developers work in offices.</p><p>Share this article</p><p>Is this article helpful?</p>"
        '<h2>Explore more articles</h2><ul><li><a href="/a/ba">What Does a Business Analyst Do?</a></li>'
        '<li><a href="/a/ds">How To Become a Data Scientist</a></li></ul>'
        '<h2>Where to look</h2><ul><li><a href="https://indeed.com">Indeed</a></li><li><a href="https://dice.com">Dice'
        "</a></li></ul></div></body></html>",
    )
    assert blocks == [
        ("", "Quick Facts: Software Developers\n2024 Median Pay · $133,080 per year\nNumber of Jobs, 2024 · 1,895,500"),
        ("Work Environment", "Most developers work in offices."),
        ("Where to look", "- Indeed\n- Dice"),
    ]


def test_google_docs_bold_set_by_a_class_makes_a_heading(tmp_path) -> None:
    _, blocks = _blocks(
        tmp_path,
        "gdocs.html",
        '<html><head><style type="text/css">.c0{font-weight:400}.c2{font-weight:700}</style></head>'
        '<body class="doc-content"><h1 class="c1"><span class="c0">Tuition</span></h1><p class="c1">'
        '<span class="c0">Each course costs $1,450.</span></p><p class="c1"><span class="c2">Financial aid</span></p>'
        '<p class="c1"><span class="c0">Certificate students may qualify for workforce grants.</span></p></body>',
    )
    assert blocks == [
        ("", "Each course costs $1,450."),
        ("Financial aid", "Certificate students may qualify for workforce grants."),
    ]


def test_a_page_copied_whole_from_the_browser_starts_after_its_menu(tmp_path) -> None:
    # Ctrl+A, Ctrl+C: the title was "Skip to main content", and the menu's items paired into headings and text
    title, blocks = _blocks(
        tmp_path,
        "rn.txt",
        "Skip to main content\nHome\nCompany reviews\nFind salaries\nSign in\nCareer Guide\nFinding a Job\n"
        "How To Become a Registered Nurse: Steps and Requirements\n\n"
        f"{CARE}\n\nRegistered nurse salary\n{PAY}\n",  # a pasted paragraph is a line of its own, however long
    )
    assert (title, blocks) == (
        "How To Become a Registered Nurse: Steps and Requirements",
        [("", CARE), ("Registered nurse salary", PAY)],
    )


CARE = (
    "Registered nurses care for patients in hospitals, clinics, schools and homes, and teach families to manage care."
)
PAY = "The average salary for a registered nurse in the United States is $93,600 per year, and pay varies by state."


# A second reader's files from the review of the 26th change: each read wrongly by a first version of its rules
# (a layout table's loose text lost, a program list dropped as other articles' titles, a group row taken for a
# header, a first data row taken for one, "By Industry" dropped as a byline, a list's last item made a heading, a
# rule splitting a sentence, a boxed note taken for front matter, a stray Windows-1252 byte turning a UTF-8 file to
# mojibake, a card's "title" paragraph taken for the page's, a "Show details" button heading what follows, …)
READ_AS = {
    "bold_sentence_heading.html": [
        ("Admission", "All students must pass a background check before clinical placement"),
        ("Admission", "The check costs $45 and takes about two weeks."),
    ],
    "br_bullets.html": [
        ("", "• Measure and package medications • Take customer payments • Check stock and order supplies")
    ],
    "by_heading.txt": [
        ("", "Salaries vary with experience and with the industry you work in, and apprentices earn the least of all."),
        (
            "By Experience Level",
            "Apprentices start near $20 an hour; journeymen earn about $30; master electricians often "
            "earn more than $40 an hour.",
        ),
        (
            "By Industry",
            "Electricians in manufacturing and utilities earn the most, while residential contractors pay "
            "less than others.",
        ),
    ],
    "layout_table_loose_text.html": [
        ("", "Welders join metal parts using hand-held or remotely controlled equipment."),
        ("Training", "Most employers prefer a certificate from a technical school."),
    ],
    "link_list_no_heading.md": [
        (
            "Finding a job in nursing",
            "Most new nurses find their first job through clinical placements, but job boards help too.",
        ),
        ("Finding a job in nursing", "Useful sites to search:\n- Indeed\n- Nurse.com\n- HospitalCareers"),
        ("Finding a job in nursing", "Ask your clinical instructor for references early."),
    ],
    "link_paragraphs_after_leadin.md": [
        ("", "Registered nurses provide and coordinate patient care."),
        ("Learn more", "For details on pay and outlook, see:"),
        ("Learn more", "Occupational Outlook Handbook: Registered Nurses"),
        ("Learn more", "American Nurses Association"),
    ],
    "linked_program_list.html": [
        ("", "Larkspur offers three nursing programs approved by the state board."),
        (
            "Programs we offer",
            "- Associate Degree in Nursing\n- Bachelor of Science in Nursing\n- Master of Science in Nursing",
        ),
        (
            "Professional organizations",
            "- National Council of State Boards of Nursing\n- National Student Nurses' Association",
        ),
    ],
    "md_details_summary_persists.md": [
        ("Admissions › Do I need a CNA license?", "No. A CNA license helps but is not required."),
        ("Admissions", "The admissions committee meets every March and notifies applicants within four weeks."),
        ("Costs", "Tuition is $4,200 a semester."),
    ],
    "mixed_utf8_cp1252.txt": [
        ("", "You’ll need a license — the NCLEX — before you can work as an RN in any state."),
        (
            "",
            "The café on campus hosts the career fair every spring, and employers recruit there. "
            "Pré-requisites are listed in the catalog for each year of study.",
        ),
    ],
    "nested_table_in_cell.html": [
        (
            "",
            "Item: Tuition · Cost: $4,200 · Notes: Per semester, full time\n"
            "Item: Fees · Cost: $350 · Notes: Lab fee $200 Technology fee $150",
        )
    ],
    "numbered_item_wrapped.txt": [
        (
            "",
            "Before you apply, do these things:\n"
            "1. Check the prerequisites listed on the program page for your intended start "
            "term.",
        ),
        (
            "",
            "2. Request official transcripts from every college you have attended, including "
            "dual-enrollment courses.\n"
            "3. Ask two people for references",
        ),
        ("", "After that, submit the online form. Most applicants hear back within six weeks of the deadline."),
    ],
    "p_title_before_h1.html": [
        ("", "Applications open"),
        ("", "Fall applications are open until March 1 for all nursing programs."),
        ("", "Larkspur offers three nursing programs approved by the state board."),
        ("Costs", "Tuition is $4,200 a semester."),
    ],
    "rule_after_wrapped_para.txt": [
        (
            "",
            "The spring career fair brings more than sixty employers to campus, from "
            "hospitals to software firms, and students of every major are welcome to "
            "attend.",
        ),
        (
            "Preparing your resume",
            "Bring ten printed copies of your resume and practice a short introduction of "
            "yourself before the day of the fair.",
        ),
    ],
    "rule_boxed_note.md": [
        ("", "Important: the fall application deadline has moved to March 1, 2026."),
        ("", "The nursing program admits students twice a year."),
    ],
    "site_header_kept.html": [
        ("", "Larkspur Call us: 555-201-4410"),
        ("", "Earn a paralegal certificate in two semesters, online or on campus."),
        ("Courses", "You take eight courses, including legal research and writing."),
    ],
    "space_aligned_table.txt": [
        ("", "The table below lists the median annual wage for each occupation in 2024."),
        ("", "Occupation Median wage Registered nurse $81,200 Dental hygienist $79,000 Electrician $61,590"),
        ("", "Wages are from the state labor department."),
    ],
    "table_first_row_no_digits.html": [
        ("", "Registered nurse · Hospitals · Bachelor's degree\nMedical assistant · Clinics · 1-year certificate")
    ],
    "table_group_rows.html": [
        (
            "",
            "Healthcare\n"
            "Occupation: Registered nurse · Median wage: $86,070\n"
            "Construction\n"
            "Occupation: Electrician · Median wage: $61,590",
        )
    ],
    "toggle_button_heading.html": [
        ("Pay", "The median pay was $87,530 in 2023."),
        ("Pay", "Some hygienists work in more than one office."),
    ],
}


@pytest.mark.parametrize("name", sorted(READ_AS))
def test_a_reviewers_file_reads_as_written(name) -> None:
    path = ROOT / "tests" / "data" / "readers" / name
    assert [(b.section, b.text) for b in read_document(path, name, 10_000_000).blocks] == READ_AS[name]


def test_a_reading_time_heads_nothing() -> None:
    from advisor.ingest.parse import parse_text

    # "7 min read" under a pasted post's title was the heading of its first section; "90 minutes" is a fact
    care = "Registered nurses care for patients in hospitals, clinics and homes, and teach families to manage illness."
    title, blocks = parse_text(
        f"How to Become a Nurse\n\n7 min read\n\n{care}\n\nHow long is the exam?\n\n90 minutes\n"
    )
    assert (title, [(b.section, b.text) for b in blocks]) == (
        "How to Become a Nurse",
        [("", care), ("How long is the exam?", "90 minutes")],
    )


def test_chips_set_apart_by_their_style_are_words_apart(tmp_path) -> None:
    _, blocks = _blocks(
        tmp_path,
        "ux.html",
        "<html><body><main><h1>UX Designer</h1><div><h4>Skills you'll build:</h4><span>Wireframing</span>"
        "<span>Prototyping</span><span>User Research</span></div><p>A <b>Data</b><b>base</b> is split, and so is "
        "<em>UX</em><em>Design</em>.</p></main></body></html>",
    )
    assert [text for _, text in blocks] == [
        "Wireframing Prototyping User Research",
        "A Database is split, and so is UX Design.",
    ]


def test_cards_under_a_heading_announcing_other_articles_are_not_this_pages_text(tmp_path) -> None:
    _, blocks = _blocks(
        tmp_path,
        "bsn.html",
        "<html><body><main><h1>Is an Accelerated BSN Right for You?</h1><h3>What it costs</h3><p>Tuition ranges "
        'from $30,000 to $90,000.</p><div class="more-stories"><h2>You Might Also Like</h2><h3><a href="/cs/">B.S. '
        "in Computer Science</a></h3><p>Build software in a flexible major.</p></div><h2>Programs we offer</h2>"
        '<h3><a href="/adn/">Associate Degree in Nursing</a></h3><p>A two-year degree that prepares you for the '
        "NCLEX-RN.</p></main></body></html>",
    )
    assert blocks == [
        ("What it costs", "Tuition ranges from $30,000 to $90,000."),
        ("Programs we offer › Associate Degree in Nursing", "A two-year degree that prepares you for the NCLEX-RN."),
    ]
