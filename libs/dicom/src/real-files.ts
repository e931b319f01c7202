import { existsSync } from 'node:fs';

/**
 * Real DICOM files from Debian's python3-pydicom package (apt-get install -y python3-pydicom).
 * Tests that need them fail with this message when the package is missing: they must not skip.
 */
export const PYDICOM_TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

export function requirePydicomFiles(): string {
  if (!existsSync(`${PYDICOM_TEST_FILES}/CT_small.dcm`)) {
    throw new Error(`pydicom's test files are missing at ${PYDICOM_TEST_FILES}: install the Debian package python3-pydicom (apt-get install -y python3-pydicom)`);
  }
  return PYDICOM_TEST_FILES;
}
