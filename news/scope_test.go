package news

import (
	"context"
	"testing"
)

func TestMergeGuilds(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"", "", ""},
		{"1", "", ""},
		{"", "1", ""},
		{"1", "1", "1"},
		{"1", "2", "1,2"},
		{"1,2", "2,3", "1,2,3"},
		{NoServer, "2", "2"},
		{NoServer, NoServer, NoServer},
	}
	for _, tt := range tests {
		if got := mergeGuilds(tt.a, tt.b); got != tt.want {
			t.Errorf("mergeGuilds(%q, %q) = %q; want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestAddURLScope: a page added by one server is that server's; added by
// another, it becomes both servers'; by the operator, every server's.
func TestAddURLScope(t *testing.T) {
	s := newSite(t)
	s.page("/c/storm", stormB)
	svc := testService(t, nil)
	ctx := context.Background()
	res, err := svc.AddURL(ctx, s.URL("/c/storm"), "111")
	if err != nil || len(res.Added) != 1 {
		t.Fatalf("AddURL = %+v, %v", res, err)
	}
	id := res.Added[0].ID
	for _, step := range []struct{ guild, want string }{{"111", "111"}, {"222", "111,222"}, {"", ""}, {"333", ""}} {
		if _, err := svc.AddURL(ctx, s.URL("/c/storm"), step.guild); err != nil {
			t.Fatal(err)
		}
		f, err := svc.Store().Read(id)
		if err != nil {
			t.Fatal(err)
		}
		if f.Guild != step.want {
			t.Errorf("after AddURL by %q: guild = %q; want %q", step.guild, f.Guild, step.want)
		}
	}
}

func TestCheckFeed(t *testing.T) {
	s := newSite(t)
	s.feed("/feed", "rss.xml", "application/rss+xml")
	s.feed("/bad", "malformed.xml", "application/rss+xml")
	svc := testService(t, nil)
	ctx := context.Background()
	if title, err := svc.CheckFeed(ctx, s.URL("/feed")); err != nil || title != "The Coastal Herald" {
		t.Errorf("CheckFeed(feed) = %q, %v; want The Coastal Herald", title, err)
	}
	for _, path := range []string{"/bad", "/missing"} {
		if _, err := svc.CheckFeed(ctx, s.URL(path)); err == nil {
			t.Errorf("CheckFeed(%s) = nil; want an error", path)
		}
	}
	if s.Hits("/a/bridge") != 0 {
		t.Error("CheckFeed fetched an item's page")
	}
	strict := NewService(NewFetcher(FetchOptions{}), svc.Store(), Options{})
	if _, err := strict.CheckFeed(ctx, s.URL("/feed")); KindOf(err) != KindBlocked {
		t.Errorf("CheckFeed(loopback) without AllowPrivate = %v (%s); want blocked", err, KindOf(err))
	}
}
