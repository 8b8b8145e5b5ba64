"""One-time links have a purpose: signing in (``serve``'s link) or choosing a password (an
administrator's invitation). Existing links are sign-in links."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("web", "0002_inbox_index")]

    operations = [
        migrations.AddField(
            model_name="logintoken",
            name="purpose",
            field=models.CharField(default="login", max_length=10),
        ),
    ]
