"""Print a folder of guides to PDF the way an office saves a web page: the browser's "Save as PDF".

Each ``.html`` page is printed as it is; a ``.md`` guide is first rendered to HTML (markdown-it-py, with
tables), as a site would show it; a ``.txt`` page is shown as a browser shows a text file (its lines kept,
long ones wrapped). Headless Chromium prints each with its default page header and footer (the date and
title at the top, the address and "page/pages" at the bottom), so the PDFs carry what a saved page carries:
running headers and footers, paragraphs broken across pages, headings set in larger or bold type, list
bullets drawn rather than typed, tables as positioned cells::

    python -m tools.print_pdf eval/guides4 eval/pdf/guides4

With ``--writer`` the pages are exported by LibreOffice Writer instead (a word processor's "Export as PDF"), a
second producer with its own layout::

    python -m tools.print_pdf --writer eval/guides7 eval/pdf-writer/guides7

and with ``--writer --docx`` it saves them as Word documents (``eval/docx/``)::

    python -m tools.print_pdf --writer --docx eval/guides7 eval/docx/guides7

The PDF evaluation sets (``eval/pdf/``) were made with it; their questions are the source sets' own.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def page_of(path: Path) -> str | None:
    """The HTML a browser would show for a guide, or None for a file that is no guide."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".html", ".htm"):
        return text
    if path.suffix == ".md":
        from markdown_it import MarkdownIt

        body = MarkdownIt("commonmark").enable("table").render(text)
        first = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
        head = f"<meta charset='utf-8'><title>{html.escape(first)}</title>"
        return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"
    if path.suffix == ".txt":
        pre = f"<pre style='white-space: pre-wrap; overflow-wrap: break-word'>{html.escape(text)}</pre>"
        return f"<!doctype html><html><head><meta charset='utf-8'></head><body>{pre}</body></html>"
    return None


def print_folder(
    source: Path, target: Path, chromium: str = "chromium", writer: str | None = None, docx: bool = False
) -> list[Path]:
    """Every guide in ``source`` printed to ``target/<name>.pdf``; the PDFs made. With ``writer`` (LibreOffice's
    ``soffice``), each page is opened in a word processor and exported to PDF instead, as an office exports a
    brochure: no running lines, bullets written as glyphs, its own fonts and table layout; with ``docx`` too, it is
    saved as a Word document (``<name>.docx``) instead."""
    target.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(source.iterdir()):
            page = page_of(path) if path.is_file() else None
            if page is None:
                continue
            shown = Path(tmp) / f"{path.stem}.html"
            shown.write_text(page, encoding="utf-8")
            out = target / f"{path.stem}.{'docx' if docx and writer else 'pdf'}"
            if writer:
                subprocess.run(
                    [
                        writer,
                        "--headless",
                        "--convert-to",
                        "docx:MS Word 2007 XML" if docx else "pdf:writer_web_pdf_Export",
                        "--outdir",
                        str(target),
                        str(shown),
                    ],
                    check=True,
                    capture_output=True,
                    timeout=300,
                )
                made.append(out)
                continue
            subprocess.run(
                [chromium, *CHROMIUM_FLAGS, f"--print-to-pdf={out.resolve()}", shown.as_uri()],
                check=True,
                capture_output=True,
                timeout=120,
            )
            made.append(out)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.print_pdf", description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a folder of .html, .md and .txt guides")
    parser.add_argument("target", type=Path, help="the folder the PDFs are written to")
    parser.add_argument("--writer", action="store_true", help="export with LibreOffice Writer instead of a browser")
    parser.add_argument("--docx", action="store_true", help="with --writer: save Word documents, not PDFs")
    args = parser.parse_args()
    if args.writer:
        soffice = shutil.which("soffice")
        if soffice is None:
            raise SystemExit("print_pdf: --writer needs LibreOffice (apt-get install libreoffice-writer-nogui)")
        for out in print_folder(args.source, args.target, writer=soffice, docx=args.docx):
            print(out)
        return
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("print_pdf: needs Chromium (apt-get install chromium)")
    for out in print_folder(args.source, args.target, chromium):
        print(out)


if __name__ == "__main__":
    main()
