package digest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

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

func TestSelect(t *testing.T) {
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now := base
	ix, err := retrieval.OpenMemory(context.Background(), corpus.New(), retrieval.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	arts := fruitArticles(t, 3)
	arts[1].Guilds = []string{"111"} // a server's own: answered there only
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
		guild        string
		want         string
	}{
		{"all, newest first", base.Add(-time.Hour), base.Add(5 * time.Hour), false, "", "fruit-02,fruit-01,fruit-00"},
		{"after since", base, base.Add(5 * time.Hour), false, "", "fruit-02,fruit-01"},
		{"until bounds", base.Add(-time.Hour), base.Add(90 * time.Minute), false, "", "fruit-01,fruit-00"},
		{"nothing new", base.Add(3 * time.Hour), base.Add(5 * time.Hour), false, "", ""},
		{"nothing new, newest instead", base.Add(3 * time.Hour), base.Add(5 * time.Hour), true, "", "fruit-02"},
		{"newest by until", base.Add(3 * time.Hour), base.Add(90 * time.Minute), true, "", "fruit-01"},
		{"the server's own", base.Add(-time.Hour), base.Add(5 * time.Hour), false, "111", "fruit-02,fruit-01,fruit-00"},
		{"not another server's", base.Add(-time.Hour), base.Add(5 * time.Hour), false, "222", "fruit-02,fruit-00"},
		{"not outside any server", base.Add(-time.Hour), base.Add(5 * time.Hour), false, retrieval.NoGuild, "fruit-02,fruit-00"},
		{"newest instead, of those seen", base.Add(3 * time.Hour), base.Add(90 * time.Minute), true, "222", "fruit-00"},
		{"only another server's new", base, base.Add(90 * time.Minute), false, "222", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := Select(ix, tt.since, tt.until, tt.newest, tt.guild)
			if got := ids(d); got != tt.want {
				t.Errorf("Select = %q; want %q", got, tt.want)
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

func TestNonce(t *testing.T) {
	a := Nonce("3000000000000000001", "2026-03-02")
	if len(a) > 25 || len(a) == 0 {
		t.Errorf("nonce %q: %d characters; Discord takes at most 25", a, len(a))
	}
	if a != Nonce("3000000000000000001", "2026-03-02") {
		t.Error("nonce differs for the same channel and day")
	}
	if a == Nonce("3000000000000000001", "2026-03-03") || a == Nonce("3000000000000000002", "2026-03-02") {
		t.Error("nonce the same for another day or channel")
	}
}
