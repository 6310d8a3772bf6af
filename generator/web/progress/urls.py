from django.urls import path

from generator.web.progress import board_views, report_views, views

app_name = "progress"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:plan>/open/", views.open_collection, name="open"),
    path("<int:pk>/", views.collection, name="collection"),
    path("<int:pk>/state/", views.collection_state, name="state"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/form.xlsx", views.form_xlsx, name="form_xlsx"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("attachments/<int:pk>/delete/", views.detach, name="detach"),
    path("submissions/<int:pk>/", views.submission, name="submission"),
    path("submissions/<int:pk>/reopen/", views.reopen, name="reopen"),
    *board_views.urls,  # the secretariat's board and reminders
    *report_views.urls,  # the report written from live data
]
