"""URLs of the corridors app. Each views module keeps its own ``urlpatterns``."""

from django.urls import include, path

from corridors.views import applications, files, home, people, places, public

urlpatterns = [
    path("", include((public.urlpatterns, "public"))),
    path("home/", home.home, name="home"),
    path("applications/", include((applications.urlpatterns, "applications"))),
    path("manage/places/", include((places.urlpatterns, "places"))),
    path("manage/people/", include((people.urlpatterns, "people"))),
    path("manage/files/", include((files.urlpatterns, "files"))),
]
