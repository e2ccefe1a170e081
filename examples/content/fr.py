"""French sample-corpus content (FR). Synthetic: every name, quote and event is invented."""

FRAMES_QUOTED = [
    "Selon {sp}, {s} {v} {r}.",
    "{name} a déclaré que {s} {v} {r}.",
    "{name} a affirmé à {city} que {s} {v} {r}.",
]
FRAMES_OFFICIAL = [
    "{S} {v} {r}.",
    "Pour notre rédaction, {s} {v} {r}.",
]
LOOKALIKE_FRAME = 0
SPEAKER_FORMAT = "{name}, {role}"  # apposition: "Selon Sophie Martin, ministre de ..., la France ..."  # the quoted frame of lookalike statements (local speakers)
ORG_SENTENCE = "{name} s'exprimait au nom de l'organisme {org}."

TOPICS = {
    "sovereignty": {"value": True, "label": "Souveraineté nationale", "titles": [
        "{Country} réaffirme sa position sur la souveraineté", "Sécurité des frontières : débat à {city}",
        "Souveraineté et ingérences étrangères"], "filler": [
        "Des responsables se sont réunis à {city} pour examiner la sécurité des frontières et des eaux territoriales.",
        "Le débat sur la souveraineté nationale s'intensifie avant le sommet.",
        "Les patrouilles maritimes ont été renforcées ce mois-ci près de la frontière.",
        "Les députés ont débattu à {city} d'un projet de loi sur les ingérences étrangères.",
        "Des diplomates de {n} pays ont participé aux discussions sur les différends territoriaux.",
        "La commission de la défense a publié son rapport annuel sur la protection des frontières."]},
    "rights_law": {"value": True, "label": "Droits et État de droit", "titles": [
        "Liberté de la presse et justice en question", "Débat sur les libertés publiques à {city}",
        "Magistrats et journalistes alertent sur les droits"], "filler": [
        "Des associations de {city} ont publié un rapport sur la liberté de la presse et la justice.",
        "Le Conseil constitutionnel a examiné {n} affaires sur la liberté d'expression cette année.",
        "Des journalistes se sont réunis à {city} pour parler de la protection des sources.",
        "Une commission d'enquête parlementaire a étudié l'indépendance des juges.",
        "Des avocats estiment que les procédures d'appel sont trop longues.",
        "Le barreau a tenu à {city} son congrès annuel sur l'indépendance de la justice."]},
    "climate": {"value": True, "label": "Climat et énergie", "titles": [
        "Nouveaux objectifs climatiques annoncés", "Centrales à charbon et émissions à {city}",
        "Le plan de transition énergétique en débat"], "filler": [
        "Les émissions des centrales électriques ont baissé de {n} pour cent l'an dernier.",
        "Les parcs éoliens et solaires autour de {city} fournissent une part croissante de l'électricité.",
        "Le Haut Conseil pour le climat a présenté son rapport sur la transition énergétique.",
        "Les centrales au charbon près de {city} sont soumises à de nouvelles limites d'émissions.",
        "Les énergéticiens ont annoncé {n} nouveaux projets d'éoliennes en mer.",
        "Des scientifiques de {city} avertissent que les émissions de carbone doivent baisser plus vite."]},
    "trade": {"value": True, "label": "Politique commerciale", "titles": [
        "Reprise des négociations commerciales", "Les exportateurs de {city} suivent les négociations",
        "Le débat sur l'accord commercial s'intensifie"], "filler": [
        "Les exportations de produits manufacturés ont progressé de {n} pour cent au dernier trimestre.",
        "Les négociateurs se sont retrouvés à {city} pour un nouveau cycle sur les droits de douane.",
        "Le port de {city} a enregistré un trafic record de conteneurs.",
        "Agriculteurs et industriels sont divisés sur le projet d'accord commercial.",
        "Le déficit commercial s'est réduit pour le {n}e mois consécutif.",
        "Les droits de douane sur l'acier et les voitures ont été discutés au ministère."]},
    "education": {"value": True, "label": "Politique éducative", "titles": [
        "Écoles et universités face aux choix budgétaires", "Les frais de scolarité débattus à {city}",
        "Un plan pour les classes numériques"], "filler": [
        "Les universités de {city} ont accueilli {n} mille nouveaux étudiants cet automne.",
        "Les syndicats d'enseignants ont discuté du financement des écoles et du numérique.",
        "Un nouveau programme d'informatique sera testé dans {n} écoles.",
        "Des étudiants de {city} ont manifesté contre la hausse du coût de la vie.",
        "La commission de l'éducation a examiné les frais d'inscription à l'université publique.",
        "Des chefs d'établissement de {city} réclament plus d'ordinateurs et d'enseignants formés."]},
    "weather": {"value": False, "label": "Météo", "titles": [
        "Fortes pluies attendues à {city}", "Une vague de chaleur bat des records",
        "Alerte tempête pour le week-end"], "filler": [
        "Les prévisionnistes annoncent de fortes pluies et du vent à {city} ce week-end.",
        "Le thermomètre a atteint {n} degrés mardi après-midi.",
        "Une perturbation neigeuse traversera le nord cette nuit.",
        "À {city}, plusieurs routes ont été inondées après l'orage.",
        "Météo-France a émis une vigilance jaune pour le brouillard jeudi matin.",
        "Le soleil reviendra au milieu de la semaine prochaine."]},
    "sports": {"value": False, "label": "Sport", "titles": [
        "{city} remporte le derby", "Un but tardif décide du match de coupe",
        "Record de participants au marathon"], "filler": [
        "L'équipe locale s'est imposée {n}-1 à {city} samedi soir.",
        "Un but en fin de seconde période a décidé du match de coupe.",
        "Plus de {n} mille coureurs ont pris part au marathon de {city}.",
        "L'entraîneur a salué le jeune attaquant après la rencontre.",
        "Les billets pour la finale se sont vendus en une heure.",
        "Le tournoi de tennis de {city} entre dans les quarts de finale."]},
    "entertainment": {"value": False, "label": "Culture et divertissement", "titles": [
        "Le festival du film s'ouvre à {city}", "Une chanteuse annonce sa tournée mondiale",
        "Nouvelle saison d'une série à succès"], "filler": [
        "Le festival du film de {city} s'est ouvert avec une comédie sur deux frères.",
        "La chanteuse donnera {n} concerts lors de sa tournée l'an prochain.",
        "La nouvelle saison de la série policière arrive en mai sur les plateformes.",
        "Le musée de {city} présente une exposition de photographie moderne.",
        "La comédie musicale a été jouée plus de {n} cents fois.",
        "Des spectateurs ont fait la queue pendant des heures devant le cinéma de {city}."]},
}

# issue -> (topic, majority (verb, rest), reverse (verb, rest)); the subject is the country. The reverse negates
# ONE stance cue of the majority (must -> must not, supports -> opposes, ...), as a reverse statement does.
ISSUES = {
    "sov_borders": ("sovereignty",
        ("doit défendre", "sa souveraineté territoriale contre toute revendication étrangère"),
        ("ne doit pas défendre", "sa souveraineté territoriale contre toute revendication étrangère")),
    "sov_interference": ("sovereignty",
        ("doit refuser", "toute ingérence étrangère dans ses affaires intérieures"),
        ("ne doit pas refuser", "toute ingérence étrangère dans ses affaires intérieures")),
    "hr_speech": ("rights_law",
        ("doit protéger", "la liberté d'expression et la liberté de la presse"),
        ("ne doit pas protéger", "la liberté d'expression et la liberté de la presse")),
    "law_courts": ("rights_law",
        ("doit garantir", "l'indépendance de la justice"),
        ("ne doit pas garantir", "l'indépendance de la justice")),
    "cl_coal": ("climate",
        ("doit fermer", "ses dernières centrales à charbon d'ici 2027"),
        ("ne doit pas fermer", "ses dernières centrales à charbon d'ici 2027")),
    "cl_paris": ("climate",
        ("soutient les", "objectifs de l'accord de Paris sur le climat"),
        ("s'oppose aux", "objectifs de l'accord de Paris sur le climat")),
    "tr_tariffs": ("trade",
        ("devrait baisser", "les droits de douane sur les produits importés"),
        ("ne devrait pas baisser", "les droits de douane sur les produits importés")),
    "tr_free": ("trade",
        ("soutient les", "accords de libre-échange avec ses partenaires"),
        ("s'oppose aux", "accords de libre-échange avec ses partenaires")),
    "ed_free": ("education",
        ("doit garder", "l'université publique gratuite"),
        ("ne doit pas garder", "l'université publique gratuite")),
    "ed_digital": ("education",
        ("doit investir", "davantage dans le numérique à l'école"),
        ("ne doit pas investir", "davantage dans le numérique à l'école")),
}

REGIONAL = [
    "Les habitants de {city} se sont retrouvés à la mairie pour la fête annuelle du quartier.",
    "La société d'histoire locale de {city} a ouvert son petit musée du port aux visiteurs.",
    "Un pêcheur retraité de {city} a écrit au journal au sujet du vieux phare.",
]

NATIONS = {
    "FR": {
        "country": "la France", "Country": "La France",
        "cities": ["Paris", "Lyon", "Marseille", "Toulouse", "Lille"],
        "isolated": ["Brest", "Ajaccio"],
        "sources": ["fr-quotidien-national", "fr-journal-du-soir"], "regional_source": "fr-courrier-des-lecteurs",
        "speakers": [("ministre des Affaires étrangères", "Julien Moreau", "Quai d'Orsay"),
                     ("députée", "Claire Dubois", "Assemblée nationale"),
                     ("ministre du Commerce extérieur", "Antoine Lefèvre", "Ministère de l'Économie"),
                     ("ministre de la Transition écologique", "Sophie Martin", "Ministère de la Transition écologique"),
                     ("ministre de l'Éducation", "Nicolas Bernard", "Ministère de l'Éducation nationale"),
                     ("garde des Sceaux", "Isabelle Petit", "Ministère de la Justice"),
                     ("maire", "Pierre Laurent", "Association des maires de France"),
                     ("professeure", "Camille Roux", "Sciences Po")],
        "locals": [("institutrice retraitée", "Jeanne Lemoine"), ("commerçant", "Marc Girard"),
                   ("pêcheur", "Yves Le Goff"), ("étudiant", "Hugo Fabre")],
    },
}
