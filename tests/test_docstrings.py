"""Every public function, class and method has a numpydoc docstring with an Examples section.

"Public" is everything in ``bargain.__all__`` and, for the classes there,
every method, classmethod, staticmethod and property defined in ``bargain``
itself whose name does not start with an underscore (inherited ones from
``collections.abc`` and ``object`` are not ours). The examples run as
doctests in the suite (``--doctest-modules``).
"""

import inspect

import pytest

import bargain as bg


def _public():
    for name in bg.__all__:
        obj = getattr(bg, name)
        yield name, obj
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if isinstance(member, property):
                    yield f"{name}.{attr}", member
                elif inspect.isfunction(member):
                    yield f"{name}.{attr}", member


PUBLIC = sorted(dict(_public()).items())
CALLABLES = [(n, o) for n, o in PUBLIC if not isinstance(o, property)]


def test_the_public_api_is_large():
    assert len(bg.__all__) > 60
    assert len(CALLABLES) > 120


@pytest.mark.parametrize("name, obj", CALLABLES, ids=[n for n, _ in CALLABLES])
def test_has_a_docstring_with_examples(name, obj):
    doc = inspect.getdoc(obj) or ""
    assert doc.strip(), f"{name} has no docstring"
    assert "Examples\n--------" in doc, f"{name}: its docstring has no Examples section"
    assert ">>> " in doc.split("Examples\n--------", 1)[1], f"{name}: Examples without code"


@pytest.mark.parametrize(
    "name, obj", [p for p in PUBLIC if isinstance(p[1], property)], ids=lambda p: str(p)
)
def test_properties_are_documented(name, obj):
    assert (obj.__doc__ or "").strip(), f"property {name} has no docstring"
