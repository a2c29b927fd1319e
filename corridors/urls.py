"""URLs of the corridors app. Each views module keeps its own ``urlpatterns``."""

from django.urls import include, path

from corridors.views import applications, files, gallery, home, people, places, programme, public

urlpatterns = [
    path("", include((public.urlpatterns, "public"))),
    path("home/", home.home, name="home"),
    path("applications/", include((applications.urlpatterns, "applications"))),
    path("manage/places/", include((places.urlpatterns, "places"))),
    path("manage/people/", include((people.urlpatterns, "people"))),
    path("manage/files/", include((files.urlpatterns, "files"))),
    path("manage/gallery/", include((gallery.urlpatterns, "gallery"))),
    path("manage/programme/", include((programme.urlpatterns, "programme"))),
]
