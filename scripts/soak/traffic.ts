/**
 * The mixed traffic of the soak, per service, as autocannon request sequences (each connection
 * cycles through its service's list). Routes and bodies follow the apps' READMEs.
 */
import type { SoakRequest } from 'autocannon';
import type { ServiceName } from './services';

/** A request with the route name its answers are recorded under. */
export interface Step extends SoakRequest {
  route: string;
}

const json = { 'content-type': 'application/json' };
const FORMATS = ['ACH', 'Cash', 'Cheque', 'Credit Card', 'Wire'];
let txSeq = 0;

/** A valid transfer with an id never used before, between accounts of a fixed pool (bounded state). */
function transfer(): string {
  const i = ++txSeq;
  const amount = 50 + ((i * 7919) % 20_000) + (i % 100) / 100;
  return JSON.stringify({
    id: `soak-${process.pid}-${i}`,
    timestamp: new Date().toISOString(),
    fromBank: String(100 + (i % 7)).padStart(3, '0'),
    fromAccount: `SOAK${(i * 31) % 400}`,
    toBank: String(100 + ((i * 3) % 7)).padStart(3, '0'),
    toAccount: `SOAK${(i * 17 + 5) % 400}`,
    amountPaid: amount,
    paymentCurrency: 'US Dollar',
    amountReceived: amount,
    receivingCurrency: 'US Dollar',
    paymentFormat: FORMATS[i % FORMATS.length],
  });
}

const HEADLINES = [
  'Acme beats estimates, raises guidance',
  'Globex recalls 2 million cars',
  'Initech to hold annual meeting on Tuesday',
  'Umbrella shares slump after regulator opens probe',
  'Hooli wins record cloud contract',
  'Stark Industries cuts dividend as margins shrink',
];
let headlineSeq = 0;

const NOTES = [
  '72M with HTN on metformin 500 mg PO BID. Denies chest pain. CXR showed RLL pneumonia.',
  'Hgb 7.9 g/dL. Start ceftriaxone 1 g IV daily for pneumonia.',
  '65F with type 2 diabetes and CKD stage 3. Lisinopril 10 mg daily. No fever. Mother had breast cancer.',
  'Patient reports shortness of breath on exertion. Echo: EF 35%. Started furosemide 40 mg PO daily. Allergic to penicillin.',
  'Follow-up for asthma. Albuterol inhaler PRN. Denies wheezing. BP 128/82, HR 76.',
];
let noteSeq = 0;
let lastNoteId: string | undefined;

const gql = (query: string) => JSON.stringify({ query });

/**
 * Request sequences per service. `studyUid` is a study the imaging service holds (found before
 * the run), for the per-study QIDO search.
 */
export function trafficFor(service: ServiceName, opts: { studyUid?: string }): Step[] {
  switch (service) {
    case 'aml':
      return [
        { route: 'POST /api/transactions', method: 'POST', path: '/api/transactions', headers: json, setupRequest: (r) => ({ ...r, body: transfer() }) },
        { route: 'POST /api/transactions', method: 'POST', path: '/api/transactions', headers: json, setupRequest: (r) => ({ ...r, body: transfer() }) },
        { route: 'POST /api/transactions', method: 'POST', path: '/api/transactions', headers: json, setupRequest: (r) => ({ ...r, body: transfer() }) },
        { route: 'GET /api/alerts', method: 'GET', path: '/api/alerts?page=1&pageSize=20', setupRequest: (r) => ({ ...r, path: `/api/alerts?page=${1 + (txSeq % 5)}&pageSize=20&sort=newest` }) },
      ];
    case 'trading':
      return [
        {
          route: 'POST /graphql signals',
          method: 'POST',
          path: '/graphql',
          headers: json,
          setupRequest: (r) => ({
            ...r,
            body: gql(`{ signals(symbol: "SYN00${headlineSeq++ % 8}", horizon: 5, from: "2014-10-01T00:00:00Z", first: 5) { edges { node { time pUp expectedReturn contributions { price { pUp expectedReturn } sentiment { pUp expectedReturn } } } } pageInfo { hasNextPage endCursor } } }`),
          }),
        },
        {
          route: 'POST /graphql sentiment',
          method: 'POST',
          path: '/graphql',
          headers: json,
          setupRequest: (r) => ({ ...r, body: JSON.stringify({ query: 'query($t: [String!]!) { sentiment(texts: $t) { label score probabilities { negative neutral positive } } }', variables: { t: [HEADLINES[headlineSeq++ % HEADLINES.length], HEADLINES[headlineSeq % HEADLINES.length]] } }) }),
        },
      ];
    case 'emr':
      return [
        {
          route: 'POST /api/notes',
          method: 'POST',
          path: '/api/notes',
          headers: json,
          setupRequest: (r) => ({ ...r, body: JSON.stringify({ text: NOTES[noteSeq++ % NOTES.length], patientId: `SOAK-${noteSeq % 50}` }) }),
          onResponse: (status, body, context) => {
            if (status !== 200) return;
            try {
              context.noteId = lastNoteId = (JSON.parse(body) as { id: string }).id;
            } catch {
              /* counted as answered; the GET falls back to the last known note */
            }
          },
        },
        {
          route: 'GET /api/notes/:id',
          method: 'GET',
          path: '/api/notes/unknown',
          headers: { 'x-purpose-of-use': 'TREAT' },
          setupRequest: (r, context) => ({ ...r, path: `/api/notes/${String(context.noteId ?? lastNoteId ?? 'unknown')}` }),
        },
      ];
    case 'imaging':
      return [
        { route: 'GET /dicomweb/studies?PatientID', method: 'GET', path: '/dicomweb/studies?PatientID=PHANTOM*', headers: { accept: 'application/dicom+json' } },
        { route: 'GET /dicomweb/studies?limit', method: 'GET', path: '/dicomweb/studies?limit=10&offset=0&includefield=all', headers: { accept: 'application/dicom+json' } },
        { route: 'GET /dicomweb/series?Modality', method: 'GET', path: '/dicomweb/series?Modality=CT', headers: { accept: 'application/dicom+json' } },
        ...(opts.studyUid ? [{ route: 'GET /dicomweb/studies/:s/series', method: 'GET', path: `/dicomweb/studies/${opts.studyUid}/series`, headers: { accept: 'application/dicom+json' } }] : []),
      ];
  }
}

/** The in-run reference: the cheapest route every service has. */
export const BASELINE: Step[] = [{ route: 'GET /health', method: 'GET', path: '/health' }];
