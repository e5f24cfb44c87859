// Package statetest is the contract suite of [state.Store]: every
// implementation must pass [Run], as every fs.FS must pass
// testing/fstest.TestFS.
package statetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/state"
)

// Open returns a new, empty store for one test; the suite closes it.
type Open func(t *testing.T) state.Store

// Run runs the contract suite against stores made by open. Each subtest
// gets a fresh store.
func Run(t *testing.T, open Open) {
	for _, tt := range []struct {
		name string
		test func(t *testing.T, s state.Store)
	}{
		{"Subscriptions", testSubscriptions},
		{"SubscriptionTimesExact", testTimesExact},
		{"UpdateSubscriptionSerialised", testUpdateSerialised},
		{"ClaimDelivery", testClaim},
		{"ClaimDeliveryRace", testClaimRace},
		{"Threads", testThreads},
		{"Feeds", testFeeds},
		{"FeedPolls", testFeedPolls},
		{"ExportImport", func(t *testing.T, s state.Store) { testExportImport(t, s, open(t)) }},
		{"Healthy", func(t *testing.T, s state.Store) {
			if err := s.Healthy(context.Background()); err != nil {
				t.Errorf("Healthy() = %v", err)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.test(t, s)
		})
	}
}

// at is a time to the microsecond, in UTC: stores keep times to the
// microsecond, a digest's bounds (Since, Cutoff) to the nanosecond.
var at = time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC)

func testSubscriptions(t *testing.T, s state.Store) {
	ctx := context.Background()
	if subs, err := s.Subscriptions(ctx); err != nil || len(subs) != 0 {
		t.Fatalf("empty store: Subscriptions = %v, %v", subs, err)
	}
	if _, found, err := s.Subscription(ctx, "1"); found || err != nil {
		t.Fatalf("Subscription(missing) = %v, %v; want not found", found, err)
	}
	full := state.Subscription{ChannelID: "3000000000000000002", GuildID: "2000000000000000001", Resolved: true, News: true,
		Time: "18:30", Zone: "Europe/Dublin", Config: true, Off: true, Created: at, Fired: at.Add(time.Hour),
		LastDay: "2026-03-02", Since: at.Add(-time.Hour), LastPost: at.Add(2 * time.Hour), LastMessage: "4000000000000000001",
		Broken: "403 Missing Access", BrokenAt: at.Add(3 * time.Hour)}
	for _, id := range []string{"3000000000000000002", "3000000000000000001"} {
		got, err := s.UpdateSubscription(ctx, id, func(sub *state.Subscription, found bool) (bool, error) {
			if found || sub.ChannelID != id {
				t.Errorf("new subscription: found %v, %+v", found, sub)
			}
			if id == full.ChannelID {
				*sub = full
			} else {
				sub.Created = at
			}
			return true, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.ChannelID != id {
			t.Errorf("UpdateSubscription returned %+v", got)
		}
	}
	subs, err := s.Subscriptions(ctx)
	if err != nil || len(subs) != 2 || subs[0].ChannelID != "3000000000000000001" {
		t.Fatalf("Subscriptions = %+v, %v; want 2, by channel id", subs, err)
	}
	equal(t, "stored subscription", subs[1], full)
	got, found, err := s.Subscription(ctx, full.ChannelID)
	if err != nil || !found {
		t.Fatalf("Subscription = %v, %v", found, err)
	}
	equal(t, "Subscription", got, full)

	// fn declining, or failing, leaves the store unchanged.
	boom := errors.New("boom")
	for _, fn := range []func(*state.Subscription, bool) (bool, error){
		func(sub *state.Subscription, found bool) (bool, error) { sub.Time = "07:00"; return false, nil },
		func(sub *state.Subscription, found bool) (bool, error) { sub.Time = "07:00"; return true, boom },
	} {
		_, err := s.UpdateSubscription(ctx, full.ChannelID, fn)
		if err != nil && !errors.Is(err, boom) {
			t.Errorf("UpdateSubscription = %v; want nil or the error of fn", err)
		}
		if got, _, _ := s.Subscription(ctx, full.ChannelID); got.Time != "18:30" {
			t.Errorf("a declined update wrote %q", got.Time)
		}
	}
	if _, err := s.UpdateSubscription(ctx, "9", func(*state.Subscription, bool) (bool, error) { return false, nil }); err != nil {
		t.Fatal(err)
	}
	if _, found, _ := s.Subscription(ctx, "9"); found {
		t.Error("a declined update of a missing subscription created it")
	}
	if err := s.DeleteSubscription(ctx, full.ChannelID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSubscription(ctx, "missing"); err != nil {
		t.Errorf("DeleteSubscription(missing) = %v", err)
	}
	if subs, _ := s.Subscriptions(ctx); len(subs) != 1 {
		t.Errorf("%d subscriptions after a delete; want 1", len(subs))
	}
}

// testTimesExact checks that a digest's bounds come back to the
// nanosecond: an article first indexed at Since must not come again.
func testTimesExact(t *testing.T, s state.Store) {
	ctx := context.Background()
	for i, ns := range []int{1, 999, 123456789, 999999999} {
		since := time.Date(2026, 3, 2, 9, 0, 0, ns, time.UTC)
		id := strconv.Itoa(i)
		if _, err := s.UpdateSubscription(ctx, id, func(sub *state.Subscription, _ bool) (bool, error) {
			sub.Since = since
			return true, nil
		}); err != nil {
			t.Fatal(err)
		}
		if got, _, _ := s.Subscription(ctx, id); !got.Since.Equal(since) {
			t.Errorf("Since stored as %v; want %v", got.Since, since)
		}
		d := state.Delivery{ChannelID: id, Key: "k", Kind: state.KindDigest, Since: since, Cutoff: since.Add(1), ClaimedBy: "a", ClaimedAt: at}
		if _, _, err := s.ClaimDelivery(ctx, d, time.Minute); err != nil {
			t.Fatal(err)
		}
		got, _, _ := s.Delivery(ctx, id, "k")
		if !got.Since.Equal(since) || !got.Cutoff.Equal(since.Add(1)) {
			t.Errorf("delivery bounds stored as %v, %v; want %v, %v", got.Since, got.Cutoff, since, since.Add(1))
		}
	}
}

// testUpdateSerialised runs concurrent read-modify-writes of one
// subscription: none is lost.
func testUpdateSerialised(t *testing.T, s state.Store) {
	ctx := context.Background()
	const n = 20
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := s.UpdateSubscription(ctx, "1", func(sub *state.Subscription, _ bool) (bool, error) {
				k, _ := strconv.Atoi(sub.LastMessage)
				sub.LastMessage = strconv.Itoa(k + 1)
				return true, nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got, _, _ := s.Subscription(ctx, "1"); got.LastMessage != strconv.Itoa(n) {
		t.Errorf("after %d concurrent increments: %q", n, got.LastMessage)
	}
}

func testClaim(t *testing.T, s state.Store) {
	ctx := context.Background()
	const lease = time.Minute
	d := state.Delivery{ChannelID: "1", Key: "2026-03-02", Kind: state.KindDigest, Nonce: "n1", Since: at.Add(-time.Hour),
		Cutoff: at, First: true, ClaimedBy: "a", ClaimedAt: at}
	for _, tt := range []struct {
		name      string
		by        string
		at        time.Time
		nonce     string
		wantClaim bool
		wantBy    string
	}{
		{"first", "a", at, "n1", true, "a"},
		{"another, within the lease", "b", at.Add(time.Second), "n2", false, "a"},
		{"the holder again", "a", at.Add(2 * time.Second), "n3", true, "a"},
		{"another, the lease over", "b", at.Add(2*time.Second + lease), "n4", true, "b"},
		{"the first, now within b's lease", "a", at.Add(3*time.Second + lease), "n5", false, "b"},
	} {
		p := d
		p.ClaimedBy, p.ClaimedAt, p.Nonce = tt.by, tt.at, tt.nonce
		got, claimed, err := s.ClaimDelivery(ctx, p, lease)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if claimed != tt.wantClaim || got.ClaimedBy != tt.wantBy {
			t.Errorf("%s: claimed %v by %q; want %v by %q", tt.name, claimed, got.ClaimedBy, tt.wantClaim, tt.wantBy)
		}
		// The stored delivery keeps its own nonce, bounds and start.
		if got.Nonce != "n1" || !got.Started.Equal(at) || !got.Since.Equal(d.Since) || !got.Cutoff.Equal(d.Cutoff) || !got.First || !got.Pending() {
			t.Errorf("%s: stored delivery %+v", tt.name, got)
		}
	}
	if err := s.FinishDelivery(ctx, "1", "2026-03-02", "a", state.OutcomePosted, "m", at); !errors.Is(err, state.ErrNotClaimed) {
		t.Errorf("FinishDelivery by a non-holder = %v; want ErrNotClaimed", err)
	}
	if err := s.FinishDelivery(ctx, "1", "nope", "b", state.OutcomePosted, "m", at); !errors.Is(err, state.ErrNotClaimed) {
		t.Errorf("FinishDelivery of a missing delivery = %v; want ErrNotClaimed", err)
	}
	done := at.Add(2 * lease)
	if err := s.FinishDelivery(ctx, "1", "2026-03-02", "b", state.OutcomePosted, "4000000000000000009", done); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishDelivery(ctx, "1", "2026-03-02", "b", state.OutcomeGivenUp, "", done); !errors.Is(err, state.ErrNotClaimed) {
		t.Errorf("FinishDelivery twice = %v; want ErrNotClaimed", err)
	}
	p := d
	p.ClaimedBy, p.ClaimedAt = "c", at.Add(time.Hour*24)
	got, claimed, err := s.ClaimDelivery(ctx, p, lease)
	if err != nil || claimed || got.Pending() || got.Outcome != state.OutcomePosted || got.MessageID != "4000000000000000009" || !got.Done.Equal(done) {
		t.Errorf("claim of a finished delivery: %v %+v %v", claimed, got, err)
	}
	// Keys are per channel: another channel's delivery of the same day,
	// and an announcement, are their own.
	for _, other := range []state.Delivery{
		{ChannelID: "2", Key: "2026-03-02", Kind: state.KindDigest, ClaimedBy: "a", ClaimedAt: at},
		{ChannelID: "1", Key: "bridge-article", Kind: state.KindAnnouncement, Nonce: "n", ClaimedBy: "a", ClaimedAt: at},
	} {
		if got, claimed, err := s.ClaimDelivery(ctx, other, lease); err != nil || !claimed || got.Kind != other.Kind {
			t.Errorf("ClaimDelivery(%s %s) = %v, %v", other.ChannelID, other.Key, claimed, err)
		}
	}
	if _, found, err := s.Delivery(ctx, "3", "x"); found || err != nil {
		t.Errorf("Delivery(missing) = %v, %v", found, err)
	}
}

// testClaimRace claims one delivery from many goroutines at once, each a
// claimant of its own: exactly one gets it.
func testClaimRace(t *testing.T, s state.Store) {
	ctx := context.Background()
	for round := range 5 {
		key := fmt.Sprintf("2026-03-0%d", round+1)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var winners []string
		for i := range 8 {
			wg.Go(func() {
				by := fmt.Sprintf("process-%d", i)
				d := state.Delivery{ChannelID: "1", Key: key, Kind: state.KindDigest, Nonce: by, ClaimedBy: by, ClaimedAt: at}
				got, claimed, err := s.ClaimDelivery(ctx, d, time.Minute)
				if err != nil {
					t.Error(err)
					return
				}
				if claimed {
					mu.Lock()
					winners = append(winners, by)
					mu.Unlock()
					if got.ClaimedBy != by || got.Nonce != by {
						t.Errorf("winner %s got %+v", by, got)
					}
				}
			})
		}
		wg.Wait()
		if len(winners) != 1 {
			t.Errorf("round %d: %d claimants won: %v", round, len(winners), winners)
		}
	}
}

func testThreads(t *testing.T, s state.Store) {
	ctx := context.Background()
	for _, th := range []state.Thread{
		{ThreadID: "5000000000000000002", ArticleID: "b", ChannelID: "1", Created: at},
		{ThreadID: "5000000000000000001", ArticleID: "a", ChannelID: "1", Created: at},
		{ThreadID: "5000000000000000002", ArticleID: "c", ChannelID: "2", Created: at.Add(time.Hour)},
	} {
		if err := s.PutThread(ctx, th); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Threads(ctx)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "Threads", got, []state.Thread{
		{ThreadID: "5000000000000000001", ArticleID: "a", ChannelID: "1", Created: at},
		{ThreadID: "5000000000000000002", ArticleID: "c", ChannelID: "2", Created: at.Add(time.Hour)},
	})
}

func testFeeds(t *testing.T, s state.Store) {
	ctx := context.Background()
	if feeds, err := s.Feeds(ctx); err != nil || len(feeds) != 0 {
		t.Fatalf("Feeds on an empty store = %v, %v", feeds, err)
	}
	in := []state.Feed{
		{GuildID: "2", URL: "https://b.example/feed", AddedBy: "u", AddedAt: at},
		{GuildID: "1", URL: "https://z.example/rss", ChannelID: "3", Filter: "bridge", AddedBy: "u", AddedAt: at},
		{GuildID: "1", URL: "https://a.example/atom", AddedAt: at},
		{GuildID: "2", URL: "https://b.example/feed", ChannelID: "4", AddedBy: "v", AddedAt: at.Add(time.Hour)}, // replaces
	}
	for _, f := range in {
		if err := s.PutFeed(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, "Feeds", got, []state.Feed{in[2], in[1], in[3]})
	for _, tt := range []struct {
		guild, url string
		want       bool
	}{
		{"1", "https://z.example/rss", true},
		{"1", "https://z.example/rss", false},
		{"3", "https://a.example/atom", false}, // another server's
	} {
		if found, err := s.DeleteFeed(ctx, tt.guild, tt.url); err != nil || found != tt.want {
			t.Errorf("DeleteFeed(%s, %s) = %v, %v; want %v", tt.guild, tt.url, found, err, tt.want)
		}
	}
	if got, _ := s.Feeds(ctx); len(got) != 2 {
		t.Errorf("%d feeds after a delete; want 2", len(got))
	}
}

func testFeedPolls(t *testing.T, s state.Store) {
	ctx := context.Background()
	const url = "https://a.example/feed"
	if _, found, err := s.FeedPoll(ctx, url); found || err != nil {
		t.Fatalf("FeedPoll(missing) = %v, %v", found, err)
	}
	p := state.FeedPoll{URL: url, ETag: `W/"1"`, LastModified: "Mon, 02 Mar 2026 09:00:00 GMT", LastSuccess: at,
		LastError: "503 Service Unavailable", LastErrorAt: at.Add(time.Minute), Failures: 2, NextPoll: at.Add(time.Hour)}
	for range 2 {
		if err := s.PutFeedPoll(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, found, err := s.FeedPoll(ctx, url)
		if err != nil || !found {
			t.Fatalf("FeedPoll = %v, %v", found, err)
		}
		equal(t, "FeedPoll", got, p)
		p.Failures, p.LastError, p.LastErrorAt = 0, "", time.Time{}
	}
}

// fill writes one record of every kind, and some more.
func fill(t *testing.T, s state.Store) {
	t.Helper()
	ctx := context.Background()
	for i := range 3 {
		id := fmt.Sprintf("300000000000000000%d", i)
		if _, err := s.UpdateSubscription(ctx, id, func(sub *state.Subscription, _ bool) (bool, error) {
			sub.GuildID, sub.Created, sub.Fired, sub.Since, sub.LastDay = "2000000000000000001", at, at, at.Add(time.Duration(i)), "2026-03-01"
			sub.Zone = "Europe/Dublin"
			return true, nil
		}); err != nil {
			t.Fatal(err)
		}
		d := state.Delivery{ChannelID: id, Key: "2026-03-02", Kind: state.KindDigest, Nonce: "n" + id, Since: at, Cutoff: at.Add(time.Second),
			ClaimedBy: "a", ClaimedAt: at}
		if _, _, err := s.ClaimDelivery(ctx, d, time.Minute); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := s.FinishDelivery(ctx, id, d.Key, "a", state.OutcomePosted, "4000000000000000001", at.Add(time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.PutThread(ctx, state.Thread{ThreadID: "500000000000000000" + strconv.Itoa(i), ArticleID: "art", ChannelID: id, Created: at}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutFeed(ctx, state.Feed{GuildID: "2000000000000000001", URL: "https://example.com/" + strconv.Itoa(i), AddedAt: at}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutFeedPoll(ctx, state.FeedPoll{URL: "https://example.com/" + strconv.Itoa(i), ETag: "e", NextPoll: at}); err != nil {
			t.Fatal(err)
		}
	}
}

// testExportImport fills one store, exports it, imports the snapshot into
// another (twice), and exports that: the same records.
func testExportImport(t *testing.T, s, other state.Store) {
	t.Cleanup(func() { other.Close() })
	ctx := context.Background()
	fill(t, s)
	snap, err := s.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Version != state.SnapshotVersion || len(snap.Subscriptions) != 3 || len(snap.Deliveries) != 3 || len(snap.Threads) != 3 ||
		len(snap.Feeds) != 3 || len(snap.FeedPolls) != 3 {
		t.Fatalf("export: %+v", snap)
	}
	// Through JSON, as `state export` and `state import` move it.
	raw, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	var read state.Snapshot
	if err := json.Unmarshal(raw, &read); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := other.Import(ctx, read); err != nil {
			t.Fatal(err)
		}
		again, err := other.Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		equal(t, "exported after import", again, snap)
	}
	// Imported claims hold as they did: the claim race is the store's.
	d := snap.Deliveries[1]
	if _, claimed, _ := other.ClaimDelivery(ctx, state.Delivery{ChannelID: d.ChannelID, Key: d.Key, ClaimedBy: "z", ClaimedAt: at}, time.Minute); claimed {
		t.Error("an imported claim was not honoured")
	}
	if empty, err := other.Export(ctx); err != nil || empty.Subscriptions == nil {
		t.Errorf("Export lists: %v", err)
	}
}

// equal compares records through their JSON form, in UTC, so that a
// store may hand back times in another location.
func equal(t *testing.T, what string, got, want any) {
	t.Helper()
	g, w := canonical(t, got), canonical(t, want)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %s\nwant %s", what, mustJSON(g), mustJSON(w))
	}
}

func canonical(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return utc(out)
}

// utc rewrites every RFC 3339 time in a decoded JSON value in UTC.
func utc(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = utc(e)
		}
	case []any:
		for i, e := range x {
			x[i] = utc(e)
		}
	case string:
		if tm, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return tm.UTC().Format(time.RFC3339Nano)
		}
	}
	return v
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
