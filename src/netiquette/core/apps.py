from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "netiquette.core"
    label = "core"
    verbose_name = "netiquette"
    default_auto_field = "django.db.models.BigAutoField"
