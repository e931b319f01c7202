// The package ships no CommonJS type declarations; this is the part we use.
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    constructor(buffer?: ArrayBuffer, numBytes?: number);
    /** decoded samples: Uint8Array for 1 byte per sample, Uint16Array for 2 */
    decode(buffer: ArrayBuffer, offset: number, length: number, numBytes?: number): Uint8Array | Uint16Array;
  }
}
