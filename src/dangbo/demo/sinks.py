"""Writers that load generated rows in bulk.

A row is a dict of attribute names (``person_id``, not ``person``) to values; fields left out
take their model default, and auto_now timestamps are filled in. The generator gives every row
its primary key itself, so nothing is read back; ``reset_sequences`` then moves the database's
id counters past them.

- ``OrmSink``: Django's ``bulk_create``, any database (the demo uses it).
- ``SqliteSink``: one ``executemany`` per table, several times faster than ``bulk_create``,
  whose batches SQLite limits to 999 parameters.
- ``CopySink``: PostgreSQL ``COPY ... FROM STDIN`` through psycopg, the fastest way in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

Row = dict[str, Any]


class Sink:
    """Writes lists of rows, each list to one table."""

    def write(self, model: type[models.Model], rows: Sequence[Row]) -> None:
        raise NotImplementedError


class OrmSink(Sink):
    def __init__(self, batch_size: int = 2000) -> None:
        self.batch_size = batch_size

    def write(self, model: type[models.Model], rows: Sequence[Row]) -> None:
        if rows:
            model._default_manager.bulk_create(
                [model(**row) for row in rows], batch_size=self.batch_size
            )


@dataclass(frozen=True)
class _Layout:
    """A table's columns, and how to fill what a row leaves out."""

    table: str
    columns: list[str]
    attnames: list[str]
    defaults: list[Any]
    stamps: list[int]  # auto_now / auto_now_add columns
    dates: list[int]  # date and datetime columns


def _layout(model: type[models.Model]) -> _Layout:
    fields = model._meta.concrete_fields
    return _Layout(
        table=model._meta.db_table,
        columns=[str(f.column) for f in fields],
        attnames=[f.attname for f in fields],
        defaults=[f.get_default() for f in fields],
        stamps=[
            i
            for i, f in enumerate(fields)
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
        ],
        dates=[i for i, f in enumerate(fields) if isinstance(f, models.DateField)],
    )


class _RowSink(Sink):
    """Shared row extraction for the raw writers: values in column order."""

    def __init__(self) -> None:
        self._layouts: dict[type[models.Model], _Layout] = {}

    def layout(self, model: type[models.Model]) -> _Layout:
        if model not in self._layouts:
            self._layouts[model] = _layout(model)
        return self._layouts[model]

    def values(self, layout: _Layout, rows: Sequence[Row], now: Any) -> list[list[Any]]:
        attnames, defaults = layout.attnames, layout.defaults
        pairs = list(zip(attnames, defaults, strict=True))
        result = []
        for row in rows:
            values = [row.get(name, default) for name, default in pairs]
            for index in layout.stamps:
                if values[index] is None:
                    values[index] = now
            result.append(values)
        return result


class SqliteSink(_RowSink):
    def write(self, model: type[models.Model], rows: Sequence[Row]) -> None:
        if not rows:
            return
        layout = self.layout(model)
        ops = connection.ops
        values = self.values(layout, rows, now=ops.adapt_datetimefield_value(timezone.now()))
        # Dates are stored as ISO text, as Django's SQLite backend does.
        for index in layout.dates:
            if index in layout.stamps:
                continue
            for row in values:
                value = row[index]
                if isinstance(value, dt.datetime):
                    row[index] = ops.adapt_datetimefield_value(value)
                elif value is not None:
                    row[index] = value.isoformat()
        names = ", ".join(ops.quote_name(c) for c in layout.columns)
        marks = ", ".join("?" for _ in layout.columns)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ops.quote_name(layout.table)} ({names}) VALUES ({marks})", values
            )


class CopySink(_RowSink):
    def write(self, model: type[models.Model], rows: Sequence[Row]) -> None:
        if not rows:
            return
        layout = self.layout(model)
        ops = connection.ops
        names = ", ".join(ops.quote_name(c) for c in layout.columns)
        with connection.cursor() as wrapper:
            raw = wrapper.cursor  # the psycopg cursor under Django's wrapper
            sql = f"COPY {ops.quote_name(layout.table)} ({names}) FROM STDIN"
            with raw.copy(sql) as copy:
                for values in self.values(layout, rows, now=timezone.now()):
                    copy.write_row(values)


def as_row(instance: models.Model) -> Row:
    """A model instance as a row (its concrete fields by attribute name)."""
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def make_sink(kind: str = "orm") -> Sink:
    """``orm`` (bulk_create) or ``fast`` (COPY on PostgreSQL, executemany on SQLite)."""
    if kind == "orm":
        return OrmSink()
    if connection.vendor == "postgresql":
        return CopySink()
    if connection.vendor == "sqlite":
        return SqliteSink()
    return OrmSink()


def next_ids(model_list: Sequence[type[models.Model]]) -> dict[type[models.Model], int]:
    """The first free primary key of each table."""
    return {
        model: (model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        for model in model_list
    }


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """Move the id sequences past the rows written with explicit ids (PostgreSQL needs it)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
