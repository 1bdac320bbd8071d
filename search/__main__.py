"""``python -m search`` runs the ``zeitung`` command."""

from search.cli import app

app(prog_name="zeitung")
