import { mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FileInstanceStore, storageKey } from './instance-store';

describe('FileInstanceStore after a crash', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'instance-store-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const hour = 3_600_000;
  function file(key: string, ageMs: number) {
    const p = join(root, key);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, 'DICM');
    const t = (Date.now() - ageMs) / 1000;
    utimesSync(p, t, t);
    return p;
  }

  it('removes old temporary writes and old files no instance row names, and nothing else', async () => {
    const store = new FileInstanceStore(root);
    const indexedOld = storageKey('1.2.3', '1.2.3.4', '1.2.3.4.1');
    const orphanOld = storageKey('1.2.3', '1.2.3.4', '1.2.3.4.2');
    const orphanYoung = storageKey('1.2.3', '1.2.3.4', '1.2.3.4.3');
    const lonelyStudy = storageKey('9.9', '9.9.1', '9.9.1.1');
    const paths = {
      indexedOld: file(indexedOld, 2 * hour),
      orphanOld: file(orphanOld, 2 * hour),
      orphanYoung: file(orphanYoung, 60_000),
      tmpOld: file(`${orphanOld}.4242.1.tmp`, 2 * hour),
      tmpYoung: file(`${orphanYoung}.4242.2.tmp`, 60_000),
      lonely: file(lonelyStudy, 3 * hour),
    };
    const asked: string[] = [];
    const result = await store.sweepOrphans(async (keys) => {
      asked.push(...keys);
      return new Set(keys.filter((k) => k === indexedOld));
    }, hour);

    expect(result).toEqual({ scanned: 6, temporaryRemoved: 1, unindexedRemoved: 2 });
    expect(existsSync(paths.indexedOld)).toBe(true);
    expect(existsSync(paths.orphanYoung)).toBe(true); // may be a write in flight elsewhere
    expect(existsSync(paths.tmpYoung)).toBe(true);
    expect(existsSync(paths.orphanOld)).toBe(false);
    expect(existsSync(paths.tmpOld)).toBe(false);
    expect(existsSync(paths.lonely)).toBe(false);
    expect(existsSync(join(root, '9.9'))).toBe(false); // its emptied folders went with it
    expect(asked.sort()).toEqual([indexedOld, lonelyStudy, orphanOld].sort()); // young files are never looked up
  });

  it('copes with a store that does not exist yet', async () => {
    const store = new FileInstanceStore(join(root, 'missing'));
    expect(await store.sweepOrphans(async () => new Set(), hour)).toEqual({ scanned: 0, temporaryRemoved: 0, unindexedRemoved: 0 });
  });
});
