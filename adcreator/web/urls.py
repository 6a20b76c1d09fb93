"""The web core's own pages: signing in (throttled) and out."""

from django.contrib.auth import views as auth_views
from django.urls import path

from adcreator.web.auth import ThrottledLoginView
from adcreator.web.favicon import favicon

urlpatterns = [
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", favicon, name="favicon"),
]
