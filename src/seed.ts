/** Demo data for an empty database, so a newcomer sees a working portal at once. */
import type { ModuleDeps } from '#platform/module.ts';

export async function seedDemoData(_deps: ModuleDeps): Promise<void> {
  // Each module that ships demo data adds its seeding call here.
}
