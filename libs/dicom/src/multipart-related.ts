import { DicomError } from './dicom-error';

/**
 * multipart/related bodies (RFC 2387) as DICOMweb uses them: STOW-RS requests and WADO-RS responses
 * carry one DICOM object per part.
 */
export interface MultipartPart {
  headers: Record<string, string>;
  body: Buffer;
}

/** Read `boundary` (and `type`) from a Content-Type header. */
export function parseContentType(header: string | undefined): { mediaType: string; params: Record<string, string> } {
  if (!header) return { mediaType: '', params: {} };
  const [media, ...rest] = splitParams(header);
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    params[key] = value;
  }
  return { mediaType: media.trim().toLowerCase(), params };
}

function splitParams(h: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of h) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseMultipartRelated(body: Buffer, contentType: string | undefined): MultipartPart[] {
  const { mediaType, params } = parseContentType(contentType);
  if (mediaType !== 'multipart/related') throw new DicomError('bad-value', `expected multipart/related, got ${mediaType || 'no content type'}`);
  const boundary = params.boundary;
  if (!boundary) throw new DicomError('bad-value', 'multipart/related without a boundary parameter');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new DicomError('bad-value', 'the boundary does not occur in the body');
  while (pos >= 0) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing delimiter "--boundary--"
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    else if (body[start] === 0x0a) start += 1;
    const next = body.indexOf(delimiter, start);
    if (next < 0) throw new DicomError('truncated', 'multipart body ends without a closing boundary');
    // the CRLF before the next delimiter belongs to the delimiter
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    else if (body[end - 1] === 0x0a) end -= 1;
    const part = body.subarray(start, end);
    let headerEnd = part.indexOf('\r\n\r\n');
    let sepLen = 4;
    if (headerEnd < 0) {
      headerEnd = part.indexOf('\n\n');
      sepLen = 2;
    }
    const headers: Record<string, string> = {};
    let content: Buffer;
    if (headerEnd < 0) {
      content = part;
    } else {
      for (const line of part.subarray(0, headerEnd).toString('latin1').split(/\r?\n/)) {
        const c = line.indexOf(':');
        if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
      }
      content = part.subarray(headerEnd + sepLen);
    }
    parts.push({ headers, body: content });
    pos = next;
  }
  return parts;
}

/** Build a multipart/related body; returns the Content-Type header to send with it. */
export function buildMultipartRelated(parts: { contentType: string; body: Uint8Array; location?: string }[], type: string): { contentType: string; body: Buffer } {
  const boundary = `suite-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Type: ${p.contentType}\r\n`;
    if (p.location) head += `Content-Location: ${p.location}\r\n`;
    chunks.push(Buffer.from(head + '\r\n', 'latin1'), Buffer.from(p.body.buffer, p.body.byteOffset, p.body.byteLength), Buffer.from('\r\n', 'latin1'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return { contentType: `multipart/related; type="${type}"; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
