//go:build !peer

package retrieval

// peerEngines are the engines verbatim is compared with; none without
// the build tag peer (see peer_test.go).
func peerEngines() []benchEngine { return nil }
