"""SQLite's full-text index of offerings (FTS5, with Porter stemming). PostgreSQL searches the
table itself with its own full-text search, so it needs nothing here."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS catalogue_offering_fts "
        "USING fts5(title, summary, description, provider, tokenize='porter unicode61')"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS catalogue_offering_fts")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
