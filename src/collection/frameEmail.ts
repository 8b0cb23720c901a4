/**
 * A frame's e-mail column: kept in invitations.email for e-mail invitations, never among the attributes
 * (attributes reach results, rates and exports; an address must not).
 */
export const FRAME_EMAIL_COLUMNS = ['email', 'e-mail', 'メール', 'メールアドレス'] as const;

const emailColumn = (name: string) => (FRAME_EMAIL_COLUMNS as readonly string[]).includes(name.normalize('NFKC').trim().toLowerCase());

/** Splits a unit's columns into its e-mail address (the first non-empty e-mail column) and its attributes. */
export function splitEmail(columns: Record<string, string | null>): { email: string | null; attributes: Record<string, string | null> } {
  let email: string | null = null;
  const attributes: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(columns)) {
    if (!emailColumn(name)) attributes[name] = value;
    else if (email === null && value !== null && value.trim() !== '') email = value.normalize('NFKC').trim();
  }
  return { email, attributes };
}

/** Deliberately loose: one @ with something either side and a dot in the domain; SMTP says the rest. */
export const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
