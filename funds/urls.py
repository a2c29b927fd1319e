from django.urls import path

from funds import views

app_name = "funds"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/edit/", views.campaign_update, name="edit"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/import/", views.units_import, name="import"),
    path("<int:pk>/units/", views.unit_list, name="units"),
    path("<int:pk>/collection/", views.collection, name="collection"),
    path("<int:pk>/notice/", views.notice, name="notice"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/consent/", views.unit_consent, name="unit_consent"),
    path("units/<int:pk>/payments/", views.unit_payment, name="unit_payment"),
    path("units/<int:pk>/form/", views.unit_print, name="unit_print"),
    path("consents/<int:pk>/scan/", views.consent_scan, name="consent_scan"),
]
