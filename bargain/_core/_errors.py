"""The error types of malformed input files.

:class:`ModelError` is raised for model files (and anything built from their
tables: sweeps, case files); :class:`CaseError`, a :class:`ModelError`, for
benchmark case files. Both are ``ValueError`` subclasses whose message names
the file, the key path and what was expected.
"""

from __future__ import annotations

__all__ = ["CaseError", "ModelError"]


class ModelError(ValueError):
    """A malformed model file: the message names the file, the key path and the rule.

    Examples
    --------
    >>> import bargain as bg
    >>> try:
    ...     bg.load_model("no_such_model")
    ... except bg.ModelError as exc:
    ...     print(str(exc).split(";")[0])
    no bundled model 'no_such_model' and no such file
    """


class CaseError(ModelError):
    """A malformed benchmark case file: the message names the file, the key path and the rule.

    Examples
    --------
    >>> import bargain as bg
    >>> try:
    ...     bg.load_cases("no/such/dir")
    ... except bg.CaseError as exc:
    ...     print(exc)
    no/such/dir: no such case file or directory
    """
