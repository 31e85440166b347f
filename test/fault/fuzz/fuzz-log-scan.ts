/**
 * A scan of a JSON log line for the shapes of personal data: Kenyan ID and passport numbers
 * (7-9 digits, or a letter and 7 digits), phone numbers (+254 / 254 / 07 / 01 and 8 digits)
 * and e-mail addresses. Only text values are read, and not the fields a log line always has
 * (time, pid, hostname): numbers there are not personal.
 */
const shapes: readonly Readonly<{ name: string; pattern: RegExp }>[] = [
  { name: 'e-mail', pattern: /[^\s@"<>]+@[^\s@"<>]+\.[A-Za-z]{2,}/ },
  { name: 'phone', pattern: /(?:\+?254|\b0)[17]\d{8}\b/ },
  { name: 'passport number', pattern: /\b[A-Z]\d{7}\b/ },
  { name: 'ID number', pattern: /(?<![\d.:-])\d{7,9}(?![\d.:-])/ },
];

const alwaysPresent = new Set(['time', 'pid', 'hostname', 'level']);

/**
 * Generated identifiers (UUIDs, long hex tokens) are not personal, but their digit runs can
 * look like an ID number ("0193a5b2-...-4123456789ab"): they are taken out before the scan.
 */
const identifiers = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}/gi;

function texts(value: unknown, key: string, depth: number, out: string[]): void {
  if (depth > 8 || alwaysPresent.has(key)) return;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' && depth > 1) out.push(String(value));
  else if (typeof value === 'object' && value !== null) {
    for (const [inner, item] of Object.entries(value)) texts(item, inner, depth + 1, out);
  }
}

/** The name of the first personal-data shape in the line, or undefined. */
export function findPersonalData(line: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    parsed = line;
  }
  const values: string[] = [];
  texts(parsed, '', 0, values);
  for (const text of values.map((value) => value.replace(identifiers, ' '))) {
    const found = shapes.find(({ pattern }) => pattern.test(text));
    if (found !== undefined) return found.name;
  }
  return undefined;
}
