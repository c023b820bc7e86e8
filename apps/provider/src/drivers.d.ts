// The drivers' own @types packages are not dependencies of this app: app-db.ts types the few calls it
// makes itself.
declare module 'better-sqlite3';
declare module 'pg';
