#!/usr/bin/python3
"""Turns the MedPix task (the output folder of ../shared/eval/tools/medpix_task.py) into its DICOM twin, for the
DICOM figures of issue 12: every image becomes a DICOM file made by dcmtk (img2dcm, then dcmdjpeg to uncompressed,
then, image by image in turn, kept uncompressed, dcmcrle to RLE Lossless, or dcmcjpeg +e1 to JPEG Lossless SV1),
with Modality from the case (TAC -> CT, MRI -> MR) and one StudyInstanceUID per case. Writes manifest_dicom.jsonl and
q_<name>_dicom.jsonl next to the task's files, the same records and queries with the .dcm paths.

Usage: medpix_dicom.py MEDPIX_DIR TASK_DIR   (needs dcmtk and, for progressive JPEGs, python3-pil)"""
import glob, hashlib, json, os, subprocess, sys, tempfile

src, task = sys.argv[1], sys.argv[2]
cases = [json.loads(l) for f in sorted(glob.glob(os.path.join(src, "cases_*.jsonl"))) for l in open(f)]
modality = {}
case_of = {}
for c in cases:
    for i in c.get("TAC", []):
        modality[i] = "CT"
    for i in c.get("MRI", []):
        modality[i] = "MR"
    for i in c.get("TAC", []) + c.get("MRI", []):
        case_of[i] = c["U_id"]
out_dir = os.path.join(task, "dicom")
os.makedirs(out_dir, exist_ok=True)
SYNTAXES = ["uncompressed", "rle", "jpeg-lossless"]
converted = {}
counts = {s: 0 for s in SYNTAXES}


def uid(text):
    return "2.25." + str(int(hashlib.sha1(text.encode()).hexdigest()[:30], 16))


def run(*args):
    done = subprocess.run(list(args), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {done.stderr.strip()}")


def to_dicom(relative_jpeg):
    """relative_jpeg is relative to TASK_DIR; returns the .dcm path relative to TASK_DIR."""
    if relative_jpeg in converted:
        return converted[relative_jpeg]
    jpeg = os.path.normpath(os.path.join(task, relative_jpeg))
    image_id = os.path.splitext(os.path.basename(jpeg))[0]
    case = case_of.get(image_id, image_id.split("_")[0])
    syntax = SYNTAXES[len(converted) % 3]
    target = os.path.join(out_dir, case, image_id + ".dcm")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    keys = ["-k", f"Modality={modality.get(image_id, 'OT')}", "-k", f"StudyInstanceUID={uid(case)}",
            "-k", f"SeriesInstanceUID={uid(case + '/' + modality.get(image_id, 'OT'))}", "-k", f"StudyDescription={case}"]
    with tempfile.TemporaryDirectory() as scratch:
        wrapped, plain = os.path.join(scratch, "w.dcm"), os.path.join(scratch, "p.dcm")
        try:
            run("img2dcm", *keys, jpeg, wrapped)
        except RuntimeError:
            from PIL import Image  # progressive or otherwise unusual JPEG: go through BMP
            bmp = os.path.join(scratch, "i.bmp")
            Image.open(jpeg).save(bmp)
            run("img2dcm", "-i", "BMP", *keys, bmp, wrapped)
        run("dcmdjpeg", wrapped, plain)
        if syntax == "uncompressed":
            run("dcmconv", "+te", plain, target)
        elif syntax == "rle":
            run("dcmcrle", plain, target)
        else:
            run("dcmcjpeg", "+e1", plain, target)
    counts[syntax] += 1
    converted[relative_jpeg] = os.path.relpath(target, task)
    return converted[relative_jpeg]


def rewrite(name):
    rows = [json.loads(l) for l in open(os.path.join(task, name + ".jsonl"))]
    for r in rows:
        for i, image in enumerate(r.get("images", [])):
            if isinstance(image, dict):
                image["path"] = to_dicom(image["path"])
            else:
                r["images"][i] = to_dicom(image)
    with open(os.path.join(task, name + "_dicom.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


rewrite("manifest")
for q in ("image", "keywords", "both", "category", "bothcategory"):
    rewrite("q_" + q)
print(json.dumps({"dicom_files": len(converted), "by_syntax": counts}))
