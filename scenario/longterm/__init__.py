"""The [long_term] part of a scenario: schema, run, headline, summary, plots, files."""
