// The transport room: a fetch-shaped HTTP client on node:http/node:https with fetch's error
// shapes. Its own room (importing nothing) because two rooms that may not import each other need
// it: the CLI (start-up without undici) and the Garmin client (the service's upstream calls
// without undici's per-call objects). core/ would not do: core is vocabulary without I/O.
export { createNodeFetch, nodeHttpFetch } from './node-fetch.js';
export type { NodeFetchOptions, TransportFetch, TransportHeaders, TransportInit, TransportResponse } from './node-fetch.js';
