"""Words the generator draws from. Invented for test data; no record describes a real person.

Names come in pairs or triples so a generated record looks like the real ones: a Latin
spelling, the name in its own script and the other Latin spellings staff meet in
correspondence.
"""

from anyascii import anyascii

# Countries: ISO code, IFRC region, national society (Latin, own script, acronym), script, cities.
# "ar" = Arabic script, "cy" = Cyrillic, "la" = Latin only.
COUNTRIES = [
    ("QA", "mena", "Qatar Red Crescent Society", "الهلال الأحمر القطري", "QRCS", "ar", ["Doha", "Al Rayyan", "Al Wakrah"]),
    ("SA", "mena", "Saudi Red Crescent Authority", "هيئة الهلال الأحمر السعودي", "SRCA", "ar", ["Riyadh", "Jeddah", "Dammam"]),
    ("AE", "mena", "Emirates Red Crescent", "هيئة الهلال الأحمر الإماراتي", "ERC", "ar", ["Abu Dhabi", "Dubai", "Sharjah"]),
    ("KW", "mena", "Kuwait Red Crescent Society", "جمعية الهلال الأحمر الكويتي", "KRCS", "ar", ["Kuwait City", "Hawalli"]),
    ("JO", "mena", "Jordan National Red Crescent Society", "الهلال الأحمر الأردني", "JNRCS", "ar", ["Amman", "Irbid", "Zarqa"]),
    ("EG", "mena", "Egyptian Red Crescent", "الهلال الأحمر المصري", "ERC-EG", "ar", ["Cairo", "Alexandria", "Aswan"]),
    ("LB", "mena", "Lebanese Red Cross", "الصليب الأحمر اللبناني", "LRC", "ar", ["Beirut", "Tripoli", "Sidon"]),
    ("SY", "mena", "Syrian Arab Red Crescent", "الهلال الأحمر العربي السوري", "SARC", "ar", ["Damascus", "Aleppo", "Homs"]),
    ("IQ", "mena", "Iraqi Red Crescent Society", "جمعية الهلال الأحمر العراقي", "IRCS", "ar", ["Baghdad", "Basra", "Erbil"]),
    ("YE", "mena", "Yemen Red Crescent Society", "جمعية الهلال الأحمر اليمني", "YRCS", "ar", ["Sanaa", "Aden"]),
    ("SD", "africa", "Sudanese Red Crescent Society", "جمعية الهلال الأحمر السوداني", "SRCS", "ar", ["Khartoum", "Port Sudan"]),
    ("MA", "mena", "Moroccan Red Crescent", "الهلال الأحمر المغربي", "MRC", "ar", ["Rabat", "Casablanca", "Fes"]),
    ("TN", "mena", "Tunisian Red Crescent", "الهلال الأحمر التونسي", "TRC", "ar", ["Tunis", "Sfax"]),
    ("DZ", "mena", "Algerian Red Crescent", "الهلال الأحمر الجزائري", "ARC", "ar", ["Algiers", "Oran"]),
    ("PS", "mena", "Palestine Red Crescent Society", "جمعية الهلال الأحمر الفلسطيني", "PRCS", "ar", ["Ramallah", "Nablus"]),
    ("SO", "africa", "Somali Red Crescent Society", "جمعية الهلال الأحمر الصومالي", "SRCS-SO", "ar", ["Mogadishu", "Hargeisa"]),
    ("TM", "europe", "Red Crescent Society of Turkmenistan", "Туркменистанское общество Красного Полумесяца", "RCST", "cy", ["Ashgabat", "Mary", "Turkmenabat"]),
    ("KZ", "europe", "Kazakh Red Crescent", "Казахстанское общество Красного Полумесяца", "KRC", "cy", ["Astana", "Almaty", "Shymkent"]),
    ("UZ", "europe", "Red Crescent Society of Uzbekistan", "Общество Красного Полумесяца Узбекистана", "RCSU", "cy", ["Tashkent", "Samarkand", "Bukhara"]),
    ("KG", "europe", "Red Crescent Society of Kyrgyzstan", "Общество Красного Полумесяца Кыргызстана", "RCSK", "cy", ["Bishkek", "Osh"]),
    ("TJ", "europe", "Red Crescent Society of Tajikistan", "Общество Красного Полумесяца Таджикистана", "RCST-TJ", "cy", ["Dushanbe", "Khujand"]),
    ("AZ", "europe", "Red Crescent Society of Azerbaijan", "Общество Красного Полумесяца Азербайджана", "AzRCS", "cy", ["Baku", "Ganja"]),
    ("RU", "europe", "Russian Red Cross", "Российский Красный Крест", "RRC", "cy", ["Moscow", "Kazan", "Novosibirsk"]),
    ("BY", "europe", "Belarus Red Cross", "Белорусское общество Красного Креста", "BRC", "cy", ["Minsk", "Brest"]),
    ("AM", "europe", "Armenian Red Cross Society", "Армянское общество Красного Креста", "ARCS", "cy", ["Yerevan", "Gyumri"]),
    ("MD", "europe", "Red Cross Society of the Republic of Moldova", "Общество Красного Креста Республики Молдова", "RCSM", "cy", ["Chisinau"]),
    ("TR", "europe", "Turkish Red Crescent", "", "TRC-TR", "la", ["Ankara", "Istanbul", "Gaziantep"]),
    ("FR", "europe", "French Red Cross", "", "FRC", "la", ["Paris", "Lyon"]),
    ("DE", "europe", "German Red Cross", "", "GRC", "la", ["Berlin", "Bonn"]),
    ("NO", "europe", "Norwegian Red Cross", "", "NorCross", "la", ["Oslo", "Bergen"]),
    ("GB", "europe", "British Red Cross", "", "BRCS", "la", ["London", "Manchester"]),
    ("CH", "europe", "Swiss Red Cross", "", "SRK", "la", ["Bern", "Geneva"]),
    ("KE", "africa", "Kenya Red Cross Society", "", "KRCS-KE", "la", ["Nairobi", "Mombasa"]),
    ("NG", "africa", "Nigerian Red Cross Society", "", "NRCS", "la", ["Abuja", "Lagos"]),
    ("BD", "asia_pacific", "Bangladesh Red Crescent Society", "", "BDRCS", "la", ["Dhaka", "Cox's Bazar"]),
    ("PK", "asia_pacific", "Pakistan Red Crescent Society", "", "PRCS-PK", "la", ["Islamabad", "Karachi", "Lahore"]),
    ("ID", "asia_pacific", "Indonesian Red Cross Society", "", "PMI", "la", ["Jakarta", "Surabaya"]),
    ("MY", "asia_pacific", "Malaysian Red Crescent Society", "", "MRCS", "la", ["Kuala Lumpur", "Penang"]),
    ("AF", "asia_pacific", "Afghan Red Crescent Society", "جمعیت هلال احمر افغانستان", "ARCS-AF", "ar", ["Kabul", "Herat"]),
    ("CO", "americas", "Colombian Red Cross", "", "CRC", "la", ["Bogota", "Medellin"]),
    ("CA", "americas", "Canadian Red Cross", "", "CRC-CA", "la", ["Ottawa", "Toronto"]),
]

# International bodies with no country of their own, and the acronym their offices use.
INTERNATIONAL = [
    ("International Federation of Red Cross and Red Crescent Societies", "IFRC", "ifrc", "delegation"),
    ("International Committee of the Red Cross", "ICRC", "icrc", "delegation"),
    ("United Nations High Commissioner for Refugees", "UNHCR", "un_agency", "office"),
    ("United Nations Children's Fund", "UNICEF", "un_agency", "office"),
    ("World Food Programme", "WFP", "un_agency", "office"),
    ("World Health Organization", "WHO", "un_agency", "office"),
    ("International Organization for Migration", "IOM", "un_agency", "office"),
    ("Office for the Coordination of Humanitarian Affairs", "OCHA", "un_agency", "office"),
]

MINISTRIES = [
    ("Ministry of Health", "وزارة الصحة", "Министерство здравоохранения"),
    ("Ministry of Foreign Affairs", "وزارة الخارجية", "Министерство иностранных дел"),
    ("Ministry of Interior", "وزارة الداخلية", "Министерство внутренних дел"),
    ("Ministry of Social Development", "وزارة التنمية الاجتماعية", "Министерство социального развития"),
    ("Ministry of Emergency Situations", "وزارة الطوارئ", "Министерство по чрезвычайным ситуациям"),
    ("National Disaster Management Authority", "الهيئة الوطنية لإدارة الكوارث", "Национальное агентство по управлению бедствиями"),
]

NGO_WORDS = ["Hope", "Mercy", "Unity", "Bridge", "Horizon", "Relief", "Care", "Light", "Harvest", "Shelter", "Oasis",
             "Crescent", "Compass", "Anchor", "Lifeline", "Common Ground", "Open Hands", "Green Valley", "Silk Road"]
NGO_FOCUS = ["Water", "Health", "Education", "Children", "Refugee", "Disaster", "Food", "Women", "Youth", "Medical",
             "Development", "Livelihoods", "Orphans", "Mine Action", "Community"]
NGO_FORMS = ["Foundation", "Association", "Network", "Initiative", "Trust", "Alliance", "Society", "Fund", "Charity"]
OTHER_FORMS = ["University of {city}", "{city} Institute of Public Health", "{city} Humanitarian Academy",
               "{city} Chamber of Commerce", "{city} Centre for Disaster Studies"]

# Arabic names: (usual Latin spelling, Arabic script, other Latin spellings).
ARABIC_GIVEN = [
    ("Mohammed", "محمد", ["Muhammad", "Mohamed", "Mohamad"]),
    ("Ahmed", "أحمد", ["Ahmad"]),
    ("Abdullah", "عبدالله", ["Abdallah", "Abd Allah"]),
    ("Khalid", "خالد", ["Khaled"]),
    ("Omar", "عمر", ["Umar"]),
    ("Youssef", "يوسف", ["Yusuf", "Yousef"]),
    ("Hamad", "حمد", []),
    ("Faisal", "فيصل", ["Faysal"]),
    ("Saleh", "صالح", ["Salih"]),
    ("Nasser", "ناصر", ["Nasir"]),
    ("Hassan", "حسن", ["Hasan"]),
    ("Tariq", "طارق", ["Tarek", "Tareq"]),
    ("Mansour", "منصور", ["Mansur"]),
    ("Rashid", "راشد", ["Rashed"]),
    ("Fatima", "فاطمة", ["Fatma", "Fatemah"]),
    ("Aisha", "عائشة", ["Aicha", "Ayesha"]),
    ("Maryam", "مريم", ["Mariam"]),
    ("Noura", "نورة", ["Nora", "Nourah"]),
    ("Huda", "هدى", ["Hoda"]),
    ("Layla", "ليلى", ["Leila", "Laila"]),
    ("Amal", "أمل", []),
    ("Reem", "ريم", ["Rim"]),
    ("Salma", "سلمى", []),
    ("Hind", "هند", []),
]
ARABIC_FAMILY = [
    ("Al-Thani", "آل ثاني", ["Al Thani"]),
    ("Al-Kuwari", "الكواري", ["Al Kuwari", "Alkuwari"]),
    ("Al-Marri", "المري", ["Al Marri"]),
    ("Al-Hajri", "الهاجري", ["Al Hajri"]),
    ("Al-Mansouri", "المنصوري", ["Al Mansoori", "Almansouri"]),
    ("Al-Hashimi", "الهاشمي", ["Al Hashemi", "Hashimi"]),
    ("Haddad", "حداد", ["Al-Haddad"]),
    ("Khoury", "خوري", ["Khouri", "El Khoury"]),
    ("Nasser", "ناصر", ["Naser"]),
    ("Al-Amin", "الأمين", ["El Amin"]),
    ("Mahmoud", "محمود", ["Mahmud"]),
    ("Ibrahim", "إبراهيم", ["Ebrahim"]),
    ("Al-Obaidi", "العبيدي", ["Al Obaidi"]),
    ("Saadeh", "سعادة", ["Saade"]),
    ("Al-Zahrani", "الزهراني", ["Al Zahrani"]),
    ("Al-Shammari", "الشمري", ["Al Shammari"]),
    ("Othman", "عثمان", ["Osman", "Uthman"]),
    ("Bakr", "بكر", ["Bakir"]),
]

# Cyrillic names: the Latin spelling is derived (anyascii); these are the own-script forms.
CYRILLIC_GIVEN = ["Мерген", "Гульнара", "Айгуль", "Нурлан", "Бахтиёр", "Дильноза", "Алишер", "Зарина", "Руслан",
                  "Айсултан", "Ольга", "Сергей", "Наталья", "Тимур", "Жанна", "Фаррух", "Мадина", "Эльдар",
                  "Ирина", "Азамат", "Шахло", "Батыр", "Огулджан", "Арслан"]
CYRILLIC_FAMILY_MALE = ["Атаев", "Нурмухамедов", "Каримов", "Ахмедов", "Исмаилов", "Сапаров", "Юсупов", "Иванов",
                        "Рахимов", "Бердыев", "Аманов", "Ташкентов", "Мамедов", "Оразов"]
# Russian-style family names take an "a" for women; the generator applies it.
CYRILLIC_FEMALE_GIVEN = {"Гульнара", "Айгуль", "Дильноза", "Зарина", "Ольга", "Наталья", "Жанна", "Мадина", "Ирина",
                         "Шахло", "Огулджан"}
# Common alternative transliterations (Latin → Latin), applied to the derived spelling.
TRANSLITERATION_VARIANTS = [("kh", "h"), ("yo", "io"), ("zh", "j"), ("ya", "ia"), ("yu", "iu"), ("ev", "yev"),
                            ("sh", "ch"), ("ov", "off")]

LATIN_GIVEN = ["Anna", "Thomas", "Marie", "Jean", "Elena", "David", "Sarah", "Lukas", "Ingrid", "Carlos", "Grace",
               "Samuel", "Aminata", "Joseph", "Claire", "Peter", "Sofia", "Daniel", "Amina", "Erik"]
LATIN_FAMILY = ["Martin", "Müller", "Hansen", "Okafor", "Mwangi", "Dubois", "García", "Smith", "Schneider",
                "Andersen", "Rahman", "Santoso", "Yilmaz", "Demir", "Bianchi", "Khan", "Nyambura", "Lefebvre"]

HONORIFICS = ["", "", "", "", "Dr.", "Mr.", "Ms.", "HE", "Eng.", "Prof."]
# "Mr." or "Ms." follows the given name (Latin spelling): these are women's names.
FEMALE_GIVEN = frozenset(
    ["Fatima", "Aisha", "Maryam", "Noura", "Huda", "Layla", "Amal", "Reem", "Salma", "Hind"]
    + ["Anna", "Marie", "Elena", "Sarah", "Ingrid", "Grace", "Aminata", "Claire", "Sofia", "Amina"]
    + [anyascii(name) for name in CYRILLIC_FEMALE_GIVEN]
)

POSITION_TITLES = {
    "national_society": ["President", "Secretary General", "Deputy Secretary General", "Head of International Relations",
                         "Director of Disaster Management", "Head of Health Programmes", "Youth Coordinator",
                         "Programme Officer", "Branch Director", "Communications Manager"],
    "ifrc": ["Head of Delegation", "Head of Country Cluster Delegation", "Regional Director", "Programme Coordinator",
             "Operations Manager", "Partnerships Officer"],
    "icrc": ["Head of Delegation", "Deputy Head of Delegation", "Protection Coordinator", "Cooperation Delegate",
             "Health Coordinator"],
    "government": ["Minister", "Deputy Minister", "Director of International Cooperation", "Head of Department",
                   "Adviser to the Minister", "Ambassador"],
    "un_agency": ["Representative", "Deputy Representative", "Head of Office", "Programme Specialist",
                  "Emergency Coordinator"],
    "ngo": ["Executive Director", "Chair of the Board", "Programme Manager", "Country Director", "Field Coordinator"],
    "other": ["Dean", "Professor", "Researcher", "Director", "Board Member"],
}
DEPARTMENTS = ["", "", "International Relations", "Disaster Management", "Health", "Finance", "Communications",
               "Partnerships", "Volunteering", "Protection"]

TOPICS = [
    ("Disaster risk reduction", "disaster-risk-reduction"),
    ("Emergency response", "emergency-response"),
    ("Migration and displacement", "migration-and-displacement"),
    ("Health and care", "health-and-care"),
    ("First aid", "first-aid"),
    ("Climate and environment", "climate-and-environment"),
    ("Volunteering", "volunteering"),
    ("Youth", "youth"),
    ("Restoring family links", "restoring-family-links"),
    ("International humanitarian law", "international-humanitarian-law"),
    ("Humanitarian diplomacy", "humanitarian-diplomacy"),
    ("Blood services", "blood-services"),
    ("Cash assistance", "cash-assistance"),
    ("Water and sanitation", "water-and-sanitation"),
    ("Protection, gender and inclusion", "protection-gender-and-inclusion"),
    ("National society development", "national-society-development"),
    ("Psychosocial support", "psychosocial-support"),
    ("Shelter", "shelter"),
]
FRAMEWORKS = [
    "IFRC Strategy 2030",
    "Sendai Framework for Disaster Risk Reduction",
    "Sustainable Development Goals",
    "Grand Bargain",
    "Seville Agreement 2.0",
]

CONFERENCE_TITLES = [
    "Regional Conference of National Societies on {topic}",
    "Meeting of the Heads of National Societies of the {area}",
    "{area} Forum on {topic}",
    "Annual Partnership Meeting on {topic}",
    "Statutory Meeting of the {area} Red Cross and Red Crescent Network",
    "High-level Dialogue on {topic}",
]
AREAS = ["Gulf", "Middle East and North Africa", "Central Asia", "Commonwealth of Independent States", "Europe",
         "Horn of Africa", "South Asia", "Southeast Asia", "Mediterranean", "Caucasus"]
OTHER_EVENT_TITLES = {
    "visit": ["Visit of the {org} delegation to {city}", "Field visit to {city} with {org}"],
    "workshop": ["Workshop on {topic} in {city}", "{topic}: planning workshop with {org}"],
    "training": ["Training of trainers on {topic}", "{topic} training for volunteers in {city}"],
    "bilateral_meeting": ["Bilateral meeting with {org}", "Working meeting with {org} on {topic}"],
    "other": ["Donor round table on {topic}", "Joint assessment mission with {org}"],
}
VENUES = ["", "", "Conference centre", "Headquarters", "Grand Hotel ballroom", "Ministry building", "Congress hall"]

AGREEMENT_TITLES = {
    "mou": "Memorandum of understanding on {topic}",
    "cooperation_agreement": "Cooperation agreement on {topic}",
    "framework_agreement": "Framework agreement for {topic}",
    "letter_of_intent": "Letter of intent on {topic}",
    "project_agreement": "Project agreement: {topic} in {city}",
    "other": "Partnership arrangement on {topic}",
}
SUMMARY_SENTENCES = [
    "The parties commit to sharing expertise on {topic}.",
    "A joint working group meets twice a year to review progress on {topic}.",
    "Staff exchanges and joint trainings in {city} are planned.",
    "Each party names a focal point for {topic}.",
    "Funding for the first year comes from the parties' own budgets.",
    "The parties will report results to their governing boards.",
]
EVENT_SENTENCES = [
    "Delegations reviewed joint work on {topic}.",
    "Participants agreed to follow up on {topic} within six months.",
    "The host presented its plans for {topic}.",
    "Side meetings were held between delegations.",
]

SOURCE_PUBLISHERS = ["National news agency", "Society newsletter", "Regional daily", "IFRC news", "Partner website",
                     "Ministry press office"]
SOURCE_TITLES = [
    "{org} hosts partners for talks on {topic}",
    "Report on {topic} cooperation, {year}",
    "Minutes of the meeting with {org}",
    "Letter from {org} on {topic}",
    "{org} and partners sign agreement on {topic}",
]
