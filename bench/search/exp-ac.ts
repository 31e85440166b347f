import autocannon from 'autocannon';
const qs = ['pasport', 'driving licence', 'leseni', 'birth cert', 'business name', 'good conduct', 'marriage', 'cheti', 'kibali', 'land search', 'passport renewal', 'ardhi'];
const paths = qs.map((q) => `/api/v1/services?q=${encodeURIComponent(q)}`);
const target = process.argv[4] ?? 'search';
let next = 0; const lat: number[] = [];
const inst = autocannon({ url: 'http://127.0.0.1:3999', connections: Number(process.argv[3] ?? 1), duration: Number(process.argv[2] ?? 10),
  requests: [{ setupRequest: (req: any) => ({ ...req, method: 'GET', path: target === 'search' ? paths[next++ % paths.length] : '/healthz' }) }] } as any, (err: any, res: any) => {
  const s = [...lat].sort((a, b) => a - b); const pct = (p: number) => s[Math.ceil(p / 100 * s.length) - 1];
  console.log(target, 'n', s.length, 'rps', (res.requests.total / res.duration).toFixed(0), 'p50', pct(50)?.toFixed(3), 'p99', pct(99)?.toFixed(3), 'max', s.at(-1)?.toFixed(1));
});
inst.on('response', (_c: any, _s: any, _b: any, t: number) => lat.push(t));
