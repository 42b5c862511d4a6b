<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AboutYouPage</name>
    <message>
        <source>Welcome to AkquiseDesktop</source>
        <translation>Willkommen bei AkquiseDesktop</translation>
    </message>
    <message>
        <source>This database is new. Set up your user: you will be its administrator.</source>
        <translation>Diese Datenbank ist neu. Legen Sie Ihren Benutzer an: Sie werden ihr Administrator.</translation>
    </message>
    <message>
        <source>Your &amp;name:</source>
        <translation>Ihr &amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>&amp;Anmeldename:</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>e.g. Katrin Becker</source>
        <translation>z. B. Katrin Becker</translation>
    </message>
    <message>
        <source>The name you sign in with; your system user name</source>
        <translation>Der Name, mit dem Sie sich anmelden; Ihr Benutzername im System</translation>
    </message>
    <message>
        <source>optional, e.g. k.becker@example.com</source>
        <translation>optional, z. B. k.becker@example.com</translation>
    </message>
    <message>
        <source>Please enter your name.</source>
        <translation>Bitte geben Sie Ihren Namen ein.</translation>
    </message>
    <message>
        <source>Please enter a login.</source>
        <translation>Bitte geben Sie einen Anmeldenamen ein.</translation>
    </message>
    <message>
        <source>A login has no spaces.</source>
        <translation>Ein Anmeldename enthält keine Leerzeichen.</translation>
    </message>
    <message>
        <source>This is not an e-mail address (name@example.com).</source>
        <translation>Das ist keine E-Mail-Adresse (name@example.com).</translation>
    </message>
</context>
<context>
    <name>ActivityBox</name>
    <message>
        <source>Activity</source>
        <translation>Aktivität</translation>
    </message>
    <message>
        <source>What happened, in a few words</source>
        <translation>Was war, in wenigen Worten</translation>
    </message>
    <message>
        <source>Short notes, e.g. what was agreed, what to send (Ctrl+Enter saves)</source>
        <translation>Kurze Notizen, z. B. was vereinbart wurde, was zu schicken ist (Strg+Enter speichert)</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <source>How long it took, in minutes (optional)</source>
        <translation>Wie lange es gedauert hat, in Minuten (optional)</translation>
    </message>
    <message>
        <source>Duration in minutes</source>
        <translation>Dauer in Minuten</translation>
    </message>
    <message>
        <source>Duration (&amp;min):</source>
        <translation>&amp;Dauer (Min.):</translation>
    </message>
    <message>
        <source>&amp;When:</source>
        <translation>&amp;Wann:</translation>
    </message>
    <message>
        <source>&amp;Type:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>C&amp;ontact:</source>
        <translation>Ansprech&amp;partner:</translation>
    </message>
    <message>
        <source>S&amp;ubject:</source>
        <translation>&amp;Betreff:</translation>
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation>&amp;Text:</translation>
    </message>
    <message>
        <source>— none —</source>
        <translation>— keiner —</translation>
    </message>
</context>
<context>
    <name>ActivityDialog</name>
    <message>
        <source>Log activity</source>
        <translation>Aktivität erfassen</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Lädt …</translation>
    </message>
    <message>
        <source>Re&amp;load record data</source>
        <translation>Datensatz neu &amp;laden</translation>
    </message>
    <message>
        <source>Load the record&apos;s follow-ups and statuses again; your input stays.</source>
        <translation>Wiedervorlagen und Status des Datensatzes neu laden; Ihre Eingaben bleiben.</translation>
    </message>
    <message>
        <source>Retry &amp;now</source>
        <translation>&amp;Jetzt erneut versuchen</translation>
    </message>
    <message>
        <source>Send the save again now instead of waiting; it is never saved twice.</source>
        <translation>Die Speicherung jetzt erneut senden, statt zu warten; sie wird nie doppelt gespeichert.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>Spei&amp;chern</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>Speichern (Strg+Enter)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Discard this activity?</source>
        <translation>Diese Aktivität verwerfen?</translation>
    </message>
    <message>
        <source>The save waits for the database and will not be sent again. What you entered here will be lost — unless an earlier attempt did reach the database.</source>
        <translation>Die Speicherung wartet auf die Datenbank und wird dann nicht mehr gesendet. Ihre Eingaben gehen verloren – es sei denn, ein früherer Versuch hat die Datenbank doch erreicht.</translation>
    </message>
    <message>
        <source>What you entered here will be lost.</source>
        <translation>Was Sie hier eingegeben haben, geht verloren.</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>&amp;Keep editing</source>
        <translation>&amp;Weiter bearbeiten</translation>
    </message>
    <message>
        <source>Log activity — {record}</source>
        <translation>Aktivität erfassen — {record}</translation>
    </message>
    <message>
        <source>The follow-up this dialog was opened for is no longer open; someone may have completed it meanwhile.</source>
        <translation>Die Wiedervorlage, für die dieser Dialog geöffnet wurde, ist nicht mehr offen; vielleicht hat sie inzwischen jemand erledigt.</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Eingehender Anruf</translation>
    </message>
    <message>
        <source>Outgoing call</source>
        <translation>Ausgehender Anruf</translation>
    </message>
    <message>
        <source>Your role group “{group}” does not allow logging activities for this record.</source>
        <translation>Ihre Rechtegruppe „{group}“ erlaubt keine Aktivitäten für diesen Datensatz.</translation>
    </message>
    <message>
        <source>Enter a subject for the activity.</source>
        <translation>Geben Sie einen Betreff für die Aktivität ein.</translation>
    </message>
    <message>
        <source>The text is too long ({length} characters, at most {limit}).</source>
        <translation>Der Text ist zu lang ({length} Zeichen, höchstens {limit}).</translation>
    </message>
    <message>
        <source>An activity cannot lie in the future.</source>
        <translation>Eine Aktivität kann nicht in der Zukunft liegen.</translation>
    </message>
    <message>
        <source>An activity needs a new follow-up — or a final status.</source>
        <translation>Eine Aktivität braucht eine neue Wiedervorlage — oder einen finalen Status.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Cannot save yet:&lt;/b&gt;</source>
        <translation>&lt;b&gt;Noch nicht speicherbar:&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Speichert …</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>The connection broke off while saving. Checking whether the activity was saved…</source>
        <translation>Die Verbindung ist beim Speichern abgebrochen. Es wird geprüft, ob die Aktivität gespeichert wurde…</translation>
    </message>
    <message>
        <source>The activity was not saved: the connection broke off before the database had it. Your input is kept; save again.</source>
        <translation>Die Aktivität wurde nicht gespeichert: Die Verbindung brach ab, bevor die Datenbank sie hatte. Ihre Eingaben bleiben erhalten; bitte erneut speichern.</translation>
    </message>
    <message>
        <source>Whether the activity was saved cannot be checked yet ({error}). Your input is kept. Saving again is safe: the activity is never saved twice.</source>
        <translation>Ob die Aktivität gespeichert wurde, lässt sich noch nicht prüfen ({error}). Ihre Eingaben bleiben erhalten. Erneutes Speichern ist sicher: Die Aktivität wird nie doppelt gespeichert.</translation>
    </message>
    <message>
        <source>Waiting for the database…</source>
        <translation>Warte auf die Datenbank …</translation>
    </message>
    <message>
        <source>No connection to the database – next attempt in {seconds} s …</source>
        <translation>Keine Verbindung zur Datenbank – neuer Versuch in {seconds} s …</translation>
    </message>
    <message>
        <source>No connection to the database – trying again …</source>
        <translation>Keine Verbindung zur Datenbank – neuer Versuch läuft …</translation>
    </message>
    <message>
        <source>Your input is kept and saved as soon as the database is back; it is never saved twice. (Attempts so far: {attempts}; {error})</source>
        <translation>Ihre Eingaben bleiben erhalten und werden gespeichert, sobald die Datenbank wieder erreichbar ist – nie doppelt. (Bisherige Versuche: {attempts}; {error})</translation>
    </message>
    <message>
        <source>The database reported an error: {error}</source>
        <translation>Die Datenbank meldet einen Fehler: {error}</translation>
    </message>
</context>
<context>
    <name>ActivityStreamView</name>
    <message>
        <source>Any time</source>
        <translation>Beliebig</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <source>From … to …</source>
        <translation>Von … bis …</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>T&amp;eam:</source>
        <translation>&amp;Team:</translation>
    </message>
    <message>
        <source>T&amp;ype:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <source>Reload (F5)</source>
        <translation>Neu laden (F5)</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>All users</source>
        <translation>Alle Benutzer</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>Alle Teams</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Alle Arten</translation>
    </message>
    <message>
        <source>No activities match the filter.</source>
        <translation>Keine Aktivität passt zum Filter.</translation>
    </message>
    <message>
        <source>{count} activities</source>
        <translation>{count} Aktivitäten</translation>
    </message>
    <message>
        <source>{count} newest activities loaded — scroll for more</source>
        <translation>{count} neueste Aktivitäten geladen — weiterscrollen für mehr</translation>
    </message>
    <message>
        <source>Could not load: {error}</source>
        <translation>Laden fehlgeschlagen: {error}</translation>
    </message>
</context>
<context>
    <name>ActivityTypeDialog</name>
    <message>
        <source>&amp;Active (offered in the activity mask)</source>
        <extracomment>Runs the chooser modally (tests replace it).</extracomment>
        <translation>&amp;Aktiv (in der Aktivitätsmaske angeboten)</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Icon:</source>
        <translation>&amp;Symbol:</translation>
    </message>
</context>
<context>
    <name>ActivityTypesPage</name>
    <message>
        <source>The activity mask offers the active types in this order; the first one is preselected.</source>
        <extracomment>Runs a dialog modally (tests replace it to fill and press OK).</extracomment>
        <translation>Die Aktivitätsmaske bietet die aktiven Aktivitätsarten in dieser Reihenfolge an; die erste ist vorausgewählt.</translation>
    </message>
    <message>
        <source>Activity type</source>
        <translation>Aktivitätsart</translation>
    </message>
    <message>
        <source>Icon</source>
        <translation>Symbol</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>&amp;New activity type …</source>
        <translation>&amp;Neue Aktivitätsart …</translation>
    </message>
    <message>
        <source>&amp;Edit …</source>
        <translation>&amp;Bearbeiten …</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>New activity type</source>
        <translation>Neue Aktivitätsart</translation>
    </message>
    <message>
        <source>Edit activity type “{name}”</source>
        <translation>Aktivitätsart „{name}“ bearbeiten</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>&amp;Delete</source>
        <extracomment>A change of one of these reloads the page (after its own saves too).</extracomment>
        <translation>&amp;Löschen</translation>
    </message>
</context>
<context>
    <name>AdminView</name>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Teams</source>
        <translation>Betreuergruppen</translation>
    </message>
    <message>
        <source>Role groups</source>
        <translation>Rechtegruppen</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>Kampagnen</translation>
    </message>
    <message>
        <source>Activity types</source>
        <translation>Aktivitätsarten</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Administration sections</source>
        <translation>Bereiche der Verwaltung</translation>
    </message>
    <message>
        <source>Your role group gives you no part of the administration.</source>
        <translation>Ihre Rechtegruppe gibt Ihnen keinen Zugang zur Verwaltung.</translation>
    </message>
    <message>
        <source>This part of the administration is not available yet.</source>
        <translation>Dieser Teil der Verwaltung ist noch nicht verfügbar.</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>Switch connection</source>
        <translation>Verbindung wechseln</translation>
    </message>
    <message>
        <source>AkquiseDesktop could not be started again: %1</source>
        <translation>AkquiseDesktop konnte nicht neu gestartet werden: %1</translation>
    </message>
    <message>
        <source>Restore backup</source>
        <translation>Sicherung wiederherstellen</translation>
    </message>
</context>
<context>
    <name>BulkDialog</name>
    <message>
        <source>The database reported an error: {error}</source>
        <translation>Die Datenbank meldet einen Fehler: {error}</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <source>Time-critical</source>
        <translation>Zeitkritisch</translation>
    </message>
    <message>
        <source>Set account manager</source>
        <translation>Betreuer setzen</translation>
    </message>
    <message>
        <source>Change campaign status (with an activity)</source>
        <translation>Kampagnen-Status ändern (mit Aktivität)</translation>
    </message>
    <message>
        <source>Log an activity (and a follow-up) for each</source>
        <translation>Für jeden eine Aktivität (und Wiedervorlage) erfassen</translation>
    </message>
    <message>
        <source>Set assignee of follow-ups</source>
        <translation>Zuständigen der Wiedervorlagen setzen</translation>
    </message>
    <message>
        <source>Shift due dates</source>
        <translation>Fälligkeiten verschieben</translation>
    </message>
    <message>
        <source>Set due date</source>
        <translation>Fälligkeitsdatum setzen</translation>
    </message>
    <message>
        <source>Set priority</source>
        <translation>Priorität setzen</translation>
    </message>
    <message>
        <source>Change instruction</source>
        <translation>Anweisung ändern</translation>
    </message>
    <message>
        <source>Rebook follow-ups</source>
        <translation>Wiedervorlagen umbuchen</translation>
    </message>
    <message>
        <source>Bulk editing</source>
        <translation>Massenbearbeitung</translation>
    </message>
    <message>
        <source>Apply to</source>
        <translation>Anwenden auf</translation>
    </message>
    <message>
        <source>the &amp;selected {rows}</source>
        <translation>die &amp;markierten {rows}</translation>
    </message>
    <message>
        <source>&amp;all {rows} of the current search result</source>
        <translation>&amp;alle {rows} des aktuellen Suchergebnisses</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>&amp;Operation:</source>
        <translation>&amp;Vorgang:</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>V&amp;orschau</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>A&amp;usführen</translation>
    </message>
    <message>
        <source>Preview first; the run changes exactly what it shows</source>
        <translation>Erst die Vorschau; die Ausführung ändert genau, was sie zeigt</translation>
    </message>
    <message>
        <source>Choose the change, then preview it.</source>
        <translation>Änderung wählen, dann die Vorschau ansehen.</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Zu ändern</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n Datensatz</numerusform>
            <numerusform>%n Datensätze</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n follow-up(s)</source>
        <translation>
            <numerusform>%n Wiedervorlage</numerusform>
            <numerusform>%n Wiedervorlagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Your role group “{group}” has no right for bulk editing; ask an administrator.</source>
        <translation>Ihre Rechtegruppe „{group}“ hat kein Recht zur Massenbearbeitung; fragen Sie einen Administrator.</translation>
    </message>
    <message>
        <source>Applies to the open follow-ups of the {rows}.</source>
        <translation>Gilt für die offenen Wiedervorlagen dieser Auswahl ({rows}).</translation>
    </message>
    <message>
        <source>Applies to the records of the {rows}.</source>
        <translation>Gilt für die Datensätze dieser Auswahl ({rows}).</translation>
    </message>
    <message>
        <source>The input changed: preview again.</source>
        <translation>Die Eingabe hat sich geändert: bitte erneut Vorschau.</translation>
    </message>
    <message>
        <source>Undone (see below). Preview again to change anything.</source>
        <translation>Rückgängig gemacht (siehe unten). Für weitere Änderungen erneut Vorschau.</translation>
    </message>
    <message>
        <source>Working out the preview …</source>
        <translation>Vorschau wird ermittelt …</translation>
    </message>
    <message>
        <source>{changing} of {total} row(s) change.</source>
        <translation>{changing} von {total} Zeile(n) ändern sich.</translation>
    </message>
    <message>
        <source>{n} already as wanted.</source>
        <translation>{n} schon wie gewünscht.</translation>
    </message>
    <message>
        <source>{n} refused (see the list).</source>
        <translation>{n} abgelehnt (siehe Liste).</translation>
    </message>
    <message>
        <source>Nothing to change: no matching rows.</source>
        <translation>Nichts zu ändern: keine passenden Zeilen.</translation>
    </message>
    <message>
        <source>&amp;Run on {n} row(s)</source>
        <translation>A&amp;usführen für {n} Zeile(n)</translation>
    </message>
    <message>
        <source>Running …</source>
        <translation>Wird ausgeführt …</translation>
    </message>
    <message>
        <source>{operation}: {n} row(s) …</source>
        <translation>{operation}: {n} Zeile(n) …</translation>
    </message>
    <message>
        <source>Done: {changed} of {total} row(s) changed.</source>
        <translation>Fertig: {changed} von {total} Zeile(n) geändert.</translation>
    </message>
    <message>
        <source>Cancelled: {changed} row(s) changed, {left} not reached.</source>
        <translation>Abgebrochen: {changed} Zeile(n) geändert, {left} nicht erreicht.</translation>
    </message>
    <message>
        <source>“Undo” below reverts it.</source>
        <translation>„Rückgängig“ unten macht es rückgängig.</translation>
    </message>
    <message>
        <source>Changed ({n})</source>
        <translation>Geändert ({n})</translation>
    </message>
    <message>
        <source>Changes ({n})</source>
        <translation>Zu ändern ({n})</translation>
    </message>
    <message>
        <source>Refused ({n})</source>
        <translation>Abgelehnt ({n})</translation>
    </message>
    <message>
        <source>{name} (inactive)</source>
        <translation>{name} (inaktiv)</translation>
    </message>
</context>
<context>
    <name>BulkRunner</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Bulk change</source>
        <translation>Massenänderung</translation>
    </message>
    <message>
        <source>Cancelling after the current chunk …</source>
        <translation>Abbruch nach dem laufenden Abschnitt …</translation>
    </message>
    <message>
        <source>{done} of {total} rows done</source>
        <translation>{done} von {total} Zeilen erledigt</translation>
    </message>
</context>
<context>
    <name>CallBar</name>
    <message>
        <source>&amp;Log phone call</source>
        <translation>&amp;Telefonat erfassen</translation>
    </message>
    <message>
        <source>Log the call as an activity (%1): type, contact person and duration filled in</source>
        <translation>Den Anruf als Aktivität erfassen (%1): Art, Ansprechpartner und Dauer sind schon eingetragen</translation>
    </message>
    <message>
        <source>Forget this call without logging it</source>
        <translation>Diesen Anruf verwerfen, ohne ihn zu erfassen</translation>
    </message>
    <message>
        <source>Call with %1 since %2</source>
        <translation>Anruf mit %1 seit %2</translation>
    </message>
    <message>
        <source>Call to %1 since %2</source>
        <translation>Anruf bei %1 seit %2</translation>
    </message>
</context>
<context>
    <name>CallerChooser</name>
    <message>
        <source>Choose caller</source>
        <translation>Anrufer wählen</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) have the number %1. Who is calling?</source>
        <translation>
            <numerusform>%n Datensatz hat die Nummer %1. Wer ruft an?</numerusform>
            <numerusform>%n Datensätze haben die Nummer %1. Wer ruft an?</numerusform>
        </translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Nummer</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Ansprechpartner</translation>
    </message>
    <message>
        <source>&amp;Open record</source>
        <translation>Datensatz ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>Calls</name>
    <message>
        <source>No program on this computer dials phone numbers (tel: links): %1</source>
        <translation>Auf diesem Computer wählt kein Programm Telefonnummern (tel:-Links): %1</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Anruf</translation>
    </message>
    <message>
        <source>The caller could not be looked up: %1</source>
        <translation>Der Anrufer konnte nicht nachgeschlagen werden: %1</translation>
    </message>
</context>
<context>
    <name>CampaignDialog</name>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <source>Only a start status</source>
        <translation>Nur ein Startstatus</translation>
    </message>
    <message>
        <source>Statuses of the template “{name}”</source>
        <translation>Status der Vorlage „{name}“</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>&amp;Statuses:</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>S&amp;tart status:</source>
        <translation>S&amp;tartstatus:</translation>
    </message>
</context>
<context>
    <name>CampaignPage</name>
    <message>
        <source>Your first campaign</source>
        <translation>Ihre erste Kampagne</translation>
    </message>
    <message>
        <source>A campaign leads records through statuses. Start with a ready one; you can adapt it later in the administration.</source>
        <translation>Eine Kampagne führt Datensätze durch Kampagnenstatus. Beginnen Sie mit einer fertigen; anpassen können Sie sie später in der Administration.</translation>
    </message>
    <message>
        <source>No campaign for now</source>
        <translation>Vorerst keine Kampagne</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>Next statuses</source>
        <translation>Folgestatus</translation>
    </message>
    <message>
        <source>You can create campaigns later in the administration.</source>
        <translation>Kampagnen können Sie später in der Administration anlegen.</translation>
    </message>
    <message>
        <source>Load &amp;demo data</source>
        <translation>&amp;Demodaten laden</translation>
    </message>
    <message>
        <source>%1 sample records with activities and follow-ups, seven colleagues and three teams — to try the program out, not for a database for real work.</source>
        <translation>%1 Beispiel-Datensätze mit Aktivitäten und Wiedervorlagen, sieben Kollegen und drei Betreuergruppen – zum Ausprobieren, nicht für eine Datenbank, mit der Sie wirklich arbeiten.</translation>
    </message>
    <message>
        <source>New records start here</source>
        <translation>Neue Datensätze beginnen hier</translation>
    </message>
    <message>
        <source>%1 (start)</source>
        <translation>%1 (Start)</translation>
    </message>
    <message>
        <source>final</source>
        <translation>final</translation>
    </message>
    <message>
        <source>The first next status is the default.</source>
        <translation>Der erste Folgestatus ist die Vorgabe.</translation>
    </message>
</context>
<context>
    <name>CampaignsPage</name>
    <message>
        <source>Campaign</source>
        <extracomment>Runs a dialog modally (tests replace it to fill and press OK). Asks a yes/no question (tests replace it).</extracomment>
        <translation>Kampagne</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Statuses</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>&amp;New campaign …</source>
        <translation>&amp;Neue Kampagne …</translation>
    </message>
    <message>
        <source>&amp;Edit …</source>
        <translation>&amp;Bearbeiten …</translation>
    </message>
    <message>
        <source>D&amp;uplicate …</source>
        <translation>&amp;Duplizieren …</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Deaktivieren</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>Kampagnen</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Kampagnenstatus</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>&amp;Add status …</source>
        <translation>Status &amp;hinzufügen …</translation>
    </message>
    <message>
        <source>Edit s&amp;tatus …</source>
        <translation>S&amp;tatus bearbeiten …</translation>
    </message>
    <message>
        <source>Move the status up</source>
        <translation>Status nach oben</translation>
    </message>
    <message>
        <source>Move the status down</source>
        <translation>Status nach unten</translation>
    </message>
    <message>
        <source>&amp;Delete (merge into) …</source>
        <translation>&amp;Löschen (zusammenführen) …</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Statuses of “{name}”</source>
        <translation>Kampagnenstatus von „{name}“</translation>
    </message>
    <message>
        <source>final</source>
        <translation>final</translation>
    </message>
    <message>
        <source>start</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>&amp;Activate …</source>
        <translation>&amp;Aktivieren …</translation>
    </message>
    <message>
        <source>Deacti&amp;vate</source>
        <translation>Deakti&amp;vieren</translation>
    </message>
    <message>
        <source>New campaign</source>
        <translation>Neue Kampagne</translation>
    </message>
    <message>
        <source>Edit campaign</source>
        <translation>Kampagne bearbeiten</translation>
    </message>
    <message>
        <source>Duplicate campaign “{name}”</source>
        <translation>Kampagne „{name}“ duplizieren</translation>
    </message>
    <message>
        <source>{name} (copy)</source>
        <translation>{name} (Kopie)</translation>
    </message>
    <message>
        <source>The copy gets the original&apos;s description</source>
        <translation>Die Kopie erhält die Beschreibung des Originals</translation>
    </message>
    <message>
        <source>Activating “{name}” again makes {count} of its records dead records: they have a status that is not final and no open follow-up. They will show in “Dead records”.

Activate the campaign?</source>
        <translation>Wird „{name}“ wieder aktiviert, werden {count} ihrer Datensätze zu toten Kunden: Sie haben einen nicht finalen Status und keine offene Wiedervorlage. Sie erscheinen dann unter „Tote Kunden“.

Kampagne aktivieren?</translation>
    </message>
    <message>
        <source>Activating “{name}” again makes no record dead: each of its records with a status that is not final has an open follow-up.

Activate the campaign?</source>
        <translation>Wird „{name}“ wieder aktiviert, wird kein Datensatz zum toten Kunden: Jeder ihrer Datensätze mit nicht finalem Status hat eine offene Wiedervorlage.

Kampagne aktivieren?</translation>
    </message>
    <message>
        <source>Activate campaign</source>
        <translation>Kampagne aktivieren</translation>
    </message>
    <message>
        <source>New status of “{name}”</source>
        <translation>Neuer Kampagnenstatus von „{name}“</translation>
    </message>
    <message>
        <source>Edit status “{name}”</source>
        <translation>Kampagnenstatus „{name}“ bearbeiten</translation>
    </message>
</context>
<context>
    <name>CampaignsView</name>
    <message>
        <source>Records per campaign status. Press Enter or double-click a status to list its records.</source>
        <translation>Datensätze je Kampagnen-Status. Enter oder Doppelklick auf einen Status listet seine Datensätze.</translation>
    </message>
    <message>
        <source>Campaign / status</source>
        <translation>Kampagne / Status</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>Final</translation>
    </message>
    <message>
        <source>%1 (inactive)</source>
        <translation>%1 (inaktiv)</translation>
    </message>
    <message>
        <source>Ø %1 %</source>
        <translation>Ø %1 %</translation>
    </message>
    <message>
        <source>Average progress of the campaign&apos;s records</source>
        <translation>Durchschnittlicher Fortschritt der Datensätze der Kampagne</translation>
    </message>
    <message>
        <source>final</source>
        <translation>final</translation>
    </message>
</context>
<context>
    <name>ChangeStatusPage</name>
    <message>
        <source>&amp;Campaign:</source>
        <translation>&amp;Kampagne:</translation>
    </message>
    <message>
        <source>New s&amp;tatus:</source>
        <translation>Neuer S&amp;tatus:</translation>
    </message>
    <message>
        <source>Why the status changes (default: the new status)</source>
        <translation>Warum sich der Status ändert (Vorgabe: der neue Status)</translation>
    </message>
    <message>
        <source>{status} (final)</source>
        <translation>{status} (final)</translation>
    </message>
</context>
<context>
    <name>ColorButton</name>
    <message>
        <source>Status colour</source>
        <translation>Statusfarbe</translation>
    </message>
</context>
<context>
    <name>CompanyPage</name>
    <message>
        <source>Your company</source>
        <translation>Ihr Unternehmen</translation>
    </message>
    <message>
        <source>The name of your company, for the system settings. You can change it later.</source>
        <translation>Der Name Ihres Unternehmens, für die Systemeinstellungen. Sie können ihn später ändern.</translation>
    </message>
    <message>
        <source>&amp;Company name:</source>
        <translation>&amp;Firmenname:</translation>
    </message>
    <message>
        <source>e.g. Becker Maschinenbau GmbH</source>
        <translation>z. B. Becker Maschinenbau GmbH</translation>
    </message>
</context>
<context>
    <name>ContactForm</name>
    <message>
        <source>Mr</source>
        <translation>Herr</translation>
    </message>
    <message>
        <source>Ms</source>
        <translation>Frau</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Sal&amp;utation:</source>
        <translation>A&amp;nrede:</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Vorname</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Nachname</translation>
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation>Na&amp;me:</translation>
    </message>
    <message>
        <source>&amp;Position:</source>
        <translation>P&amp;osition:</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>Mobil</translation>
    </message>
    <message>
        <source>P&amp;hone:</source>
        <translation>Tele&amp;fon:</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>No&amp;tizen:</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>Ne&amp;u</translation>
    </message>
    <message>
        <source>&amp;Save contact</source>
        <translation>Ansprechpartner spei&amp;chern</translation>
    </message>
    <message>
        <source>The last name must not be empty.</source>
        <translation>Der Nachname darf nicht leer sein.</translation>
    </message>
    <message>
        <source>The e-mail address is not valid.</source>
        <translation>Die E-Mail-Adresse ist ungültig.</translation>
    </message>
</context>
<context>
    <name>ContactsTab</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Call %1</source>
        <translation>%1 anrufen</translation>
    </message>
    <message>
        <source>Call %1 (mobile)</source>
        <translation>%1 anrufen (mobil)</translation>
    </message>
    <message>
        <source>No phone number</source>
        <translation>Keine Telefonnummer</translation>
    </message>
</context>
<context>
    <name>DataTools</name>
    <message>
        <source>Export &amp;list …</source>
        <translation>&amp;Liste exportieren …</translation>
    </message>
    <message>
        <source>&amp;Import …</source>
        <translation>&amp;Importieren …</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>Jetzt &amp;sichern</translation>
    </message>
    <message>
        <source>&amp;Restore backup …</source>
        <translation>Sicherung &amp;wiederherstellen …</translation>
    </message>
    <message>
        <source>Server databases are backed up with pg_dump (see the README).</source>
        <translation>Server-Datenbanken werden mit pg_dump gesichert (siehe README).</translation>
    </message>
    <message>
        <source>Checking your rights …</source>
        <translation>Ihre Rechte werden geprüft …</translation>
    </message>
    <message>
        <source>Your role group “{group}” has no right for CSV import/export.</source>
        <translation>Ihre Rechtegruppe „{group}“ hat kein Recht für CSV-Import/Export.</translation>
    </message>
    <message>
        <source>Follow-ups</source>
        <translation>Wiedervorlagen</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>Open the record list or the follow-up list first.</source>
        <translation>Bitte zuerst die Datensatzliste oder die Wiedervorlagenliste öffnen.</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel-Arbeitsmappe (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV for Excel, semicolons (*.csv)</source>
        <translation>CSV für Excel, Semikolon-getrennt (*.csv)</translation>
    </message>
    <message>
        <source>Export list</source>
        <translation>Liste exportieren</translation>
    </message>
    <message>
        <source>Exporting to {file} …</source>
        <translation>Export nach {file} …</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>{count} row(s) exported to {file}.</source>
        <translation>{count} Zeile(n) nach {file} exportiert.</translation>
    </message>
    <message>
        <source>{count} row(s) of records beyond your rights were left out.</source>
        <translation>{count} Zeile(n) von Datensätzen außerhalb Ihrer Rechte wurden ausgelassen.</translation>
    </message>
    <message>
        <source>Exporting to {file} … {count} rows</source>
        <translation>Export nach {file} … {count} Zeilen</translation>
    </message>
    <message>
        <source>The export failed: {error}</source>
        <translation>Der Export ist fehlgeschlagen: {error}</translation>
    </message>
    <message>
        <source>Backup saved and verified: {file}</source>
        <translation>Sicherung gespeichert und geprüft: {file}</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Sicherung</translation>
    </message>
    <message>
        <source>The backup failed: {error}</source>
        <translation>Die Sicherung ist fehlgeschlagen: {error}</translation>
    </message>
    <message>
        <source>Restore backup</source>
        <translation>Sicherung wiederherstellen</translation>
    </message>
    <message>
        <source>Replace the database with the backup {file}?

The current state is kept next to the database first. AkquiseDesktop starts again afterwards.</source>
        <translation>Die Datenbank durch die Sicherung {file} ersetzen?

Der jetzige Stand wird vorher neben der Datenbank aufbewahrt. AkquiseDesktop startet danach neu.</translation>
    </message>
    <message>
        <source>The backup has been restored.</source>
        <translation>Die Sicherung wurde wiederhergestellt.</translation>
    </message>
    <message>
        <source>The previous state is kept in {file}.</source>
        <translation>Der vorige Stand liegt in {file}.</translation>
    </message>
    <message>
        <source>AkquiseDesktop starts again now.</source>
        <translation>AkquiseDesktop startet jetzt neu.</translation>
    </message>
    <message>
        <source>Nothing was restored: {error}</source>
        <translation>Nichts wurde wiederhergestellt: {error}</translation>
    </message>
</context>
<context>
    <name>DeadRecordsModel</name>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>Campaign status</source>
        <translation>Kampagnen-Status</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>Letzte Aktivität</translation>
    </message>
    <message>
        <source>Days silent</source>
        <translation>Tage still</translation>
    </message>
    <message>
        <source>Log activity…</source>
        <translation>Aktivität erfassen …</translation>
    </message>
    <message>
        <source>Log an activity and set the next follow-up</source>
        <translation>Eine Aktivität erfassen und die nächste Wiedervorlage setzen</translation>
    </message>
</context>
<context>
    <name>DeadRecordsView</name>
    <message>
        <source>Records in an active campaign with a non-final status and no open follow-up. Give each one an activity and its next follow-up.</source>
        <translation>Datensätze in einer aktiven Kampagne mit nicht finalem Status und ohne offene Wiedervorlage. Geben Sie jedem eine Aktivität und seine nächste Wiedervorlage.</translation>
    </message>
    <message>
        <source>&amp;Owner:</source>
        <translation>&amp;Betreuer:</translation>
    </message>
    <message>
        <source>All records</source>
        <translation>Alle Datensätze</translation>
    </message>
    <message>
        <source>My records</source>
        <translation>Meine Datensätze</translation>
    </message>
    <message>
        <source>My team&apos;s records</source>
        <translation>Datensätze meines Teams</translation>
    </message>
    <message>
        <source>&amp;Log activity…</source>
        <translation>&amp;Aktivität erfassen …</translation>
    </message>
    <message>
        <source>Log an activity and set the next follow-up (Enter, Ctrl+N)</source>
        <translation>Eine Aktivität erfassen und die nächste Wiedervorlage setzen (Enter, Strg+N)</translation>
    </message>
    <message>
        <source>&amp;Open record</source>
        <translation>Datensatz ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Open the record (Ctrl+O)</source>
        <translation>Den Datensatz öffnen (Strg+O)</translation>
    </message>
    <message>
        <source>No dead records</source>
        <translation>Keine toten Kunden</translation>
    </message>
    <message>
        <source>Every live record has a next follow-up.</source>
        <translation>Jeder lebende Datensatz hat eine nächste Wiedervorlage.</translation>
    </message>
    <message>
        <source>{count} dead records</source>
        <translation>{count} tote Kunden</translation>
    </message>
    <message>
        <source>{shown} of {count} loaded, longest silent first</source>
        <translation>{shown} von {count} geladen, am längsten stille zuerst</translation>
    </message>
    <message>
        <source>Could not load: {error}</source>
        <translation>Laden fehlgeschlagen: {error}</translation>
    </message>
</context>
<context>
    <name>DemoLoader</name>
    <message>
        <source>Loading demo data …</source>
        <translation>Demodaten werden geladen …</translation>
    </message>
    <message>
        <source>Demo data</source>
        <translation>Demodaten</translation>
    </message>
    <message>
        <source>Loading demo data: %1 of %2 records …</source>
        <translation>Demodaten werden geladen: %1 von %2 Datensätzen …</translation>
    </message>
    <message>
        <source>The demo data could not be loaded: %1</source>
        <translation>Die Demodaten konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>This database already has records.</source>
        <translation>Diese Datenbank enthält schon Datensätze.</translation>
    </message>
    <message>
        <source>This database already has other users or teams.</source>
        <translation>Diese Datenbank hat schon weitere Benutzer oder Betreuergruppen.</translation>
    </message>
    <message>
        <source>Demo data can only be loaded into an empty database, so that it does not mix with real data.</source>
        <translation>Demodaten lassen sich nur in eine leere Datenbank laden, damit sie sich nicht mit echten Daten mischen.</translation>
    </message>
    <message>
        <source>Load demo data</source>
        <translation>Demodaten laden</translation>
    </message>
    <message>
        <source>Load %1 demo records with activities and follow-ups, seven demo colleagues and three teams into this database?

They stay in the database; use demo data to try the program out, not in a database for real work.</source>
        <translation>%1 Demo-Datensätze mit Aktivitäten und Wiedervorlagen, sieben Demo-Kollegen und drei Betreuergruppen in diese Datenbank laden?

Sie bleiben in der Datenbank; nutzen Sie Demodaten zum Ausprobieren, nicht in einer Datenbank, mit der Sie wirklich arbeiten.</translation>
    </message>
</context>
<context>
    <name>DuplicatesPage</name>
    <message>
        <source>Check duplicates and bad rows</source>
        <translation>Dubletten und fehlerhafte Zeilen prüfen</translation>
    </message>
    <message>
        <source>Nothing has been written yet; “Import” starts the import.</source>
        <translation>Noch ist nichts geschrieben; „Importieren“ startet den Import.</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Possible duplicate of</source>
        <translation>Mögliche Dublette von</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Warum</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Possible duplicates</source>
        <translation>Mögliche Dubletten</translation>
    </message>
    <message>
        <source>Rows that cannot be imported</source>
        <translation>Zeilen, die nicht importiert werden können</translation>
    </message>
    <message>
        <source>Checking the rows and looking for duplicates …</source>
        <translation>Die Zeilen werden geprüft und Dubletten gesucht …</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>web domain</source>
        <translation>Web-Domain</translation>
    </message>
    <message>
        <source>similar name</source>
        <translation>ähnlicher Name</translation>
    </message>
    <message>
        <source>row {row} of this file ({name})</source>
        <translation>Zeile {row} dieser Datei ({name})</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <source>Merge into it</source>
        <translation>Zusammenführen</translation>
    </message>
    <message>
        <source>Import anyway</source>
        <translation>Trotzdem importieren</translation>
    </message>
    <message>
        <source>{good} of {total} rows can be imported; {dups} possible duplicates (skipped unless you decide otherwise); {bad} rows cannot be imported.</source>
        <translation>{good} von {total} Zeilen können importiert werden; {dups} mögliche Dubletten (werden übersprungen, wenn Sie nichts anderes wählen); {bad} Zeilen können nicht importiert werden.</translation>
    </message>
</context>
<context>
    <name>EntryDetail</name>
    <message>
        <source>Select an entry of the timeline to see its details.</source>
        <translation>Wählen Sie einen Eintrag der Timeline, um die Einzelheiten zu sehen.</translation>
    </message>
    <message>
        <source>This entry no longer exists.</source>
        <translation>Diesen Eintrag gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Contact person</source>
        <translation>Ansprechpartner</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>Status %1</source>
        <translation>Status %1</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Erledigt</translation>
    </message>
    <message>
        <source>Next follow-up</source>
        <translation>Nächste Wiedervorlage</translation>
    </message>
    <message>
        <source>Follow-up set</source>
        <translation>Wiedervorlage gesetzt</translation>
    </message>
    <message>
        <source>Corrected</source>
        <translation>Korrigiert</translation>
    </message>
    <message>
        <source>open</source>
        <translation>offen</translation>
    </message>
    <message>
        <source>done</source>
        <translation>erledigt</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>storniert</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <source>high</source>
        <translation>hoch</translation>
    </message>
    <message>
        <source>time-critical</source>
        <translation>zeitkritisch</translation>
    </message>
    <message>
        <source>(no instruction)</source>
        <translation>(ohne Anweisung)</translation>
    </message>
    <message>
        <source>Follow-up: %1</source>
        <translation>Wiedervorlage: %1</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stand</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>Zuständig</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>Angelegt von</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Wiederholung</translation>
    </message>
    <message>
        <source>Source activity</source>
        <translation>Zugehörige Aktivität</translation>
    </message>
    <message>
        <source>Created without an activity.</source>
        <translation>Ohne Aktivität angelegt.</translation>
    </message>
    <message>
        <source>Completed by</source>
        <translation>Erledigt durch</translation>
    </message>
    <message>
        <source>Carried by the activity</source>
        <translation>Gesetzt durch die Aktivität</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <source>Choose the file</source>
        <translation>Datei wählen</translation>
    </message>
    <message>
        <source>CSV (as Excel or Outlook save it), Excel workbooks (.xlsx) or vCards (.vcf).</source>
        <translation>CSV (wie Excel oder Outlook sie speichern), Excel-Arbeitsmappen (.xlsx) oder vCards (.vcf).</translation>
    </message>
    <message>
        <source>Path of the file to import</source>
        <translation>Pfad der zu importierenden Datei</translation>
    </message>
    <message>
        <source>&amp;Choose …</source>
        <translation>&amp;Auswählen …</translation>
    </message>
    <message>
        <source>Detect automatically</source>
        <translation>Automatisch erkennen</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tabulator</translation>
    </message>
    <message>
        <source>&amp;Encoding:</source>
        <translation>&amp;Zeichenkodierung:</translation>
    </message>
    <message>
        <source>&amp;Delimiter:</source>
        <translation>&amp;Trennzeichen:</translation>
    </message>
    <message>
        <source>Import file</source>
        <translation>Importdatei</translation>
    </message>
    <message>
        <source>Tables and contacts (*.csv *.txt *.xlsx *.vcf);;All files (*)</source>
        <translation>Tabellen und Kontakte (*.csv *.txt *.xlsx *.vcf);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Reading the file …</source>
        <translation>Die Datei wird gelesen …</translation>
    </message>
    <message>
        <source>{n} rows</source>
        <translation>{n} Zeilen</translation>
    </message>
    <message>
        <source>encoding {name}</source>
        <translation>Kodierung {name}</translation>
    </message>
    <message>
        <source>delimiter “{d}”</source>
        <translation>Trennzeichen „{d}“</translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <source>Set up AkquiseDesktop</source>
        <translation>AkquiseDesktop einrichten</translation>
    </message>
    <message>
        <source>Setting up the database …</source>
        <translation>Die Datenbank wird eingerichtet …</translation>
    </message>
    <message>
        <source>Loading demo data: %1 of %2 records …</source>
        <translation>Demodaten werden geladen: %1 von %2 Datensätzen …</translation>
    </message>
    <message>
        <source>You are set up, but the demo data could not be loaded: %1</source>
        <translation>Sie sind eingerichtet, aber die Demodaten konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>This database has been set up in the meantime (it has users now). Close the wizard and start the program again.</source>
        <translation>Diese Datenbank wurde inzwischen eingerichtet (sie hat jetzt Benutzer). Schließen Sie den Assistenten und starten Sie das Programm neu.</translation>
    </message>
    <message>
        <source>The database could not be set up: %1</source>
        <translation>Die Datenbank konnte nicht eingerichtet werden: %1</translation>
    </message>
</context>
<context>
    <name>FollowUpChecklist</name>
    <message>
        <source>Complete open follow-ups</source>
        <translation>Offene Wiedervorlagen erledigen</translation>
    </message>
    <message>
        <source>Open follow-ups to complete</source>
        <translation>Zu erledigende offene Wiedervorlagen</translation>
    </message>
    <message>
        <source>This record has no open follow-up.</source>
        <translation>Dieser Datensatz hat keine offene Wiedervorlage.</translation>
    </message>
    <message>
        <source>(no instruction)</source>
        <translation>(ohne Anweisung)</translation>
    </message>
    <message>
        <source>From activity: {subject}</source>
        <translation>Aus der Aktivität: {subject}</translation>
    </message>
    <message>
        <source>Recurring ({rule}); completing it creates the next one.</source>
        <translation>Wiederkehrend ({rule}); das Erledigen legt die nächste an.</translation>
    </message>
    <message>
        <source>recurring</source>
        <translation>wiederkehrend</translation>
    </message>
</context>
<context>
    <name>FollowUpListEmptyState</name>
    <message>
        <source>Overdue</source>
        <translation>Überfällig</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Diese Woche</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Später</translation>
    </message>
    <message>
        <source>Follow-ups appear here as soon as an activity sets a next follow-up.</source>
        <translation>Hier erscheinen Wiedervorlagen, sobald eine Aktivität eine nächste Wiedervorlage setzt.</translation>
    </message>
    <message>
        <source>No open follow-ups</source>
        <translation>Keine offenen Wiedervorlagen</translation>
    </message>
    <message>
        <source>No open follow-ups for {whose}</source>
        <translation>Keine offenen Wiedervorlagen für {whose}</translation>
    </message>
    <message>
        <source>No follow-ups in “{bucket}”</source>
        <translation>Keine Wiedervorlagen in „{bucket}“</translation>
    </message>
    <message numerus="yes">
        <source>%n open follow-up(s) in other periods.</source>
        <translation>
            <numerusform>%n offene Wiedervorlage in anderen Zeiträumen.</numerusform>
            <numerusform>%n offene Wiedervorlagen in anderen Zeiträumen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Show &amp;all</source>
        <translation>&amp;Alle anzeigen</translation>
    </message>
</context>
<context>
    <name>FollowUpListView</name>
    <message>
        <source>&amp;Whose:</source>
        <translation>&amp;Wessen:</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Meine</translation>
    </message>
    <message>
        <source>My team</source>
        <translation>Mein Team</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>&amp;Complete…</source>
        <translation>&amp;Erledigen …</translation>
    </message>
    <message>
        <source>Log the activity that completes this follow-up (Enter)</source>
        <translation>Die Aktivität erfassen, die diese Wiedervorlage erledigt (Enter)</translation>
    </message>
    <message>
        <source>&amp;Open record</source>
        <translation>Datensatz ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Open the record (Ctrl+O)</source>
        <translation>Den Datensatz öffnen (Strg+O)</translation>
    </message>
    <message>
        <source>Source activity</source>
        <translation>Zugehörige Aktivität</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Überfällig</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Diese Woche</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Später</translation>
    </message>
    <message>
        <source>{bucket} — {shortcut}</source>
        <translation>{bucket} — {shortcut}</translation>
    </message>
    <message>
        <source>You belong to no team.</source>
        <translation>Sie gehören zu keinem Team.</translation>
    </message>
    <message>
        <source>My team ({team})</source>
        <translation>Mein Team ({team})</translation>
    </message>
    <message>
        <source>No follow-up selected.</source>
        <translation>Keine Wiedervorlage gewählt.</translation>
    </message>
    <message>
        <source>due {date}</source>
        <translation>fällig {date}</translation>
    </message>
    <message>
        <source>Instruction:</source>
        <translation>Anweisung:</translation>
    </message>
    <message>
        <source>This follow-up has no source activity.</source>
        <translation>Diese Wiedervorlage hat keine zugehörige Aktivität.</translation>
    </message>
    <message>
        <source>with {contact}</source>
        <translation>mit {contact}</translation>
    </message>
    <message>
        <source>Open record</source>
        <translation>Datensatz öffnen</translation>
    </message>
    <message>
        <source>No open follow-ups here.</source>
        <translation>Hier gibt es keine offenen Wiedervorlagen.</translation>
    </message>
    <message>
        <source>{shown} of {total} open follow-ups loaded</source>
        <translation>{shown} von {total} offenen Wiedervorlagen geladen</translation>
    </message>
    <message>
        <source>Could not load: {error}</source>
        <translation>Laden fehlgeschlagen: {error}</translation>
    </message>
</context>
<context>
    <name>FollowUpPanel</name>
    <message>
        <source>Open follow-ups</source>
        <translation>Offene Wiedervorlagen</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>Anweisung</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>Zuständig</translation>
    </message>
    <message>
        <source>Co&amp;mplete …</source>
        <translation>E&amp;rledigen …</translation>
    </message>
    <message>
        <source>Complete the selected follow-up with an activity (Ctrl+E)</source>
        <translation>Die gewählte Wiedervorlage mit einer Aktivität erledigen (Strg+E)</translation>
    </message>
    <message>
        <source>Source ac&amp;tivity</source>
        <translation>Zugehörige Akti&amp;vität</translation>
    </message>
    <message>
        <source>Show the activity this follow-up came from</source>
        <translation>Die Aktivität zeigen, aus der diese Wiedervorlage entstand</translation>
    </message>
    <message>
        <source>(no instruction)</source>
        <translation>(ohne Anweisung)</translation>
    </message>
    <message>
        <source>Priority: high</source>
        <translation>Priorität: hoch</translation>
    </message>
    <message>
        <source>Priority: time-critical</source>
        <translation>Priorität: zeitkritisch</translation>
    </message>
    <message>
        <source>Repeats: %1</source>
        <translation>Wiederholung: %1</translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation>Aus: %1</translation>
    </message>
    <message>
        <source>No open follow-up: this customer is dead. Log an activity and set the next follow-up.</source>
        <translation>Keine offene Wiedervorlage: dieser Kunde ist tot. Erfassen Sie eine Aktivität und setzen Sie die nächste Wiedervorlage.</translation>
    </message>
    <message>
        <source>No open follow-up.</source>
        <translation>Keine offene Wiedervorlage.</translation>
    </message>
</context>
<context>
    <name>FollowUpTableModel</name>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>Anweisung</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Zuständig</translation>
    </message>
    <message>
        <source>Source activity</source>
        <translation>Zugehörige Aktivität</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <source>Time-critical</source>
        <translation>Zeitkritisch</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Recurring: {rule}</source>
        <translation>Wiederkehrend: {rule}</translation>
    </message>
</context>
<context>
    <name>IconChooser</name>
    <message>
        <source>Choose an icon</source>
        <extracomment>What the chooser offers before a search: icons for ways of contact.</extracomment>
        <translation>Symbol wählen</translation>
    </message>
    <message>
        <source>Search icons (English), e.g. phone, mail, car</source>
        <translation>Symbole suchen (englisch), z. B. phone, mail, car</translation>
    </message>
    <message numerus="yes">
        <source>%n icon(s) found</source>
        <translation>
            <numerusform>%n Symbol gefunden</numerusform>
            <numerusform>%n Symbole gefunden</numerusform>
        </translation>
    </message>
    <message>
        <source> — the first {shown} shown; type more to narrow</source>
        <translation> – die ersten {shown} angezeigt; weiter tippen, um einzugrenzen</translation>
    </message>
    <message>
        <source>A selection; search to see all icons</source>
        <translation>Eine Auswahl; suchen, um alle Symbole zu sehen</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>Import records</source>
        <translation>Datensätze importieren</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
</context>
<context>
    <name>LinkOpener</name>
    <message>
        <source>The link could not be opened: %1</source>
        <translation>Der Link konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>Link öffnen</translation>
    </message>
    <message>
        <source>AkquiseDesktop: record %1 in %2</source>
        <translation>AkquiseDesktop: Datensatz %1 in %2</translation>
    </message>
    <message>
        <source>Create desktop shortcut</source>
        <translation>Desktop-Verknüpfung anlegen</translation>
    </message>
    <message>
        <source>The shortcut could not be written: %1</source>
        <translation>Die Verknüpfung konnte nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>The shortcut to “%1” is on the desktop:
%2</source>
        <translation>Die Verknüpfung zu „%1“ liegt auf dem Desktop:
%2</translation>
    </message>
</context>
<context>
    <name>LinkStatus</name>
    <message>
        <source>A save waits for the database to be reachable again; it is sent automatically (never twice).</source>
        <translation>Eine Speicherung wartet darauf, dass die Datenbank wieder erreichbar ist; sie wird automatisch gesendet (nie doppelt).</translation>
    </message>
    <message>
        <source>Database connection lost – retrying in {seconds} s …</source>
        <translation>Verbindung zur Datenbank unterbrochen – neuer Versuch in {seconds} s …</translation>
    </message>
    <message>
        <source>Database connection lost – retrying …</source>
        <translation>Verbindung zur Datenbank unterbrochen – neuer Versuch …</translation>
    </message>
</context>
<context>
    <name>LiveStatus</name>
    <message>
        <source>Live: connecting …</source>
        <translation>Live: verbinde …</translation>
    </message>
    <message>
        <source>Connecting to hear colleagues&apos; changes</source>
        <translation>Verbindung für die Änderungen der Kollegen wird aufgebaut</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Colleagues&apos; changes appear as soon as they are saved</source>
        <translation>Änderungen der Kollegen erscheinen, sobald sie gespeichert sind</translation>
    </message>
    <message>
        <source>Live: reconnecting …</source>
        <translation>Live: verbinde neu …</translation>
    </message>
    <message>
        <source>The connection for colleagues&apos; changes was lost; trying again. The lists reload once it is back.</source>
        <translation>Die Verbindung für die Änderungen der Kollegen ist unterbrochen; neuer Versuch läuft. Die Listen laden neu, sobald sie wieder steht.</translation>
    </message>
    <message>
        <source>Live: off</source>
        <translation>Live: aus</translation>
    </message>
    <message>
        <source>Colleagues&apos; changes are not shown as they happen</source>
        <translation>Änderungen der Kollegen werden nicht sofort angezeigt</translation>
    </message>
</context>
<context>
    <name>LogActivityPage</name>
    <message>
        <source>e.g. mailing sent</source>
        <translation>z. B. Mailing verschickt</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>My follow-ups</source>
        <translation>Meine Wiedervorlagen</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>Activity stream</source>
        <translation>Aktivitätsstrom</translation>
    </message>
    <message>
        <source>Dead records</source>
        <translation>Tote Kunden</translation>
    </message>
    <message>
        <source>Campaigns</source>
        <translation>Kampagnen</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>Verwaltung</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New record …</source>
        <translation>&amp;Neuer Datensatz …</translation>
    </message>
    <message>
        <source>&amp;Log phone call …</source>
        <translation>&amp;Telefonat erfassen …</translation>
    </message>
    <message>
        <source>Switch &amp;connection …</source>
        <translation>&amp;Verbindung wechseln …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Find record</source>
        <translation>Datensatz &amp;suchen</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Ak&amp;tualisieren</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>S&amp;prache</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;About AkquiseDesktop</source>
        <translation>Ü&amp;ber AkquiseDesktop</translation>
    </message>
    <message>
        <source>Working on the database …</source>
        <translation>Arbeite mit der Datenbank …</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>No call in progress.</source>
        <translation>Kein Anruf im Gang.</translation>
    </message>
    <message>
        <source>The connection to the server is encrypted (TLS).</source>
        <translation>Die Verbindung zum Server ist verschlüsselt (TLS).</translation>
    </message>
    <message>
        <source>The connection to the server is NOT encrypted.</source>
        <translation>Die Verbindung zum Server ist NICHT verschlüsselt.</translation>
    </message>
    <message>
        <source>User: %1</source>
        <translation>Benutzer: %1</translation>
    </message>
    <message>
        <source>AkquiseDesktop – %1</source>
        <translation>AkquiseDesktop – %1</translation>
    </message>
    <message>
        <source>Open the record of the selected row</source>
        <translation>Datensatz der gewählten Zeile öffnen</translation>
    </message>
    <message>
        <source>Save the activity dialog</source>
        <translation>Aktivitätsdialog speichern</translation>
    </message>
    <message>
        <source>Open the selected record</source>
        <translation>Gewählten Datensatz öffnen</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Menu or field with an underlined letter</source>
        <translation>Menü oder Feld mit unterstrichenem Buchstaben</translation>
    </message>
    <message>
        <source>Alt+letter</source>
        <translation>Alt+Buchstabe</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>About AkquiseDesktop</source>
        <translation>Über AkquiseDesktop</translation>
    </message>
    <message>
        <source>AkquiseDesktop %1

Every contact is an activity, every activity sets the next follow-up, every follow-up is completed by an activity.</source>
        <translation>AkquiseDesktop %1

Jeder Kontakt ist eine Aktivität, jede Aktivität setzt die nächste Wiedervorlage, jede Wiedervorlage wird durch eine Aktivität erledigt.</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>Assign the columns</source>
        <translation>Spalten zuordnen</translation>
    </message>
    <message>
        <source>Choose the field each column fills. A name (company or last name) is needed.</source>
        <translation>Wählen Sie für jede Spalte das Feld, das sie füllt. Ein Name (Firma oder Nachname) ist nötig.</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>Spalte</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>First value</source>
        <translation>Erster Wert</translation>
    </message>
    <message>
        <source>— do not import —</source>
        <translation>— nicht importieren —</translation>
    </message>
    <message>
        <source>A field may be chosen for one column only: {fields}</source>
        <translation>Ein Feld kann nur einer Spalte zugeordnet werden: {fields}</translation>
    </message>
    <message>
        <source>Choose a column for the name (company or last name).</source>
        <translation>Wählen Sie eine Spalte für den Namen (Firma oder Nachname).</translation>
    </message>
</context>
<context>
    <name>MasterDataForm</name>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>Ar&amp;t:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>St&amp;reet:</source>
        <translation>&amp;Straße:</translation>
    </message>
    <message>
        <source>&amp;Postcode, city:</source>
        <translation>P&amp;LZ, Ort:</translation>
    </message>
    <message>
        <source>P&amp;hone:</source>
        <translation>Tele&amp;fon:</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;Website:</source>
        <translation>&amp;Webseite:</translation>
    </message>
    <message>
        <source>&amp;Industry:</source>
        <translation>&amp;Branche:</translation>
    </message>
    <message>
        <source>Account man&amp;ager:</source>
        <translation>Betre&amp;uer:</translation>
    </message>
    <message>
        <source>Load current &amp;version</source>
        <translation>A&amp;ktuellen Stand laden</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>N&amp;otizen:</translation>
    </message>
    <message>
        <source>Postcode</source>
        <translation>PLZ</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>Spei&amp;chern</translation>
    </message>
    <message>
        <source>&amp;Undo changes</source>
        <translation>&amp;Änderungen verwerfen</translation>
    </message>
    <message>
        <source>The name must not be empty.</source>
        <translation>Der Name darf nicht leer sein.</translation>
    </message>
    <message>
        <source>The e-mail address is not valid.</source>
        <translation>Die E-Mail-Adresse ist ungültig.</translation>
    </message>
    <message>
        <source>The country is a two-letter code, e.g. DE.</source>
        <translation>Das Land ist ein Kürzel aus zwei Buchstaben, z. B. DE.</translation>
    </message>
    <message>
        <source>The website must not contain spaces.</source>
        <translation>Die Webseite darf keine Leerzeichen enthalten.</translation>
    </message>
</context>
<context>
    <name>MembershipsTab</name>
    <message>
        <source>Campaign</source>
        <translation>Kampagne</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>%1 (inactive)</source>
        <translation>%1 (inaktiv)</translation>
    </message>
    <message>
        <source> (final)</source>
        <translation> (final)</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <source>Delete status “{name}”</source>
        <translation>Kampagnenstatus „{name}“ löschen</translation>
    </message>
    <message>
        <source>A status is deleted by merging it into another status of the campaign. Its records get that status; the allowed next statuses pointing at it point at that status.</source>
        <translation>Ein Kampagnenstatus wird gelöscht, indem er mit einem anderen Status der Kampagne zusammengeführt wird. Seine Datensätze erhalten diesen Status; Folgestatus, die auf ihn verweisen, verweisen dann auf diesen Status.</translation>
    </message>
    <message>
        <source>&amp;Merge into:</source>
        <translation>&amp;Zusammenführen mit:</translation>
    </message>
    <message>
        <source>Moving from “{name}” to the chosen status — records in this status: {memberships}, entries of the status history: {history}. This cannot be undone.</source>
        <translation>Aus „{name}“ in den gewählten Status wandern – Datensätze in diesem Status: {memberships}, Einträge der Statushistorie: {history}. Das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>&amp;Merge and delete</source>
        <translation>&amp;Zusammenführen und löschen</translation>
    </message>
</context>
<context>
    <name>NewRecordDialog</name>
    <message>
        <source>New record</source>
        <translation>Neuer Datensatz</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;City:</source>
        <translation>&amp;Ort:</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Telefon:</translation>
    </message>
    <message>
        <source>Save &amp;anyway</source>
        <translation>Trotzdem &amp;speichern</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Possibly already there (similar name or same phone):</source>
        <translation>Möglicherweise schon vorhanden (ähnlicher Name oder gleiche Telefonnummer):</translation>
    </message>
</context>
<context>
    <name>NextFollowUpBox</name>
    <message>
        <source>Next follow-up for each record</source>
        <translation>Nächste Wiedervorlage für jeden Datensatz</translation>
    </message>
    <message>
        <source>&amp;Due:</source>
        <translation>&amp;Fällig:</translation>
    </message>
    <message>
        <source>Assi&amp;gnee:</source>
        <translation>&amp;Zuständig:</translation>
    </message>
    <message>
        <source>to each record&apos;s account &amp;manager</source>
        <translation>an den jeweiligen Betreu&amp;er des Datensatzes</translation>
    </message>
    <message>
        <source>Pr&amp;iority:</source>
        <translation>&amp;Priorität:</translation>
    </message>
    <message>
        <source>Instructio&amp;n:</source>
        <translation>An&amp;weisung:</translation>
    </message>
</context>
<context>
    <name>NextFollowUpEditor</name>
    <message>
        <source>Set the &amp;next follow-up</source>
        <translation>&amp;Nächste Wiedervorlage setzen</translation>
    </message>
    <message>
        <source>&amp;Due:</source>
        <translation>&amp;Fällig:</translation>
    </message>
    <message>
        <source>+1 day</source>
        <translation>+1 Tag</translation>
    </message>
    <message>
        <source>+1 week</source>
        <translation>+1 Woche</translation>
    </message>
    <message>
        <source>+2 weeks</source>
        <translation>+2 Wochen</translation>
    </message>
    <message>
        <source>+1 month</source>
        <translation>+1 Monat</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Vorgabe</translation>
    </message>
    <message>
        <source>T&amp;ime:</source>
        <translation>&amp;Uhrzeit:</translation>
    </message>
    <message>
        <source>Due time</source>
        <translation>Uhrzeit der Fälligkeit</translation>
    </message>
    <message>
        <source>Due at a certain time of day</source>
        <translation>Zu einer bestimmten Uhrzeit fällig</translation>
    </message>
    <message>
        <source>&amp;Assignee:</source>
        <translation>&amp;Zuständig:</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <source>Time-critical</source>
        <translation>Zeitkritisch</translation>
    </message>
    <message>
        <source>&amp;Priority:</source>
        <translation>P&amp;riorität:</translation>
    </message>
    <message>
        <source>Does not repeat</source>
        <translation>Keine Wiederholung</translation>
    </message>
    <message>
        <source>Every week</source>
        <translation>Jede Woche</translation>
    </message>
    <message>
        <source>Every 2 weeks</source>
        <translation>Alle 2 Wochen</translation>
    </message>
    <message>
        <source>Every month</source>
        <translation>Jeden Monat</translation>
    </message>
    <message>
        <source>Every quarter</source>
        <translation>Jedes Quartal</translation>
    </message>
    <message>
        <source>Every six months</source>
        <translation>Jedes halbe Jahr</translation>
    </message>
    <message>
        <source>Every year</source>
        <translation>Jedes Jahr</translation>
    </message>
    <message>
        <source>Other rhythm or custom rule…</source>
        <translation>Anderer Rhythmus oder eigene Regel …</translation>
    </message>
    <message>
        <source>Mor&amp;e…</source>
        <translation>&amp;Mehr …</translation>
    </message>
    <message>
        <source>Recurrence options: rhythm, end of the series, count from the due date or from the completion date, preview of the next dates</source>
        <translation>Wiederholung: Rhythmus, Ende der Serie, Zählung ab Fälligkeit oder ab Erledigung, Vorschau der nächsten Termine</translation>
    </message>
    <message>
        <source>e.g. FREQ=MONTHLY;BYDAY=-1FR</source>
        <translation>z. B. FREQ=MONTHLY;BYDAY=-1FR</translation>
    </message>
    <message>
        <source>Custom recurrence rule</source>
        <translation>Eigene Wiederholungsregel</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>Wieder&amp;holung:</translation>
    </message>
    <message>
        <source>What to do next, e.g. send the offer</source>
        <translation>Was als Nächstes zu tun ist, z. B. Angebot schicken</translation>
    </message>
    <message>
        <source>Instru&amp;ction:</source>
        <translation>Anwei&amp;sung:</translation>
    </message>
    <message>
        <source>Default (+{days} days)</source>
        <translation>Vorgabe (+{days} Tage)</translation>
    </message>
    <message>
        <source>The next follow-up must not be due before the activity ({date}).</source>
        <translation>Die nächste Wiedervorlage darf nicht vor der Aktivität ({date}) fällig sein.</translation>
    </message>
    <message>
        <source>Enter a recurrence rule, or choose a preset.</source>
        <translation>Geben Sie eine Wiederholungsregel ein oder wählen Sie eine Vorlage.</translation>
    </message>
    <message>
        <source>counted from the completion date</source>
        <translation>ab dem Erledigungsdatum gezählt</translation>
    </message>
    <message>
        <source>off weekends and holidays ({region})</source>
        <translation>ohne Wochenenden und Feiertage ({region})</translation>
    </message>
</context>
<context>
    <name>NextStatusesEditor</name>
    <message>
        <source>Allowed next statuses</source>
        <translation>Folgestatus</translation>
    </message>
    <message>
        <source>Checked statuses are offered as buttons in the activity mask, in this order; the first one is the default.</source>
        <translation>Die angehakten Status bietet die Aktivitätsmaske als Schaltflächen in dieser Reihenfolge an; der erste ist die Vorgabe.</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Nach oben</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Nach unten</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>Spei&amp;chern</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>Allowed next statuses of “{name}”</source>
        <translation>Folgestatus von „{name}“</translation>
    </message>
    <message>
        <source>{name} (default)</source>
        <translation>{name} (Vorgabe)</translation>
    </message>
</context>
<context>
    <name>OperationPage</name>
    <message>
        <source>Account manager</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Zuständig</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Uhrzeit</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Instruction</source>
        <translation>Anweisung</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Aktivität</translation>
    </message>
    <message>
        <source>Next follow-up</source>
        <translation>Nächste Wiedervorlage</translation>
    </message>
    <message>
        <source>all day</source>
        <translation>ganztägig</translation>
    </message>
</context>
<context>
    <name>PowerTools</name>
    <message>
        <source>&amp;Bulk editing …</source>
        <translation>&amp;Massenbearbeitung …</translation>
    </message>
    <message>
        <source>&amp;Rebook follow-ups …</source>
        <translation>Wiedervorlagen &amp;umbuchen …</translation>
    </message>
    <message>
        <source>&amp;Export my follow-ups to a calendar (iCalendar) …</source>
        <translation>Meine Wiedervorlagen in einen Kalender &amp;exportieren (iCalendar) …</translation>
    </message>
    <message>
        <source>E&amp;xtras</source>
        <translation>E&amp;xtras</translation>
    </message>
    <message>
        <source>Checking your rights …</source>
        <translation>Ihre Rechte werden geprüft …</translation>
    </message>
    <message>
        <source>Your role group “{group}” has no right for bulk editing.</source>
        <translation>Ihre Rechtegruppe „{group}“ hat kein Recht zur Massenbearbeitung.</translation>
    </message>
    <message>
        <source>Bulk editing</source>
        <translation>Massenbearbeitung</translation>
    </message>
    <message>
        <source>Select the follow-ups to change in the list first.</source>
        <translation>Markieren Sie zuerst die zu ändernden Wiedervorlagen in der Liste.</translation>
    </message>
    <message>
        <source>iCalendar: tasks and events (*.ics)</source>
        <translation>iCalendar: Aufgaben und Termine (*.ics)</translation>
    </message>
    <message>
        <source>iCalendar for Outlook: events only (*.ics)</source>
        <translation>iCalendar für Outlook: nur Termine (*.ics)</translation>
    </message>
    <message>
        <source>Export my follow-ups to a calendar</source>
        <translation>Meine Wiedervorlagen in einen Kalender exportieren</translation>
    </message>
    <message>
        <source>Calendar export</source>
        <translation>Kalender-Export</translation>
    </message>
    <message>
        <source>{count} open follow-up(s) exported to {file}.

Importing the file again later updates the entries instead of duplicating them.</source>
        <translation>{count} offene Wiedervorlage(n) nach {file} exportiert.

Wird die Datei später erneut importiert, werden die Einträge aktualisiert statt verdoppelt.</translation>
    </message>
    <message>
        <source>The file {file} cannot be written: {error}</source>
        <translation>Die Datei {file} lässt sich nicht schreiben: {error}</translation>
    </message>
</context>
<context>
    <name>RebookingDialog</name>
    <message>
        <source>Rebook follow-ups</source>
        <translation>Wiedervorlagen umbuchen</translation>
    </message>
    <message>
        <source>Which follow-ups</source>
        <translation>Welche Wiedervorlagen</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>&amp;Von:</translation>
    </message>
    <message>
        <source>Due from</source>
        <translation>Fällig ab</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Date range:</source>
        <translation>Zeitraum:</translation>
    </message>
    <message>
        <source>&amp;Campaign:</source>
        <translation>&amp;Kampagne:</translation>
    </message>
    <message>
        <source>Priorities:</source>
        <translation>Prioritäten:</translation>
    </message>
    <message>
        <source>To</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Tick one or more users; the follow-ups are shared out evenly.</source>
        <translation>Einen oder mehrere Benutzer ankreuzen; die Wiedervorlagen werden gleichmäßig verteilt.</translation>
    </message>
    <message>
        <source>Target users</source>
        <translation>Ziel-Benutzer</translation>
    </message>
    <message>
        <source>&amp;Spread over working days</source>
        <translation>Auf Arbeitstage ver&amp;teilen</translation>
    </message>
    <message>
        <source>S&amp;tarting:</source>
        <translation>&amp;Ab:</translation>
    </message>
    <message>
        <source>Counting the follow-ups the user already has on that day</source>
        <translation>Mitgezählt werden die Wiedervorlagen, die der Benutzer an dem Tag schon hat</translation>
    </message>
    <message>
        <source>At &amp;most per user and day:</source>
        <translation>&amp;Höchstens pro Benutzer und Tag:</translation>
    </message>
    <message>
        <source>&amp;Holidays of:</source>
        <translation>&amp;Feiertage von:</translation>
    </message>
    <message>
        <source>&amp;Keep due dates later than the start</source>
        <translation>Spätere Fälligkeiten &amp;beibehalten</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>V&amp;orschau</translation>
    </message>
    <message>
        <source>&amp;Rebook</source>
        <translation>&amp;Umbuchen</translation>
    </message>
    <message>
        <source>Preview first; the rebooking does what it shows</source>
        <translation>Erst die Vorschau; das Umbuchen tut, was sie zeigt</translation>
    </message>
    <message>
        <source>Choose whose follow-ups go to whom, then preview.</source>
        <translation>Wählen, wessen Wiedervorlagen an wen gehen, dann Vorschau.</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <source>New due date</source>
        <translation>Neu fällig</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Already due</source>
        <translation>Schon fällig</translation>
    </message>
    <message>
        <source>Rebooked</source>
        <translation>Umgebucht</translation>
    </message>
    <message>
        <source>Follow-ups</source>
        <translation>Wiedervorlagen</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Pro Tag</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Undone (see below). Preview again to rebook.</source>
        <translation>Rückgängig gemacht (siehe unten). Zum Umbuchen erneut Vorschau.</translation>
    </message>
    <message>
        <source>{name} (inactive)</source>
        <translation>{name} (inaktiv)</translation>
    </message>
    <message>
        <source>Team {team} (all members)</source>
        <translation>Team {team} (alle Mitglieder)</translation>
    </message>
    <message>
        <source>All campaigns</source>
        <translation>Alle Kampagnen</translation>
    </message>
    <message>
        <source>Your role group “{group}” has no right for bulk editing, which rebooking needs; ask an administrator.</source>
        <translation>Ihre Rechtegruppe „{group}“ hat kein Recht zur Massenbearbeitung, das das Umbuchen braucht; fragen Sie einen Administrator.</translation>
    </message>
    <message>
        <source>The input changed: preview again.</source>
        <translation>Die Eingabe hat sich geändert: bitte erneut Vorschau.</translation>
    </message>
    <message>
        <source>Tick at least one priority.</source>
        <translation>Mindestens eine Priorität ankreuzen.</translation>
    </message>
    <message>
        <source>Tick the user(s) to move the follow-ups to.</source>
        <translation>Den oder die Benutzer ankreuzen, an die die Wiedervorlagen gehen.</translation>
    </message>
    <message>
        <source>Working out the plan …</source>
        <translation>Plan wird ermittelt …</translation>
    </message>
    <message>
        <source>No open follow-ups match.</source>
        <translation>Keine offenen Wiedervorlagen passen.</translation>
    </message>
    <message>
        <source>{moving} of {total} follow-up(s) move.</source>
        <translation>{moving} von {total} Wiedervorlage(n) werden umgebucht.</translation>
    </message>
    <message>
        <source>{n} refused (see the list).</source>
        <translation>{n} abgelehnt (siehe Liste).</translation>
    </message>
    <message>
        <source>The table shows the first {n}.</source>
        <translation>Die Tabelle zeigt die ersten {n}.</translation>
    </message>
    <message>
        <source>&amp;Rebook {n} follow-up(s)</source>
        <translation>{n} Wiedervorlage(n) &amp;umbuchen</translation>
    </message>
    <message>
        <source>Follow-ups ({n})</source>
        <translation>Wiedervorlagen ({n})</translation>
    </message>
    <message>
        <source>Refused ({n})</source>
        <translation>Abgelehnt ({n})</translation>
    </message>
    <message>
        <source>Rebooking …</source>
        <translation>Wird umgebucht …</translation>
    </message>
    <message>
        <source>Rebooking {n} follow-up(s) …</source>
        <translation>{n} Wiedervorlage(n) werden umgebucht …</translation>
    </message>
    <message>
        <source>Cancelled: {changed} follow-up(s) rebooked, {left} not reached.</source>
        <translation>Abgebrochen: {changed} Wiedervorlage(n) umgebucht, {left} nicht erreicht.</translation>
    </message>
    <message>
        <source>Done: {changed} follow-up(s) rebooked.</source>
        <translation>Fertig: {changed} Wiedervorlage(n) umgebucht.</translation>
    </message>
    <message>
        <source>“Undo” below reverts it.</source>
        <translation>„Rückgängig“ unten macht es rückgängig.</translation>
    </message>
</context>
<context>
    <name>RecentRunsPanel</name>
    <message>
        <source>Recent bulk changes</source>
        <translation>Letzte Massenänderungen</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Vorgang</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stand</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>Undo the selected bulk change as one step; rows changed by someone else since stay as they are</source>
        <translation>Die gewählte Massenänderung in einem Schritt rückgängig machen; von anderen inzwischen geänderte Zeilen bleiben, wie sie sind</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>undone</source>
        <translation>rückgängig gemacht</translation>
    </message>
    <message>
        <source>{changed} of {total}</source>
        <translation>{changed} von {total}</translation>
    </message>
    <message>
        <source>Undo bulk change</source>
        <translation>Massenänderung rückgängig machen</translation>
    </message>
    <message>
        <source>Undo “{operation}” of {when} ({changed} rows changed)? Rows changed by someone else since stay as they are.</source>
        <translation>„{operation}“ vom {when} ({changed} Zeilen geändert) rückgängig machen? Von anderen inzwischen geänderte Zeilen bleiben, wie sie sind.</translation>
    </message>
    <message>
        <source>Undoing …</source>
        <translation>Wird rückgängig gemacht …</translation>
    </message>
    <message>
        <source>Undone: {restored} row(s) restored.</source>
        <translation>Rückgängig gemacht: {restored} Zeile(n) wiederhergestellt.</translation>
    </message>
    <message>
        <source>{count} row(s) were changed by someone else since and stay as they are:</source>
        <translation>{count} Zeile(n) wurden inzwischen von anderen geändert und bleiben, wie sie sind:</translation>
    </message>
</context>
<context>
    <name>RecordListEmptyState</name>
    <message>
        <source>No record matches the filter</source>
        <translation>Kein Datensatz passt zum Filter</translation>
    </message>
    <message>
        <source>Change the search or the filters, or clear them to see all records.</source>
        <translation>Ändern Sie die Suche oder die Filter, oder setzen Sie sie zurück, um alle Datensätze zu sehen.</translation>
    </message>
    <message>
        <source>&amp;Clear filter</source>
        <translation>Filter &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;Import …</source>
        <translation>&amp;Importieren …</translation>
    </message>
    <message>
        <source>No records yet</source>
        <translation>Noch keine Datensätze</translation>
    </message>
    <message>
        <source>Create your first record, import records from a file, or load demo data to try everything out.</source>
        <translation>Legen Sie Ihren ersten Datensatz an, importieren Sie Datensätze aus einer Datei oder laden Sie Demodaten, um alles auszuprobieren.</translation>
    </message>
    <message>
        <source>Create your first record, or load demo data to try everything out.</source>
        <translation>Legen Sie Ihren ersten Datensatz an oder laden Sie Demodaten, um alles auszuprobieren.</translation>
    </message>
    <message>
        <source>&amp;New record</source>
        <translation>&amp;Neuer Datensatz</translation>
    </message>
    <message>
        <source>Load &amp;demo data</source>
        <translation>&amp;Demodaten laden</translation>
    </message>
</context>
<context>
    <name>RecordListView</name>
    <message>
        <source>Counting …</source>
        <translation>Zähle …</translation>
    </message>
    <message>
        <source>More than %1 records</source>
        <translation>Mehr als %1 Datensätze</translation>
    </message>
    <message>
        <source>Search name, city, phone, e-mail, contact person … (Ctrl+F)</source>
        <translation>Suche in Name, Ort, Telefon, E-Mail, Ansprechpartner … (Strg+F)</translation>
    </message>
    <message>
        <source>Reset &amp;filters</source>
        <translation>&amp;Filter zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;Campaign:</source>
        <translation>&amp;Kampagne:</translation>
    </message>
    <message>
        <source>S&amp;tatus:</source>
        <translation>&amp;Status:</translation>
    </message>
    <message>
        <source>&amp;Account manager:</source>
        <translation>&amp;Betreuer:</translation>
    </message>
    <message>
        <source>T&amp;eam:</source>
        <translation>&amp;Team:</translation>
    </message>
    <message>
        <source>Open record</source>
        <translation>Datensatz öffnen</translation>
    </message>
    <message>
        <source>All campaigns</source>
        <translation>Alle Kampagnen</translation>
    </message>
    <message>
        <source>C&amp;all</source>
        <translation>&amp;Anrufen</translation>
    </message>
    <message>
        <source>C&amp;all %1</source>
        <translation>%1 &amp;anrufen</translation>
    </message>
    <message>
        <source>%1 (inactive)</source>
        <translation>%1 (inaktiv)</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Alle Betreuer</translation>
    </message>
    <message>
        <source>All teams</source>
        <translation>Alle Teams</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n Datensatz</numerusform>
            <numerusform>%n Datensätze</numerusform>
        </translation>
    </message>
    <message>
        <source>The search failed: %1</source>
        <translation>Die Suche ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>RecordTableModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Campaign status</source>
        <translation>Kampagnen-Status</translation>
    </message>
    <message>
        <source>Next follow-up</source>
        <comment>column header, short</comment>
        <translation>Nächste WV</translation>
    </message>
    <message>
        <source>Days inactive</source>
        <translation>Tage inaktiv</translation>
    </message>
    <message>
        <source>Account manager</source>
        <translation>Betreuer</translation>
    </message>
    <message>
        <source>Due date of the next open follow-up</source>
        <translation>Fälligkeit der nächsten offenen Wiedervorlage</translation>
    </message>
    <message>
        <source>Days since the last activity</source>
        <translation>Tage seit der letzten Aktivität</translation>
    </message>
    <message>
        <source>Status in the filtered campaign, else in the latest one</source>
        <translation>Status in der gefilterten Kampagne, sonst in der neuesten</translation>
    </message>
    <message>
        <source>%1 (+%2)</source>
        <translation>%1 (+%2)</translation>
    </message>
    <message>
        <source>Call %1</source>
        <translation>%1 anrufen</translation>
    </message>
    <message>
        <source>Campaign: %1</source>
        <translation>Kampagne: %1</translation>
    </message>
    <message>
        <source>No activity yet</source>
        <translation>Noch keine Aktivität</translation>
    </message>
    <message>
        <source>Last activity: %1</source>
        <translation>Letzte Aktivität: %1</translation>
    </message>
</context>
<context>
    <name>RecordView</name>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation>Zurück (Alt+Links)</translation>
    </message>
    <message>
        <source>&amp;Log activity …</source>
        <translation>&amp;Aktivität erfassen …</translation>
    </message>
    <message>
        <source>Log an activity (Ctrl+N)</source>
        <translation>Eine Aktivität erfassen (Strg+N)</translation>
    </message>
    <message>
        <source>Desktop shortcut</source>
        <translation>Desktop-Verknüpfung</translation>
    </message>
    <message>
        <source>Create a desktop shortcut that opens this record directly</source>
        <translation>Desktop-Verknüpfung anlegen, die diesen Datensatz direkt öffnet</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Anrufen</translation>
    </message>
    <message>
        <source>Master &amp;data</source>
        <translation>Stamm&amp;daten</translation>
    </message>
    <message>
        <source>&amp;Contact persons (%1)</source>
        <translation>Ansprech&amp;partner (%1)</translation>
    </message>
    <message>
        <source>Campai&amp;gns (%1)</source>
        <translation>Kampa&amp;gnen (%1)</translation>
    </message>
    <message>
        <source>Log activity</source>
        <translation>Aktivität erfassen</translation>
    </message>
    <message>
        <source>Complete follow-up</source>
        <translation>Wiedervorlage erledigen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Record #%1 no longer exists</source>
        <translation>Den Datensatz #%1 gibt es nicht mehr</translation>
    </message>
    <message>
        <source>Account manager: %1</source>
        <translation>Betreuer: %1</translation>
    </message>
    <message>
        <source>no activity yet</source>
        <translation>noch keine Aktivität</translation>
    </message>
    <message numerus="yes">
        <source>last activity %n day(s) ago</source>
        <translation>
            <numerusform>letzte Aktivität vor %n Tag</numerusform>
            <numerusform>letzte Aktivität vor %n Tagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Someone else changed this record meanwhile. Your input is kept; reload to see their changes.</source>
        <translation>Jemand anderes hat diesen Datensatz inzwischen geändert. Ihre Eingaben bleiben erhalten; laden Sie neu, um die Änderungen zu sehen.</translation>
    </message>
    <message>
        <source>Record: %1</source>
        <translation>Datensatz: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 (mobile): %2</source>
        <translation>%1 (mobil): %2</translation>
    </message>
    <message>
        <source>Call %1</source>
        <translation>%1 anrufen</translation>
    </message>
    <message>
        <source>No phone number</source>
        <translation>Keine Telefonnummer</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
</context>
<context>
    <name>RecurrenceDialog</name>
    <message>
        <source>Repeat the follow-up</source>
        <translation>Wiedervorlage wiederholen</translation>
    </message>
    <message>
        <source>The first follow-up is due on {date}.</source>
        <translation>Die erste Wiedervorlage ist am {date} fällig.</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>Wiederholung</translation>
    </message>
    <message>
        <source>Daily / every N days</source>
        <translation>Täglich / alle N Tage</translation>
    </message>
    <message>
        <source>Weekly on a weekday</source>
        <translation>Wöchentlich an einem Wochentag</translation>
    </message>
    <message>
        <source>Every N weeks on a weekday</source>
        <translation>Alle N Wochen an einem Wochentag</translation>
    </message>
    <message>
        <source>Monthly on day N</source>
        <translation>Monatlich am N. Tag</translation>
    </message>
    <message>
        <source>Monthly on the last weekday (e.g. Friday)</source>
        <translation>Monatlich am letzten Wochentag (z. B. Freitag)</translation>
    </message>
    <message>
        <source>Quarterly</source>
        <translation>Vierteljährlich</translation>
    </message>
    <message>
        <source>Half-yearly</source>
        <translation>Halbjährlich</translation>
    </message>
    <message>
        <source>Yearly</source>
        <translation>Jährlich</translation>
    </message>
    <message>
        <source>Custom rule (RRULE)</source>
        <translation>Eigene Regel (RRULE)</translation>
    </message>
    <message>
        <source>&amp;Rhythm:</source>
        <translation>&amp;Rhythmus:</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>Abstand</translation>
    </message>
    <message>
        <source>&amp;Every:</source>
        <translation>&amp;Alle:</translation>
    </message>
    <message>
        <source>&amp;Weekday:</source>
        <translation>&amp;Wochentag:</translation>
    </message>
    <message>
        <source>29, 30 or 31: the last day of the month in shorter months</source>
        <translation>29, 30 oder 31: in kürzeren Monaten der letzte Tag des Monats</translation>
    </message>
    <message>
        <source>Day of the &amp;month:</source>
        <translation>&amp;Tag im Monat:</translation>
    </message>
    <message>
        <source>e.g. FREQ=MONTHLY;BYDAY=-1FR</source>
        <translation>z. B. FREQ=MONTHLY;BYDAY=-1FR</translation>
    </message>
    <message>
        <source>An RFC 5545 RRULE without DTSTART; FREQ is DAILY, WEEKLY, MONTHLY or YEARLY.</source>
        <translation>Eine RRULE nach RFC 5545 ohne DTSTART; FREQ ist DAILY, WEEKLY, MONTHLY oder YEARLY.</translation>
    </message>
    <message>
        <source>R&amp;ule:</source>
        <translation>Re&amp;gel:</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Ende</translation>
    </message>
    <message>
        <source>&amp;Never</source>
        <translation>&amp;Nie</translation>
    </message>
    <message>
        <source>&amp;After</source>
        <translation>Na&amp;ch</translation>
    </message>
    <message>
        <source>&amp;On</source>
        <translation>A&amp;m</translation>
    </message>
    <message>
        <source>Number of follow-ups</source>
        <translation>Anzahl der Wiedervorlagen</translation>
    </message>
    <message>
        <source>Last day of the series</source>
        <translation>Letzter Tag der Serie</translation>
    </message>
    <message>
        <source>follow-ups (the first included)</source>
        <translation>Wiedervorlagen (die erste eingeschlossen)</translation>
    </message>
    <message>
        <source>(the last possible day)</source>
        <translation>(der letzte mögliche Tag)</translation>
    </message>
    <message>
        <source>Count the next date from</source>
        <translation>Den nächsten Termin zählen ab</translation>
    </message>
    <message>
        <source>the &amp;due date (a fixed rhythm)</source>
        <translation>dem &amp;Fälligkeitsdatum (fester Rhythmus)</translation>
    </message>
    <message>
        <source>the &amp;completion date (e.g. 3 months after the last contact)</source>
        <translation>dem &amp;Erledigungsdatum (z. B. 3 Monate nach dem letzten Kontakt)</translation>
    </message>
    <message>
        <source>&amp;Move dates off weekends and the public holidays of</source>
        <translation>Termine von Wochenenden und Feiertagen &amp;verschieben, Region</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>The next dates</source>
        <translation>Die nächsten Termine</translation>
    </message>
    <message>
        <source>Dates as completing each follow-up on its due date would create them.</source>
        <translation>Termine, wie sie entstehen, wenn jede Wiedervorlage an ihrem Fälligkeitstag erledigt wird.</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>&amp;Übernehmen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>day(s)</source>
        <translation>Tag(e)</translation>
    </message>
    <message>
        <source>weeks</source>
        <translation>Wochen</translation>
    </message>
    <message>
        <source>month(s)</source>
        <translation>Monat(e)</translation>
    </message>
    <message>
        <source>{number}. {day}</source>
        <translation>{number}. {day}</translation>
    </message>
    <message>
        <source>weekend</source>
        <translation>Wochenende</translation>
    </message>
    <message>
        <source>(instead of {day}: {reason})</source>
        <translation>(statt {day}: {reason})</translation>
    </message>
    <message>
        <source>counted from the completion date</source>
        <translation>ab dem Erledigungsdatum gezählt</translation>
    </message>
    <message>
        <source>off weekends and holidays ({region})</source>
        <translation>ohne Wochenenden und Feiertage ({region})</translation>
    </message>
</context>
<context>
    <name>RegionCombo</name>
    <message>
        <source>{code} — weekends only, no holidays</source>
        <translation>{code} — nur Wochenenden, keine Feiertage</translation>
    </message>
    <message>
        <source>Weekends and this region&apos;s public holidays are skipped; any ISO code, e.g. AT-9</source>
        <translation>Wochenenden und die Feiertage dieser Region werden übersprungen; jeder ISO-Code, z. B. AT-9</translation>
    </message>
</context>
<context>
    <name>ReminderBanner</name>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>Später erinnern</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
</context>
<context>
    <name>ReminderTray</name>
    <message>
        <source>The database reported an error: %1</source>
        <translation>Die Datenbank meldet einen Fehler: %1</translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>fällig %1</translation>
    </message>
    <message>
        <source>(no instruction)</source>
        <translation>(keine Anweisung)</translation>
    </message>
    <message>
        <source>Follow-up due: %1</source>
        <translation>Wiedervorlage fällig: %1</translation>
    </message>
    <message>
        <source>%1 follow-ups due</source>
        <translation>%1 Wiedervorlagen fällig</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>… und %1 weitere</translation>
    </message>
    <message>
        <source>Time-critical: %1</source>
        <translation>Zeitkritisch: %1</translation>
    </message>
    <message>
        <source>Due or overdue in all: %1</source>
        <translation>Fällig oder überfällig insgesamt: %1</translation>
    </message>
    <message>
        <source>AkquiseDesktop – no follow-up due</source>
        <translation>AkquiseDesktop – keine Wiedervorlage fällig</translation>
    </message>
    <message>
        <source>AkquiseDesktop – follow-ups due or overdue: %1</source>
        <translation>AkquiseDesktop – fällige oder überfällige Wiedervorlagen: %1</translation>
    </message>
    <message>
        <source>15 minutes</source>
        <translation>15 Minuten</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>Morgen</translation>
    </message>
    <message>
        <source>Show AkquiseDesktop</source>
        <translation>AkquiseDesktop anzeigen</translation>
    </message>
    <message>
        <source>My follow-ups</source>
        <translation>Meine Wiedervorlagen</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>Später erinnern</translation>
    </message>
    <message>
        <source>Keep running in the tray when the window is closed</source>
        <translation>Beim Schließen des Fensters im Infobereich weiterlaufen</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>Minimiert im Infobereich starten</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>Bei der Anmeldung starten</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>My follow-ups (%1)</source>
        <translation>Meine Wiedervorlagen (%1)</translation>
    </message>
    <message>
        <source>Snooze failed</source>
        <translation>Später erinnern fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <source>Restore backup</source>
        <translation>Sicherung wiederherstellen</translation>
    </message>
    <message>
        <source>Choose the backup to restore:</source>
        <translation>Welche Sicherung soll wiederhergestellt werden?</translation>
    </message>
    <message>
        <source>{when} — {size} KB</source>
        <translation>{when} — {size} KB</translation>
    </message>
    <message>
        <source>No automatic backups yet.</source>
        <translation>Noch keine automatischen Sicherungen.</translation>
    </message>
    <message>
        <source>Other &amp;file …</source>
        <translation>Andere &amp;Datei …</translation>
    </message>
    <message>
        <source>&amp;Restore …</source>
        <translation>&amp;Wiederherstellen …</translation>
    </message>
    <message>
        <source>SQLite database (*.sqlite3 *.db);;All files (*)</source>
        <translation>SQLite-Datenbank (*.sqlite3 *.db);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>RoleGroupsPage</name>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>Contact persons</source>
        <translation>Ansprechpartner</translation>
    </message>
    <message>
        <source>Activities and follow-ups</source>
        <translation>Aktivitäten und Wiedervorlagen</translation>
    </message>
    <message>
        <source>Cancel follow-ups</source>
        <translation>Wiedervorlagen stornieren</translation>
    </message>
    <message>
        <source>Campaigns (statuses, workflow)</source>
        <translation>Kampagnen (Status, Folgestatus)</translation>
    </message>
    <message>
        <source>Bulk editing</source>
        <translation>Massenbearbeitung</translation>
    </message>
    <message>
        <source>CSV import/export</source>
        <translation>CSV-Import/Export</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Statistik</translation>
    </message>
    <message>
        <source>Settings (activity types, system)</source>
        <translation>Einstellungen (Aktivitätsarten, System)</translation>
    </message>
    <message>
        <source>No access</source>
        <translation>Kein Zugriff</translation>
    </message>
    <message>
        <source>Own records</source>
        <translation>Eigene Datensätze</translation>
    </message>
    <message>
        <source>Own team</source>
        <translation>Eigene Betreuergruppe</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Role groups</source>
        <translation>Rechtegruppen</translation>
    </message>
    <message>
        <source>Role group</source>
        <translation>Rechtegruppe</translation>
    </message>
    <message>
        <source>Active users</source>
        <translation>Aktive Benutzer</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>Ne&amp;u</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>&amp;Duplizieren</translation>
    </message>
    <message>
        <source>&amp;Delete …</source>
        <translation>&amp;Löschen …</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>This is the administrator group: it always has every right on all records and cannot be restricted, and its chain rules stay as they are. Only its name can be changed.</source>
        <translation>Dies ist die Administratorgruppe: Sie hat immer alle Rechte auf alle Datensätze und kann nicht eingeschränkt werden; auch ihre Kettenregeln bleiben, wie sie sind. Nur ihr Name lässt sich ändern.</translation>
    </message>
    <message>
        <source>Rights</source>
        <translation>Rechte</translation>
    </message>
    <message>
        <source>* Only “All” allows changes here; other scopes act like “No access”.</source>
        <translation>* Hier erlaubt nur „Alle“ Änderungen; jede andere Reichweite wirkt wie „Kein Zugriff“.</translation>
    </message>
    <message>
        <source>Chain rules</source>
        <translation>Kettenregeln</translation>
    </message>
    <message>
        <source>No follow-up without an activity</source>
        <translation>Keine Wiedervorlage ohne Aktivität</translation>
    </message>
    <message>
        <source>A follow-up must result from an activity: one created on its own, without the activity it comes from, is refused. No exceptions.</source>
        <translation>Eine Wiedervorlage muss aus einer Aktivität entstehen: Eine allein angelegte, ohne die Aktivität, aus der sie hervorgeht, wird abgelehnt. Ohne Ausnahmen.</translation>
    </message>
    <message>
        <source>No activity without a follow-up</source>
        <translation>Keine Aktivität ohne Wiedervorlage</translation>
    </message>
    <message>
        <source>An activity is saved only with a next follow-up. Exceptions: afterwards the record&apos;s status is final in every active campaign; the record has no status in an active campaign yet; or the activity completes a recurring follow-up whose next occurrence follows. Likewise the last open follow-up of a record can&apos;t be cancelled, with the same exceptions except the recurring one.</source>
        <translation>Eine Aktivität wird nur mit einer nächsten Wiedervorlage gespeichert. Ausnahmen: Danach ist der Status des Datensatzes in jeder aktiven Kampagne final; der Datensatz hat noch keinen Status in einer aktiven Kampagne; oder die Aktivität erledigt eine wiederkehrende Wiedervorlage, deren nächster Termin folgt. Ebenso kann die letzte offene Wiedervorlage eines Datensatzes nicht storniert werden, mit denselben Ausnahmen außer der wiederkehrenden.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>Spei&amp;chern</translation>
    </message>
    <message>
        <source>Rights of “{name}”</source>
        <translation>Rechte von „{name}“</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>{name} (copy)</source>
        <translation>{name} (Kopie)</translation>
    </message>
    <message>
        <source>{name} (copy {number})</source>
        <translation>{name} (Kopie {number})</translation>
    </message>
    <message>
        <source>Delete role group</source>
        <translation>Rechtegruppe löschen</translation>
    </message>
    <message>
        <source>Delete the role group “{name}”?</source>
        <translation>Die Rechtegruppe „{name}“ löschen?</translation>
    </message>
    <message>
        <source>Deleted.</source>
        <translation>Gelöscht.</translation>
    </message>
</context>
<context>
    <name>RunPage</name>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>The whole import can be undone in one step.</source>
        <translation>Der ganze Import lässt sich in einem Schritt rückgängig machen.</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <source>Stop after the current chunk; what is written stays</source>
        <translation>Nach dem laufenden Abschnitt anhalten; Geschriebenes bleibt</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig machen</translation>
    </message>
    <message>
        <source>Remove the imported records again, in one step</source>
        <translation>Die importierten Datensätze in einem Schritt wieder entfernen</translation>
    </message>
    <message>
        <source>Importing …</source>
        <translation>Import läuft …</translation>
    </message>
    <message>
        <source>Stopping after the current chunk …</source>
        <translation>Wird nach dem laufenden Abschnitt angehalten …</translation>
    </message>
    <message>
        <source>{done} of {total} records written</source>
        <translation>{done} von {total} Datensätzen geschrieben</translation>
    </message>
    <message>
        <source>{created} records created, {merged} merged into existing records, {skipped} duplicates skipped, {bad} rows could not be imported.</source>
        <translation>{created} Datensätze angelegt, {merged} mit vorhandenen Datensätzen zusammengeführt, {skipped} Dubletten übersprungen, {bad} Zeilen konnten nicht importiert werden.</translation>
    </message>
    <message>
        <source>Stopped: {n} rows were not imported.</source>
        <translation>Angehalten: {n} Zeilen wurden nicht importiert.</translation>
    </message>
    <message>
        <source>Not merged:</source>
        <translation>Nicht zusammengeführt:</translation>
    </message>
    <message>
        <source>Nothing was imported: {error}</source>
        <translation>Nichts wurde importiert: {error}</translation>
    </message>
    <message>
        <source>The import was undone.</source>
        <translation>Der Import wurde rückgängig gemacht.</translation>
    </message>
    <message>
        <source>{n} records were changed meanwhile and stay.</source>
        <translation>{n} Datensätze wurden inzwischen geändert und bleiben.</translation>
    </message>
</context>
<context>
    <name>SavedSearchesPanel</name>
    <message>
        <source>Sa&amp;ved searches</source>
        <translation>Se&amp;lektionen</translation>
    </message>
    <message>
        <source>&amp;Save search …</source>
        <translation>Selektion s&amp;peichern …</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>L&amp;öschen</translation>
    </message>
    <message>
        <source>All records</source>
        <translation>Alle Datensätze</translation>
    </message>
    <message>
        <source>Search: %1</source>
        <translation>Suche: %1</translation>
    </message>
    <message>
        <source>Campaign: %1</source>
        <translation>Kampagne: %1</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <source>Account manager: %1</source>
        <translation>Betreuer: %1</translation>
    </message>
    <message>
        <source>Team: %1</source>
        <translation>Team: %1</translation>
    </message>
    <message>
        <source>Save search</source>
        <translation>Selektion speichern</translation>
    </message>
    <message>
        <source>&amp;Name of the saved search:</source>
        <translation>&amp;Name der Selektion:</translation>
    </message>
    <message>
        <source>Delete saved search</source>
        <translation>Selektion löschen</translation>
    </message>
    <message>
        <source>Delete the saved search “%1”?</source>
        <translation>Die Selektion „%1“ löschen?</translation>
    </message>
</context>
<context>
    <name>SetAssigneePage</name>
    <message>
        <source>New assi&amp;gnee:</source>
        <translation>Neuer &amp;Zuständiger:</translation>
    </message>
</context>
<context>
    <name>SetDueDatePage</name>
    <message>
        <source>New &amp;due date:</source>
        <translation>Neues &amp;Fälligkeitsdatum:</translation>
    </message>
    <message>
        <source>keep each follow-up&apos;s time</source>
        <translation>Uhrzeit jeder Wiedervorlage behalten</translation>
    </message>
    <message>
        <source>all day (no time)</source>
        <translation>ganztägig (ohne Uhrzeit)</translation>
    </message>
    <message>
        <source>at this time:</source>
        <translation>zu dieser Uhrzeit:</translation>
    </message>
    <message>
        <source>&amp;Time:</source>
        <translation>Uhr&amp;zeit:</translation>
    </message>
</context>
<context>
    <name>SetInstructionPage</name>
    <message>
        <source>e.g. send the new price list</source>
        <translation>z. B. neue Preisliste schicken</translation>
    </message>
    <message>
        <source>New &amp;instruction:</source>
        <translation>Neue Anwe&amp;isung:</translation>
    </message>
</context>
<context>
    <name>SetOwnerPage</name>
    <message>
        <source>New account &amp;manager:</source>
        <translation>Neuer &amp;Betreuer:</translation>
    </message>
</context>
<context>
    <name>SetPriorityPage</name>
    <message>
        <source>New priorit&amp;y:</source>
        <translation>Neue &amp;Priorität:</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>&amp;Recurring follow-ups can be set</source>
        <translation>&amp;Wiederkehrende Wiedervorlagen erlaubt</translation>
    </message>
    <message>
        <source>none: no public holidays skipped</source>
        <extracomment>ISO weekday (1 = Monday … 7 = Sunday) -&gt; its check box.</extracomment>
        <translation>keine: Feiertage werden nicht übersprungen</translation>
    </message>
    <message>
        <source>Phone numbers without a country code (0221 …) are read as numbers of this country when their record has no country; the search finds every number by its digits in any format.</source>
        <translation>Telefonnummern ohne Landesvorwahl (0221 …) gelten als Nummern dieses Landes, wenn ihr Datensatz kein Land hat; die Suche findet jede Nummer an ihren Ziffern, wie auch immer sie geschrieben ist.</translation>
    </message>
    <message>
        <source>Follow-ups</source>
        <translation>Wiedervorlagen</translation>
    </message>
    <message>
        <source>&amp;Default due in:</source>
        <translation>&amp;Standardmäßig fällig in:</translation>
    </message>
    <message>
        <source>Working days:</source>
        <translation>Arbeitstage:</translation>
    </message>
    <message>
        <source>&amp;Holiday region:</source>
        <translation>&amp;Feiertagsregion:</translation>
    </message>
    <message>
        <source>Default due dates of new follow-ups land on a working day that is no public holiday of the region.</source>
        <translation>Vorgeschlagene Fälligkeiten neuer Wiedervorlagen fallen auf einen Arbeitstag, der kein Feiertag der Region ist.</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>&amp;Company name:</source>
        <translation>&amp;Firmenname:</translation>
    </message>
    <message>
        <source>Default &amp;language:</source>
        <translation>Standard&amp;sprache:</translation>
    </message>
    <message>
        <source>&amp;Phone numbers of:</source>
        <translation>&amp;Telefonnummern aus:</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>Spei&amp;chern</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <source>Show the stored settings (your input is lost)</source>
        <translation>Die gespeicherten Einstellungen anzeigen (Ihre Eingaben gehen verloren)</translation>
    </message>
    <message>
        <source>Germany</source>
        <translation>Deutschland</translation>
    </message>
    <message>
        <source>Austria</source>
        <translation>Österreich</translation>
    </message>
    <message>
        <source>Switzerland</source>
        <translation>Schweiz</translation>
    </message>
    <message>
        <source>Luxembourg</source>
        <translation>Luxemburg</translation>
    </message>
    <message>
        <source>Netherlands</source>
        <translation>Niederlande</translation>
    </message>
    <message>
        <source>Belgium</source>
        <translation>Belgien</translation>
    </message>
    <message>
        <source>France</source>
        <translation>Frankreich</translation>
    </message>
    <message>
        <source>Italy</source>
        <translation>Italien</translation>
    </message>
    <message>
        <source>Poland</source>
        <translation>Polen</translation>
    </message>
    <message>
        <source>Denmark</source>
        <translation>Dänemark</translation>
    </message>
    <message>
        <source>United Kingdom</source>
        <translation>Vereinigtes Königreich</translation>
    </message>
    <message>
        <source>The settings were changed elsewhere meanwhile. Your input is kept; Reload shows the stored settings.</source>
        <translation>Die Einstellungen wurden inzwischen anderswo geändert. Ihre Eingaben bleiben erhalten; „Neu laden“ zeigt die gespeicherten Einstellungen.</translation>
    </message>
    <message>
        <source>The settings were saved.</source>
        <translation>Die Einstellungen wurden gespeichert.</translation>
    </message>
    <message>
        <source>What every imported record gets</source>
        <translation>Was jeder importierte Datensatz bekommt</translation>
    </message>
    <message>
        <source>Each record joins the campaign and gets a first follow-up, so none is lost.</source>
        <translation>Jeder Datensatz kommt in die Kampagne und bekommt eine erste Wiedervorlage, damit keiner verloren geht.</translation>
    </message>
    <message>
        <source>e.g. Call and introduce us</source>
        <translation>z. B. Anrufen und uns vorstellen</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Datensätze</translation>
    </message>
    <message>
        <source>&amp;Campaign:</source>
        <translation>&amp;Kampagne:</translation>
    </message>
    <message>
        <source>&amp;Status:</source>
        <translation>&amp;Kampagnenstatus:</translation>
    </message>
    <message>
        <source>&amp;Owner:</source>
        <translation>&amp;Betreuer:</translation>
    </message>
    <message>
        <source>First follow-up</source>
        <translation>Erste Wiedervorlage</translation>
    </message>
    <message>
        <source>&amp;Due in:</source>
        <translation>&amp;Fällig in:</translation>
    </message>
    <message>
        <source>&amp;For:</source>
        <translation>Fü&amp;r:</translation>
    </message>
    <message>
        <source>&amp;Instruction:</source>
        <translation>&amp;Anweisung:</translation>
    </message>
    <message>
        <source>Loading …</source>
        <translation>Wird geladen …</translation>
    </message>
    <message>
        <source>There is no active campaign to import into.</source>
        <translation>Es gibt keine aktive Kampagne, in die importiert werden kann.</translation>
    </message>
    <message>
        <source>The record&apos;s owner</source>
        <translation>Der Betreuer des Datensatzes</translation>
    </message>
    <message>
        <source>The campaign&apos;s start status</source>
        <translation>Der Startstatus der Kampagne</translation>
    </message>
    <message>
        <source>on {date}</source>
        <translation>am {date}</translation>
    </message>
</context>
<context>
    <name>ShiftDueDatesPage</name>
    <message>
        <source> day(s)</source>
        <translation> Tag(e)</translation>
    </message>
    <message>
        <source>Negative: earlier. Never before the source activity.</source>
        <translation>Negativ: früher. Nie vor die zugehörige Aktivität.</translation>
    </message>
    <message>
        <source>Shift &amp;by:</source>
        <translation>Ver&amp;schieben um:</translation>
    </message>
</context>
<context>
    <name>StartDialog</name>
    <message>
        <source>AkquiseDesktop — Connect</source>
        <translation>AkquiseDesktop — Verbinden</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>&amp;Add server</source>
        <translation>Server &amp;hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>&amp;Anmelden</translation>
    </message>
    <message>
        <source>A database file on this computer, for working alone. It belongs to your user account: no password is needed.</source>
        <translation>Eine Datenbank-Datei auf diesem Rechner, zum Arbeiten allein. Sie gehört Ihrem Benutzerkonto: ein Passwort ist nicht nötig.</translation>
    </message>
    <message>
        <source>e.g. crm.example.com</source>
        <translation>z. B. crm.example.de</translation>
    </message>
    <message>
        <source>the system&apos;s default</source>
        <translation>die Vorgabe des Systems</translation>
    </message>
    <message>
        <source>Choose the root certificate file</source>
        <translation>Die Datei des Stammzertifikats wählen</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort:</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Datenbank:</translation>
    </message>
    <message>
        <source>Login na&amp;me:</source>
        <translation>Anmeldena&amp;me:</translation>
    </message>
    <message>
        <source>&amp;Encryption:</source>
        <translation>&amp;Verschlüsselung:</translation>
    </message>
    <message>
        <source>Root certificate:</source>
        <translation>Stammzertifikat:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Remem&amp;ber password</source>
        <translation>Passwort me&amp;rken</translation>
    </message>
    <message>
        <source>Kept in the operating system&apos;s keyring</source>
        <translation>Im Schlüsselbund (Keyring) des Betriebssystems gespeichert</translation>
    </message>
    <message>
        <source>Sa&amp;ve</source>
        <translation>Spei&amp;chern</translation>
    </message>
    <message>
        <source>off (disable)</source>
        <translation>aus (disable)</translation>
    </message>
    <message>
        <source>if possible (prefer)</source>
        <translation>wenn möglich (prefer)</translation>
    </message>
    <message>
        <source>required (require)</source>
        <translation>erforderlich (require)</translation>
    </message>
    <message>
        <source>required, check the certificate (verify-ca)</source>
        <translation>erforderlich, Zertifikat prüfen (verify-ca)</translation>
    </message>
    <message>
        <source>required, check the certificate and name (verify-full)</source>
        <translation>erforderlich, Zertifikat und Namen prüfen (verify-full)</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>not saved yet</source>
        <translation>noch nicht gespeichert</translation>
    </message>
    <message>
        <source>Root certificate</source>
        <translation>Stammzertifikat</translation>
    </message>
    <message>
        <source>Certificates (*.crt *.pem *.cer);;All files (*)</source>
        <translation>Zertifikate (*.crt *.pem *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>New server</source>
        <translation>Neuer Server</translation>
    </message>
    <message>
        <source>Remove connection</source>
        <translation>Verbindung entfernen</translation>
    </message>
    <message>
        <source>Remove the connection “%1”? Its remembered password is forgotten too.</source>
        <translation>Die Verbindung „%1“ entfernen? Ein gemerktes Passwort wird ebenfalls vergessen.</translation>
    </message>
    <message>
        <source>Connecting …</source>
        <translation>Verbinde …</translation>
    </message>
    <message>
        <source>Ready: a new local database will be created.</source>
        <translation>Bereit: eine neue lokale Datenbank wird angelegt.</translation>
    </message>
    <message>
        <source>The local database is ready.</source>
        <translation>Die lokale Datenbank ist bereit.</translation>
    </message>
    <message>
        <source>The connection works. The database has no users yet: you will be its first administrator.</source>
        <translation>Die Verbindung steht. Die Datenbank hat noch keine Benutzer: Sie werden ihr erster Administrator.</translation>
    </message>
    <message>
        <source>The connection works and is encrypted.</source>
        <translation>Die Verbindung funktioniert und ist verschlüsselt.</translation>
    </message>
    <message>
        <source>The connection works, but it is not encrypted.</source>
        <translation>Die Verbindung funktioniert, ist aber nicht verschlüsselt.</translation>
    </message>
</context>
<context>
    <name>StatusChooser</name>
    <message>
        <source>Campaign status</source>
        <translation>Kampagnen-Status</translation>
    </message>
    <message>
        <source>The record is in no active campaign.</source>
        <translation>Der Datensatz ist in keiner aktiven Kampagne.</translation>
    </message>
    <message>
        <source>&lt;b&gt;{campaign}&lt;/b&gt;: now &lt;span style=&apos;color:{color}&apos;&gt;■&lt;/span&gt; {status}</source>
        <translation>&lt;b&gt;{campaign}&lt;/b&gt;: jetzt &lt;span style=&apos;color:{color}&apos;&gt;■&lt;/span&gt; {status}</translation>
    </message>
    <message>
        <source>{status} (final)</source>
        <translation>{status} (final)</translation>
    </message>
    <message>
        <source>Set the status to “{status}”</source>
        <translation>Den Status auf „{status}“ setzen</translation>
    </message>
    <message>
        <source>the default next status</source>
        <translation>der vorgegebene Folgestatus</translation>
    </message>
    <message>
        <source>final: no further follow-up needed</source>
        <translation>final: keine weitere Wiedervorlage nötig</translation>
    </message>
    <message>
        <source>No next status allowed.</source>
        <translation>Kein Folgestatus erlaubt.</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <source>&amp;Active (can be chosen in the activity mask)</source>
        <translation>&amp;Aktiv (in der Aktivitätsmaske wählbar)</translation>
    </message>
    <message>
        <source>&amp;Final (the record needs no follow-up)</source>
        <translation>&amp;Final (der Datensatz braucht keine Wiedervorlage)</translation>
    </message>
    <message>
        <source>&amp;Start status (a record joining the campaign)</source>
        <translation>&amp;Startstatus (ein Datensatz, der in die Kampagne kommt)</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Colour:</source>
        <translation>&amp;Farbe:</translation>
    </message>
    <message>
        <source>&amp;Progress:</source>
        <translation>&amp;Fortschritt:</translation>
    </message>
</context>
<context>
    <name>StreamTableModel</name>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Betreff</translation>
    </message>
    <message>
        <source>Status change</source>
        <translation>Statusänderung</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notizen</translation>
    </message>
    <message>
        <source>Click to open the record</source>
        <translation>Klicken öffnet den Datensatz</translation>
    </message>
    <message>
        <source>{campaign}: {old} → {new}</source>
        <translation>{campaign}: {old} → {new}</translation>
    </message>
    <message>
        <source>{campaign}: → {new}</source>
        <translation>{campaign}: → {new}</translation>
    </message>
</context>
<context>
    <name>TeamsPage</name>
    <message>
        <source>Teams</source>
        <translation>Betreuergruppen</translation>
    </message>
    <message>
        <source>A team groups account managers. Only a team nobody belongs to (active or inactive) can be deleted.</source>
        <translation>Eine Betreuergruppe fasst Betreuer zusammen. Löschen lässt sich nur eine, der niemand angehört (weder aktiv noch inaktiv).</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Betreuergruppe</translation>
    </message>
    <message>
        <source>Active members</source>
        <translation>Aktive Mitglieder</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Name of the team</source>
        <translation>Name der Betreuergruppe</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Anlegen</translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation>&amp;Umbenennen</translation>
    </message>
    <message>
        <source>&amp;Delete …</source>
        <translation>&amp;Löschen …</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Delete team</source>
        <translation>Betreuergruppe löschen</translation>
    </message>
    <message>
        <source>Delete the team “{name}”?</source>
        <translation>Die Betreuergruppe „{name}“ löschen?</translation>
    </message>
    <message>
        <source>Deleted.</source>
        <translation>Gelöscht.</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>Eintrag</translation>
    </message>
    <message>
        <source>By / for</source>
        <translation>Von / für</translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>fällig %1</translation>
    </message>
    <message>
        <source>%1: status %2</source>
        <translation>%1: Status %2</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1: %2 → %3</translation>
    </message>
    <message>
        <source>Follow-up done: %1</source>
        <translation>Wiedervorlage erledigt: %1</translation>
    </message>
    <message>
        <source>(no instruction)</source>
        <translation>(ohne Anweisung)</translation>
    </message>
    <message>
        <source>Follow-up: %1</source>
        <translation>Wiedervorlage: %1</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>An inactive user can no longer log in and keeps their history; their open follow-ups stay theirs until they are rebooked.</source>
        <translation>Ein inaktiver Benutzer kann sich nicht mehr anmelden und behält seine Historie; seine offenen Wiedervorlagen bleiben ihm, bis sie umgebucht werden.</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Anmeldename</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Betreuergruppe</translation>
    </message>
    <message>
        <source>Role group</source>
        <translation>Rechtegruppe</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Zeitzone</translation>
    </message>
    <message>
        <source>Open follow-ups</source>
        <translation>Offene Wiedervorlagen</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>as in the system settings</source>
        <translation>wie in den Systemeinstellungen</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>An&amp;meldename:</translation>
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation>A&amp;nzeigename:</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-Mail:</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>Betreuer&amp;gruppe:</translation>
    </message>
    <message>
        <source>&amp;Role group:</source>
        <translation>&amp;Rechtegruppe:</translation>
    </message>
    <message>
        <source>Time &amp;zone:</source>
        <translation>&amp;Zeitzone:</translation>
    </message>
    <message>
        <source>New follow-up &amp;due in:</source>
        <translation>Neue Wiedervorlage &amp;fällig in:</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Zustand:</translation>
    </message>
    <message>
        <source>&amp;New user</source>
        <translation>Neuer &amp;Benutzer</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>Spei&amp;chern</translation>
    </message>
    <message>
        <source>Re&amp;book follow-ups …</source>
        <translation>Wiedervorlagen &amp;umbuchen …</translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation>(keine Betreuergruppe)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>Neuer Benutzer</translation>
    </message>
    <message>
        <source>User “{name}”</source>
        <translation>Benutzer „{name}“</translation>
    </message>
    <message>
        <source>new, active</source>
        <translation>neu, aktiv</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>&amp;Deaktivieren</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>&amp;Activate</source>
        <translation>&amp;Aktivieren</translation>
    </message>
    <message>
        <source>inactive (keeps their history)</source>
        <translation>inaktiv (Historie bleibt erhalten)</translation>
    </message>
    <message>
        <source>{state}; open follow-ups: {count}</source>
        <translation>{state}; offene Wiedervorlagen: {count}</translation>
    </message>
    <message>
        <source>“{zone}” is not a time zone; choose one from the list, e.g. {example}.</source>
        <translation>„{zone}“ ist keine Zeitzone; wählen Sie eine aus der Liste, z. B. {example}.</translation>
    </message>
    <message>
        <source>Choose a role group.</source>
        <translation>Wählen Sie eine Rechtegruppe.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Deactivated; the history stays.</source>
        <translation>Deaktiviert; die Historie bleibt erhalten.</translation>
    </message>
    <message>
        <source>Activated.</source>
        <translation>Aktiviert.</translation>
    </message>
    <message>
        <source>Deactivate user</source>
        <translation>Benutzer deaktivieren</translation>
    </message>
    <message>
        <source>“{name}” still has open follow-ups: {count}.</source>
        <translation>„{name}“ hat noch offene Wiedervorlagen: {count}.</translation>
    </message>
    <message>
        <source>After deactivation they stay assigned to this user until rebooked. Rebook them to other users now?</source>
        <translation>Nach dem Deaktivieren bleiben sie diesem Benutzer zugeordnet, bis sie umgebucht werden. Jetzt auf andere Benutzer umbuchen?</translation>
    </message>
    <message>
        <source>Deactivate and &amp;rebook …</source>
        <translation>Deaktivieren und &amp;umbuchen …</translation>
    </message>
    <message>
        <source>Deactivate &amp;only</source>
        <translation>&amp;Nur deaktivieren</translation>
    </message>
</context>
<context>
    <name>_ActivityPage</name>
    <message>
        <source>Activity t&amp;ype:</source>
        <translation>Akt&amp;ivitätsart:</translation>
    </message>
    <message>
        <source>Su&amp;bject:</source>
        <translation>&amp;Betreff:</translation>
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation>Te&amp;xt:</translation>
    </message>
</context>
<context>
    <name>_Form</name>
    <message>
        <source>Call</source>
        <translation>Anrufen</translation>
    </message>
    <message>
        <source>Call this number</source>
        <translation>Diese Nummer anrufen</translation>
    </message>
    <message>
        <source>{field}: yours “{yours}” / stored “{theirs}”</source>
        <translation>{field}: Ihre Eingabe „{yours}“ / gespeichert „{theirs}“</translation>
    </message>
</context>
</TS>
