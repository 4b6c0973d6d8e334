"""Reports of a model: the text tables of the command line and the Markdown report."""

from ._report import write_report as write_report

__all__ = ["write_report"]
