"""Seeded generator of synthetic clinical notes with gold character-offset annotations.

Every note is built piece by piece: plain text is appended, entity mentions are appended through
`Note.ent`, so offsets are exact by construction. Annotation conventions (i2b2 2010 concepts,
assertions and relations; n2c2 2018 medication attributes), as used here:
  - minimal spans, no leading articles or possessives, no trailing punctuation;
  - PROBLEM keeps its clinical modifiers ("severe substernal chest pain", "RLL pneumonia");
  - STRENGTH is number + unit ("500 mg", "0.4mg", "17 g"); FREQUENCY includes an attached prn
    ("q6h prn", "every 4 hours as needed"); ROUTE is the route words ("PO", "by mouth", "IV");
    DURATION is the length only ("7 days", "2 weeks"), without "for" or "x";
  - VALUE is the result with its unit ("12.3", "7.8%", "145 mg/dL", "negative");
  - assertions on PROBLEM: present | absent | possible | hypothetical | conditional | family.
Relations: has_strength, has_frequency, has_route, has_duration (DRUG -> attribute), has_value
(TEST -> VALUE), treats (DRUG|TREATMENT -> PROBLEM), reveals (TEST -> PROBLEM).

The generator's sentence templates are its own; the hand-written evaluation notes in
data/emr/heldout/ were written separately and are never produced or read here.
"""
from __future__ import annotations

import os
import random
from typing import Dict, List, Optional, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DRUG_TSV = os.path.join(REPO, "libs", "clinical-nlp", "src", "vocabulary", "atc-drugs.tsv")


def load_drugs() -> List[Dict]:
    drugs = []
    with open(DRUG_TSV, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, atc, brands, strengths = (line.rstrip("\n").split("\t") + ["", "", ""])[:4]
            drugs.append({"name": name, "atc": atc,
                          "brands": [b for b in brands.split(",") if b],
                          "strengths": [s for s in strengths.split(",") if s] or ["10 mg"]})
    return drugs


DRUGS = load_drugs()


class Note:
    def __init__(self, kind: str):
        self.kind = kind
        self.text = ""
        self.entities: List[Dict] = []
        self.relations: List[Dict] = []

    def add(self, s: str) -> "Note":
        self.text += s
        return self

    def ent(self, s: str, typ: str, assertion: Optional[str] = None) -> str:
        assert s == s.strip() and s, repr(s)
        start = len(self.text)
        self.text += s
        eid = f"T{len(self.entities) + 1}"
        e = {"id": eid, "type": typ, "start": start, "end": start + len(s), "text": s}
        if typ == "PROBLEM":
            e["assertion"] = assertion or "present"
        self.entities.append(e)
        return eid

    def rel(self, typ: str, head: Optional[str], tail: Optional[str]) -> None:
        if head and tail:
            self.relations.append({"type": typ, "head": head, "tail": tail})

    def to_json(self) -> Dict:
        return {"kind": self.kind, "text": self.text, "entities": self.entities,
                "relations": self.relations}


# ---------------------------------------------------------------- vocabularies
# (surface form, is_symptom)
CHRONIC = [
    "hypertension", "HTN", "essential hypertension", "type 2 diabetes mellitus", "DM2", "T2DM",
    "diabetes", "insulin-dependent diabetes", "hyperlipidemia", "HLD", "dyslipidemia",
    "coronary artery disease", "CAD", "congestive heart failure", "CHF", "HFrEF",
    "heart failure with preserved ejection fraction", "atrial fibrillation", "AFib", "afib",
    "paroxysmal atrial fibrillation", "COPD", "asthma", "obstructive sleep apnea", "OSA",
    "chronic kidney disease stage 3", "CKD stage 3b", "CKD", "ESRD", "end-stage renal disease",
    "GERD", "hypothyroidism", "hyperthyroidism", "depression", "major depressive disorder",
    "anxiety", "generalized anxiety disorder", "bipolar disorder", "schizophrenia",
    "osteoarthritis", "rheumatoid arthritis", "gout", "osteoporosis", "BPH",
    "benign prostatic hyperplasia", "migraines", "seizure disorder", "epilepsy",
    "Parkinson's disease", "dementia", "Alzheimer's dementia", "peripheral vascular disease",
    "PVD", "cirrhosis", "alcohol use disorder", "obesity", "morbid obesity", "anemia",
    "iron deficiency anemia", "chronic low back pain", "prior stroke", "CVA", "TIA",
    "history of DVT", "DVT", "pulmonary embolism", "PE", "breast cancer", "prostate cancer",
    "colon cancer", "lung cancer", "HIV", "hepatitis C", "lupus", "psoriasis", "glaucoma",
    "macular degeneration", "sickle cell disease", "aortic stenosis", "mitral regurgitation",
]
ACUTE = [
    "community-acquired pneumonia", "pneumonia", "RLL pneumonia", "aspiration pneumonia",
    "urinary tract infection", "UTI", "pyelonephritis", "cellulitis", "left lower extremity cellulitis",
    "sepsis", "septic shock", "acute kidney injury", "AKI", "CHF exacerbation",
    "acute on chronic systolic heart failure", "COPD exacerbation", "asthma exacerbation",
    "NSTEMI", "STEMI", "acute coronary syndrome", "ACS", "diabetic ketoacidosis", "DKA",
    "hyperkalemia", "hyponatremia", "hypokalemia", "hypoglycemia", "GI bleed",
    "upper GI bleed", "small bowel obstruction", "SBO", "appendicitis", "cholecystitis",
    "pancreatitis", "acute pancreatitis", "diverticulitis", "C. diff colitis", "gastroenteritis",
    "viral gastroenteritis", "influenza", "COVID-19", "bronchitis", "sinusitis", "otitis media",
    "pharyngitis", "strep throat", "syncope", "delirium", "alcohol withdrawal", "fall",
    "hip fracture", "left hip fracture", "wrist fracture", "concussion", "migraine",
    "kidney stone", "nephrolithiasis", "deep vein thrombosis", "pulmonary edema",
    "pleural effusion", "pneumothorax", "atrial fibrillation with RVR", "hypertensive urgency",
    "anaphylaxis", "allergic reaction", "drug rash", "dehydration", "encephalopathy",
]
SYMPTOMS = [
    "chest pain", "substernal chest pain", "pleuritic chest pain", "chest pressure", "CP",
    "shortness of breath", "SOB", "dyspnea", "dyspnea on exertion", "DOE", "orthopnea",
    "paroxysmal nocturnal dyspnea", "cough", "productive cough", "dry cough", "hemoptysis",
    "wheezing", "fever", "fevers", "chills", "rigors", "night sweats", "fatigue", "malaise",
    "weight loss", "unintentional weight loss", "nausea", "vomiting", "N/V", "diarrhea",
    "bloody diarrhea", "constipation", "abdominal pain", "RUQ pain", "epigastric pain",
    "melena", "hematochezia", "hematemesis", "dysuria", "urinary frequency", "hematuria",
    "flank pain", "headache", "HA", "severe headache", "dizziness", "lightheadedness",
    "vertigo", "palpitations", "syncope", "presyncope", "confusion", "weakness",
    "left-sided weakness", "numbness", "tingling", "blurred vision", "vision changes",
    "sore throat", "rhinorrhea", "ear pain", "rash", "pruritus", "leg swelling",
    "bilateral lower extremity edema", "LE edema", "edema", "back pain", "low back pain",
    "joint pain", "knee pain", "neck stiffness", "photophobia", "anorexia", "poor appetite",
    "insomnia", "anxiety", "depressed mood", "suicidal ideation", "homicidal ideation",
    "polyuria", "polydipsia", "jaundice", "calf pain", "tachycardia", "hypotension",
]
FINDINGS = [  # exam and imaging findings
    "crackles", "bibasilar crackles", "rales", "wheezes", "rhonchi", "decreased breath sounds",
    "murmur", "systolic murmur", "JVD", "jugular venous distension", "S3", "pitting edema",
    "2+ pitting edema", "tenderness", "RLQ tenderness", "rebound", "guarding", "erythema",
    "warmth", "fluctuance", "lymphadenopathy", "cervical lymphadenopathy", "focal deficits",
    "nuchal rigidity", "clubbing", "cyanosis", "hepatomegaly", "splenomegaly", "ascites",
]
IMAGING_FINDINGS = [
    "right lower lobe consolidation", "consolidation", "bilateral infiltrates",
    "left lower lobe infiltrate", "small left pleural effusion", "pleural effusion",
    "cardiomegaly", "pulmonary edema", "pneumothorax", "acute intracranial hemorrhage",
    "intracranial hemorrhage", "acute fracture", "nondisplaced fracture", "small bowel obstruction",
    "free air", "appendicitis", "gallstones", "cholelithiasis", "hydronephrosis",
    "a 6 mm pulmonary nodule", "pulmonary nodule", "mass", "2.3 cm liver lesion",
    "pulmonary embolism", "DVT", "atrial fibrillation", "ST elevations", "ST depressions",
    "sinus tachycardia", "left ventricular hypertrophy", "reduced ejection fraction",
    "moderate aortic stenosis", "wall motion abnormality", "diverticulitis", "kidney stone",
    "acute infarct", "old lacunar infarct", "degenerative changes",
]
IMAGING = [
    ("CXR", None), ("chest x-ray", None), ("Chest X-ray", None), ("portable chest film", None),
    ("CT head", None), ("CT of the head", None), ("noncontrast CT head", None),
    ("CT chest", None), ("CTA chest", None), ("CT angiogram of the chest", None),
    ("CT abdomen and pelvis", None), ("CT A/P", None), ("RUQ ultrasound", None),
    ("renal ultrasound", None), ("lower extremity dopplers", None), ("LE duplex", None),
    ("MRI brain", None), ("MRI of the lumbar spine", None), ("EKG", None), ("ECG", None),
    ("echocardiogram", None), ("TTE", None), ("echo", None), ("x-ray of the left hip", None),
    ("KUB", None), ("colonoscopy", None), ("EGD", None), ("cardiac catheterization", None),
    ("stress test", None), ("V/Q scan", None),
]
# (surface, value generator)
LABS = [
    ("WBC", lambda r: f"{r.uniform(2.5, 24):.1f}"), ("white count", lambda r: f"{r.uniform(3, 22):.1f}"),
    ("Hgb", lambda r: f"{r.uniform(6.5, 16.5):.1f}"), ("hemoglobin", lambda r: f"{r.uniform(6.5, 16.5):.1f} g/dL"),
    ("Hct", lambda r: f"{r.uniform(22, 48):.0f}"), ("hematocrit", lambda r: f"{r.uniform(22, 48):.1f}%"),
    ("Plt", lambda r: f"{r.randint(40, 520)}"), ("platelets", lambda r: f"{r.randint(40, 520)}"),
    ("Na", lambda r: f"{r.randint(122, 148)}"), ("sodium", lambda r: f"{r.randint(122, 148)} mEq/L"),
    ("K", lambda r: f"{r.uniform(2.8, 6.4):.1f}"), ("potassium", lambda r: f"{r.uniform(2.8, 6.4):.1f}"),
    ("Cl", lambda r: f"{r.randint(92, 112)}"), ("bicarb", lambda r: f"{r.randint(12, 32)}"),
    ("HCO3", lambda r: f"{r.randint(12, 32)}"), ("BUN", lambda r: f"{r.randint(6, 90)}"),
    ("Cr", lambda r: f"{r.uniform(0.5, 6.5):.1f}"), ("creatinine", lambda r: f"{r.uniform(0.5, 6.5):.2f} mg/dL"),
    ("glucose", lambda r: f"{r.randint(45, 560)}"), ("blood sugar", lambda r: f"{r.randint(45, 460)}"),
    ("A1c", lambda r: f"{r.uniform(5.2, 13.5):.1f}%"), ("hemoglobin A1c", lambda r: f"{r.uniform(5.2, 13.5):.1f}%"),
    ("HbA1c", lambda r: f"{r.uniform(5.2, 13.5):.1f}%"),
    ("troponin", lambda r: r.choice(["negative", "<0.01", f"{r.uniform(0.01, 4):.2f}", f"{r.uniform(0.02, 3):.2f} ng/mL"])),
    ("trop", lambda r: r.choice(["negative", f"{r.uniform(0.01, 2):.2f}"])),
    ("BNP", lambda r: f"{r.randint(20, 3500)}"), ("pro-BNP", lambda r: f"{r.randint(50, 25000)} pg/mL"),
    ("lactate", lambda r: f"{r.uniform(0.6, 8):.1f}"), ("lactic acid", lambda r: f"{r.uniform(0.6, 8):.1f} mmol/L"),
    ("INR", lambda r: f"{r.uniform(0.9, 5.5):.1f}"), ("PTT", lambda r: f"{r.randint(24, 90)}"),
    ("TSH", lambda r: f"{r.uniform(0.05, 18):.2f}"), ("free T4", lambda r: f"{r.uniform(0.4, 3.2):.1f}"),
    ("LDL", lambda r: f"{r.randint(45, 210)} mg/dL"), ("total cholesterol", lambda r: f"{r.randint(120, 300)}"),
    ("AST", lambda r: f"{r.randint(12, 600)}"), ("ALT", lambda r: f"{r.randint(10, 700)}"),
    ("alk phos", lambda r: f"{r.randint(40, 450)}"), ("total bilirubin", lambda r: f"{r.uniform(0.2, 9):.1f}"),
    ("lipase", lambda r: f"{r.randint(10, 2500)}"), ("albumin", lambda r: f"{r.uniform(1.8, 4.8):.1f}"),
    ("CRP", lambda r: f"{r.uniform(0.2, 30):.1f}"), ("ESR", lambda r: f"{r.randint(2, 120)}"),
    ("procalcitonin", lambda r: f"{r.uniform(0.02, 12):.2f}"), ("D-dimer", lambda r: r.choice(["negative", "elevated", f"{r.randint(200, 5000)} ng/mL"])),
    ("urine culture", lambda r: r.choice(["negative", "pending", "no growth"])),
    ("blood cultures", lambda r: r.choice(["negative", "pending", "no growth to date"])),
    ("UA", lambda r: r.choice(["negative", "bland", "positive"])), ("urinalysis", lambda r: r.choice(["negative", "unremarkable"])),
    ("flu swab", lambda r: r.choice(["negative", "positive"])), ("COVID PCR", lambda r: r.choice(["negative", "positive", "not detected"])),
    ("SpO2", lambda r: f"{r.randint(82, 100)}%"), ("O2 sat", lambda r: f"{r.randint(82, 100)}% on room air"),
    ("ejection fraction", lambda r: f"{r.randint(15, 70)}%"), ("EF", lambda r: f"{r.randint(15, 70)}%"),
    ("blood pressure", lambda r: f"{r.randint(85, 210)}/{r.randint(45, 120)}"), ("BP", lambda r: f"{r.randint(85, 210)}/{r.randint(45, 120)}"),
    ("heart rate", lambda r: f"{r.randint(42, 160)}"), ("HR", lambda r: f"{r.randint(42, 160)}"),
    ("temperature", lambda r: f"{r.uniform(36, 40.5):.1f} C"), ("temp", lambda r: f"{r.uniform(97, 104.5):.1f} F"),
    ("T max", lambda r: f"{r.uniform(99, 104):.1f}"), ("RR", lambda r: f"{r.randint(10, 34)}"),
    ("weight", lambda r: f"{r.randint(45, 160)} kg"), ("BMI", lambda r: f"{r.uniform(17, 48):.1f}"),
]
TREATMENTS = [
    "appendectomy", "laparoscopic appendectomy", "cholecystectomy", "lap chole", "CABG",
    "PCI", "PCI with stent placement", "stent placement", "cardiac stent", "hip replacement",
    "total knee replacement", "TKA", "left TKA", "hysterectomy", "C-section", "tonsillectomy",
    "hernia repair", "lumbar fusion", "pacemaker placement", "AICD placement", "cardioversion",
    "ablation", "thyroidectomy", "mastectomy", "lumpectomy", "radiation therapy", "chemotherapy",
    "dialysis", "hemodialysis", "intubation", "mechanical ventilation", "BiPAP", "CPAP",
    "supplemental oxygen", "oxygen", "IV fluids", "IVF", "normal saline bolus", "fluid resuscitation",
    "blood transfusion", "transfusion of 2 units PRBCs", "physical therapy", "PT", "occupational therapy",
    "wound care", "incision and drainage", "I&D", "debridement", "splinting", "ORIF", "paracentesis",
    "thoracentesis", "chest tube placement", "central line placement", "NG tube decompression",
    "bowel rest", "fluid restriction", "low sodium diet", "diabetic diet", "insulin sliding scale",
    "cardiac rehab", "smoking cessation counseling", "CBT", "psychotherapy", "ice", "elevation",
]
ALLERGENS = ["penicillin", "PCN", "sulfa", "sulfa drugs", "codeine", "morphine", "amoxicillin",
             "aspirin", "ibuprofen", "lisinopril", "iodinated contrast", "cephalexin", "vancomycin"]
REACTIONS = ["rash", "hives", "anaphylaxis", "angioedema", "nausea", "itching", "throat swelling",
             "GI upset", "cough", "swelling"]
RELATIVES = ["mother", "father", "sister", "brother", "maternal grandmother", "paternal grandfather",
             "maternal aunt", "paternal uncle", "son", "daughter", "grandmother", "grandfather"]
FAMILY_PROBLEMS = ["breast cancer", "colon cancer", "prostate cancer", "ovarian cancer", "lung cancer",
                   "MI", "myocardial infarction", "CAD", "coronary artery disease", "stroke",
                   "diabetes", "type 2 diabetes", "hypertension", "HTN", "Alzheimer's disease",
                   "dementia", "sudden cardiac death", "DVT", "blood clots", "depression",
                   "bipolar disorder", "alcoholism", "kidney disease", "thyroid disease",
                   "lupus", "early heart disease", "glaucoma", "melanoma", "leukemia"]

ROUTES = ["PO", "PO", "po", "p.o.", "by mouth", "orally", "IV", "IV", "intravenously", "IM",
          "SQ", "subcut", "SC", "subcutaneously", "SL", "sublingual", "inhaled", "via nebulizer",
          "topically", "PR", "per rectum", "NG", "transdermal"]
FREQS = ["daily", "daily", "once daily", "QD", "qd", "BID", "BID", "bid", "b.i.d.", "twice daily",
         "twice a day", "TID", "tid", "three times daily", "QID", "four times a day", "q4h", "q6h",
         "q8h", "q12h", "q24h", "q4-6h", "every 6 hours", "every 8 hours", "every 4 hours",
         "every 12 hours", "QHS", "qhs", "nightly", "at bedtime", "every morning", "qAM", "qPM",
         "weekly", "once a week", "every other day", "QOD", "with meals", "TID with meals",
         "q6h prn", "q4h prn", "q8h PRN", "prn", "PRN", "as needed", "every 6 hours as needed",
         "daily as needed", "BID prn", "q2h prn", "now", "once", "x1", "STAT"]
DURATIONS = ["7 days", "5 days", "10 days", "14 days", "3 days", "2 weeks", "1 week", "one week",
             "two weeks", "4 weeks", "6 weeks", "3 months", "1 month", "6 months", "10-14 days", "one month",
             "5 more days", "3 more days", "48 hours", "24 hours"]
PRN_REASONS = ["pain", "severe pain", "moderate pain", "nausea", "anxiety", "insomnia", "constipation",
               "wheezing", "shortness of breath", "chest pain", "agitation", "fever", "itching",
               "headache", "muscle spasms", "heartburn", "cough"]
# drug -> problems it plausibly treats (for treats relations)
INDICATIONS = {
    "metformin": ["type 2 diabetes", "DM2", "diabetes"], "insulin glargine": ["diabetes", "hyperglycemia"],
    "lisinopril": ["hypertension", "HTN"], "losartan": ["hypertension", "HTN"], "amlodipine": ["hypertension", "HTN"],
    "metoprolol": ["atrial fibrillation", "rate control", "HTN"], "furosemide": ["CHF exacerbation", "volume overload", "edema", "fluid overload"],
    "atorvastatin": ["hyperlipidemia", "HLD"], "aspirin": ["CAD", "ACS"], "warfarin": ["atrial fibrillation", "DVT"],
    "apixaban": ["atrial fibrillation", "PE", "DVT"], "ceftriaxone": ["pneumonia", "community-acquired pneumonia", "UTI", "pyelonephritis"],
    "azithromycin": ["pneumonia", "CAP"], "levofloxacin": ["pneumonia"], "vancomycin": ["cellulitis", "MRSA bacteremia", "sepsis"],
    "piperacillin and tazobactam": ["sepsis", "aspiration pneumonia"], "cephalexin": ["cellulitis"],
    "nitrofurantoin": ["UTI", "cystitis"], "ciprofloxacin": ["UTI", "pyelonephritis"], "metronidazole": ["C. diff colitis", "diverticulitis"],
    "prednisone": ["COPD exacerbation", "asthma exacerbation", "gout flare"], "albuterol": ["wheezing", "COPD", "asthma"],
    "levothyroxine": ["hypothyroidism"], "omeprazole": ["GERD"], "pantoprazole": ["GERD", "GI bleed", "upper GI bleed"],
    "ondansetron": ["nausea", "N/V"], "acetaminophen": ["pain", "fever", "headache"], "ibuprofen": ["pain", "knee pain"],
    "oxycodone": ["pain", "severe pain"], "morphine": ["pain"], "sertraline": ["depression", "anxiety"],
    "lorazepam": ["anxiety", "alcohol withdrawal"], "gabapentin": ["neuropathy", "neuropathic pain"],
    "allopurinol": ["gout"], "colchicine": ["gout flare", "gout"], "tamsulosin": ["BPH", "kidney stone"],
    "potassium chloride": ["hypokalemia"], "enoxaparin": ["DVT prophylaxis", "DVT"], "heparin": ["PE", "DVT"],
    "oseltamivir": ["influenza"], "docusate": ["constipation"], "senna": ["constipation"],
    "lactulose": ["hepatic encephalopathy"], "levetiracetam": ["seizures", "seizure disorder"],
    "amiodarone": ["atrial fibrillation"], "diltiazem": ["atrial fibrillation with RVR", "afib with RVR"],
    "nitroglycerin": ["chest pain"], "clopidogrel": ["NSTEMI", "CAD"], "montelukast": ["asthma"],
    "fluticasone": ["asthma"], "tiotropium": ["COPD"], "quetiapine": ["agitation", "delirium"],
    "haloperidol": ["agitation", "delirium"], "zolpidem": ["insomnia"], "trazodone": ["insomnia"],
}
TREATMENT_FOR = {
    "IV fluids": ["dehydration", "AKI", "hypotension"], "IVF": ["dehydration", "AKI"],
    "normal saline bolus": ["hypotension", "sepsis"], "BiPAP": ["hypercapnic respiratory failure", "COPD exacerbation"],
    "blood transfusion": ["anemia", "GI bleed"], "physical therapy": ["deconditioning", "knee pain", "low back pain"],
    "dialysis": ["ESRD", "hyperkalemia"], "hemodialysis": ["ESRD"], "incision and drainage": ["abscess"],
    "I&D": ["abscess"], "cardioversion": ["atrial fibrillation"], "paracentesis": ["ascites"],
    "thoracentesis": ["pleural effusion"], "supplemental oxygen": ["hypoxia", "hypoxemia"],
    "oxygen": ["hypoxia"], "fluid restriction": ["hyponatremia"], "bowel rest": ["pancreatitis", "SBO"],
    "NG tube decompression": ["SBO", "small bowel obstruction"], "splinting": ["wrist fracture"],
    "ORIF": ["hip fracture", "ankle fracture"], "laparoscopic appendectomy": ["appendicitis"],
    "appendectomy": ["appendicitis"], "cholecystectomy": ["cholecystitis"], "lap chole": ["cholecystitis"],
    "PCI": ["NSTEMI", "STEMI"], "CABG": ["three-vessel CAD", "CAD"], "chemotherapy": ["breast cancer", "lung cancer"],
    "radiation therapy": ["prostate cancer"], "CBT": ["depression", "insomnia"], "wound care": ["pressure ulcer", "wound"],
}

FIRST = ["John", "Mary", "Robert", "Linda", "James", "Patricia", "Michael", "Barbara", "David", "Susan",
         "Maria", "Jose", "Wei", "Aisha", "Mohammed", "Olga", "Kenji", "Fatima", "Pedro", "Grace"]
LAST = ["Smith", "Johnson", "Garcia", "Nguyen", "Brown", "Miller", "Davis", "Lopez", "Wilson", "Khan",
        "Patel", "Kowalski", "Okafor", "Schmidt", "Rossi", "Tanaka", "O'Brien", "Hernandez", "Cohen", "Ali"]


class Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)

    # ------------------------------------------------ small helpers
    def c(self, xs):
        return self.r.choice(xs)

    def p(self, prob: float) -> bool:
        return self.r.random() < prob

    def case(self, s: str, style: str) -> str:
        if style == "upper":
            return s.upper()
        if style == "title":
            return s[:1].upper() + s[1:]
        return s

    def bullet(self, i: int, style: str) -> str:
        return {"dash": "- ", "star": "* ", "num": f"{i}. ", "paren": f"{i}) ", "dot": "\u2022 ",
                "hash": "# ", "none": ""}[style]

    def header(self, n: Note, names: List[str], style: str, newline: Optional[bool] = None) -> None:
        name = self.c(names)
        if style == "upper":
            name = name.upper()
        n.add(name + self.c([":", ":", ":", "", " -"]))
        if newline is None:
            newline = self.p(0.6)
        n.add("\n" if newline else " ")

    def join_list(self, n: Note, items, sep_style: str, emit):
        """Emit a list 'a, b, and c' / 'a, b or c' / 'a/b'; emit(item) writes one item."""
        k = len(items)
        for i, it in enumerate(items):
            if i > 0:
                if i == k - 1:
                    n.add(self.c([", and ", " and ", ", or ", " or ", ", "]) if sep_style == "prose" else ", ")
                else:
                    n.add(", ")
            emit(it)

    def problem(self, pool=None) -> str:
        pool = pool or (CHRONIC + ACUTE)
        s = self.c(pool)
        return s

    def drug_name(self, d: Dict, style: str) -> str:
        if d["brands"] and self.p(0.15):
            return self.c(d["brands"])
        name = d["name"]
        if style == "upper" or self.p(0.05):
            return name.upper()
        if style == "title" or self.p(0.35):
            return " ".join(w[:1].upper() + w[1:] if w != "and" else w for w in name.split(" "))
        return name

    def strength(self, d: Dict) -> str:
        s = self.c(d["strengths"])
        if self.p(0.2):
            s = s.replace(" ", "")
        return s

    # ------------------------------------------------ medication sig
    def med(self, n: Note, style: str, d: Optional[Dict] = None, context: str = "list",
            assertion_target: Optional[str] = None) -> str:
        d = d or self.c(DRUGS)
        dn = self.drug_name(d, style)
        fmt = self.r.randint(0, 9)
        drug = n.ent(dn, "DRUG")
        ids = {}
        if fmt <= 5:  # Drug 500 mg PO BID [x 7 days] [prn reason]
            if self.p(0.9):
                n.add(" "); ids["has_strength"] = n.ent(self.strength(d), "STRENGTH")
            if self.p(0.12):
                n.add(self.c([" tablet", " tab", " cap", " capsule"]))
            if self.p(0.7):
                n.add(" "); ids["has_route"] = n.ent(self.case(self.c(ROUTES), style if style == "upper" else "lower"), "ROUTE")
            if self.p(0.85):
                n.add(" "); ids["has_frequency"] = n.ent(self.case(self.c(FREQS), style if style == "upper" else "lower"), "FREQUENCY")
            if self.p(0.15):
                d_text = self.c(DURATIONS)
                n.add(self.c([" x ", " x", " for ", " for the next "]) if d_text[0].isdigit() else self.c([" x ", " for ", " for the next "]))
                ids["has_duration"] = n.ent(d_text, "DURATION")
        elif fmt <= 7:  # Drug 10 mg tablet: take 1 tablet by mouth twice daily
            n.add(" "); ids["has_strength"] = n.ent(self.strength(d), "STRENGTH")
            n.add(self.c([" tablet: take 1 tablet ", " - take one ", ", take 1 tab ", " tab, 1 tab ", "; ", " "]))
            ids["has_route"] = n.ent(self.c(["by mouth", "orally", "PO", "po"]), "ROUTE")
            n.add(" ")
            ids["has_frequency"] = n.ent(self.c(["twice daily", "once daily", "every 6 hours as needed",
                                                 "three times a day", "every night at bedtime", "daily",
                                                 "every 8 hours", "every 4 hours as needed"]), "FREQUENCY")
            if self.p(0.2):
                n.add(" for "); ids["has_duration"] = n.ent(self.c(DURATIONS), "DURATION")
        elif fmt == 8:  # Drug (strength) route
            n.add(" "); ids["has_route"] = n.ent(self.c(["IV", "PO", "IM", "SQ"]), "ROUTE")
            n.add(" "); ids["has_strength"] = n.ent(self.strength(d), "STRENGTH")
            if self.p(0.8):
                n.add(" "); ids["has_frequency"] = n.ent(self.c(FREQS), "FREQUENCY")
        else:  # bare drug name, maybe with frequency only
            if self.p(0.5):
                n.add(" "); ids["has_frequency"] = n.ent(self.c(FREQS), "FREQUENCY")
        for rt, t in ids.items():
            n.rel(rt, drug, t)
        freq_text = n.entities[-1]["text"] if ids.get("has_frequency") == n.entities[-1]["id"] else ""
        if (self.p(0.15) or "prn" in freq_text.lower() or "as needed" in freq_text) and self.p(0.7):
            n.add(self.c([" for ", " for ", " prn ", " PRN ", " as needed for ", " for treatment of "]))
            prob = n.ent(self.c(INDICATIONS.get(d["name"], PRN_REASONS)), "PROBLEM", "present")
            n.rel("treats", drug, prob)
        return drug

    # ------------------------------------------------ sections
    def sec_hpi(self, n: Note, style: str, sex: str, age: int):
        he = "He" if sex == "M" else "She"
        his = "his" if sex == "M" else "her"
        who = self.c([f"{age}-year-old {'man' if sex == 'M' else 'woman'}", f"{age} yo {sex}",
                      f"{age}yo {'male' if sex == 'M' else 'female'}", f"{age} y/o {'M' if sex == 'M' else 'F'}",
                      f"{age}-year-old {'gentleman' if sex == 'M' else 'lady'}"])
        n.add(self.c(["Patient is a ", "This is a ", "Pt is a ", "", "Mr. X is a ".replace("Mr. X", f"{'Mr.' if sex=='M' else 'Ms.'} {self.c(LAST)}")]))
        n.add(who)
        n.add(self.c([" with h/o ", " with a history of ", " with PMH of ", " with past medical history significant for ", " w/ hx of ", " with "]))
        hx = self.r.sample(CHRONIC, self.r.randint(1, 4))
        self.join_list(n, hx, "prose", lambda x: n.ent(x, "PROBLEM", "present"))
        if self.p(0.3):
            n.add(self.c([", s/p ", " s/p ", ", status post "]))
            n.ent(self.c(TREATMENTS[:25]), "TREATMENT")
        n.add(self.c([" who presents with ", " presenting with ", " p/w ", " who comes in for ", " here for ", " c/o "]))
        cc = self.r.sample(SYMPTOMS, self.r.randint(1, 3))
        self.join_list(n, cc, "prose", lambda x: n.ent(x, "PROBLEM", "present"))
        if self.p(0.6):
            n.add(self.c([" x ", " for ", " for the past ", " x"]) + self.c(["3 days", "2 weeks", "1 day", "several days", "24 hours", "a week", "2 months"]))
        n.add(". ")
        for _ in range(self.r.randint(2, 6)):
            k = self.r.randint(0, 11)
            if k == 0:
                n.add(self.c([f"{he} denies ", "Denies ", "Pt denies ", f"{he} has not had any ", "No ", "Negative for ", "He reports no ".replace("He", he)]))
                items = self.r.sample(SYMPTOMS, self.r.randint(1, 4))
                self.join_list(n, items, "prose", lambda x: n.ent(x, "PROBLEM", "absent"))
                n.add(". ")
            elif k == 1:
                n.add(self.c([f"{he} reports ", "Reports ", "Endorses ", f"{he} endorses ", "Positive for ", "Also notes ", "+"]))
                items = self.r.sample(SYMPTOMS, self.r.randint(1, 3))
                self.join_list(n, items, "prose", lambda x: n.ent(x, "PROBLEM", "present"))
                n.add(self.c([". ", ". ", " but denies "]))
                if n.text.endswith("denies "):
                    items = self.r.sample(SYMPTOMS, self.r.randint(1, 3))
                    self.join_list(n, items, "prose", lambda x: n.ent(x, "PROBLEM", "absent"))
                    n.add(". ")
            elif k == 2:
                s = n.ent(self.c(SYMPTOMS), "PROBLEM", "conditional")
                n.add(self.c([" with exertion", " on exertion", " when climbing stairs", " with ambulation",
                              " when lying flat", " after meals", " upon standing", " with deep inspiration",
                              " only with activity", " after eating fatty foods"]) + ". ")
            elif k == 3:
                n.add(self.c([f"{he} was recently treated with ", f"{he} was started on ", "Recently completed a course of ",
                              f"{he} took ", "PCP prescribed "]))
                d = self.c(DRUGS)
                drug = n.ent(self.drug_name(d, style), "DRUG")
                if self.p(0.4):
                    n.add(" "); n.rel("has_strength", drug, n.ent(self.strength(d), "STRENGTH"))
                if self.p(0.5):
                    n.add(" for ")
                    n.rel("treats", drug, n.ent(self.c(INDICATIONS.get(d["name"], ACUTE)), "PROBLEM", "present"))
                n.add(self.c([" without improvement. ", " with some relief. ", ". ", " and felt better. "]))
            elif k == 4:
                n.add(self.c(["There is concern for ", "Concern for ", "Question of ", "Possible ", "Suspected ", "Likely "]))
                n.ent(self.c(ACUTE), "PROBLEM", "possible")
                n.add(". ")
            elif k == 5:
                n.add(self.c([f"{he} was seen at an outside hospital where ", "At OSH, ", "In the ED, "]))
                t = self.c(IMAGING)[0]
                te = n.ent(t, "TEST")
                n.add(self.c([" showed ", " revealed ", " demonstrated ", " was notable for ", " was significant for "]))
                f = n.ent(self.c(IMAGING_FINDINGS), "PROBLEM", "present")
                n.rel("reveals", te, f)
                n.add(". ")
            elif k == 6:
                lab, fn = self.c(LABS)
                n.add(self.c(["Labs notable for ", "Initial ", "Labs were significant for ", "", "Found to have "]))
                t = n.ent(lab, "TEST")
                n.add(self.c([" of ", " ", " was ", " = ", ": "]))
                n.rel("has_value", t, n.ent(fn(self.r), "VALUE"))
                n.add(". ")
            elif k == 7:
                s = n.ent(self.c(SYMPTOMS), "PROBLEM", "present")
                n.add(self.c([" started ", " began ", " has been present ", " worsened "]) +
                      self.c(["3 days ago", "yesterday", "this morning", "2 weeks ago", "last night", "gradually"]))
                if self.p(0.5):
                    n.add(self.c([", associated with ", " and is associated with ", " with associated "]))
                    n.ent(self.c(SYMPTOMS), "PROBLEM", "present")
                n.add(". ")
            elif k == 8:
                n.add(self.c(["No history of ", "No prior ", "Never had ", "No known "]))
                n.ent(self.c(CHRONIC + ACUTE), "PROBLEM", "absent")
                n.add(". ")
            elif k == 9:
                n.add(self.c([f"{his.capitalize()} ", "Pt's ", "The "]))
                n.ent(self.c(SYMPTOMS), "PROBLEM", "present")
                n.add(self.c([" is improved with ", " improved after ", " responded to ", " is relieved by "]))
                d = self.c(DRUGS)
                n.ent(self.drug_name(d, style), "DRUG")
                n.add(". ")
            elif k == 10:
                n.add(self.c([f"{he} is s/p ", "S/p ", "Status post ", "Underwent "]))
                tr = n.ent(self.c(TREATMENTS[:30]), "TREATMENT")
                n.add(self.c([" in 2019", " last year", " 5 years ago", " at age 40", " (2015)", ""]))
                if self.p(0.3):
                    n.add(" for ")
                    k2 = n.entities[-1]["text"]
                    n.rel("treats", tr, n.ent(self.c(TREATMENT_FOR.get(k2, ACUTE)), "PROBLEM", "present"))
                n.add(". ")
            else:
                n.add(self.c(["Denies any ", "No "]))
                n.ent(self.c(SYMPTOMS), "PROBLEM", "absent")
                n.add(self.c([" or ", ", ", " and no "]))
                n.ent(self.c(SYMPTOMS), "PROBLEM", "absent")
                n.add(". ")
            if self.p(0.2):
                n.add("\n")
        n.add("\n")

    def sec_pmh(self, n: Note, style: str):
        bstyle = self.c(["dash", "num", "star", "none", "dot", "hash", "paren", "inline"])
        items = self.r.sample(CHRONIC, self.r.randint(2, 7))
        if bstyle == "inline":
            self.join_list(n, items, "plain", lambda x: n.ent(self.case(x, style) if style == "upper" else x, "PROBLEM", "present"))
            n.add("\n")
            return
        for i, it in enumerate(items, 1):
            n.add(self.bullet(i, bstyle))
            n.ent(it.upper() if style == "upper" else it, "PROBLEM", "present")
            if self.p(0.2):
                n.add(self.c([", s/p ", " s/p ", " - s/p ", ", status post "]))
                tr = n.ent(self.c(TREATMENTS[:25]), "TREATMENT")
                if self.p(0.3):
                    n.add(self.c([" in 2018", " (2020)", " 2016"]))
            elif self.p(0.2):
                n.add(self.c([", on ", ", controlled on ", ", managed with ", " - on "]))
                d = self.c(DRUGS)
                n.rel("treats", n.ent(self.drug_name(d, style), "DRUG"), n.entities[-2]["id"])
            elif self.p(0.15):
                n.add(self.c([", diagnosed 2015", ", well controlled", ", diet controlled", " (last A1c 7.1)", ", stable"]))
            n.add("\n")

    def sec_meds(self, n: Note, style: str, discharge: bool = False):
        bstyle = self.c(["dash", "num", "none", "star", "dot", "paren", "inline"])
        k = self.r.randint(2, 9)
        drugs = self.r.sample(DRUGS, k)
        if bstyle == "inline":
            for i, d in enumerate(drugs):
                if i:
                    n.add(self.c([", ", "; ", ", "]))
                self.med(n, style, d)
            n.add(".\n" if self.p(0.5) else "\n")
            return
        for i, d in enumerate(drugs, 1):
            n.add(self.bullet(i, bstyle))
            if discharge and self.p(0.15):
                n.add(self.c(["NEW: ", "START: ", "CHANGED: ", "CONTINUE "]))
            self.med(n, style, d)
            n.add("\n")

    def sec_allergies(self, n: Note, style: str):
        k = self.r.randint(0, 4)
        if k == 0:
            n.add(self.c(["NKDA", "No known drug allergies", "NKA", "None known", "No Known Allergies"]) + "\n")
            return
        items = self.r.sample(ALLERGENS, self.r.randint(1, 3))
        for i, a in enumerate(items):
            if i:
                n.add(self.c([", ", "; ", "\n"]))
            n.ent(a, "DRUG")
            if self.p(0.7):
                n.add(self.c([" (", " - ", ": ", " -> "]))
                n.ent(self.c(REACTIONS), "PROBLEM", "conditional")
                if n.text[-len(n.entities[-1]["text"]) - 2:].startswith(" ("):
                    n.add(")")
        n.add("\n")

    def sec_family(self, n: Note, style: str):
        k = self.r.randint(0, 5)
        if k == 0:
            n.add(self.c(["Noncontributory.", "Non-contributory", "Unknown; patient was adopted.", "NC"]) + "\n")
            return
        lines = self.r.randint(1, 4)
        bstyle = self.c(["none", "dash", "inline"])
        for i in range(lines):
            rel = self.c(RELATIVES)
            if bstyle == "dash":
                n.add("- ")
            form = self.r.randint(0, 5)
            if form == 0:
                n.add(rel.capitalize() + self.c([": ", " - ", " with ", " had ", " w/ "]))
                self.join_list(n, self.r.sample(FAMILY_PROBLEMS, self.r.randint(1, 2)), "prose",
                               lambda x: n.ent(x, "PROBLEM", "family"))
                if self.p(0.3):
                    n.add(self.c([" at age 55", " in her 60s", " (deceased)", ", deceased at 72", " at a young age"]))
            elif form == 1:
                n.add(self.c(["Family history of ", "FHx of ", "Family hx significant for ", "Strong family history of ", "+FHx "]))
                n.ent(self.c(FAMILY_PROBLEMS), "PROBLEM", "family")
                if self.p(0.6):
                    n.add(self.c([" in ", " in his ", " in her "]) + rel)
            elif form == 2:
                n.add(self.c([f"{rel.capitalize()} died of ", f"{rel.capitalize()} passed away from ", f"{rel.capitalize()} was diagnosed with "]))
                n.ent(self.c(FAMILY_PROBLEMS), "PROBLEM", "family")
            elif form == 3:
                n.add(self.c(["No family history of ", "Denies family history of ", "No FHx of ", "Negative family history for "]))
                n.ent(self.c(FAMILY_PROBLEMS), "PROBLEM", "absent")
            elif form == 4:
                n.add(self.c(["Mother", "Father"]) + self.c([" alive and well", " healthy", " A&W"]))
            else:
                n.add(self.c(["Her ", "His ", ""]) + rel + self.c([" has ", " also has ", " with a history of "]))
                n.ent(self.c(FAMILY_PROBLEMS), "PROBLEM", "family")
            n.add(self.c([". ", ".\n", "\n", "; "]) if bstyle == "inline" else ".\n" if self.p(0.5) else "\n")
        if not n.text.endswith("\n"):
            n.add("\n")

    def sec_social(self, n: Note):
        opts = [
            lambda: n.add(self.c(["Former smoker, quit 2010. ", "Current smoker, 1 ppd. ", "Never smoker. ", "20 pack-year history. "])),
            lambda: n.add(self.c(["Drinks 2 beers per week. ", "Occasional EtOH. ", "No alcohol use. ", "Social drinker. "])),
            lambda: (n.add(self.c(["Denies ", "No "])), n.ent(self.c(["IV drug use", "IVDU", "illicit drug use", "drug use"]), "PROBLEM", "absent"), n.add(". ")),
            lambda: n.add(self.c(["Lives with wife. ", "Lives alone. ", "Retired teacher. ", "Works in construction. ", "Lives in a nursing home. "])),
        ]
        for f in self.r.sample(opts, self.r.randint(1, 4)):
            f()
        n.add("\n")

    def sec_ros(self, n: Note):
        if self.p(0.3):
            n.add(self.c(["Negative except as per HPI.", "10-point ROS negative except as above.", "All other systems reviewed and negative."]) + "\n")
            return
        systems = ["Constitutional", "Eyes", "CV", "Cardiac", "Resp", "Pulm", "GI", "GU", "MSK", "Neuro", "Skin", "Psych"]
        for sysname in self.r.sample(systems, self.r.randint(2, 5)):
            n.add(sysname + ": ")
            if self.p(0.7):
                n.add(self.c(["no ", "denies ", "negative for ", "No "]))
                self.join_list(n, self.r.sample(SYMPTOMS, self.r.randint(1, 3)), "prose", lambda x: n.ent(x, "PROBLEM", "absent"))
            else:
                n.add(self.c(["+", "positive for ", "endorses ", "reports "]))
                n.ent(self.c(SYMPTOMS), "PROBLEM", "present")
            n.add(self.c(["\n", ". ", "; "]))
        if not n.text.endswith("\n"):
            n.add("\n")

    def sec_exam(self, n: Note):
        if self.p(0.6):
            n.add("Vitals: ")
            for i, (lab, fn) in enumerate(self.r.sample([l for l in LABS if l[0] in ("BP", "HR", "RR", "temp", "SpO2", "T max", "O2 sat", "heart rate", "blood pressure", "weight", "temperature")], 3)):
                if i:
                    n.add(self.c([", ", " ", "; "]))
                t = n.ent(lab, "TEST")
                n.add(self.c([" ", ": ", " "]))
                n.rel("has_value", t, n.ent(fn(self.r), "VALUE"))
            n.add("\n")
        parts = [("Gen", ["NAD", "alert and oriented", "well appearing"]), ("HEENT", ["MMM", "PERRL"]),
                 ("Neck", []), ("CV", ["RRR"]), ("Heart", ["regular rate"]), ("Lungs", ["CTAB"]),
                 ("Abd", ["soft", "nondistended"]), ("Ext", ["warm"]), ("Skin", []), ("Neuro", ["A&Ox3", "CN II-XII intact"])]
        for name, normals in self.r.sample(parts, self.r.randint(3, 6)):
            n.add(name + self.c([": ", " - "]))
            k = self.r.randint(0, 3)
            if normals and self.p(0.5):
                n.add(self.c(normals) + ", ")
            if k == 0:
                n.add(self.c(["no ", "No ", "without "]))
                self.join_list(n, self.r.sample(FINDINGS, self.r.randint(1, 3)), "plain", lambda x: n.ent(x, "PROBLEM", "absent"))
            elif k == 1:
                n.ent(self.c(FINDINGS), "PROBLEM", "present")
                n.add(self.c([" bilaterally", " at the bases", " noted", "", " present"]))
            elif k == 2:
                n.add(self.c(["mild ", "trace ", "1+ ", ""]))
                n.ent(self.c(FINDINGS), "PROBLEM", "present")
                n.add(self.c([", no ", "; no "]))
                n.ent(self.c(FINDINGS), "PROBLEM", "absent")
            else:
                n.add(self.c(["WNL", "normal", "unremarkable"]))
            n.add("\n")

    def sec_labs(self, n: Note):
        style = self.r.randint(0, 3)
        labs = self.r.sample(LABS[:60], self.r.randint(3, 8))
        for i, (lab, fn) in enumerate(labs):
            if style == 0:
                n.add(("" if i == 0 else self.c([", ", ", ", "; "])))
            elif style == 1:
                n.add("" if i == 0 else "\n")
                n.add(self.c(["- ", "", "  "]))
            else:
                n.add("" if i == 0 else self.c([" ", ", "]))
            t = n.ent(lab, "TEST")
            n.add(self.c([" ", ": ", " ", " of ", " = ", " was "]))
            v = n.ent(fn(self.r), "VALUE")
            n.rel("has_value", t, v)
            if self.p(0.1):
                n.add(self.c([" (H)", " (L)", " (baseline 1.1)", " (elevated)", "*"]))
        n.add("\n")
        if self.p(0.5):
            t = n.ent(self.c(["UA", "Urinalysis", "urine studies"]), "TEST")
            n.add(self.c([" with ", " notable for ", " positive for "]))
            n.rel("reveals", t, n.ent(self.c(["pyuria", "bacteriuria", "hematuria", "proteinuria", "glucosuria"]), "PROBLEM", "present"))
            n.add(".\n")

    def sec_imaging(self, n: Note):
        for _ in range(self.r.randint(1, 3)):
            t = n.ent(self.c(IMAGING)[0], "TEST")
            k = self.r.randint(0, 5)
            if k <= 1:
                n.add(self.c([": ", " showed ", " revealed ", " with ", " demonstrated ", " notable for ", " - "]))
                f = n.ent(self.c(IMAGING_FINDINGS), "PROBLEM", "present")
                n.rel("reveals", t, f)
                if self.p(0.4):
                    n.add(self.c([" concerning for ", ", suspicious for ", " consistent with ", ", likely "]))
                    w = n.text[-20:]
                    f2 = n.ent(self.c(ACUTE), "PROBLEM", "present" if "consistent" in w else "possible")
                    n.rel("reveals", t, f2)
            elif k == 2:
                n.add(self.c([": no ", " negative for ", " without ", " showed no ", ": no evidence of ", " with no "]))
                self.join_list(n, self.r.sample(IMAGING_FINDINGS, self.r.randint(1, 2)), "prose",
                               lambda x: n.ent(x, "PROBLEM", "absent"))
            elif k == 3:
                n.add(self.c([": ", " showed "]))
                f = n.ent(self.c(IMAGING_FINDINGS), "PROBLEM", "present")
                n.rel("reveals", t, f)
                n.add(self.c([", no ", "; no ", " without "]))
                n.ent(self.c(IMAGING_FINDINGS), "PROBLEM", "absent")
            elif k == 4:
                n.add(self.c([" unremarkable", ": normal", " negative", " WNL", " pending"]))
            else:
                n.add(self.c([" with ", ": "]))
                lab, fn = self.c([l for l in LABS if l[0] in ("EF", "ejection fraction")])
                tt = n.ent(lab, "TEST")
                n.add(self.c([" of ", " ", " estimated at "]))
                n.rel("has_value", tt, n.ent(fn(self.r), "VALUE"))
            n.add(self.c([".\n", "\n", ". "]))
        if not n.text.endswith("\n"):
            n.add("\n")

    def sec_plan(self, n: Note, style: str, numbered: Optional[bool] = None):
        k = self.r.randint(2, 5)
        bstyle = self.c(["num", "hash", "dash", "none", "paren"])
        for i in range(1, k + 1):
            n.add(self.bullet(i, bstyle))
            form = self.r.randint(0, 7)
            if form <= 2:
                d = self.c([d for d in DRUGS if d["name"] in INDICATIONS] + DRUGS)
                prob = n.ent(self.c(INDICATIONS.get(d["name"], ACUTE)), "PROBLEM", "present")
                n.add(self.c([": ", " - ", ". ", ", "]))
                n.add(self.c(["start ", "Start ", "continue ", "Continue ", "increase ", "treat with ", "will give ", "s/p ", "resume ", "on "]))
                drug = self.med(n, style, d)
                n.rel("treats", drug, prob)
                if self.p(0.4):
                    n.add(self.c(["; ", ", ", ". "]))
                    n.add(self.c(["check ", "repeat ", "trend ", "follow up ", "f/u "]))
                    n.ent(self.c([l[0] for l in LABS[:40]] + [i[0] for i in IMAGING]), "TEST")
                    n.add(self.c([" in AM", " tomorrow", " in 1 week", ""]))
            elif form == 3:
                n.add(self.c(["r/o ", "R/O ", "Rule out ", "Possible ", "Concern for ", "Suspect ", "Likely ", "Probable ", "? ", "DDx includes "]))
                n.ent(self.c(ACUTE), "PROBLEM", "possible")
                if self.p(0.4):
                    n.add(self.c([" vs ", " versus ", " vs. ", " or "]))
                    n.ent(self.c(ACUTE), "PROBLEM", "possible")
                n.add(self.c([": ", " - ", ". "]))
                n.add(self.c(["obtain ", "check ", "will get ", "f/u ", "order "]))
                self.join_list(n, [self.c([l[0] for l in LABS[:40]] + [i[0] for i in IMAGING]) for _ in range(self.r.randint(1, 2))],
                               "prose", lambda x: n.ent(x, "TEST"))
            elif form == 4:
                prob = n.ent(self.c(ACUTE + CHRONIC), "PROBLEM", "present")
                n.add(self.c([": ", " - ", ", "]))
                trt = self.c(list(TREATMENT_FOR.keys()) + TREATMENTS)
                tr = n.ent(trt, "TREATMENT")
                n.rel("treats", tr, prob)
                n.add(self.c([", monitor closely", "", " and reassess", ", consult PT"]))
            elif form == 5:
                n.add(self.c(["Return to ED if ", "Return precautions given for ", "Patient to call if ", "RTC or ED for ",
                              "Instructed to return if ", "Should ", "Return for any ", "Watch for ", "Monitor for "]))
                hyp = self.r.sample(SYMPTOMS, self.r.randint(1, 3))
                starts_should = n.text.endswith("Should ")
                self.join_list(n, hyp, "prose", lambda x: n.ent(x, "PROBLEM", "hypothetical"))
                if starts_should:
                    n.add(self.c([" develop, return to ED", " recur, call clinic", " worsen, seek care"]))
            elif form == 6:
                n.add(self.c(["Hold ", "Discontinue ", "Stop ", "D/c "]))
                d = self.c(DRUGS)
                n.ent(self.drug_name(d, style), "DRUG")
                n.add(self.c([" given ", " due to ", " in setting of ", " for "]))
                n.ent(self.c(["AKI", "hypotension", "bradycardia", "GI bleed", "hyperkalemia", "acute kidney injury", "rash", "QT prolongation"]), "PROBLEM", "present")
            else:
                prob = n.ent(self.c(CHRONIC), "PROBLEM", "present")
                n.add(self.c([": stable, ", " - stable. ", ": ", ", chronic: "]))
                n.add(self.c(["continue home ", "cont ", "continue "]))
                drug = self.med(n, style)
                n.rel("treats", drug, prob)
            n.add(self.c([".\n", "\n", "\n"]))
        if self.p(0.5):
            n.add(self.c(["Dispo: ", "Disposition: ", "Code status: Full code. Dispo: "]) + self.c(["home", "admit to medicine", "SNF", "home with PT"]) + "\n")

    def sec_course(self, n: Note, style: str, sex: str):
        he = "He" if sex == "M" else "She"
        for _ in range(self.r.randint(2, 5)):
            k = self.r.randint(0, 5)
            if k == 0:
                n.add(self.c(["The patient was admitted for ", f"{he} was admitted with ", "Admitted for "]))
                d = self.c([d for d in DRUGS if d["name"] in INDICATIONS])
                prob = n.ent(self.c(INDICATIONS[d["name"]]), "PROBLEM", "present")
                n.add(self.c([" and treated with ", " and started on ", ", treated with "]))
                drug = n.ent(self.drug_name(d, style), "DRUG")
                n.rel("treats", drug, prob)
                if self.p(0.6):
                    n.add(" "); n.rel("has_strength", drug, n.ent(self.strength(d), "STRENGTH"))
                if self.p(0.5):
                    n.add(" "); n.rel("has_route", drug, n.ent(self.c(["IV", "PO", "intravenously"]), "ROUTE"))
                if self.p(0.5):
                    n.add(" "); n.rel("has_frequency", drug, n.ent(self.c(FREQS[:30]), "FREQUENCY"))
                n.add(self.c([" with improvement. ", ". ", " with resolution of symptoms. "]))
            elif k == 1:
                t = n.ent(self.c(["Blood cultures", "Urine culture", "Sputum culture", "Wound culture", "Stool studies"]), "TEST")
                n.add(self.c([" grew ", " were positive for ", " returned positive for ", " showed "]))
                n.rel("reveals", t, n.ent(self.c(["MSSA", "MRSA", "E. coli", "Klebsiella", "Streptococcus pneumoniae", "C. difficile", "Pseudomonas"]), "PROBLEM", "present"))
                n.add(". ")
            elif k == 2:
                n.add(self.c([f"{he} underwent ", "Underwent ", f"{he} was taken for ", "Successful "]))
                n.ent(self.c(TREATMENTS[:30]), "TREATMENT")
                n.add(self.c([" on hospital day 2 without ", " on HD3 without ", " with no "]))
                n.ent(self.c(["complications", "complication", "bleeding", "post-operative complications"]), "PROBLEM", "absent")
                n.add(". ")
            elif k == 3:
                n.add(self.c(["Course was complicated by ", "Hospital course complicated by ", f"{he} developed "]))
                p = n.ent(self.c(ACUTE), "PROBLEM", "present")
                if self.p(0.6):
                    n.add(self.c([", treated with ", " which resolved with ", ", managed with "]))
                    if self.p(0.5):
                        n.rel("treats", n.ent(self.c(list(TREATMENT_FOR.keys())), "TREATMENT"), p)
                    else:
                        n.rel("treats", self.med(n, style), p)
                n.add(". ")
            elif k == 4:
                lab, fn = self.c(LABS[:60])
                t = n.ent(lab, "TEST")
                n.add(self.c([" peaked at ", " trended down to ", " improved to ", " was ", " on discharge was "]))
                n.rel("has_value", t, n.ent(fn(self.r), "VALUE"))
                n.add(". ")
            else:
                n.add(self.c(["No evidence of ", "Ruled out for ", "Workup negative for ", "No signs of "]))
                n.ent(self.c(ACUTE), "PROBLEM", "absent")
                n.add(self.c([". ", " on serial exams. "]))
            if self.p(0.3):
                n.add("\n")
        n.add("\n")

    # ------------------------------------------------ note kinds
    def note(self) -> Note:
        kind = self.c(["discharge summary", "progress note", "ED note", "clinic letter", "H&P"])
        n = Note(kind)
        style = self.c(["title", "title", "upper", "lower"])
        hstyle = self.c(["title", "upper", "title"])
        sex = self.c("MF")
        age = self.r.randint(18, 96)
        if self.p(0.3):
            n.add(self.c(["DISCHARGE SUMMARY\n", "Progress Note\n", "EMERGENCY DEPARTMENT NOTE\n", "History and Physical\n", "Clinic Note\n"]))
        if self.p(0.3):
            n.add(f"Date: {self.r.randint(1, 12)}/{self.r.randint(1, 28)}/20{self.r.randint(18, 26)}\n")
        if kind == "clinic letter":
            self.letter(n, style, sex, age)
            return n
        if kind == "ED note" and self.p(0.7):
            n.add(self.c(["CC: ", "Chief Complaint: ", "CHIEF COMPLAINT: "]))
            n.ent(self.c(SYMPTOMS), "PROBLEM", "present")
            n.add("\n")
        if kind == "progress note" and self.p(0.5):
            n.add(self.c(["S: ", "Subjective: ", "Interval History: "]))
            n.add(self.c(["Feeling better today. ", "Overnight events: none. ", "Patient reports improved ", "Still with "]))
            if n.text.endswith("improved ") or n.text.endswith("with "):
                n.ent(self.c(SYMPTOMS), "PROBLEM", "present")
                n.add(". ")
            n.add(self.c(["Denies ", "No "]))
            n.ent(self.c(SYMPTOMS), "PROBLEM", "absent")
            n.add(".\n")
            self.header(n, ["O", "Objective"], hstyle, newline=False)
            self.sec_exam(n)
            if self.p(0.7):
                self.header(n, ["Labs", "Data"], hstyle)
                self.sec_labs(n)
            self.header(n, ["A/P", "Assessment and Plan", "A&P", "Assessment/Plan", "Plan"], hstyle)
            self.sec_plan(n, style)
            return n
        sections = [
            ("hpi", ["HPI", "History of Present Illness", "History of present illness"]),
            ("pmh", ["PMH", "Past Medical History", "PMHx", "Medical History"]),
            ("psh", ["PSH", "Past Surgical History", "Surgical History"]),
            ("meds", ["Medications", "Home Medications", "Meds", "Current Medications", "Outpatient Medications", "Medications on Admission"]),
            ("allergies", ["Allergies", "ALLERGIES", "Drug Allergies"]),
            ("social", ["Social History", "SH", "Social Hx"]),
            ("family", ["Family History", "FH", "FHx", "Family Hx"]),
            ("ros", ["ROS", "Review of Systems"]),
            ("exam", ["Physical Exam", "PE", "Exam", "Physical Examination"]),
            ("labs", ["Labs", "Laboratory Data", "Pertinent Labs", "Labs/Studies"]),
            ("imaging", ["Imaging", "Radiology", "Studies", "Diagnostics"]),
        ]
        if kind == "discharge summary":
            sections += [("course", ["Hospital Course", "Brief Hospital Course", "HOSPITAL COURSE"]),
                         ("dcmeds", ["Discharge Medications", "Discharge Meds", "Medications at Discharge"]),
                         ("plan", ["Discharge Instructions", "Plan", "Follow-up", "Discharge Diagnoses"])]
        else:
            sections += [("plan", ["Assessment and Plan", "A/P", "Assessment/Plan", "Impression and Plan", "A&P", "MDM", "Impression"])]
        keep = [s for s in sections if s[0] in ("hpi", "plan") or self.p(0.7)]
        for key, names in keep:
            self.header(n, names, hstyle)
            if key == "hpi":
                self.sec_hpi(n, style, sex, age)
            elif key == "pmh":
                self.sec_pmh(n, style)
            elif key == "psh":
                for i, t in enumerate(self.r.sample(TREATMENTS[:30], self.r.randint(1, 3)), 1):
                    n.add(self.c(["- ", f"{i}. ", ""]))
                    n.ent(t, "TREATMENT")
                    n.add(self.c([" (2012)", " in 2005", "", " 2019"]) + "\n")
            elif key in ("meds", "dcmeds"):
                if self.p(0.08):
                    n.add(self.c(["None", "No current medications"]) + "\n")
                else:
                    self.sec_meds(n, style, discharge=key == "dcmeds")
            elif key == "allergies":
                self.sec_allergies(n, style)
            elif key == "social":
                self.sec_social(n)
            elif key == "family":
                self.sec_family(n, style)
            elif key == "ros":
                self.sec_ros(n)
            elif key == "exam":
                self.sec_exam(n)
            elif key == "labs":
                self.sec_labs(n)
            elif key == "imaging":
                self.sec_imaging(n)
            elif key == "course":
                self.sec_course(n, style, sex)
            elif key == "plan":
                self.sec_plan(n, style)
            if self.p(0.4):
                n.add("\n")
        return n

    def letter(self, n: Note, style: str, sex: str, age: int):
        he, his = ("he", "his") if sex == "M" else ("she", "her")
        title = "Mr." if sex == "M" else "Mrs."
        name = f"{title} {self.c(LAST)}"
        n.add(f"Dear Dr. {self.c(LAST)},\n\n")
        n.add(self.c([f"Thank you for referring {name}, a {age}-year-old {'man' if sex == 'M' else 'woman'} with ",
                      f"I saw {name} in clinic today. {he.capitalize()} is a {age}-year-old with ",
                      f"I had the pleasure of seeing {name} today for follow-up of "]))
        self.join_list(n, self.r.sample(CHRONIC, self.r.randint(1, 3)), "prose", lambda x: n.ent(x, "PROBLEM", "present"))
        n.add(". ")
        n.add(self.c([f"{he.capitalize()} reports ", f"Since the last visit {he} has had ", f"{he.capitalize()} describes "]))
        self.join_list(n, self.r.sample(SYMPTOMS, self.r.randint(1, 2)), "prose", lambda x: n.ent(x, "PROBLEM", "present"))
        n.add(self.c([f" but denies ", f". {he.capitalize()} has had no "]))
        self.join_list(n, self.r.sample(SYMPTOMS, self.r.randint(1, 3)), "prose", lambda x: n.ent(x, "PROBLEM", "absent"))
        n.add(".\n\n")
        if self.p(0.7):
            n.add(self.c(["Recent investigations: ", "Results: ", f"{his.capitalize()} recent "]))
            lab, fn = self.c(LABS[:60])
            t = n.ent(lab, "TEST")
            n.add(self.c([" was ", " of ", " "]))
            n.rel("has_value", t, n.ent(fn(self.r), "VALUE"))
            if self.p(0.5):
                n.add(self.c([" and ", ", and "]))
                te = n.ent(self.c(IMAGING)[0], "TEST")
                n.add(self.c([" showed ", " demonstrated ", " revealed "]))
                n.rel("reveals", te, n.ent(self.c(IMAGING_FINDINGS), "PROBLEM", "present"))
            n.add(".\n\n")
        if self.p(0.4):
            n.add(self.c(["Family history is notable for ", "Of note, there is a family history of "]))
            n.ent(self.c(FAMILY_PROBLEMS), "PROBLEM", "family")
            n.add(self.c([f" in {his} ", " in the patient's "]) + self.c(RELATIVES) + ".\n\n")
        n.add(self.c(["Current medications include ", f"{he.capitalize()} takes ", "Medications: "]))
        drugs = self.r.sample(DRUGS, self.r.randint(1, 4))
        for i, d in enumerate(drugs):
            if i:
                n.add(", " if i < len(drugs) - 1 else " and ")
            self.med(n, style, d)
        n.add(".\n\n")
        n.add(self.c(["My impression is ", "Impression: ", "I think this is most likely ", "I suspect "]))
        p = n.ent(self.c(ACUTE + CHRONIC), "PROBLEM", "possible" if n.text.endswith(("likely ", "suspect ")) else "present")
        n.add(self.c([". I have ", ". I have therefore ", ". We "]))
        n.add(self.c(["started ", "prescribed ", "increased "]))
        drug = self.med(n, style)
        n.rel("treats", drug, p)
        n.add(self.c([" and arranged ", " and requested ", ". I have ordered "]))
        n.ent(self.c([i[0] for i in IMAGING] + ["repeat labs", "CBC", "BMP", "lipid panel"]), "TEST")
        n.add(". ")
        n.add(self.c([f"Should {he} develop ", f"If {he} experiences ", "In the event of ", f"{he.capitalize()} should return if {he} has "]))
        self.join_list(n, self.r.sample(SYMPTOMS, self.r.randint(1, 2)), "prose", lambda x: n.ent(x, "PROBLEM", "hypothetical"))
        n.add(self.c([", please ask her to attend the emergency department.", ", I would be happy to see him sooner.", ", please re-refer."]))
        n.add(self.c(["\n\nSincerely,\nDr. ", "\n\nKind regards,\n", "\n\nYours sincerely,\n"]) + self.c(LAST) + "\n")


def generate(n_notes: int, seed: int) -> List[Dict]:
    g = Gen(seed)
    out = []
    for _ in range(n_notes):
        note = g.note()
        doc = note.to_json()
        for e in doc["entities"]:
            assert doc["text"][e["start"]:e["end"]] == e["text"]
        out.append(doc)
    return out


if __name__ == "__main__":
    import json
    import sys

    docs = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 3, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    for d in docs:
        print("=" * 30, d["kind"])
        print(d["text"])
        print(json.dumps(d["entities"][:8]))
        print(json.dumps(d["relations"][:8]))
