"""URLs of the corridors app. Each views module keeps its own ``urlpatterns``."""

from django.urls import include, path

from corridors.views import home, people, places, public

urlpatterns = [
    path("", include((public.urlpatterns, "public"))),
    path("home/", home.home, name="home"),
    path("manage/places/", include((places.urlpatterns, "places"))),
    path("manage/people/", include((people.urlpatterns, "people"))),
]
