"""Every URL of the funds app, by wing: campaigns (units, consents, payments, notice) | checks,
awards, payouts and the ledger."""

from django.urls import path

from funds.views import (
    awards,
    campaigns,
    checks,
    consents,
    door,
    exports,
    ledger,
    notice,
    payments,
    payouts,
    privacy,
    units,
)

app_name = "funds"

urlpatterns = [
    # Maintenance-fund campaigns
    path("", campaigns.campaign_list, name="list"),
    path("new/", campaigns.campaign_create, name="create"),
    path("<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("<int:pk>/edit/", campaigns.campaign_update, name="edit"),
    path("<int:pk>/members/", campaigns.member_add, name="member_add"),
    path("members/<int:pk>/remove/", campaigns.member_remove, name="member_remove"),
    path("<int:pk>/import/", units.units_import, name="import"),
    path("<int:pk>/units/", units.unit_list, name="units"),
    path("<int:pk>/door/", door.door, name="door"),
    path("units/<int:pk>/door/", door.door_answer, name="door_answer"),
    path("<int:pk>/collection/", payments.collection, name="collection"),
    path("<int:pk>/collection/full.xlsx", privacy.collection_export_full, name="collection_export_full"),
    path("<int:pk>/notice/", notice.notice, name="notice"),
    path("<int:pk>/notice/publish/", notice.notice_publish, name="notice_publish"),
    path("units/<int:pk>/", units.unit_detail, name="unit"),
    path("units/<int:pk>/consent/", consents.unit_consent, name="unit_consent"),
    path("units/<int:pk>/payments/", payments.unit_payment, name="unit_payment"),
    path("units/<int:pk>/form/", units.unit_print, name="unit_print"),
    path("units/<int:pk>/correct/", units.unit_correct, name="unit_correct"),
    path("units/<int:pk>/reveal/", privacy.unit_reveal, name="unit_reveal"),
    path("payments/<int:pk>/correct/", payments.payment_correct, name="payment_correct"),
    path("consents/<int:pk>/scan/", consents.consent_scan, name="consent_scan"),
    # Acceptance checks and awards
    path("inspections/", checks.inspection_list, name="inspections"),
    path("inspections/schedule/<int:application_pk>/", checks.check_schedule, name="check_schedule"),
    path("checks/<int:pk>/", checks.check_detail, name="check"),
    path("checks/<int:pk>/photos/", checks.check_photo_add, name="check_photo"),
    path("checks/<int:pk>/photos/<int:photo_pk>/discard/", checks.check_photo_discard, name="check_photo_discard"),
    path("checks/<int:pk>/photos/<int:photo_pk>/<slug:size>/", checks.check_photo_file, name="check_photo_file"),
    path("checks/<int:pk>/print/", checks.check_print, name="check_print"),
    path("checks/<int:pk>/reinspection/", checks.reinspection_request, name="reinspection"),
    path("awards/", awards.award_list, name="awards"),
    path("awards/<int:pk>/", awards.award_detail, name="award"),
    path("awards/<int:pk>/status/<slug:action>/", awards.award_status, name="award_status"),
    path("awards/<int:pk>/certificate/", awards.certificate, name="certificate"),
    # Payouts, budget and the corridor ledger
    path("awards/<int:award_pk>/payouts/new/", payouts.payout_propose, name="payout_propose"),
    path("awards/<int:award_pk>/ledger/", ledger.ledger, name="ledger"),
    path("ledger/<int:pk>/receipt/", ledger.ledger_receipt, name="ledger_receipt"),
    path("ledger/<int:pk>/reverse/", ledger.ledger_reverse, name="ledger_reverse"),
    path("payouts/", payouts.payout_list, name="payouts"),
    path("payouts/export.xlsx", payouts.payout_export, name="payouts_export"),
    path("payouts/<int:pk>/", payouts.payout_detail, name="payout"),
    path("payouts/<int:pk>/voucher/", payouts.payout_voucher, name="voucher"),
    path("payouts/<int:pk>/<slug:action>/", payouts.payout_step, name="payout_step"),
    path("receipts/<int:pk>/", payouts.payout_receipt, name="payout_receipt"),
    path("budget/", payouts.budget, name="budget"),
    # The staff lists as .xlsx
    path("export.xlsx", exports.campaign_export, name="campaigns_export"),
    path("awards/export.xlsx", exports.award_export, name="awards_export"),
    path("inspections/export.xlsx", exports.check_export, name="checks_export"),
    path("budget/export.xlsx", exports.budget_export, name="budget_export"),
    path("<int:pk>/units/export.xlsx", exports.unit_export, name="units_export"),
]
