import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../src/db/dataDirLock.js';
import { openDatabase } from '../../src/db/database.js';

describe('the embedded database directory is used by one process at a time', () => {
  it('refuses a second user while the first holds it, and lets go on close', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
    const first = await openDatabase({ dataDir: dir });
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(DataDirInUseError);
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(`in use by process ${process.pid}`);
    await first.close();
    expect(existsSync(path.join(dir, 'pglite', 'in-use.pid'))).toBe(false);
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  });

  it('takes over a lock left by a process that is gone', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lock-'));
    writeFileSync(path.join(dir, 'in-use.pid'), '2147483646');
    const unlock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    unlock();
  });
});
