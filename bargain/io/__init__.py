"""Data in and out: model files (TOML), Genius XML domains, spatial actor tables.

One builder (:mod:`bargain.io._tables`) turns tables into negotiations for
model files, benchmark case files and the batched draws of a sweep.
"""

from ._genius import read_genius as read_genius
from ._genius import write_genius as write_genius
from ._model import Model as Model
from ._model import Uncertain as Uncertain
from ._model import bundled_models as bundled_models
from ._model import load_model as load_model
from ._model import save_model as save_model
from ._spatial import read_spatial as read_spatial
from ._spatial import write_spatial as write_spatial
from ._tables import TimePath as TimePath

__all__ = [
    "Model",
    "TimePath",
    "Uncertain",
    "bundled_models",
    "load_model",
    "read_genius",
    "read_spatial",
    "save_model",
    "write_genius",
    "write_spatial",
]
