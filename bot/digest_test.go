package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// testArticle parses a small article, as if read from ID.txt.
func testArticle(tb testing.TB, id, title, url string, paragraphs ...string) *corpus.Article {
	tb.Helper()
	text := "Title: " + title + "\nSource: The Test Times\nPublished: 2026-03-01\n"
	if url != "" {
		text += "URL: " + url + "\n"
	}
	text += "\n" + strings.Join(paragraphs, "\n\n") + "\n"
	a, err := corpus.Parse(corpus.ArticleID(id), corpus.FormatText, []byte(text), nil)
	if err != nil {
		tb.Fatalf("parse %s: %v", id, err)
	}
	return a
}

// fruitArticles are n small articles, each about one fruit.
func fruitArticles(tb testing.TB, n int) []*corpus.Article {
	tb.Helper()
	fruits := []string{"apples", "bananas", "cherries", "damsons", "elderberries", "figs", "grapes", "hazelnuts"}
	var out []*corpus.Article
	for i := range n {
		f := fruits[i%len(fruits)]
		out = append(out, testArticle(tb, fmt.Sprintf("fruit-%02d", i), "Growers report a record harvest of "+f,
			fmt.Sprintf("https://example.com/news/%s-%d", f, i),
			fmt.Sprintf("Growers in the valley picked more %s this autumn than in any year on record.", f),
			fmt.Sprintf("\"We have never seen so many %s on the trees,\" said Mary Byrne, who chairs the growers' association.", f),
			fmt.Sprintf("Prices for %s fell by a fifth at the wholesale market in the city.", f),
			"The association expects exports to rise next year if the weather holds.",
			"Some farmers said they had run out of storage space and hired extra lorries.",
		))
	}
	return out
}

func TestRenderDigest(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	seed, err := corpus.Default()
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.OpenMemory(context.Background(), seed, retrieval.Options{Now: func() time.Time { return at.Add(-time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	d := SelectDigest(ix, at.Add(-24*time.Hour), at, true)
	if len(d.Items) != 1 || len(d.Items[0].Quotes) != retrieval.DefaultKeySentences || d.More != 0 {
		t.Fatalf("seed digest: %d items, more %d", len(d.Items), d.More)
	}
	r := digestReply(d, at)
	checkLimits(t, r)
	goldenJSON(t, "render_digest", r.messageSend(nil))

	// Seven new articles: five shown, "and 2 more".
	ix2, err := retrieval.OpenMemory(context.Background(), corpus.New(fruitArticles(t, 7)...), retrieval.Options{Now: func() time.Time { return at.Add(-time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	d = SelectDigest(ix2, at.Add(-24*time.Hour), at, false)
	if len(d.Items) != DigestMaxArticles || d.More != 2 {
		t.Fatalf("7 articles: %d items, more %d; want 5 and 2", len(d.Items), d.More)
	}
	r = digestReply(d, at)
	checkLimits(t, r)
	goldenJSON(t, "render_digest_more", r.messageSend(nil))
	again := digestReply(SelectDigest(ix2, at.Add(-24*time.Hour), at, false), at)
	j1, _ := json.Marshal(r.messageSend(nil))
	j2, _ := json.Marshal(again.messageSend(nil))
	if string(j1) != string(j2) {
		t.Error("the same index and times give another digest")
	}
}

func TestRenderDigestWithinLimits(t *testing.T) {
	// Five articles of long sentences at long URLs: the sentence links
	// make way, every key sentence stays whole.
	long := strings.Repeat("The committee heard evidence from residents, engineers and officials about the state of the bridge, ", 2)
	var items []retrieval.DigestItem
	for i := range DigestMaxArticles {
		a := testArticle(t, fmt.Sprintf("long-%d", i), strings.Repeat("A very long headline about a bridge ", 10),
			"https://example.com/"+strings.Repeat("section/", 20)+fmt.Sprint(i),
			long+"said one.", long+"said two.", long+"said three.")
		var qs []retrieval.Quote
		for _, s := range a.Sentences() {
			qs = append(qs, retrieval.Quote{Sentence: s, Article: a})
		}
		items = append(items, retrieval.DigestItem{Article: a, Quotes: qs})
	}
	r := digestReply(Digest{Items: items, More: 4}, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	checkLimits(t, r)
	body := text(&discordgo.Message{Content: r.content, Embeds: r.embeds})
	for _, end := range []string{"said one.", "said two.", "said three."} {
		if n := strings.Count(body, escape(long+end)); n != DigestMaxArticles {
			t.Errorf("%q whole %d times; want %d", end, n, DigestMaxArticles)
		}
	}
	if last := r.embeds[len(r.embeds)-1]; strings.Contains(last.Description, "](https://") {
		t.Errorf("the last article keeps its sentence links although the whole is over the limit")
	}
	if !strings.Contains(body, "and 4 more") {
		t.Errorf("no \"and 4 more\":\n%s", body)
	}
}

func TestSelectDigest(t *testing.T) {
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now := base
	ix, err := retrieval.OpenMemory(context.Background(), corpus.New(), retrieval.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	arts := fruitArticles(t, 3)
	for i := range arts {
		now = base.Add(time.Duration(i) * time.Hour)
		if err := ix.Sync(context.Background(), corpus.New(arts[:i+1]...)); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(d Digest) string {
		var s []string
		for _, it := range d.Items {
			s = append(s, string(it.Article.ID))
		}
		return strings.Join(s, ",")
	}
	for _, tt := range []struct {
		name         string
		since, until time.Time
		newest       bool
		want         string
	}{
		{"all, newest first", base.Add(-time.Hour), base.Add(5 * time.Hour), false, "fruit-02,fruit-01,fruit-00"},
		{"after since", base, base.Add(5 * time.Hour), false, "fruit-02,fruit-01"},
		{"until bounds", base.Add(-time.Hour), base.Add(90 * time.Minute), false, "fruit-01,fruit-00"},
		{"nothing new", base.Add(3 * time.Hour), base.Add(5 * time.Hour), false, ""},
		{"nothing new, newest instead", base.Add(3 * time.Hour), base.Add(5 * time.Hour), true, "fruit-02"},
		{"newest by until", base.Add(3 * time.Hour), base.Add(90 * time.Minute), true, "fruit-01"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := SelectDigest(ix, tt.since, tt.until, tt.newest)
			if got := ids(d); got != tt.want {
				t.Errorf("SelectDigest = %q; want %q", got, tt.want)
			}
			// Newest is the newest new article's time, whatever is shown.
			if len(d.Items) > 0 && d.Items[0].Added.After(tt.since) && !d.Newest.Equal(d.Items[0].Added) {
				t.Errorf("Newest = %v; want %v", d.Newest, d.Items[0].Added)
			}
			if (len(d.Items) == 0 || !d.Items[0].Added.After(tt.since)) && !d.Newest.IsZero() {
				t.Errorf("Newest = %v with nothing new", d.Newest)
			}
		})
	}
}

func TestDigestNonce(t *testing.T) {
	a := digestNonce("3000000000000000001", "2026-03-02")
	if len(a) > 25 || len(a) == 0 {
		t.Errorf("nonce %q: %d characters; Discord takes at most 25", a, len(a))
	}
	if a != digestNonce("3000000000000000001", "2026-03-02") {
		t.Error("nonce differs for the same channel and day")
	}
	if a == digestNonce("3000000000000000001", "2026-03-03") || a == digestNonce("3000000000000000002", "2026-03-02") {
		t.Error("nonce the same for another day or channel")
	}
}

func TestStoreFileIsPrivateAndLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), StoreFile)
	s, err := OpenStore(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v; want 0600", fi.Mode().Perm())
	}
	// A second opener (as another process would) gives up promptly.
	start := time.Now()
	if _, err := OpenStore(path, 100*time.Millisecond); !errors.Is(err, ErrStoreLocked) {
		t.Errorf("second open = %v; want ErrStoreLocked", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second open took %v", d)
	}

	// Subscriptions survive closing and reopening.
	if _, err := s.updateSubscription("42", func(sub *subscription, found bool) (bool, error) {
		sub.LastDay = "2026-03-02"
		return true, nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := OpenStore(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	sub, ok, err := s2.subscription("42")
	if err != nil || !ok || sub.LastDay != "2026-03-02" {
		t.Errorf("after reopening: %+v, %v, %v", sub, ok, err)
	}
}
