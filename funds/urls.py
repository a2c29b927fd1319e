from django.urls import path

from funds import views, views_awards, views_payouts

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
    path("<int:pk>/notice/publish/", views.notice_publish, name="notice_publish"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/consent/", views.unit_consent, name="unit_consent"),
    path("units/<int:pk>/payments/", views.unit_payment, name="unit_payment"),
    path("units/<int:pk>/form/", views.unit_print, name="unit_print"),
    path("units/<int:pk>/correct/", views.unit_correct, name="unit_correct"),
    path("payments/<int:pk>/correct/", views.payment_correct, name="payment_correct"),
    path("consents/<int:pk>/scan/", views.consent_scan, name="consent_scan"),
    # Acceptance checks and awards
    path("inspections/", views_awards.inspection_list, name="inspections"),
    path("inspections/schedule/<int:application_pk>/", views_awards.check_schedule, name="check_schedule"),
    path("checks/<int:pk>/", views_awards.check_detail, name="check"),
    path("checks/<int:pk>/photos/", views_awards.check_photo_add, name="check_photo"),
    path("checks/<int:pk>/print/", views_awards.check_print, name="check_print"),
    path("checks/<int:pk>/reinspection/", views_awards.reinspection_request, name="reinspection"),
    path("awards/", views_awards.award_list, name="awards"),
    path("awards/<int:pk>/", views_awards.award_detail, name="award"),
    path("awards/<int:pk>/status/<slug:action>/", views_awards.award_status, name="award_status"),
    path("awards/<int:pk>/certificate/", views_awards.certificate, name="certificate"),
    # Payouts, budget and the corridor ledger
    path("awards/<int:award_pk>/payouts/new/", views_payouts.payout_propose, name="payout_propose"),
    path("awards/<int:award_pk>/ledger/", views_payouts.ledger, name="ledger"),
    path("ledger/<int:pk>/receipt/", views_payouts.ledger_receipt, name="ledger_receipt"),
    path("payouts/", views_payouts.payout_list, name="payouts"),
    path("payouts/export.xlsx", views_payouts.payout_export, name="payouts_export"),
    path("payouts/<int:pk>/", views_payouts.payout_detail, name="payout"),
    path("payouts/<int:pk>/voucher/", views_payouts.payout_voucher, name="voucher"),
    path("payouts/<int:pk>/<slug:action>/", views_payouts.payout_step, name="payout_step"),
    path("receipts/<int:pk>/", views_payouts.payout_receipt, name="payout_receipt"),
    path("budget/", views_payouts.budget, name="budget"),
]
