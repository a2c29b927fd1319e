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

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.db import models
from django.db.models import Func, Q

# Longer queries are cut: nobody types a paragraph into a search box, and every character
# adds a term to the index lookup.
MAX_QUERY_LENGTH = 50
# ``search_ways``: at most this many matched places are written into a query as keys.
MAX_LISTED_KEYS = 300
# How long a place table's matches for a word stay cached (a new generation retires them first).
CACHED_MATCHES_SECONDS = 3600
# The matched keys already read in this ``shared_matches()`` block, by (model, column, query).
_shared: ContextVar[dict | None] = ContextVar("search_shared_matches", default=None)


@contextmanager
def shared_matches(stamps: dict[str, str] | None = None):
    """Within the block, each small table's matches are read once for every section that
    searches through it (applications, groups, requests and campaigns all match by compound).

    ``stamps``: for the tables named (by model label), the current generation of their rows,
    bumped on every change (the place tree's page-cache generation): their matches are also
    kept in Django's cache under it, so the next search for the same word (any reader: the
    keys are of the whole table; scope is applied by the query that uses them) reads none of
    them, on every node, and a renamed place is never matched by its old name."""
    token = _shared.set({"": stamps or {}})
    try:
        yield
    finally:
        _shared.reset(token)


def _listed(model, column: str, q: str, condition) -> list:
    """Up to ``MAX_LISTED_KEYS + 1`` keys of ``model`` rows matching (once per ``shared_matches``)."""
    shared = _shared.get()
    key = (model._meta.label, column, q)
    if shared is not None and key in shared:
        return shared[key]
    stamp = shared[""].get(model._meta.label) if shared is not None and column else None
    cache_key = f"search:keys:{model._meta.label}:{column}:{stamp}:{hashlib.sha256(q.encode()).hexdigest()}"
    found = cache.get(cache_key) if stamp else None
    if found is None:
        found = list(model.objects.filter(condition).order_by().values_list("pk", flat=True)[: MAX_LISTED_KEYS + 1])
        if stamp:
            cache.set(cache_key, found, CACHED_MATCHES_SECONDS)
    if shared is not None:
        shared[key] = found
    return found


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
    match = Q(BigramMatch(models.F(f"{prefix}search_bigrams"), models.Value(tsquery_text(pieces))))
    if all(len(term) <= 2 for term in q.split()):
        # A term of one or two characters is one piece of the column: the index's answer is
        # already exact (no piece spans two columns: those with a space are left out). Without
        # the recheck the planner also keeps the index's estimate of how many rows match,
        # where a LIKE made it guess a handful (电梯: 6,400 of 50,000 requests).
        return match
    exact = Q()
    for term in q.split():
        # Every whitespace-separated term must appear in one of the columns, as typed.
        one = Q()
        for column in columns:
            one |= Q(**{f"{prefix}{column}__icontains": term})
        exact &= one
    return match & exact


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


def search_ways(model, q) -> list[Q]:
    """The ways a row of ``model`` can contain ``q``, each one condition that PostgreSQL answers
    from one index (for ``first_matches``): its own text through its character-pair index; each
    ``SEARCH_RELATED`` lookup as the key of the *matched* table on the join path
    (``group__building__compound_id = ANY(compounds named …)``), so the plan starts from the few
    matched places and walks down their foreign-key indexes instead of carrying every key below
    them (a district's 125 compounds named 和平 are 2,500 groups) in an array; its plain columns
    (small tables) together. An empty query has none."""
    q = clean_query(q)
    if not q:
        return []
    ways = []
    indexed = text_condition(model, q)
    if indexed is not None:
        # The rows' own text, the same way: a few hundred matches at most are listed by key
        # (the planner's guess from a character pair is far off either way); more, and the
        # newest-first walk meets enough of them at once.
        found = _listed(model, "", q, indexed)
        if len(found) > MAX_LISTED_KEYS:
            # As a semi-join on the key: the planner then never walks the scope's joins once
            # per matching row.
            ways.append(Q(pk__in=model.objects.filter(indexed).values("pk")))
        elif found:
            ways.append(Q(pk__in=found))
    plain = Q()
    done = set()
    for lookup in getattr(model, "SEARCH_RELATED", ()):
        prefix, _sep, column = lookup.rpartition("__")
        if not prefix:
            for term in q.split():
                plain |= Q(**{f"{column}__icontains": term})
            continue
        last = _last_model(model, lookup)
        if column in getattr(last, "SEARCH_TEXT", ()):
            if prefix in done:
                continue
            done.add(prefix)
        # The last hop's key, read on the join path: compound_id of the group's building.
        path, _sep, hop = prefix.rpartition("__")
        attname = _last_model(model, prefix)._meta.get_field(hop).attname
        key = f"{path}__{attname}" if path else attname
        inner = _matching_keys(last, column, q).order_by().values_list("pk", flat=True)
        # The matched places first (small tables, their own index): none, no way; a few, their
        # keys written into the query, so the planner knows how many; very many (a word in
        # every compound's name), left to a subquery: newest-first is then the cheap plan.
        keys = _listed(last, column, q, Q(pk__in=inner))
        if not keys:
            continue
        if len(keys) <= MAX_LISTED_KEYS:
            ways.append(Q(**{f"{key}__in": keys}))
        else:
            ways.append(Q(AnyOf(models.F(key), inner)))
    if plain:
        ways.append(plain)
    return ways


def first_matches(queryset, q, count: int, *, extra: Q | None = None) -> list[int]:
    """The keys of the ``count`` newest rows (highest key) of ``queryset`` containing ``q``, in
    one query: a ``UNION`` of one bounded query per way a row can match (``search_ways``, and
    ``extra``), each ``ORDER BY pk DESC LIMIT count`` on its own index. A common word such as
    和平 matches thousands of rows through their places; this reads ``count`` of each way
    instead of all of them, and never rechecks a row against an array of thousands of keys."""
    ways = search_ways(queryset.model, q)
    if extra is not None:
        ways.append(extra)
    if not ways:
        return []
    base = queryset.order_by().select_related(None)
    parts = [base.filter(way).order_by("-pk").values_list("pk", flat=True)[:count] for way in ways]
    found = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    return sorted(set(found), reverse=True)[:count]
