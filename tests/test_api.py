"""The public API: what ``advisor.__all__`` promises, used the way the README shows."""

from __future__ import annotations

import subprocess
import sys

import advisor


def test_every_public_name_resolves():
    for name in advisor.__all__:
        assert getattr(advisor, name) is not None, name
    assert {"Settings", "open_advisor", "Advisor", "Answer", "Citation", "AdvisorError"} <= set(advisor.__all__)


def test_importing_the_package_loads_no_heavy_library():
    code = "import sys, advisor; print(sorted(m for m in ('numpy', 'torch', 'langchain_core') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_readme_example_with_the_public_api_only(index_settings, store):
    from advisor import Answer, Citation, Settings, open_advisor

    assert isinstance(index_settings, Settings)
    adv = open_advisor(index_settings)  # the index is up to date: opened, not rebuilt
    answer = adv.ask("What skills does a machine learning engineer need?")
    assert isinstance(answer, Answer) and not answer.refused
    assert answer.citations and all(isinstance(c, Citation) for c in answer.citations)
    assert all(c.passage.text in answer.contract()["citations"][i]["text"] for i, c in enumerate(answer.citations))
