"""An index for the inbox's newest-first page of open cases (member, opened_at, id), so a page
is an index walk instead of a sort of every case. Plain SQL: the core models stay untouched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("web", "0001_initial"), ("core", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS web_case_member_opened "
            "ON core_case (member_id, opened_at, id)",
            "DROP INDEX IF EXISTS web_case_member_opened",
        ),
    ]
