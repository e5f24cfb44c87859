package discordtest

import (
	"bytes"
	"cmp"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gorilla/websocket"
)

// Gateway opcodes (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
const (
	opDispatch       = 0
	opHeartbeat      = 1
	opIdentify       = 2
	opPresenceUpdate = 3
	opVoiceState     = 4
	opResume         = 6
	opReconnect      = 7
	opRequestMembers = 8
	opInvalidSession = 9
	opHello          = 10
	opHeartbeatACK   = 11
)

// Gateway close codes the fake sends.
const (
	closeUnknownError     = 4000
	closeUnknownOpcode    = 4001
	closeDecodeError      = 4002
	closeNotAuthenticated = 4003
	closeAuthFailed       = 4004
	closeAlreadyAuthed    = 4005
	closeInvalidShard     = 4010
	closeDisallowedIntent = 4014
)

// Intent bits the fake filters events by.
const (
	intentGuilds                 = 1 << 0
	intentGuildMembers           = 1 << 1
	intentGuildMessages          = 1 << 9
	intentGuildMessageReactions  = 1 << 10
	intentGuildMessageTyping     = 1 << 11
	intentDirectMessages         = 1 << 12
	intentDirectMessageReactions = 1 << 13
	intentDirectMessageTyping    = 1 << 14
	intentMessageContent         = 1 << 15
)

// outQueue is how many frames may wait for a slow client before the fake
// drops its connection.
const outQueue = 4096

// SessionInfo describes a gateway session: what one IDENTIFY started and
// RESUMEs continue. It is a snapshot, safe to share between goroutines.
type SessionInfo struct {
	// ID is the session_id sent in READY.
	ID string
	// Shard is [shard_id, num_shards] from IDENTIFY ([0, 1] without).
	Shard [2]int
	// Intents and Compress are as the client identified.
	Intents  int
	Compress bool
	// Connected reports that a connection currently carries the session,
	// and Conn names it (0 when not connected).
	Connected bool
	Conn      int
	// Seq is the sequence number of the last dispatch sent.
	Seq int64
	// Valid is false once the session cannot be resumed (after an invalid
	// session, a client close with 1000 or 1001, or a new IDENTIFY on its
	// connection).
	Valid bool
}

// ConnInfo describes one gateway websocket connection. It is a snapshot,
// safe to share between goroutines.
type ConnInfo struct {
	// ID numbers connections from 1 in the order they were opened.
	ID int
	// Query is the URL query the client connected with (discordgo sends
	// v=9&encoding=json).
	Query url.Values
	// SessionID and Shard are those of the session the connection carries
	// or last carried ("" before IDENTIFY or RESUME).
	SessionID string
	Shard     [2]int
	// Open reports whether the connection is still open.
	Open bool
	// ClientCloseCode is the code of the close frame the client sent, and
	// ServerCloseCode that of the fake's; 0 when none was sent (for
	// example after Drop).
	ClientCloseCode int
	ServerCloseCode int
	// Heartbeats counts the heartbeats the client sent.
	Heartbeats int
	Opened     time.Time
	Closed     time.Time
}

type session struct {
	id       string
	shard    [2]int
	intents  int
	compress bool
	seq      int64
	history  []histEntry
	conn     *gwConn
	valid    bool
	n        int // creation order
}

type histEntry struct {
	seq int64
	msg outMsg
}

type outMsg struct {
	kind      int // websocket.TextMessage or websocket.BinaryMessage; 0 for a close
	data      []byte
	closeCode int
	closeText string
}

type gwConn struct {
	id       int
	ws       *websocket.Conn
	out      chan outMsg
	done     chan struct{}
	query    url.Values
	sess     *session
	lastSess *session
	opened   time.Time

	// Guarded by the fake's mutex.
	finished    bool
	closing     bool
	clientClose int
	serverClose int
	heartbeats  int
	closedAt    time.Time
}

// drop closes the connection's TCP socket without a close frame.
func (c *gwConn) drop() { c.ws.UnderlyingConn().Close() }

// serveGateway runs one gateway websocket connection.
func (f *Fake) serveGateway(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		f.log.Debug("gateway upgrade failed", "err", err)
		return
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		ws.Close()
		return
	}
	f.nextConn++
	c := &gwConn{
		id: f.nextConn, ws: ws, out: make(chan outMsg, outQueue), done: make(chan struct{}),
		query: r.URL.Query(), opened: f.now(),
	}
	f.conns[c.id] = c
	f.sendOp(c, opHello, map[string]any{"heartbeat_interval": f.cfg.HeartbeatInterval.Milliseconds()})
	f.notify()
	f.mu.Unlock()
	f.log.Debug("gateway connection opened", "conn", c.id, "query", c.query.Encode())

	go f.writeLoop(c)
	for {
		kind, data, err := ws.ReadMessage()
		if err != nil {
			f.connFinished(c, err)
			return
		}
		f.handleFrame(c, kind, data)
	}
}

// writeLoop writes a connection's queued frames in order.
func (f *Fake) writeLoop(c *gwConn) {
	for {
		select {
		case m := <-c.out:
			c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if m.kind == 0 {
				c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(m.closeCode, m.closeText))
				c.ws.Close()
				return
			}
			if err := c.ws.WriteMessage(m.kind, m.data); err != nil {
				f.log.Debug("gateway write failed", "conn", c.id, "err", err)
				c.ws.Close()
				return
			}
		case <-c.done:
			return
		}
	}
}

// connFinished records the end of a connection.
func (f *Fake) connFinished(c *gwConn, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.finished = true
	c.closedAt = f.now()
	close(c.done)
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		c.clientClose = ce.Code
	}
	if s := c.sess; s != nil && s.conn == c {
		s.conn = nil
		if c.clientClose == websocket.CloseNormalClosure || c.clientClose == websocket.CloseGoingAway {
			s.valid = false
		}
	}
	f.log.Debug("gateway connection closed", "conn", c.id, "client_close", c.clientClose, "err", err)
	f.notify()
}

// enqueue queues a frame for c. f.mu must be held.
func (f *Fake) enqueue(c *gwConn, m outMsg) {
	if c.finished || c.closing {
		return
	}
	if m.kind == 0 {
		c.closing = true
		c.serverClose = m.closeCode
	}
	select {
	case c.out <- m:
	default:
		f.log.Warn("gateway client too slow; dropping connection", "conn", c.id)
		c.closing = true
		c.drop()
	}
}

// sendOp queues a non-dispatch payload. f.mu must be held.
func (f *Fake) sendOp(c *gwConn, op int, d any) {
	b, err := json.Marshal(map[string]any{"op": op, "d": d, "s": nil, "t": nil})
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode op %d: %v", op, err))
	}
	f.enqueue(c, outMsg{kind: websocket.TextMessage, data: b})
}

// closeConn closes c with a close frame. f.mu must be held.
func (f *Fake) closeConn(c *gwConn, code int, text string) {
	f.log.Debug("gateway closing connection", "conn", c.id, "code", code, "reason", text)
	f.enqueue(c, outMsg{closeCode: code, closeText: text})
}

// dispatchTo sends a dispatch on s, numbering it; kept says whether a
// RESUME replays it. f.mu must be held.
func (f *Fake) dispatchTo(s *session, typ string, d any, kept bool) {
	s.seq++
	b, err := json.Marshal(map[string]any{"op": opDispatch, "d": d, "s": s.seq, "t": typ})
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode %s: %v", typ, err))
	}
	m := outMsg{kind: websocket.TextMessage, data: b}
	if s.compress {
		m = outMsg{kind: websocket.BinaryMessage, data: f.zlibCompress(b)}
	}
	if kept {
		s.history = append(s.history, histEntry{s.seq, m})
	}
	if s.conn != nil {
		f.enqueue(s.conn, m)
	}
}

// zlibCompress returns b as one complete zlib stream, the way Discord
// compresses a payload for a client that identified with "compress": true.
// It reuses one writer: a new one allocates half a megabyte, which made a
// burst of dispatches, all under f.mu, slow enough to miss interaction
// deadlines. f.mu must be held.
func (f *Fake) zlibCompress(b []byte) []byte {
	var buf bytes.Buffer
	if f.zw == nil {
		f.zw = zlib.NewWriter(&buf)
	} else {
		f.zw.Reset(&buf)
	}
	f.zw.Write(b)
	f.zw.Close()
	return buf.Bytes()
}

// gatewayFrame is a payload as received.
type gatewayFrame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s"`
	T  *string         `json:"t"`
}

// handleFrame handles one frame from a client.
func (f *Fake) handleFrame(c *gwConn, kind int, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	defer f.notify()

	fr := Frame{Conn: c.id, Time: f.now(), Op: -1, Raw: data}
	if c.sess != nil {
		fr.Shard = c.sess.shard
	}
	var p gatewayFrame
	if kind != websocket.TextMessage || json.Unmarshal(data, &p) != nil {
		f.frames = append(f.frames, fr)
		f.closeConn(c, closeDecodeError, "Error while decoding payload.")
		return
	}
	fr.Op = p.Op
	fr.Data = p.D
	if p.Op == opIdentify || p.Op == opResume {
		var d map[string]any
		if json.Unmarshal(p.D, &d) == nil {
			fr.token = str(d, "token")
			if _, ok := d["token"]; ok {
				d["token"] = redacted
			}
			fr.Data, _ = json.Marshal(d)
			fr.Raw, _ = json.Marshal(map[string]any{"op": p.Op, "d": json.RawMessage(fr.Data), "s": p.S, "t": p.T})
		}
	}
	f.frames = append(f.frames, fr)

	switch p.Op {
	case opHeartbeat:
		c.heartbeats++
		if !f.ackPaused {
			f.sendOp(c, opHeartbeatACK, nil)
		}
	case opIdentify:
		f.identify(c, p.D, fr.token)
	case opResume:
		f.resume(c, p.D, fr.token)
	case opPresenceUpdate, opVoiceState, opRequestMembers:
		if c.sess == nil {
			f.closeConn(c, closeNotAuthenticated, "Not authenticated.")
		}
	default:
		f.closeConn(c, closeUnknownOpcode, "Unknown opcode.")
	}
}

// tokenOK reports whether a gateway token is the accepted one. f.mu must
// be held.
func (f *Fake) tokenOK(tok string) bool {
	return tok == f.token || tok == "Bot "+f.token
}

type identifyData struct {
	Token    string  `json:"token"`
	Intents  *int    `json:"intents"`
	Shard    *[2]int `json:"shard"`
	Compress bool    `json:"compress"`
}

// identify answers an IDENTIFY with READY. f.mu must be held.
func (f *Fake) identify(c *gwConn, raw json.RawMessage, token string) {
	if c.sess != nil {
		f.closeConn(c, closeAlreadyAuthed, "Already authenticated.")
		return
	}
	var d identifyData
	if err := json.Unmarshal(raw, &d); err != nil || d.Intents == nil {
		f.closeConn(c, closeDecodeError, "Error while decoding payload.")
		return
	}
	if !f.tokenOK(token) {
		f.closeConn(c, closeAuthFailed, "Authentication failed.")
		return
	}
	shard := [2]int{0, 1}
	if d.Shard != nil {
		shard = *d.Shard
		if shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1] {
			f.closeConn(c, closeInvalidShard, "Invalid shard.")
			return
		}
	}
	if *d.Intents&f.cfg.DisallowedIntents != 0 {
		f.closeConn(c, closeDisallowedIntent, "Disallowed intent(s).")
		return
	}
	if old := c.lastSess; old != nil {
		// A new IDENTIFY on a connection replaces its session.
		old.valid = false
		if old.conn == c {
			old.conn = nil
		}
	}
	s := &session{
		id: randomToken(16), shard: shard, intents: *d.Intents, compress: d.Compress,
		conn: c, valid: true, n: f.identifies + 1,
	}
	f.sessions[s.id] = s
	c.sess, c.lastSess = s, s
	f.identifies++

	var guilds []any
	for _, gid := range f.guildIDs() {
		if guildShard(gid, shard[1]) == shard[0] {
			guilds = append(guilds, map[string]any{"id": gid, "unavailable": true})
		}
	}
	ready := map[string]any{
		"v":                  9,
		"user":               f.botUser(),
		"guilds":             nonNil(guilds),
		"session_id":         s.id,
		"resume_gateway_url": f.GatewayURL,
		"application":        map[string]any{"id": f.cfg.ApplicationID, "flags": 0},
		"private_channels":   []any{},
		"relationships":      []any{},
		"_trace":             []any{"discordtest"},
	}
	if d.Shard != nil {
		ready["shard"] = shard
	}
	f.dispatchTo(s, "READY", ready, false)
	if s.intents&intentGuilds != 0 {
		for _, g := range guilds {
			gid := g.(map[string]any)["id"].(string)
			f.dispatchTo(s, "GUILD_CREATE", f.guildCreatePayload(f.guilds[gid]), true)
		}
	}
	f.log.Debug("gateway identified", "conn", c.id, "session", s.id, "shard", shard, "intents", s.intents, "compress", s.compress)
}

type resumeData struct {
	Token     string `json:"token"`
	SessionID string `json:"session_id"`
	Seq       int64  `json:"seq"`
}

// resume answers a RESUME: the missed dispatches, then RESUMED; or an
// invalid session when the session cannot be resumed. f.mu must be held.
func (f *Fake) resume(c *gwConn, raw json.RawMessage, token string) {
	if c.sess != nil {
		f.closeConn(c, closeAlreadyAuthed, "Already authenticated.")
		return
	}
	var d resumeData
	if err := json.Unmarshal(raw, &d); err != nil {
		f.closeConn(c, closeDecodeError, "Error while decoding payload.")
		return
	}
	if !f.tokenOK(token) {
		f.closeConn(c, closeAuthFailed, "Authentication failed.")
		return
	}
	s := f.sessions[d.SessionID]
	if s == nil || !s.valid || d.Seq > s.seq {
		f.log.Debug("gateway resume refused", "conn", c.id, "session", d.SessionID)
		f.sendOp(c, opInvalidSession, false)
		return
	}
	if old := s.conn; old != nil && old != c {
		old.closing = true
		old.drop()
	}
	s.conn = c
	c.sess, c.lastSess = s, s
	f.resumes++
	replayed := 0
	for _, h := range s.history {
		if h.seq > d.Seq {
			f.enqueue(c, h.msg)
			replayed++
		}
	}
	f.dispatchTo(s, "RESUMED", map[string]any{"_trace": []any{"discordtest"}}, false)
	f.log.Debug("gateway resumed", "conn", c.id, "session", s.id, "from_seq", d.Seq, "replayed", replayed)
}

// guildIDs returns the registered guilds' ids in a stable order. f.mu must
// be held.
func (f *Fake) guildIDs() []string {
	ids := make([]string, 0, len(f.guilds))
	for id := range f.guilds {
		ids = append(ids, id)
	}
	// Snowflakes sort as numbers: shorter first, then lexically.
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
	})
	return ids
}

// guildShard returns the shard that receives a guild's events:
// (guild_id >> 22) % num_shards.
func guildShard(guildID string, count int) int {
	if count <= 1 {
		return 0
	}
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return 0
	}
	return int((id >> 22) % uint64(count))
}

// ShardForGuild returns the shard that Discord sends guild guildID's events
// to when the bot runs count shards: (guild_id >> 22) % count, and 0 for an
// id that is not a snowflake. It is safe for concurrent use.
func ShardForGuild(guildID string, count int) int { return guildShard(guildID, count) }

// liveConns returns the open connections of a shard (AllShards: all of
// them, including those not yet identified). f.mu must be held.
func (f *Fake) liveConns(shard int) []*gwConn {
	var out []*gwConn
	for _, c := range f.sortedConns() {
		if c.finished || c.closing {
			continue
		}
		if shard == AllShards || (c.sess != nil && c.sess.shard[0] == shard) {
			out = append(out, c)
		}
	}
	return out
}

func (f *Fake) sortedConns() []*gwConn {
	return slices.SortedFunc(maps.Values(f.conns), func(a, b *gwConn) int { return a.id - b.id })
}

// DropGateway closes the TCP connections of shard (or AllShards) without a
// close frame, as a network failure would. Their sessions stay resumable.
// It returns how many connections it dropped.
func (f *Fake) DropGateway(shard int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	conns := f.liveConns(shard)
	for _, c := range conns {
		c.closing = true
		c.drop()
	}
	return len(conns)
}

// Reconnect sends RECONNECT (op 7) on the connections of shard (or
// AllShards), asking the clients to reconnect and resume. It returns how
// many connections it asked.
func (f *Fake) Reconnect(shard int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	conns := f.liveConns(shard)
	for _, c := range conns {
		f.sendOp(c, opReconnect, nil)
	}
	return len(conns)
}

// InvalidateSession sends INVALID SESSION (op 9) with d = resumable on the
// identified connections of shard (or AllShards). When resumable is false
// their sessions end: a RESUME of them is refused. The connections stay
// open, awaiting IDENTIFY or RESUME. It returns how many it sent.
func (f *Fake) InvalidateSession(shard int, resumable bool) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.liveConns(shard) {
		s := c.sess
		if s == nil {
			continue
		}
		if !resumable {
			s.valid = false
		}
		s.conn = nil
		c.sess = nil
		f.sendOp(c, opInvalidSession, resumable)
		n++
	}
	f.notify()
	return n
}

// CloseGateway closes the connections of shard (or AllShards) with a close
// frame carrying code and reason (for example 4000 Unknown error, after
// which a client may resume, or 4009 Session timed out). A 4xxx code other
// than 4000, 4001, 4002, 4003, 4005 and 4008 also ends the sessions. It
// returns how many connections it closed.
func (f *Fake) CloseGateway(shard, code int, reason string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	conns := f.liveConns(shard)
	for _, c := range conns {
		if s := c.sess; s != nil && code >= 4000 && !slices.Contains([]int{4000, 4001, 4002, 4003, 4005, 4008}, code) {
			s.valid = false
		}
		f.closeConn(c, code, reason)
	}
	return len(conns)
}

// SetHeartbeatInterval changes the heartbeat_interval sent in HELLO on
// connections opened from now on.
func (f *Fake) SetHeartbeatInterval(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cfg.HeartbeatInterval = d
}

// PauseHeartbeatAcks stops (true) or resumes (false) the heartbeat ACKs,
// so a client sees a zombied connection.
func (f *Fake) PauseHeartbeatAcks(paused bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ackPaused = paused
}

// Identifies returns how many IDENTIFYs the fake has answered with READY.
func (f *Fake) Identifies() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.identifies
}

// Resumes returns how many RESUMEs the fake has answered with RESUMED.
func (f *Fake) Resumes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.resumes
}

// WaitIdentify waits until the fake has answered at least n IDENTIFYs in
// all (counting those already answered).
func (f *Fake) WaitIdentify(ctx context.Context, n int) error {
	if err := f.Until(ctx, func() bool { return f.Identifies() >= n }); err != nil {
		return fmt.Errorf("wait for identify #%d (have %d): %w", n, f.Identifies(), err)
	}
	return nil
}

// WaitResume waits until the fake has answered at least n RESUMEs in all.
func (f *Fake) WaitResume(ctx context.Context, n int) error {
	if err := f.Until(ctx, func() bool { return f.Resumes() >= n }); err != nil {
		return fmt.Errorf("wait for resume #%d (have %d): %w", n, f.Resumes(), err)
	}
	return nil
}

// WaitReady waits until some connection carries a session (READY or
// RESUMED sent on it) and returns that session.
func (f *Fake) WaitReady(ctx context.Context) (SessionInfo, error) {
	found, err := waitFirst(ctx, f, f.Sessions, func(s SessionInfo) bool { return s.Connected })
	if err != nil {
		return SessionInfo{}, fmt.Errorf("wait for a ready gateway session: %w", err)
	}
	return found, nil
}

// Sessions returns every gateway session, oldest first.
func (f *Fake) Sessions() []SessionInfo {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]SessionInfo, 0, len(f.sessions))
	for _, s := range f.sortedSessions() {
		si := SessionInfo{ID: s.id, Shard: s.shard, Intents: s.intents, Compress: s.compress, Seq: s.seq, Valid: s.valid}
		if s.conn != nil {
			si.Connected, si.Conn = true, s.conn.id
		}
		out = append(out, si)
	}
	return out
}

func (f *Fake) sortedSessions() []*session {
	return slices.SortedFunc(maps.Values(f.sessions), func(a, b *session) int { return a.n - b.n })
}

// Conns returns every gateway connection, oldest first.
func (f *Fake) Conns() []ConnInfo {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []ConnInfo
	for _, c := range f.sortedConns() {
		ci := ConnInfo{
			ID: c.id, Query: maps.Clone(c.query), Open: !c.finished, ClientCloseCode: c.clientClose,
			ServerCloseCode: c.serverClose, Heartbeats: c.heartbeats, Opened: c.opened, Closed: c.closedAt,
		}
		if s := c.lastSess; s != nil {
			ci.SessionID, ci.Shard = s.id, s.shard
		}
		out = append(out, ci)
	}
	return out
}
