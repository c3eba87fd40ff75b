"""factsheet: structured, evidence-backed facts rendered into an MkDocs site."""

__version__ = "0.1.0"
