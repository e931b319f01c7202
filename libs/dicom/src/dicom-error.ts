/** A DICOM object that cannot be read, with a reason a PACS integrator can act on. */
export class DicomError extends Error {
  constructor(
    readonly code: 'not-dicom' | 'truncated' | 'missing-attribute' | 'bad-value' | 'undecodable' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'DicomError';
  }
}
