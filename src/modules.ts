/**
 * The modules the app is made of, in the order their routes are registered.
 * A new module is one line here.
 */
import type { HudumaModule } from '#platform/module.ts';
import { agenciesModule } from '#modules/agencies/index.ts';
import { apiDocsModule } from '#modules/api-docs/index.ts';
import { applicationsModule } from '#modules/applications/index.ts';
import { auditModule } from '#modules/audit/index.ts';
import { authorisationModule } from '#modules/authorisation/index.ts';
import { cardEmulatorModule } from '#modules/card-emulator/index.ts';
import { catalogueModule } from '#modules/catalogue/index.ts';
import { channelAssistedModule } from '#modules/channel-assisted/index.ts';
import { channelCardsModule } from '#modules/channel-cards/index.ts';
import { channelPesaflowModule } from '#modules/channel-pesaflow/index.ts';
import { channelUssdModule } from '#modules/channel-ussd/index.ts';
import { darajaEmulatorModule } from '#modules/daraja-emulator/index.ts';
import { documentsModule } from '#modules/documents/index.ts';
import { federationModule } from '#modules/federation/index.ts';
import { identityModule } from '#modules/identity/index.ts';
import { ledgerModule } from '#modules/ledger/index.ts';
import { notificationsModule } from '#modules/notifications/index.ts';
import { paymentsModule } from '#modules/payments/index.ts';
import { reconciliationModule } from '#modules/reconciliation/index.ts';
import { reportingModule } from '#modules/reporting/index.ts';
import { settlementModule } from '#modules/settlement/index.ts';
import { siteModule } from '#modules/site/index.ts';

export const modules: readonly HudumaModule[] = [
  catalogueModule,
  apiDocsModule,
  auditModule,
  notificationsModule,
  authorisationModule,
  identityModule,
  darajaEmulatorModule,
  cardEmulatorModule,
  ledgerModule,
  paymentsModule,
  reconciliationModule,
  settlementModule,
  reportingModule,
  agenciesModule,
  documentsModule,
  applicationsModule,
  // Ways in besides the web (docs/decisions/0011): each uses the others through index.ts.
  channelCardsModule,
  channelUssdModule,
  channelAssistedModule,
  channelPesaflowModule,
  federationModule,
  siteModule,
];
