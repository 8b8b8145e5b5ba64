"""The store: every row that holds a member's data carries ``member`` and is only ever read
through queries filtered by it (see :mod:`netiquette.services.scope`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from netiquette.domain import vocabulary as v

MEMBER = settings.AUTH_USER_MODEL


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(x, x) for x in values]


class MemberProfile(models.Model):
    """A member's own settings: display name, signature, protocol preset and overrides."""

    member = models.OneToOneField(MEMBER, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=200)
    signature = models.TextField(blank=True, default="")
    preset = models.CharField(max_length=40, default="have-we-met")
    protocol_overrides = models.TextField(blank=True, default="")


# A foreign key to the member has no index of its own where an index or unique constraint
# begins with the member (it serves the same look-ups); an import adds rows to every index.


class Person(models.Model):
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="people",
                               db_index=False)
    display_name = models.CharField(max_length=300)
    first_name = models.CharField(max_length=200, blank=True, default="")
    last_name = models.CharField(max_length=200, blank=True, default="")
    name_key = models.CharField(max_length=300, default="")  # indexed with the member
    company = models.CharField(max_length=300, blank=True, default="")
    position = models.CharField(max_length=300, blank=True, default="")
    profile_url = models.CharField(max_length=500, blank=True, default="")
    profile_slug = models.CharField(max_length=200, blank=True, default="")
    familiarity = models.CharField(
        max_length=12, choices=_choices(v.FAMILIARITIES), default=v.STRANGER
    )
    how_we_met = models.TextField(blank=True, default="")
    can_say = models.TextField(blank=True, default="")
    can_help_them = models.TextField(blank=True, default="")
    they_can_help = models.TextField(blank=True, default="")
    notes = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["member", "name_key"]),
            models.Index(fields=["member", "profile_slug"]),
            models.Index(fields=["member", "familiarity"]),
        ]

    def __str__(self) -> str:
        return self.display_name


class EmailAddress(models.Model):
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, db_index=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.CharField(max_length=320)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "address"], name="email_unique_per_member")
        ]


class Invitation(models.Model):
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="invitations",
                               db_index=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    direction = models.CharField(max_length=8, choices=_choices(v.DIRECTIONS))
    note = models.TextField(blank=True, default="")
    sent_at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=_choices(v.CHANNELS), default=v.MANUAL)
    source = models.CharField(max_length=200, blank=True, default="")
    external_key = models.CharField(max_length=300, null=True, blank=True)
    status = models.CharField(max_length=12, default="pending")
    verdict = models.CharField(max_length=10, blank=True, default="")
    verdict_score = models.FloatField(null=True, blank=True)
    verdict_reasons = models.JSONField(default=list, blank=True)
    verdict_label = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "external_key"], name="invitation_key_unique_per_member"
            )
        ]


class Case(models.Model):
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="cases",
                               db_index=False)
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="case")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="cases")
    path = models.CharField(max_length=10, choices=_choices(v.PATHS))
    rule = models.CharField(max_length=100, default="")
    why = models.TextField(default="")
    state = models.CharField(max_length=20)
    outcome = models.CharField(max_length=12, blank=True, default="")
    protocol = models.CharField(max_length=40, default="")
    opened_at = models.DateTimeField()
    since = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    call_at = models.DateTimeField(null=True, blank=True)
    replies = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["member", "state"]),
            models.Index(fields=["member", "person"]),
        ]


class Event(models.Model):
    """An append-only fact about a case: what happened, when, by whom and why."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    actor = models.CharField(max_length=100, default="")
    reason = models.TextField(default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]


class Action(models.Model):
    """A step due on a case, with its draft. Open actions form the agenda."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, db_index=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=16, choices=_choices(v.ACTION_KINDS))
    due_at = models.DateTimeField()
    draft = models.TextField(default="")
    status = models.CharField(max_length=10, default="open")
    done_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["member", "status", "due_at", "id"])]


class Message(models.Model):
    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, db_index=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="messages")
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    direction = models.CharField(max_length=8, choices=_choices(v.DIRECTIONS))
    text = models.TextField(default="")
    at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=_choices(v.CHANNELS), default=v.MANUAL)
    external_key = models.CharField(max_length=300, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "external_key"], name="message_key_unique_per_member"
            )
        ]
        indexes = [models.Index(fields=["member", "person", "at"])]


class Thread(models.Model):
    """Who wrote to whom, without the words: one conversation of an export with one person,
    counted. An import stores the text of a message only where a case needs it (the inquiry,
    the reply); every message of the conversation is counted here. An export holds whole
    conversations, so reading a newer one raises the counts to what it shows."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, db_index=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="threads")
    channel = models.CharField(max_length=10, choices=_choices(v.CHANNELS), default=v.LINKEDIN)
    external_key = models.CharField(max_length=300)
    sent = models.PositiveIntegerField(default=0)  # by the member
    received = models.PositiveIntegerField(default=0)  # from the person
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "channel", "external_key", "person"],
                                    name="thread_unique_per_member")
        ]


class Conversation(models.Model):
    """The 15–30 minute meeting before accepting."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conversations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conversations")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, default="")


class ImportRun(models.Model):
    """One import: what was read, when, and what it changed."""

    member = models.ForeignKey(MEMBER, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=20)
    source = models.CharField(max_length=500)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
