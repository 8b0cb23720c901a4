import { problems } from './problem.js';

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids that are not UUIDs cannot exist; answering 404 early keeps a cast error out of the database. */
export function uuidParam(value: string, what = 'The requested item'): string {
  if (!uuidShape.test(value)) throw problems.notFound(what);
  return value;
}
