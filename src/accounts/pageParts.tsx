/** Pieces shared by the account staff pages. */
import type { Role } from '../auth/staff.js';

export const ROLES: { key: Role; ja: string; en: string }[] = [
  { key: 'admin', ja: '管理者', en: 'admin' },
  { key: 'editor', ja: '編集者', en: 'editor' },
  { key: 'evaluator', ja: '評価者', en: 'evaluator' },
];

export const roleLabel = (role: Role) => {
  const r = ROLES.find((x) => x.key === role)!;
  return `${r.ja} ${r.en}`;
};

export function RoleOptions(props: { roles?: Role[]; selected?: Role }) {
  return (
    <>
      {ROLES.filter((r) => !props.roles || props.roles.includes(r.key)).map((r) => (
        <option value={r.key} selected={r.key === props.selected}>
          {r.ja} {r.en}
        </option>
      ))}
    </>
  );
}

/** Where a page script shows the API's problems for a form (staffApi.showProblems). */
export function FormProblems() {
  return <div class="problems" role="alert" data-problems hidden></div>;
}
