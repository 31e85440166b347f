/**
 * Node's spec reporter without its coverage table: a full `npm test` collects line coverage
 * for the ratchet (tools/coverage.ts), which reports it by folder instead of file by file.
 * When HUDUMA_COVERAGE_FILE is set, the lines found and hit per file are written there.
 */
import { writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { spec } from 'node:test/reporters';
import { linesOfCoverageEvent, type CoverageEvent } from './coverage.ts';

type TestEvent = Readonly<{ type: string; data?: unknown }>;

export default async function* specWithoutCoverage(
  source: AsyncIterable<TestEvent>,
): AsyncGenerator<string> {
  const reporter = new spec();
  const pending: string[] = [];
  reporter.on('data', (chunk: unknown) => pending.push(String(chunk)));
  for await (const event of source) {
    if (event.type !== 'test:coverage') reporter.write(event);
    else if (process.env.HUDUMA_COVERAGE_FILE !== undefined) {
      const files = linesOfCoverageEvent(event.data as CoverageEvent, process.cwd());
      writeFileSync(process.env.HUDUMA_COVERAGE_FILE, JSON.stringify(files));
    }
    // Let the reporter's output of this event arrive before passing it on.
    await new Promise((resolve) => setImmediate(resolve));
    yield* pending.splice(0);
  }
  reporter.end();
  await finished(reporter);
  yield* pending.splice(0);
}
