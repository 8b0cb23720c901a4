/**
 * Participation indicators of one activity over a period, computed from its records (sessions and
 * attendance), each with the definition a report prints beside it. Case books count these by hand and
 * print them without definitions (延べ, 実人数, 新規); here each figure says what it counted.
 */
import { percent, roundHalfUp } from './rounding.js';

export type SessionRecord = {
  id: string;
  /** YYYY-MM-DD (the day in Japan). */
  heldOn: string;
  site?: string | null;
  theme?: string | null;
  /** Counts-only sessions: the number present (codes not taken, or not for everyone). */
  headcount?: number | null;
  /** Counts-only breakdowns, e.g. { status: { new: 3, repeat: 9 }, age: { '70代': 5 } }. */
  breakdown?: Record<string, Record<string, number>> | null;
};

/** One person (a participant code's keyed hash) present at one session. */
export type AttendanceRecord = { sessionId: string; person: string };

export type Period = { from: string; to: string };

export type MonthFigures = { month: string; sessions: number; attendances: number; unique: number | null; averagePerSession: number | null };

/** The headline figures, for the whole activity and for each site or theme. */
export type Figures = {
  /** 開催回数 */
  sessions: number;
  /** 延べ参加者数 */
  attendances: number;
  /** 実人数 (coded attendance only); null when no session of the period took codes. */
  unique: number | null;
  /** 新規: people whose first attendance of the activity falls in the period (plus counts-only 新規). */
  newcomers: number | null;
  /** リピーター: people present in the period who had attended before it (plus counts-only リピーター). */
  returning: number | null;
  /** 1回平均 (延べ ÷ 開催回数), one decimal, half up. */
  averagePerSession: number | null;
  /** 全回出席: people present at every session of the period; null when some sessions took no codes. */
  everySession: number | null;
  /** 継続率 over the whole period: continued ÷ present, summed over the consecutive month pairs (%). */
  continuation: number | null;
};

export type GroupFigures = Figures & { group: string };

export type Indicators = Figures & {
  period: Period;
  /** 継続率 per month pair: of those present in month m, the % present again in m+1. */
  retention: { from: string; to: string; base: number; continued: number; percent: number | null }[];
  perMonth: MonthFigures[];
  bySite: GroupFigures[];
  byTheme: GroupFigures[];
  /** Sessions of the period recorded as counts only: their people are not in 実人数, 新規, 全回出席. */
  countsOnlySessions: number;
  /** Counts-only breakdowns summed over the period (延べ): category → value → people, e.g. age → 70代 → 41. */
  countsOnlyBreakdown: Record<string, Record<string, number>>;
};

/** Counts-only breakdown keys for first-timers and returners, as the import and entry store them. */
export const NEW_KEY = 'new';
export const REPEAT_KEY = 'repeat';

export const INDICATOR_DEFINITIONS = {
  sessions: { ja: '開催回数：期間中に開いた回の数', en: 'Sessions held in the period' },
  attendances: {
    ja: '延べ参加者数：各回の参加者数の合計（人数だけ記録した回はその人数、コードで記録した回はコードの数）。同じ人が2回来れば2と数えます',
    en: 'Total attendances: the sum over sessions of those present (the headcount where only counts were taken, else the codes); one person twice counts 2',
  },
  unique: {
    ja: '実人数：期間中に1回以上参加した人の数（参加者コードで数えます。人数だけ記録した回の参加者は含みません）',
    en: 'Unique participants: people present at least once in the period, by participant code (counts-only sessions not included)',
  },
  newcomers: {
    ja: '新規：この事業への初めての参加が期間中だった人の数（人数だけ記録した回は、その回の「新規」の人数を足します）',
    en: 'Newcomers: people whose first attendance of the activity falls in the period (plus the “new” count of counts-only sessions)',
  },
  returning: {
    ja: 'リピーター：期間中に参加し、期間より前にも参加したことがある人の数（人数だけ記録した回は「リピーター」の人数を足します）',
    en: 'Returning: people present in the period who had attended before it (plus the “repeat” count of counts-only sessions)',
  },
  averagePerSession: { ja: '1回平均：延べ参加者数 ÷ 開催回数（小数第1位、四捨五入）', en: 'Per session: total attendances ÷ sessions (one decimal, half up)' },
  everySession: {
    ja: '全回出席：期間中のすべての回に参加した人の数（人数だけ記録した回があると数えられません）',
    en: 'Attended every session of the period (not computable when some sessions took counts only)',
  },
  retention: {
    ja: '継続率：ある月に参加した人のうち、翌月にも参加した人の割合（%、小数第1位、四捨五入）',
    en: 'Continuation: of those present in a month, the % present again the next month (one decimal, half up)',
  },
} as const;

const inPeriod = (s: SessionRecord, p: Period) => s.heldOn >= p.from && s.heldOn <= p.to;
const monthOf = (day: string) => day.slice(0, 7);
const isCountsOnly = (s: SessionRecord) => s.headcount !== null && s.headcount !== undefined;

/** Who was present at each session (coded attendance). */
function presentBySession(attendances: AttendanceRecord[]): Map<string, Set<string>> {
  const by = new Map<string, Set<string>>();
  for (const a of attendances) {
    let set = by.get(a.sessionId);
    if (!set) by.set(a.sessionId, (set = new Set()));
    set.add(a.person);
  }
  return by;
}

/** A session's 延べ: its headcount where counts were taken, else its codes. */
const sessionTotal = (s: SessionRecord, present: Map<string, Set<string>>) => (isCountsOnly(s) ? (s.headcount as number) : (present.get(s.id)?.size ?? 0));

function figures(sessions: SessionRecord[], present: Map<string, Set<string>>) {
  const people = new Set<string>();
  let attendances = 0;
  let coded = 0;
  for (const s of sessions) {
    attendances += sessionTotal(s, present);
    if (!isCountsOnly(s)) coded++;
    for (const p of present.get(s.id) ?? []) people.add(p);
  }
  return {
    sessions: sessions.length,
    attendances,
    unique: coded > 0 || people.size > 0 ? people.size : null,
    averagePerSession: sessions.length ? roundHalfUp(attendances / sessions.length, 1) : null,
  };
}

const countsOnlySum = (sessions: SessionRecord[], key: string) => sessions.reduce((sum, s) => sum + (s.breakdown?.status?.[key] ?? 0), 0);

/** The headline figures of a set of sessions (with their history before the period) and who was present. */
function headline(all: SessionRecord[], present: Map<string, Set<string>>, period: Period) {
  const during = all.filter((s) => inPeriod(s, period));
  const countsOnly = during.filter(isCountsOnly);
  const base = figures(during, present);

  const firstSeen = new Map<string, string>();
  for (const s of all) for (const p of present.get(s.id) ?? []) if (!firstSeen.has(p)) firstSeen.set(p, s.heldOn);
  const peopleDuring = new Set(during.flatMap((s) => [...(present.get(s.id) ?? [])]));
  const codedNew = [...peopleDuring].filter((p) => (firstSeen.get(p) as string) >= period.from).length;
  const known = base.unique !== null || countsOnly.some((s) => s.breakdown?.status);

  const codedSessions = during.filter((s) => !isCountsOnly(s));
  const everySession =
    countsOnly.length > 0 || codedSessions.length === 0
      ? null
      : [...peopleDuring].filter((p) => codedSessions.every((s) => present.get(s.id)?.has(p))).length;

  const months = [...new Set(during.map((s) => monthOf(s.heldOn)))].sort();
  const peopleIn = (month: string) => new Set(during.filter((s) => monthOf(s.heldOn) === month).flatMap((s) => [...(present.get(s.id) ?? [])]));
  const retention = months.slice(0, -1).flatMap((from) => {
    const to = nextMonth(from);
    if (!months.includes(to)) return [];
    const before = peopleIn(from);
    const after = peopleIn(to);
    const continued = [...before].filter((p) => after.has(p)).length;
    return [{ from, to, base: before.size, continued, percent: percent(continued, before.size, 1) }];
  });
  const pooledBase = retention.reduce((sum, r) => sum + r.base, 0);
  return {
    during,
    months,
    countsOnly,
    figures: {
      ...base,
      newcomers: known ? codedNew + countsOnlySum(countsOnly, NEW_KEY) : null,
      returning: known ? peopleDuring.size - codedNew + countsOnlySum(countsOnly, REPEAT_KEY) : null,
      everySession,
      continuation: percent(retention.reduce((sum, r) => sum + r.continued, 0), pooledBase, 1),
    },
    retention,
  };
}

/** Per site or theme: the same figures over that group's own sessions (新規 = new to that site or theme). */
function grouped(all: SessionRecord[], present: Map<string, Set<string>>, period: Period, key: (s: SessionRecord) => string | null | undefined): GroupFigures[] {
  const name = (s: SessionRecord) => key(s)?.trim() || '（未記入）';
  const shown = [...new Set(all.filter((s) => inPeriod(s, period)).map(name))];
  return shown.map((group) => ({ group, ...headline(all.filter((s) => name(s) === group), present, period).figures }));
}

/**
 * The indicators of one activity for a period. `sessions` and `attendances` are the activity's whole
 * history: 新規 and リピーター look before the period.
 */
export function participationIndicators(input: { sessions: SessionRecord[]; attendances: AttendanceRecord[]; period: Period }): Indicators {
  const { period } = input;
  const present = presentBySession(input.attendances);
  const all = [...input.sessions].sort((a, b) => a.heldOn.localeCompare(b.heldOn) || a.id.localeCompare(b.id));
  const whole = headline(all, present, period);
  return {
    period,
    ...whole.figures,
    retention: whole.retention,
    perMonth: whole.months.map((month) => ({ month, ...figures(whole.during.filter((s) => monthOf(s.heldOn) === month), present) })),
    bySite: grouped(all, present, period, (s) => s.site),
    byTheme: grouped(all, present, period, (s) => s.theme),
    countsOnlySessions: whole.countsOnly.length,
    countsOnlyBreakdown: sumBreakdowns(whole.countsOnly),
  };
}

function sumBreakdowns(sessions: SessionRecord[]): Record<string, Record<string, number>> {
  const sums: Record<string, Record<string, number>> = {};
  for (const s of sessions) {
    for (const [category, counts] of Object.entries(s.breakdown ?? {})) {
      const into = (sums[category] ??= {});
      for (const [value, n] of Object.entries(counts)) into[value] = (into[value] ?? 0) + n;
    }
  }
  return sums;
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The indicators a target can be set for, with their Japanese names. */
export const TARGET_INDICATORS = {
  sessions: '開催回数',
  attendances: '延べ参加者数',
  unique: '実人数',
  newcomers: '新規',
  everySession: '全回出席',
} as const;
export type TargetIndicator = keyof typeof TARGET_INDICATORS;

export const ACHIEVEMENT_RULE = { ja: '達成率 = 実績 ÷ 目標 × 100（小数第1位、四捨五入）', en: 'Achievement = actual ÷ target × 100 (one decimal, half up)' };

/** 達成率 (%), one decimal half up; null without a positive target or an actual. */
export function achievement(actual: number | null, target: number): number | null {
  if (actual === null || !(target > 0)) return null;
  return percent(actual, target, 1);
}
