/**
 * Time in the emulator: notifications, retries and refunds happen "later" through the
 * platform's Scheduler, so the app uses timers and tests a manual scheduler that runs what
 * falls due when told.
 */
export {
  manualScheduler,
  timerScheduler,
  type ManualScheduler,
  type Scheduler,
} from '#platform/clock/index.ts';
