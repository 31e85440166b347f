import assert from 'node:assert/strict';
import { it } from 'node:test';
import { channelLabel } from './documents-views.ts';

it('a receipt names the way it was paid, card included, and "other" for anything unknown', () => {
  const t = (key: string) => key;
  assert.equal(channelLabel(t, 'card'), 'documents.channel.card');
  assert.equal(channelLabel(t, 'mpesa_c2b'), 'documents.channel.mpesa_c2b');
  assert.equal(channelLabel(t, 'bank'), 'documents.channel.other');
});
