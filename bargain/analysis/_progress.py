"""Progress bars that never warn: tqdm's notebook bar only where its widgets exist."""

from __future__ import annotations

__all__ = ["progress_bar"]


def progress_bar(**kwargs):
    """A tqdm bar: the notebook widget under Jupyter when ipywidgets is installed, else text.

    ``tqdm.auto`` picks the notebook bar inside Jupyter and warns ("IProgress not
    found") when ipywidgets is missing; this falls back to the text bar instead,
    which ``disable=None`` turns off where stderr is not a terminal.

    Examples
    --------
    >>> from bargain.analysis._progress import progress_bar
    >>> with progress_bar(total=3, disable=True) as bar:  # off: updates are no-ops
    ...     _ = bar.update(3)
    >>> bar.disable
    True
    """
    try:
        import ipywidgets  # noqa: F401  (the notebook bar needs it)
        from tqdm.auto import tqdm
    except ImportError:
        from tqdm import tqdm
    return tqdm(**kwargs)
