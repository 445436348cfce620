"""The program office's side: the conversation log, feedback, the gap inbox, the report and export.

privacy    e-mail addresses and phone numbers redacted; client addresses salted and hashed
records    what is logged (typed events) and what the office reads back (typed rows, summary, groups)
db         the SQLAlchemy tables and the one place that talks to the database
writer     the background writer: the log is written off the request path, never failing an answer
gaps       refused, low-confidence and thumbs-down questions grouped by meaning
report     the summary and the gap groups for the console, ``advisor report`` and the export
office     :class:`Office`, what the web app and the CLI hold: record, feedback, handoff
"""
