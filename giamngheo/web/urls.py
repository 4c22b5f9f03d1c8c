from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .auth_views import LoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("xa/<int:unit_id>/ho/", views.household_list, name="household_list"),
    path("xa/<int:unit_id>/thon/", views.village_add, name="village_add"),
    path("ho/<str:household_id>/", views.household_detail, name="household_detail"),
    path("ho/<str:household_id>/sua/", views.household_edit, name="household_edit"),
    path("ho/<str:household_id>/nhat-ky/", views.household_audit, name="household_audit"),
    path("nguoi-dung/<str:username>/nhat-ky/", views.user_audit, name="user_audit"),
]
