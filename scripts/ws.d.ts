// The `ws` package (installed with Observable Framework) ships no types; the replay server uses
// only WebSocketServer's noServer mode.
declare module "ws";
