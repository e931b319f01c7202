/** `npm run models:quantize -- <name>`: writes model.int8.onnx and records size/speed/accuracy in the card. */
import { quantizeAndRecord } from '../quantize/quantize-model';

const names = process.argv.slice(2);
if (!names.length) {
  console.error('usage: npm run models:quantize -- <model-name> [...]');
  process.exit(2);
}
(async () => {
  for (const name of names) {
    const result = await quantizeAndRecord(name);
    console.log(JSON.stringify({ model: name, ...result }));
  }
})().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
