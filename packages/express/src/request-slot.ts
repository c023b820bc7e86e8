/**
 * Where `req.auth` (and `req.signIn`) live.
 *
 * Express gives every request its app's prototype (`Object.setPrototypeOf(req, app.request)`), and V8
 * then has no cached shape for a property added to that object: adding `req.auth` builds a new hidden
 * class on every request, measured at about 1.1 µs in place and 2-4 µs of server CPU per request under
 * load (3-4% of an Express request; passport's `req.user` pays the same). So each slot is an accessor on
 * Express' base request prototype, the object every app's `app.request` inherits from, installed once
 * per process the first time it is set, and the value is kept under a symbol in `res.locals`, a plain
 * object Express creates for every response, where adding a key is cheap.
 *
 * Reading and assigning `req.auth` work as before, in mounted sub-apps and after leaving them too (one
 * response, one `res.locals`). What differs: `req.auth` is not an own property of the request (spread
 * copies and `Object.hasOwn` do not see it), and replacing `res.locals` with a new object drops it (a
 * spread copy keeps it: symbols are copied). A request whose prototype chain is not Express' (a test
 * double), or whose base prototype already defines the name, gets a plain property.
 *
 * @module
 */
import { IncomingMessage } from 'node:http';

interface RequestWithLocals {
  res?: { locals?: Record<PropertyKey, unknown> } | undefined;
}

function localsOf(req: RequestWithLocals): Record<PropertyKey, unknown> | undefined {
  const locals = req.res?.locals;
  return typeof locals === 'object' && locals !== null ? locals : undefined;
}

/**
 * The object just above `IncomingMessage.prototype` in the request's prototype chain: Express' own
 * `request` prototype (the one `express.request` exports), shared by every app of that Express copy.
 */
function expressBase(req: object): object | undefined {
  let proto: object | null = Object.getPrototypeOf(req) as object | null;
  for (let depth = 0; proto !== null && depth < 8; depth++) {
    const parent = Object.getPrototypeOf(proto) as object | null;
    if (parent === IncomingMessage.prototype) return proto;
    proto = parent;
  }
  return undefined;
}

/** Define `name` on `base` as an accessor over `res.locals[key]`, unless `base` already has it. */
function install(base: object, name: string, key: symbol): boolean {
  if (Object.getOwnPropertyDescriptor(base, name) !== undefined) return false;
  Object.defineProperty(base, name, {
    configurable: true,
    enumerable: false,
    get(this: RequestWithLocals): unknown {
      return localsOf(this)?.[key];
    },
    set(this: RequestWithLocals, value: unknown) {
      const locals = localsOf(this);
      if (locals) locals[key] = value;
      else Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    },
  });
  return true;
}

/**
 * A setter for `req[name]` that installs the accessor on the first request of each Express copy. The
 * key in `res.locals` is a symbol, so templates and `Object.keys(res.locals)` never see it.
 */
export function requestSlot<T>(name: string): (req: object, value: T) => void {
  const key = Symbol.for(`@auth/express:${name}`);
  /** Base prototypes already looked at: `true` when the accessor is installed on it. */
  const bases = new WeakMap<object, boolean>();
  /** The prototype of the last request seen: its chain was looked at already (one app is the common case). */
  let lastPrototype: object | null = null;
  return (req, value) => {
    const prototype = Object.getPrototypeOf(req) as object | null;
    if (prototype !== lastPrototype) {
      const base = expressBase(req);
      if (base !== undefined && !bases.has(base)) bases.set(base, install(base, name, key));
      lastPrototype = prototype;
    }
    (req as Record<string, unknown>)[name] = value;
  };
}
