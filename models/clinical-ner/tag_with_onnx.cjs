#!/usr/bin/env node
// Tags the inputs of a held-out file with an exported clinical-ner model through onnxruntime-node,
// so train.py can score the production version (which exists only as ONNX) per note kind on the
// same held-out rows as the new version. Python has no ONNX runtime here.
//   node models/clinical-ner/tag_with_onnx.cjs <model.onnx> <heldout.json> <out.json>
// out.json: { "tags": [[tag id per token] per row] } (argmax of the "tags" output, padding included).
const { readFileSync, writeFileSync } = require('node:fs');
const ort = require('onnxruntime-node');

const [modelPath, heldoutPath, outPath] = process.argv.slice(2);
if (!modelPath || !heldoutPath || !outPath) {
  console.error('usage: node tag_with_onnx.cjs <model.onnx> <heldout.json> <out.json>');
  process.exit(2);
}

function tensor({ dtype, dims, b64 }) {
  if (dtype !== 'int64') throw new Error(`expected int64 inputs, got ${dtype}`);
  const buf = Buffer.from(b64, 'base64');
  const data = new BigInt64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return new ort.Tensor('int64', data, dims);
}

async function main() {
  const held = JSON.parse(readFileSync(heldoutPath, 'utf8'));
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
  const feeds = {};
  for (const [name, t] of Object.entries(held.inputs)) feeds[name] = tensor(t);
  const { tags } = await session.run(feeds, ['tags']);
  const [rows, tokens, classes] = tags.dims;
  const out = [];
  for (let r = 0; r < rows; r++) {
    const row = [];
    for (let t = 0; t < tokens; t++) {
      const base = (r * tokens + t) * classes;
      let best = 0;
      for (let c = 1; c < classes; c++) if (tags.data[base + c] > tags.data[base + best]) best = c;
      row.push(best);
    }
    out.push(row);
  }
  writeFileSync(outPath, JSON.stringify({ tags: out }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
