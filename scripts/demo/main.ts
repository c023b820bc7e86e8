/**
 * `pnpm demo`: start the demo system in the foreground until Ctrl-C. Apps that are not written yet are
 * skipped with a warning. NEXT_MODE=start runs `next start` (build first) instead of `next dev`.
 */
import { availableApps, DEMO_APPS, startDemo } from './start-demo.js';

const nextMode = process.env.NEXT_MODE === 'start' ? 'start' : 'dev';
const apps = availableApps(nextMode);
for (const app of DEMO_APPS.filter((a) => !apps.includes(a))) console.warn(`[demo] skipping ${app}: not there yet`);

try {
  const demo = await startDemo({ nextMode, apps });
  console.log('[demo] press Ctrl-C to stop');
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[demo] stopping...');
    demo.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
} catch (err) {
  console.error(`[demo] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
