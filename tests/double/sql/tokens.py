"""A small SQL tokenizer and a parenthesis tree over its tokens.

It knows what can hide SQL-looking text (string literals, backtick
identifiers, comments) and SingleStore's extra operators (`:>`, `!:>`,
`::`, `::$`, `::%`, `<*>`, `<->`), which is all the rewriters need: they
work on the token tree and render it back, so text they do not touch comes
out byte for byte as it went in.
"""

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>--[ \t][^\n]*|--$|--\n|\#[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<str>'(?:[^'\\]|\\.|'')*(?:'|\Z)|"(?:[^"\\]|\\.|"")*(?:"|\Z))
  | (?P<ident>`(?:[^`]|``)*(?:`|\Z))
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![A-Za-z_$]))
  | (?P<word>[A-Za-z0-9_$@\x80-\uffff]+)
  | (?P<op>!:>|:>|::\$|::%|::|<\*>|<->|->>|->|<=>|<=|>=|<>|!=|:=|\|\||&&|<<|>>)
  | (?P<punct>[(),;.])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class Tok:
    kind: str
    text: str

    @property
    def upper(self):
        return self.text.upper()

    def is_word(self, *words):
        return self.kind == "word" and self.text.upper() in words


@dataclass
class Group:
    """A parenthesised run of items: `(`, the items, `)`."""

    items: list = field(default_factory=list)
    closed: bool = True

    kind = "group"
    text = ""
    upper = ""

    def is_word(self, *words):
        return False


def tokenize(sql):
    return [Tok(m.lastgroup, m.group()) for m in _TOKEN.finditer(sql)]


def tree(tokens):
    """Nest the tokens on parentheses; an unbalanced `)` stays a plain token."""
    root = []
    stack = [root]
    for tok in tokens:
        if tok.kind == "punct" and tok.text == "(":
            group = Group(closed=False)
            stack[-1].append(group)
            stack.append(group.items)
        elif tok.kind == "punct" and tok.text == ")" and len(stack) > 1:
            stack.pop()
            stack[-1][-1].closed = True
        else:
            stack[-1].append(tok)
    return root


def parse(sql):
    return tree(tokenize(sql))


def render(items):
    out = []
    for item in items:
        if isinstance(item, Group):
            out.append("(" + render(item.items) + (")" if item.closed else ""))
        else:
            out.append(item.text)
    return "".join(out)


def significant(items):
    """The items that are not whitespace or comments."""
    return [i for i in items if i.kind not in ("ws", "comment")]


def split_commas(items):
    """Split a group's items on its top-level commas."""
    parts = [[]]
    for item in items:
        if item.kind == "punct" and item.text == ",":
            parts.append([])
        else:
            parts[-1].append(item)
    return parts


def strip(items):
    """Drop leading and trailing whitespace and comments."""
    start, end = 0, len(items)
    while start < end and items[start].kind in ("ws", "comment"):
        start += 1
    while end > start and items[end - 1].kind in ("ws", "comment"):
        end -= 1
    return items[start:end]


def unquote_ident(text):
    if text.startswith("`"):
        return text[1:-1].replace("``", "`")
    return text


def quote_ident(name):
    return "`" + name.replace("`", "``") + "`"


_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


def string_value(text):
    """The value of a quoted string literal token."""
    quote = text[0]
    body = text[1:-1]
    out = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
        elif ch == quote and body[i + 1 : i + 2] == quote:
            out.append(quote)
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def quote_string(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
