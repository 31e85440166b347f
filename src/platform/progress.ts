/**
 * Progress for long commands: a bar redrawn in place on a terminal, and a line every few
 * seconds elsewhere (CI logs), so a long import never looks hung.
 */

export type Progress = Readonly<{
  tick: (count?: number) => void;
  setTotal: (total: number) => void;
  done: (summary?: string) => void;
}>;

const redrawIntervalMs = 100;
const plainIntervalMs = 5_000;
const barWidth = 30;

export function startProgress(
  label: string,
  total: number | undefined,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  let current = 0;
  let knownTotal = total;
  const startedAt = Date.now();
  let lastDrawAt = 0;
  const interactive = stream.isTTY;
  const draw = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastDrawAt < (interactive ? redrawIntervalMs : plainIntervalMs)) return;
    lastDrawAt = now;
    const seconds = ((now - startedAt) / 1000).toFixed(1);
    const rate = Math.round(current / Math.max((now - startedAt) / 1000, 0.001));
    let text: string;
    if (knownTotal !== undefined && knownTotal > 0) {
      const fraction = Math.min(current / knownTotal, 1);
      const filled = Math.round(fraction * barWidth);
      const bar = `${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}`;
      text = `${label} [${bar}] ${current}/${knownTotal} ${Math.floor(fraction * 100)}% ` +
        `${seconds}s ${rate}/s`;
    } else {
      text = `${label} ${current} ${seconds}s ${rate}/s`;
    }
    stream.write(interactive ? `\r${text}\u001b[K` : `${text}\n`);
  };
  return {
    tick: (count = 1) => {
      current += count;
      draw(false);
    },
    setTotal: (value) => {
      knownTotal = value;
    },
    done: (summary) => {
      draw(true);
      if (interactive) stream.write('\n');
      if (summary !== undefined) stream.write(`${summary}\n`);
    },
  };
}
