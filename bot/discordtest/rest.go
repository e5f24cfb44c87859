package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// apiPrefix is where the REST API lives, as discordgo addresses it.
const apiPrefix = "/api/v9"

// response buffers a handler's answer so the call is recorded before the
// client can see the answer.
type response struct {
	header http.Header
	status int
	body   bytes.Buffer
	route  string
}

func (r *response) Header() http.Header { return r.header }
func (r *response) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
func (r *response) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

// ServeHTTP serves the gateway websocket under /gateway and the REST API
// under /api/v9, recording every REST call. It is safe for concurrent use.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/gateway" || strings.HasPrefix(r.URL.Path, "/gateway/") {
		f.serveGateway(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))

	call := Call{
		Time: f.now(), Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		Header: r.Header.Clone(), Body: body,
	}
	if v := r.Header.Values("Authorization"); len(v) > 0 {
		call.HasAuth, call.auth = true, v[0]
		call.Header.Set("Authorization", redacted)
	}
	jsonBody := body
	if part, ok := payloadJSON(r.Header.Get("Content-Type"), body); ok {
		jsonBody = part
	}
	if len(bytes.TrimSpace(jsonBody)) > 0 {
		var v any
		if json.Unmarshal(jsonBody, &v) == nil {
			call.JSON = v
		}
	}

	resp := &response{header: make(http.Header)}
	ft := f.takeFault(r.Method, r.URL.Path)
	if ft != nil {
		call.Fault = true
		if ft.Delay > 0 {
			t := time.NewTimer(ft.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
			}
		}
	}
	switch {
	case ft != nil && ft.Drop:
		f.record(call, resp)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case ft != nil && ft.Status != 0:
		f.writeFault(resp, ft, r.URL.Path)
	default:
		f.mux.ServeHTTP(resp, r)
	}
	if resp.status == 0 {
		resp.status = http.StatusOK
	}
	f.record(call, resp)
	if ft != nil && ft.Hold > 0 {
		t := time.NewTimer(ft.Hold)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}

	for k, v := range resp.header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.status)
	w.Write(resp.body.Bytes())
}

// record appends a call with its answer.
func (f *Fake) record(call Call, resp *response) {
	call.Status = resp.status
	call.Response = append([]byte(nil), resp.body.Bytes()...)
	call.Route = resp.route
	f.mu.Lock()
	defer f.mu.Unlock()
	call.Seq = len(f.calls) + 1
	f.calls = append(f.calls, call)
	f.recordResponse(call)
	f.notify()
	f.log.Debug("rest call", "call", call.String())
}

// handler serves one route; it returns the status and the value to encode
// as the JSON answer (nil for none), or an error.
type handler func(r *http.Request, body any) (int, any, *apiError)

// routes builds the REST API's routes.
func (f *Fake) routes() *http.ServeMux {
	mux := http.NewServeMux()
	handle := func(pattern string, auth bool, h handler) {
		method, path, _ := strings.Cut(pattern, " ")
		full := method + " " + apiPrefix + path
		mux.HandleFunc(full, func(w http.ResponseWriter, r *http.Request) {
			if resp, ok := w.(*response); ok {
				resp.route = full
			}
			if auth && !f.authorized(r) {
				writeAPIError(w, errUnauthorized())
				return
			}
			var body any
			raw, _ := io.ReadAll(r.Body)
			if part, ok := payloadJSON(r.Header.Get("Content-Type"), raw); ok {
				raw = part
			}
			if len(bytes.TrimSpace(raw)) > 0 {
				v, err := decodeJSON(raw)
				if err != nil {
					writeAPIError(w, errInvalidJSON())
					return
				}
				body = v
			}
			status, out, aerr := h(r, body)
			if aerr != nil {
				writeAPIError(w, aerr)
				return
			}
			if out == nil {
				w.WriteHeader(status)
				return
			}
			writeJSON(w, status, out)
		})
	}

	handle("GET /gateway", false, f.getGateway)
	handle("GET /gateway/bot", true, f.getGatewayBot)
	handle("GET /users/@me", true, f.getMe)
	handle("GET /users/{user}", true, f.getUser)

	handle("PUT /applications/{app}/commands", true, f.putCommands)
	handle("GET /applications/{app}/commands", true, f.getCommands)
	handle("PUT /applications/{app}/guilds/{guild}/commands", true, f.putCommands)
	handle("GET /applications/{app}/guilds/{guild}/commands", true, f.getCommands)

	handle("POST /interactions/{interaction}/{token}/callback", false, f.postCallback)
	handle("POST /webhooks/{app}/{token}", false, f.postFollowup)
	handle("GET /webhooks/{app}/{token}/messages/{message}", false, f.getWebhookMessage)
	handle("PATCH /webhooks/{app}/{token}/messages/{message}", false, f.patchWebhookMessage)
	handle("DELETE /webhooks/{app}/{token}/messages/{message}", false, f.deleteWebhookMessage)

	handle("GET /channels/{channel}", true, f.getChannel)
	handle("POST /channels/{channel}/messages", true, f.postMessage)
	handle("GET /channels/{channel}/messages/{message}", true, f.getMessage)
	handle("PATCH /channels/{channel}/messages/{message}", true, f.patchMessage)
	handle("DELETE /channels/{channel}/messages/{message}", true, f.deleteMessage)
	handle("POST /channels/{channel}/messages/{message}/threads", true, f.postMessageThread)
	handle("POST /channels/{channel}/threads", true, f.postThread)

	handle("GET /guilds/{guild}", true, f.getGuild)
	handle("GET /guilds/{guild}/channels", true, f.getGuildChannels)
	handle("GET /guilds/{guild}/members/{user}", true, f.getMember)

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, errNotFound())
	})
	return mux
}

// authorized reports whether a request carries the bot's token.
func (f *Fake) authorized(r *http.Request) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return r.Header.Get("Authorization") == "Bot "+f.token
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode answer: %v", err))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// writeAPIError answers with Discord's JSON error.
func writeAPIError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"message": e.message, "code": e.code}
	if e.errors != nil {
		body["errors"] = e.errors
	}
	writeJSON(w, e.status, body)
}

func (f *Fake) getGateway(*http.Request, any) (int, any, *apiError) {
	return http.StatusOK, map[string]any{"url": f.GatewayURL}, nil
}

func (f *Fake) getGatewayBot(*http.Request, any) (int, any, *apiError) {
	return http.StatusOK, map[string]any{
		"url":    f.GatewayURL,
		"shards": f.cfg.RecommendedShards,
		"session_start_limit": map[string]any{
			"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1,
		},
	}, nil
}

func (f *Fake) getMe(*http.Request, any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return http.StatusOK, f.botUser(), nil
}

func (f *Fake) getUser(r *http.Request, _ any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	u := f.users[r.PathValue("user")]
	if u == nil {
		return 0, nil, newAPIError(http.StatusNotFound, 10013, "Unknown User")
	}
	return http.StatusOK, u, nil
}

// guildLocked returns the guild named by a request's {guild}, or the error
// Discord would answer. f.mu must be held.
func (f *Fake) guildLocked(r *http.Request) (*guildState, *apiError) {
	if gs := f.guilds[r.PathValue("guild")]; gs != nil {
		return gs, nil
	}
	return nil, errUnknownGuild()
}

func (f *Fake) getGuild(r *http.Request, _ any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	gs, aerr := f.guildLocked(r)
	if aerr != nil {
		return 0, nil, aerr
	}
	return http.StatusOK, gs.obj, nil
}

func (f *Fake) getGuildChannels(r *http.Request, _ any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	gs, aerr := f.guildLocked(r)
	if aerr != nil {
		return 0, nil, aerr
	}
	out := []any{}
	for _, id := range gs.channels {
		if cs := f.channels[id]; cs != nil && !isThread(cs.obj) {
			out = append(out, cs.obj)
		}
	}
	return http.StatusOK, out, nil
}

func (f *Fake) getMember(r *http.Request, _ any) (int, any, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	gs, aerr := f.guildLocked(r)
	if aerr != nil {
		return 0, nil, aerr
	}
	m := gs.members[r.PathValue("user")]
	if m == nil {
		return 0, nil, errUnknownMember()
	}
	return http.StatusOK, m, nil
}

// bodyObject returns a request body that must be a JSON object; a missing
// body is an empty object.
func bodyObject(body any) (map[string]any, *apiError) {
	switch b := body.(type) {
	case nil:
		return map[string]any{}, nil
	case map[string]any:
		return b, nil
	}
	return nil, errInvalidJSON()
}
