"""The admin's changelist search through the model's full-text index.

Mix :class:`FullTextSearchMixin` into a ModelAdmin and the search box runs
``MATCH`` instead of one ``LIKE`` per word and field. The search term is
escaped (SearchQuery's plain type), so what a user types is searched as
words. On a version 2 index, ``search_fields`` picks the indexed fields to
search (each becomes a ``field:(words)`` clause); a version 1 index searches
all of its columns.
"""

from .checks import message
from .fulltext import Match, SearchQuery, fulltext_indexes


class FullTextSearchMixin:
    """ModelAdmin mixin: changelist search with MATCH over the FullTextIndex."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        query = None
        index = fulltext_indexes(self.model)[0]
        if index.version == 2:
            for name in self.get_search_fields(request):
                column = self.model._meta.get_field(name).column
                part = SearchQuery(search_term, field=column)
                query = part if query is None else query | part
        return queryset.filter(Match(query or SearchQuery(search_term))), False

    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_fulltext_search()]

    def _check_fulltext_search(self):
        indexes = fulltext_indexes(self.model)
        admin, label = type(self).__name__, self.model._meta.label
        if not indexes:
            return [message("singlestore.E018", type(self), admin=admin, label=label)]
        index = indexes[0]
        return [
            message(
                "singlestore.E019",
                type(self),
                admin=admin,
                label=label,
                name=name,
                index=index.name,
                fields=", ".join(index.fields),
            )
            for name in self.search_fields
            if name not in index.fields
        ]
