import { mkdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** Where DICOM objects live. Files on disk here; an object-storage implementation fits the same interface. */
export interface InstanceStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  /** Deletes stored objects (missing ones are skipped); returns how many were removed. */
  removeAll(keys: string[]): Promise<number>;
}

export const INSTANCE_STORE = Symbol('INSTANCE_STORE');

export class FileInstanceStore implements InstanceStore {
  constructor(private readonly root: string) {}

  private path(key: string): string {
    const p = resolve(this.root, key);
    if (!p.startsWith(resolve(this.root))) throw new Error(`storage key ${key} escapes the store`);
    return p;
  }

  /** Written to a temporary name and renamed, so a crash never leaves half a file under the real key. */
  async put(key: string, bytes: Uint8Array): Promise<void> {
    const p = this.path(key);
    await mkdir(dirname(p), { recursive: true });
    const tmp = `${p}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, p);
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.path(key));
  }

  async has(key: string): Promise<boolean> {
    try {
      await stat(this.path(key));
      return true;
    } catch {
      return false;
    }
  }

  async removeAll(keys: string[]): Promise<number> {
    let removed = 0;
    const dirs = new Set<string>();
    for (const key of keys) {
      const p = this.path(key);
      if (await this.has(key)) {
        await rm(p, { force: true });
        removed++;
      }
      dirs.add(dirname(p));
      dirs.add(dirname(dirname(p)));
    }
    // emptied series and study folders go too (deepest first); a folder still in use stays
    const root = resolve(this.root);
    for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
      if (dir.startsWith(root) && dir !== root) await rmdir(dir).catch(() => undefined);
    }
    return removed;
  }
}

/** Storage key of an instance: study/series/sop, UIDs being safe path components (digits and dots). */
export function storageKey(study: string, series: string, sop: string): string {
  for (const uid of [study, series, sop]) {
    if (!/^[0-9.]{1,64}$/.test(uid)) throw new Error(`not a valid UID for storage: ${uid.slice(0, 80)}`);
  }
  return join(study, series, `${sop}.dcm`);
}
