/** `npm run models:check [-- name...]`: cards, checksums and held-out metrics of every model. */
import { checkModels } from '../evaluation/check-models';

checkModels(undefined, process.argv.slice(2))
  .then((results) => {
    for (const r of results) console.log(JSON.stringify(r));
    const failed = results.filter((r) => !r.ok);
    console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
    process.exit(failed.length ? 1 : 0);
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
