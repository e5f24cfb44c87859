package discordtest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// HTTPInteractionsRoute is the Route of the Call in an InteractionResponse
// that came back as the HTTP reply of an interactions endpoint (see
// [Fake.PostInteraction]) rather than over REST.
const HTTPInteractionsRoute = "HTTP interactions endpoint"

// SignRequest signs r as Discord signs the requests it sends to an
// application's interactions endpoint: X-Signature-Timestamp is at (Unix
// seconds) and X-Signature-Ed25519 the hex Ed25519 signature, by key, of
// the timestamp followed by body.
func SignRequest(r *http.Request, key ed25519.PrivateKey, at time.Time, body []byte) {
	ts := strconv.FormatInt(at.Unix(), 10)
	sig := ed25519.Sign(key, append([]byte(ts), body...))
	r.Header.Set("X-Signature-Timestamp", ts)
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
}

// PostInteraction sends i to an application's interactions endpoint at
// endpoint, as Discord does when the application has an Interactions
// Endpoint URL: a POST of the interaction, signed with key (see
// SignRequest), whose HTTP reply is the initial response. i is filled in
// as by [Fake.InteractionCreate] and opened on the fake, so that the bot's
// later edits and followups over REST find it; the reply is checked and
// applied as a callback over REST would be, and recorded among
// [Fake.InteractionResponses] with a Call whose Route is
// HTTPInteractionsRoute and whose Body is the reply.
//
// It returns an error when the endpoint cannot be reached, answers with a
// status other than 200, or replies with something Discord would refuse.
// A PING (type 1) is sent as it is; its PONG is returned but not recorded.
func (f *Fake) PostInteraction(ctx context.Context, tb testing.TB, endpoint string, key ed25519.PrivateKey, i *discordgo.Interaction) (InteractionResponse, error) {
	tb.Helper()
	var obj map[string]any
	if i.Type == discordgo.InteractionPing {
		obj = map[string]any{"id": "1", "application_id": f.cfg.ApplicationID, "type": 1, "token": "ping-" + randomToken(8), "version": 1}
	} else {
		obj = f.fillInteraction(tb, i)
	}
	body, err := json.Marshal(obj)
	if err != nil {
		tb.Fatalf("discordtest: encode interaction: %v", err)
	}
	var is *interactionState
	if i.Type != discordgo.InteractionPing {
		f.mu.Lock()
		f.openInteraction(obj)
		is = f.interactions[str(obj, "id")]
		f.notify()
		f.mu.Unlock()
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return InteractionResponse{}, fmt.Errorf("post interaction: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)")
	SignRequest(req, key, f.now(), body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return InteractionResponse{}, fmt.Errorf("post interaction: %w", err)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return InteractionResponse{}, fmt.Errorf("post interaction: read reply: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return InteractionResponse{}, fmt.Errorf("post interaction: endpoint answered %s: %s", resp.Status, reply)
	}
	src, err := decodeJSON(reply)
	answer, ok := src.(map[string]any)
	if err != nil || !ok {
		return InteractionResponse{}, fmt.Errorf("post interaction: reply is not a JSON object: %q", reply)
	}
	if is == nil {
		if num(answer, "type") != int(discordgo.InteractionResponsePong) {
			return InteractionResponse{}, fmt.Errorf("post interaction: PING answered with %q; want PONG (type 1)", reply)
		}
		return InteractionResponse{Type: discordgo.InteractionResponsePong}, nil
	}
	u, _ := url.Parse(endpoint)
	call := Call{
		Time: f.now(), Method: http.MethodPost, Path: u.Path, Header: resp.Header.Clone(),
		Body: reply, JSON: answer, Route: HTTPInteractionsRoute, Status: resp.StatusCode, Response: body,
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if aerr := f.acceptCallback(is, answer); aerr != nil {
		detail, _ := json.Marshal(aerr.errors)
		return InteractionResponse{}, fmt.Errorf("post interaction: Discord would refuse the reply %s: %d %s %s", reply, aerr.code, aerr.message, detail)
	}
	out := *is.pending
	out.Call = call
	is.pending = nil
	is.responded, is.response = true, out
	f.responses = append(f.responses, out)
	f.notify()
	return out, nil
}
