/**
 * The platform's signing keys, loaded once per configuration: the documents routes and any
 * module that issues documents in its own transaction (applications) sign with the same keys.
 * That matters in tests, where loadSigningKeys makes a fresh key at each call: two calls with
 * one configuration must not give two keys, or documents issued by one would be unknown to the
 * /verify of the other.
 */
import type { Config } from '#config';
import { loadSigningKeys, type SigningKeys } from './signing-keys.ts';

type KeyConfig = Parameters<typeof loadSigningKeys>[0];

const loaded = new WeakMap<KeyConfig, Promise<SigningKeys>>();

/** loadSigningKeys(config), remembered for this configuration object. */
export function documentSigningKeys(config: KeyConfig | Config): Promise<SigningKeys> {
  let keys = loaded.get(config);
  if (keys === undefined) {
    keys = loadSigningKeys(config);
    loaded.set(config, keys);
    // A failed load (a malformed key) is not remembered: the next call reports it again.
    keys.catch(() => loaded.delete(config));
  }
  return keys;
}
