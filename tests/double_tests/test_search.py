"""Full-text (MATCH (TABLE t) AGAINST, BM25) and vector search through the double.

Relevance scores are MariaDB's, not Lucene's BM25 (KNOWN_GAPS.md); the
tests assert which rows match and their order, which both servers agree on
for these simple one-word queries.
"""

import pytest

from tests.double.sql.tokens import quote_string
from tests.double_tests.util import error_of, rows, run


@pytest.fixture
def articles(s2):
    run(
        s2,
        "CREATE TABLE articles (id BIGINT PRIMARY KEY, title VARCHAR(100), body TEXT,"
        " FULLTEXT USING VERSION 2 (title, body))",
        "INSERT INTO articles VALUES"
        " (1, 'Database systems', 'Business intelligence with SQL'),"
        " (2, 'Cooking', 'Pasta and sauces'),"
        " (3, 'Gardening', 'Roses and tulips, roses everywhere')",
        "OPTIMIZE TABLE articles FLUSH",
    )
    return s2


def test_match_table_against(articles):
    assert rows(
        articles,
        "SELECT id FROM articles WHERE MATCH (TABLE articles) AGAINST ('pasta')",
    ) == [(2,)]


def test_bm25_scores_rank_and_keep_the_column_name(articles):
    cur = run(
        articles,
        "SELECT id, BM25(articles, 'roses') > 0 FROM articles ORDER BY id",
    )
    assert [tuple(r) for r in cur.fetchall()] == [(1, 0), (2, 0), (3, 1)]
    assert [d[0] for d in cur.description] == ["id", "BM25(articles, 'roses') > 0"]


def test_match_on_a_table_without_fulltext(s2):
    run(s2, "CREATE TABLE plain (id BIGINT PRIMARY KEY, body TEXT)")
    assert error_of(
        s2, "SELECT id FROM plain WHERE MATCH (TABLE plain) AGAINST ('x')"
    ) == (
        1706,
        "MATCH (TABLE plain) AGAINST requires a FULLTEXT USING VERSION 2 index on"
        " table 'plain'",
    )


def matching(s2, query):
    return [
        row[0]
        for row in rows(
            s2,
            "SELECT id FROM articles WHERE MATCH (TABLE articles) AGAINST ("
            + quote_string(query)
            + ") ORDER BY id",
        )
    ]


# Lucene's classic query syntax as the double implements it (lucene.py): the
# semantics of the Working with Full-Text Search page's operators.
@pytest.mark.parametrize(
    "query, ids",
    [
        ("title:database", [1]),
        ("body:database", []),
        ("title:roses", []),
        ("body:roses", [3]),
        ("nosuchfield:roses", []),
        ('title:Database OR body:("Business Intelligence")', [1]),
        ('body:"intelligence business"', []),
        ('"business intelligence"', [1]),
        ("pasta OR roses", [2, 3]),
        ("pasta roses", [2, 3]),
        ("pasta || roses", [2, 3]),
        ("pasta AND roses", []),
        ("roses AND tulips", [3]),
        ("roses && tulips", [3]),
        ("+roses +tulips", [3]),
        ("roses NOT tulips", []),
        ("(pasta OR roses) AND NOT tulips", [2]),
        ("(pasta OR roses) -tulips", [2]),
        ("(pasta OR roses) !tulips", [2]),
        ("NOT pasta", []),
        ("gard*", [3]),
        ("garden", []),
        ("roses~2", [3]),
        ('"roses everywhere"~3', [3]),
        ("roses^4", [3]),
        ("title\\:cooking", [2]),
        ("sauces\\*", [2]),
    ],
)
def test_lucene_operators(articles, query, ids):
    assert matching(articles, query) == ids


@pytest.mark.parametrize(
    "query, problem",
    [
        ("(pasta", "unbalanced parentheses"),
        ("pasta)", "unbalanced parentheses"),
        ('"pasta', "unterminated phrase"),
        ("title:", "nothing to search after title:"),
    ],
)
def test_lucene_syntax_errors(articles, query, problem):
    assert error_of(
        articles,
        "SELECT id FROM articles WHERE MATCH (TABLE articles) AGAINST ("
        + quote_string(query)
        + ")",
    ) == (1706, f"Full-text query syntax error: {problem}")


def test_bm25_scores_what_the_query_matches(articles):
    assert rows(
        articles,
        "SELECT id, BM25(articles, 'body:roses AND NOT title:cooking') > 0,"
        " BM25_GLOBAL(articles, 'title:cooking') > 0 FROM articles ORDER BY id",
    ) == [(1, 0, 0), (2, 0, 1), (3, 1, 0)]


def test_a_row_with_more_occurrences_scores_higher(articles):
    run(articles, "INSERT INTO articles VALUES (4, 'Roses', 'A history')")
    assert rows(
        articles,
        "SELECT id FROM articles WHERE MATCH (TABLE articles) AGAINST ('roses')"
        " ORDER BY BM25(articles, 'roses') DESC",
    ) == [(3,), (4,)]


def test_highlight_marks_the_words_of_the_query(articles):
    assert rows(
        articles,
        "SELECT id, HIGHLIGHT (body) AGAINST ('roses OR -tulips') FROM articles"
        " ORDER BY id",
    ) == [
        (1, None),
        (2, None),
        (
            3,
            '{"fragments": [{"offset": 0, "unique_term_count": 1, "text":'
            ' "<b>Roses</b> and tulips, <b>roses</b> everywhere"}]}',
        ),
    ]


def test_highlight_fragments_and_their_limit(s2):
    text = "'pasta " + "word " * 30 + "sauce'"
    first = (
        '{"offset": 0, "unique_term_count": 1, "text": "<b>pasta</b>'
        + " word" * 19
        + '"}'
    )
    second = (
        '{"offset": 100, "unique_term_count": 1, "text": "'
        + " word" * 11
        + ' <b>sauce</b>"}'
    )
    assert rows(
        s2,
        f"SELECT HIGHLIGHT ({text}) AGAINST ('pasta sauce'),"
        f" HIGHLIGHT ({text}) AGAINST ('pasta sauce', 1)",
    ) == [
        (
            '{"fragments": [' + first + ", " + second + "]}",
            '{"fragments": [' + first + "]}",
        )
    ]


@pytest.fixture
def legacy(s2):
    run(
        s2,
        "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, FULLTEXT nft (body))",
        "INSERT INTO notes VALUES (1, 'pasta recipes'), (2, 'rose gardens')",
    )
    return s2


def test_legacy_match_on_its_columns(legacy):
    assert rows(
        legacy, "SELECT id FROM notes WHERE MATCH (body) AGAINST ('pasta')"
    ) == [(1,)]


def test_version_2_match_on_a_legacy_index(legacy):
    assert error_of(
        legacy, "SELECT id FROM notes WHERE MATCH (TABLE notes) AGAINST ('pasta')"
    ) == (
        1706,
        "MATCH (TABLE notes) AGAINST requires a FULLTEXT USING VERSION 2 index on"
        " table 'notes'",
    )


@pytest.mark.parametrize("function", ["BM25", "BM25_GLOBAL"])
def test_bm25_on_a_legacy_index(legacy, function):
    assert error_of(legacy, f"SELECT {function}(notes, 'pasta') FROM notes") == (
        1706,
        f"{function} requires a FULLTEXT USING VERSION 2 index on table 'notes'",
    )


def test_match_names_a_base_table_not_a_cte(articles):
    assert error_of(
        articles,
        "WITH a AS (SELECT id FROM articles) SELECT id FROM a"
        " WHERE MATCH (TABLE a) AGAINST ('pasta')",
    ) == (
        1706,
        "MATCH (TABLE a) AGAINST requires a FULLTEXT USING VERSION 2 index on"
        " table 'a'",
    )


def test_bm25_and_match_in_one_ranked_select(articles):
    # The hybrid_search shape: scores and window ranks over the base table.
    assert rows(
        articles,
        "SELECT id, ROW_NUMBER() OVER (ORDER BY BM25(articles, 'roses') DESC, id)"
        " AS r FROM articles ORDER BY r LIMIT 2",
    ) == [(3, 1), (1, 2)]


@pytest.fixture
def vectors(s2):
    run(
        s2,
        "CREATE TABLE items (id BIGINT PRIMARY KEY, emb VECTOR(3) NOT NULL,"
        ' VECTOR INDEX ix (emb) INDEX_OPTIONS \'{"metric_type":"DOT_PRODUCT"}\')',
        "INSERT INTO items VALUES (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0.6,0.8,0]')",
    )
    return s2


def test_nearest_by_dot_product(vectors):
    assert rows(
        vectors,
        "SELECT id, ROUND(emb <*> '[0,1,0]', 3) AS score FROM items"
        " ORDER BY score DESC LIMIT 2",
    ) == [(2, 1.0), (3, 0.8)]


def test_nearest_by_euclidean_distance(vectors):
    assert rows(
        vectors,
        "SELECT id FROM items ORDER BY EUCLIDEAN_DISTANCE(emb, '[1,0.1,0]') LIMIT 2",
    ) == [(1,), (3,)]


def test_vector_values_read_back_as_json_arrays(vectors):
    run(vectors, "SET @@SESSION.vector_type_project_format=JSON")
    assert rows(vectors, "SELECT emb FROM items WHERE id = 3") == [("[0.6,0.8,0]",)]
