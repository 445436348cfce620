"""How often the instruction detector flags ordinary prose (its false positives), on text not written for it.

    python -m tools.detector_precision [--show N]

Sentences come from the dev guides and the seed article (eval/guides/, eval/guides2/, corpus/), from the READMEs
and documentation files of the Python packages installed beside advisor, and from the Python
language reference that ships with Python (pydoc_data): real prose by many authors, none of it
written with the detector in mind. Only sentence-like lines are kept (6 to 60
words, ending in . ! or ?, few code characters). Target: at most 0.5% flagged.
"""

from __future__ import annotations

import argparse
import re
from importlib import metadata

from advisor.config import Settings
from advisor.ingest.parse import read_corpus
from advisor.safety.injection import instruction_kind
from advisor.text import sentences
from tools.serving import ROOT

CODE = re.compile(r"[{}()\[\]=<>`|#$_\\/*]")


def prose(text: str) -> list[str]:
    """The sentence-like lines of a text."""
    out = []
    for sentence in sentences(text):
        s = " ".join(sentence.split())
        end = s.rstrip("\"”’')")[-1:]
        if 6 <= len(s.split()) <= 60 and end in ".!?" and len(CODE.findall(s)) <= 2 and s[0].isupper():
            out.append(s)
    return out


def guide_sentences() -> list[str]:
    out: list[str] = []
    for folder in ("eval/guides", "eval/guides2", "corpus"):
        for doc in read_corpus(Settings(corpus=ROOT / folder)).documents:
            out += [s for b in doc.blocks for s in prose(b.text)]
    return out


DOC_SUFFIXES = (".md", ".rst", ".txt")
NOT_PROSE = ("license", "licence", "record", "requirements", "entry_points", "top_level", "copying", "notice")


def package_sentences() -> list[str]:
    """Sentences of the installed packages' READMEs and the documentation files they ship."""
    out: list[str] = []
    for dist in metadata.distributions():
        body = dist.metadata.get_payload() if hasattr(dist.metadata, "get_payload") else None
        out += prose(body if isinstance(body, str) else str(dist.metadata.get("Description") or ""))
        for f in dist.files or ():
            name = str(f).lower()
            if name.endswith(DOC_SUFFIXES) and not any(n in name for n in NOT_PROSE):
                try:
                    out += prose(f.locate().read_text(encoding="utf-8")[:200_000])
                except (OSError, UnicodeDecodeError):
                    continue
    return out


def python_reference_sentences() -> list[str]:
    """Sentences of the Python language reference shipped with the interpreter (``pydoc_data.topics``)."""
    from pydoc_data.topics import topics

    return [s for text in topics.values() for s in prose(text)]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.detector_precision", description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", type=int, default=20, help="print this many flagged sentences")
    args = parser.parse_args()
    sets = {
        "guides": list(dict.fromkeys(guide_sentences())),
        "package docs": list(dict.fromkeys(package_sentences())),
        "Python reference": list(dict.fromkeys(python_reference_sentences())),
    }
    total = flagged_total = 0
    for name, rows in sets.items():
        flagged = [(instruction_kind(s), s) for s in rows if instruction_kind(s)]
        total += len(rows)
        flagged_total += len(flagged)
        print(f"{name}: {len(flagged)} of {len(rows)} sentences flagged ({len(flagged) / max(1, len(rows)):.2%})")
        for kind, s in flagged[: args.show]:
            print(f"  [{kind}] {s[:160]}")
    print(f"all: {flagged_total} of {total} flagged ({flagged_total / max(1, total):.2%}); target <= 0.5%")


if __name__ == "__main__":
    main()
