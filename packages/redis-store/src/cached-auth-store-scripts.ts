/**
 * The Lua scripts behind {@link redisCachedAuthStore}. Each runs atomically on the Redis server: a refill
 * and an invalidation of the same record can never interleave, whichever processes send them.
 *
 * Times are the Redis server's `TIME` in microseconds, as decimal strings (exact as Lua doubles, which
 * hold integers up to 2^53), so every comparison uses one clock whatever the clocks of the processes.
 *
 * @module
 */
import { luaScript } from './redis-command.js';

/** Lua prelude: `now`, the server time in microseconds as a decimal string. */
const NOW = `
local t = redis.call('TIME')
local now = t[1] .. string.rep('0', 6 - #t[2]) .. t[2]
`;

/** Lua prelude of the refill scripts: give up (0) if the reader's window passed or a tombstone is newer. */
const REFILL_GUARD = `${NOW}
if tonumber(now) - tonumber(ARGV[2]) > tonumber(ARGV[4]) * 1000 then return 0 end
local function newer(key)
  local at = redis.call('GET', key)
  return at and tonumber(at) >= tonumber(ARGV[2])
end
`;

/**
 * Read one entry and stamp the read. KEYS: entry, [token epoch]. Returns `{ entry or '', epoch or '0',
 * now }`; `now` is the start of the read that a refill later presents.
 */
export const readScript = luaScript(`${NOW}
local value = redis.call('GET', KEYS[1]) or ''
local epoch = '0'
if KEYS[2] then epoch = redis.call('GET', KEYS[2]) or '0' end
return { value, epoch, now }
`);

/**
 * Cache a credential read from the store. KEYS: entry, tombstone. ARGV: JSON, read start, ttl ms, window
 * ms. Refused (0) if the record was invalidated at or after the read started, or the window passed.
 */
export const refillCredentialScript = luaScript(`${REFILL_GUARD}
if newer(KEYS[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
`);

/**
 * Cache a token read from the store and add its hash to its family's set. KEYS: entry, token tombstone,
 * family tombstone, family set, token epoch. ARGV: JSON, read start, ttl ms, window ms, epoch seen at the
 * read, token hash. Also refused if `deleteExpired` ran since the read (the epoch moved).
 */
export const refillTokenScript = luaScript(`${REFILL_GUARD}
if (redis.call('GET', KEYS[5]) or '0') ~= ARGV[5] then return 0 end
if newer(KEYS[2]) or newer(KEYS[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('SADD', KEYS[4], ARGV[6])
redis.call('PEXPIRE', KEYS[4], ARGV[3])
return 1
`);

/**
 * Invalidate records. KEYS: entry and tombstone, pair after pair. ARGV: tombstone ttl ms. Deletes each
 * entry and stamps its tombstone with the time, so reads that started before now are not cached.
 */
export const invalidateScript = luaScript(`${NOW}
for i = 1, #KEYS, 2 do
  redis.call('DEL', KEYS[i])
  redis.call('SET', KEYS[i + 1], now, 'PX', ARGV[1])
end
return #KEYS / 2
`);

/**
 * Invalidate a token family. KEYS: family set, family tombstone. ARGV: tombstone ttl ms, token entry key
 * prefix. Deletes every cached member, the set, and stamps the family tombstone.
 */
export const invalidateFamilyScript = luaScript(`${NOW}
local members = redis.call('SMEMBERS', KEYS[1])
for _, hash in ipairs(members) do redis.call('DEL', ARGV[2] .. hash) end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], now, 'PX', ARGV[1])
return #members
`);
