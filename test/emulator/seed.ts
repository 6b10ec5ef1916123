// Deterministic account/role data: the same count always yields the same
// accounts, so tests and benchmarks can assert on names and ids.
import type { SeedAccount } from './options';

export const ROLE_POOL = ['AdministratorAccess', 'ReadOnly', 'PowerUser', 'Billing', 'Developer'];

const NAME_POOL = [
  'Sandbox',
  'Production',
  'Staging',
  'Log Archive',
  'Security Tooling',
  'Shared Services',
  'Data Lake',
  'Network Hub',
  'Analytics',
  'Payments',
  'Identity',
  'Backup',
  'Audit',
  'ML Research',
];

/** The special cases, exported so tests can look them up by name. */
export const NON_ASCII_NAME = 'Zürich Données 東京';
export const ZERO_ROLE_NAME = 'Suspended (no roles)';
export const MARKUP_NAME = 'Team "A" <Ops> & Co\'s';

// Small integer hash (xorshift-multiply) so data looks varied but never changes between runs.
function mix(n: number): number {
  let x = (n + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

function accountId(i: number): string {
  // Varied-looking 12-digit ids; the index in the low digits keeps them unique.
  const high = (mix(i) % 900000) + 100000; // 6 digits, never a leading zero
  return `${high}${String(i).padStart(6, '0')}`;
}

function rolesFor(i: number): string[] {
  const count = 1 + (mix(i * 31 + 7) % ROLE_POOL.length);
  const start = mix(i * 17 + 3) % ROLE_POOL.length;
  return Array.from({ length: count }, (_, k) => ROLE_POOL[(start + k) % ROLE_POOL.length]);
}

/** `first`: the index of the first account (another portal's accounts start further on, so their ids differ). */
export function generateAccounts(count: number, specialCases = true, first = 0): SeedAccount[] {
  const out: SeedAccount[] = [];
  for (let i = first; i < first + count; i++) {
    const base = NAME_POOL[mix(i) % NAME_POOL.length];
    let accountName = `${base} ${String(i).padStart(4, '0')}`;
    let roles = rolesFor(i);
    if (specialCases) {
      // Fixed positions so small seeds (the default 5) contain every special case.
      if (i === 1) accountName = NON_ASCII_NAME;
      if (i === 2) {
        accountName = ZERO_ROLE_NAME;
        roles = [];
      }
      if (i === 3) accountName = MARKUP_NAME;
    }
    const slug = base.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    out.push({ accountId: accountId(i), accountName, emailAddress: `aws+${slug}-${i}@example.com`, roles });
  }
  return out;
}

export function resolveAccounts(accounts: number | SeedAccount[], specialCases: boolean, first = 0): SeedAccount[] {
  if (typeof accounts === 'number') return generateAccounts(accounts, specialCases, first);
  for (const a of accounts) {
    if (!/^\d{12}$/.test(a.accountId)) throw new Error(`accountId must be 12 digits: ${a.accountId}`);
  }
  return accounts.map((a) => ({ ...a, roles: [...a.roles] }));
}
