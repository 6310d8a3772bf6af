from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "generator.web.progress"
    label = "progress"
    verbose_name = "progress"
    default_auto_field = "django.db.models.BigAutoField"
