package bot

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Limits of the interactions endpoint.
const (
	// maxInteractionBody bounds a request body: interactions are a few
	// KiB, even with resolved messages.
	maxInteractionBody = 1 << 20
	// signatureMaxAge is how far a request's signed timestamp may be from
	// the clock, either way: an older request is a replay.
	signatureMaxAge = 5 * time.Minute
	// replyWithin is how long the endpoint waits for the first response.
	// Discord waits 3 seconds; serve defers well before.
	replyWithin = 3 * time.Second
)

// InteractionsHandler serves Discord's HTTP interactions endpoint (the
// application's Interactions Endpoint URL), for replicas behind a load
// balancer: Discord then sends interactions by HTTP, not on the gateway.
//
// Every request must be signed: X-Signature-Ed25519 is the hex Ed25519
// signature, by the application's key whose public half is publicKey, of
// X-Signature-Timestamp followed by the body. A request without a valid
// signature, or whose timestamp is more than five minutes from the clock
// (a replay), gets 401. A PING gets a PONG. Commands, components and
// autocomplete go to the same handlers as on the gateway; their first
// response is the HTTP reply, and an answer that takes long is a deferral
// followed by an edit over REST, as on the gateway. Guilds are not checked
// against the shard: any replica serves any interaction.
//
// The handler is safe for concurrent use.
func (b *Bot) InteractionsHandler(publicKey ed25519.PublicKey) http.Handler {
	return &endpoint{b: b, key: publicKey}
}

type endpoint struct {
	b   *Bot
	key ed25519.PublicKey
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read the request body", http.StatusBadRequest)
		return
	}
	if !verifySignature(e.key, r.Header.Get("X-Signature-Ed25519"), r.Header.Get("X-Signature-Timestamp"), body, e.b.now()) {
		e.b.log.Debug("interaction refused: bad signature", "remote", r.RemoteAddr)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		e.b.log.Warn("signed interaction that does not decode", "err", err)
		http.Error(w, "cannot decode the interaction", http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeJSON(w, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}

	res := newHTTPResponder(e.b.session, &i)
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.b.handleInteraction(res, &i)
	}()
	timer := time.NewTimer(replyWithin)
	defer timer.Stop()
	select {
	case first := <-res.first:
		err := writeJSON(w, first)
		res.sent(err)
	case <-done:
		// The handler ended without a response: an interaction type the
		// bot does not serve.
		res.sent(errNoReply)
		http.Error(w, "interaction type not served", http.StatusBadRequest)
	case <-timer.C:
		res.sent(errNoReply)
		e.b.log.Error("interaction not answered in time over HTTP", "type", i.Type)
		http.Error(w, "no response in time", http.StatusInternalServerError)
	case <-r.Context().Done():
		res.sent(r.Context().Err())
	}
}

// errNoReply is what respond returns when the HTTP reply went out without
// the response (too late, or the request gone).
var errNoReply = errors.New("the HTTP reply was sent without this response")

// writeJSON writes v as the JSON body of a 200 reply.
func writeJSON(w http.ResponseWriter, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "cannot encode the response", http.StatusInternalServerError)
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, err = io.Copy(w, bytes.NewReader(b))
	return err
}

// verifySignature checks a request's signature: sigHex is the hex Ed25519
// signature of ts (Unix seconds) followed by body, and ts must be within
// signatureMaxAge of now.
func verifySignature(key ed25519.PublicKey, sigHex, ts string, body []byte, now time.Time) bool {
	if len(key) != ed25519.PublicKeySize || len(sigHex) != 2*ed25519.SignatureSize {
		return false
	}
	sig, err := hex.DecodeString(sigHex)
	if err != nil {
		return false
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || strconv.FormatInt(secs, 10) != ts {
		return false
	}
	if d := now.Sub(time.Unix(secs, 0)); d > signatureMaxAge || d < -signatureMaxAge {
		return false
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	return ed25519.Verify(key, msg, sig)
}

// httpResponder delivers an interaction's first response as the HTTP
// reply, and edits over REST.
type httpResponder struct {
	s     *discordgo.Session
	i     *discordgo.Interaction
	first chan *discordgo.InteractionResponse // takes the first response
	once  sync.Once
	out   chan struct{} // closed once the HTTP reply has gone out
	err   error         // how it went; written before out is closed
}

func newHTTPResponder(s *discordgo.Session, i *discordgo.Interaction) *httpResponder {
	return &httpResponder{s: s, i: i, first: make(chan *discordgo.InteractionResponse, 1), out: make(chan struct{})}
}

// sent records how the HTTP reply went out. The endpoint calls it once.
func (h *httpResponder) sent(err error) {
	h.err = err
	close(h.out)
}

// respond hands r to the endpoint as the HTTP reply and waits until it
// has been written, so that an edit after it finds the response there.
func (h *httpResponder) respond(r *discordgo.InteractionResponse) error {
	accepted := false
	h.once.Do(func() {
		h.first <- r
		accepted = true
	})
	if !accepted {
		return errors.New("interaction already answered")
	}
	<-h.out
	return h.err
}

// edit replaces the response over REST. Discord may not yet have taken
// in a deferral sent as the HTTP reply a moment ago: an edit refused as
// unknown is tried again, briefly.
func (h *httpResponder) edit(e *discordgo.WebhookEdit) error {
	for attempt := 1; ; attempt++ {
		_, err := h.s.InteractionResponseEdit(h.i, e)
		var re *discordgo.RESTError
		if err == nil || attempt == 4 || !errors.As(err, &re) || re.Response == nil || re.Response.StatusCode != http.StatusNotFound {
			return err
		}
		time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
	}
}
