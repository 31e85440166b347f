/** Reads a V8 CPU profile (node --cpu-prof): self time by function and by package. */

export type CpuProfile = Readonly<{
  nodes: readonly Readonly<{ id: number; callFrame: Readonly<{ functionName: string;
    url: string; lineNumber: number }> }>[];
  samples: readonly number[];
  timeDeltas: readonly number[];
}>;

export type CpuShare = Readonly<{ name: string; ms: number }>;

export type CpuSummary = Readonly<{
  totalMs: number;
  byFunction: readonly CpuShare[];
  byPackage: readonly CpuShare[];
}>;

/** Where a function's code lives: a package, Node itself, our source folder, or V8's own. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (built-in modules)';
  const modules = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules?.[1] !== undefined) return modules[1];
  const source = /\/(src\/(?:modules|platform)\/[^/]+|src|bench\/[^/]+)\//.exec(url);
  return source?.[1] ?? url;
}

function top(totals: ReadonlyMap<string, number>, count: number): CpuShare[] {
  return [...totals.entries()].map(([name, us]) => ({ name, ms: us / 1000 }))
    .sort((a, b) => b.ms - a.ms).slice(0, count);
}

export function cpuByFunction(profile: CpuProfile, count = 20): CpuSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  for (const [index, id] of profile.samples.entries()) {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = byId.get(id);
    if (frame === undefined) continue;
    totalUs += delta;
    const where = packageOf(frame.url, frame.functionName);
    const file = frame.url.split('/').at(-1) ?? '';
    const name = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + delta);
    packages.set(where, (packages.get(where) ?? 0) + delta);
  }
  return { totalMs: totalUs / 1000, byFunction: top(functions, count),
    byPackage: top(packages, count) };
}
