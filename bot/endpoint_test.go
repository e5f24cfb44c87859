package bot

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
)

// newKey makes the application's signing key pair.
func newKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

// endpoint serves the harness bot's interactions endpoint for the key.
func (h *harness) endpoint(pub ed25519.PublicKey) string {
	srv := httptest.NewServer(h.bot.InteractionsHandler(pub))
	h.t.Cleanup(srv.Close)
	return srv.URL + "/interactions"
}

// post sends i to the endpoint, signed with priv, and returns the reply.
func (h *harness) post(url string, priv ed25519.PrivateKey, i *discordgo.Interaction) discordtest.InteractionResponse {
	h.t.Helper()
	r, err := h.fake.PostInteraction(h.wait(), h.t, url, priv, i)
	if err != nil {
		h.t.Fatalf("%v\nlogs:\n%s", err, h.logs)
	}
	return r
}

func askInteraction(question string) *discordgo.Interaction {
	return &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand,
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			strOpt("question", question)}},
	}
}

// TestE2EInteractionsEndpoint serves interactions over HTTP, signed with a
// real key pair: PING, a command, autocomplete and a button, each answered
// in the HTTP reply, by the same handlers as on the gateway.
func TestE2EInteractionsEndpoint(t *testing.T) {
	t.Parallel()
	m := newRecMetrics()
	h := startBot(t, nil, withMetrics(m))
	pub, priv := newKey(t)
	url := h.endpoint(pub)

	if pong := h.post(url, priv, &discordgo.Interaction{Type: discordgo.InteractionPing}); pong.Type != discordgo.InteractionResponsePong {
		t.Errorf("PING answered with type %d; want PONG", pong.Type)
	}
	r := h.post(url, priv, askInteraction("What did the US and Iran do?"))
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || !strings.Contains(text(r.Data), "#1") {
		t.Fatalf("/ask over HTTP: type %d %q", r.Type, text(r.Data))
	}
	if r.Call.Route != discordtest.HTTPInteractionsRoute {
		t.Errorf("the answer came by %q; want the HTTP reply", r.Call.Route)
	}
	noPings(t, r.Call)
	if n := len(h.fake.CallsTo("POST", "interactions/*/*/callback")); n != 0 {
		t.Errorf("%d callbacks over REST; want the HTTP reply only", n)
	}

	more := buttons(r.Data)["More"]
	it, _ := h.fake.Interaction(r.InteractionID)
	pressed := h.post(url, priv, &discordgo.Interaction{
		Type: discordgo.InteractionMessageComponent, Message: it.Original,
		Data: discordgo.MessageComponentInteractionData{CustomID: more, ComponentType: discordgo.ButtonComponent},
	})
	if !pressed.Ephemeral || !strings.Contains(text(pressed.Data), "#4") {
		t.Errorf("More over HTTP: ephemeral %v %q", pressed.Ephemeral, text(pressed.Data))
	}

	o := strOpt("term", "mil")
	o.Focused = true
	ac := h.post(url, priv, &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommandAutocomplete,
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "lookup", Options: []*discordgo.ApplicationCommandInteractionDataOption{o}},
	})
	if ac.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(ac.Choices) == 0 {
		t.Errorf("autocomplete over HTTP: type %d, %d choices", ac.Type, len(ac.Choices))
	}
	if n := m.get(func(m *recMetrics) int { return m.answered["command/quoted"] + m.answered["button/quoted"] }); n != 2 {
		t.Errorf("%d questions counted; want 2", n)
	}
}

// TestE2EInteractionsEndpointDeferred: an answer that takes long is a
// deferral in the HTTP reply, then an edit of the original over REST.
func TestE2EInteractionsEndpointDeferred(t *testing.T) {
	t.Parallel()
	h := startBot(t, slowEngine{Engine: seedEngine(t), delay: 600 * time.Millisecond},
		withOptions(func(o *Options) { o.DeferAfter = 100 * time.Millisecond }))
	pub, priv := newKey(t)
	r := h.post(h.endpoint(pub), priv, askInteraction("Who is Hoshyar Zebari?"))
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("reply type %d; want a deferral", r.Type)
	}
	h.wantEdited(t, r.InteractionID, "foreign minister")
}

// TestE2EInteractionsEndpointAnyShard: a replica answers interactions of
// every guild, whatever its shard: the load balancer, not Discord's shard
// routing, chose it.
func TestE2EInteractionsEndpointAnyShard(t *testing.T) {
	t.Parallel()
	f := discordtest.New(t, discordtest.Config{})
	h := startBotOn(t, f, nil, Options{ShardID: 0, ShardCount: 2})
	pub, priv := newKey(t)
	r := h.post(h.endpoint(pub), priv, askInteraction("Who is Hoshyar Zebari?")) // DefaultGuildID is on shard 1
	if !strings.Contains(text(r.Data), "foreign minister") {
		t.Errorf("interaction of another shard's guild over HTTP: %q", text(r.Data))
	}
}

// TestInteractionsEndpointRefuses sends requests Discord did not sign, or
// signed too long ago: each gets 401 and reaches no handler.
func TestInteractionsEndpointRefuses(t *testing.T) {
	pub, priv := newKey(t)
	_, other := newKey(t)
	b, err := New(seedEngine(t), Options{Token: "x", APIBase: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b.InteractionsHandler(pub))
	defer srv.Close()
	body, _ := json.Marshal(map[string]any{"id": "1", "type": 1, "application_id": "1", "token": "t", "version": 1})
	send := func(method string, body []byte, sign func(*http.Request)) int {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL, bytes.NewReader(body))
		if sign != nil {
			sign(req)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	now := time.Now()
	if code := send("POST", body, func(r *http.Request) { discordtest.SignRequest(r, priv, now, body) }); code != http.StatusOK {
		t.Fatalf("a genuine PING got %d; want 200", code)
	}
	for _, tt := range []struct {
		name string
		sign func(*http.Request)
		body []byte
		want int
	}{
		{"unsigned", nil, body, 401},
		{"signed by another key", func(r *http.Request) { discordtest.SignRequest(r, other, now, body) }, body, 401},
		{"body changed after signing", func(r *http.Request) { discordtest.SignRequest(r, priv, now, body) },
			bytes.Replace(body, []byte(`"type":1`), []byte(`"type":2`), 1), 401},
		{"timestamp changed after signing", func(r *http.Request) {
			discordtest.SignRequest(r, priv, now, body)
			r.Header.Set("X-Signature-Timestamp", r.Header.Get("X-Signature-Timestamp")+"0")
		}, body, 401},
		{"six minutes old", func(r *http.Request) { discordtest.SignRequest(r, priv, now.Add(-6*time.Minute), body) }, body, 401},
		{"six minutes ahead", func(r *http.Request) { discordtest.SignRequest(r, priv, now.Add(6*time.Minute), body) }, body, 401},
		{"signature not hex", func(r *http.Request) {
			discordtest.SignRequest(r, priv, now, body)
			r.Header.Set("X-Signature-Ed25519", strings.Repeat("zz", ed25519.SignatureSize))
		}, body, 401},
		{"signature short", func(r *http.Request) {
			discordtest.SignRequest(r, priv, now, body)
			r.Header.Set("X-Signature-Ed25519", r.Header.Get("X-Signature-Ed25519")[:64])
		}, body, 401},
		{"too large", func(r *http.Request) {}, bytes.Repeat([]byte("x"), maxInteractionBody+1), 413},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code := send("POST", tt.body, tt.sign); code != tt.want {
				t.Errorf("got %d; want %d", code, tt.want)
			}
		})
	}
	if code := send("GET", nil, nil); code != http.StatusMethodNotAllowed {
		t.Errorf("GET got %d; want 405", code)
	}
	junk := []byte("{not json")
	if code := send("POST", junk, func(r *http.Request) { discordtest.SignRequest(r, priv, now, junk) }); code != http.StatusBadRequest {
		t.Errorf("signed junk got %d; want 400", code)
	}
}

// FuzzVerifySignature signs a body at some time, then checks that the
// signature verifies exactly when the time is within five minutes, and
// never once a byte of the body has changed.
func FuzzVerifySignature(f *testing.F) {
	pub, priv := newKey(f)
	now := time.Unix(1_800_000_000, 0)
	f.Add([]byte(`{"type":1}`), int64(0), uint16(3))
	f.Add([]byte{}, int64(-301), uint16(0))
	f.Add([]byte("x"), int64(300), uint16(0))
	f.Fuzz(func(t *testing.T, body []byte, offset int64, flip uint16) {
		if offset > 1<<40 || offset < -(1<<40) {
			return
		}
		at := now.Add(time.Duration(offset) * time.Second)
		req, _ := http.NewRequest("POST", "/", nil)
		discordtest.SignRequest(req, priv, at, body)
		sig, ts := req.Header.Get("X-Signature-Ed25519"), req.Header.Get("X-Signature-Timestamp")
		fresh := offset >= -300 && offset <= 300
		if got := verifySignature(pub, sig, ts, body, now); got != fresh {
			t.Errorf("verify(signed %ds from now) = %v; want %v", offset, got, fresh)
		}
		if len(body) > 0 {
			changed := bytes.Clone(body)
			changed[int(flip)%len(changed)] ^= 1
			if verifySignature(pub, sig, ts, changed, now) {
				t.Errorf("verify accepted a changed body")
			}
		}
		if verifySignature(pub, sig, ts+" ", body, now) || verifySignature(pub, "", ts, body, now) {
			t.Errorf("verify accepted a changed header")
		}
	})
}

// FuzzInteractionsEndpoint sends any JSON, genuinely signed, to the
// endpoint of a bot whose REST calls go nowhere: whatever it is, the bot
// answers 200 with a response Discord would take, or 400, and no handler
// panics.
func FuzzInteractionsEndpoint(f *testing.F) {
	for _, seed := range []string{
		`{"id":"1","application_id":"1","type":1,"token":"t","version":1}`,
		`{"id":"1","application_id":"1","type":2,"token":"t","guild_id":"2","member":{"user":{"id":"4"}},"data":{"id":"1","name":"ask","options":[{"name":"question","type":3,"value":"Who is Zebari?"}]}}`,
		`{"id":"1","application_id":"1","type":2,"token":"t","user":{"id":"4"},"data":{"id":"1","name":"ask","options":[{"name":"question","type":3,"value":7},{"name":"results","type":4,"value":"five"}]}}`,
		`{"id":"1","application_id":"1","type":2,"token":"t","data":{"id":"1","name":"Ask the article","type":3,"target_id":"9"}}`,
		`{"id":"1","application_id":"1","type":2,"token":"t","data":{"id":"1","name":"digest","options":[{"name":"subscribe","type":1,"options":[{"name":"time","type":3,"value":"25:99"}]}]}}`,
		`{"id":"1","application_id":"1","type":3,"token":"t","message":{"id":"5","channel_id":"3","embeds":[{"footer":{"text":"Asked: x"}}]},"data":{"custom_id":"v1.m.1.3.-.tp2400.AAAA","component_type":2}}`,
		`{"id":"1","application_id":"1","type":4,"token":"t","data":{"id":"1","name":"lookup","options":[{"name":"term","type":3,"value":"mil","focused":true}]}}`,
		`{"id":"1","application_id":"1","type":4,"token":"t","data":{"id":"1","name":"ask","options":[{"name":"article","type":3,"value":null,"focused":true}]}}`,
		`{"id":"1","application_id":"1","type":5,"token":"t","data":{"custom_id":"x","components":[]}}`,
		`{"type":2}`, `{"type":3,"data":null}`, `[]`, `null`,
	} {
		f.Add([]byte(seed))
	}
	pub, priv := newKey(f)
	logs := &syncBuffer{}
	b, err := New(seedEngine(f), Options{Token: "x", APIBase: "http://127.0.0.1:1", DeferAfter: 2 * time.Second,
		RESTTimeout: 100 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	if err != nil {
		f.Fatal(err)
	}
	h := b.InteractionsHandler(pub)
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		discordtest.SignRequest(req, priv, time.Now(), body)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if strings.Contains(logs.String(), "panic") {
			t.Fatalf("a handler panicked on %s:\n%s", body, logs)
		}
		switch rec.Code {
		case http.StatusBadRequest:
			return
		case http.StatusOK:
		default:
			t.Fatalf("%s: status %d %s", body, rec.Code, rec.Body)
		}
		var resp struct {
			Type int `json:"type"`
			Data *struct {
				Content         string `json:"content"`
				AllowedMentions *struct {
					Parse []string `json:"parse"`
				} `json:"allowed_mentions"`
				Choices []any `json:"choices"`
			} `json:"data"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%s: reply %q is not JSON: %v", body, rec.Body, err)
		}
		if resp.Type == int(discordgo.InteractionResponseChannelMessageWithSource) &&
			(resp.Data == nil || resp.Data.AllowedMentions == nil || resp.Data.AllowedMentions.Parse == nil || len(resp.Data.AllowedMentions.Parse) > 0) {
			t.Errorf("%s: message reply %s does not turn mentions off", body, rec.Body)
		}
		if resp.Data != nil && len(resp.Data.Choices) > maxChoices {
			t.Errorf("%s: %d choices", body, len(resp.Data.Choices))
		}
	})
}
