from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "generator.web"
    label = "vanban"
    verbose_name = "vanban"
    default_auto_field = "django.db.models.BigAutoField"
