"""The corpus into the store: parse files, split them into passages, embed them, keep Chroma in step.

parse    corpus files (Markdown, text, HTML) → documents of headed blocks
split    documents → passages (the unit embedded, retrieved and cited)
embed    the sentence-transformers model, offline
store    Chroma, with typed reads and writes
sync     the incremental ingest, its lock and manifest; ``ensure_index`` before answering
backup   backup, restore and setting an unreadable store aside
"""
