from django.urls import path

from onewindow.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("apply/", views.apply_start, name="apply"),
    path("apply/<slug:code>/", views.apply_form, name="apply_form"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<str:number>/", views.case_detail, name="case"),
    path(
        "cases/<str:number>/materials/<int:material_id>/", views.material_download, name="material"
    ),
    path("cases/<str:number>/<slug:action>/", views.case_action, name="case_action"),
]
