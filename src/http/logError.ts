/**
 * Logs a server error without the values it was handling. Database errors from drizzle carry the
 * query's parameters (participants' answers, password hashes) in their message: only the cause is logged.
 */
export function logError(context: string, error: unknown) {
  const cause = (error as { cause?: { message?: string; code?: string } })?.cause;
  if (cause?.message) {
    console.error(`${context}: database error ${cause.code ?? ''} ${cause.message}`);
    return;
  }
  console.error(`${context}:`, error instanceof Error ? (error.stack ?? error.message) : String(error));
}
