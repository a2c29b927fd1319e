"""Every URL of the corridors app, by area (one namespace per area; view modules hold no patterns)."""

from django.urls import include, path
from django.views.generic import RedirectView

from corridors.views import (
    activities,
    application_drafts,
    application_lists,
    applications,
    audit,
    auth,
    departments,
    districts,
    files,
    gallery,
    groups,
    home,
    inbox,
    people,
    person_data,
    place_imports,
    places,
    privacy,
    programme,
    public,
    search,
    signups,
    works,
)

public_patterns = [
    path("", public.home, name="home"),
    path("gallery/", public.gallery, name="gallery"),
    path("neighbourhoods/<int:pk>/", public.neighbourhood, name="neighbourhood"),
    path("compounds/<int:pk>/", public.compound, name="compound"),
    path("compounds/<int:pk>/activities/", public.compound_activities, name="compound_activities"),
    path("corridors/<int:pk>/", public.corridor, name="corridor"),
    path("corridors/<int:pk>/activities/", public.corridor_activities, name="corridor_activities"),
    path("corridors/<int:pk>/calendar.ics", public.corridor_calendar, name="corridor_calendar"),
    path("corridors/<int:pk>/poster/", public.poster, name="poster"),
    path("works/<int:pk>/", public.work, name="work"),
    path("activities/<int:pk>/", public.activity, name="activity"),
    path("activities/<int:pk>/signup/", signups.signup, name="signup"),
    path("activities/<int:pk>/cancel/", signups.cancel, name="signup_cancel"),
    path("corridors/<int:pk>/contact/", signups.contact_leader, name="contact_leader"),
    path("streets/<int:pk>/activities/", public.street_activities, name="street_activities"),
    path("streets/<int:pk>/calendar.ics", public.street_calendar, name="street_calendar"),
]

application_patterns = [
    path("", application_lists.application_list, name="list"),
    path("export.xlsx", application_lists.application_export, name="export"),
    path("queue/", application_lists.committee_queue, name="queue"),
    path("new/<int:group_pk>/", application_drafts.application_new, name="new"),
    path("<int:pk>/", applications.application_detail, name="detail"),
    path("<int:pk>/edit/", application_drafts.application_edit, name="edit"),
    path("<int:pk>/print/", applications.application_print, name="print"),
    path("<int:pk>/budget/", application_drafts.budget_item_add, name="budget_add"),
    path("<int:pk>/budget/<int:item_pk>/remove/", application_drafts.budget_item_remove, name="budget_remove"),
    path("<int:pk>/sketches/", application_drafts.sketch_add, name="sketch_add"),
    path("<int:pk>/sketches/<int:sketch_pk>/remove/", application_drafts.sketch_remove, name="sketch_remove"),
    path("<int:pk>/progress-photos/", applications.progress_photo_add, name="progress_photo_add"),
    path(
        "<int:pk>/pictures/<slug:kind>/<int:picture_pk>/discard/",
        applications.application_picture_discard,
        name="picture_discard",
    ),
    path(
        "<int:pk>/pictures/<slug:kind>/<int:picture_pk>/<slug:size>/",
        applications.application_picture,
        name="picture",
    ),
    path("<int:pk>/step/<slug:action>/", applications.application_step, name="step"),
]

inbox_patterns = [
    path("", inbox.inbox, name="list"),
    path("<int:pk>/open/", inbox.inbox_open, name="open"),
    path("read-all/", inbox.inbox_read_all, name="read_all"),
    path("preferences/", inbox.inbox_preferences, name="preferences"),
]

place_patterns = [
    path("", places.neighbourhood_list, name="list"),
    path("neighbourhoods/<int:pk>/", places.neighbourhood_detail, name="neighbourhood"),
    path("groups/<int:pk>/", places.group_detail, name="group"),
    path("documents/<int:pk>/", places.document_download, name="document"),
    path("neighbourhoods/new/", places.neighbourhood_create, name="neighbourhood_create"),
    path("neighbourhoods/<int:pk>/edit/", places.neighbourhood_edit, name="neighbourhood_edit"),
    path("neighbourhoods/<int:pk>/import/", place_imports.neighbourhood_import, name="import"),
    path("import-template.xlsx", place_imports.import_template, name="import_template"),
    path("streets/<int:pk>/import/", place_imports.street_import, name="street_import"),
    path("street-import-template.xlsx", place_imports.street_import_template, name="street_import_template"),
    path("neighbourhoods/<int:neighbourhood_pk>/compounds/new/", places.compound_create, name="compound_create"),
    path("compounds/<int:pk>/edit/", places.compound_edit, name="compound_edit"),
    path("compounds/<int:compound_pk>/buildings/new/", places.building_create, name="building_create"),
    path("buildings/<int:pk>/edit/", places.building_edit, name="building_edit"),
    path("buildings/<int:building_pk>/groups/new/", places.group_create, name="group_create"),
    path("groups/", groups.group_list, name="groups"),
    path("groups/export.xlsx", groups.group_export, name="groups_export"),
    path("groups/<int:pk>/edit/", places.group_edit, name="group_edit"),
    path("groups/<int:pk>/activate/", places.group_set_active, {"active": True}, name="group_activate"),
    path("groups/<int:pk>/deactivate/", places.group_set_active, {"active": False}, name="group_deactivate"),
    path("departments/", departments.department_list, name="departments"),
    path("departments/new/", departments.department_create, name="department_create"),
    path("departments/<int:pk>/edit/", departments.department_edit, name="department_edit"),
]

people_patterns = [
    path("", people.user_list, name="list"),
    path("export/", people.user_export, name="export"),
    path("new/", people.user_create, name="create"),
    path("<int:pk>/", people.user_detail, name="detail"),
    path("<int:pk>/password/", people.user_password, name="password"),
    path("<int:pk>/deactivate/", people.user_activate, {"active": False}, name="deactivate"),
    path("<int:pk>/reactivate/", people.user_activate, {"active": True}, name="reactivate"),
    path("<int:pk>/roles/add/", people.role_add, name="role_add"),
    path("<int:pk>/roles/<int:assignment_pk>/remove/", people.role_remove, name="role_remove"),
    path("<int:pk>/second-factor/reset/", auth.second_factor_reset, name="second_factor_reset"),
    path("person-data/", person_data.person_data, name="person_data"),
]

audit_patterns = [
    path("", audit.audit_list, name="list"),
]

file_patterns = [
    path("groups/<int:group_pk>/photos/add/", files.photo_add, name="photo_add"),
    path("groups/<int:group_pk>/photos/<int:pk>/delete/", files.photo_delete, name="photo_delete"),
    path("groups/<int:group_pk>/documents/add/", files.document_add, name="document_add"),
    # The same checked view as ``places:document`` (GroupDocument.get_absolute_url).
    path("documents/<int:pk>/", places.document_download, name="document"),
]

gallery_patterns = [
    path("", gallery.index, name="index"),
    path("groups/<int:group_pk>/", gallery.group_gallery, name="group"),
    path("groups/<int:group_pk>/works/add/", works.work_add, name="work_add"),
    path("works/<int:pk>/", works.work_detail, name="work"),
    path("works/<int:pk>/edit/", works.work_edit, name="work_edit"),
    path("works/<int:pk>/pictures/add/", works.work_image_add, name="work_image_add"),
    path("works/<int:pk>/pictures/<int:image_pk>/file/", works.work_image_file, name="work_image_file"),
    path("works/<int:pk>/pictures/<int:image_pk>/delete/", works.work_image_delete, name="work_image_delete"),
    path("works/<int:pk>/publish/", works.work_publish, name="work_publish"),
    path("works/<int:pk>/unpublish/", works.work_unpublish, name="work_unpublish"),
    path("works/<int:pk>/hide/", works.work_hide, name="work_hide"),
    path("works/<int:pk>/unhide/", works.work_unhide, name="work_unhide"),
    path("works/<int:pk>/delete/", works.work_delete, name="work_delete"),
    path("groups/<int:group_pk>/activities/add/", activities.activity_add, name="activity_add"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/attendance/", activities.activity_attendance, name="activity_attendance"),
    path("activities/<int:pk>/photos/add/", activities.activity_photo_add, name="activity_photo_add"),
    path(
        "activities/<int:pk>/photos/<int:photo_pk>/delete/",
        activities.activity_photo_delete,
        name="activity_photo_delete",
    ),
    path("activities/<int:pk>/delete/", activities.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/signups/", signups.organiser_list, name="activity_signups"),
    path(
        "activities/<int:pk>/signups/<int:signup_pk>/reveal/",
        signups.organiser_reveal,
        name="activity_signup_reveal",
    ),
]

programme_patterns = [
    path("", programme.programme_home, name="home"),
    path("years/new/", programme.year_create, name="year_create"),
    path("years/<int:pk>/", programme.year_edit, name="year_edit"),
    path("streets/<int:street_pk>/themes/", programme.theme_add, name="theme_add"),
    path("themes/<int:pk>/rename/", programme.theme_rename, name="theme_rename"),
    path("themes/<int:pk>/toggle/", programme.theme_toggle, name="theme_toggle"),
    path("streets/<int:street_pk>/reminders/", programme.reminder_settings, name="reminders"),
]

district_patterns = [
    path("", districts.setup, name="setup"),
    path("appointments/<int:pk>/remove/", districts.appointment_remove, name="appointment_remove"),
    path("oversights/<int:pk>/remove/", districts.oversight_remove, name="oversight_remove"),
    path("streets/<int:pk>/remove/", districts.street_remove, name="street_remove"),
]

privacy_patterns = [
    path("", privacy.access_log, name="access_log"),
]

urlpatterns = [
    path("", include((public_patterns, "public"))),
    path("home/", home.home, name="home"),
    path("search/", search.site_search, name="search"),
    path("inbox/", include((inbox_patterns, "inbox"))),
    # Where the inbox was before it had a room of its own: bookmarks keep working.
    path("applications/inbox/", RedirectView.as_view(pattern_name="inbox:list", permanent=True)),
    path("applications/", include((application_patterns, "applications"))),
    path("manage/places/", include((place_patterns, "places"))),
    path("manage/people/", include((people_patterns, "people"))),
    path("manage/files/", include((file_patterns, "files"))),
    path("manage/gallery/", include((gallery_patterns, "gallery"))),
    path("manage/programme/", include((programme_patterns, "programme"))),
    path("manage/privacy/", include((privacy_patterns, "privacy"))),
    path("manage/districts/", include((district_patterns, "districts"))),
    path("manage/audit/", include((audit_patterns, "audit"))),
]
