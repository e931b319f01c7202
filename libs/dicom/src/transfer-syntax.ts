/** Transfer syntaxes this service meets, what they are and whether it can decode their pixels. */
export const TransferSyntax = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  RLELossless: '1.2.840.10008.1.2.5',
  JPEGBaseline: '1.2.840.10008.1.2.4.50',
  JPEGExtended: '1.2.840.10008.1.2.4.51',
  JPEGLossless: '1.2.840.10008.1.2.4.57',
  JPEGLosslessSV1: '1.2.840.10008.1.2.4.70',
  JPEGLSLossless: '1.2.840.10008.1.2.4.80',
  JPEGLSNearLossless: '1.2.840.10008.1.2.4.81',
  JPEG2000Lossless: '1.2.840.10008.1.2.4.90',
  JPEG2000: '1.2.840.10008.1.2.4.91',
  HTJ2KLossless: '1.2.840.10008.1.2.4.201',
  HTJ2KLosslessRPCL: '1.2.840.10008.1.2.4.202',
  HTJ2K: '1.2.840.10008.1.2.4.203',
} as const;
export type TransferSyntaxUid = (typeof TransferSyntax)[keyof typeof TransferSyntax];

export type PixelEncoding = 'native' | 'rle' | 'jpeg-lossless' | 'undecodable';

export interface TransferSyntaxInfo {
  uid: string;
  name: string;
  encoding: PixelEncoding;
  /** why pixels in this syntax cannot be decoded here (undecodable only) */
  reason?: string;
}

const NAMES: Record<string, [string, PixelEncoding, string?]> = {
  [TransferSyntax.ImplicitVRLittleEndian]: ['Implicit VR Little Endian', 'native'],
  [TransferSyntax.ExplicitVRLittleEndian]: ['Explicit VR Little Endian', 'native'],
  [TransferSyntax.DeflatedExplicitVRLittleEndian]: ['Deflated Explicit VR Little Endian', 'native'],
  [TransferSyntax.ExplicitVRBigEndian]: ['Explicit VR Big Endian', 'native'],
  [TransferSyntax.RLELossless]: ['RLE Lossless', 'rle'],
  [TransferSyntax.JPEGLossless]: ['JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless'],
  [TransferSyntax.JPEGLosslessSV1]: ['JPEG Lossless, First-Order Prediction (Process 14, SV1)', 'jpeg-lossless'],
  [TransferSyntax.JPEGBaseline]: ['JPEG Baseline (Process 1)', 'undecodable', 'no lossy JPEG decoder is installed in this service'],
  [TransferSyntax.JPEGExtended]: ['JPEG Extended (Process 2 & 4)', 'undecodable', 'no lossy JPEG decoder is installed in this service'],
  [TransferSyntax.JPEGLSLossless]: ['JPEG-LS Lossless', 'undecodable', 'no JPEG-LS decoder is installed in this service'],
  [TransferSyntax.JPEGLSNearLossless]: ['JPEG-LS Near-Lossless', 'undecodable', 'no JPEG-LS decoder is installed in this service'],
  [TransferSyntax.JPEG2000Lossless]: ['JPEG 2000 Lossless', 'undecodable', 'no JPEG 2000 decoder is installed in this service'],
  [TransferSyntax.JPEG2000]: ['JPEG 2000', 'undecodable', 'no JPEG 2000 decoder is installed in this service'],
  [TransferSyntax.HTJ2KLossless]: ['High-Throughput JPEG 2000 Lossless', 'undecodable', 'no HTJ2K decoder is installed in this service'],
  [TransferSyntax.HTJ2KLosslessRPCL]: ['High-Throughput JPEG 2000 RPCL Lossless', 'undecodable', 'no HTJ2K decoder is installed in this service'],
  [TransferSyntax.HTJ2K]: ['High-Throughput JPEG 2000', 'undecodable', 'no HTJ2K decoder is installed in this service'],
};

export function transferSyntaxInfo(uid: string): TransferSyntaxInfo {
  const known = NAMES[uid];
  if (known) return { uid, name: known[0], encoding: known[1], reason: known[2] };
  return { uid, name: 'unknown transfer syntax', encoding: 'undecodable', reason: `transfer syntax ${uid} is not supported` };
}

export function isBigEndian(uid: string): boolean {
  return uid === TransferSyntax.ExplicitVRBigEndian;
}
