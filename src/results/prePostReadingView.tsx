/** @jsxImportSource hono/jsx */
import type { FC } from 'hono/jsx';
import { prePostReading } from '../../analysis/index.js';
import type { studyPrePost } from './prepost.js';

export type PrePost = Awaited<ReturnType<typeof studyPrePost>>;

/** The reading of a pre/post report (pure prePostReading on its paired figures), in Japanese with English below. */
export const PrePostReadingBlock: FC<{ report: PrePost }> = ({ report }) => {
  const p = report.paired;
  const direction = report.scaleDirection;
  const reading = prePostReading({
    n: p?.n ?? 0,
    preMean: p?.pre.mean ?? null,
    postMean: p?.post.mean ?? null,
    meanDiff: p?.meanDiff ?? null,
    ci: p?.tTest.ci ?? null,
    p: p?.tTest.p ?? null,
    dz: p?.dz ?? null,
    higherIs: direction.higherIs ?? undefined,
    direction: direction.text ?? undefined,
  });
  return (
    <div class={`reading reading-${reading.verdict}`} id="reading">
      <h3>結果の読み方 <span class="en">Plain reading</span></h3>
      <p lang="ja">{reading.ja}</p>
      <p class="en" lang="en">{reading.en}</p>
    </div>
  );
};
