"""The corpus into the store: parse files, split them into passages, embed them, keep Chroma in step.

parse    corpus files (Markdown, text, HTML, PDF, DOCX) → documents of headed blocks
outline  the blocks and section outline every reader feeds; formats: the PDF and DOCX readers
split    documents → passages (the unit embedded, retrieved and cited)
embed    the sentence-transformers model, offline
store    Chroma, with typed reads and writes
sync     the incremental ingest, its lock and manifest; ``ensure_index`` before answering
backup   backup, restore and setting an unreadable store aside
crawl    an office's website → files under corpus/web/<host>/ (pages: their names and manifest)
refresh  the sources of advisor.toml crawled, then ingested (``advisor sync``)
"""
