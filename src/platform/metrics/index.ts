export { Counter, Histogram, MetricsRegistry } from './registry.ts';
