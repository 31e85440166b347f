/**
 * Demo people for development and demos (never production: the seed runs only when demo data
 * is on). Their credentials are in the README. The staff share one well-known authenticator
 * secret so anyone can sign in with any authenticator app, or `huduma staff totp-code`.
 */
import type { StaffRole } from '#modules/authorisation/index.ts';
import { uuidv7 } from '#platform/ids/index.ts';
import type { ModuleDeps } from '#platform/module.ts';
import { insertAccountInTrx } from './account-repo.ts';
import { identityDb } from './identity-deps.ts';
import { hashPassword } from './password-hashing.ts';
import { demoPeople } from './register/index.ts';
import { loadSecretBox } from './secret-box.ts';
import { insertStaffInTrx } from './staff-repo.ts';

export const demoCredentials = {
  citizenPassword: 'demo pass phrase',
  citizenPhone: '+254712345678',
  staffPassword: 'demo staff pass',
  /** The RFC 4648 example secret: public on purpose, development only. */
  staffTotpSecret: 'JBSWY3DPEHPK3PXP',
} as const;

type DemoStaff = Readonly<{ email: string; name: string; role: StaffRole; agencySlug?: string }>;

const immigration = 'department-of-immigration-services';
const transport = 'national-transport-and-safety-authority';

export const demoStaff: readonly DemoStaff[] = [
  { email: 'platform.admin@huduma.example', name: 'Pendo Platform', role: 'platform-admin' },
  { email: 'treasury@huduma.example', name: 'Tumaini Treasury', role: 'treasury' },
  // Two finance officers: every outflow needs a maker and a different checker.
  { email: 'finance.maker@huduma.example', name: 'Faraja Finance', role: 'finance-officer' },
  { email: 'finance.checker@huduma.example', name: 'Zawadi Finance', role: 'finance-officer' },
  { email: 'auditor@huduma.example', name: 'Imani Auditor', role: 'auditor' },
  { email: 'admin.immigration@huduma.example', name: 'Daudi Admin', role: 'agency-admin',
    agencySlug: immigration },
  { email: 'supervisor.immigration@huduma.example', name: 'Neema Supervisor',
    role: 'agency-supervisor', agencySlug: immigration },
  { email: 'officer.immigration@huduma.example', name: 'Kibet Officer', role: 'agency-officer',
    agencySlug: immigration },
  { email: 'officer.ntsa@huduma.example', name: 'Akinyi Officer', role: 'agency-officer',
    agencySlug: transport },
  { email: 'supervisor.ntsa@huduma.example', name: 'Otieno Supervisor',
    role: 'agency-supervisor', agencySlug: transport },
  { email: 'officer.marriages@huduma.example', name: 'Wanjiru Officer', role: 'agency-officer',
    agencySlug: 'registrar-of-marriages' },
  { email: 'supervisor.marriages@huduma.example', name: 'Baraka Supervisor',
    role: 'agency-supervisor', agencySlug: 'registrar-of-marriages' },
  { email: 'officer.dci@huduma.example', name: 'Chebet Officer', role: 'agency-officer',
    agencySlug: 'directorate-of-criminal-investigations' },
  { email: 'officer.brs@huduma.example', name: 'Mutua Officer', role: 'agency-officer',
    agencySlug: 'business-registration-service' },
  // A cyber cafe clerk; channel-assisted lists the business in its agent register.
  { email: 'agent.kencom@huduma.example', name: 'Juma Agent', role: 'assisted-agent' },
];

/** Adds what is missing; running it again changes nothing. */
export async function seedIdentityDemoData(deps: ModuleDeps): Promise<{ staff: number }> {
  const db = identityDb(deps);
  const now = deps.clock.now();
  // Every start runs this: when all is there, skip the (deliberately slow) password hashing.
  const present = await db.selectFrom('staff_member').select('email')
    .where('email', 'in', demoStaff.map((member) => member.email)).execute();
  const citizenThere = await db.selectFrom('account').select('id')
    .where('document_type', '=', demoPeople.citizen.documentType)
    .where('document_number', '=', demoPeople.citizen.documentNumber).executeTakeFirst();
  if (citizenThere !== undefined && present.length === demoStaff.length) return { staff: 0 };
  const citizenHash = await hashPassword(demoCredentials.citizenPassword);
  const staffHash = await hashPassword(demoCredentials.staffPassword);
  const box = await loadSecretBox(deps.config);
  const agencies = await db.selectFrom('agency').select(['id', 'slug'])
    .where('slug', 'in', [...new Set(demoStaff.flatMap((member) =>
      member.agencySlug === undefined ? [] : [member.agencySlug]))]).execute();
  const agencyIdOf = new Map(agencies.map((agency) => [agency.slug, agency.id]));
  return db.transaction().execute(async (trx) => {
    const citizen = demoPeople.citizen;
    await insertAccountInTrx(trx, {
      id: uuidv7(now.getTime()), kind: 'citizen', documentType: citizen.documentType,
      documentNumber: citizen.documentNumber, firstName: citizen.firstName,
      middleName: citizen.middleName, lastName: citizen.lastName, birthDate: citizen.birthDate,
      businessName: null, passwordHash: citizenHash, phone: demoCredentials.citizenPhone,
      email: null, codeChannel: 'sms', language: 'en',
    }, now);
    let staff = 0;
    for (const member of demoStaff) {
      const agencyId = member.agencySlug === undefined ? null
        : agencyIdOf.get(member.agencySlug);
      if (agencyId === undefined) continue;
      const id = uuidv7(now.getTime());
      const inserted = await insertStaffInTrx(trx, {
        id, email: member.email, displayName: member.name, role: member.role, agencyId,
        passwordHash: staffHash, totpSecret: box.seal(demoCredentials.staffTotpSecret, id),
        enrolment: null, createdByStaffId: null,
      }, now);
      if (inserted) staff += 1;
    }
    return { staff };
  });
}
