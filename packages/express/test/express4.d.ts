// `express4` is an npm alias of express@4 for the tests. Its runtime API is the part both versions share,
// so the Express 5 typings describe it well enough.
declare module 'express4' {
  import express from 'express';
  export default express;
}
