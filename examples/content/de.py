"""German sample-corpus content (DE). Synthetic: every name, quote and event is invented."""

FRAMES_QUOTED = [
    "{sp} sagte, {s} {v} {r}.",
    "Laut {sp} {v} {s} {r}.",
    "{sp} erklärte in {city}, {s} {v} {r}.",
]
FRAMES_OFFICIAL = [
    "{S} {v} {r}.",
    "Nach Ansicht der Redaktion {v} {s} {r}.",
]
LOOKALIKE_FRAME = 0  # the quoted frame of lookalike statements (local speakers)
ORG_SENTENCE = "{name} sprach im Namen der Einrichtung {org}."

TOPICS = {
    "sovereignty": {"value": True, "label": "Nationale Souveränität", "titles": [
        "{Country} bekräftigt seine Haltung zur Souveränität", "Grenzsicherheit: Debatte in {city}",
        "Souveränität und ausländische Einmischung"], "filler": [
        "In {city} trafen sich Beamte, um die Sicherheit der Grenzen und Hoheitsgewässer zu prüfen.",
        "Die Debatte über die nationale Souveränität hat sich vor dem Gipfel verschärft.",
        "Die Küstenwache hat ihre Patrouillen an der Seegrenze in diesem Monat verstärkt.",
        "Abgeordnete in {city} berieten über ein Gesetz gegen ausländische Einflussnahme.",
        "Diplomaten aus {n} Ländern nahmen an den Gesprächen über Gebietsstreitigkeiten teil.",
        "Der Verteidigungsausschuss legte seinen Jahresbericht zum Grenzschutz vor."]},
    "rights_law": {"value": True, "label": "Grundrechte und Rechtsstaat", "titles": [
        "Pressefreiheit und Justiz im Blick", "Debatte über Bürgerrechte in {city}",
        "Richter und Journalisten warnen"], "filler": [
        "Bürgerrechtsgruppen in {city} veröffentlichten einen Bericht über Pressefreiheit und Justiz.",
        "Das Bundesverfassungsgericht verhandelte in diesem Jahr {n} Fälle zur Meinungsfreiheit.",
        "Journalisten trafen sich in {city}, um über den Quellenschutz zu sprechen.",
        "Ein Untersuchungsausschuss prüfte die Unabhängigkeit der Richter.",
        "Anwälte kritisieren, dass Berufungsverfahren zu lange dauern.",
        "Der Anwaltverein hielt in {city} seine Jahrestagung zur Unabhängigkeit der Justiz ab."]},
    "climate": {"value": True, "label": "Klima- und Energiepolitik", "titles": [
        "Neue Klimaziele vorgestellt", "Kohlekraftwerke und Emissionen in {city}",
        "Energiewende in der Debatte"], "filler": [
        "Die Emissionen der Kraftwerke sanken im vergangenen Jahr um {n} Prozent.",
        "Wind- und Solarparks rund um {city} liefern einen wachsenden Anteil des Stroms.",
        "Der Expertenrat für Klimafragen legte seinen Bericht zur Energiewende vor.",
        "Kohlekraftwerke bei {city} müssen neue Grenzwerte einhalten.",
        "Energieversorger kündigten {n} neue Offshore-Windparks an.",
        "Wissenschaftler in {city} warnen, dass die Emissionen schneller sinken müssen."]},
    "trade": {"value": True, "label": "Handelspolitik und Zölle", "titles": [
        "Handelsgespräche werden fortgesetzt", "Exporteure in {city} verfolgen die Verhandlungen",
        "Streit um das Handelsabkommen"], "filler": [
        "Die Exporte von Industriegütern stiegen im letzten Quartal um {n} Prozent.",
        "Handelsunterhändler trafen sich in {city} zu einer neuen Runde über Zölle.",
        "Der Hafen von {city} meldete einen Rekord beim Containerumschlag.",
        "Landwirte und Industrie sind beim geplanten Handelsabkommen uneins.",
        "Der Handelsüberschuss wuchs den {n}. Monat in Folge.",
        "Im Ministerium wurden Zölle auf Stahl und Autos besprochen."]},
    "education": {"value": True, "label": "Bildungspolitik", "titles": [
        "Schulen und Hochschulen vor Finanzierungsfragen", "Studiengebühren: Debatte in {city}",
        "Plan für digitale Klassenzimmer"], "filler": [
        "Die Hochschulen in {city} nahmen in diesem Herbst {n} tausend neue Studierende auf.",
        "Lehrerverbände berieten über Schulfinanzierung und digitale Klassenzimmer.",
        "Ein neuer Informatiklehrplan wird an {n} Schulen erprobt.",
        "Studierende in {city} protestierten gegen steigende Lebenshaltungskosten.",
        "Der Bildungsausschuss prüfte die Gebühren an staatlichen Hochschulen.",
        "Schulleiter in {city} fordern mehr Laptops und geschulte Lehrkräfte."]},
    "weather": {"value": False, "label": "Wetter", "titles": [
        "Starkregen in {city} erwartet", "Hitzewelle bringt Rekordtemperaturen",
        "Sturmwarnung für das Wochenende"], "filler": [
        "Meteorologen erwarten am Wochenende Starkregen und Sturm in {city}.",
        "Am Dienstagnachmittag wurden {n} Grad gemessen.",
        "In der Nacht zieht ein Schneeband über den Norden.",
        "In {city} wurden nach dem Unwetter mehrere Straßen überflutet.",
        "Für Donnerstagmorgen ist mit dichtem Nebel zu rechnen.",
        "Zur Mitte der nächsten Woche kehrt die Sonne zurück."]},
    "sports": {"value": False, "label": "Sport", "titles": [
        "{city} gewinnt das Derby", "Spätes Tor entscheidet Pokalspiel", "Rekordfeld beim Marathon"], "filler": [
        "Die Heimmannschaft gewann am Samstagabend in {city} mit {n}:1.",
        "Ein spätes Tor in der zweiten Halbzeit entschied das Pokalspiel.",
        "Mehr als {n} tausend Läufer nahmen am Marathon in {city} teil.",
        "Der Trainer lobte nach dem Spiel den jungen Stürmer.",
        "Die Karten für das Finale waren in einer Stunde ausverkauft.",
        "Das Tennisturnier in {city} geht in die Viertelfinals."]},
    "entertainment": {"value": False, "label": "Kultur und Unterhaltung", "titles": [
        "Filmfestival in {city} eröffnet", "Popstar kündigt Welttournee an",
        "Neue Staffel der Erfolgsserie"], "filler": [
        "Das Filmfestival in {city} wurde mit einer Komödie über zwei Brüder eröffnet.",
        "Die Sängerin gibt im nächsten Jahr {n} Konzerte auf ihrer Tournee.",
        "Die neue Staffel der Krimiserie startet im Mai bei den Streamingdiensten.",
        "Das Museum in {city} zeigt eine Ausstellung moderner Fotografie.",
        "Das Musical wurde bereits mehr als {n}hundert Mal aufgeführt.",
        "Fans standen vor dem Kino in {city} stundenlang an."]},
}

# German main clauses put the finite verb second: frames place {v} before or after the subject.
# issue -> (topic, majority (verb, rest), reverse (verb, rest)); the subject is the country. The reverse negates
# ONE stance cue of the majority (must -> must not, supports -> opposes, ...), as a reverse statement does.
ISSUES = {
    "sov_borders": ("sovereignty",
        ("sollte", "seine territoriale Souveränität gegen jeden fremden Anspruch verteidigen"),
        ("sollte", "nicht seine territoriale Souveränität gegen jeden fremden Anspruch verteidigen")),
    "sov_interference": ("sovereignty",
        ("lehnt", "jede ausländische Einmischung in seine inneren Angelegenheiten ab"),
        ("unterstützt", "jede ausländische Einmischung in seine inneren Angelegenheiten")),
    "hr_speech": ("rights_law",
        ("sollte", "die Meinungsfreiheit und die Pressefreiheit schützen"),
        ("sollte", "nicht die Meinungsfreiheit und die Pressefreiheit schützen")),
    "law_courts": ("rights_law",
        ("sollte", "die Unabhängigkeit der Gerichte garantieren"),
        ("sollte", "nicht die Unabhängigkeit der Gerichte garantieren")),
    "cl_coal": ("climate",
        ("sollte", "den Kohleausstieg bis 2030 vollenden"),
        ("sollte", "nicht den Kohleausstieg bis 2030 vollenden")),
    "cl_paris": ("climate",
        ("unterstützt", "die Ziele des Pariser Klimaabkommens"),
        ("lehnt", "die Ziele des Pariser Klimaabkommens ab")),
    "tr_tariffs": ("trade",
        ("sollte", "die Zölle auf importierte Waren senken"),
        ("sollte", "nicht die Zölle auf importierte Waren senken")),
    "tr_free": ("trade",
        ("unterstützt", "Freihandelsabkommen mit seinen Partnern"),
        ("lehnt", "Freihandelsabkommen mit seinen Partnern ab")),
    "ed_free": ("education",
        ("sollte", "das Studium an staatlichen Hochschulen gebührenfrei halten"),
        ("sollte", "nicht das Studium an staatlichen Hochschulen gebührenfrei halten")),
    "ed_digital": ("education",
        ("sollte", "mehr in digitale Bildung an Schulen investieren"),
        ("sollte", "nicht mehr in digitale Bildung an Schulen investieren")),
}

REGIONAL = [
    "Die Bewohner von {city} trafen sich im Rathaus zum jährlichen Nachbarschaftsfest.",
    "Der Heimatverein von {city} öffnete sein kleines Hafenmuseum für Besucher.",
    "Ein pensionierter Fischer aus {city} schrieb der Zeitung über den alten Leuchtturm.",
]

NATIONS = {
    "DE": {
        "country": "Deutschland", "Country": "Deutschland",
        "cities": ["Berlin", "München", "Hamburg", "Köln", "Frankfurt"],
        "isolated": ["Rostock", "Passau"],
        "sources": ["de-nationale-zeitung", "de-abendblatt"], "regional_source": "de-leserbriefe",
        "speakers": [("Außenministerin", "Anna Becker", "Auswärtiges Amt"),
                     ("Staatssekretär", "Thomas Wagner", "Deutscher Bundestag"),
                     ("Wirtschaftsminister", "Stefan Hoffmann", "Bundesministerium für Wirtschaft"),
                     ("Umweltministerin", "Julia Schulz", "Bundesministerium für Umwelt"),
                     ("Bildungsministerin", "Katrin Fischer", "Bundesministerium für Bildung"),
                     ("Justizminister", "Markus Weber", "Bundesministerium der Justiz"),
                     ("Oberbürgermeister", "Klaus Richter", "Deutscher Städtetag"),
                     ("Professorin", "Laura Neumann", "Freie Universität Berlin")],
        "locals": [("die pensionierte Lehrerin", "Gisela Braun"), ("der Ladenbesitzer", "Jürgen Krause"),
                   ("der Fischer", "Hinrich Petersen"), ("die Studentin", "Lena Vogel")],
    },
}
