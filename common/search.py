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
  ``"compound__name"``: matched inside those tables first (through their own ``search_bigrams``
  index when the column is in their ``SEARCH_TEXT``: neighbourhoods, compounds, buildings,
  groups; else ``icontains``), then by key (``compound_id = ANY(ARRAY(…))``, which the
  planner answers with the key's index); a plain column name (``"name"``) is matched in place
  (for models that are small tables).
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


class AnyOf(Func):
    """``column = ANY(ARRAY(subquery))``: like ``IN (subquery)``, but PostgreSQL runs the subquery
    once (an InitPlan) and can then use the column's index, and combine it with the other ways
    a row matches (a BitmapOr of index scans) instead of testing every row of the table."""

    arg_joiner = " = ANY(ARRAY"
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


def _matching_keys(model, lookup: str, q: str):
    """The pks of ``model`` rows whose ``lookup`` (``"compound__name"``) contains every term of ``q``.

    Each hop is a key matched against the next table's matching keys, and the last table is
    matched through its own character-pair index when it has one (places, applications), so
    "buildings of the compounds named 和平…" is three index lookups, never a scan of a join.
    """
    first, _sep, rest = lookup.partition("__")
    if rest:
        field = model._meta.get_field(first)
        inner = _matching_keys(field.related_model, rest, q)
        return model.objects.filter(AnyOf(models.F(field.attname), inner.order_by().values("pk")))
    indexed = text_condition(model, q) if first in getattr(model, "SEARCH_TEXT", ()) else None
    if indexed is not None:
        return model.objects.filter(indexed)
    condition = Q()
    for term in q.split():
        condition &= Q(**{f"{first}__icontains": term})
    return model.objects.filter(condition)


def related_condition(model, q: str) -> Q:
    """``SEARCH_RELATED`` lookups, each matched inside its (small, indexed) table first, then by key."""
    condition = Q()
    done = set()
    for lookup in getattr(model, "SEARCH_RELATED", ()):
        first, _sep, rest = lookup.partition("__")
        if not rest:
            # A column of the model itself (a small table: people, units).
            for term in q.split():
                condition |= Q(**{f"{first}__icontains": term})
            continue
        field = model._meta.get_field(first)
        inner = _matching_keys(field.related_model, rest, q)
        # Two columns of one indexed table (compound__name, compound__address) are one lookup:
        # its index covers all its SEARCH_TEXT columns.
        prefix, _sep, column = lookup.rpartition("__")
        if column in getattr(_last_model(model, lookup), "SEARCH_TEXT", ()):
            if prefix in done:
                continue
            done.add(prefix)
        condition |= Q(AnyOf(models.F(field.attname), inner.order_by().values("pk")))
    return condition


def _last_model(model, lookup: str):
    for name in lookup.split("__")[:-1]:
        model = model._meta.get_field(name).related_model
    return model


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
