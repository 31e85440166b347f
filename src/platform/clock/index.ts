export { manualClock, systemClock, type Clock } from './clock.ts';
export {
  manualScheduler,
  timerScheduler,
  type ManualScheduler,
  type Scheduler,
} from './scheduler.ts';
