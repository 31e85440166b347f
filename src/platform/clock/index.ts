export { manualClock, systemClock, type Clock } from './clock.ts';
