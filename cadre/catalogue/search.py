"""Ranked full-text search of the catalogue, on PostgreSQL and on SQLite.

PostgreSQL: `to_tsvector('english', ...)` of the title (weight A), summary (B), provider (C) and
description (D), ranked with `ts_rank`. SQLite: the FTS5 index `catalogue_offering_fts` (kept in
step by `index_offering`), ranked with `bm25` using the same order of weights. Either way the words
typed are matched as whole words or prefixes ("lead" finds "leadership"), every word must match,
and what comes back is the offerings' ids, best first."""

import re

from django.db import connection

WORD = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits only: safe in both query syntaxes


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text or "")][:12]


def unindex_offering(offering_id: int) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalogue_offering_fts WHERE rowid = %s", [offering_id])


def index_offering(offering) -> None:
    """Keep SQLite's index in step with one offering (PostgreSQL needs nothing)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalogue_offering_fts WHERE rowid = %s", [offering.pk])
        cursor.execute(
            "INSERT INTO catalogue_offering_fts (rowid, title, summary, description, provider) "
            "VALUES (%s, %s, %s, %s, %s)",
            [offering.pk, offering.title, offering.summary, offering.description, offering.provider],
        )


def index_offerings(offerings) -> None:
    """`index_offering` for many offerings in two statements, for bulk loads such as the demo's."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM catalogue_offering_fts WHERE rowid = %s", [[o.pk] for o in offerings])
        cursor.executemany(
            "INSERT INTO catalogue_offering_fts (rowid, title, summary, description, provider) "
            "VALUES (%s, %s, %s, %s, %s)",
            [[o.pk, o.title, o.summary, o.description, o.provider] for o in offerings],
        )


def ranked_ids(text: str, candidates) -> list[int]:
    """The ids among `candidates` (a queryset of offerings) that match `text`, best first."""
    found = words(text)
    if not found:
        return list(candidates.values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("provider", weight="C", config="english")
            + SearchVector("description", weight="D", config="english")
        )
        query = SearchQuery(" & ".join(f"{w}:*" for w in found), search_type="raw", config="english")
        return list(
            candidates.annotate(document=vector, rank=SearchRank(vector, query))
            .filter(document=query)  # @@: every word matches
            .order_by("-rank", "title", "pk")
            .values_list("pk", flat=True)
        )
    match = " ".join(f'"{w}"*' for w in found)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM catalogue_offering_fts WHERE catalogue_offering_fts MATCH %s "
            "ORDER BY bm25(catalogue_offering_fts, 10.0, 5.0, 1.0, 2.0)",
            [match],
        )
        ordered = [row[0] for row in cursor.fetchall()]
    allowed = set(candidates.filter(pk__in=ordered).values_list("pk", flat=True))
    return [pk for pk in ordered if pk in allowed]
