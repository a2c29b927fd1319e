"""Substring search in Chinese, backed by an index: one function, ``search_filter(queryset, q)``.

Chinese has no spaces between words, so full-text parsers see a sentence as one word, and
``pg_trgm`` cannot index a two-character query such as 电梯. Instead every searchable row keeps
a ``search_bigrams`` column: its text cut into every pair of neighbouring characters plus every
single character (三部电梯 → 三部 部电 电梯 梯 三 部 电 梯), as a ``simple`` ``tsvector`` computed
by PostgreSQL (the SQL function ``cjk_bigrams``, a generated column, so it is current on every
write, bulk inserts and the admin included) and indexed with GIN. A query is cut the same way
and every piece must be present (``电梯`` → ``'电梯'``; ``电梯罢工`` → ``'电梯' & '梯罢' & '罢工'``),
which the index answers; the few rows whose pieces are present but not next to each other are
then dropped by an exact ``icontains`` recheck on the rows the index found.

A model opts in with two class attributes:

- ``SEARCH_TEXT``: its own text columns that ``search_bigrams`` is made of (indexed);
- ``SEARCH_RELATED``: lookups through foreign keys into small tables (places, people), e.g.
  ``"compound__name"``: matched with ``icontains`` inside those tables first, then joined by key;
  a plain column name (``"name"``) is matched in place (for models that are small tables).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Func, Q

# Longer queries are cut: nobody types a paragraph into a search box, and every character
# adds a term to the index lookup.
MAX_QUERY_LENGTH = 50

CREATE_FUNCTION = r"""
CREATE OR REPLACE FUNCTION cjk_bigrams(VARIADIC parts text[]) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT piece)), ''::tsvector)
  FROM (SELECT lower(array_to_string(parts, ' ')) AS lowered) AS source,
  LATERAL (
    SELECT substr(source.lowered, i, 2) FROM generate_series(1, char_length(source.lowered) - 1) AS i
    UNION ALL
    SELECT substr(source.lowered, i, 1) FROM generate_series(1, char_length(source.lowered)) AS i
  ) AS pieces(piece)
  WHERE piece !~ '\s'
$$;
"""
DROP_FUNCTION = "DROP FUNCTION IF EXISTS cjk_bigrams(VARIADIC text[]);"


class Bigrams(Func):
    """``cjk_bigrams(col, col, ...)``: the expression of a model's ``search_bigrams`` column."""

    function = "cjk_bigrams"
    output_field = SearchVectorField()


def bigram_field(*columns: str) -> models.GeneratedField:
    """The generated, stored ``search_bigrams`` column over ``columns`` (index it with GIN)."""
    return models.GeneratedField(
        expression=Bigrams(*[models.F(c) for c in columns]), output_field=SearchVectorField(), db_persist=True
    )


class BigramMatch(Func):
    """``search_bigrams @@ 'a' & 'b'::tsquery`` as a boolean filter."""

    arg_joiner = " @@ "
    template = "(%(expressions)s::tsquery)"
    output_field = models.BooleanField()


def clean_query(q) -> str:
    return " ".join(str(q or "").split())[:MAX_QUERY_LENGTH]


def query_pieces(q: str) -> list[str]:
    """The pieces every matching row must contain, cut like the column (bigrams; one character alone)."""
    pieces = []
    for term in q.lower().split():
        found = [term] if len(term) == 1 else [term[i : i + 2] for i in range(len(term) - 1)]
        for piece in found:
            if piece not in pieces:
                pieces.append(piece)
    return pieces


def tsquery_text(pieces: list[str]) -> str:
    quoted = ("'" + piece.replace("\\", "\\\\").replace("'", "''") + "'" for piece in pieces)
    return " & ".join(quoted)


def text_condition(model, q: str, prefix: str = "") -> Q | None:
    """The indexed match of ``q`` in ``model``'s own ``SEARCH_TEXT`` (None if it has none)."""
    q = clean_query(q)
    columns = getattr(model, "SEARCH_TEXT", ())
    pieces = query_pieces(q)
    if not columns or not pieces:
        return None
    exact = Q()
    for term in q.split():
        # Every whitespace-separated term must appear in one of the columns, as typed.
        one = Q()
        for column in columns:
            one |= Q(**{f"{prefix}{column}__icontains": term})
        exact &= one
    return Q(BigramMatch(models.F(f"{prefix}search_bigrams"), models.Value(tsquery_text(pieces)))) & exact


def related_condition(model, q: str) -> Q:
    """``SEARCH_RELATED`` lookups, each matched inside its (small) table first, then by key."""
    condition = Q()
    for lookup in getattr(model, "SEARCH_RELATED", ()):
        first, _sep, rest = lookup.partition("__")
        if not rest:
            # A column of the model itself (a small table: places, people).
            for term in q.split():
                condition |= Q(**{f"{first}__icontains": term})
            continue
        related = model._meta.get_field(first).related_model
        inner = Q()
        for term in q.split():
            inner &= Q(**{f"{rest}__icontains": term})
        condition |= Q(**{f"{first}__in": related.objects.filter(inner).values("pk")})
    return condition


def search_filter(queryset, q, *, extra: Q | None = None):
    """``queryset`` narrowed to rows containing ``q`` (a substring, in Chinese or not).

    ``extra`` adds other ways to match (for example "the group has an application titled q"),
    ORed in. An empty query returns the queryset unchanged.
    """
    q = clean_query(q)
    if not q:
        return queryset
    model = queryset.model
    condition = related_condition(model, q)
    indexed = text_condition(model, q)
    if indexed is not None:
        condition |= indexed
    if extra is not None:
        condition |= extra
    if not condition:
        return queryset.none()
    return queryset.filter(condition)
