import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { openDatabase } from './database.js';
import { moveToPostgres, TargetNotEmpty } from './moveToPostgres.js';

export const MOVE_HELP = `  move-to-postgres --to postgres://user:pass@host:5432/dbname
      Copies the embedded database in DATA_DIR into an empty PostgreSQL database (stop the server first),
      checks the row count of every table and says what to set next. A non-empty target is refused.
`;

/** `npm run cli -- move-to-postgres --to …`: the embedded database of DATA_DIR into PostgreSQL. */
export async function runMoveToPostgres(config: Config, to: unknown): Promise<number> {
  if (typeof to !== 'string' || !/^postgres(ql)?:\/\//.test(to)) {
    console.error('--to postgres://… が必要です（移行先の PostgreSQL）。\n--to postgres://… is required (the PostgreSQL database to move to).');
    return 2;
  }
  if (config.databaseUrl) {
    console.error(
      'DATABASE_URL が設定されています。このコマンドは DATA_DIR の内蔵データベースを移行するものです。DATABASE_URL を外して実行してください。\n' +
        'DATABASE_URL is set: this command moves the embedded database in DATA_DIR. Run it without DATABASE_URL.',
    );
    return 2;
  }
  if (!existsSync(path.join(config.dataDir, 'pglite'))) {
    console.error(`${config.dataDir} に内蔵データベースがありません。DATA_DIR を確かめてください。\nNo embedded database in ${config.dataDir}: check DATA_DIR.`);
    return 2;
  }
  const source = await openDatabase({ dataDir: config.dataDir });
  try {
    console.log(`内蔵データベース（${config.dataDir}）を移行しています… / Moving the embedded database (${config.dataDir})…`);
    const counts = await moveToPostgres(source, to).catch((error) => {
      if (error instanceof TargetNotEmpty) return error;
      throw error;
    });
    if (counts instanceof TargetNotEmpty) {
      console.error(counts.message);
      return 2;
    }
    const width = Math.max(...counts.map((c) => c.table.length));
    // 表 is two columns wide on a terminal, hence width - 1.
    console.log(`\n${'表 table'.padEnd(width - 1)}  移行元 source  移行先 target`);
    for (const c of counts) console.log(`${c.table.padEnd(width)}  ${String(c.source).padStart(13)}  ${String(c.target).padStart(13)}${c.source === c.target ? '' : '  ← 不一致 / differs'}`);
    const differing = counts.filter((c) => c.source !== c.target);
    if (differing.length > 0) {
      console.error(`\n件数が一致しない表があります: ${differing.map((c) => c.table).join(', ')}。移行先を使わないでください。\nRow counts differ for: ${differing.map((c) => c.table).join(', ')}. Do not use the target.`);
      return 1;
    }
    const key = config.hashSecret ? 'HASH_SECRET（今と同じ値 / the same value as now）' : `HASH_KEY_FILE=${config.hashKeyFile}`;
    console.log(
      `\nすべての表の件数が一致しました。次に / Every table's row count matches. Next:\n` +
        `  1. サーバーを DATABASE_URL=<移行先> で起動 / start the server with DATABASE_URL=<the target>\n` +
        `  2. ハッシュ鍵を同じにする / keep the same hashing key: ${key}\n` +
        `     鍵がないと参加者コードと招待リンクが照合できません。鍵ファイルも必ずバックアップしてください。\n` +
        `     Without it participant codes and invitation links no longer match; back the key file up too.\n` +
        `  3. 動作を確かめるまで ${config.dataDir} は消さずに残す / keep ${config.dataDir} until you have checked the service.`,
    );
    return 0;
  } finally {
    await source.close();
  }
}
