"""Text content of the HybridSearch demo corpus (data/demo).

Everything here was written for this project (licence: CC0, see data/LICENSES.md).
make_demo_assets.py turns it into manifest.jsonl, showcase.json, images, clips and transcripts.
All names of people, places and brands are made up.
"""

SYNTHETIC = "Synthetic teaching record — not a real patient."

# --- Clipart classes -------------------------------------------------------------------------
# Each entry: (file stem in data/demo/img/<class>/, openclipart-png source path relative to
# /usr/share/openclipart/png/). The "query" entry of each class is held out of the manifest and
# written to data/demo/queries/ so a query-by-example finds its siblings, never itself.
CLIPART = {
    "car": {
        "records": [
            ("red-sports-coupe", "recreation/holiday/sportcar_sergio_luiz_ara_01.png"),
            ("blue-coupe", "transportation/car_jamin_ellis_.png"),
            ("black-classic-sedan", "transportation/old_car_lumen_design_st_r.png"),
            ("olive-off-roader", "transportation/hummer_07.png"),
            ("grey-compact", "transportation/autos_01.png"),
        ],
        "query": ("car-red-hatchback", "transportation/skoda_car_alejandro_teja_.png"),
    },
    "guitar": {
        "records": [
            ("blue-bass", "recreation/music/bass_guitar_a.j._ashton_.png"),
            ("black-electric", "recreation/music/electric_guitar_andrea__01r.png"),
            ("acoustic-cutaway", "recreation/music/guitar_jarno_vasamaa1.png"),
            ("classical", "recreation/music/guitar_profile_philippe__01.png"),
        ],
        "query": ("guitar-black-electric", "recreation/music/guitar_jarno_vasamaa2.png"),
    },
    "fruit": {
        "records": [
            ("apple-red-leaf", "food/fruit/an_apple_01.png"),
            ("apple-glossy", "food/fruit/another_apple_01.png"),
            ("apple-braeburn", "food/fruit/apple.png"),
            ("apple-pink", "food/fruit/apple_martin_schmidt-li_01r.png"),
            ("apple-bitten", "food/fruit/apple_bitten_dan_gerhard_01.png"),
            ("banana", "food/fruit/banana.png"),
            ("lemon", "food/fruit/lemon.png"),
            ("orange", "food/fruit/orange.png"),
        ],
        "query": ("fruit-cartoon-apple", "food/fruit/cartoon_apple_k_yager_01.png"),
    },
    "house": {
        "records": [
            ("brown-cottage", "buildings/homes/house.png"),
            ("yellow-townhouse", "buildings/homes/house_christoph_brill_01.png"),
            ("cream-bungalow", "buildings/homes/my_house_01.png"),
            ("brick-hillside", "buildings/homes/house_gabrielle_nowicki_.png"),
            ("green-cottage", "buildings/homes/casa_verde_architetto_fr_01.png"),
        ],
        "query": ("house-yellow", "buildings/homes/home14.png"),
    },
    "bird": {
        "records": [
            ("cormorant", "animals/birds/cormorant-md.png"),
            ("emperor-penguin", "animals/birds/emperor_penguin_ralf_ste_01.png"),
            ("puffin", "animals/birds/puffin-md.png"),
            ("herring-gull", "animals/birds/gull_marcelo_staudt_01.png"),
            ("grey-goose", "animals/birds/jonathon_s_duck_01.png"),
        ],
        "query": ("bird-gull-wings", "animals/birds/gabbiano_architetto_fran_01.png"),
    },
}

# --- Shop catalogue (kind=product) -----------------------------------------------------------
# (id, image "<class>/<stem>", title, text, fields without kind)
PRODUCTS = [
    ("prod-guitar-01", "guitar/blue-bass", "Four-string electric bass, sky blue",
     "Long-scale electric bass with a sky blue body, white pickguard and maple neck. Two passive pickups give a deep, "
     "round tone for rock and funk. Ships with a padded gig bag.",
     {"category": "guitar", "price": 429.0, "colour": "blue", "brand": "Northwind", "stock": 3}),
    ("prod-guitar-02", "guitar/black-electric", "Black solid-body electric guitar",
     "Classic double-cutaway electric guitar in gloss black with a white pickguard, three single-coil pickups and a "
     "tremolo bridge. A versatile first electric for blues and pop.",
     {"category": "guitar", "price": 349.0, "colour": "black", "brand": "Northwind", "stock": 5}),
    ("prod-guitar-03", "guitar/acoustic-cutaway", "Natural spruce acoustic guitar with cutaway",
     "Dreadnought acoustic guitar with a solid spruce top in a natural finish and a cutaway for the high frets. "
     "Built-in tuner and pickup for playing on stage.",
     {"category": "guitar", "price": 289.0, "colour": "natural", "brand": "Harbour Lane", "stock": 2}),
    ("prod-guitar-04", "guitar/classical", "Classical nylon-string guitar, honey finish",
     "Full-size classical guitar with nylon strings, a warm honey-coloured top and a wide flat neck. Soft on the "
     "fingers and ideal for beginners and fingerstyle players.",
     {"category": "guitar", "price": 199.0, "colour": "honey", "brand": "Harbour Lane", "stock": 7}),
    ("prod-car-01", "car/red-sports-coupe", "Red two-door sports coupe, 2016",
     "Low red sports coupe with a six-speed manual gearbox, alloy wheels and a full service history. One owner, "
     "garage kept, 58,000 km.",
     {"category": "car", "price": 18500.0, "colour": "red", "brand": "Vetra", "year": 2016}),
    ("prod-car-02", "car/blue-coupe", "Blue coupe with sunroof, 2012",
     "Metallic blue coupe with a sunroof, heated seats and a new timing belt. Economical petrol engine, 112,000 km.",
     {"category": "car", "price": 9900.0, "colour": "blue", "brand": "Ardent", "year": 2012}),
    ("prod-car-03", "car/black-classic-sedan", "Black 1951 classic sedan",
     "Restored black four-door sedan from 1951 with chrome bumpers, whitewall tyres and the original straight-six "
     "engine. A collector's car for shows and weddings.",
     {"category": "car", "price": 24000.0, "colour": "black", "brand": "Ardent", "year": 1951}),
    ("prod-car-04", "car/olive-off-roader", "Olive-green off-road utility vehicle",
     "Wide four-wheel-drive utility vehicle in olive green with a diesel engine, winch and raised suspension. "
     "Built for farm tracks, mud and snow.",
     {"category": "car", "price": 31000.0, "colour": "green", "brand": "Kestrel", "year": 2019}),
    ("prod-car-05", "car/grey-compact", "Grey compact city car, 2009",
     "Small grey city car that is easy to park, cheap to insure and frugal on fuel. Photographed from the side and "
     "the front. 140,000 km, new tyres.",
     {"category": "car", "price": 6500.0, "colour": "grey", "brand": "Vetra", "year": 2009}),
    ("prod-fruit-01", "fruit/apple-red-leaf", "Red apple with leaf",
     "Crisp, sweet red apple picked with a leaf on the stalk. Great for lunch boxes. Sold per piece.",
     {"category": "fruit", "price": 0.45, "colour": "red", "brand": "Orchard Row", "stock": 120}),
    ("prod-fruit-02", "fruit/apple-glossy", "Glossy Red Delicious apple",
     "Deep red, glossy apple with a mild, sweet taste and a soft bite. Sold per piece.",
     {"category": "fruit", "price": 0.55, "colour": "red", "brand": "Orchard Row", "stock": 80}),
    ("prod-fruit-03", "fruit/apple-braeburn", "Braeburn apple",
     "Firm red-orange apple with a sharp, spicy flavour that keeps its shape in pies and crumbles. Sold per piece.",
     {"category": "fruit", "price": 0.5, "colour": "red", "brand": "Orchard Row", "stock": 95}),
    ("prod-fruit-04", "fruit/apple-pink", "Pink Lady apple",
     "Blushing pink apple, crunchy and tangy-sweet, from a small family orchard. Sold per piece.",
     {"category": "fruit", "price": 0.6, "colour": "pink", "brand": "Hillside Farm", "stock": 60}),
    ("prod-fruit-05", "fruit/apple-bitten", "Gala apple tasting sample",
     "Free tasting sample of our dark red Gala apples: juicy, aromatic and very sweet. Sold per piece.",
     {"category": "fruit", "price": 0.4, "colour": "red", "brand": "Hillside Farm", "stock": 40}),
    ("prod-fruit-06", "fruit/banana", "Ripe yellow banana",
     "Sweet ripe banana, ready to eat or to bake into banana bread. Sold per piece.",
     {"category": "fruit", "price": 0.25, "colour": "yellow", "brand": "Tropica", "stock": 200}),
    ("prod-fruit-07", "fruit/lemon", "Unwaxed lemon",
     "Bright yellow unwaxed lemon with a fragrant zest for baking, tea and dressings. Sold per piece.",
     {"category": "fruit", "price": 0.35, "colour": "yellow", "brand": "Tropica", "stock": 150}),
    ("prod-fruit-08", "fruit/orange", "Navel orange",
     "Seedless navel orange that peels easily, full of juice and vitamin C. Sold per piece.",
     {"category": "fruit", "price": 0.5, "colour": "orange", "brand": "Tropica", "stock": 110}),
]

# --- Real-estate listings (kind=listing) -----------------------------------------------------
LISTINGS = [
    ("listing-01", "house/brown-cottage", "Brown two-bedroom cottage with slate roof",
     "Compact timber-clad cottage with a dark slate roof and a small garden, five minutes from the village square. "
     "New windows, wood stove.",
     {"category": "house", "city": "Eastbrook", "price": 185000.0, "bedrooms": 2, "listed": "2024-02-10"}),
    ("listing-02", "house/yellow-townhouse", "Tall yellow family house, four bedrooms",
     "Three-storey yellow family home with a red tiled roof, bright rooms on every floor and a garage. Close to "
     "schools and the railway station.",
     {"category": "house", "city": "Millford", "price": 420000.0, "bedrooms": 4, "listed": "2024-04-02"}),
    ("listing-03", "house/cream-bungalow", "Cream bungalow with red roof",
     "Single-storey cream bungalow with a red roof, step-free rooms and a sunny patio. Suits a retired couple.",
     {"category": "house", "city": "Eastbrook", "price": 210000.0, "bedrooms": 2, "listed": "2023-10-21"}),
    ("listing-04", "house/brick-hillside", "Brick house with a view of the hills",
     "Orange-brick detached house on a quiet lane with views over green hills, a large lawn and three bedrooms.",
     {"category": "house", "city": "Upper Dale", "price": 365000.0, "bedrooms": 3, "listed": "2024-05-15"}),
    ("listing-05", "house/green-cottage", "Green storybook cottage",
     "Quirky green-walled cottage with a round attic window, arched oak door and a stone-edged garden.",
     {"category": "house", "city": "Millford", "price": 240000.0, "bedrooms": 3, "listed": "2024-01-08"}),
]

# --- Wildlife photo log (kind=photo) ---------------------------------------------------------
PHOTOS = [
    ("photo-bird-01", "bird/cormorant", "Cormorant on the north pier",
     "A black cormorant standing upright on the north pier after a dive, holding its wings close to dry off.",
     {"species": "cormorant", "place": "North Pier", "taken": "2024-04-12"}),
    ("photo-bird-02", "bird/emperor-penguin", "Emperor penguin at the polar exhibit",
     "An emperor penguin with its yellow neck patch, photographed at the polar exhibit of the city zoo.",
     {"species": "emperor penguin", "place": "City Zoo", "taken": "2023-12-03"}),
    ("photo-bird-03", "bird/puffin", "Puffin on a cliff ledge",
     "An Atlantic puffin with a striped orange bill, resting on a grassy cliff ledge during the breeding season.",
     {"species": "puffin", "place": "Gannet Head", "taken": "2024-06-20"}),
    ("photo-bird-04", "bird/herring-gull", "Herring gull on the beach",
     "A herring gull with grey wings and pink legs, watching the fishing boats come in from the beach.",
     {"species": "herring gull", "place": "South Beach", "taken": "2024-07-02"}),
    ("photo-bird-05", "bird/grey-goose", "Grey goose by the river",
     "A grey goose with a yellow bill walking along the riverbank in the early morning.",
     {"species": "goose", "place": "Mill River", "taken": "2024-03-18"}),
]

# --- Articles without media (kind=article) ---------------------------------------------------
ARTICLES = [
    ("art-01", "Composting at home",
     "A compost heap turns kitchen scraps and garden waste into dark, crumbly soil improver. Mix green material such "
     "as vegetable peel and grass clippings with brown material such as dry leaves, straw and torn cardboard. Keep "
     "the heap as damp as a wrung-out sponge and turn it every few weeks to let air in. Worms and fungi do the rest; "
     "after six to twelve months the compost is ready to spread on flower beds.",
     {"topic": "gardening", "published": "2024-03-04", "reading_minutes": 2}),
    ("art-02", "How a lighthouse guides ships",
     "A lighthouse marks dangerous coasts, reefs and harbour entrances for mariners. Its lamp sits inside a Fresnel "
     "lens, a ring of glass prisms that bends the light into a narrow beam visible for more than twenty nautical "
     "miles. Every lighthouse has its own pattern of flashes, called its character, so a navigator who counts the "
     "flashes in the darkness knows exactly which tower is in view. Today most towers are automatic and are "
     "checked by a keeper only a few times a year.",
     {"topic": "maritime", "published": "2023-11-20", "reading_minutes": 2}),
    ("art-03", "Why some birds migrate",
     "Each autumn millions of swallows, geese and warblers fly south to find food for the winter. They navigate "
     "using the position of the sun, the patterns of the stars and even the Earth's magnetic field. Many species "
     "follow the same routes every year and stop at the same wetlands to rest and feed. Bird ringing, and more "
     "recently tiny satellite tags, have shown that some birds cross deserts and oceans without a break.",
     {"topic": "nature", "published": "2024-09-15", "reading_minutes": 2}),
    ("art-04", "Looking after an acoustic guitar",
     "Wood reacts to the air around it, so an acoustic guitar is happiest at a steady room temperature and a "
     "humidity of around forty-five to fifty-five percent. Very dry air in winter can crack the top; a humidifier in "
     "the case helps. Wipe the strings after playing to stop them rusting, change them every few months, and loosen "
     "them a little before a long flight.",
     {"topic": "music", "published": "2024-01-30", "reading_minutes": 2}),
    ("art-05", "Batteries in electric cars",
     "Most electric cars store their energy in lithium-ion battery packs made of thousands of small cells. Fast "
     "charging is convenient, but frequent charging to one hundred percent and very hot weather wear the cells out "
     "sooner. Many drivers therefore charge to about eighty percent for daily trips. Old packs are increasingly "
     "reused as storage for solar panels before their metals are recycled.",
     {"topic": "technology", "published": "2024-05-22", "reading_minutes": 2}),
    ("art-06", "Roman aqueducts",
     "The Romans carried fresh water to their cities through aqueducts, some of them more than ninety kilometres "
     "long. The channels fell very gently, often only a few centimetres per hundred metres, so that gravity alone "
     "kept the water flowing. Where a valley crossed the route the engineers built tall stone arches. The water "
     "fed public fountains, baths and the houses of the rich.",
     {"topic": "history", "published": "2023-08-11", "reading_minutes": 2}),
    ("art-07", "Roasting coffee beans",
     "Green coffee beans taste of grass until they are roasted. In the roaster the beans dry out, turn yellow, then "
     "brown, and at about two hundred degrees they crack with a sound like popcorn. A light roast keeps fruity, acidic "
     "flavours; a dark roast brings out chocolate and smoke. Freshly roasted beans should rest for a day or two "
     "before brewing so that trapped carbon dioxide can escape.",
     {"topic": "food", "published": "2024-02-14", "reading_minutes": 2}),
    ("art-08", "Watching the Moon with binoculars",
     "You do not need a telescope to enjoy the Moon. Ordinary binoculars show dark lava plains, bright highlands and "
     "dozens of craters. The best time to look is not at full Moon but a few days before or after half Moon, when "
     "the sunlight falls at a low angle along the terminator and the crater walls cast long shadows. Rest your elbows "
     "on a wall or use a tripod to keep the view steady.",
     {"topic": "astronomy", "published": "2024-10-05", "reading_minutes": 2}),
    ("art-09", "Life in a tide pool",
     "When the tide goes out, pools of seawater are left among the rocks. They are home to sea anemones, crabs, "
     "limpets, starfish and small fish that must survive warm sunshine, rain and changing salt levels until the sea "
     "returns. Look quietly, turn stones back the way you found them, and never take animals home.",
     {"topic": "nature", "published": "2024-07-28", "reading_minutes": 1}),
    ("art-10", "Honey bees and pollination",
     "Honey bees visit flowers to collect nectar and pollen, and on the way they carry pollen from one flower to the "
     "next. About a third of the food we eat, including apples, almonds and many berries, depends on this "
     "pollination. A single hive can hold fifty thousand bees in summer. Planting flowers that bloom from spring to "
     "autumn and avoiding pesticides helps both honey bees and wild bees.",
     {"topic": "nature", "published": "2024-04-19", "reading_minutes": 2}),
    ("art-11", "Choosing a strong password",
     "A long passphrase made of four or five unrelated words is both easier to remember and harder to guess than a "
     "short password full of symbols. Never reuse the same password on two websites: when one site leaks, attackers "
     "try the stolen passwords everywhere else. A password manager can generate and remember a different one for "
     "every account, and two-factor authentication adds a second lock.",
     {"topic": "technology", "published": "2024-06-03", "reading_minutes": 2}),
    ("art-12", "How volcanoes erupt",
     "Deep underground, rock melts into magma that is lighter than the rock around it and slowly rises. Gas dissolved "
     "in the magma behaves like the bubbles in a shaken bottle of soda: when pressure drops near the surface it "
     "escapes violently. Runny basalt magma produces gentle lava fountains, as in Hawaii, while thick, sticky magma "
     "traps its gas and explodes, throwing ash high into the sky.",
     {"topic": "science", "published": "2023-12-12", "reading_minutes": 2}),
]

# --- Spoken clips (kind=recording) -----------------------------------------------------------
# The record text deliberately avoids the words spoken in the clip, so a hit on those words can only
# come from the transcript (.srt) leg of the engine.
RECORDINGS = [
    ("rec-01", "harbour-weather", "Harbour radio, morning bulletin",
     "Short morning bulletin from the local harbour radio station.",
     {"programme": "Harbour Radio", "recorded": "2024-02-08"},
     ["Good morning, this is the harbour weather bulletin for Thursday.",
      "A strong westerly gale will reach the northern coast by early afternoon.",
      "Waves of four metres are expected outside the breakwater.",
      "Small boats should stay in port until the wind drops on Friday."]),
    ("rec-02", "banana-bread", "Kitchen podcast, episode three",
     "An excerpt from a home cooking podcast.",
     {"programme": "Kitchen Podcast", "recorded": "2024-05-11"},
     ["Today we are baking banana bread.",
      "Mash three very ripe bananas with a fork and stir in melted butter.",
      "Add one egg, a cup of sugar, and a pinch of cinnamon.",
      "Fold in the flour gently, pour the batter into a loaf tin, and bake for fifty minutes.",
      "Let it cool before you slice it."]),
    ("rec-03", "museum-guide", "Museum audio guide, room four",
     "Audio guide track played in one of the galleries of the city museum.",
     {"programme": "City Museum Audio Guide", "recorded": "2023-10-30"},
     ["Welcome to room four of the city museum.",
      "The large painting in front of you shows the frozen river during the great winter of seventeen forty.",
      "Look closely and you will see skaters, a horse pulling a sledge, and a market set up on the ice.",
      "The artist painted it from memory many years later."]),
    ("rec-04", "train-announcement", "Station announcement, weekday evening",
     "Recorded public announcement at the central railway station.",
     {"programme": "Central Station", "recorded": "2024-09-02"},
     ["Attention please.",
      "The next train to Riverside will depart from platform seven in five minutes.",
      "This train calls at Old Town, University and Riverside.",
      "Passengers for the airport should change at University.",
      "Please mind the gap between the train and the platform."]),
]

# --- Synthetic patients (kind=patient) -------------------------------------------------------
# Scans are drawn by make_demo_assets.py (no real data). "scans" lists (file stem, drawer, seed,
# caption); "shared" lists scans of another case that this record also cites (follow-up compares).
PATIENTS = [
    ("case-01", "CT head after a fall",
     "Non-contrast CT of the head after a fall at home. A thin crescent-shaped subdural haematoma lies over the left "
     "hemisphere without midline shift. Admitted for observation.",
     {"modality": "CT", "age": 74, "seen": "2024-03-01", "body_part": "head", "finding": "subdural haematoma"},
     [("case-01-ct-head", "ct_head", 101, "Axial CT of the head, case-01: crescent of blood over the left hemisphere")],
     []),
    ("case-02", "Chest X-ray with cough and fever",
     "Frontal chest X-ray for a week of cough and fever. A patchy opacity in the right lower zone is consistent with "
     "pneumonia. Heart size is normal. Treated with antibiotics.",
     {"modality": "XR", "age": 58, "seen": "2023-11-14", "body_part": "chest", "finding": "pneumonia"},
     [("case-02-xr-chest", "xr_chest", 202, "Frontal chest X-ray, case-02: right lower zone opacity")],
     []),
    ("case-03", "Wrist X-ray after a fall on an outstretched hand",
     "X-ray of the left wrist after a fall while skating. There is a transverse fracture of the distal radius with "
     "slight dorsal tilt. Treated in a plaster cast; follow-up film in six weeks, see case-07.",
     {"modality": "XR", "age": 34, "seen": "2024-01-22", "body_part": "wrist", "finding": "distal radius fracture"},
     [("case-03-xr-wrist", "xr_wrist_fracture", 303, "X-ray of the left wrist, case-03: fresh fracture line across "
                                                   "the distal radius (prior film for case-07)")],
     []),
    ("case-04", "Knee MRI after a twisting injury",
     "MRI of the right knee after a twisting injury playing football. A horizontal tear runs through the posterior "
     "horn of the medial meniscus. The cruciate ligaments are intact. Referred for arthroscopy.",
     {"modality": "MR", "age": 41, "seen": "2024-05-09", "body_part": "knee", "finding": "meniscal tear"},
     [("case-04-mr-knee-sagittal", "mr_knee", 404, "Sagittal MRI of the right knee, case-04: bright line through "
                                                   "the posterior meniscus"),
      ("case-04-mr-knee-coronal", "mr_knee_coronal", 405, "Coronal MRI of the right knee, case-04")],
     []),
    ("case-05", "Ultrasound of the gallbladder",
     "Abdominal ultrasound for pain after fatty meals. The gallbladder contains a bright echogenic stone with an "
     "acoustic shadow. The bile ducts are not dilated. Referred to surgery.",
     {"modality": "US", "age": 29, "seen": "2024-02-17", "body_part": "abdomen", "finding": "gallstone"},
     [("case-05-us-gallbladder", "us_gallbladder", 505, "Ultrasound of the gallbladder, case-05: stone with "
                                                       "acoustic shadow")],
     []),
    ("case-06", "CT abdomen for flank pain",
     "Non-contrast CT of the abdomen for sudden left flank pain. A small dense stone sits in the left kidney. No "
     "obstruction. Managed with fluids and pain relief.",
     {"modality": "CT", "age": 66, "seen": "2023-09-30", "body_part": "abdomen", "finding": "kidney stone"},
     [("case-06-ct-abdomen", "ct_abdomen", 606, "Axial CT of the abdomen, case-06: bright stone in the left kidney")],
     []),
    ("case-07", "Follow-up wrist X-ray, healing fracture",
     "Follow-up X-ray of the left wrist six weeks after the fracture in case-03. The fracture line is fading and new "
     "bone (callus) bridges the gap. Cast removed, physiotherapy started. The earlier film is included for comparison.",
     {"modality": "XR", "age": 34, "seen": "2024-03-05", "body_part": "wrist", "finding": "healing fracture"},
     [("case-07-xr-wrist", "xr_wrist_healing", 707, "Follow-up X-ray of the left wrist, case-07: callus bridging "
                                                   "the healing radius fracture")],
     ["case-03-xr-wrist"]),
    ("case-08", "Brain MRI for memory complaints",
     "MRI of the brain for slowly worsening memory. Several small bright spots in the white matter suggest small "
     "vessel disease; the ventricles are mildly enlarged for age. Reviewed in the memory clinic.",
     {"modality": "MR", "age": 81, "seen": "2024-06-12", "body_part": "head", "finding": "small vessel disease"},
     [("case-08-mr-brain", "mr_brain", 808, "Axial MRI of the brain, case-08: small bright white-matter spots")],
     []),
]

# Held-out synthetic scan used as an image query (not cited by any record).
QUERY_SCANS = [("scan-ct-head", "ct_head", 909)]
