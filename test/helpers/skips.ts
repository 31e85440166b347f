/**
 * Skipped tests are announced loudly on stderr, and recorded in a file the test runner
 * (tools/test-all.ts) reads to print a summary at the end. CI sets HUDUMA_REQUIRE_ALL_TESTS=1,
 * which turns every such skip into a failure.
 */
import { appendFileSync } from 'node:fs';

export const requireAllTests = process.env.HUDUMA_REQUIRE_ALL_TESTS === '1';

const banner = '!'.repeat(78);

export function reportSkip(message: string): void {
  process.stderr.write(`\n${banner}\nSKIPPED: ${message}\n${banner}\n\n`);
  const file = process.env.HUDUMA_SKIP_REPORT_FILE;
  if (file !== undefined && file !== '') appendFileSync(file, `${message}\n`);
}
