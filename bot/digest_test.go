package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/digest"
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

	d := digest.Select(ix, at.Add(-24*time.Hour), at, true, "")
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
	d = digest.Select(ix2, at.Add(-24*time.Hour), at, false, "")
	if len(d.Items) != digest.MaxArticles || d.More != 2 {
		t.Fatalf("7 articles: %d items, more %d; want 5 and 2", len(d.Items), d.More)
	}
	r = digestReply(d, at)
	checkLimits(t, r)
	goldenJSON(t, "render_digest_more", r.messageSend(nil))
	again := digestReply(digest.Select(ix2, at.Add(-24*time.Hour), at, false, ""), at)
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
	for i := range digest.MaxArticles {
		a := testArticle(t, fmt.Sprintf("long-%d", i), strings.Repeat("A very long headline about a bridge ", 10),
			"https://example.com/"+strings.Repeat("section/", 20)+fmt.Sprint(i),
			long+"said one.", long+"said two.", long+"said three.")
		var qs []retrieval.Quote
		for _, s := range a.Sentences() {
			qs = append(qs, retrieval.Quote{Sentence: s, Article: a})
		}
		items = append(items, retrieval.DigestItem{Article: a, Quotes: qs})
	}
	r := digestReply(digest.Digest{Items: items, More: 4}, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	checkLimits(t, r)
	body := text(&discordgo.Message{Content: r.content, Embeds: r.embeds})
	for _, end := range []string{"said one.", "said two.", "said three."} {
		if n := strings.Count(body, escape(long+end)); n != digest.MaxArticles {
			t.Errorf("%q whole %d times; want %d", end, n, digest.MaxArticles)
		}
	}
	if last := r.embeds[len(r.embeds)-1]; strings.Contains(last.Description, "](https://") {
		t.Errorf("the last article keeps its sentence links although the whole is over the limit")
	}
	if !strings.Contains(body, "and 4 more") {
		t.Errorf("no \"and 4 more\":\n%s", body)
	}
}
