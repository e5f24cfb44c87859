package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// questionInputs are questions of every length and alphabet, with
// invisible and control characters: each must get a prompt, short,
// well-formed reply, and never crash the bot.
var questionInputs = []struct {
	name, q string
	refused bool // refused as bad input, rather than answered
}{
	{"one letter", "a", false},
	{"one digit", "7", false},
	{"arabic", "من هو هوشيار زيباري؟", false},
	{"hebrew with latin", "מי זה Zebari?", false},
	{"chinese", "伊朗和美国的代表谈了什么？", false},
	{"japanese", "ザルメイ・ハリルザドとは誰ですか", false},
	{"emoji and words", "who 👀 is zebari 🇮🇶?", false},
	{"emoji only", "🙂🙂❓", true},
	{"family emoji", "👨\u200d👩\u200d👧 who is Zebari?", false},
	{"combining marks", "Who is Ze\u0301bari\u0308?", false},
	{"zalgo", "W\u0336\u0337h\u0338o\u0334 i\u0335s Zebari", false},
	{"300 code points", strings.Repeat("who ", 75)[:300], false},
	{"301 code points", strings.Repeat("who ", 76)[:301], true},
	{"300 accented, 600 bytes", strings.Repeat("é", 300), false},
	{"150 decomposed, 300 code points", strings.Repeat("e\u0301", 150), false},
	{"151 decomposed, 302 code points", strings.Repeat("e\u0301", 151), true},
	{"300 emoji and a word", "who" + strings.Repeat("🙂", 297), false},
	{"zero-width only", "\u200b\u200c\u200d\u2060\ufeff", true},
	{"zero-width inside", "Who\u200b is\u200d Hoshyar\u2060 Zebari?", false},
	{"bidi overrides", "\u202eWho is Zebari?\u202c \u2066x\u2069", false},
	{"control characters", "Who\x00 is\x07 Zebari\x1b[31m?\x7f", false},
	{"control only", "\x00\x01\x1b\x7f", true},
	{"newlines and tabs", "Who\n\tis\r\nZebari?", false},
	{"replacement characters", "\ufffd\ufffd who is Zebari", false},
	{"private use", "\ue000\uf8ff who is Zebari", false},
}

// checkShown fails if what a reply shows (content and embeds, footers
// apart: they render as plain text) could ping, link or format, or holds
// control or format characters other than escape's zero-width space.
func checkShown(t *testing.T, what string, m *discordgo.Message) {
	t.Helper()
	if m == nil {
		return
	}
	shown := m.Content
	for _, e := range m.Embeds {
		shown += "\n" + e.Title + "\n" + e.Description
		for _, f := range e.Fields {
			shown += "\n" + f.Name + "\n" + f.Value
		}
		if e.Footer != nil {
			for _, r := range e.Footer.Text {
				if unicode.Is(unicode.Cf, r) || (unicode.Is(unicode.Cc, r) && r != '\n') {
					t.Errorf("%s: footer %q holds %U", what, e.Footer.Text, r)
				}
			}
		}
	}
	for _, bad := range []string{"@everyone", "@here", "](https://evil", "https://evil"} {
		if strings.Contains(shown, bad) {
			t.Errorf("%s shows %q: %q", what, bad, shown)
		}
	}
	for i := 0; ; i += 2 {
		j := strings.Index(shown[i:], "<@")
		if j < 0 {
			break
		}
		if i += j; i == 0 || shown[i-1] != '\\' {
			t.Errorf("%s shows an unescaped mention: %q", what, shown)
			break
		}
	}
	for _, r := range shown {
		if (unicode.Is(unicode.Cf, r) && r != '\u200b') || (unicode.Is(unicode.Cc, r) && r != '\n') {
			t.Errorf("%s shows %U: %q", what, r, shown)
			break
		}
	}
}

// TestE2EQuestionsOfEveryAlphabet asks each question by /ask and by a
// mention: a reply comes within 3 seconds, refused or answered as it
// should be, showing nothing that pings, formats or hides.
func TestE2EQuestionsOfEveryAlphabet(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	for k, tt := range questionInputs {
		t.Run(tt.name, func(t *testing.T) {
			// A user of their own for each, clear of the cooldown.
			user := fmt.Sprintf("41%017d", k)
			r := h.command("ask", user, strOpt("question", tt.q))
			noPings(t, r.Call)
			if r.Latency > 3*time.Second {
				t.Errorf("answered after %v", r.Latency)
			}
			refused := r.Ephemeral && len(r.Data.Embeds) == 0
			if refused != tt.refused {
				t.Errorf("/ask %q: refused %v (%q); want %v", tt.q, refused, text(r.Data), tt.refused)
			}
			checkShown(t, "/ask "+tt.name, r.Data)

			m := h.fake.MessageCreate(t, &discordgo.Message{
				Content: "<@" + h.fake.BotUserID() + "> " + tt.q, Author: &discordgo.User{ID: user, Username: "u"},
			})
			c := h.replyTo(m)
			noPings(t, c)
			var sent discordgo.Message
			if err := c.Decode(&sent); err != nil {
				t.Fatal(err)
			}
			checkShown(t, "mention "+tt.name, &sent)
		})
	}
	if strings.Contains(h.logs.String(), "panic") {
		t.Errorf("a handler panicked:\n%s", h.logs)
	}
}

// TestE2EInjection puts mention and markdown syntax, links and invisible
// characters into every option a user can type: whatever comes back shows
// them as text and pings nobody.
func TestE2EInjection(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	const evil = "@everyone @here <@4000000000000000001> <@&2000000000000000001> <#3000000000000000001> " +
		"**Iran** __x__ ~~y~~ ||z|| `code` ```block``` # head\n> quote\n- list [Iran](https://evil.example) " +
		"https://evil.example \u202eIran\u202c\x00\u200b </ask:1>"
	for _, tt := range []struct {
		name string
		cmd  string
		opts []*discordgo.ApplicationCommandInteractionDataOption
	}{
		{"ask", "ask", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("question", "Iran "+evil)}},
		{"ask article", "ask", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("question", "Who?"), strOpt("article", evil)}},
		{"lookup", "lookup", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("term", "Iran @everyone **x**")}},
		{"lookup nothing", "lookup", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("term", "@everyone <@1> **x** \u202eab")}},
		{"quotes", "quotes", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("speaker", evil)}},
		{"quotes with controls", "quotes", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("speaker", "\u202eZalmy\u200b Khalilzad\x07")}},
		{"article", "article", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("article", evil)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := h.command(tt.cmd, "", tt.opts...)
			noPings(t, r.Call)
			checkShown(t, tt.name, r.Data)
			if tt.name == "quotes with controls" && !strings.Contains(text(r.Data), "quoted in") {
				t.Errorf("the name with invisible characters was not found: %q", text(r.Data))
			}
		})
	}
	m := h.fake.MessageCreate(t, &discordgo.Message{Content: "<@" + h.fake.BotUserID() + "> Iran " + evil})
	c := h.replyTo(m)
	noPings(t, c)
	var sent discordgo.Message
	if err := c.Decode(&sent); err != nil {
		t.Fatal(err)
	}
	checkShown(t, "mention", &sent)
}

// TestE2ETamperedButtons presses buttons whose custom ids were edited,
// made by another bot, or signed by this one with arguments it never
// makes: each gets a short ephemeral explanation, nothing crashes.
func TestE2ETamperedButtons(t *testing.T) {
	t.Parallel()
	h := startBot(t, nil)
	r := h.command("ask", "", strOpt("question", "What did the US and Iran do?"), intOpt("results", 2))
	ids := buttons(r.Data)
	more, ctxID := ids["More"], ids["Context #1"]
	if more == "" || ctxID == "" {
		t.Fatalf("buttons %v", ids)
	}
	now := time.Now()
	other := newButtonSigner("another bot's token")
	s := h.bot.signer
	seed := articleKeyOf(t, h)
	for _, tt := range []struct {
		name, id, want string
	}{
		{"last character changed", more[:len(more)-1] + string(rune(more[len(more)-1])^1), "not one I can use"},
		{"mac removed", more[:strings.LastIndexByte(more, '.')], "not one I can use"},
		{"made by another bot", other.encode(actionMore, now, "What did the US and Iran do?", "3", "2", "-"), "not one I can use"},
		{"empty", "", "not one I can use"},
		{"only dots", ".....", "not one I can use"},
		{"100 characters", strings.Repeat("v1.m.", 20), "not one I can use"},
		{"unicode", "v1.m.é.🙂.\u202e.x", "not one I can use"},
		{"unknown action, signed", s.encode("z", now, "", "1"), "not one I can use"},
		{"more with one argument, signed", s.encode(actionMore, now, "What did the US and Iran do?", "3"), "not one I can use"},
		{"more from zero, signed", s.encode(actionMore, now, "What did the US and Iran do?", "0", "2", "-"), "not one I can use"},
		{"more from past the end, signed", s.encode(actionMore, now, "What did the US and Iran do?", "zz", "2", "-"), "That's all"},
		{"more of a gone article, signed", s.encode(actionMore, now, "What did the US and Iran do?", "3", "2", "nosuchkey"), "no longer here"},
		{"context of paragraph 9999, signed", s.encode(actionContext, now, "", seed, "7pr", "1"), "has changed"},
		{"context of paragraph 0, signed", s.encode(actionContext, now, "", seed, "0", "1"), "has changed"},
		{"context with a word for a number, signed", s.encode(actionContext, now, "", seed, "-1", "1"), "not one I can use"},
		{"page of a huge number, signed", s.encode(actionArticlesPage, now, "", "zzz", "n"), "1 article"},
		{"made tomorrow", s.encode(actionContext, now.Add(48*time.Hour), "", seed, "1", "1"), "expired"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := h.press(r, tt.id)
			if !got.Ephemeral || !strings.Contains(text(got.Data), tt.want) {
				t.Errorf("pressing %q: ephemeral %v, %q; want %q", tt.id, got.Ephemeral, text(got.Data), tt.want)
			}
		})
	}
	if strings.Contains(h.logs.String(), "panic") {
		t.Errorf("a handler panicked:\n%s", h.logs)
	}
}

// articleKeyOf returns the custom-id key of the seed article.
func articleKeyOf(t *testing.T, h *harness) string {
	t.Helper()
	arts := h.engine.Articles()
	if len(arts) == 0 {
		t.Fatal("no articles")
	}
	return articleKey(string(arts[0].ID))
}

// TestE2EAutocompleteFlood sends hundreds of autocomplete requests at
// once (fifty under the race detector), as fast typing in a busy server
// does: every one is answered, with at most 25 choices, within Discord's
// 3 seconds. It runs alone, since it measures time.
func TestE2EAutocompleteFlood(t *testing.T) {
	m := newRecMetrics()
	h := startBot(t, nil, withMetrics(m))
	n := 300
	if raceEnabled {
		n = 50
	}
	prefixes := []string{"", "i", "ir", "ira", "iran", "m", "mil", "z", "ze", "zeb", "\u200b", "ü", "伊", "🙂",
		strings.Repeat("x", 100), strings.Repeat("y", 101)}
	focus := []string{"term", "article", "speaker", "timezone"}
	cmds := map[string]string{"term": "lookup", "article": "ask", "speaker": "quotes", "timezone": "digest"}
	sent := make([]string, n)
	start := time.Now()
	var wg sync.WaitGroup
	for k := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := focus[k%len(focus)]
			o := strOpt(name, prefixes[k%len(prefixes)])
			o.Focused = true
			i := h.fake.InteractionCreate(t, &discordgo.Interaction{
				Type: discordgo.InteractionApplicationCommandAutocomplete,
				Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: cmds[name], Options: []*discordgo.ApplicationCommandInteractionDataOption{o}},
			})
			sent[k] = i.ID
		}()
	}
	wg.Wait()
	t.Logf("dispatched in %v", time.Since(start))
	// Counted on the bot's side: asking the fake on each of its changes
	// would copy its growing list of responses hundreds of times.
	err := eventually(h.wait(), func() bool { return m.get(func(m *recMetrics) int { return m.autocompletes }) >= n })
	if err != nil {
		t.Fatalf("%d of %d autocompletes answered: %v", m.get(func(m *recMetrics) int { return m.autocompletes }), n, err)
	}
	t.Logf("served in %v", time.Since(start))
	var slowest time.Duration
	for _, id := range sent {
		it, ok := h.fake.Interaction(id)
		if !ok || !it.Responded {
			t.Errorf("autocomplete %s not answered", id)
			continue
		}
		if it.Response.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(it.Response.Choices) > 25 {
			t.Errorf("autocomplete %s: type %d, %d choices", id, it.Response.Type, len(it.Response.Choices))
		}
		slowest = max(slowest, it.Response.Latency)
	}
	if slowest > 3*time.Second {
		t.Errorf("slowest autocomplete answered after %v; want within 3 s", slowest)
	}
	t.Logf("%d autocompletes, slowest answered after %v", n, slowest)
	if fails := len(h.fake.CallsTo("POST", "interactions/*/*/callback")) - n; fails != 0 {
		t.Errorf("%d callbacks refused", fails)
	}
}

// hostileEngine indexes an article that tries to ping, format and hide,
// in its title, source, author, speaker and text.
func hostileEngine(t *testing.T) Engine {
	t.Helper()
	text := "Title: [Free](https://evil.example) @everyone \u202eemitliart\u202c\n" +
		"Source: <@123456789> News\nAuthor: @here\x07\n\n" +
		"The spokesman said **nothing** to <@123456789> and @here about the [prize](https://evil.example/x) at https://evil.example today.\n\n" +
		"\"The prize is ours,\" said <@&555> Jane @everyone Doe, the ||secret|| spokeswoman.\n\n" +
		"# Not a heading\u200b, said a reader\u2066 of `code`."
	a, err := corpus.Parse("hostile", corpus.FormatText, []byte(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := retrieval.OpenMemory(context.Background(), corpus.New(a), retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// TestE2EHostileArticles answers from an article that tries to ping,
// format and hide: every reply shows its text, escaped.
func TestE2EHostileArticles(t *testing.T) {
	t.Parallel()
	h := startBot(t, hostileEngine(t))
	for _, q := range []string{"What did the spokesman say about the prize?", "Whose is the prize?", "Who said it?"} {
		r := h.command("ask", "", strOpt("question", q))
		noPings(t, r.Call)
		checkShown(t, q, r.Data)
		if ctxID := buttons(r.Data)["Context #1"]; ctxID != "" {
			checkShown(t, "context of "+q, h.press(r, ctxID).Data)
		}
	}
	for _, tt := range []struct {
		cmd  string
		opts []*discordgo.ApplicationCommandInteractionDataOption
	}{
		{"article", nil},
		{"article", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("article", "hostile")}},
		{"lookup", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("term", "prize")}},
		{"quotes", []*discordgo.ApplicationCommandInteractionDataOption{strOpt("speaker", "Jane Doe")}},
	} {
		r := h.command(tt.cmd, "", tt.opts...)
		noPings(t, r.Call)
		checkShown(t, "/"+tt.cmd, r.Data)
	}
	c := h.mention("", "What did the spokesman say about the prize?")
	var sent discordgo.Message
	if err := c.Decode(&sent); err != nil {
		t.Fatal(err)
	}
	checkShown(t, "mention", &sent)
}
