"""Model instances for display, built from ``values_list`` rows without ``Model.__init__``.

The public pages read their rows through ORM QuerySets compiled once
(:class:`plans.compiled.CompiledQuery`) and turn them into instances here. ``Model.from_db``
(with mptt's bookkeeping for nodes) costs about 14 µs a row: reading the 95-node sample plan's
tree as model instances took 2.8 ms against 1.4 ms as tuples (about 70 ms more for a
5,010-node plan). Setting the attributes directly costs a small part of that.
"""

from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model
from django.db.models.base import ModelState


def read_only(model: type[Model], names: Sequence[str], values: Sequence, **related) -> Model:
    """A model instance for display, built from a row without ``Model.__init__``.

    Never saved. Fields not in ``names`` are deferred: reading one costs a query, which the
    pages' exact query counts would show. ``related`` fills foreign keys already in hand.
    """
    instance = model.__new__(model)
    instance.__dict__ = dict(zip(names, values, strict=True))
    state = instance._state = ModelState()
    state.adding = False
    state.db = DEFAULT_DB_ALIAS
    state.fields_cache = related
    return instance
