from django.urls import path, re_path

from . import views

app_name = "public"

# Addresses are the year and a random part (public.services), files an opaque token: the patterns take exactly
# those shapes, so nothing longer reaches the database.
urlpatterns = [
    path("", views.publication_list, name="list"),
    path("feed/", views.publication_feed, name="feed"),
    re_path(r"^(?P<slug>[0-9]{4}-[a-z0-9]{10})/$", views.publication_detail, name="detail"),
    re_path(r"^(?P<slug>[0-9]{4}-[a-z0-9]{10})/files/(?P<token>[A-Za-z0-9_-]{24})/$", views.publication_file,
            name="file"),
    # Anything else under /public/ is the public site's own 404 (not the staff pages' one, with their menu).
    re_path(r"^", views.public_page(views.not_found)),
]
