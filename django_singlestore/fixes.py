"""Paste-ready SINGLESTORE settings for models whose unique sets cannot be held.

When several models declare unique sets that SingleStore cannot enforce under
the current settings, the user needs the fix for all of them at once, not one
model per run. For each such model the fix is the layout the AUTO policy picks
(:func:`django_singlestore.tables.auto_layout`), written as ``STORAGE`` and
``SHARD_KEYS`` entries and merged into the current ``SINGLESTORE`` value, so
the result replaces the setting in settings.py as it stands.
"""

import json
from dataclasses import dataclass

from .conf import DEFAULTS, lookup_label
from .tables import IMPOSSIBLE, PlanError, auto_layout, plan_for


@dataclass(frozen=True)
class LayoutFixes:
    """The models a new layout fixes, and the whole setting that gives it."""

    labels: tuple[str, ...]
    setting: dict


def _impossible(model, settings):
    try:
        plan = plan_for(model, settings)
    except PlanError:
        # A settings entry that cannot apply has its own check and fix.
        return False
    return any(key.enforcement == IMPOSSIBLE for key in plan.uniques)


def _merge(entries, additions):
    """``entries`` without the keys naming a model of ``additions``, then those."""
    replaced = {lookup_label(label) for label in additions}
    kept = {
        key: value
        for key, value in entries.items()
        if lookup_label(key) not in replaced
    }
    return {**kept, **additions}


def layout_fixes(models, settings, raw):
    """Return the :class:`LayoutFixes` of ``models`` under ``settings``.

    ``raw`` is the ``SINGLESTORE`` value as written in settings.py. Models whose
    unique sets no layout enforces (a configured shard or sort key stands in the
    way) are left out: their own checks say what to change. Returns None when
    no model needs or gets a new layout.
    """
    labels, storage, shard_keys = [], {}, {}
    for model in models:
        if not _impossible(model, settings):
            continue
        chosen, shard_fields, plan = auto_layout(model, settings)
        if not plan.enforces_all:
            continue
        label = model._meta.label
        labels.append(label)
        if chosen != settings.storage_for(model):
            storage[label] = chosen
        if shard_fields is not None and shard_fields != settings.shard_key_for(model):
            shard_keys[label] = list(shard_fields)
    if not labels:
        return None
    # Keys left at their defaults add nothing to the pasted setting.
    setting = {key: value for key, value in raw.items() if value != DEFAULTS[key]}
    for key, additions in (("STORAGE", storage), ("SHARD_KEYS", shard_keys)):
        if additions:
            setting[key] = _merge(raw.get(key, {}), additions)
    return LayoutFixes(tuple(labels), setting)


def python_literal(value, depth=0):
    """``value`` (a setting: dicts, lists, strings, booleans) as Python source."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad = "    " * (depth + 1)
        items = "".join(
            f"{pad}{python_literal(key)}: {python_literal(item, depth + 1)},\n"
            for key, item in value.items()
        )
        return "{\n" + items + "    " * depth + "}"
    if isinstance(value, set | frozenset):
        value = sorted(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    return repr(value)
