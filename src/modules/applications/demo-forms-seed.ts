/**
 * The demo services' application forms, written into the catalogue (service.form_schema) so a
 * newcomer can apply for a passport, a driving licence renewal, a certificate of good conduct,
 * a business name or give notice of marriage. Only demo services (origin 'demo') are touched;
 * a form already there is replaced by the current one (idempotent).
 */
import type { Database } from '#platform/db/index.ts';
import { applicationsDb } from './application-repo.ts';
import { demoForms } from './forms/index.ts';

export async function seedDemoForms(deps: Readonly<{ db: Database }>): Promise<number> {
  const db = applicationsDb(deps.db);
  let updated = 0;
  for (const [slug, form] of Object.entries(demoForms)) {
    const result = await db.updateTable('service')
      .set({ form_schema: JSON.stringify(form) } as never)
      .where('slug', '=', slug).where('origin', '=', 'demo').executeTakeFirst();
    updated += Number(result.numUpdatedRows);
  }
  return updated;
}
