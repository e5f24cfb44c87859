package bot

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testNow is the fixed clock of rendering tests, so custom ids are stable.
var testNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// testBot makes a bot (not connected) over a real in-memory index of c.
func testBot(tb testing.TB, c *corpus.Corpus) *Bot {
	tb.Helper()
	ix, err := retrieval.OpenMemory(context.Background(), c, retrieval.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	b, err := New(ix, Options{Token: "test-token", Now: func() time.Time { return testNow }})
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func seedBot(tb testing.TB) *Bot {
	tb.Helper()
	c, err := corpus.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return testBot(tb, c)
}

func goldenJSON(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// checkLimits fails when a reply breaks one of Discord's limits or could
// ping someone.
func checkLimits(t *testing.T, r reply) {
	t.Helper()
	d := r.interactionData()
	if len(d.Content) > maxContent || len(d.Embeds) > maxEmbeds || embedsSize(d.Embeds) > maxEmbedTotal {
		t.Errorf("reply over limits: content %d, %d embeds, embed text %d", len(d.Content), len(d.Embeds), embedsSize(d.Embeds))
	}
	for _, e := range d.Embeds {
		if len(e.Description) > maxDescription || len(e.Fields) > maxFields {
			t.Errorf("embed over limits: description %d, %d fields", len(e.Description), len(e.Fields))
		}
	}
	raw, _ := json.Marshal(d)
	if !strings.Contains(string(raw), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("allowed_mentions does not parse nothing: %s", raw)
	}
}

func TestRenderGolden(t *testing.T) {
	b := seedBot(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		make func() (reply, error)
	}{
		{"ask", func() (reply, error) { return b.answer(ctx, viaCommand, "Who is Zalmy Khalilzad?", "", 3) }},
		// The words that answer a "when" question stand in bold.
		{"ask_answer", func() (reply, error) {
			return b.answer(ctx, viaCommand, "When did Washington break off ties with Iran?", "", 1)
		}},
		{"ask_no_answer", func() (reply, error) {
			return b.answer(ctx, viaCommand, "How many people were killed in Baghdad last week?", "", 3)
		}},
		{"lookup", func() (reply, error) { return b.lookupPage(ctx, "Iran", 1) }},
		{"lookup_none", func() (reply, error) { return b.lookupPage(ctx, "xyzzy", 0) }},
		{"article_list", func() (reply, error) { return b.articleList(context.Background(), 0), nil }},
		{"article", func() (reply, error) { return b.articleDetails("000_f7beece76a365f7b") }},
		{"context", func() (reply, error) {
			return b.pressContext(buttonID{action: actionContext, args: []string{articleKey("000_f7beece76a365f7b"), "a", "1"}})
		}},
		{"help", func() (reply, error) { return b.cmdHelp(ctx, nil) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.make()
			if err != nil {
				t.Fatal(err)
			}
			checkLimits(t, r)
			goldenJSON(t, "render_"+tt.name, r.interactionData())
		})
	}
}

func TestRenderHostileArticle(t *testing.T) {
	text := "Title: [Free](https://evil.example) @everyone\n\n" +
		"The spokesman said **nothing** to <@123456789> and @here about the [prize](https://evil.example/x) at https://evil.example today.\n" +
		"# Not a heading, said a reader."
	a, err := corpus.Parse("hostile", corpus.FormatText, []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	b := testBot(t, corpus.New(a))
	r, err := b.answer(context.Background(), viaCommand, "What did the spokesman say about the prize?", "", 3)
	if err != nil {
		t.Fatal(err)
	}
	checkLimits(t, r)
	raw, _ := json.Marshal(r.interactionData())
	for _, bad := range []string{"<@123456789>", "@everyone", "@here", "](https://evil", "**nothing**", "https://evil"} {
		if strings.Contains(string(raw), bad) {
			t.Errorf("rendered answer carries %q unescaped: %s", bad, raw)
		}
	}
	goldenJSON(t, "render_hostile", r.interactionData())
}

func TestRenderHugeSentences(t *testing.T) {
	long := strings.Repeat("The committee reviewed the harbour tunnel plans again ", 120) + "and approved them."
	var paras []string
	for range 5 {
		paras = append(paras, long)
	}
	a, err := corpus.Parse("huge", corpus.FormatText, []byte(strings.Join(paras, "\n\n")), nil)
	if err != nil {
		t.Fatal(err)
	}
	b := testBot(t, corpus.New(a))
	r, err := b.answer(context.Background(), viaCommand, "What did the committee review?", "", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.embeds) == 0 {
		t.Fatal("no embeds")
	}
	checkLimits(t, r)
	for _, e := range r.embeds {
		if !strings.Contains(e.Description, "\u2026") {
			t.Errorf("a 6,000-character sentence was not shortened visibly")
		}
	}
}

func TestButtonsUnderAnswer(t *testing.T) {
	b := seedBot(t)
	r, err := b.answer(context.Background(), viaCommand, "Who is Zalmy Khalilzad?", "", 1)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, row := range r.components {
		for _, c := range row.(discordgo.ActionsRow).Components {
			ids = append(ids, c.(discordgo.Button).CustomID)
		}
	}
	if len(ids) != 2 {
		t.Fatalf("buttons %q; want More and Context", ids)
	}
	if _, err := b.signer.decode(ids[0], testNow, "Who is Zalmy Khalilzad?"); err != nil {
		t.Errorf("More id %q does not decode for its question: %v (all %q)", ids[0], err, ids)
	}
}
