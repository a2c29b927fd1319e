"""Every URL of stall consultations (the views live in ``consultations/views/<area>.py``)."""

from django.urls import path

from consultations.views import (
    attachments,
    categories,
    conferences,
    exports,
    lists,
    public,
    requests,
    stalls,
    terms,
    tickets,
)

app_name = "consultations"

urlpatterns = [
    path("", requests.index, name="index"),
    path("board/", public.public_board, name="public_board"),
    # The representative
    path("mine/", requests.my_requests, name="mine"),
    path("mine/new/", requests.request_new, name="request_new"),
    path("mine/queues/", tickets.my_queues, name="my_queues"),
    # A request
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("requests/<int:pk>/steps/<str:action>/", requests.request_step, name="request_step"),
    path("requests/<int:pk>/attachments/", attachments.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment"),
    # Lists
    path("follow-ups/", lists.follow_ups, name="follow_ups"),
    path("overview/", lists.overview, name="overview"),
    path("overview/export/", lists.overview_export, name="overview_export"),
    path("neighbourhood/", lists.neighbourhood, name="neighbourhood"),
    path("neighbourhood/new/", requests.request_on_behalf, name="request_on_behalf"),
    # The street office's set-up
    path("categories/", categories.categories, name="categories"),
    path("categories/<int:pk>/rename/", categories.category_rename_view, name="category_rename"),
    path("categories/<int:pk>/active/", categories.category_active_view, name="category_active"),
    path("representatives/", terms.representatives, name="representatives"),
    # Conferences and stalls
    path("conferences/", conferences.conference_list, name="conferences"),
    path("conferences/new/", conferences.conference_new, name="conference_new"),
    path("conferences/<int:pk>/", conferences.conference_detail, name="conference"),
    path("conferences/<int:pk>/report/", conferences.conference_report, name="report"),
    path("conferences/<int:pk>/report.xlsx", exports.conference_report_export, name="report_export"),
    path("stalls/<int:pk>/", stalls.stall_detail, name="stall"),
    path("stalls/<int:pk>/board/", stalls.board, name="board"),
    path("stalls/<int:pk>/check-in/", stalls.check_in, name="check_in"),
    path("stalls/<int:pk>/walk-in/", stalls.walk_in, name="walk_in"),
    path("stalls/<int:pk>/call-next/", stalls.call_next, name="call_next"),
    path("tickets/<int:pk>/<str:action>/", tickets.ticket_step, name="ticket_step"),
]
