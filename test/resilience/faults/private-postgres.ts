import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL cluster of this test's own (initdb into a temporary folder, trust auth,
 * TCP on 127.0.0.1 only), so a test can stop and start a database server without touching the
 * machine's shared one. initdb and the server refuse to run as root: as root, they run as the
 * `postgres` system user through runuser.
 */
export interface PrivatePostgres {
  readonly url: string;
  readonly port: number;
  start(): void;
  /** `pg_ctl stop -m <mode>`; `immediate` is a crash (no checkpoint, clients cut off). */
  stop(mode?: 'smart' | 'fast' | 'immediate'): void;
  /** SIGSTOP to the server and its backends: connections stay open but nothing answers (a hung host). */
  freeze(): void;
  thaw(): void;
  destroy(): void;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin/initdb'))) : [];
  if (!versions.length) throw new Error(`no PostgreSQL server binaries (initdb) under ${base}: install postgresql`);
  versions.sort((a, b) => Number(b) - Number(a));
  return join(base, versions[0], 'bin');
}

export function createPrivatePostgres(port: number): PrivatePostgres {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'fault-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  let owner: string[] = [];
  if (asRoot) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) throw new Error('running as root and there is no postgres user to run initdb as');
    const uid = Number(id.stdout.trim());
    chownSync(dir, uid, -1);
    owner = ['runuser', '-u', 'postgres', '--'];
  }
  const run = (tool: string, args: string[]) => {
    const cmd = [...owner, join(bin, tool), ...args];
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  };
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  let running = false;
  let frozen: number[] = [];
  const postmaster = () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = (pid: number) => spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean).map(Number);
  const pg: PrivatePostgres = {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start() {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
      running = true;
    },
    stop(mode = 'fast') {
      run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
      running = false;
    },
    freeze() {
      // the postmaster first, so it forks no backend the list below would miss
      const main = postmaster();
      process.kill(main, 'SIGSTOP');
      frozen = [main, ...children(main)];
      for (const pid of frozen.slice(1)) process.kill(pid, 'SIGSTOP');
    },
    thaw() {
      for (const pid of frozen.splice(0)) process.kill(pid, 'SIGCONT');
    },
    destroy() {
      pg.thaw();
      if (running) {
        try {
          pg.stop('immediate');
        } catch {
          /* already gone */
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return pg;
}
