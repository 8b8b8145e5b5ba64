from django.urls import path

from netiquette.web import auth_views, pages, views
from netiquette.web.api import api

urlpatterns = [
    path("", views.inbox, name="inbox"),  # GET; triage buttons post to their formaction
    path("agenda", views.agenda, name="agenda"),
    path("cases/<int:case_id>", views.case_page, name="case"),
    path("cases/<int:case_id>/verdict", views.case_verdict, name="case-verdict"),
    path("cases/<int:case_id>/decide", views.case_decide, name="case-decide"),
    path("cases/<int:case_id>/known", views.case_known, name="case-known"),
    path("cases/<int:case_id>/close", views.case_close, name="case-close"),
    path("cases/<int:case_id>/reply", views.case_reply, name="case-reply"),
    path("actions/<int:action_id>/draft", views.action_draft, name="action-draft"),
    path("actions/<int:action_id>/done", views.action_done, name="action-done"),
    path("people", views.people, name="people"),
    path("people/<int:person_id>", views.person_page, name="person"),
    path("people/<int:person_id>/notes", views.person_notes, name="person-notes"),
    path("stats", pages.stats, name="stats"),
    path("import", pages.import_page, name="import"),
    path("settings", pages.settings_page, name="settings"),
    path("settings/profile", pages.settings_profile, name="settings-profile"),
    path("settings/protocol", pages.settings_protocol, name="settings-protocol"),
    path("login", auth_views.login_view, name="login"),
    path("logout", auth_views.logout_view, name="logout"),
    path("welcome", auth_views.welcome_view, name="welcome"),
    path("settings/token", pages.settings_token, name="settings-token"),
    path("api/", api.urls),
]
