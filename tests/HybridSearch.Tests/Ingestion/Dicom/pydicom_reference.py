#!/usr/bin/env python3
"""Reference decoding for HybridSearch's DICOM conformance tests.

For each DICOM file given, prints one JSON line with the tags the C# reader must agree on and, when pydicom can
decode the pixels, writes the middle frame after the same pipeline as DicomFrameRenderer (stored values masked and
sign-extended, modality rescale, first window or min-max, MONOCHROME1 inversion, floor(y+0.5); RGB shifted to 8
bits, YBR_FULL converted with the JFIF equations, PALETTE COLOR through its LUTs) as raw bytes <out>/<n>.raw.

Compressed files pydicom cannot decode here (no JPEG plugin installed) are first decompressed with dcmtk's dcmdjpeg
(JPEG) when it is on PATH; the line then says reference=dcmdjpeg+pydicom. Files whose pixels neither can decode say
status=no-reference, files without pixels status=no-pixels, files pydicom cannot parse status=unreadable.

usage: pydicom_reference.py OUT_DIR FILE...
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pydicom

TEXT_TAGS = ["Modality", "BodyPartExamined", "StudyDate", "StudyDescription", "SeriesDescription", "Manufacturer",
             "PatientAge", "PatientSex", "PatientName", "PatientID", "StudyInstanceUID", "SeriesInstanceUID",
             "SOPInstanceUID", "PhotometricInterpretation"]
NUMBER_TAGS = ["SliceThickness", "Rows", "Columns", "NumberOfFrames", "BitsStored", "RescaleSlope", "RescaleIntercept"]
JPEG_SYNTAXES = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70"}


def first(value):
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        return value[0] if len(value) else None
    return value


def tags_of(ds):
    tags = {}
    for keyword in TEXT_TAGS:
        if keyword in ds and ds[keyword].value not in (None, ""):
            value = ds[keyword].value
            text = "\\".join(str(v) for v in value) if type(value).__name__ == "MultiValue" else str(value)
            tags[keyword] = text.strip(" \0")
    numbers = {}
    for keyword in NUMBER_TAGS:
        if keyword in ds and ds[keyword].value not in (None, ""):
            try:
                numbers[keyword] = float(first(ds[keyword].value))
            except (TypeError, ValueError):
                pass
    return tags, numbers


def render(ds, arr):
    pi = str(ds.PhotometricInterpretation).strip().upper()
    bits_stored = int(ds.get("BitsStored", ds.BitsAllocated))
    signed = int(ds.get("PixelRepresentation", 0)) == 1
    if pi in ("MONOCHROME1", "MONOCHROME2"):
        v = arr.astype(np.int64) & ((1 << bits_stored) - 1)
        if signed:
            v = np.where(v & (1 << (bits_stored - 1)), v - (1 << bits_stored), v)
        v = v.astype(np.float64)
        if "RescaleSlope" in ds or "RescaleIntercept" in ds:
            v = v * float(ds.get("RescaleSlope", 1.0)) + float(ds.get("RescaleIntercept", 0.0))
        c = first(ds.get("WindowCenter")) if "WindowCenter" in ds else None
        w = first(ds.get("WindowWidth")) if "WindowWidth" in ds else None
        if c is not None and w is not None and float(w) >= 1:
            c, w = float(c), float(w)
            low, high = c - 0.5 - (w - 1) / 2, c - 0.5 + (w - 1) / 2
            with np.errstate(divide="ignore", invalid="ignore"):
                mid = ((v - (c - 0.5)) / (w - 1) + 0.5) * 255 if w > 1 else np.zeros_like(v)
            y = np.where(v <= low, 0.0, np.where(v > high, 255.0, mid))
        else:
            lo, hi = v.min(), v.max()
            y = (v - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(v)
        if pi == "MONOCHROME1":
            y = 255 - y
        return np.clip(np.floor(y + 0.5), 0, 255).astype(np.uint8), 1
    if pi == "PALETTE COLOR":
        v = arr.astype(np.int64) & ((1 << bits_stored) - 1)
        if signed:
            v = np.where(v & (1 << (bits_stored - 1)), v - (1 << bits_stored), v)
        channels = []
        for colour in ("Red", "Green", "Blue"):
            desc = [int(x) for x in ds[f"{colour}PaletteColorLookupTableDescriptor"].value]
            count = desc[0] or 65536
            raw = ds[f"{colour}PaletteColorLookupTableData"].value
            lut = np.frombuffer(raw, dtype="<u2")[:count] if len(raw) >= 2 * count else np.frombuffer(raw, dtype=np.uint8)[:count]
            lut = lut.astype(np.int64)
            index = np.clip(v - desc[1], 0, count - 1)
            out = lut[index]
            channels.append((out >> (desc[2] - 8)) if desc[2] > 8 else out)
        return np.stack(channels, axis=-1).astype(np.uint8), 3
    # colour
    if pi in ("YBR_FULL", "YBR_FULL_422"):
        y, cb, cr = [arr[..., i].astype(np.float64) for i in range(3)]
        cb, cr = cb - 128.0, cr - 128.0
        rgb = np.stack([y + 1.402 * cr, y - 0.344136 * cb - 0.714136 * cr, y + 1.772 * cb], axis=-1)
        return np.clip(np.floor(rgb + 0.5), 0, 255).astype(np.uint8), 3
    if pi == "RGB":
        v = arr.astype(np.int64) & ((1 << bits_stored) - 1)
        return np.minimum(v >> max(0, bits_stored - 8), 255).astype(np.uint8), 3
    raise ValueError(f"photometric interpretation {pi} not rendered")


def decode(path):
    ds = pydicom.dcmread(path, force=True)
    syntax = str(ds.file_meta.get("TransferSyntaxUID", "")) if hasattr(ds, "file_meta") else ""
    try:
        if os.environ.get("DICOM_REFERENCE_JPEG_VIA_DCMTK") == "1" and syntax in JPEG_SYNTAXES:
            raise RuntimeError("JPEG decoded through dcmdjpeg by request")
        return ds, ds.pixel_array, "pydicom"
    except Exception as error:  # noqa: BLE001 - any decoder failure means: try dcmtk, else no reference
        if syntax in JPEG_SYNTAXES and shutil.which("dcmdjpeg"):
            with tempfile.TemporaryDirectory() as scratch:
                plain = os.path.join(scratch, "plain.dcm")
                done = subprocess.run(["dcmdjpeg", path, plain], capture_output=True)
                if done.returncode == 0:
                    plain_ds = pydicom.dcmread(plain, force=True)
                    return plain_ds, plain_ds.pixel_array, "dcmdjpeg+pydicom"
        raise error


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for n, path in enumerate(sys.argv[2:]):
        line = {"file": path}
        try:
            ds = pydicom.dcmread(path, force=True)
            line["tags"], line["numbers"] = tags_of(ds)
            line["syntax"] = str(ds.file_meta.get("TransferSyntaxUID", "")) if hasattr(ds, "file_meta") else ""
        except Exception as error:  # noqa: BLE001
            line.update(status="unreadable", error=f"{type(error).__name__}: {error}")
            print(json.dumps(line), flush=True)
            continue
        if "PixelData" not in ds:
            line["status"] = "no-pixels"
            print(json.dumps(line), flush=True)
            continue
        try:
            pixel_ds, arr, reference = decode(path)
            frames = int(pixel_ds.get("NumberOfFrames", 1) or 1)
            frame = frames // 2
            if frames > 1:
                arr = arr[frame]
            pixels, channels = render(pixel_ds, arr)
            raw = os.path.join(out_dir, f"{n}.raw")
            pixels.tofile(raw)
            line.update(status="ok", reference=reference, frame=frame, frames=frames, width=int(pixel_ds.Columns),
                        height=int(pixel_ds.Rows), channels=channels, pixels=raw)
        except Exception as error:  # noqa: BLE001
            line.update(status="no-reference", error=f"{type(error).__name__}: {error}")
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
