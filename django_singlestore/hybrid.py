"""Hybrid search: rank rows by a full-text score and a vector similarity together.

:func:`hybrid_search` annotates a queryset with ``text_score`` (``BM25`` of a
version 2 index, ``MATCH`` of a version 1 index), ``vector_score`` (any
expression, typically a dot product) and ``hybrid_score``, and orders by the
last, in one SELECT over the model's own table: SingleStore runs the
full-text functions on a base table (``MATCH (TABLE t)`` and ``BM25(t, ...)``
name it), so there is no CTE or derived table to push them into.

``method="rrf"`` is reciprocal rank fusion as SingleStore's hybrid search
page describes it: each row scores ``weight / (k + rank)`` in each ranking,
the ranks coming from ``ROW_NUMBER() OVER (ORDER BY score DESC)``; a row that
does not match the text contributes nothing from the text ranking.
``method="weighted"`` adds the raw scores times their weights (BM25 is
unbounded and a dot product of unit vectors lies in [-1, 1]: choose the
weights for your data).
"""

from django.db.models import Case, F, FloatField, Value, When, Window
from django.db.models.functions import RowNumber

from .fulltext import BM25, BM25Global, Match, fulltext_index

METHODS = ("rrf", "weighted")


def _ranking(score, weight, k, descending):
    # Ties in the score are ranked by primary key, so the fusion is repeatable.
    order = F(score).desc() if descending else F(score).asc()
    rank = Window(RowNumber(), order_by=[order, F("pk").asc()])
    return Value(float(weight)) / (Value(float(k)) + rank)


def hybrid_search(
    queryset,
    *,
    text,
    vector,
    method="rrf",
    text_weight=1.0,
    vector_weight=1.0,
    k=60,
    global_scores=False,
    vector_higher_is_better=None,
):
    """``queryset`` ranked by full-text ``text`` and ``vector`` together.

    ``text``: a string or SearchQuery. ``vector``: an expression scoring each
    row against the query vector, such as ``DotProduct("embedding", q)``.
    ``vector_higher_is_better`` says which way is nearer; by default it
    follows the expression's ``nearest_first`` (the vector expressions of
    django_singlestore.vector), else higher. ``global_scores`` uses BM25_GLOBAL
    (table-wide statistics) instead of BM25 (per partition). Slice the result
    for the top rows: ``hybrid_search(...)[:10]``.
    """
    if method not in METHODS:
        raise ValueError(
            f"hybrid_search method must be one of {', '.join(METHODS)}, not {method!r}."
        )
    if method == "rrf" and k < 0:
        raise ValueError(f"hybrid_search k must be 0 or more, not {k!r}.")
    if vector_higher_is_better is None:
        vector_higher_is_better = getattr(vector, "nearest_first", "DESC") == "DESC"
    if fulltext_index(queryset.model).version == 1:
        text_score = Match(text)
    else:
        text_score = BM25Global(text) if global_scores else BM25(text)
    queryset = queryset.annotate(text_score=text_score, vector_score=vector)
    if method == "rrf":
        text_part = Case(
            When(text_score__gt=0, then=_ranking("text_score", text_weight, k, True)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        vector_part = _ranking(
            "vector_score", vector_weight, k, vector_higher_is_better
        )
    else:
        text_part = Value(float(text_weight)) * F("text_score")
        sign = 1.0 if vector_higher_is_better else -1.0
        vector_part = Value(sign * vector_weight) * F("vector_score")
    return queryset.annotate(
        hybrid_score=(text_part + vector_part),
    ).order_by("-hybrid_score")
