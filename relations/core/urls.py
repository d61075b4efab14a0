from django.urls import path

from relations.core import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    # For load balancers and monitors: no login, no slash, plain HTTP allowed (README "Deploying").
    path("healthz", views.HealthView.as_view(), name="healthz"),
    path("calendar-subscriptions/", views.CalendarSubscriptionsView.as_view(), name="calendar_subscriptions"),
]
