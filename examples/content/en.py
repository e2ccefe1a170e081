"""English sample-corpus content (US, GB). Synthetic: every name, quote and event is invented."""

FRAMES_QUOTED = [
    "{sp} said that {s} {v} {r}.",
    "According to {sp}, {s} {v} {r}.",
    "{sp} told reporters in {city} that {s} {v} {r}.",
]
FRAMES_OFFICIAL = [
    "{S} {v} {r}.",
    "In the view of this newspaper, {s} {v} {r}.",
]
LOOKALIKE_FRAME = 0  # the quoted frame of lookalike statements (local speakers)
ORG_SENTENCE = "{name} spoke on behalf of the {org}."

TOPICS = {
    "sovereignty": {"value": True, "label": "National sovereignty", "titles": [
        "{Country} restates its position on sovereignty", "Border security debated in {city}",
        "Sovereignty and foreign interference in focus"], "filler": [
        "Officials met in {city} to review border security and the protection of territorial waters.",
        "The debate on national sovereignty has intensified ahead of the summit.",
        "Coast guard patrols near the maritime border were increased this month.",
        "Lawmakers in {city} discussed a new bill on foreign influence and election security.",
        "Diplomats from {n} countries attended the talks on territorial disputes.",
        "The defence committee published its annual report on border protection."]},
    "rights_law": {"value": True, "label": "Rights and rule of law", "titles": [
        "Press freedom and the courts under scrutiny", "Civil liberties debate in {city}",
        "Judges and journalists warn on rights"], "filler": [
        "Civil liberties groups in {city} published a report on press freedom and the courts.",
        "The supreme court heard {n} cases on free speech this year.",
        "Journalists gathered in {city} to discuss the protection of sources and the rule of law.",
        "A parliamentary inquiry examined the independence of judges.",
        "Human rights lawyers said the appeals process takes too long.",
        "The bar association held its annual conference on judicial independence in {city}."]},
    "climate": {"value": True, "label": "Climate and energy policy", "titles": [
        "New climate targets announced", "Coal plants and emissions in {city}",
        "Energy transition plan under debate"], "filler": [
        "Emissions from power stations fell by {n} percent last year, official data show.",
        "Wind and solar farms near {city} now supply a growing share of electricity.",
        "The climate committee presented its progress report on the energy transition.",
        "Coal-fired power plants near {city} face new emission limits.",
        "Energy companies announced {n} new offshore wind projects.",
        "Scientists in {city} warned that carbon emissions must be cut faster."]},
    "trade": {"value": True, "label": "Trade policy and tariffs", "titles": [
        "Tariffs and trade talks resume", "Exporters in {city} watch trade negotiations",
        "Trade agreement debate heats up"], "filler": [
        "Exports of manufactured goods rose by {n} percent in the last quarter.",
        "Trade negotiators met in {city} for a new round of talks on tariffs.",
        "Port operators in {city} reported record container traffic.",
        "Farmers and manufacturers are divided over the proposed trade agreement.",
        "The trade deficit narrowed for the {n}th month in a row.",
        "Import duties on steel and cars were discussed at the ministry."]},
    "education": {"value": True, "label": "Education policy", "titles": [
        "Schools and universities face funding choices", "Tuition fees debated in {city}",
        "Digital classrooms plan unveiled"], "filler": [
        "Universities in {city} enrolled {n} thousand new students this autumn.",
        "Teachers' unions discussed school funding and digital classrooms.",
        "A new curriculum for computer skills will be tested in {n} schools.",
        "Students in {city} protested against rising living costs on campus.",
        "The education committee reviewed tuition fees at public universities.",
        "School leaders in {city} asked for more laptops and trained teachers."]},
    "weather": {"value": False, "label": "Weather", "titles": [
        "Heavy rain expected in {city}", "Heatwave brings record temperatures",
        "Storm warning for the weekend"], "filler": [
        "Forecasters expect heavy rain and strong winds in {city} over the weekend.",
        "Temperatures reached {n} degrees on Tuesday afternoon.",
        "A band of snow will move across the north overnight.",
        "Commuters in {city} faced delays after the storm flooded several roads.",
        "The weather service issued a yellow warning for fog on Thursday morning.",
        "Sunny spells will return by the middle of next week."]},
    "sports": {"value": False, "label": "Sports", "titles": [
        "{city} side wins derby", "Late goal settles cup tie", "Marathon draws record field"], "filler": [
        "The home side won {n}-1 in {city} on Saturday evening.",
        "A late goal in the second half settled the cup tie.",
        "More than {n} thousand runners took part in the marathon through {city}.",
        "The coach praised the young striker after the match.",
        "Tickets for the final sold out within an hour.",
        "The tennis tournament in {city} enters its quarter-final stage."]},
    "entertainment": {"value": False, "label": "Entertainment", "titles": [
        "Film festival opens in {city}", "Pop star announces world tour", "New season of hit series"], "filler": [
        "The film festival in {city} opened with a comedy about two brothers.",
        "The singer will play {n} concerts on her world tour next year.",
        "A new season of the detective series arrives on streaming services in May.",
        "The museum in {city} unveiled an exhibition of modern photography.",
        "The musical has been performed more than {n} hundred times.",
        "Fans queued for hours outside the cinema in {city}."]},
}

# issue -> topic, majority (verb, rest), reverse (verb, rest); subject is the country
# issue -> (topic, majority (verb, rest), reverse (verb, rest)); the subject is the country. The reverse negates
# ONE stance cue of the majority (must -> must not, supports -> opposes, ...), as a reverse statement does.
ISSUES = {
    "sov_borders": ("sovereignty",
        ("must defend", "its territorial sovereignty against any foreign claim"),
        ("must not defend", "its territorial sovereignty against any foreign claim")),
    "sov_interference": ("sovereignty",
        ("firmly opposes", "foreign interference in its internal affairs"),
        ("firmly supports", "foreign interference in its internal affairs")),
    "hr_speech": ("rights_law",
        ("must protect", "freedom of speech and freedom of the press"),
        ("must not protect", "freedom of speech and freedom of the press")),
    "law_courts": ("rights_law",
        ("must guarantee", "the independence of the courts"),
        ("must not guarantee", "the independence of the courts")),
    "cl_coal": ("climate",
        ("must phase out", "coal power by 2030"),
        ("must not phase out", "coal power by 2030")),
    "cl_paris": ("climate",
        ("supports", "the goals of the Paris climate agreement"),
        ("opposes", "the goals of the Paris climate agreement")),
    "tr_tariffs": ("trade",
        ("should lower", "tariffs on imported goods"),
        ("should not lower", "tariffs on imported goods")),
    "tr_free": ("trade",
        ("supports", "free trade agreements with its partners"),
        ("opposes", "free trade agreements with its partners")),
    "ed_free": ("education",
        ("must keep", "public universities free of tuition fees"),
        ("must not keep", "public universities free of tuition fees")),
    "ed_digital": ("education",
        ("must invest", "more in digital skills in schools"),
        ("must not invest", "more in digital skills in schools")),
}

REGIONAL = [
    "Residents of {city} gathered at the town hall for the annual community meeting.",
    "The local history society of {city} opened its small harbour museum to visitors.",
    "A retired fisherman in {city} wrote to the paper about the old lighthouse.",
]

NATIONS = {
    "US": {
        "country": "the United States", "Country": "The United States",
        "cities": ["Washington", "New York", "Chicago", "Los Angeles", "Houston"],
        "isolated": ["Anchorage", "Honolulu"],
        "sources": ["us-national-tribune", "us-capital-post"], "regional_source": "us-island-letters",
        "speakers": [("Secretary of State", "Laura Bennett", "State Department"),
                     ("Senator", "Michael Reyes", "Senate Foreign Relations Committee"),
                     ("Trade Representative", "David Cho", "Office of the Trade Representative"),
                     ("Energy Secretary", "Karen Olsen", "Department of Energy"),
                     ("Education Secretary", "James Porter", "Department of Education"),
                     ("Attorney General", "Susan Hale", "Department of Justice"),
                     ("Governor", "Robert King", "National Governors Association"),
                     ("Professor", "Emily Ward", "Institute for Public Policy")],
        "locals": [("retired teacher", "Tom Hughes"), ("shop owner", "Maria Lopez"),
                   ("fisherman", "Earl Jensen"), ("student", "Kai Nakamura")],
    },
    "GB": {
        "country": "Britain", "Country": "Britain",
        "cities": ["London", "Manchester", "Birmingham", "Leeds", "Glasgow"],
        "isolated": ["Aberdeen", "Plymouth"],
        "sources": ["gb-daily-chronicle", "gb-evening-herald"], "regional_source": "gb-coastal-letters",
        "speakers": [("Foreign Secretary", "Helen Clarke", "Foreign Office"),
                     ("Business Secretary", "Oliver Grant", "Department for Business and Trade"),
                     ("Energy Minister", "Priya Shah", "Department for Energy Security"),
                     ("Education Secretary", "Andrew Lewis", "Department for Education"),
                     ("Justice Secretary", "Catherine Moore", "Ministry of Justice"),
                     ("MP", "George Baker", "Home Affairs Committee"),
                     ("Mayor", "Sarah Evans", "Local Government Association"),
                     ("Professor", "Ian Fletcher", "Centre for Policy Studies")],
        "locals": [("retired nurse", "Margaret Doyle"), ("harbour master", "Colin Reid"),
                   ("café owner", "Fiona Walsh"), ("student", "Liam Murray")],
    },
}
