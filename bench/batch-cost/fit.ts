/** A least-squares fit of cost = fixed / size + per payment, over measured batch sizes. */
export type SizeCost = Readonly<{
  size: number;
  /** CPU ms per confirmation: this process, the database's backends; wall ms. */
  appMs: number;
  databaseMs: number;
  wallMs: number;
}>;

export type Fit = Readonly<{ fixedMs: number; perPaymentMs: number }>;

/** Fits y = fixed * x + perPayment with x = 1 / size (two or more distinct sizes). */
export function fitLine(points: readonly Readonly<{ size: number; ms: number }>[]): Fit {
  const xs = points.map((point) => 1 / point.size);
  const n = points.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.ms, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const [index, x] of xs.entries()) {
    covariance += (x - meanX) * ((points[index]?.ms ?? 0) - meanY);
    variance += (x - meanX) ** 2;
  }
  if (variance === 0) return { fixedMs: Number.NaN, perPaymentMs: meanY };
  const fixedMs = covariance / variance;
  return { fixedMs, perPaymentMs: meanY - fixedMs * meanX };
}

export function fitFixedCost(results: readonly SizeCost[]): Readonly<{ app: Fit; database: Fit }> {
  return {
    app: fitLine(results.map((row) => ({ size: row.size, ms: row.appMs }))),
    database: fitLine(results.map((row) => ({ size: row.size, ms: row.databaseMs }))),
  };
}
