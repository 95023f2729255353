"""Who works at the demo exporter, what it sells, and the buyers' markets it sells to.

Lists are "|"-separated strings so each market stays a few lines long. Every name is invented;
any likeness to a real company is a coincidence.
"""

from dataclasses import dataclass

DEMO_PASSWORD = "tradewind-demo"  # noqa: S105 — the published demo password, shown on screen
DEMO_EMAIL_DOMAIN = "demo.tradewind.local"
EXPORTER = "Ningbo Haifeng Import & Export Co., Ltd."
EXPORTER_ZH = "宁波海丰进出口有限公司"

WEST, EAST = "west", "east"
TEAMS = {WEST: "欧美组 Europe & Americas", EAST: "亚非组 Asia, Middle East & Africa"}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    chinese_name: str
    role: str  # accounts.choices.Role value
    team: str  # WEST, EAST or "" (the admin)
    language: str
    title: str
    mobile: str


USERS = (
    DemoUser(
        "david.chen",
        "David",
        "Chen",
        "陈建华",
        "admin",
        "",
        "zh-hans",
        "General Manager 总经理",
        "+86 138 5741 2260",
    ),
    DemoUser(
        "grace.liu",
        "Grace",
        "Liu",
        "刘静",
        "manager",
        WEST,
        "en",
        "Sales Manager, Europe & Americas",
        "+86 139 5842 7731",
    ),
    DemoUser(
        "kevin.wang",
        "Kevin",
        "Wang",
        "王凯",
        "manager",
        EAST,
        "zh-hans",
        "Sales Manager, Asia, Middle East & Africa",
        "+86 137 7745 0918",
    ),
    DemoUser(
        "lily.zhang",
        "Lily",
        "Zhang",
        "张丽",
        "sales",
        WEST,
        "zh-hans",
        "Sales Representative",
        "+86 135 6730 1182",
    ),
    DemoUser(
        "jason.li",
        "Jason",
        "Li",
        "李杰",
        "sales",
        WEST,
        "en",
        "Senior Sales Representative",
        "+86 136 5672 9045",
    ),
    DemoUser(
        "cherry.zhou",
        "Cherry",
        "Zhou",
        "周倩",
        "sales",
        EAST,
        "zh-hans",
        "Sales Representative",
        "+86 158 8812 3467",
    ),
    DemoUser(
        "tony.wu",
        "Tony",
        "Wu",
        "吴涛",
        "sales",
        EAST,
        "zh-hans",
        "Sales Representative",
        "+86 189 5741 6620",
    ),
)


@dataclass(frozen=True)
class ProductLine:
    key: str
    tag: str
    weight: int
    items: tuple[tuple[str, str], ...]  # (English, Chinese)


PRODUCT_LINES = (
    ProductLine(
        "led",
        "LED",
        40,
        (
            ("LED panel light", "LED面板灯"),
            ("LED downlight", "LED筒灯"),
            ("LED bulb", "LED球泡灯"),
            ("LED strip light", "LED灯带"),
            ("solar garden light", "太阳能庭院灯"),
            ("LED high bay light", "LED工矿灯"),
        ),
    ),
    ProductLine(
        "textile",
        "家纺",
        20,
        (
            ("bath towel", "浴巾毛巾"),
            ("bed sheet set", "床单四件套"),
            ("blackout curtain", "遮光窗帘"),
            ("cushion cover", "抱枕套"),
        ),
    ),
    ProductLine(
        "kitchen",
        "厨具",
        20,
        (
            ("stainless steel cookware set", "不锈钢锅具套装"),
            ("non-stick frying pan", "不粘煎锅"),
            ("kitchen knife set", "刀具套装"),
            ("silicone kitchen utensils", "硅胶厨具"),
        ),
    ),
    ProductLine(
        "hardware",
        "五金",
        20,
        (
            ("cabinet handle", "柜门拉手"),
            ("door hinge", "合页"),
            ("padlock", "挂锁"),
            ("drawer slide", "抽屉滑轨"),
            ("hand tool set", "手动工具套装"),
        ),
    ),
)

# How a buyer's name is built in each naming style: per product line, plus "general" for
# importers and trading companies. "{root}" is the brand or family part.
NAME_PATTERNS = {
    "en": {
        "led": "{root} Lighting|{root} LED Solutions|{root} Lighting Supply|{root} Electrical",
        "textile": "{root} Home Textiles|{root} Linens|{root} Home Fashions|{root} Bedding",
        "kitchen": "{root} Kitchenware|{root} Housewares|{root} Cookware|{root} Home & Kitchen",
        "hardware": "{root} Hardware|{root} Tools|{root} Building Supplies|{root} Fittings",
        "general": "{root} Trading|{root} Imports|{root} Distribution|{root} Sourcing",
    },
    "de": {
        "led": "{root} Lichttechnik|{root} Leuchten|{root} Licht",
        "textile": "{root} Heimtextilien|{root} Wohntextil",
        "kitchen": "{root} Haushaltswaren|{root} Küchenbedarf",
        "hardware": "{root} Werkzeuge|{root} Beschläge|{root} Eisenwaren",
        "general": "{root} Handelsgesellschaft|{root} Import",
    },
    "fr": {
        "led": "{root} Éclairage|Lumière {root}",
        "textile": "{root} Linge de Maison|Textiles {root}",
        "kitchen": "{root} Cuisine|Arts de la Table {root}",
        "hardware": "Quincaillerie {root}|{root} Outillage",
        "general": "{root} Import|{root} Distribution",
    },
    "it": {
        "led": "{root} Illuminazione|Luce {root}",
        "textile": "{root} Tessile Casa|Biancheria {root}",
        "kitchen": "{root} Casalinghi|Cucina {root}",
        "hardware": "Ferramenta {root}|{root} Utensili",
        "general": "{root} Import|{root} Distribuzione",
    },
    "es": {
        "led": "Iluminación {root}|{root} Iluminación|Lámparas {root}",
        "textile": "Textiles {root}|Blancos {root}|Hogar Textil {root}",
        "kitchen": "Menaje {root}|{root} Cocina|Artículos para el Hogar {root}",
        "hardware": "Ferretería {root}|{root} Herramientas",
        "general": "Importadora {root}|Comercial {root}|Distribuidora {root}",
    },
    "pt": {
        "led": "{root} Iluminação|Luminárias {root}",
        "textile": "{root} Cama Mesa e Banho|Têxtil {root}",
        "kitchen": "{root} Utilidades Domésticas|Cozinha {root}",
        "hardware": "Ferragens {root}|{root} Ferramentas",
        "general": "Importadora {root}|Comercial {root}|Distribuidora {root}",
    },
    "nl": {
        "led": "{root} Verlichting|{root} Lichtgroep",
        "textile": "{root} Woontextiel|{root} Textiel",
        "kitchen": "{root} Huishoudartikelen|{root} Kookgerei",
        "hardware": "{root} IJzerwaren|{root} Gereedschap",
        "general": "{root} Import|{root} Trading",
    },
    "pl": {
        "led": "{root} Oświetlenie|Światło {root}",
        "textile": "{root} Tekstylia|{root} Pościel",
        "kitchen": "{root} Naczynia|{root} Kuchnia",
        "hardware": "{root} Narzędzia|Okucia {root}",
        "general": "{root} Import|Hurtownia {root}",
    },
    "sv": {
        "led": "{root} Belysning|{root} Ljus",
        "textile": "{root} Hemtextil",
        "kitchen": "{root} Kök & Hem",
        "hardware": "{root} Verktyg|{root} Järn",
        "general": "{root} Import|{root} Handel",
    },
    "ru": {
        "led": "Svetotekhnika {root}|{root} Svet",
        "textile": "{root} Tekstil|Dom Tekstilya {root}",
        "kitchen": "{root} Posuda",
        "hardware": "{root} Instrument|Krepezh {root}",
        "general": "TD {root}|{root} Trade",
    },
    "tr": {
        "led": "{root} Aydınlatma",
        "textile": "{root} Ev Tekstili",
        "kitchen": "{root} Mutfak Eşyaları",
        "hardware": "{root} Hırdavat",
        "general": "{root} Dış Ticaret|{root} İthalat",
    },
    "id": {
        "led": "{root} Lighting|Cahaya {root}",
        "textile": "{root} Tekstil",
        "kitchen": "{root} Peralatan Dapur|{root} Houseware",
        "hardware": "{root} Teknik|{root} Hardware",
        "general": "{root} Trading|{root} Sentosa",
    },
    "ja": {
        "led": "{root} Lighting|{root} Denki",
        "textile": "{root} Textile",
        "kitchen": "{root} Housewares|{root} Kitchen",
        "hardware": "{root} Kanamono|{root} Hardware",
        "general": "{root} Shoji|{root} Bussan|{root} Trading",
    },
}

EN_TITLES = (
    "Purchasing Manager|Head of Sourcing|Senior Buyer|Category Manager|Procurement Officer|"
    "Owner|Managing Director|Product Manager|Import Manager|Sourcing Specialist"
)


@dataclass(frozen=True)
class Market:
    code: str
    team: str
    count: int
    style: str  # key of NAME_PATTERNS
    forms: tuple[str, ...]  # legal forms, "{}" is the name: "{} GmbH", "PT {}"
    roots: tuple[str, ...]
    tld: str
    ports: tuple[str, ...]
    cities: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    titles: tuple[str, ...]
    family_first: bool  # the contact's name is written family name first (Vietnam)


def _market(
    code,
    team,
    count,
    style,
    forms,
    roots,
    tld,
    ports,
    cities,
    first,
    last,
    titles="",
    family_first=False,
) -> Market:
    def split(text: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in text.split("|") if part.strip())

    return Market(
        code,
        team,
        count,
        style,
        split(forms),
        split(roots),
        tld,
        split(ports),
        split(cities),
        split(first),
        split(last),
        split(titles or EN_TITLES),
        family_first,
    )


# fmt: off
MARKETS = (
    # --- 欧美组 Europe & Americas ---------------------------------------------------------------
    _market("US", WEST, 20, "en", "{} LLC|{} Inc.|{} Corp.",
            "Brightway|Lakeside|Summit|Keystone|Pioneer|Evergreen|Harbor|Liberty|Cedar Point|"
            "Blue Ridge|Redwood|Prairie|Atlas|Northstar|Sunbelt",
            "com", "Los Angeles|Long Beach|New York|Savannah|Houston",
            "Los Angeles|Chicago|Houston|Atlanta|Miami|Dallas|Newark",
            "Michael|Jennifer|David|Sarah|Robert|Emily|Chris|Jessica|Brian|Amanda|Kevin|Megan",
            "Johnson|Smith|Miller|Davis|Brown|Wilson|Anderson|Taylor|Thomas|Moore|Clark|Lewis"),
    _market("CA", WEST, 6, "en", "{} Inc.|{} Ltd.",
            "Maple Leaf|Great Lakes|Laurentian|True North|Pacific Coast|Northern Star",
            "ca", "Vancouver|Montreal|Toronto", "Toronto|Vancouver|Montréal|Calgary",
            "Marc|Julie|Ryan|Megan|Éric|Sarah|Daniel",
            "Tremblay|Gagnon|Campbell|MacDonald|Roy|Wong"),
    _market("MX", WEST, 7, "es", "{} S.A. de C.V.|{} S. de R.L. de C.V.",
            "Azteca|Del Norte|Monterrey|Maya|Jalisco|Bajío|Anáhuac",
            "com.mx", "Manzanillo|Lázaro Cárdenas|Veracruz",
            "Ciudad de México|Guadalajara|Monterrey|Puebla",
            "José|Guadalupe|Luis|Ana|Miguel|Fernanda|Alejandro",
            "Hernández|González|Ramírez|Torres|Flores|Morales|Castillo",
            "Gerente de Compras|Jefe de Importaciones|Comprador|Director General|"
            "Purchasing Manager"),
    _market("BR", WEST, 7, "pt", "{} Ltda.|{} S.A.",
            "Paulista|Horizonte|Sul|Amazonas|Ipanema|Cruzeiro|Bandeirantes",
            "com.br", "Santos|Itajaí|Paranaguá", "São Paulo|Curitiba|Belo Horizonte|Porto Alegre",
            "João|Ana|Pedro|Juliana|Rafael|Camila|Lucas",
            "Silva|Souza|Oliveira|Santos|Costa|Pereira",
            "Gerente de Compras|Comprador|Diretor Comercial|Importação|Purchasing Manager"),
    _market("CL", WEST, 4, "es", "{} SpA|{} Ltda.",
            "Andes|Pacífico|Austral|Los Lagos|Aconcagua", "cl", "San Antonio|Valparaíso",
            "Santiago|Valparaíso|Concepción",
            "Felipe|Catalina|Matías|Valentina|Sebastián", "Muñoz|Rojas|Díaz|Soto|Contreras",
            "Jefe de Compras|Gerente Comercial|Comprador|Purchasing Manager"),
    _market("AR", WEST, 3, "es", "{} S.A.|{} S.R.L.",
            "Río de la Plata|Pampa|Patagonia|Porteña", "com.ar", "Buenos Aires",
            "Buenos Aires|Rosario|Córdoba",
            "Martín|Lucía|Diego|Sofía|Nicolás", "González|Fernández|Rodríguez|López|Gómez",
            "Jefe de Compras|Gerente de Importaciones|Comprador"),
    _market("CO", WEST, 4, "es", "{} S.A.S.",
            "Andina|Caribe|Antioquia|El Dorado|Cafetera", "com.co", "Cartagena|Buenaventura",
            "Bogotá|Medellín|Cali|Barranquilla",
            "Andrés|Daniela|Juan Pablo|Carolina|Santiago", "Gómez|Restrepo|Vargas|Ospina|Castaño",
            "Jefe de Compras|Gerente de Importaciones|Comprador|Purchasing Manager"),
    _market("PE", WEST, 3, "es", "{} S.A.C.|{} E.I.R.L.",
            "Inca|Pacífico Sur|Miraflores|Cusco", "com.pe", "Callao", "Lima|Arequipa|Trujillo",
            "Jorge|Rosa|Carlos|Patricia|Luis", "Quispe|Flores|Mendoza|Vargas|Huamán",
            "Jefe de Compras|Gerente General|Comprador"),
    _market("GB", WEST, 10, "en", "{} Ltd|{} Limited",
            "Albion|Pennine|Thames|Windsor|Highland|Crown|Regent|Cotswold|Mersey|Kingsway",
            "co.uk", "Felixstowe|Southampton", "London|Manchester|Birmingham|Leeds|Glasgow",
            "Oliver|Charlotte|James|Emma|Harry|Sophie|George|Amelia",
            "Taylor|Evans|Wright|Walker|Roberts|Hughes|Green|Hall",
            "Buying Manager|Head of Sourcing|Senior Buyer|Category Manager|Managing Director|"
            "Product Manager"),
    _market("DE", WEST, 13, "de", "{} GmbH|{} GmbH & Co. KG|{} AG|{} e.K.",
            "Nordlicht|Becker|Rheinland|Hansa|Alpen|Weber|Schwarzwald|Elbe|Bayern|Sommer|"
            "Brandt|Lindner|Falke",
            "de", "Hamburg|Bremerhaven",
            "Hamburg|München|Köln|Frankfurt am Main|Düsseldorf|Stuttgart",
            "Thomas|Stefan|Anna|Julia|Michael|Katrin|Jan|Sabine|Markus|Nina",
            "Müller|Schmidt|Weber|Fischer|Wagner|Becker|Hoffmann|Koch|Richter|Wolf",
            "Einkaufsleiter|Leiterin Einkauf|Head of Purchasing|Category Manager|Geschäftsführer|"
            "Produktmanager|Einkäufer"),
    _market("FR", WEST, 7, "fr", "{} SARL|{} SAS|{} S.A.",
            "Provence|Atlantique|Dupont|Bellevue|Lyonnaise|Rivière|Normandie",
            "fr", "Le Havre|Marseille-Fos", "Paris|Lyon|Marseille|Lille|Bordeaux",
            "Pierre|Sophie|Nicolas|Camille|Julien|Claire|Antoine",
            "Martin|Bernard|Dubois|Laurent|Moreau|Lefèvre|Girard",
            "Responsable Achats|Acheteur|Directeur Général|Chef de Produit|Purchasing Manager"),
    _market("IT", WEST, 6, "it", "{} S.r.l.|{} S.p.A.",
            "Rossi|Lombarda|Adriatica|Toscana|Bianchi|Vesuvio", "it", "Genova|La Spezia",
            "Milano|Bologna|Torino|Padova|Napoli",
            "Marco|Giulia|Luca|Francesca|Alessandro|Chiara",
            "Rossi|Bianchi|Romano|Colombo|Ricci|Greco",
            "Responsabile Acquisti|Buyer|Direttore Commerciale|Titolare|Purchasing Manager"),
    _market("ES", WEST, 6, "es", "{} S.L.|{} S.A.",
            "Ibérica|Mediterráneo|Levante|Castilla|Sol|Cantábrico", "es",
            "Valencia|Barcelona|Algeciras",
            "Madrid|Barcelona|Valencia|Sevilla|Zaragoza",
            "Javier|María|Carlos|Laura|Pablo|Lucía", "García|López|Martínez|Sánchez|Fernández|Ruiz",
            "Jefe de Compras|Responsable de Compras|Director Comercial|Comprador|"
            "Purchasing Manager"),
    _market("NL", WEST, 5, "nl", "{} B.V.",
            "Van Dijk|Oranje|Noordzee|De Vries|Delta", "nl", "Rotterdam",
            "Rotterdam|Amsterdam|Utrecht|Eindhoven",
            "Jan|Sanne|Pieter|Lotte|Bram|Eva", "de Vries|Jansen|Bakker|Visser|Smit|de Boer",
            "Inkoper|Hoofd Inkoop|Category Manager|Directeur|Purchasing Manager"),
    _market("BE", WEST, 3, "nl", "{} BV|{} NV|{} SRL",
            "Peeters|Schelde|Brabant", "be", "Antwerpen", "Antwerpen|Gent|Brussel|Liège",
            "Wouter|Els|Thomas|Sarah|Koen", "Peeters|Janssens|Maes|Claes|Willems",
            "Inkoper|Aankoopverantwoordelijke|Purchasing Manager|Zaakvoerder"),
    _market("PL", WEST, 5, "pl", "{} Sp. z o.o.|{} S.A.",
            "Wisła|Mazowsze|Bałtyk|Tatry|Polmax", "pl", "Gdańsk|Gdynia",
            "Warszawa|Kraków|Poznań|Wrocław|Łódź",
            "Piotr|Anna|Tomasz|Katarzyna|Marcin|Agnieszka",
            "Nowak|Wójcik|Kowalczyk|Mazur|Krawczyk|Zając",
            "Kierownik Zakupów|Specjalista ds. Zakupów|Prezes Zarządu|Purchasing Manager"),
    _market("SE", WEST, 3, "sv", "{} AB",
            "Svea|Göta|Fjäll|Nordic", "se", "Göteborg", "Stockholm|Göteborg|Malmö",
            "Erik|Anna|Lars|Emma|Johan", "Andersson|Johansson|Karlsson|Nilsson|Lindberg",
            "Inköpschef|Inköpare|Category Manager|VD"),
    _market("RU", WEST, 5, "ru", "OOO «{}»|AO «{}»",
            "Neva|Ural|Volga|Sibir|Severnyi", "ru", "St. Petersburg|Vladivostok|Novorossiysk",
            "Moskva|Sankt-Peterburg|Yekaterinburg|Novosibirsk",
            "Dmitry|Elena|Sergey|Olga|Alexey|Irina",
            "Kovalenko|Shevchenko|Bondarenko|Lysenko|Kravchenko",
            "Head of Purchasing|Purchasing Manager|General Director|Nachalnik Otdela Zakupok"),
    # --- 亚非组 Asia, Middle East & Africa ------------------------------------------------------
    _market("AU", EAST, 8, "en", "{} Pty Ltd",
            "Southern Cross|Bondi|Outback|Coral Bay|Harbourside|Eureka|Wattle|Kookaburra",
            "com.au", "Sydney|Melbourne|Brisbane", "Sydney|Melbourne|Brisbane|Perth|Adelaide",
            "Jack|Olivia|Liam|Chloe|Ben|Isla|Matt",
            "Smith|Jones|Williams|Brown|Wilson|Nguyen|Kelly"),
    _market("AE", EAST, 8, "en", "{} LLC|{} General Trading LLC|{} FZE",
            "Al Noor|Gulf Star|Desert Rose|Al Waha|Marina|Al Rawabi|Emirates Light|Al Safa",
            "ae", "Jebel Ali", "Dubai|Sharjah|Abu Dhabi|Ajman",
            "Mohammed|Ahmed|Rajesh|Fatima|Omar|Suresh|Khalid|Aisha",
            "Al Mansouri|Hassan|Nair|Al Hashimi|Menon|Khan|Al Zaabi",
            "Purchase Manager|Procurement Manager|General Manager|Sales & Purchase Executive|"
            "Owner"),
    _market("SA", EAST, 6, "en", "{} Trading Co.|{} Est.|{} Co. Ltd.",
            "Al Nahda|Al Saqr|Najd|Red Sea|Al Yamamah|Qassim", "com.sa", "Jeddah|Dammam",
            "Riyadh|Jeddah|Dammam",
            "Abdullah|Faisal|Khalid|Saad|Nasser|Mohammed",
            "Al Qahtani|Al Ghamdi|Al Harbi|Al Otaibi|Al Dosari",
            "Purchasing Manager|Procurement Director|General Manager|Owner"),
    _market("IN", EAST, 8, "en", "{} Pvt. Ltd.|{} Private Limited|{} LLP",
            "Shree Ganesh|Sai Krishna|Bharat|Om Sai|Laxmi|Jyoti|Apex|Rajdhani",
            "in", "Nhava Sheva|Mundra|Chennai", "Mumbai|Delhi|Ahmedabad|Chennai|Bengaluru",
            "Rajesh|Amit|Priya|Suresh|Neha|Vikram|Anil|Pooja",
            "Kumar|Shah|Sharma|Patel|Gupta|Singh|Mehta|Agarwal",
            "Purchase Head|Purchase Manager|Director|Proprietor|Sourcing Manager"),
    _market("PK", EAST, 3, "en", "{} (Pvt.) Ltd.|{} & Co.",
            "Crescent|Indus|Al Karim", "com.pk", "Karachi", "Karachi|Lahore|Faisalabad",
            "Asif|Bilal|Usman|Sana|Farhan", "Malik|Ahmed|Sheikh|Qureshi|Butt",
            "Purchase Manager|Director|CEO|Import Manager"),
    _market("VN", EAST, 5, "en", "{} Co., Ltd|{} JSC",
            "Minh Phat|Hoang Long|Thanh Cong|Phu Gia|An Phat", "vn", "Ho Chi Minh City|Hai Phong",
            "Hồ Chí Minh|Hà Nội|Đà Nẵng|Hải Phòng",
            "Văn Hùng|Thị Mai|Minh Tuấn|Thu Hà|Quốc Bảo|Thanh Hương",
            "Nguyễn|Trần|Lê|Phạm|Hoàng|Vũ",
            "Purchasing Manager|Import Manager|Director|Giám đốc", family_first=True),
    _market("TH", EAST, 5, "en", "{} Co., Ltd.|{} (Thailand) Co., Ltd.",
            "Siam|Chao Phraya|Rattana|Sombat|Thai Star", "co.th", "Laem Chabang|Bangkok",
            "Bangkok|Chiang Mai|Chonburi",
            "Somchai|Suda|Niran|Ploy|Anan|Kanya", "Srisuk|Chaiyaporn|Wongsakul|Rattanakul|Boonmee",
            "Purchasing Manager|Managing Director|Procurement Officer"),
    _market("MY", EAST, 5, "en", "{} Sdn. Bhd.",
            "Mega Jaya|Golden Harvest|KL Bright|Sinar Timur|Tan Brothers", "com.my",
            "Port Klang|Penang",
            "Kuala Lumpur|Penang|Johor Bahru|Shah Alam",
            "Wei Ming|Siew Ling|Ahmad|Nurul|Jason|Kumar", "Tan|Lim|Ibrahim|Wong|Lee|Ramasamy",
            "Purchasing Manager|Director|Procurement Executive|Owner"),
    _market("ID", EAST, 5, "id", "PT {}|CV {}",
            "Sinar Jaya|Maju Bersama|Cahaya Abadi|Sumber Rejeki|Mitra Makmur", "co.id",
            "Jakarta (Tanjung Priok)|Surabaya", "Jakarta|Surabaya|Bandung|Medan",
            "Budi|Siti|Agus|Dewi|Hendra|Rina", "Santoso|Wijaya|Halim|Gunawan|Kurniawan|Setiawan",
            "Purchasing Manager|Direktur|Manajer Pembelian|Owner"),
    _market("PH", EAST, 4, "en", "{} Inc.|{} Corporation",
            "Luzon|Pacific Star|Golden Sun|Visayas", "com.ph", "Manila",
            "Manila|Cebu|Davao|Quezon City",
            "Maria|Jose|Ana|Mark|Kristine|Paolo", "Santos|Reyes|Cruz|Garcia|Bautista|Mendoza",
            "Purchasing Manager|Procurement Head|President|Owner"),
    _market("JP", EAST, 4, "ja", "{} Co., Ltd.|{} Corporation",
            "Yamato|Sakura|Hikari|Fujimoto|Kansai|Tokai", "co.jp", "Tokyo|Yokohama|Osaka",
            "Tokyo|Osaka|Nagoya|Fukuoka",
            "Takashi|Yuko|Kenji|Akiko|Hiroshi|Naoko", "Yamamoto|Tanaka|Suzuki|Sato|Watanabe|Ito",
            "Purchasing Manager|Buyer|Section Chief (Kacho)|Director"),
    _market("KR", EAST, 3, "en", "{} Co., Ltd.",
            "Hanil|Daesung|Hanbit|Samhwa", "co.kr", "Busan", "Seoul|Busan|Incheon",
            "Min-jun|Ji-yeon|Seung-ho|Hye-jin|Dong-hyun", "Kim|Park|Lee|Choi|Jung",
            "Purchasing Manager|Team Leader|Director|CEO"),
    _market("TR", EAST, 5, "tr", "{} Ltd. Şti.|{} A.Ş.|{} San. ve Tic. Ltd. Şti.",
            "Yıldız|Anadolu|Ege|Marmara|Kartal|Boğaziçi", "com.tr", "Mersin|Istanbul (Ambarli)",
            "İstanbul|Ankara|İzmir|Bursa",
            "Mehmet|Ayşe|Mustafa|Elif|Emre|Zeynep", "Yılmaz|Kaya|Demir|Şahin|Çelik|Aydın",
            "Satın Alma Müdürü|Purchasing Manager|Genel Müdür|Firma Sahibi"),
    _market("ZA", EAST, 5, "en", "{} (Pty) Ltd",
            "Cape|Highveld|Protea|Karoo|Sunbird|Table Bay", "co.za", "Durban|Cape Town",
            "Johannesburg|Cape Town|Durban|Pretoria",
            "Thabo|Pieter|Lerato|Johan|Sipho|Anele|Riaan",
            "Nkosi|van der Merwe|Dlamini|Botha|Naidoo|Mokoena|Pretorius",
            "Procurement Manager|Buyer|Managing Director|Owner"),
    _market("NG", EAST, 4, "en", "{} Limited|{} Nig. Ltd",
            "Eko|Greenfield|Royal Crown|Oluwaseun|Niger Delta", "com.ng",
            "Lagos (Apapa)|Lagos (Tin Can)",
            "Lagos|Abuja|Kano|Port Harcourt",
            "Chinedu|Ngozi|Adebayo|Emeka|Funmi|Tunde", "Okafor|Eze|Adeyemi|Obi|Balogun|Okonkwo",
            "Managing Director|Purchasing Manager|CEO|Chairman"),
    _market("EG", EAST, 3, "en", "{} S.A.E.|{} for Import & Export",
            "Nile Star|Delta|Misr|Al Ahram", "com.eg", "Alexandria|Port Said",
            "Cairo|Alexandria|Giza",
            "Mohamed|Ahmed|Mona|Karim|Yasmin", "Hassan|Mostafa|Ibrahim|Adel|Fathy",
            "Purchasing Manager|General Manager|Import Manager|Owner"),
    _market("KE", EAST, 2, "en", "{} Limited",
            "Savanna|Kilimanjaro|Jambo", "co.ke", "Mombasa", "Nairobi|Mombasa|Kisumu",
            "James|Grace|Peter|Mary|Brian", "Otieno|Wanjiru|Kamau|Achieng|Mwangi",
            "Procurement Manager|Director|Purchasing Officer"),
)
# fmt: on

# Trade fairs where the exporter exhibits (for trade-fair leads).
FAIRS = (
    "广交会 Canton Fair",
    "香港灯饰展 HK Lighting Fair",
    "Light + Building Frankfurt",
    "Ambiente Frankfurt",
    "Middle East Energy Dubai",
    "Big 5 Dubai",
    "Heimtextil Frankfurt",
)
COURIERS = ("DHL", "FedEx", "UPS", "TNT")
CONTAINERS = ("1×20GP", "1×40HQ", "2×40HQ", "1×40GP", "3×40HQ", "LCL 8 CBM")
