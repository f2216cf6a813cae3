"""A subset of Lucene's query syntax as MariaDB expressions, for MATCH (TABLE t).

SingleStore's version 2 full-text search reads its AGAINST text with Lucene's
classic query parser (Working with Full-Text Search: field prefixes, boolean
operators, phrases). MariaDB has no Lucene, so the double turns the parts
the backend uses into a score expression over MariaDB's InnoDB search:

- a word: ``MATCH (cols) AGAINST ('word' IN BOOLEAN MODE)``; ``word*`` a prefix;
- a phrase ``"a b"``: MariaDB's boolean-mode phrase; an unquoted term the
  analyzer splits (``title\\:cooking``) is its words, any of which may match;
- ``field:x``: the same, times 1 when the column holds x as a whole word
  (a REGEXP on that column), 0 otherwise; a field outside the index matches
  nothing;
- clauses combine as Lucene's BooleanQuery: ``AND``/``&&``/``+`` make a
  clause required, ``NOT``/``!``/``-`` excluded, ``OR``/``||``/none optional;
  the score is the sum of the matching required and optional clauses, 0 when
  a required clause misses, an excluded one matches, or only exclusions are
  given (a pure negative query matches nothing in Lucene);
- ``\\`` escapes a character, which then is part of the word.

Fuzzy and proximity (``~N``) and boosts (``^N``) are read and ignored: the
word or phrase matches exactly (KNOWN_GAPS.md). Scores are not BM25.
"""

import re

from .tokens import quote_ident, quote_string

_SPECIAL = set('+-&|!(){}[]^"~*?:\\/ \t\n')
_WORD = re.compile(r"\w+")


class LuceneSyntaxError(ValueError):
    pass


def _lex(text):
    """Tokens: ('(' | ')' | 'op' | 'mod' | 'term' | 'phrase' | 'field', text)."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append((ch, ch))
            i += 1
        elif text.startswith(("&&", "||"), i):
            out.append(("op", "AND" if ch == "&" else "OR"))
            i += 2
        elif ch in "+-!":
            out.append(("mod", "+" if ch == "+" else "-"))
            i += 1
        elif ch == '"':
            end, value = i + 1, []
            while end < len(text) and text[end] != '"':
                if text[end] == "\\" and end + 1 < len(text):
                    end += 1
                value.append(text[end])
                end += 1
            if end >= len(text):
                raise LuceneSyntaxError("unterminated phrase")
            out.append(("phrase", "".join(value)))
            i = _skip_modifiers(text, end + 1)
        elif ch in "~^":
            i = _skip_modifiers(text, i)
        else:
            value, wildcard = [], False
            while i < len(text) and (
                text[i] == "\\" or text[i] == "*" or text[i] not in _SPECIAL
            ):
                wildcard = text[i] == "*"
                if text[i] == "\\" and i + 1 < len(text):
                    i += 1
                value.append(text[i])
                i += 1
            word = "".join(value)
            if i < len(text) and text[i] == ":":
                out.append(("field", word))
                i += 1
            elif word in ("AND", "OR"):
                out.append(("op", word))
            elif word == "NOT":
                out.append(("mod", "-"))
            elif word:
                out.append(("term", (word, wildcard)))
                i = _skip_modifiers(text, i)
            else:
                i += 1
    return out


def _skip_modifiers(text, i):
    while i < len(text) and text[i] in "~^":
        i += 1
        while i < len(text) and (text[i].isdigit() or text[i] == "."):
            i += 1
    return i


class _Translator:
    def __init__(self, tokens, columns):
        self.tokens, self.at = tokens, 0
        self.columns = columns
        self.match_cols = ", ".join(quote_ident(c) for c in columns)

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.at += 1
        return token

    def query(self, field, closing=False):
        clauses = []  # [occur, sql]: occur is "+", "-" or ""
        conjunction = None
        while True:
            kind, value = self.peek()
            if kind is None or kind == ")":
                break
            if kind == "op":
                self.take()
                conjunction = value
                continue
            occur = ""
            if kind == "mod":
                self.take()
                occur = value
            sql = self.clause(field)
            if conjunction == "AND":
                if clauses and clauses[-1][0] == "":
                    clauses[-1][0] = "+"
                occur = occur or "+"
            clauses.append([occur, sql])
            conjunction = None
        if closing:
            if self.take()[0] != ")":
                raise LuceneSyntaxError("unbalanced parentheses")
        elif self.peek()[0] == ")":
            raise LuceneSyntaxError("unbalanced parentheses")
        return _combine(clauses)

    def clause(self, field):
        kind, value = self.take()
        if kind == "field":
            inner = value
            if self.peek()[0] in ("field", None):
                raise LuceneSyntaxError(f"nothing to search after {value}:")
            return self.clause(inner)
        if kind == "(":
            return self.query(field, closing=True)
        if kind == "term":
            return self.words(field, *value)
        if kind == "phrase":
            return self.words(field, value, False, phrase=True)
        raise LuceneSyntaxError(f"unexpected {value!r}")

    def words(self, field, text, prefix, phrase=False):
        words = _WORD.findall(text.lower())
        if not words or (field is not None and field not in self.columns):
            return "0"
        if phrase and len(words) > 1:
            against = '"' + " ".join(words) + '"'
            return self.scored(field, against, r"\b" + r"\W+".join(words) + r"\b")
        # A term the analyzer splits (such as "title:cooking" escaped) is its
        # words, any of which may match (Lucene's default since 4.0).
        parts = [self.scored(field, word, rf"\b{word}\b") for word in words[:-1]]
        last = words[-1]
        if prefix:
            parts.append(self.scored(field, last + "*", r"\b" + last))
        else:
            parts.append(self.scored(field, last, rf"\b{last}\b"))
        return parts[0] if len(parts) == 1 else "(" + " + ".join(parts) + ")"

    def scored(self, field, against, pattern):
        score = (
            f"MATCH ({self.match_cols}) AGAINST ({quote_string(against)} "
            "IN BOOLEAN MODE)"
        )
        if field is None:
            return score
        return f"({score} * ({quote_ident(field)} REGEXP {quote_string(pattern)}))"


def _combine(clauses):
    if len(clauses) == 1 and clauses[0][0] == "":
        return clauses[0][1]
    scored = [sql for occur, sql in clauses if occur != "-"]
    if not scored:
        return "0"
    misses = [f"({sql}) > 0" for occur, sql in clauses if occur == "-"]
    misses += [f"({sql}) = 0" for occur, sql in clauses if occur == "+"]
    total = " + ".join(f"({sql})" for sql in scored)
    if not misses:
        return f"({total})"
    return f"(CASE WHEN {' OR '.join(misses)} THEN 0 ELSE {total} END)"


def score_sql(text, columns):
    """The MariaDB score expression of the Lucene query ``text``."""
    translator = _Translator(_lex(text), columns)
    return translator.query(None)


def highlight_words(text):
    """The words HIGHLIGHT marks: those of every clause not excluded."""
    words, depth_skipped, skip_next = [], None, False
    depth = 0
    for kind, value in _lex(text):
        if kind == "(":
            depth += 1
            if skip_next and depth_skipped is None:
                depth_skipped, skip_next = depth, False
            continue
        if kind == ")":
            if depth == depth_skipped:
                depth_skipped = None
            depth -= 1
            continue
        if kind == "mod":
            skip_next = value == "-"
            continue
        if kind in ("op", "field") or depth_skipped is not None:
            continue
        if not skip_next:
            found = value[0] if kind == "term" else value
            words.extend(w for w in _WORD.findall(found.lower()) if w not in words)
        skip_next = False
    return words
