"""Drop the indexes that only repeat the first column of another index or unique constraint
(the member's own index on most tables, and the name key's own on people): an import adds
rows to every index, and the longer ones serve the same look-ups.

The indexes are dropped by what they index, as the database lists them (their names are
Django's, and PostgreSQL keeps a second ``_like`` index for a text column), not by
altering the fields: on SQLite that would rebuild each table, and a rebuild of core_case
would lose the web app's own index on it (``web_case_member_opened``)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

#: table -> columns whose single-column, non-unique indexes go
DROPPED = {
    "core_action": ["member_id"],
    "core_case": ["member_id"],
    "core_emailaddress": ["member_id"],
    "core_invitation": ["member_id"],
    "core_message": ["member_id"],
    "core_person": ["member_id", "name_key"],
}


def _model(apps, table):
    return next(m for m in apps.get_app_config("core").get_models()
                if m._meta.db_table == table)


def drop_indexes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table, columns in DROPPED.items():
            found = connection.introspection.get_constraints(cursor, table)
            for name, info in sorted(found.items()):
                if (info["index"] and not info["unique"] and not info["primary_key"]
                        and len(info["columns"]) == 1 and info["columns"][0] in columns):
                    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def create_indexes(apps, schema_editor):
    """Back: each column's own index again, named as Django names it (on PostgreSQL without
    the name key's second ``_like`` index, which no query here can use: names are searched
    for anywhere in them)."""
    for table, columns in DROPPED.items():
        model = _model(apps, table)
        for column in columns:
            field = next(f for f in model._meta.local_fields if f.column == column)
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


def _member(related_name=None):
    return models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                             related_name=related_name, to=settings.AUTH_USER_MODEL)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_thread"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
            state_operations=[
                migrations.AlterField(model_name="action", name="member", field=_member()),
                migrations.AlterField(model_name="case", name="member",
                                      field=_member("cases")),
                migrations.AlterField(model_name="emailaddress", name="member",
                                      field=_member()),
                migrations.AlterField(model_name="invitation", name="member",
                                      field=_member("invitations")),
                migrations.AlterField(model_name="message", name="member", field=_member()),
                migrations.AlterField(model_name="person", name="member",
                                      field=_member("people")),
                migrations.AlterField(model_name="person", name="name_key",
                                      field=models.CharField(default="", max_length=300)),
            ],
        ),
    ]
