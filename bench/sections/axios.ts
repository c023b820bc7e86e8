/** (4) axios: our interceptor vs raw axios vs axios-auth-refresh, client in a child, server in another. */
import { LOAD_CPUS, runChild, startChild } from '../lib/child.js';
import type { Mode } from '../run.js';

export async function benchAxios(mode: Mode, log: (s: string) => void) {
  const server = await startChild<{ port: number }>('servers/echo.ts');
  try {
    const rounds = mode.name === 'quick' ? 3 : Math.max(21, mode.rounds * 4);
    const rows = await runChild<unknown[]>('micro/axios.ts', [String(server.info.port), String(rounds), String(mode.axiosRequests)], {
      cpu: LOAD_CPUS,
    });
    log('  axios done');
    return rows;
  } finally {
    await server.stop();
  }
}
