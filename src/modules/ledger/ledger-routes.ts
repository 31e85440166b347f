/**
 * GET /api/v1/ledger/trial-balance: the trial balance per currency, by account kind, for
 * Treasury and auditors (permission ledger.read). Amounts are minor units as decimal strings:
 * JSON numbers cannot carry every int8 exactly.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ModuleDeps } from '#platform/module.ts';
import { trialBalance, type TrialBalance } from './ledger-report-service.ts';

export const ledgerPaths = { trialBalance: '/api/v1/ledger/trial-balance' } as const;

const MinorAmount = Type.String({
  pattern: '^-?\\d+$', description: 'An amount in minor units (cents), as a decimal string.',
});

const KindBalance = Type.Object({
  kind: Type.String({ description: 'Account kind, e.g. deposits:invoice, suspense.' }),
  type: Type.String(),
  normalSide: Type.Union([Type.Literal('debit'), Type.Literal('credit')]),
  accounts: Type.String({ pattern: '^\\d+$', description: 'How many accounts of this kind.' }),
  debitsMinor: MinorAmount,
  creditsMinor: MinorAmount,
  balanceMinor: Type.String({ pattern: '^-?\\d+$', description: 'Signed by the normal side.' }),
});

const TrialBalanceResponse = Type.Object({
  balanced: Type.Boolean({ description: 'Debits equal credits in every currency.' }),
  currencies: Type.Array(Type.Object({
    currency: Type.String(),
    balanced: Type.Boolean(),
    debitsMinor: MinorAmount,
    creditsMinor: MinorAmount,
    kinds: Type.Array(KindBalance),
  })),
});

export function trialBalanceBody(balance: TrialBalance): Static<typeof TrialBalanceResponse> {
  return {
    balanced: balance.balanced,
    currencies: balance.currencies.map((currency) => ({
      currency: currency.currency,
      balanced: currency.balanced,
      debitsMinor: currency.debits.amountMinor.toString(),
      creditsMinor: currency.credits.amountMinor.toString(),
      kinds: currency.kinds.map((kind) => ({
        kind: kind.kind,
        type: kind.type,
        normalSide: kind.normalSide,
        accounts: kind.accounts.toString(),
        debitsMinor: kind.debits.amountMinor.toString(),
        creditsMinor: kind.credits.amountMinor.toString(),
        balanceMinor: kind.balance.amountMinor.toString(),
      })),
    })),
  };
}

export async function ledgerRoutes(scope: FastifyInstance, deps: ModuleDeps): Promise<void> {
  const app = scope.withTypeProvider<TypeBoxTypeProvider>();
  app.get(ledgerPaths.trialBalance, {
    config: { access: { permission: 'ledger.read' } },
    schema: {
      summary: 'The trial balance per currency, by account kind',
      tags: ['ledger'],
      response: { 200: TrialBalanceResponse },
    },
  }, async (_request, reply) => {
    const body = trialBalanceBody(await trialBalance(deps.db));
    // Money figures: never cached by a shared cache.
    return reply.header('cache-control', 'no-store').send(body);
  });
}
