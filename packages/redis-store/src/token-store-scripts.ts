/**
 * The Lua scripts behind the Redis token store. Each runs atomically on the Redis server, which is what
 * makes compare-and-set and owner-only lock changes hold across processes.
 *
 * @module
 */
import { luaScript } from './redis-command.js';

/**
 * Compare-and-set a token set. KEYS: entry. ARGV: expected version ('' = only if absent), new version,
 * token set JSON, channel, ttl ms (0 = none). Publishes the new version on success.
 */
export const compareAndSetScript = luaScript(`
local current = redis.call('HGET', KEYS[1], 'v')
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 't', ARGV[3])
if tonumber(ARGV[5]) > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
else
  redis.call('PERSIST', KEYS[1])
end
redis.call('PUBLISH', ARGV[4], ARGV[2])
return 1
`);

/**
 * Delete a token set. KEYS: entry. ARGV: '1' to check the version / '0' not to, expected version,
 * channel. Publishes on delete.
 */
export const deleteScript = luaScript(`
if ARGV[1] == '1' and redis.call('HGET', KEYS[1], 'v') ~= ARGV[2] then return 0 end
local deleted = redis.call('DEL', KEYS[1])
if deleted == 1 then redis.call('PUBLISH', ARGV[3], '') end
return deleted
`);

/** Extend a lease iff `ARGV[1]` still owns it. KEYS: lock. ARGV: owner, lease ms. */
export const extendLockScript = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`);

/** Delete a lock iff `ARGV[1]` still owns it. KEYS: lock. ARGV: owner. */
export const releaseLockScript = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);
