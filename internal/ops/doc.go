// Package ops is what an operator sees of a running verbatim: the
// /healthz and /metrics endpoints served on HTTP_ADDR, and the privacy of
// the data folder.
//
// # Health
//
// [Health] holds named checks (the gateway, the index, the store), each a
// function that returns nil when its part is well or an error saying what
// is wrong. GET /healthz runs them all and answers 200 with one "name: ok"
// line per check, or 503 with the failing checks' reasons, so that a load
// balancer, systemd or a person with curl can tell a bot that is
// reconnecting from one that is serving.
//
// # Metrics
//
// [Metrics] counts and times what the bot does, in a Prometheus registry
// of its own (not the client library's global one), served as Prometheus
// text on /metrics. Every series of ours is named verbatim_...; the
// standard series of the Go runtime, the process and the handler itself
// (go_..., process_..., promhttp_...) are served beside them.
// docs/operations.md lists the series and suggests alerts on them.
//
// # Serving
//
// [Handler] routes /healthz and /metrics; [Listen] binds an address at
// once, so that a port in use stops the program at start, and serves it
// until closed. [PrivateDir] makes the data folder readable by its owner
// only.
package ops
