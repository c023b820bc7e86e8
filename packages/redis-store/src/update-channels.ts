/**
 * Pub/sub wake-ups for `waitForUpdate`: one subscriber connection per store (duplicated from the
 * caller's client on first use), one channel per watched key, subscribed while someone waits on it.
 *
 * A wake-up is only a hint to re-read: callers poll as well, so a subscriber that cannot connect, or a
 * message lost during a reconnect, costs latency, never correctness.
 *
 * @module
 */
import type { Redis } from 'ioredis';

/** A waiter's view of one channel. */
export interface ChannelListener {
  /** Settles once the SUBSCRIBE was answered (or failed: the waiter then relies on polling). */
  ready: Promise<void>;
  /** Resolves on the first message on the channel after `listen`. */
  fired: Promise<void>;
  /** Stop listening; the channel is unsubscribed when its last listener stops. */
  stop(): void;
}

/** The subscriber side of the update channels. */
export interface UpdateChannels {
  listen(channel: string): ChannelListener;
  /** Disconnect the subscriber connection, if one was opened. */
  close(): Promise<void>;
}

interface ChannelState {
  wakers: Set<() => void>;
  subscribed: boolean;
  /** Subscribe and unsubscribe commands for a channel run one after another, in order. */
  op: Promise<void>;
}

/** Create the update channels over a client; the subscriber connection is opened lazily. */
export function createUpdateChannels(redis: Redis, connectTimeoutMs: number): UpdateChannels {
  const channels = new Map<string, ChannelState>();
  let subscriber: Promise<Redis> | undefined;
  let closed = false;

  function connectSubscriber(): Promise<Redis> {
    subscriber ??= (async () => {
      const sub = redis.duplicate({ lazyConnect: true, connectTimeout: connectTimeoutMs });
      // Errors surface on commands; without a listener ioredis would print every reconnect failure.
      sub.on('error', () => {});
      sub.on('message', (channel: string) => {
        const state = channels.get(channel);
        if (state) for (const wake of [...state.wakers]) wake();
      });
      try {
        await sub.connect();
      } catch (err) {
        sub.disconnect();
        throw err;
      }
      if (closed) {
        sub.disconnect();
        throw new Error('closed');
      }
      return sub;
    })();
    // A failed connection is retried by the next waiter rather than cached forever.
    subscriber.catch(() => {
      subscriber = undefined;
    });
    return subscriber;
  }

  function sync(channel: string, state: ChannelState): Promise<void> {
    state.op = state.op
      .then(async () => {
        const want = state.wakers.size > 0 && !closed;
        if (want === state.subscribed) return;
        const sub = await connectSubscriber();
        if (want) await sub.subscribe(channel);
        else await sub.unsubscribe(channel);
        state.subscribed = want;
      })
      .catch(() => {})
      .finally(() => {
        if (state.wakers.size === 0 && !state.subscribed && channels.get(channel) === state) channels.delete(channel);
      });
    return state.op;
  }

  return {
    listen(channel) {
      let state = channels.get(channel);
      if (!state) channels.set(channel, (state = { wakers: new Set(), subscribed: false, op: Promise.resolve() }));
      let wake!: () => void;
      const fired = new Promise<void>((resolve) => {
        wake = resolve;
      });
      state.wakers.add(wake);
      const current = state;
      const ready = sync(channel, current);
      return {
        ready,
        fired,
        stop() {
          if (current.wakers.delete(wake) && current.wakers.size === 0) void sync(channel, current);
        },
      };
    },
    async close() {
      closed = true;
      const pending = subscriber;
      subscriber = undefined;
      const sub = await pending?.catch(() => undefined);
      sub?.disconnect();
    },
  };
}
