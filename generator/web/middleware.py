"""A Content-Security-Policy header on every answer (a small middleware rather than django-csp:
one fixed policy needs no per-view configuration, and Django 5.2 has none built in)."""

from django.conf import settings
from django.utils import translation


class ContentSecurityPolicy:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.VANBAN_CSP)
        return response


class Language:
    """Vietnamese unless the user chose otherwise (the language form sets a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most office computers
    run an English browser: the application must still open in Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        lang = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response
