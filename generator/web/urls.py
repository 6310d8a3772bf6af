from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from generator.web import views

web = (
    [
        path("", views.home, name="home"),
        path(
            "login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True), name="login"
        ),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("documents/", views.documents, name="documents"),
        path("documents/new/", views.new, name="new"),
        path("documents/import/", views.import_yaml, name="import"),
        path("documents/preview/", views.preview, name="preview"),
        path("documents/<int:pk>/", views.document, name="document"),
        path("documents/<int:pk>/edit/", views.edit, name="edit"),
        path("documents/<int:pk>/approve/", views.approve, name="approve"),
        path("documents/<int:pk>/issue/", views.issue, name="issue"),
        path("documents/<int:pk>/cancel/", views.cancel, name="cancel"),
        path("documents/<int:pk>/derive/", views.derive, name="derive"),
        path("documents/<int:pk>/download/<str:fmt>/", views.download, name="download"),
        path("documents/<int:pk>/versions/", views.versions, name="versions"),
        path("documents/<int:pk>/versions/compare/", views.compare, name="compare"),
        path("documents/<int:pk>/versions/<int:n>/", views.version, name="version"),
        path("documents/<int:pk>/versions/<int:n>/restore/", views.restore, name="restore"),
        path("register/", views.register, name="register"),
        path("register.xlsx", views.register_xlsx, name="register_xlsx"),
        path("audit/", views.audit_log, name="audit"),
    ],
    "web",
)

urlpatterns = [
    path("", include(web)),
    path("progress/", include("generator.web.progress.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
