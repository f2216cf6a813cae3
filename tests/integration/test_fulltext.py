"""Full-text search through the database: FullTextIndex DDL, MATCH, BM25 and
the search lookup, with exact SQL and rows.

The double scores with MariaDB's InnoDB full-text search (KNOWN_GAPS.md), so
the tests assert which rows match and the order of clearly separated results,
never raw scores.
"""

import pytest
from django.core.exceptions import FieldError
from django.db import NotSupportedError, connection, models
from django.test.utils import CaptureQueriesContext, isolate_apps

from django_singlestore.fulltext import (
    BM25,
    BM25Global,
    FullTextIndex,
    Highlight,
    Match,
    SearchQuery,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def ft_models():
    with isolate_apps("tests.integration"):

        class Article(models.Model):
            title = models.CharField(max_length=100)
            body = models.TextField()
            year = models.IntegerField(default=2024)

            class Meta:
                app_label = "integration"
                db_table = "t_ft_article"
                indexes = [FullTextIndex(fields=["title", "body"], name="art_ft")]

        class Note(models.Model):
            text = models.TextField()

            class Meta:
                app_label = "integration"
                db_table = "t_ft_note"
                indexes = [FullTextIndex(fields=["text"], name="note_ft", version=1)]

        class Plain(models.Model):
            text = models.TextField()

            class Meta:
                app_label = "integration"
                db_table = "t_ft_plain"

        yield Article, Note, Plain


ARTICLES = [
    ("Database systems", "Business intelligence with SQL databases"),
    ("Cooking", "Pasta and sauces from Italy"),
    ("Gardening", "Roses and tulips, roses everywhere, roses"),
    ("Roses", "A short history of gardens"),
]


@pytest.fixture
def tables(ft_models):
    Article, Note, Plain = ft_models
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            for model in ft_models:
                editor.create_model(model)
    Article.objects.bulk_create(
        Article(id=i, title=t, body=b) for i, (t, b) in enumerate(ARTICLES, 1)
    )
    Note.objects.bulk_create(
        [Note(id=1, text="pasta recipes"), Note(id=2, text="rose gardens")]
    )
    with connection.cursor() as cursor:
        cursor.execute("OPTIMIZE TABLE t_ft_article FLUSH")
    yield [q["sql"] for q in captured]
    with connection.schema_editor() as editor:
        for model in ft_models:
            editor.delete_model(model)


def sql_of(queryset):
    with CaptureQueriesContext(connection) as captured:
        result = list(queryset)
    return result, captured[-1]["sql"]


def test_create_table_carries_the_index_inline(tables):
    assert tables == [
        "CREATE TABLE `t_ft_article` (`id` bigint AUTO_INCREMENT NOT NULL, `title`"
        " varchar(100) NOT NULL, `body` longtext NOT NULL, `year` integer NOT NULL,"
        " PRIMARY KEY (`id`), FULLTEXT USING VERSION 2 `art_ft` (`title`, `body`),"
        " SHARD KEY (`id`), SORT KEY ())",
        "CREATE TABLE `t_ft_note` (`id` bigint AUTO_INCREMENT NOT NULL, `text`"
        " longtext NOT NULL, PRIMARY KEY (`id`), FULLTEXT `note_ft` (`text`),"
        " SHARD KEY (`id`), SORT KEY ())",
        "CREATE TABLE `t_ft_plain` (`id` bigint AUTO_INCREMENT NOT NULL, `text`"
        " longtext NOT NULL, PRIMARY KEY (`id`), SHARD KEY (`id`), SORT KEY ())",
    ]


def test_filter_by_match(tables, ft_models):
    Article = ft_models[0]
    found, sql = sql_of(Article.objects.filter(Match("pasta")).values_list("id"))
    assert found == [(2,)]
    assert sql == (
        "SELECT `t_ft_article`.`id` AS `id` FROM `t_ft_article` WHERE"
        " MATCH (TABLE `t_ft_article`) AGAINST ('pasta')"
    )


def test_exclude_match(tables, ft_models):
    Article = ft_models[0]
    found, sql = sql_of(
        Article.objects.exclude(Match("roses")).order_by("id").values_list("id")
    )
    assert found == [(1,), (2,)]
    assert "WHERE NOT (MATCH (TABLE `t_ft_article`) AGAINST ('roses'))" in sql


def test_bm25_ranks_the_row_with_more_occurrences_first(tables, ft_models):
    Article = ft_models[0]
    queryset = (
        Article.objects.filter(Match("roses"))
        .annotate(score=BM25("roses"))
        .order_by("-score")
        .values_list("id", flat=True)
    )
    found, sql = sql_of(queryset)
    assert found == [3, 4]
    assert sql == (
        "SELECT `t_ft_article`.`id` AS `id` FROM `t_ft_article` WHERE"
        " MATCH (TABLE `t_ft_article`) AGAINST ('roses')"
        " ORDER BY BM25(`t_ft_article`, 'roses') DESC"
    )


def test_bm25_global_annotation(tables, ft_models):
    Article = ft_models[0]
    rows, sql = sql_of(
        Article.objects.annotate(score=BM25Global("pasta")).order_by("id")
    )
    assert [row.score > 0 for row in rows] == [False, True, False, False]
    assert sql.startswith(
        "SELECT `t_ft_article`.`id`, `t_ft_article`.`title`, `t_ft_article`.`body`,"
        " `t_ft_article`.`year`, BM25_GLOBAL(`t_ft_article`, 'pasta') AS `score`"
    )


def test_search_lookup_names_the_field(tables, ft_models):
    Article = ft_models[0]
    found, sql = sql_of(Article.objects.filter(title__search="roses").values("id"))
    assert sql == (
        "SELECT `t_ft_article`.`id` AS `id` FROM `t_ft_article` WHERE"
        " MATCH (TABLE `t_ft_article`) AGAINST ('title:(roses)')"
    )
    assert found == [{"id": 4}]


def test_search_lookup_with_a_query_naming_another_field(tables, ft_models):
    Article = ft_models[0]
    with pytest.raises(FieldError) as raised:
        list(Article.objects.filter(body__search=SearchQuery("x", field="title")))
    assert str(raised.value) == (
        "body__search already names the field; pass a SearchQuery without"
        " field='title', or use Match()."
    )


def test_search_lookup_takes_a_phrase(tables, ft_models):
    Article = ft_models[0]
    phrase = SearchQuery("business intelligence", search_type="phrase")
    found, sql = sql_of(Article.objects.filter(body__search=phrase).values("id"))
    assert found == [{"id": 1}]
    assert sql.endswith(r"""AGAINST ('body:(\"business intelligence\")')""")


def test_search_lookup_on_a_version_1_index(tables, ft_models):
    Note = ft_models[1]
    found, sql = sql_of(Note.objects.filter(text__search="pasta").values_list("id"))
    assert found == [(1,)]
    assert sql == (
        "SELECT `t_ft_note`.`id` AS `id` FROM `t_ft_note` WHERE"
        " MATCH (`t_ft_note`.`text`) AGAINST ('pasta')"
    )


def test_match_on_a_version_1_index_names_its_columns(tables, ft_models):
    Note = ft_models[1]
    found, sql = sql_of(
        Note.objects.annotate(score=Match("rose"))
        .filter(Match("rose"))
        .values_list("id")
    )
    assert found == [(2,)]
    assert sql == (
        "SELECT `t_ft_note`.`id` AS `id` FROM `t_ft_note` WHERE"
        " MATCH (`t_ft_note`.`text`) AGAINST ('rose')"
    )


def test_bm25_on_a_version_1_index_is_refused(tables, ft_models):
    Note = ft_models[1]
    with pytest.raises(NotSupportedError) as raised:
        list(Note.objects.annotate(score=BM25("pasta")))
    assert str(raised.value) == (
        "BM25 needs a version 2 full-text index; integration.Note's FullTextIndex"
        " is version 1. Use Match() for a version 1 relevance score, or make the"
        " index FullTextIndex(fields=[...], version=2)."
    )


def test_search_without_an_index_names_the_fix(tables, ft_models):
    Plain = ft_models[2]
    with pytest.raises(FieldError) as raised:
        list(Plain.objects.filter(text__search="pasta"))
    assert str(raised.value) == (
        "integration.Plain has no FullTextIndex: add FullTextIndex(fields=[...])"
        " to its Meta.indexes and migrate before searching it."
    )


def test_search_on_a_field_outside_the_index(tables, ft_models):
    Article = ft_models[0]
    with pytest.raises(FieldError) as raised:
        list(Article.objects.filter(year__search="2024"))
    assert "Unsupported lookup 'search' for IntegerField" in str(raised.value)


def test_self_join_alias_is_refused(tables, ft_models):
    Article = ft_models[0]
    inner = Article.objects.filter(Match("pasta")).values("id")
    with pytest.raises(NotSupportedError) as raised:
        list(Article.objects.filter(id__in=inner))
    assert str(raised.value) == (
        "MATCH names the table 't_ft_article', but this query reads it as 'U0'"
        " (a join of the table with itself or a subquery): SingleStore's version 2"
        " full-text functions take the table's name. Search in a query of its own"
        " and filter by its primary keys."
    )


# Hostile inputs and the query text they become: every Lucene operator is
# escaped (or, for the capitalised operator words, lowercased) and the text
# travels as one bound parameter.
HOSTILE = [
    ("') OR 1=1 -- ", "'\\) or 1=1 \\-\\- "),
    ("title:* OR body:*", "title\\:\\* or body\\:\\*"),
    ("pasta AND NOT roses", "pasta and not roses"),  # any word: 2, 3 and 4
    ('"unbalanced', '\\"unbalanced'),
    ("a~2 /re/ [a TO z] {x}^3", "a\\~2 \\/re\\/ \\[a TO z\\] \\{x\\}\\^3"),
    ("&& || ! + \\", "\\&\\& \\|\\| \\! \\+ \\\\"),
]


@pytest.mark.parametrize("text, sent", HOSTILE)
def test_hostile_input_travels_as_one_escaped_parameter(tables, ft_models, text, sent):
    Article = ft_models[0]
    queryset = Article.objects.filter(Match(text)).values_list("id")
    sql, params = queryset.query.sql_with_params()
    assert sql.endswith("WHERE MATCH (TABLE `t_ft_article`) AGAINST (%s)")
    assert params == (sent,)
    assert list(queryset.order_by("id")) == (
        [(2,), (3,), (4,)] if "pasta" in text else []
    )


def test_raw_queries_pass_the_syntax_through(tables, ft_models):
    Article = ft_models[0]
    query = SearchQuery("title:roses AND NOT body:tulips", search_type="raw")
    sql, params = Article.objects.filter(Match(query)).query.sql_with_params()
    assert params == ("title:roses AND NOT body:tulips",)
    assert list(Article.objects.filter(Match(query)).values_list("id")) == [(4,)]


def test_combined_queries_through_the_database(tables, ft_models):
    Article = ft_models[0]

    def ids(query):
        return list(
            Article.objects.filter(Match(query))
            .order_by("id")
            .values_list("id", flat=True)
        )

    roses = SearchQuery("roses", field="body")
    assert ids(roses) == [3]
    assert ids(roses & ~SearchQuery("tulips")) == []
    assert ids(SearchQuery("roses") & ~SearchQuery("tulips")) == [4]
    assert ids(SearchQuery("pasta") | SearchQuery("gardens", field="body")) == [2, 4]
    assert ids(SearchQuery("with sql databases", search_type="phrase")) == [1]
    assert ids(SearchQuery("sql with databases", search_type="phrase")) == []


def test_combined_queries():
    query = SearchQuery("roses", field="title") & ~SearchQuery("gardens ok")
    assert query.text() == "(title:(roses)) AND NOT (gardens ok)"
    either = SearchQuery("a b", search_type="phrase") | SearchQuery("c:d")
    assert either.text() == '("a b") OR (c\\:d)'


def test_a_lone_negation_is_refused_where_it_is_written():
    with pytest.raises(ValueError) as raised:
        Match(~SearchQuery("roses"))
    assert str(raised.value) == (
        "A negated SearchQuery matches nothing on its own (Lucene has no pure"
        " negative query): write query & ~excluded."
    )
    with pytest.raises(ValueError):
        SearchQuery("a") | ~SearchQuery("b")


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (
            {"value": "  "},
            "SearchQuery needs a non-empty string, not '  ': an empty full-text"
            " query is a syntax error on SingleStore.",
        ),
        (
            {"value": "x", "search_type": "websearch"},
            "SearchQuery search_type must be one of plain, phrase, raw, not"
            " 'websearch'.",
        ),
        (
            {"value": "x", "field": "title) OR (1"},
            "SearchQuery field must be a column name, not 'title) OR (1'.",
        ),
    ],
)
def test_bad_search_queries(kwargs, error):
    with pytest.raises(ValueError) as raised:
        SearchQuery(**kwargs)
    assert str(raised.value) == error


def test_a_hostile_phrase_stays_one_phrase(tables, ft_models):
    Article = ft_models[0]
    query = SearchQuery('pasta" OR "roses', search_type="phrase")
    assert query.text() == '"pasta\\" or \\"roses"'
    sql, params = Article.objects.filter(Match(query)).query.sql_with_params()
    assert params == ('"pasta\\" or \\"roses"',)


def fulltext_constraints(table):
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {
        name: (info["columns"], info["type"], info.get("version"))
        for name, info in found.items()
        if info["type"] == FullTextIndex.suffix
    }


def test_introspection_reads_both_versions_back(tables):
    assert fulltext_constraints("t_ft_article") == {
        "art_ft": (["title", "body"], "ft", 2)
    }
    assert fulltext_constraints("t_ft_note") == {"note_ft": (["text"], "ft", 1)}


@pytest.mark.parametrize(
    "version, added",
    [
        (
            2,
            "ALTER TABLE `t_ft_plain` ADD FULLTEXT USING VERSION 2 `plain_ft` (`text`)",
        ),
        (1, "ALTER TABLE `t_ft_plain` ADD FULLTEXT `plain_ft` (`text`)"),
    ],
)
def test_add_and_remove_index(tables, ft_models, version, added):
    Plain = ft_models[2]
    index = FullTextIndex(fields=["text"], name="plain_ft", version=version)
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.add_index(Plain, index)
    assert [q["sql"] for q in captured] == [added]
    assert fulltext_constraints("t_ft_plain") == {"plain_ft": (["text"], "ft", version)}
    with CaptureQueriesContext(connection) as captured:
        with connection.schema_editor() as editor:
            editor.remove_index(Plain, index)
    assert [q["sql"] for q in captured] == ["DROP INDEX `plain_ft` ON `t_ft_plain`"]
    assert fulltext_constraints("t_ft_plain") == {}


def test_deconstruct_keeps_the_version():
    index = FullTextIndex(fields=["body"], name="b_ft", version=1)
    assert index.deconstruct() == (
        "django_singlestore.fulltext.FullTextIndex",
        (),
        {"fields": ["body"], "name": "b_ft", "version": 1},
    )
    assert FullTextIndex(fields=["body"], name="b_ft").deconstruct()[2] == {
        "fields": ["body"],
        "name": "b_ft",
    }


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (
            {"fields": ["body"], "version": 3},
            "FullTextIndex version must be 1 or 2, not 3: SingleStore has FULLTEXT"
            " (legacy, version 1) and FULLTEXT USING VERSION 2.",
        ),
        (
            {"fields": ["-body"]},
            "FullTextIndex fields take no ordering ('-'): a full-text index is not"
            " ordered.",
        ),
    ],
)
def test_bad_indexes(kwargs, error):
    with pytest.raises(ValueError) as raised:
        FullTextIndex(**kwargs)
    assert str(raised.value) == error


def test_highlight_returns_the_matching_fragments(tables, ft_models):
    Article = ft_models[0]
    queryset = (
        Article.objects.filter(Match("roses"))
        .annotate(marked=Highlight("body", "roses"))
        .order_by("id")
        .values_list("id", "marked")
    )
    rows, sql = sql_of(queryset)
    assert sql == (
        "SELECT `t_ft_article`.`id` AS `id`, HIGHLIGHT (`t_ft_article`.`body`)"
        " AGAINST ('roses') AS `marked` FROM `t_ft_article` WHERE"
        " MATCH (TABLE `t_ft_article`) AGAINST ('roses') ORDER BY 1 ASC"
    )
    assert rows == [
        (
            3,
            {
                "fragments": [
                    {
                        "offset": 0,
                        "unique_term_count": 1,
                        "text": "<b>Roses</b> and tulips, <b>roses</b> everywhere,"
                        " <b>roses</b>",
                    }
                ]
            },
        ),
        (4, None),
    ]


def test_highlight_with_a_fragment_limit(tables, ft_models):
    Article = ft_models[0]
    Article.objects.filter(id=1).update(body="pasta " + "word " * 30 + "pasta")
    queryset = Article.objects.filter(id=1).annotate(
        one=Highlight("body", SearchQuery("pasta"), max_fragments=1),
        every=Highlight("body", "pasta"),
    )
    sql, params = queryset.query.sql_with_params()
    assert "HIGHLIGHT (`t_ft_article`.`body`) AGAINST (%s, %s) AS `one`" in sql
    row = queryset.get()
    assert [f["offset"] for f in row.one["fragments"]] == [0]
    assert [f["offset"] for f in row.every["fragments"]] == [0, 100]


@pytest.mark.parametrize("bad", [0, -1, True, "2"])
def test_highlight_refuses_a_bad_fragment_limit(bad):
    with pytest.raises(ValueError) as raised:
        Highlight("body", "x", max_fragments=bad)
    assert str(raised.value) == (
        f"Highlight max_fragments must be a positive integer or None, not {bad!r}."
    )
