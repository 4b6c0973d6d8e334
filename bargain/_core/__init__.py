"""The bottom layer: argument checks, the result type, the root-finder and the error types.

Everything else in the package imports from here; nothing here imports from
the rest of the package.
"""

from ._errors import CaseError as CaseError
from ._errors import ModelError as ModelError
from ._result import Result as Result

__all__ = ["CaseError", "ModelError", "Result"]
