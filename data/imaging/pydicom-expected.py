"""Expected decoded values of pydicom's test files, written by pydicom (an independent reader).

    /usr/bin/python3 data/imaging/pydicom-expected.py > data/imaging/pydicom-expected.json

For each file: whether pydicom parses it, the transfer syntax, and for frame 1 of decodable images the
modality values (Rescale Slope/Intercept applied, as HU for CT): shape, min, max, mean and 64 samples
at evenly spaced indices. Tests in libs/dicom compare our decoder with these numbers without Python.
"""
import json
import os
import sys

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut

DIR = "/usr/lib/python3/dist-packages/pydicom/data/test_files"
out = {"pydicom": pydicom.__version__, "files": {}}
for name in sorted(os.listdir(DIR)):
    if not name.endswith(".dcm"):
        continue
    entry = {}
    try:
        ds = pydicom.dcmread(os.path.join(DIR, name), force=True)
        entry["transferSyntax"] = str(getattr(getattr(ds, "file_meta", None), "TransferSyntaxUID", "") or "")
        entry["sopInstanceUid"] = str(ds.get("SOPInstanceUID", ""))
        if "PixelData" in ds and "Rows" in ds:
            try:
                arr = ds.pixel_array
                frames = int(ds.get("NumberOfFrames", 1) or 1)
                frame = arr[0] if frames > 1 else arr
                vals = apply_modality_lut(frame, ds).astype(np.float64).ravel()
                idx = np.linspace(0, vals.size - 1, 64).astype(int)
                entry["frame1"] = {
                    "shape": list(frame.shape),
                    "min": float(vals.min()), "max": float(vals.max()), "mean": float(vals.mean()),
                    "sampleIndex": idx.tolist(), "samples": vals[idx].tolist(),
                }
            except Exception as e:  # noqa: BLE001 - we record why pydicom could not decode
                entry["pixelError"] = f"{type(e).__name__}: {e}"[:200]
    except Exception as e:  # noqa: BLE001
        entry["parseError"] = f"{type(e).__name__}: {e}"[:200]
    out["files"][name] = entry
json.dump(out, sys.stdout, indent=1)
sys.stdout.write("\n")
