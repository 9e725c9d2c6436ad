#!/usr/bin/python3
"""Rebuild the HybridSearch demo corpus under data/demo from data/tools/demo_content.py.

Requirements (Debian 12 packages; install once as root):
    apt-get install -y python3-pil imagemagick openclipart-png flite sox
    - python3-pil     draws the synthetic scans (run this script with Debian's /usr/bin/python3)
    - imagemagick     /usr/bin/convert trims/downscales the clipart (max side 256 px)
    - openclipart-png public-domain clipart under /usr/share/openclipart/png
    - flite, sox      synthesize the spoken clips (voice "slt") and write 16 kHz mono 16-bit WAV

Usage (from the repository root):
    /usr/bin/python3 data/tools/make_demo_assets.py [clipart|scans|speech|manifest|licenses|all]

Steps are deterministic: the same packages give byte-identical files (scans use seeded noise, the
speech is flite's deterministic output, the manifest is written in a fixed order). "manifest" and
"licenses" read the generated files (clip durations, subtitle timings, file list), so run them last.
"""

import json
import os
import random
import subprocess
import sys
import tempfile
import wave

from PIL import Image, ImageDraw, ImageFilter

sys.dont_write_bytecode = True  # keep data/tools free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import demo_content as C  # noqa: E402  (content lives beside this script)

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DATA = os.path.join(ROOT, "data")
DEMO = os.path.join(DATA, "demo")
CLIPART_ROOT = "/usr/share/openclipart/png"
CONVERT = "/usr/bin/convert"  # explicit: another "convert" may shadow ImageMagick on PATH
SCAN_SIZE = 256
SPEECH_RATE = 16000
SENTENCE_GAP_S = 0.40  # silence between sentences, so cues do not touch


def rel(path):
    return os.path.relpath(path, DEMO).replace(os.sep, "/")


# ------------------------------------------------------------------------------------ clipart
def clipart():
    for cls, spec in C.CLIPART.items():
        targets = [(os.path.join(DEMO, "img", cls, stem + ".png"), src) for stem, src in spec["records"]]
        qstem, qsrc = spec["query"]
        targets.append((os.path.join(DEMO, "queries", qstem + ".png"), qsrc))
        for out, src in targets:
            os.makedirs(os.path.dirname(out), exist_ok=True)
            # Flatten transparency onto white (the embedder sees RGB), cut the page margin many
            # openclipart files have, fit into 236 px and pad 10 px: max side 256.
            subprocess.run([CONVERT, os.path.join(CLIPART_ROOT, src), "-background", "white", "-alpha", "remove",
                            "-alpha", "off", "-fuzz", "2%", "-trim", "+repage", "-resize", "236x236>",
                            "-bordercolor", "white", "-border", "10", "-strip",
                            "-define", "png:exclude-chunks=date,time", out], check=True)
            print("clipart", rel(out))


# -------------------------------------------------------------------------------------- scans
def _finish(img, rng, blur, noise_sd):
    """Soften edges like a real reconstruction, add seeded noise, stamp the synthetic label."""
    img = img.filter(ImageFilter.GaussianBlur(blur))
    px = [min(255, max(0, int(round(v + rng.gauss(0, noise_sd))))) for v in img.getdata()]
    img.putdata(px)
    d = ImageDraw.Draw(img)
    d.rectangle((0, SCAN_SIZE - 14, 156, SCAN_SIZE), fill=0)
    d.text((4, SCAN_SIZE - 12), "SYNTHETIC - NOT A PATIENT", fill=210)
    return img


def _j(rng, v, spread=4):
    """Jitter a coordinate so scans drawn from different seeds are not identical."""
    return v + rng.randint(-spread, spread)


def ct_head(rng, lesion=True):
    img = Image.new("L", (SCAN_SIZE, SCAN_SIZE), 0)
    d = ImageDraw.Draw(img)
    d.ellipse((_j(rng, 42), _j(rng, 20), _j(rng, 214), _j(rng, 240)), fill=85)    # scalp
    d.ellipse((48, 28, 208, 234), fill=235)                                         # skull
    d.ellipse((57, 37, 199, 225), fill=104)                                         # grey matter
    d.ellipse((72, 54, 184, 208), fill=116)                                         # white matter
    for _ in range(14):                                                             # sulci
        x, y = rng.randint(66, 186), rng.randint(46, 214)
        d.line((x, y, x + rng.randint(-8, 8), y + rng.randint(-8, 8)), fill=60, width=2)
    d.ellipse((108, 96, 124, 148), fill=30)                                         # lateral ventricles
    d.ellipse((132, 96, 148, 148), fill=30)
    d.line((128, 40, 128, 222), fill=80, width=2)                                   # falx
    if lesion:
        d.arc((60, 40, 196, 222), start=-65, end=65, fill=178, width=9)             # subdural crescent
    return _finish(img, rng, 1.1, 5)


def mr_brain(rng):
    img = Image.new("L", (SCAN_SIZE, SCAN_SIZE), 5)
    d = ImageDraw.Draw(img)
    d.ellipse((40, 20, 216, 240), fill=190)                                         # scalp fat
    d.ellipse((47, 28, 209, 232), fill=25)                                          # skull (dark on MR)
    d.ellipse((54, 35, 202, 225), fill=150)                                         # cortex
    for _ in range(40):                                                             # sulci with CSF
        x, y = rng.randint(58, 198), rng.randint(40, 220)
        if ((x - 128) / 70.0) ** 2 + ((y - 130) / 90.0) ** 2 > 0.7:
            d.ellipse((x - 3, y - 3, x + 3, y + 3), fill=40)
    d.ellipse((70, 52, 186, 208), fill=112)                                         # white matter
    d.ellipse((104, 90, 124, 156), fill=35)                                         # enlarged ventricles
    d.ellipse((132, 90, 152, 156), fill=35)
    for _ in range(9):                                                              # white-matter spots
        x, y = rng.randint(80, 176), rng.randint(64, 196)
        d.ellipse((x - 3, y - 3, x + 3, y + 3), fill=225)
    return _finish(img, rng, 1.0, 6)


def xr_chest(rng):
    img = Image.new("L", (SCAN_SIZE, SCAN_SIZE), 0)
    d = ImageDraw.Draw(img)
    d.rectangle((104, 0, 152, 60), fill=110)                                        # neck
    d.polygon([(18, 58), (238, 58), (250, 256), (6, 256)], fill=122)              # chest wall
    d.ellipse((38, 72, 124, 228), fill=38)                                          # lungs
    d.ellipse((132, 72, 218, 228), fill=38)
    d.ellipse((108, 128, 180, 214), fill=140)                                       # heart
    d.rectangle((121, 0, 135, 256), fill=185)                                       # spine
    for i in range(8):                                                              # ribs
        y = 62 + i * 20
        d.arc((26, y, 128, y + 64), 200, 340, fill=165, width=4)
        d.arc((128, y, 230, y + 64), 200, 340, fill=165, width=4)
    d.line((40, 64, 118, 78), fill=190, width=6)                                    # clavicles
    d.line((138, 78, 216, 64), fill=190, width=6)
    d.ellipse((50, 164, 112, 214), fill=98)                                         # right lower zone opacity
    return _finish(img, rng, 2.0, 5)


def _wrist(rng, d, fracture):
    d.polygon([(62, 256), (194, 256), (186, 120), (206, 40), (196, 0), (58, 0), (52, 40), (72, 120)], fill=72)
    if fracture == "healing":
        d.ellipse((70, 138, 136, 172), fill=178)                                    # callus
    d.rounded_rectangle((82, 128, 124, 256), radius=10, fill=205)                   # radius
    d.rounded_rectangle((92, 140, 114, 256), radius=6, fill=172)                    # marrow
    d.ellipse((74, 108, 132, 146), fill=208)                                        # distal radius flare
    d.rounded_rectangle((138, 142, 166, 256), radius=10, fill=200)                  # ulna
    for i, x in enumerate((84, 104, 124, 144, 164)):                                # carpals
        d.ellipse((x - 2, _j(rng, 84, 2) - i % 2 * 6, x + 18, 106 - i % 2 * 6), fill=188)
    for i, x in enumerate((78, 100, 122, 144, 166)):                                # metacarpals
        d.rounded_rectangle((x, 4 + abs(i - 2) * 6, x + 14, 76), radius=6, fill=196)
    if fracture == "fresh":
        d.line((76, 152, 132, 141), fill=25, width=6)
    elif fracture == "healing":
        d.line((80, 150, 128, 143), fill=150, width=2)


def xr_wrist_fracture(rng):
    img = Image.new("L", (SCAN_SIZE, SCAN_SIZE), 0)
    _wrist(rng, ImageDraw.Draw(img), "fresh")
    return _finish(img, rng, 1.2, 5)


def xr_wrist_healing(rng):
    img = Image.new("L", (SCAN_SIZE, SCAN_SIZE), 0)
    _wrist(rng, ImageDraw.Draw(img), "healing")
    return _finish(img, rng, 1.2, 5)


def mr_knee(rng):
    img = Image.new("L", (SCAN_SIZE, SCAN_SIZE), 8)
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((50, 0, 206, 256), radius=40, fill=88)                      # soft tissue
    d.rectangle((102, 0, 172, 110), fill=150)                                       # femoral shaft
    d.ellipse((84, 62, 192, 150), fill=150)                                         # condyle
    d.arc((84, 62, 192, 150), 0, 180, fill=205, width=4)                            # cartilage
    d.rectangle((88, 162, 186, 256), fill=148)                                      # tibia
    d.line((88, 162, 186, 162), fill=205, width=4)
    d.ellipse((48, 60, 74, 132), fill=150)                                          # patella
    d.line((62, 132, 92, 190), fill=20, width=7)                                    # patellar tendon
    d.polygon([(88, 150), (116, 156), (88, 160)], fill=18)                          # anterior meniscus
    d.polygon([(186, 148), (156, 156), (186, 161)], fill=18)                        # posterior meniscus
    d.line((160, 155, 186, 154), fill=235, width=2)                                 # tear
    d.line((130, 112, 150, 168), fill=25, width=5)                                  # cruciate
    return _finish(img, rng, 1.0, 6)


def mr_knee_coronal(rng):
    img = Image.new("L", (SCAN_SIZE, SCAN_SIZE), 8)
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((40, 0, 216, 256), radius=40, fill=88)
    d.rectangle((86, 0, 170, 100), fill=150)                                        # femur
    d.ellipse((60, 70, 128, 150), fill=150)                                         # medial condyle
    d.ellipse((128, 70, 196, 150), fill=150)                                        # lateral condyle
    d.ellipse((116, 110, 140, 150), fill=40)                                        # notch
    d.rectangle((62, 162, 194, 256), fill=148)                                      # tibia
    d.line((62, 162, 194, 162), fill=205, width=4)
    d.polygon([(58, 150), (92, 157), (58, 163)], fill=18)                           # menisci
    d.polygon([(198, 150), (164, 157), (198, 163)], fill=18)
    d.line((60, 156, 84, 157), fill=235, width=2)                                   # tear (medial)
    d.line((120, 120, 134, 165), fill=25, width=4)                                  # cruciates
    return _finish(img, rng, 1.0, 6)


def _fan_mask():
    mask = Image.new("L", (SCAN_SIZE, SCAN_SIZE), 0)
    ImageDraw.Draw(mask).pieslice((-122, -236, 378, 250), 55, 125, fill=255)
    return mask


def us_gallbladder(rng):
    speckle = Image.new("L", (SCAN_SIZE, SCAN_SIZE))
    speckle.putdata([max(0, min(255, int(rng.gauss(95, 40)))) for _ in range(SCAN_SIZE * SCAN_SIZE)])
    speckle = speckle.filter(ImageFilter.GaussianBlur(0.8))
    d = ImageDraw.Draw(speckle)
    d.ellipse((74, 92, 180, 146), fill=6)                                           # gallbladder (bile)
    d.polygon([(118, 134), (142, 134), (160, 256), (100, 256)], fill=12)           # acoustic shadow
    d.ellipse((116, 122, 144, 140), fill=245)                                       # stone
    img = Image.new("L", (SCAN_SIZE, SCAN_SIZE), 0)
    img.paste(speckle, (0, 0), _fan_mask())
    d = ImageDraw.Draw(img)
    for y in range(20, 250, 25):                                                    # depth scale
        d.point((250, y), fill=220)
    return _finish(img, rng, 0.6, 3)


def ct_abdomen(rng):
    img = Image.new("L", (SCAN_SIZE, SCAN_SIZE), 0)
    d = ImageDraw.Draw(img)
    d.arc((0, 200, 256, 300), 200, 340, fill=150, width=3)                          # table
    d.ellipse((_j(rng, 18), 48, _j(rng, 238), 222), fill=70)                        # subcutaneous fat
    d.ellipse((34, 60, 222, 210), fill=104)                                         # abdominal wall
    d.ellipse((40, 68, 132, 162), fill=126)                                         # liver
    d.ellipse((150, 74, 202, 116), fill=18)                                         # stomach gas
    d.ellipse((68, 138, 104, 186), fill=134)                                        # kidneys
    d.ellipse((152, 138, 188, 186), fill=134)
    d.ellipse((118, 138, 136, 156), fill=140)                                       # aorta
    d.ellipse((110, 160, 146, 194), fill=228)                                       # vertebra
    d.ellipse((122, 170, 134, 182), fill=150)
    d.ellipse((164, 156, 173, 165), fill=252)                                       # kidney stone
    return _finish(img, rng, 1.0, 5)


DRAWERS = {f.__name__: f for f in (ct_head, mr_brain, xr_chest, xr_wrist_fracture, xr_wrist_healing, mr_knee,
                                    mr_knee_coronal, us_gallbladder, ct_abdomen)}


def scans():
    for case in C.PATIENTS:
        for stem, drawer, seed, _caption in case[4]:
            _save_scan(DRAWERS[drawer](random.Random(seed)), os.path.join(DEMO, "img", "scan", stem + ".png"))
    for stem, drawer, seed in C.QUERY_SCANS:
        rng = random.Random(seed)
        img = ct_head(rng, lesion=False) if drawer == "ct_head" else DRAWERS[drawer](rng)
        _save_scan(img, os.path.join(DEMO, "queries", stem + ".png"))


def _save_scan(img, out):
    os.makedirs(os.path.dirname(out), exist_ok=True)
    img.save(out, optimize=True)
    print("scan", rel(out))


# ------------------------------------------------------------------------------------- speech
def _wav_seconds(path):
    with wave.open(path) as w:
        return w.getnframes() / float(w.getframerate())


def _srt_time(t):
    ms = int(round(t * 1000))
    return "%02d:%02d:%02d,%03d" % (ms // 3600000, ms // 60000 % 60, ms // 1000 % 60, ms % 1000)


def speech():
    out_dir = os.path.join(DEMO, "rec")
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        gap = os.path.join(tmp, "gap.wav")
        subprocess.run(["sox", "-D", "-n", "-r", str(SPEECH_RATE), "-c", "1", "-b", "16", gap, "trim", "0",
                        str(SENTENCE_GAP_S)], check=True)
        gap_s = _wav_seconds(gap)
        for _rid, stem, _title, _text, _fields, sentences in C.RECORDINGS:
            parts, cues, t = [], [], 0.0
            for i, sentence in enumerate(sentences):
                raw, norm = os.path.join(tmp, "%s-%d-raw.wav" % (stem, i)), os.path.join(tmp, "%s-%d.wav" % (stem, i))
                subprocess.run(["flite", "-voice", "slt", "-t", sentence, "-o", raw], check=True)
                # flite pads each utterance with ~0.2 s of silence at both ends; trim it (keeps the clips
                # small) and let the fixed gap separate sentences instead.
                subprocess.run(["sox", "-D", raw, "-r", str(SPEECH_RATE), "-c", "1", "-b", "16", norm,
                                "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse"],
                               check=True)
                dur = _wav_seconds(norm)
                if parts:
                    parts.append(gap)
                    t += gap_s
                parts.append(norm)
                cues.append((t, t + dur, sentence))
                t += dur
            wav = os.path.join(out_dir, stem + ".wav")
            subprocess.run(["sox", "-D"] + parts + [wav], check=True)
            # Cue times come from the sentence files' own sample counts, so they match the WAV exactly.
            assert abs(_wav_seconds(wav) - t) < 0.002, (wav, _wav_seconds(wav), t)
            with open(os.path.join(out_dir, stem + ".srt"), "w", encoding="utf-8", newline="\n") as f:
                for n, (a, b, s) in enumerate(cues, 1):
                    f.write("%d\n%s --> %s\n%s\n\n" % (n, _srt_time(a), _srt_time(b), s))
            print("speech", rel(wav), "%.2f s" % t)


def read_srt(path):
    """[(start_s, end_s, text)] from an .srt file written by speech()."""
    def secs(s):
        h, m, rest = s.split(":")
        sec, ms = rest.split(",")
        return int(h) * 3600 + int(m) * 60 + int(sec) + int(ms) / 1000.0
    cues = []
    with open(path, encoding="utf-8") as f:
        for block in f.read().strip().split("\n\n"):
            lines = block.split("\n")
            a, b = lines[1].split(" --> ")
            cues.append((secs(a), secs(b), " ".join(lines[2:])))
    return cues


# ----------------------------------------------------------------------------------- manifest
def _media_record(rid, image, title, text, kind, fields):
    return {"id": rid, "title": title, "text": text, "fields": dict({"kind": kind}, **fields),
            "images": [{"path": "img/%s.png" % image, "caption": title}]}


def build_records():
    records = []
    records += [_media_record(r, img, t, x, "product", f) for r, img, t, x, f in C.PRODUCTS]
    records += [_media_record(r, img, t, x, "listing", f) for r, img, t, x, f in C.LISTINGS]
    records += [_media_record(r, img, t, x, "photo", f) for r, img, t, x, f in C.PHOTOS]
    for rid, title, text, fields in C.ARTICLES:
        records.append({"id": rid, "title": title, "text": text, "fields": dict({"kind": "article"}, **fields)})
    for rid, stem, title, text, fields, _sentences in C.RECORDINGS:
        seconds = round(_wav_seconds(os.path.join(DEMO, "rec", stem + ".wav")), 2)
        records.append({"id": rid, "title": title, "text": text,
                        "fields": dict({"kind": "recording"}, **fields, duration_s=seconds),
                        "audio": [{"path": "rec/%s.wav" % stem, "transcript": "rec/%s.srt" % stem}]})
    captions = {stem: cap for case in C.PATIENTS for stem, _d, _s, cap in case[4]}
    owner = {stem: case[0] for case in C.PATIENTS for stem, _d, _s, _c in case[4]}
    cited_by = {}
    for case in C.PATIENTS:
        for stem in [s[0] for s in case[4]] + case[5]:
            cited_by.setdefault(stem, []).append(case[0])
    for rid, title, text, fields, scan_list, shared in C.PATIENTS:
        images = [{"path": "img/scan/%s.png" % s, "caption": c} for s, _d, _seed, c in scan_list]
        images += [{"path": "img/scan/%s.png" % s, "caption": "Prior film from %s for comparison: %s"
                    % (owner[s], captions[s])} for s in shared]
        related = sorted({r for s in [x[0] for x in scan_list] + shared for r in cited_by[s]} - {rid})
        see_also = (" Related records: %s." % ", ".join(related)) if related else ""
        records.append({"id": rid, "title": title, "text": "%s %s%s" % (C.SYNTHETIC, text, see_also),
                        "fields": dict({"kind": "patient", "source": "synthetic"}, **fields), "images": images})
    return records, cited_by


def _cue(stem, phrase):
    for start, end, said in read_srt(os.path.join(DEMO, "rec", stem + ".srt")):
        if phrase.lower() in said.lower():
            return {"start": start, "end": end, "says": said}
    raise ValueError("phrase %r is not said in rec/%s.srt" % (phrase, stem))


def _spoken(name, phrase, rid):
    stem = next(r[1] for r in C.RECORDINGS if r[0] == rid)
    return {"name": name, "demonstrates": "A clip found by words spoken in it (transcript leg); the record's own text "
            "does not contain them, and the hit carries the time of the sentence.",
            "text": phrase, "filters": [{"field": "kind", "equals": "recording"}], "expected": [rid],
            "expectedWithinTop": 1, "expectedTime": dict({"id": rid, "audio": "rec/%s.wav" % stem}, **_cue(stem, phrase))}


def build_showcase():
    eq = lambda f, v: {"field": f, "equals": v}  # noqa: E731
    queries = [
        {"name": "keyword", "demonstrates": "Plain keyword search (BM25) over titles and texts.",
         "text": "Fresnel lens", "filters": [], "expected": ["art-02"], "expectedWithinTop": 1},
        {"name": "keyword-with-filters", "demonstrates": "Keywords narrowed by a keyword field and a date range.",
         "text": "birds", "filters": [eq("kind", "article"), {"field": "published", "min": "2024-01-01",
                                                                  "max": "2024-12-31"}],
         "expected": ["art-03"], "expectedWithinTop": 1},
        {"name": "semantic", "demonstrates": "Meaning rather than words: the password article never says 'hackers' "
         "or 'protect' (MiniLM text leg).", "text": "how can I protect my online accounts from hackers",
         "filters": [], "expected": ["art-11"], "expectedWithinTop": 3},
        {"name": "semantic-lighthouse", "demonstrates": "Paraphrase search: finds the lighthouse article from a "
         "question phrased in other words (the article never says 'port' or 'night').",
         "text": "how do ships find the way into port at night",
         "filters": [], "expected": ["art-02"], "expectedWithinTop": 3},
    ]
    by_example = [("image-car", "car-red-hatchback", ["prod-car-01", "prod-car-02", "prod-car-04"]),
                  ("image-guitar", "guitar-black-electric", ["prod-guitar-02", "prod-guitar-03", "prod-guitar-01"]),
                  ("image-apple", "fruit-cartoon-apple", ["prod-fruit-02", "prod-fruit-01", "prod-fruit-03"]),
                  ("image-house", "house-yellow", ["listing-01", "listing-04", "listing-03"]),
                  ("image-bird", "bird-gull-wings", ["photo-bird-02", "photo-bird-01", "photo-bird-03"])]
    for name, stem, expected in by_example:
        queries.append({"name": name, "demonstrates": "Query by example image (ResNet18 visual leg): the held-out "
                        "image finds its siblings of the same class.", "images": ["queries/%s.png" % stem],
                        "filters": [], "expected": expected, "expectedWithinTop": 5})
    queries += [
        {"name": "catalogue-keywords-image-price", "demonstrates": "Keywords plus an example image in the shop "
         "catalogue, limited to products up to 400.", "text": "black electric guitar",
         "images": ["queries/guitar-black-electric.png"],
         "filters": [eq("kind", "product"), {"field": "price", "max": 400}],
         "expected": ["prod-guitar-02"], "expectedWithinTop": 1},
        {"name": "catalogue-cheap-red-apples", "demonstrates": "Keywords plus image plus a numeric range: red apples "
         "costing at most 0.50 (excludes the 0.55 and 0.60 apples).", "text": "red apple",
         "images": ["queries/fruit-cartoon-apple.png"],
         "filters": [eq("category", "fruit"), {"field": "price", "max": 0.5}],
         "expected": ["prod-fruit-01", "prod-fruit-03", "prod-fruit-05"], "expectedWithinTop": 3},
        {"name": "listing-image-and-city", "demonstrates": "An example house image restricted to one town by a "
         "keyword field.", "images": ["queries/house-yellow.png"],
         "filters": [eq("kind", "listing"), eq("city", "Eastbrook")],
         "expected": ["listing-01", "listing-03"], "expectedWithinTop": 2},
        _spoken("spoken-train", "platform seven", "rec-04"),
        _spoken("spoken-recipe", "fifty minutes", "rec-02"),
        _spoken("spoken-weather", "westerly gale", "rec-01"),
        _spoken("spoken-museum", "frozen river", "rec-03"),
        {"name": "patients-keyword-modality", "demonstrates": "Synthetic patients: keyword plus a modality filter.",
         "text": "fracture", "filters": [eq("kind", "patient"), eq("modality", "XR")],
         "expected": ["case-03", "case-07"], "expectedWithinTop": 2},
        {"name": "patients-age-and-date", "demonstrates": "Numeric and date ranges: patients aged 60 or more seen in "
         "2024 (case-06 is 66 but was seen in 2023). Every patient text contains 'synthetic'.",
         "text": "synthetic", "filters": [eq("kind", "patient"), {"field": "age", "min": 60},
                                          {"field": "seen", "min": "2024-01-01", "max": "2024-12-31"}],
         "expected": ["case-01", "case-08"], "expectedWithinTop": 2, "expectedExactly": True},
        {"name": "scan-by-example", "demonstrates": "A held-out synthetic CT head finds the CT head case first.",
         "images": ["queries/scan-ct-head.png"], "filters": [eq("kind", "patient")],
         "expected": ["case-01"], "expectedWithinTop": 1},
        {"name": "image-to-records", "demonstrates": "From an image to the records citing it: the fracture film of "
         "case-03 is also cited by its follow-up case-07.", "images": ["img/scan/case-03-xr-wrist.png"],
         "filters": [eq("kind", "patient")], "expected": ["case-03", "case-07"], "expectedWithinTop": 2},
    ]
    return {
        "description": "Showcase queries for `hybridsearch demo` over manifest.jsonl. Paths are relative to this "
                       "file's folder. Expected ids must appear within the first expectedWithinTop results "
                       "(in any order); expectedExactly means the filtered result set is exactly those ids. "
                       "Image expectations were checked against ResNet18 features (cosine).",
        "manifest": "manifest.jsonl",
        "filterSyntax": {"equals": "keyword field equals the value (case-sensitive)",
                         "min/max": "inclusive range on a numeric field or an ISO-8601 date field; either may be "
                                    "omitted"},
        "queries": queries,
    }


def manifest():
    records, cited_by = build_records()
    with open(os.path.join(DEMO, "manifest.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(os.path.join(DEMO, "showcase.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(build_showcase(), ensure_ascii=False, indent=2) + "\n")
    print("manifest", len(records), "records; scans cited by several records:",
          {k: v for k, v in cited_by.items() if len(v) > 1})


# ----------------------------------------------------------------------------------- licences
LICENSE_HEAD = """# Licences of the files under data/

Everything under `data/` may be redistributed with the project. This file is regenerated by
`/usr/bin/python3 data/tools/make_demo_assets.py licenses`; it lists **every** file under data/.

Sources and licences:

- **Openclipart** (Debian package `openclipart-png` %(clipart_version)s, files under
  `/usr/share/openclipart/png/`): public domain (Creative Commons Public Domain Dedication, see
  `/usr/share/doc/openclipart-png/copyright`). We trimmed the margin, flattened transparency onto white
  and downscaled to at most 256 px (ImageMagick). The original package path is given per file below;
  the author's name is usually part of that file name.
- **Synthetic scans** (`img/scan/`, `queries/scan-*.png`): drawn by us with `data/tools/make_demo_assets.py`
  (Pillow shapes plus seeded noise). They show no real patient and derive from no real image. CC0 1.0.
- **Speech** (`rec/*.wav`): synthesized by us from texts we wrote, with Debian's `flite` %(flite_version)s and its
  built-in `slt` voice (CMU Flite / CMU ARCTIC, a permissive BSD-style licence, see
  `/usr/share/doc/flite/copyright`); the licence covers the software, the synthesized output is ours.
  Converted with SoX. CC0 1.0. The `.srt` transcripts are our texts with timings computed by the script. CC0 1.0.
- **Texts** (`demo/manifest.jsonl`, `demo/showcase.json`, every title, description, article and patient record):
  written by us for this project; all people, places and brands are made up; patient records are
  synthetic teaching records, not real patients. CC0 1.0.
- **Tools** (`tools/*.py`) and this file: written by us; CC0 1.0 (or the project's licence, at your choice).

| file (under data/) | source | licence |
| --- | --- | --- |
"""


def _pkg_version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "(version unknown)"


def licenses():
    clip_src = {}
    for cls, spec in C.CLIPART.items():
        for stem, src in spec["records"]:
            clip_src["demo/img/%s/%s.png" % (cls, stem)] = src
        clip_src["demo/queries/%s.png" % spec["query"][0]] = spec["query"][1]
    out = os.path.join(DATA, "LICENSES.md")
    files = []
    for base, dirs, names in os.walk(DATA):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        files += [os.path.relpath(os.path.join(base, n), DATA).replace(os.sep, "/") for n in names]
    if "LICENSES.md" not in files:
        files.append("LICENSES.md")
    rows = []
    for f in sorted(files):
        if f in clip_src:
            row = ("openclipart-png: `%s`" % clip_src[f], "public domain")
        elif f.startswith("demo/img/scan/") or f.startswith("demo/queries/scan-"):
            row = ("drawn by us (make_demo_assets.py scans)", "CC0 1.0")
        elif f.endswith(".wav"):
            row = ("synthesized by us with flite (voice slt) + sox from our text", "CC0 1.0")
        elif f.endswith(".srt"):
            row = ("our transcript, timings computed by make_demo_assets.py", "CC0 1.0")
        elif f.startswith("demo/"):
            row = ("written by us (generated by make_demo_assets.py from demo_content.py)", "CC0 1.0")
        else:
            row = ("written by us", "CC0 1.0")
        rows.append("| `%s` | %s | %s |" % ((f,) + row))
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(LICENSE_HEAD % {"clipart_version": _pkg_version("openclipart-png"),
                                 "flite_version": _pkg_version("flite")})
        fh.write("\n".join(rows) + "\n")
    print("licenses", len(rows), "files")


STEPS = {"clipart": clipart, "scans": scans, "speech": speech, "manifest": manifest, "licenses": licenses}

if __name__ == "__main__":
    wanted = sys.argv[1:] or ["all"]
    for step in (list(STEPS) if wanted == ["all"] else wanted):
        if step not in STEPS:
            sys.exit("unknown step %r; choose from %s or all" % (step, ", ".join(STEPS)))
        STEPS[step]()
