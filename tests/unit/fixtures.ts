import { readFileSync } from 'node:fs';

// Goldens computed once by fixtures/make_goldens.py (scipy / R); each value sits next to its exact call.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const goldens: any = JSON.parse(readFileSync(new URL('./fixtures/goldens.json', import.meta.url), 'utf8'));

// Goldens of issue 12 ("Numbers"), computed once by fixtures/make_goldens_tails.py (R), in the same form.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const goldensTails: any = JSON.parse(readFileSync(new URL('./fixtures/goldens_tails.json', import.meta.url), 'utf8'));

export const sky: { pre: Record<string, number>; post: Record<string, number> } = JSON.parse(
  readFileSync(new URL('./fixtures/sky.json', import.meta.url), 'utf8'),
);
