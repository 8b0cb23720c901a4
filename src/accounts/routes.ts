import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { hashPassword } from '../auth/password.js';
import { owned } from '../auth/scope.js';
import { newToken, sha256 } from '../auth/secrets.js';
import { requireRole, requireWholeOrganisation, roleAtLeast, type Role, type Staff, type StaffEnv } from '../auth/staff.js';
import type { Database, Db } from '../db/database.js';
import { apiTokens, organisations, sessions, studies, studyGrants, users } from '../db/schema.js';
import { apiRoute, apiRouter, failures, idParam, jsonBody, jsonResponse, lookupFirst, noContent } from '../http/openapi.js';
import { uuidParam } from '../http/params.js';
import { problems } from '../http/problem.js';
import { audit } from './audit.js';
import { auditPageSchema, createdTokenSchema, createdUserSchema, listedTokenSchema, organisationSettingsSchema, supportContactSchema, userWithStudiesSchema } from './schemas.js';
import { describeUser, passwordField } from './authRoutes.js';
import { auditQuery, describeOrganisation, describeToken, grantsOf, listAudit, listTokens, listUsers, organisationSettings } from './listings.js';

const role = z.enum(['admin', 'editor', 'evaluator']);
const email = z.string().trim().toLowerCase().max(254).pipe(z.email());

const createUserSchema = z
  .object({
    email,
    name: z.string().trim().min(1).max(200),
    role,
    password: passwordField.optional(),
    /** Limits the user to these studies (evaluators only), e.g. a university evaluator of one programme. */
    studyIds: z.array(z.uuid()).min(1).max(100).optional(),
  })
  .strict()
  .refine((v) => !v.studyIds || v.role === 'evaluator', { message: 'Only evaluators can be limited to studies.', path: ['studyIds'] });

const updateUserSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    role: role.optional(),
    password: passwordField.optional(),
    /** With a new password: also revoke the user's API tokens (default), as a stolen password may have made some. */
    revokeTokens: z.boolean().optional(),
    /** A list limits the user to those studies; null gives back access to the whole organisation. */
    studyIds: z.array(z.uuid()).max(100).nullable().optional(),
  })
  .strict();

const tokenSchema = z.object({ label: z.string().trim().min(1).max(100), role: role.optional() }).strict();
const organisationSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    suppressionK: z.number().int().min(0).max(100).optional(),
    contact: z.string().trim().max(1000).nullable().optional(),
    supportContacts: z.array(supportContactSchema).max(10).nullable().optional(),
  })
  .strict();

/** Users, API tokens, organisation settings and the audit log. */
export function accountRoutes(database: Database) {
  const { db } = database;
  const app = apiRouter<StaffEnv>();
  const admin = [requireRole('admin'), requireWholeOrganisation()];
  const userParams = idParam('User');

  // ---- users (admin) ----
  const userList = apiRoute({
    method: 'get',
    path: '/users',
    summary: "The organisation's users (admins)",
    middleware: admin,
    responses: { 200: jsonResponse(z.object({ users: z.array(userWithStudiesSchema) }), 'The users'), ...failures(403) },
  });
  app.openapi(userList, async (c) => c.json({ users: await listUsers(db, c.get('staff')) }));

  const oneUser = apiRoute({
    method: 'get',
    path: '/users/{id}',
    summary: 'One user (admins)',
    middleware: admin,
    request: { params: userParams },
    responses: { 200: jsonResponse(userWithStudiesSchema, 'The user'), ...failures(403, 404) },
  });
  app.openapi(oneUser, async (c) => {
    const staff = c.get('staff');
    const user = await loadUser(db, staff, c.req.param('id'));
    const grants = await grantsOf(db, staff, [user.id]);
    return c.json({ ...describeUser(user), studyIds: user.studyScoped ? (grants.get(user.id) ?? []) : null });
  });

  const newUser = apiRoute({
    method: 'post',
    path: '/users',
    summary: 'Add a user (admins); without a password a temporary one is returned once',
    middleware: admin,
    request: { body: jsonBody(createUserSchema) },
    responses: { 201: jsonResponse(createdUserSchema, 'The user'), ...failures(400, 403, 409, 415, 422) },
  });
  app.openapi(newUser, async (c) => {
    const staff = c.get('staff');
    const input = c.req.valid('json');
    if (input.studyIds) await checkStudies(db, staff, input.studyIds);
    const temporaryPassword = input.password ? undefined : newToken(12);
    const passwordHash = await hashPassword(input.password ?? temporaryPassword!);
    const created = await db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ organisationId: staff.organisationId, email: input.email, name: input.name, role: input.role, passwordHash, studyScoped: !!input.studyIds })
        .onConflictDoNothing({ target: [users.organisationId, users.email] })
        .returning();
      if (!user) {
        throw problems.conflict('This organisation already has a user with that email.', {
          title_ja: '登録済みです',
          detail_ja: 'このメールアドレスの利用者は、この団体にすでに登録されています。',
        });
      }
      if (input.studyIds) await tx.insert(studyGrants).values(input.studyIds.map((studyId) => ({ organisationId: staff.organisationId, userId: user.id, studyId })));
      await audit(tx, staff, 'user.created', user.id, { role: input.role, studyIds: input.studyIds ?? null });
      return user;
    });
    return c.json({ ...describeUser(created), studyIds: input.studyIds ?? null, ...(temporaryPassword ? { temporaryPassword, note: 'Shown only now. Ask the user to change it after logging in.' } : {}) }, 201);
  });

  const changeUser = apiRoute({
    method: 'patch',
    path: '/users/{id}',
    summary: "Change a user's name, role, password or studies (admins); a new password or role ends their sessions",
    middleware: [...admin, lookupFirst<StaffEnv>((c, id) => loadUser(db, c.get('staff'), id))],
    request: { params: userParams, body: jsonBody(updateUserSchema) },
    responses: { 200: jsonResponse(userWithStudiesSchema, 'The user'), ...failures(400, 403, 404, 409, 415, 422) },
  });
  app.openapi(changeUser, async (c) => {
    const staff = c.get('staff');
    const user = await loadUser(db, staff, c.req.param('id'));
    const input = c.req.valid('json');
    const newRole = input.role ?? user.role;
    if (input.studyIds && newRole !== 'evaluator') throw problems.unprocessable('Only evaluators can be limited to studies.', [{ field: 'studyIds', message: 'evaluators only' }]);
    if (input.studyIds) await checkStudies(db, staff, input.studyIds);
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    const updated = await db.transaction(async (tx) => {
      if (user.role === 'admin' && newRole !== 'admin') await keepAnAdmin(tx, staff.organisationId, user.id);
      const scoped = input.studyIds === undefined ? user.studyScoped && newRole === 'evaluator' : input.studyIds !== null;
      const [row] = await tx
        .update(users)
        .set({ name: input.name ?? user.name, role: newRole, studyScoped: scoped, ...(passwordHash ? { passwordHash } : {}) })
        .where(owned(users, staff, user.id))
        .returning();
      if (input.studyIds !== undefined || !scoped) {
        await tx.delete(studyGrants).where(eq(studyGrants.userId, user.id));
        if (input.studyIds?.length) await tx.insert(studyGrants).values(input.studyIds.map((studyId) => ({ organisationId: staff.organisationId, userId: user.id, studyId })));
      }
      // A new password or any change of role ends the user's sessions: pages cached the old role.
      if (passwordHash || newRole !== user.role) await tx.delete(sessions).where(eq(sessions.userId, user.id));
      const revoked =
        passwordHash && input.revokeTokens !== false
          ? await tx.update(apiTokens).set({ revokedAt: new Date() }).where(and(eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt))).returning({ id: apiTokens.id })
          : [];
      await audit(tx, staff, 'user.updated', user.id, { role: input.role, name: input.name !== undefined, password: !!passwordHash, revokedTokens: revoked.length, studyIds: input.studyIds });
      return row;
    });
    const grants = await grantsOf(db, staff, [updated.id]);
    return c.json({ ...describeUser(updated), studyIds: updated.studyScoped ? (grants.get(updated.id) ?? []) : null });
  });

  const deleteUser = apiRoute({
    method: 'delete',
    path: '/users/{id}',
    summary: 'Delete a user (admins); never yourself or the last admin',
    middleware: admin,
    request: { params: userParams },
    responses: { 204: noContent, ...failures(403, 404, 409) },
  });
  app.openapi(deleteUser, async (c) => {
    const staff = c.get('staff');
    const user = await loadUser(db, staff, c.req.param('id'));
    if (user.id === staff.userId) throw problems.conflict('You cannot delete your own account.');
    await db.transaction(async (tx) => {
      if (user.role === 'admin') await keepAnAdmin(tx, staff.organisationId, user.id);
      await tx.delete(users).where(owned(users, staff, user.id));
      await audit(tx, staff, 'user.deleted', user.id, { email: user.email, role: user.role });
    });
    return c.body(null, 204);
  });

  // ---- API tokens ----
  const tokenList = apiRoute({
    method: 'get',
    path: '/tokens',
    summary: "The caller's API tokens; all=1 lists the organisation's (whole-organisation admins)",
    request: { query: z.object({ all: z.string().optional().describe('1: every token of the organisation') }) },
    responses: { 200: jsonResponse(z.object({ tokens: z.array(listedTokenSchema) }), 'The tokens') },
  });
  app.openapi(tokenList, async (c) => {
    const staff = c.get('staff');
    const all = c.req.valid('query').all === '1' && staff.role === 'admin' && !staff.studyIds;
    return c.json({ tokens: await listTokens(db, staff, all) });
  });

  const createToken = apiRoute({
    method: 'post',
    path: '/tokens',
    summary: 'Create an API token with the caller\'s role or a lower one; the token is shown once',
    request: { body: jsonBody(tokenSchema) },
    responses: { 201: jsonResponse(createdTokenSchema, 'The token'), ...failures(400, 403, 415) },
  });
  app.openapi(createToken, async (c) => {
    const staff = c.get('staff');
    const input = c.req.valid('json');
    const tokenRole: Role = input.role ?? staff.role;
    if (!roleAtLeast(staff.role, tokenRole)) throw problems.forbidden(`You cannot create a token with the ${tokenRole} role.`);
    const token = newToken(32);
    const row = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(apiTokens)
        .values({ userId: staff.userId, organisationId: staff.organisationId, label: input.label, tokenHash: sha256(token), role: tokenRole })
        .returning();
      await audit(tx, staff, 'token.created', created.id, { label: input.label, role: tokenRole });
      return created;
    });
    return c.json({ ...describeToken(row), token, note: 'The token is shown only now; it is stored hashed.' }, 201);
  });

  const revokeToken = apiRoute({
    method: 'delete',
    path: '/tokens/{id}',
    summary: 'Revoke an API token (your own; admins: any of the organisation)',
    request: { params: idParam('Token') },
    responses: { 204: noContent, ...failures(403, 404) },
  });
  app.openapi(revokeToken, async (c) => {
    const staff = c.get('staff');
    const id = uuidParam(c.req.param('id'), 'Token');
    const mine = staff.role === 'admin' && !staff.studyIds ? undefined : eq(apiTokens.userId, staff.userId);
    const [row] = await db.select().from(apiTokens).where(and(owned(apiTokens, { ...staff, studyIds: null }, id), mine));
    if (!row) throw problems.notFound('Token');
    await db.transaction(async (tx) => {
      await tx.update(apiTokens).set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` }).where(eq(apiTokens.id, row.id));
      await audit(tx, staff, 'token.revoked', row.id, { label: row.label });
    });
    return c.body(null, 204);
  });

  // ---- organisation settings ----
  const settings = apiRoute({
    method: 'get',
    path: '/organisation',
    summary: "The organisation's settings",
    responses: { 200: jsonResponse(organisationSettingsSchema, 'The settings') },
  });
  app.openapi(settings, async (c) => c.json(await organisationSettings(db, c.get('staff'))));

  const changeSettings = apiRoute({
    method: 'patch',
    path: '/organisation',
    summary: "Rename the organisation, set its suppression k for shared outputs, its contact and support contacts for participants (admins)",
    middleware: admin,
    request: { body: jsonBody(organisationSchema) },
    responses: { 200: jsonResponse(organisationSettingsSchema, 'The settings'), ...failures(400, 403, 415) },
  });
  app.openapi(changeSettings, async (c) => {
    const staff = c.get('staff');
    const input = c.req.valid('json');
    const org = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(organisations)
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.suppressionK !== undefined ? { suppressionK: input.suppressionK } : {}),
          ...(input.contact !== undefined ? { contact: input.contact || null } : {}),
          ...(input.supportContacts !== undefined ? { supportContacts: input.supportContacts?.length ? input.supportContacts : null } : {}),
        })
        .where(eq(organisations.id, staff.organisationId))
        .returning();
      await audit(tx, staff, 'organisation.updated', staff.organisationId, input);
      return row;
    });
    return c.json(describeOrganisation(org));
  });

  // ---- audit log (admin) ----
  const auditLog = apiRoute({
    method: 'get',
    path: '/audit',
    summary: "The organisation's audit log, newest first (admins); pass `next` as `before` for the following page",
    middleware: admin,
    request: { query: auditQuery },
    responses: { 200: jsonResponse(auditPageSchema, 'One page of events'), ...failures(400, 403) },
  });
  app.openapi(auditLog, async (c) => c.json(await listAudit(db, c.get('staff'), c.req.valid('query'))));

  return app;
}

async function loadUser(db: Db, staff: Staff, id: string) {
  const [user] = await db.select().from(users).where(owned(users, staff, uuidParam(id, 'User')));
  if (!user) throw problems.notFound('User');
  return user;
}

async function checkStudies(db: Db, staff: Staff, studyIds: string[]) {
  const found = await db.select({ id: studies.id }).from(studies).where(and(owned(studies, staff), inArray(studies.id, studyIds)));
  if (found.length !== new Set(studyIds).size) throw problems.unprocessable('Unknown study.', [{ field: 'studyIds', message: 'not found' }]);
}

/** An organisation never loses its last admin (locks the admins so two demotions cannot race). */
async function keepAnAdmin(tx: Pick<Db, 'select'>, organisationId: string, leaving: string) {
  const others = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organisationId, organisationId), eq(users.role, 'admin'), ne(users.id, leaving)))
    .for('update');
  if (others.length === 0) throw problems.conflict('This is the last admin of the organisation; make someone else admin first.');
}

