/** Every subcommand of `huduma`. A new command is one line here. */
import { auditVerifyCommand } from './audit-verify-command.ts';
import { catalogueGenerateCommand } from './catalogue-generate-command.ts';
import { catalogueImportCommand } from './catalogue-import-command.ts';
import type { CliCommand } from './cli-command.ts';
import { darajaEmulatorCommand } from './daraja-emulator-command.ts';
import { documentVerifyCommand } from './document-verify-command.ts';
import { ledgerCheckCommand } from './ledger-check-command.ts';
import { migrateCommand } from './migrate-command.ts';
import { paymentsSweepCommand } from './payments-sweep-command.ts';
import { reconcileCommand } from './reconcile-command.ts';
import { settlePrepareCommand, settleStatusCommand } from './settle-command.ts';
import { staffCreateCommand, staffTotpCodeCommand } from './staff-command.ts';

export const commands: readonly CliCommand[] = [
  migrateCommand,
  auditVerifyCommand,
  catalogueImportCommand,
  catalogueGenerateCommand,
  darajaEmulatorCommand,
  documentVerifyCommand,
  ledgerCheckCommand,
  paymentsSweepCommand,
  reconcileCommand,
  settlePrepareCommand,
  settleStatusCommand,
  staffCreateCommand,
  staffTotpCodeCommand,
];
