"""The report engine: formats, drafts, checks and exports. Never imports Textual."""
