from django.urls import path

from relations.core import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("calendar-subscriptions/", views.CalendarSubscriptionsView.as_view(), name="calendar_subscriptions"),
]
