"""Field names as users read them (German, English): in refusals and in the
description of a concurrent change."""

from __future__ import annotations

FIELD_NAMES = {
    "name": ("Name", "name"), "subject": ("Betreff", "subject"), "text": ("Text", "text"),
    "instruction": ("Anweisung", "instruction"), "last_name": ("Nachname", "last name"),
    "first_name": ("Vorname", "first name"), "city": ("Ort", "city"),
    "street": ("Straße", "street"), "postal_code": ("PLZ", "postal code"),
    "phone": ("Telefon", "phone"), "email": ("E-Mail", "e-mail"),
    "website": ("Web", "website"), "industry": ("Branche", "industry"),
    "notes": ("Notizen", "notes"), "login": ("Anmeldename", "login"),
    "display_name": ("Anzeigename", "display name"), "reason": ("Grund", "reason"),
    "duration_minutes": ("Dauer", "duration"), "time_zone": ("Zeitzone", "time zone"),
    "occurred_at": ("Zeitpunkt", "time"), "color": ("Farbe", "colour"),
    "progress": ("Fortschritt", "progress"), "kind": ("Art", "kind"),
    "priority": ("Priorität", "priority"), "country": ("Land", "country"),
    "owner_id": ("Betreuer", "account manager"), "due_date": ("Fälligkeit", "due date"),
    "due_time": ("Uhrzeit", "time"), "assignee_id": ("Zuständig", "assignee"),
    "recurrence": ("Wiederholung", "recurrence"), "status_id": ("Status", "status"),
    "position": ("Position", "position"), "mobile": ("Mobil", "mobile"),
    "salutation": ("Anrede", "salutation"), "title": ("Titel", "title"),
    "default_follow_up_days": ("Tage bis zur Wiedervorlage", "days to the follow-up"),
    "working_days": ("Arbeitstage", "working days"), "language": ("Sprache", "language"),
    "icon": ("Symbol", "icon"), "company_name": ("Firma", "company"),
    "next_status": ("Folgestatus", "next status"),
    "phone_region": ("Region für Telefonnummern", "region of phone numbers"),
    "merge_into": ("Zusammenführen mit", "merge into"),
}  # fmt: skip
