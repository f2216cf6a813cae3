"""Full-text search: FULLTEXT indexes, MATCH, BM25 and the ``search`` lookup.

A model gets one :class:`FullTextIndex` in ``Meta.indexes``. Version 2 (the
default; Lucene-based, SingleStore 8.7+) is searched with
``MATCH (TABLE t) AGAINST (q)`` and scored with ``BM25(t, q)`` or
``BM25_GLOBAL(t, q)``; version 1 (legacy) with ``MATCH (cols) AGAINST (q)``.
The query text always travels as one bound parameter. :class:`SearchQuery`
builds it and, unless ``search_type="raw"``, escapes every character that
Lucene reads as syntax, so user input cannot change what the query means.

Importing this module registers the ``search`` lookup on CharField and
TextField (a model that declares a FullTextIndex has imported it).
"""

import re

from django.core.exceptions import FieldError
from django.db import NotSupportedError
from django.db.backends.ddl_references import Columns, Statement, Table
from django.db.models import (
    CharField,
    Expression,
    FloatField,
    Func,
    Index,
    JSONField,
    TextField,
)
from django.db.models.expressions import Col
from django.db.models.lookups import Exact, Lookup

VERSIONS = (1, 2)
SEARCH_TYPES = ("plain", "phrase", "raw")

# The characters Lucene's classic query parser reads as syntax (Apache Lucene
# "Query Parser Syntax", Escaping Special Characters), and the operator words,
# which it reads as operators only in capitals (search is case-insensitive).
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_OPERATOR_WORDS = re.compile(r"\b(AND|OR|NOT)\b")
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def escape(text):
    """``text`` with Lucene's syntax neutralised: it matches as plain words."""
    text = _SPECIAL.sub(r"\\\1", text)
    return _OPERATOR_WORDS.sub(lambda found: found.group(1).lower(), text)


class SearchQuery:
    """The text of a full-text query, composable with ``&``, ``|`` and ``~``.

    ``search_type``: ``"plain"`` (words, any of which may match; Lucene's
    default OR), ``"phrase"`` (the words next to each other, in order), or
    ``"raw"`` (SingleStore's query syntax as given: field prefixes, AND/OR/NOT,
    phrases, ``~`` proximity and fuzziness; never pass user input raw).
    ``field`` restricts the query to one column of the full-text index.
    """

    def __init__(self, value, *, search_type="plain", field=None):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(
                f"SearchQuery needs a non-empty string, not {value!r}: an empty "
                "full-text query is a syntax error on SingleStore."
            )
        if search_type not in SEARCH_TYPES:
            raise ValueError(
                f"SearchQuery search_type must be one of {', '.join(SEARCH_TYPES)}, "
                f"not {search_type!r}."
            )
        if field is not None and not _FIELD_NAME.match(field):
            raise ValueError(f"SearchQuery field must be a column name, not {field!r}.")
        self.value, self.search_type, self.field = value, search_type, field

    def text(self):
        """The query text sent as the AGAINST parameter."""
        if self.search_type == "raw":
            text = self.value
        elif self.search_type == "phrase":
            text = '"' + escape(self.value) + '"'
        else:
            text = escape(self.value)
        return f"{self.field}:({text})" if self.field else text

    def text_operand(self):
        """The text as the right-hand side of AND/OR."""
        return f"({self.text()})"

    def __and__(self, other):
        return _Combined("AND", self, other)

    def __or__(self, other):
        return _Combined("OR", self, other)

    def __invert__(self):
        return _Negated(self)

    def __eq__(self, other):
        return (
            isinstance(other, SearchQuery)
            and self.text_operand() == other.text_operand()
        )

    def __hash__(self):
        return hash(self.text_operand())

    def __repr__(self):
        return f"<SearchQuery: {self.text_operand()}>"


_LONE_NEGATION = (
    "A negated SearchQuery matches nothing on its own (Lucene has no pure "
    "negative query): write query & ~excluded."
)


class _Combined(SearchQuery):
    def __init__(self, operator, left, right):
        for side in (left, right):
            if not isinstance(side, SearchQuery):
                raise TypeError(
                    f"SearchQuery combines with another SearchQuery, not {side!r}."
                )
        if isinstance(left, _Negated) or (
            isinstance(right, _Negated) and operator == "OR"
        ):
            raise ValueError(_LONE_NEGATION)
        self.operator, self.left, self.right = operator, left, right

    def text(self):
        return f"{self.left.text_operand()} {self.operator} {self.right.text_operand()}"


class _Negated(SearchQuery):
    def __init__(self, query):
        self.query = query

    def text(self):
        raise ValueError(_LONE_NEGATION)

    def text_operand(self):
        return f"NOT ({self.query.text()})"


def _as_query(value):
    query = value if isinstance(value, SearchQuery) else SearchQuery(value)
    query.text()  # a lone negation fails here, where the query is written
    return query


class FullTextIndex(Index):
    """``FULLTEXT [USING VERSION 2] name (cols)`` on a columnstore table.

    One per table (singlestore.E015), on columnstore tables only
    (singlestore.E016), over CHAR, VARCHAR, TEXT, LONGTEXT or JSON columns
    (singlestore.E017).
    """

    suffix = "ft"

    def __init__(self, *, fields, name=None, version=2):
        if version not in VERSIONS:
            raise ValueError(
                f"FullTextIndex version must be 1 or 2, not {version!r}: SingleStore "
                "has FULLTEXT (legacy, version 1) and FULLTEXT USING VERSION 2."
            )
        if any(field.startswith("-") for field in fields):
            raise ValueError(
                "FullTextIndex fields take no ordering ('-'): a full-text index "
                "is not ordered."
            )
        super().__init__(fields=fields, name=name)
        self.version = version

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        if self.version != 2:
            kwargs["version"] = self.version
        return path, args, kwargs

    def _statement(self, template, model, schema_editor):
        columns = [model._meta.get_field(name).column for name in self.fields]
        using = " USING VERSION 2" if self.version == 2 else ""
        return Statement(
            template,
            table=Table(model._meta.db_table, schema_editor.quote_name),
            using=using,
            name=schema_editor.quote_name(self.name),
            columns=Columns(model._meta.db_table, columns, schema_editor.quote_name),
        )

    def definition_sql(self, model, schema_editor):
        """The clause CREATE TABLE carries (the schema editor writes it inline)."""
        return str(
            self._statement(
                "FULLTEXT%(using)s %(name)s (%(columns)s)", model, schema_editor
            )
        )

    def create_sql(self, model, schema_editor, using="", **kwargs):
        return self._statement(
            "ALTER TABLE %(table)s ADD FULLTEXT%(using)s %(name)s (%(columns)s)",
            model,
            schema_editor,
        )


def fulltext_indexes(model):
    return [index for index in model._meta.indexes if isinstance(index, FullTextIndex)]


def fulltext_index(model):
    """The model's FullTextIndex; FieldError naming the fix when it has none."""
    found = fulltext_indexes(model)
    if not found:
        raise FieldError(
            f"{model._meta.label} has no FullTextIndex: add "
            "FullTextIndex(fields=[...]) to its Meta.indexes and migrate before "
            "searching it."
        )
    return found[0]


def _table_name(compiler, model, what, alias=None):
    # The query's model is its base table: the alias it reads the table by.
    alias = alias or compiler.query.base_table
    table = model._meta.db_table
    if alias != table:
        raise NotSupportedError(
            f"{what} names the table {table!r}, but this query reads it as "
            f"{alias!r} (a join of the table with itself or a subquery): "
            "SingleStore's version 2 full-text functions take the table's name. "
            "Search in a query of its own and filter by its primary keys."
        )
    return compiler.quote_name_unless_alias(table)


class _TableSearch(Expression):
    """An expression over the query's model's full-text index."""

    output_field = FloatField()

    def __init__(self, query):
        super().__init__()
        self.query = _as_query(query)
        self.model = self.index = None

    @property
    def identity(self):
        return (type(self), self.query, self.model)

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        clone = self.copy()
        clone.model = query.model
        clone.index = fulltext_index(query.model)
        return clone


class Match(_TableSearch):
    """``MATCH (TABLE t) AGAINST (q)`` (version 2) or ``MATCH (cols) AGAINST
    (q)`` (version 1): a relevance score, and in ``filter()`` the condition
    that the row matches."""

    conditional = True

    def get_lookup(self, lookup):
        return _Matches if lookup == "exact" else super().get_lookup(lookup)

    def as_sql(self, compiler, connection):
        if self.index.version == 2:
            target = "TABLE " + _table_name(compiler, self.model, "MATCH")
        else:
            target = ", ".join(
                f"{compiler.quote_name_unless_alias(compiler.query.base_table)}."
                f"{connection.ops.quote_name(self.model._meta.get_field(name).column)}"
                for name in self.index.fields
            )
        return f"MATCH ({target}) AGAINST (%s)", [self.query.text()]


class _Matches(Exact):
    """filter(Match(q)) is the bare MATCH, as SingleStore's docs write it."""

    def get_prep_lookup(self):
        if isinstance(self.rhs, bool):
            return self.rhs
        return super().get_prep_lookup()

    def as_sql(self, compiler, connection):
        if not isinstance(self.rhs, bool):
            return super().as_sql(compiler, connection)
        sql, params = compiler.compile(self.lhs)
        return (sql if self.rhs else f"NOT {sql}"), params


class _Score(_TableSearch):
    function = None

    def as_sql(self, compiler, connection):
        if self.index.version != 2:
            raise NotSupportedError(
                f"{self.function} needs a version 2 full-text index; "
                f"{self.model._meta.label}'s FullTextIndex is version 1. Use "
                "Match() for a version 1 relevance score, or make the index "
                "FullTextIndex(fields=[...], version=2)."
            )
        table = _table_name(compiler, self.model, self.function)
        return f"{self.function}({table}, %s)", [self.query.text()]


class BM25(_Score):
    """``BM25(t, q)``: BM25 with each partition's statistics."""

    function = "BM25"


class BM25Global(_Score):
    """``BM25_GLOBAL(t, q)``: BM25 with the whole table's statistics."""

    function = "BM25_GLOBAL"


class Highlight(Func):
    """``HIGHLIGHT (expression) AGAINST (q[, max_fragments])``: the fragments
    of the text that match, as ``{"fragments": [{"offset": ...,
    "unique_term_count": ..., "text": ...}]}`` (the matches in ``<b>`` tags),
    or None when nothing matches. It needs no index; SingleStore does not
    support fuzzy and wildcard queries here."""

    output_field = JSONField()

    def __init__(self, expression, query, max_fragments=None):
        if max_fragments is not None and (
            isinstance(max_fragments, bool)
            or not isinstance(max_fragments, int)
            or max_fragments < 1
        ):
            raise ValueError(
                "Highlight max_fragments must be a positive integer or None, not "
                f"{max_fragments!r}."
            )
        super().__init__(expression)
        self.query, self.max_fragments = _as_query(query), max_fragments

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        against, extra = "%s", [self.query.text()]
        if self.max_fragments is not None:
            against, extra = "%s, %s", [*extra, self.max_fragments]
        return f"HIGHLIGHT ({sql}) AGAINST ({against})", [*params, *extra]


class Search(Lookup):
    """``field__search=q``: ``MATCH (TABLE t) AGAINST ('column:(q)')``, or
    ``MATCH (column) AGAINST (q)`` on a version 1 index of that one column."""

    lookup_name = "search"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        if not isinstance(self.lhs, Col):
            raise FieldError(
                "The search lookup applies to a field of the model, not to "
                f"{self.lhs!r}."
            )
        model, column = self.lhs.target.model, self.lhs.target.column
        index = fulltext_index(model)
        indexed = [model._meta.get_field(name).column for name in index.fields]
        query = _as_query(self.rhs)
        if getattr(query, "field", None):
            raise FieldError(
                f"{self.lhs.target.name}__search already names the field; pass a "
                f"SearchQuery without field={query.field!r}, or use Match()."
            )
        if index.version == 1:
            if indexed != [column]:
                raise FieldError(
                    f"{model._meta.label}.{self.lhs.target.name}__search needs a "
                    f"version 1 FullTextIndex on exactly that field (it has "
                    f"{index.fields!r}): use FullTextIndex(fields=[...]) (version "
                    "2), whose queries can name each field."
                )
            sql, params = compiler.compile(self.lhs)
            return f"MATCH ({sql}) AGAINST (%s)", [query.text()]
        if column not in indexed:
            raise FieldError(
                f"{model._meta.label}.{self.lhs.target.name} is not in the "
                f"FullTextIndex {index.name!r} ({', '.join(index.fields)}): add it "
                "to the index's fields."
            )
        table = _table_name(compiler, model, "MATCH", self.lhs.alias)
        return f"MATCH (TABLE {table}) AGAINST (%s)", [f"{column}:({query.text()})"]


CharField.register_lookup(Search)
TextField.register_lookup(Search)
