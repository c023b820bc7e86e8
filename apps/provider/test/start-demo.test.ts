/** The orchestrator (scripts/demo): seeds, starts the provider as a child process group, stops it. */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningDemo, startDemo } from '../../../scripts/demo/start-demo.js';
import { freePort, tempDataDir } from './harness.js';

const data = tempDataDir();
let demo: RunningDemo | undefined;
afterAll(async () => {
  await demo?.stop();
  data.remove();
});

describe('startDemo', () => {
  it('starts a subset (the provider), returns URLs and credentials, and stop() ends the process group', async () => {
    const lines: string[] = [];
    const port = await freePort();
    demo = await startDemo({ apps: ['provider'], nextMode: 'dev', dataDir: data.dir, ports: { provider: port }, log: (l) => lines.push(l) });
    expect(demo.urls.provider).toBe(`http://127.0.0.1:${port}`);
    expect(demo.credentials.issuer).toBe(demo.urls.provider);
    const res = await fetch(`${demo.urls.provider}/v1/me`, { headers: { authorization: `Bearer ${demo.credentials.personalToken}` } });
    expect(res.status).toBe(200);
    expect(lines.join('\n')).toContain('Demo system is running');
    expect(lines.join('\n')).toContain(`[provider] [provider] listening on ${demo.urls.provider}`);

    await demo.stop();
    await expect(fetch(`${demo.urls.provider}/health`)).rejects.toThrow();
    await demo.stop(); // twice is fine
  }, 90_000);

  it('fails with the app\'s output when it cannot start (port taken), leaving nothing running', async () => {
    const blocker = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      await expect(startDemo({ apps: ['provider'], nextMode: 'dev', dataDir: data.dir, ports: { provider: port }, log: () => {}, readyTimeoutMs: 30_000 })).rejects.toThrow(
        /provider exited .*EADDRINUSE/s,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);
});
