import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config.js';

/** Stops start-up with a sentence, as a configuration error does. */
export class DataDirInUseError extends ConfigError {}

/**
 * Embedded PGlite keeps its files in one directory that only one process may open: a second
 * `npm start`, or the CLI while the server runs, would write beside it and could corrupt it. A lock
 * file holding the owner's process id says who has it; one left by a process that died is taken over.
 * Returns the function that gives the directory up.
 */
export function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'in-use.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(file, 'utf8'));
      if (isAlive(owner)) {
        throw new DataDirInUseError(
          `The embedded database in ${dir} is in use by process ${owner} (a running server?). Stop it first, or use another DATA_DIR. If no such process is yours, delete ${file}.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not lock ${dir}: another process keeps taking it.`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
