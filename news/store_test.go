package news

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestStoreRefresh: two stores on one folder, as two processes sharing
// it; what one writes, the other knows after Refresh (by GUID, by URL,
// and by when it was added), a rewritten file included.
func TestStoreRefresh(t *testing.T) {
	dir := t.TempDir()
	a, _, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := &File{Title: "Keepers return", URL: "https://example.com/keepers", Body: []string{"Two keepers return to the rock."},
		Feed: "https://example.com/rss", GUID: "k-1", ItemHash: "h1", Added: "2026-12-01T08:00:00Z"}
	if err := a.Put("keepers", f); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := b.ByGUID(f.Feed, f.GUID); ok {
		t.Fatal("the other store knew the article before Refresh")
	}
	os.WriteFile(filepath.Join(dir, "broken.json"), []byte("{half"), 0o600)
	problems, err := b.Refresh()
	if err != nil || len(problems) != 1 {
		t.Errorf("Refresh = %v, %v; want the broken file reported", problems, err)
	}
	if problems, _ := b.Refresh(); len(problems) != 0 {
		t.Errorf("a second Refresh reported %v again", problems)
	}
	if id, hash, ok := b.ByGUID(f.Feed, f.GUID); !ok || id != "keepers" || hash != "h1" {
		t.Errorf("after Refresh, ByGUID = %q, %q, %v; want keepers, h1", id, hash, ok)
	}
	if id, ok := b.ByURL(f.URL); !ok || id != "keepers" {
		t.Errorf("after Refresh, ByURL = %q, %v", id, ok)
	}
	f.ItemHash, f.Body = "h2", []string{"Two keepers return to the rock, the commissioners said, at length."}
	if err := a.Put("keepers", f); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Refresh(); err != nil {
		t.Fatal(err)
	}
	if _, hash, _ := b.ByGUID(f.Feed, f.GUID); hash != "h2" {
		t.Errorf("after a rewrite and Refresh, the item hash is %q; want h2", hash)
	}
	if b.Len() != 1 {
		t.Errorf("%d articles after Refresh; want 1", b.Len())
	}
}

func TestAddedSince(t *testing.T) {
	s, _, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for id, added := range map[corpus.ArticleID]string{
		"old": "2026-11-30T07:59:59Z", "edge": "2026-11-30T08:00:00Z", "new": "2026-12-01T08:00:00Z", "unknown": "",
	} {
		if err := s.Put(id, &File{Title: string(id), Body: []string{"Text."}, Feed: "https://example.com/rss", Added: added}); err != nil {
			t.Fatal(err)
		}
	}
	got := s.AddedSince(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC))
	var ids []corpus.ArticleID
	for _, st := range got {
		ids = append(ids, st.ID)
		if st.Feed != "https://example.com/rss" || st.Added.IsZero() {
			t.Errorf("%+v; want its feed and when it was added", st)
		}
	}
	if want := []corpus.ArticleID{"edge", "new"}; !slices.Equal(ids, want) {
		t.Errorf("AddedSince = %v; want %v", ids, want)
	}
}
