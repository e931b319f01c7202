import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

/** Where DICOM objects live. Files on disk here; an object-storage implementation fits the same interface. */
export interface InstanceStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  /** Deletes stored objects (missing ones are skipped); returns how many were removed. */
  removeAll(keys: string[]): Promise<number>;
}

export const INSTANCE_STORE = Symbol('INSTANCE_STORE');

/** What a sweep for files left by a crash removed. */
export interface OrphanSweep {
  scanned: number;
  temporaryRemoved: number;
  unindexedRemoved: number;
}

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

  /**
   * Removes what a killed process can leave behind: temporary writes that were never renamed, and
   * stored files no instance row names (the process died between writing the file and committing
   * the row, and the sender never re-sent). Only files older than `olderThanMs` go, so a write in
   * flight on another replica sharing the store is never touched.
   */
  async sweepOrphans(indexed: (keys: string[]) => Promise<Set<string>>, olderThanMs: number, now = Date.now()): Promise<OrphanSweep> {
    const root = resolve(this.root);
    const result: OrphanSweep = { scanned: 0, temporaryRemoved: 0, unindexedRemoved: 0 };
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    const oldDicom: string[] = [];
    for (const e of entries) {
      if (!e.isFile()) continue;
      result.scanned++;
      const p = join(e.parentPath, e.name);
      const age = now - (await stat(p)).mtimeMs;
      if (age < olderThanMs) continue;
      if (e.name.endsWith('.tmp')) {
        await rm(p, { force: true });
        result.temporaryRemoved++;
      } else if (e.name.endsWith('.dcm')) {
        oldDicom.push(relative(root, p));
      }
    }
    for (let i = 0; i < oldDicom.length; i += 500) {
      const chunk = oldDicom.slice(i, i + 500);
      const known = await indexed(chunk);
      const orphans = chunk.filter((k) => !known.has(k));
      result.unindexedRemoved += await this.removeAll(orphans);
    }
    return result;
  }
}

/** Storage key of an instance: study/series/sop, UIDs being safe path components (digits and dots). */
export function storageKey(study: string, series: string, sop: string): string {
  for (const uid of [study, series, sop]) {
    if (!/^[0-9.]{1,64}$/.test(uid)) throw new Error(`not a valid UID for storage: ${uid.slice(0, 80)}`);
  }
  return join(study, series, `${sop}.dcm`);
}
