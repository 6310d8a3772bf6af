from generator.web.progress import board_views, report_views

app_name = "progress"
urlpatterns = [
    *board_views.urls,
    *report_views.urls,
]
