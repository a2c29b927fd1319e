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
from functools import partial
from typing import NamedTuple

import django
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, models
from django.db.models import Expression, Func, Q

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
    """Up to ``MAX_LISTED_KEYS + 1`` keys of ``model`` rows matching ``condition()`` (once per
    ``shared_matches``)."""
    shared = _shared.get()
    key = (model._meta.label, column, q)
    if shared is not None and key in shared:
        return shared[key]
    stamp = shared[""].get(model._meta.label) if shared is not None and column else None
    cache_key = f"search:keys:{model._meta.label}:{column}:{stamp}:{hashlib.sha256(q.encode()).hexdigest()}"
    found = cache.get(cache_key) if stamp else None
    if found is None:
        found = list(model.objects.filter(condition()).order_by().values_list("pk", flat=True)[: MAX_LISTED_KEYS + 1])
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


class _Slot:
    """A value of a compiled section query, filled in at each execution (``first_matches``)."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


# Set while ``first_matches`` compiles a section's query once for its shape, to the list its
# ways' values were collected in: each ``_Match`` of those ways then writes a slot where its
# value goes, so the text is the same for every word (any other ``_Match``, e.g. in the
# scope, keeps its value in the text, and so in the shape's key).
_compiling_shape: ContextVar[list | None] = ContextVar("search_compiling_shape", default=None)


class _Match(Expression):
    """``template`` around one column with one value: ``"%(column)s @@ %%s::tsquery"``.

    The value is a plain parameter, except inside ``first_matches``' one compilation per shape
    (a slot, see ``_compiling_shape``). ``values`` collects the values in the order the
    expressions were made, which is the order of their slots."""

    output_field = models.BooleanField()

    def __init__(self, column: str, template: str, value, values: list):
        super().__init__()
        self.column = models.F(column)
        self.template = template
        self.value = value
        self.index = len(values)
        self.values = values
        values.append(value)

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        sql, params = compiler.compile(self.column)
        value = _Slot(self.index) if _compiling_shape.get() is self.values else self.value
        return self.template % {"column": sql}, [*params, value]


_TSQUERY = "(%(column)s @@ %%s::tsquery)"
_CONTAINS = "UPPER(%(column)s::text) LIKE UPPER(%%s)"
_ANY = "%(column)s = ANY(%%s)"


def _contains(column: str, term: str, values: list) -> _Match:
    """``column__icontains=term``, as Django writes it for PostgreSQL."""
    return _Match(column, _CONTAINS, f"%{connection.ops.prep_for_like_query(term)}%", values)


def text_condition(model, q: str, prefix: str = "", values: list | None = None) -> Q | None:
    """The indexed match of ``q`` in ``model``'s own ``SEARCH_TEXT`` (None if it has none).

    ``values``: where ``first_matches`` collects the values of its slots (see ``_Match``)."""
    values = [] if values is None else values
    q = clean_query(q)
    columns = getattr(model, "SEARCH_TEXT", ())
    pieces = query_pieces(q)
    if not columns or not pieces:
        return None
    match = Q(_Match(f"{prefix}search_bigrams", _TSQUERY, tsquery_text(pieces), values))
    if _exact_from_index(q):
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
            one |= Q(_contains(f"{prefix}{column}", term, values))
        exact &= one
    return match & exact


def _exact_from_index(q: str) -> bool:
    return all(len(term) <= 2 for term in q.split())


def _dense_text(model, q: str, values: list) -> Q:
    """``text_condition`` for a phrase found in hundreds of rows or more, written so that the
    planner sees how many: one character pair per term in the index lookup (a common phrase's
    pairs come together: 三部电梯's three pairs are each in the same 6,400 of 50,000 requests,
    and their product made PostgreSQL expect 101 and read and recheck all 6,400 before the
    newest ten), and the exact recheck as ``strpos`` (a LIKE's guess is a handful of rows;
    ``strpos`` is left at a third). The plan is then the newest-first walk of the key, which
    meets ten matches within a few hundred rows. Same rows as ``text_condition``."""
    q = clean_query(q)
    columns = model.SEARCH_TEXT
    terms = q.split()
    pieces = []
    for term in terms:
        piece = query_pieces(term)[0]
        if piece not in pieces:
            pieces.append(piece)
    condition = Q(_Match("search_bigrams", _TSQUERY, tsquery_text(pieces), values))
    for term in terms:
        if len(term) <= 2:
            continue  # the piece is the term: exact from the index
        one = Q()
        for column in columns:
            one |= Q(_Match(column, "strpos(UPPER(%(column)s::text), UPPER(%%s)) > 0", term, values))
        condition &= one
    return condition


def _text_shape(q: str) -> tuple:
    """What decides the text of ``text_condition``'s SQL (not the words themselves)."""
    return ("exact",) if _exact_from_index(q) else ("recheck", len(q.split()))


class AnyOf(Func):
    """``column = ANY(ARRAY(subquery))``: like ``IN (subquery)``, but PostgreSQL runs the subquery
    once (an InitPlan) and can then use the column's index, and combine it with the other ways
    a row matches (a BitmapOr of index scans) instead of testing every row of the table."""

    arg_joiner = " = ANY(ARRAY"
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


class _Related(NamedTuple):
    """One ``SEARCH_RELATED`` lookup through other tables, as both searches join it."""

    first: str  # the model's own foreign key: "group"
    rest: str  # the lookup past it: "building__compound__name"
    key: str  # the last table's key on the join path: "group__building__compound_id"
    model: type  # the last table: Compound
    column: str  # its column: "name"


def _related_lookups(model) -> tuple[tuple[_Related, ...], tuple[str, ...]]:
    """The one walk over ``model.SEARCH_RELATED`` (for ``search_filter`` and ``search_ways``):
    the lookups through other tables, one per table whose character-pair index covers all the
    columns named (compound__name and compound__address are one lookup), and the model's own
    plain columns (small tables: people, units)."""
    found = _RELATED.get(model)
    if found is not None:
        return found
    through, plain, done = [], [], set()
    for lookup in getattr(model, "SEARCH_RELATED", ()):
        prefix, _sep, column = lookup.rpartition("__")
        if not prefix:
            plain.append(column)
            continue
        last = _last_model(model, lookup)
        if column in getattr(last, "SEARCH_TEXT", ()):
            if prefix in done:
                continue
            done.add(prefix)
        path, _sep, hop = prefix.rpartition("__")
        attname = _last_model(model, prefix)._meta.get_field(hop).attname
        first, _sep, rest = lookup.partition("__")
        through.append(_Related(first, rest, f"{path}__{attname}" if path else attname, last, column))
    found = _RELATED[model] = (tuple(through), tuple(plain))
    return found


_RELATED: dict = {}


def _column_condition(model, column: str, q: str, values: list) -> Q:
    """Rows of ``model`` whose ``column`` contains every term of ``q``: through the table's
    character-pair index when the column is one of its ``SEARCH_TEXT``, else ``icontains``."""
    indexed = text_condition(model, q, values=values) if column in getattr(model, "SEARCH_TEXT", ()) else None
    if indexed is not None:
        return indexed
    condition = Q()
    for term in q.split():
        condition &= Q(_contains(column, term, values))
    return condition


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
    return model.objects.filter(_column_condition(model, first, q, []))


def related_condition(model, q: str) -> Q:
    """``SEARCH_RELATED`` lookups, each matched inside its (small, indexed) table first, then by key."""
    through, plain = _related_lookups(model)
    condition = Q()
    for column in plain:
        for term in q.split():
            condition |= Q(**{f"{column}__icontains": term})
    for related in through:
        field = model._meta.get_field(related.first)
        inner = _matching_keys(field.related_model, related.rest, q)
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


def search_ways(model, q, values: list | None = None) -> list[tuple[tuple, Q]]:
    """The ways a row of ``model`` can contain ``q``, each ``(shape, condition)``: one condition
    that PostgreSQL answers from one index (for ``first_matches``): its own text through its
    character-pair index; each ``SEARCH_RELATED`` lookup as the key of the *matched* table on
    the join path (``group__building__compound_id = ANY(compounds named …)``), so the plan
    starts from the few matched places and walks down their foreign-key indexes instead of
    carrying every key below them (a district's 125 compounds named 和平 are 2,500 groups) in
    an array; its plain columns (small tables) together. An empty query has none.

    ``shape`` is what decides the condition's SQL text (not the word, nor the keys): the
    values go to ``values``, in the order of their slots (see ``_Match``)."""
    values = [] if values is None else values
    q = clean_query(q)
    if not q:
        return []
    ways = []
    if text_condition(model, q) is not None:
        # The rows' own text, the same way: a few hundred matches at most are listed by key
        # (the planner's guess from a character pair is far off either way); more, and the
        # newest-first walk meets enough of them at once.
        found = _listed(model, "", q, lambda: text_condition(model, q))
        if len(found) > MAX_LISTED_KEYS:
            # Hundreds of rows or more: walked newest first, in place (``_dense_text``).
            # Its text has a recheck for each term longer than a pair, none for the others.
            rechecked = tuple(len(term) > 2 for term in clean_query(q).split())
            ways.append((("dense", rechecked), _dense_text(model, q, values)))
        elif found:
            ways.append((("text-keys",), Q(_Match("pk", _ANY, found, values))))
    through, plain = _related_lookups(model)
    for related in through:
        # The matched places first (small tables, their own index): none, no way; a few, their
        # keys written into the query, so the planner knows how many; very many (a word in
        # every compound's name), left to a subquery: newest-first is then the cheap plan.
        last, column = related.model, related.column
        keys = _listed(last, column, q, partial(_column_condition, last, column, q, []))
        if not keys:
            continue
        if len(keys) <= MAX_LISTED_KEYS:
            ways.append((("keys", related.key), Q(_Match(related.key, _ANY, keys, values))))
        else:
            inner = last.objects.filter(_column_condition(last, column, q, values)).order_by().values_list("pk")
            ways.append((("any", related.key, column, _text_shape(q)), Q(AnyOf(models.F(related.key), inner))))
    if plain:
        condition = Q()
        for term in q.split():
            for column in plain:
                condition |= Q(_contains(column, term, values))
        ways.append((("plain", len(q.split())), condition))
    return ways


def first_matches(queryset, q, count: int, *, extra: Q | None = None, number: int | None = None) -> list[int]:
    """The keys of the ``count`` newest rows (highest key) of ``queryset`` containing ``q``, in
    one query: a ``UNION`` of one bounded query per way a row can match (``search_ways``, the
    row numbered ``number``, and ``extra``), each ``ORDER BY pk DESC LIMIT count`` on its own
    index. A common word such as 和平 matches thousands of rows through their places; this reads
    ``count`` of each way instead of all of them, and never rechecks a row against an array of
    thousands of keys.

    The query's text depends only on the reader's scope and which ways there are, not on the
    word: it is compiled once per such shape and kept in Django's cache (``_section_sql``), and
    each search only fills in its values (``extra``, an arbitrary condition, is compiled every
    time)."""
    values: list = []
    ways = search_ways(queryset.model, q, values)
    if number is not None:
        ways.append((("number",), Q(_Match("pk", "%(column)s = %%s", number, values))))
    if extra is not None:
        ways.append((None, extra))
    if not ways or queryset.query.is_empty():
        return []
    base = queryset.order_by().select_related(None)

    def union():
        parts = [base.filter(way).order_by("-pk").values_list("pk", flat=True)[:count] for _shape, way in ways]
        return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]

    if extra is not None:
        found = set(union())
    else:
        try:
            sql, params = _section_sql(base, tuple(shape for shape, _way in ways), count, union, values)
        except EmptyResultSet:
            # A scope that can hold nothing (``street_id__in=[]``): as the ORM answers it.
            return []
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            found = {row[0] for row in cursor.fetchall()}
    return sorted(found, reverse=True)[:count]


# Bump when the SQL that ``search_ways`` writes for a shape changes (the cached texts go).
SQL_VERSION = 1
# How long a compiled section query is kept (it never goes stale: its key holds all it depends on).
CACHED_SQL_SECONDS = 24 * 3600


def _section_sql(base, shapes: tuple, count: int, union, values: list) -> tuple[str, list]:
    """The SQL of ``union()`` and its parameters, compiled once per shape.

    The key is the reader's scope as compiled SQL with its parameters (what ``base`` is: the
    reader's streets, their own key), the ways' shapes and ``count``: two readers of the same
    scope share it, and a change of scope is another key (nothing to invalidate). On a miss the
    query is compiled with a slot for each value (``_compiling_shape``), and those are filled in
    from ``values`` on every search."""
    scope_sql, scope_params = base.values_list("pk").query.sql_with_params()
    shape = repr((SQL_VERSION, django.VERSION, base.model._meta.label, scope_sql, scope_params, shapes, count))
    key = f"search:sql:{hashlib.sha256(shape.encode()).hexdigest()}"
    compiled = cache.get(key)
    if compiled is None:
        token = _compiling_shape.set(values)
        try:
            sql, params = union().query.sql_with_params()
        finally:
            _compiling_shape.reset(token)
        slots = [(at, param.index) for at, param in enumerate(params) if isinstance(param, _Slot)]
        if sorted(index for _at, index in slots) != list(range(len(values))):
            # A value written into the text instead of its slot (an expression copied out of
            # reach of ``_compiling_shape``): that text is this word's alone, never kept.
            return union().query.sql_with_params()
        literal = [None if isinstance(param, _Slot) else param for param in params]
        compiled = (sql, literal, slots)
        cache.set(key, compiled, CACHED_SQL_SECONDS)
    sql, literal, slots = compiled
    params = list(literal)
    for at, index in slots:
        params[at] = values[index]
    return sql, params
