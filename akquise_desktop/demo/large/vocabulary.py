"""The large data set's vocabulary: German names, firms, trades, cities, notes,
activity types by weight, teams and role groups' rights, the five campaigns with
their status workflows, the recurring series.
"""

from __future__ import annotations

from akquise_desktop.controller import StatusSpec
from akquise_desktop.models import Module, Scope

from ..generator import FIRST_NAMES

# --- vocabulary ------------------------------------------------------------------------


def _split(text: str) -> list[str]:
    return text.split()


SURNAMES = _split(
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann "
    "Hartmann Lange Schmitt Werner Schmitz Krause Meier Lehmann Köhler Huber Kaiser Fuchs "
    "Peters Lang Scholz Möller Weiß Jung Hahn Vogel Keller Günther Frank Berger Winkler Roth "
    "Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin "
    "Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber "
    "Graf Schulte Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer "
    "Arnold Wolff Pfeiffer Ernst Hübner Kühne Kirchner Brinkmann Lindner Ebert Wilhelm Nowak"
)
EXTRA_FIRST_NAMES = [
    ("Herr", "Peter"), ("Herr", "Christian"), ("Herr", "Alexander"), ("Herr", "Daniel"),
    ("Herr", "Matthias"), ("Herr", "Frank"), ("Herr", "Sebastian"), ("Herr", "Dirk"),
    ("Herr", "Uwe"), ("Herr", "Oliver"), ("Herr", "Martin"), ("Herr", "Bernd"),
    ("Herr", "Philipp"), ("Herr", "Holger"), ("Herr", "Kai"), ("Herr", "Björn"),
    ("Frau", "Susanne"), ("Frau", "Stefanie"), ("Frau", "Melanie"), ("Frau", "Christina"),
    ("Frau", "Monika"), ("Frau", "Tanja"), ("Frau", "Kerstin"), ("Frau", "Sandra"),
    ("Frau", "Heike"), ("Frau", "Jessica"), ("Frau", "Lena"), ("Frau", "Sophie"),
    ("Frau", "Ute"), ("Frau", "Silke"), ("Frau", "Jana"), ("Frau", "Carina"),
]  # fmt: skip
PEOPLE = list(FIRST_NAMES) + EXTRA_FIRST_NAMES
PREFIXES = _split(
    "Nord Süd West Ost Alpen Rhein Elbe Main Isar Spree Weser Ruhr Mosel Tech Pro Inno Opti "
    "Multi Euro Inter Delta Meta Vario Bio Eco Sol Terra Aqua Data Net Log Hansa Ems Lahn Saar "
    "Neckar Harz Eifel Taunus Baltic"
)
SUFFIXES = _split(
    "tec tronic plan bau form systems med log soft werk data line star met trans mobil"
)
TRADES = [
    ("Maschinenbau", "Maschinenbau"), ("Elektrotechnik", "Elektrotechnik"),
    ("Logistik", "Logistik"), ("Haustechnik", "Handwerk"), ("Metallbau", "Handwerk"),
    ("Druckerei", "Druck & Medien"), ("Software", "IT"), ("IT-Service", "IT"),
    ("Autohaus", "Automobil"), ("Steuerberatung", "Beratung"), ("Gartenbau", "Handwerk"),
    ("Holzbau", "Handwerk"), ("Kunststofftechnik", "Industrie"), ("Medizintechnik", "Gesundheit"),
    ("Lebensmittel", "Handel"), ("Baustoffe", "Handel"), ("Verpackung", "Industrie"),
    ("Spedition", "Logistik"), ("Zahntechnik", "Gesundheit"), ("Werbeagentur", "Druck & Medien"),
    ("Sanitär", "Handwerk"), ("Elektro", "Handwerk"), ("Immobilien", "Immobilien"),
    ("Personalberatung", "Beratung"), ("Feinmechanik", "Industrie"), ("Catering", "Gastronomie"),
]  # fmt: skip
LEGAL = ["GmbH", "GmbH", "GmbH", "GmbH & Co. KG", "AG", "KG", "e.K.", "OHG", "UG"]
CITIES = [
    ("Köln", "50", "0221"), ("Düsseldorf", "40", "0211"), ("Dortmund", "44", "0231"),
    ("Essen", "45", "0201"), ("Münster", "48", "0251"), ("Bielefeld", "33", "0521"),
    ("Hamburg", "20", "040"), ("Bremen", "28", "0421"), ("Hannover", "30", "0511"),
    ("Berlin", "10", "030"), ("Leipzig", "04", "0341"), ("Dresden", "01", "0351"),
    ("München", "80", "089"), ("Nürnberg", "90", "0911"), ("Stuttgart", "70", "0711"),
    ("Frankfurt am Main", "60", "069"), ("Mannheim", "68", "0621"), ("Karlsruhe", "76", "0721"),
    ("Freiburg im Breisgau", "79", "0761"), ("Augsburg", "86", "0821"), ("Aachen", "52", "0241"),
    ("Kassel", "34", "0561"), ("Bonn", "53", "0228"), ("Wuppertal", "42", "0202"),
    ("Bochum", "44", "0234"), ("Duisburg", "47", "0203"), ("Kiel", "24", "0431"),
    ("Lübeck", "23", "0451"), ("Rostock", "18", "0381"), ("Magdeburg", "39", "0391"),
    ("Erfurt", "99", "0361"), ("Jena", "07", "03641"), ("Halle (Saale)", "06", "0345"),
    ("Potsdam", "14", "0331"), ("Braunschweig", "38", "0531"), ("Osnabrück", "49", "0541"),
    ("Oldenburg", "26", "0441"), ("Göttingen", "37", "0551"), ("Würzburg", "97", "0931"),
    ("Regensburg", "93", "0941"), ("Ingolstadt", "85", "0841"), ("Ulm", "89", "0731"),
    ("Heidelberg", "69", "06221"), ("Mainz", "55", "06131"), ("Wiesbaden", "65", "0611"),
    ("Darmstadt", "64", "06151"), ("Koblenz", "56", "0261"), ("Trier", "54", "0651"),
    ("Saarbrücken", "66", "0681"), ("Siegen", "57", "0271"), ("Paderborn", "33", "05251"),
    ("Gütersloh", "33", "05241"), ("Hildesheim", "31", "05121"), ("Wolfsburg", "38", "05361"),
    ("Chemnitz", "09", "0371"), ("Zwickau", "08", "0375"), ("Bayreuth", "95", "0921"),
    ("Passau", "94", "0851"), ("Rosenheim", "83", "08031"), ("Kempten", "87", "0831"),
    ("Konstanz", "78", "07531"), ("Reutlingen", "72", "07121"), ("Pforzheim", "75", "07231"),
    ("Offenburg", "77", "0781"), ("Fulda", "36", "0661"), ("Gießen", "35", "0641"),
]  # fmt: skip
TITLES = [None] * 18 + ["Dr.", "Prof. Dr."]
NOTES = [
    "- Bedarf: {n} Arbeitsplätze\n- Entscheider: {c}\n- Budget für Q{q} eingeplant",
    "- Interesse an Wartungsvertrag\n- Preisliste gewünscht\n- Wettbewerber: {w}",
    "- {c} war im Urlaub, Vertretung erreicht\n- Rückruf erbeten",
    "- Angebot liegt beim Einkauf\n- Entscheidung bis Ende des Monats\n- Rabatt angefragt",
    "- Sehr zufrieden mit der Lieferung\n- Folgeauftrag möglich ({n} Stück)",
    "- Termin vor Ort bestätigt\n- Ansprechpartner: {c}\n- Muster mitbringen",
    "- Kein aktueller Bedarf\n- in {q} Monaten erneut melden",
    "- Nicht erreicht, Mailbox\n- neuer Versuch",
    "- Unterlagen angekommen\n- Rückfragen zu Lieferzeiten ({n} Tage)",
    "- Rahmenvertrag läuft Ende Q{q} aus\n- Verlängerung besprechen",
    "- Reklamation erledigt\n- {c} zufrieden",
    "",
]  # fmt: skip
TYPE_WEIGHTS = {"Telefonat": 45, "E-Mail": 25, "Besuch": 7, "Termin": 8, "Brief": 5, "Notiz": 10}
DURATIONS = [None, None, 5, 10, 10, 15, 15, 30, 45, 60, 90]
DUE_TIMES = ["09:00", "09:30", "10:00", "11:00", "13:30", "14:00", "15:00", "16:00"]
GAPS = [0, 1, 1, 2, 3, 3, 5, 7, 7, 7, 7, 10, 14, 14, 14, 21, 28, 30, 42, 60]

TEAMS = ["Vertrieb Nord", "Vertrieb Süd", "Vertrieb West", "Vertrieb Ost", "Key Account"]
OFFICE_TEAM = "Innendienst"
SALES_PER_TEAM = 8
OFFICE_USERS = 8
ADMIN_USERS = 2  # 2 + 5 x 8 + 8 = 50
LEADER_RIGHTS = {
    Module.RECORDS: Scope.TEAM, Module.CONTACTS: Scope.TEAM, Module.ACTIVITIES: Scope.TEAM,
    Module.CANCEL_FOLLOW_UPS: Scope.TEAM, Module.BULK_EDIT: Scope.TEAM,
    Module.STATISTICS: Scope.TEAM,
}  # fmt: skip
OFFICE_RIGHTS = {
    Module.RECORDS: Scope.ALL, Module.CONTACTS: Scope.ALL, Module.ACTIVITIES: Scope.ALL,
    Module.STATISTICS: Scope.TEAM,
}  # fmt: skip


def _s(name, color, progress, *nxt, final=False, start=False) -> StatusSpec:
    return StatusSpec(name, color, progress, is_final=final, is_start=start, next=tuple(nxt))


# (name, active, share of records, share of memberships that start at the first activity,
#  statuses)
CAMPAIGNS = [
    ("Neukundengewinnung", True, 0.55, 0.85, [
        _s("Lead", "#9E9E9E", 5, "Erstkontakt", "Kein Interesse", start=True),
        _s("Erstkontakt", "#42A5F5", 15, "Bedarfsanalyse", "Zurückgestellt", "Kein Interesse",
           "Wünscht keinen Kontakt"),
        _s("Bedarfsanalyse", "#26A69A", 35, "Angebot", "Zurückgestellt", "Kein Interesse"),
        _s("Angebot", "#FFA726", 60, "Verhandlung", "Kunde", "Kein Interesse"),
        _s("Verhandlung", "#EF6C00", 80, "Kunde", "Angebot", "Kein Interesse"),
        _s("Zurückgestellt", "#8D6E63", 10, "Erstkontakt", "Kein Interesse"),
        _s("Kunde", "#2E7D32", 100, final=True),
        _s("Kein Interesse", "#B71C1C", 0, "Lead", final=True),
        _s("Wünscht keinen Kontakt", "#4A148C", 0, final=True),
    ]),
    ("Bestandskundenpflege", True, 0.30, 0.3, [
        _s("Aktiv", "#66BB6A", 50, "Cross-Selling", "Gefährdet", "Ruhend", start=True),
        _s("Cross-Selling", "#29B6F6", 70, "Aktiv", "Upgrade", "Gefährdet"),
        _s("Upgrade", "#1565C0", 90, "Aktiv"),
        _s("Gefährdet", "#FF7043", 30, "Aktiv", "Verloren"),
        _s("Ruhend", "#BDBDBD", 20, "Aktiv", "Verloren"),
        _s("Verloren", "#616161", 0, "Aktiv", final=True),
    ]),
    ("Reaktivierung Altkunden", True, 0.08, 0.1, [
        _s("Identifiziert", "#90A4AE", 5, "Angeschrieben", start=True),
        _s("Angeschrieben", "#7986CB", 20, "Telefoniert", "Kein Interesse"),
        _s("Telefoniert", "#5C6BC0", 40, "Angebot", "Kein Interesse"),
        _s("Angebot", "#FFB300", 70, "Reaktiviert", "Kein Interesse"),
        _s("Reaktiviert", "#43A047", 100, final=True),
        _s("Kein Interesse", "#C62828", 0, final=True),
    ]),
    ("Partnerprogramm", True, 0.04, 0.2, [
        _s("Interessent", "#B0BEC5", 5, "Erstgespräch", "Abgelehnt", start=True),
        _s("Erstgespräch", "#4DD0E1", 15, "Unterlagen", "Abgelehnt"),
        _s("Unterlagen", "#26C6DA", 30, "Prüfung"),
        _s("Prüfung", "#00ACC1", 45, "Vertrag", "Unterlagen", "Abgelehnt"),
        _s("Vertrag", "#00897B", 65, "Onboarding", "Abgelehnt"),
        _s("Onboarding", "#00796B", 80, "Aktiver Partner"),
        _s("Aktiver Partner", "#2E7D32", 100, "Pausiert", final=True),
        _s("Pausiert", "#9E9D24", 50, "Aktiver Partner", "Beendet"),
        _s("Abgelehnt", "#6D4C41", 0, final=True),
        _s("Beendet", "#424242", 0, final=True),
    ]),
    ("Messe Hannover 2019", False, 0.10, 0.0, [
        _s("Eingeladen", "#AB47BC", 10, "Zugesagt", "Nachfassen", "Abgesagt", start=True),
        _s("Nachfassen", "#BA68C8", 20, "Zugesagt", "Abgesagt"),
        _s("Zugesagt", "#7E57C2", 60, "Termin vereinbart", "Besucht", "Abgesagt"),
        _s("Termin vereinbart", "#5E35B1", 80, "Besucht", "Abgesagt"),
        _s("Besucht", "#2E7D32", 100, final=True),
        _s("Abgesagt", "#757575", 0, final=True),
    ]),
]  # fmt: skip

# Recurring series: (rule, months, days) — the interval in calendar months or days.
SERIES = [
    ("FREQ=MONTHLY;INTERVAL=6", 6, 0),
    ("FREQ=MONTHLY;INTERVAL=3", 3, 0),
    ("FREQ=MONTHLY", 1, 0),
    ("FREQ=WEEKLY;INTERVAL=2", 0, 14),
]
SERIES_INSTRUCTIONS = {
    6: "Zufriedenheit abfragen",
    3: "Quartalsgespräch",
    1: "Monatlicher Bestellrhythmus",
    0: "Lagerbestand abfragen",
}
