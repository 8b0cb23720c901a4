/** @jsxImportSource hono/jsx */
/**
 * Printed matter of a wave (editors and admins; each view is audited like an export, since it prints links):
 *   /staff/waves/:id/print/letters?disposition=&units=&part=  one invitation letter per unit (mail merge), A4
 *   /staff/waves/:id/print/flyer?size=A4|A5                   a flyer for the open link
 *   /staff/waves/:id/print/cards?from=&count=                 cut-out participant code cards for pre/post studies
 */
import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { raw } from 'hono/html';
import { z } from 'zod';
import { audit } from '../accounts/audit.js';
import { loadOwnedWave } from '../collection/loaders.js';
import { hasEnded } from '../collection/waveState.js';
import type { Database } from '../db/database.js';
import { organisations, type waves } from '../db/schema.js';
import { validate } from '../http/json.js';
import { loc } from '../web/surveyForm.js';
import { editorsOnly } from '../web/staff/pageGuards.js';
import type { StaffPageEnv } from '../web/staff/session.js';
import { phaseLabel } from '../web/staff/wavePanel.js';
import { CARDS_PER_SHEET, participantCode } from './codeCards.js';
import { allUnits } from './listQuery.js';
import { printPage } from './printLayout.js';
import { dispositionList, unitIdList } from './schemas.js';
import { qrSvg, shortAddress, shownLink } from './shownLinks.js';
import { CodeCard, Flyer, Letter, type Printed } from './printSheets.js';

/** Letters per document: a browser prints a few hundred pages comfortably; larger frames print in parts. */
export const LETTERS_PER_DOCUMENT = 500;

const lettersQuery = z.object({ disposition: dispositionList, units: unitIdList, q: z.string().optional(), part: z.coerce.number().int().min(1).default(1) }).strict();
// a5 as well as A5: staff type the address by hand.
const flyerQuery = z.object({ size: z.string().toUpperCase().pipe(z.enum(['A4', 'A5'])).default('A4') }).strict();
const cardsQuery = z.object({ from: z.coerce.number().int().min(1).max(100_000).default(1), count: z.coerce.number().int().min(1).max(1000).default(CARDS_PER_SHEET) }).strict();

/** A deadline as a letter says it: 「2026年12月20日(日) 17:00まで」, Japan time. */
export function deadlineJa(closesAt: Date | null): string | null {
  if (!closesAt) return null;
  const text = closesAt.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit' });
  return `${text}まで`;
}

export function printPages(database: Database, hashKey: string, publicUrl: (path: string) => string) {
  const app = new Hono<StaffPageEnv>();

  /** What every printed sheet of a wave shows, and the notes for the screen toolbar on what is missing. */
  async function printed(c: Context<StaffPageEnv>) {
    const staff = c.get('staff');
    const { wave, version } = await loadOwnedWave(database, staff, c.req.param('id') ?? '');
    const [organisation] = await database.db.select({ name: organisations.name, contact: organisations.contact }).from(organisations).where(eq(organisations.id, staff.organisationId));
    const info: Printed = {
      title: loc(version.definition.title, 'ja') || wave.name,
      organisation: organisation.name,
      purpose: wave.purpose,
      deadline: deadlineJa(wave.closesAt),
      contact: organisation.contact,
      shortAddress: shortAddress(publicUrl),
    };
    const missing = [!info.contact ? '問い合わせ先（団体設定）' : null, !info.purpose ? '目的（招待者一覧のページ）' : null].filter(Boolean);
    const notes = [
      hasEnded(wave) ? 'この調査回は受付を終了しています。印刷したリンクやコードでは回答できません。' : '',
      missing.length ? `未設定: ${missing.join('、')}。設定すると印刷されます。` : '',
    ].join(' ');
    return { staff, wave, info, notes };
  }

  const record = (c: Context<StaffPageEnv>, wave: typeof waves.$inferSelect, action: string, details: Record<string, unknown>) =>
    audit(database.db, c.get('staff'), action, wave.id, details);

  app.get('/staff/waves/:id/print/letters', editorsOnly, async (c) => {
    const { wave, info, notes } = await printed(c);
    const q = validate(lettersQuery, c.req.query());
    const units = await allUnits(database, wave.id, { disposition: q.disposition, unitIds: q.units, search: q.q });
    const parts = Math.max(1, Math.ceil(units.length / LETTERS_PER_DOCUMENT));
    const chosen = units.slice((q.part - 1) * LETTERS_PER_DOCUMENT, q.part * LETTERS_PER_DOCUMENT);
    const printable = chosen.flatMap((u) => {
      const link = shownLink(hashKey, publicUrl, u);
      return link ? [{ unitId: u.unitId, link }] : [];
    });
    const old = chosen.length - printable.length;
    const qrs = await Promise.all(printable.map((p) => qrSvg(p.link.url)));
    await record(c, wave, 'print.letters', { disposition: q.disposition, units: printable.length, part: q.part });
    const partLink = (part: number) => `?${new URLSearchParams({ ...c.req.query(), part: String(part) })}`;
    return printPage(c, {
      title: `案内状: ${wave.name}`,
      size: 'A4',
      sample: publicUrl('/t/'),
      back: `/staff/waves/${wave.id}/invitations`,
      about: (
        <>
          {printable.length} 通（1人1枚） {notes}
          {old ? ` 以前のリンクの ${old} 人は再表示できないため含みません（再発行すると印刷できます）。` : ''}
          {parts > 1 ? (
            <>
              {' '}
              {LETTERS_PER_DOCUMENT} 通ずつに分けています:{' '}
              {Array.from({ length: parts }, (_, i) => (i + 1 === q.part ? <strong> {i + 1} </strong> : <a href={partLink(i + 1)}> {i + 1} </a>))}
            </>
          ) : null}
        </>
      ),
      sheets: printable.map((p, i) => <Letter info={info} unitId={p.unitId} link={p.link} qr={raw(qrs[i])} />),
    });
  });

  app.get('/staff/waves/:id/print/flyer', editorsOnly, async (c) => {
    const { wave, info, notes } = await printed(c);
    const { size } = validate(flyerQuery, c.req.query());
    if (!wave.slug) {
      return printPage(c, { title: 'チラシ', size, sample: publicUrl('/s/'), back: `/staff/waves/${wave.id}/invitations`, about: 'この調査回には公開リンクがありません（招待のみ）。チラシは公開リンクのある調査回で作れます。', sheets: null });
    }
    const url = publicUrl(`/s/${wave.slug}`);
    await record(c, wave, 'print.flyer', { size });
    return printPage(c, {
      title: `チラシ (${size}): ${wave.name}`,
      size,
      sample: url,
      back: `/staff/waves/${wave.id}/invitations`,
      about: notes,
      sheets: <Flyer info={info} size={size} url={url} qr={raw(await qrSvg(url))} />,
    });
  });

  app.get('/staff/waves/:id/print/cards', editorsOnly, async (c) => {
    const { wave, info } = await printed(c);
    const q = validate(cardsQuery, c.req.query());
    // Where to answer: the open link when there is one. Not /c: it takes the letters' access codes, not these.
    const answerAt = wave.slug ? publicUrl(`/s/${wave.slug}`) : null;
    const qr = answerAt ? raw(await qrSvg(answerAt)) : null;
    const survey = [wave.name, phaseLabel(wave.phase)].filter(Boolean).join('・');
    const numbers = Array.from({ length: q.count }, (_, i) => q.from + i);
    const sheets = Array.from({ length: Math.ceil(numbers.length / CARDS_PER_SHEET) }, (_, s) => numbers.slice(s * CARDS_PER_SHEET, (s + 1) * CARDS_PER_SHEET));
    await record(c, wave, 'print.cards', { from: q.from, count: q.count });
    const next = `?${new URLSearchParams({ from: String(q.from + q.count), count: String(q.count) })}`;
    return printPage(c, {
      title: `参加者コードカード: ${wave.name}`,
      size: 'A4',
      sample: answerAt ?? info.shortAddress,
      back: `/staff/waves/${wave.id}/invitations`,
      about: (
        <>
          カード No.{q.from}〜{q.from + q.count - 1}（{q.count} 枚、A4 1枚に {CARDS_PER_SHEET} 枚）。同じ番号は何度印刷しても、この研究のどの回から印刷しても同じコードです。事前と事後の回で同じカードを使います。
          {answerAt ? `カードのQRコードと回答先は、この回（${survey}）のアンケートに通じます。` : 'この回には公開リンクがないため、カードにQRコードは入りません（アンケートはお手紙から開きます）。'}{' '}
          {wave.askParticipantCode ? null : <strong>この調査回は参加者コードを尋ねていません。</strong>} <a href={next}>次の {q.count} 枚</a>
          <form method="get">
            <label>
              開始番号 <input name="from" type="number" min={1} max={100000} value={String(q.from)} />
            </label>{' '}
            <label>
              枚数 <input name="count" type="number" min={1} max={1000} value={String(q.count)} />
            </label>{' '}
            <button type="submit">表示 Show</button>
          </form>
        </>
      ),
      sheets: sheets.map((cards) => (
        <div class="sheet cards">
          {cards.map((n) => (
            <CodeCard info={info} number={n} code={participantCode(hashKey, wave.studyId ?? wave.id, n)} survey={survey} answerAt={answerAt} qr={qr} />
          ))}
        </div>
      )),
    });
  });

  return app;
}
