package bot

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/verbatim-bot/verbatim/bot/discordtest"
	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/internal/live"
	"github.com/verbatim-bot/verbatim/news"
	"github.com/verbatim-bot/verbatim/retrieval"
	"github.com/verbatim-bot/verbatim/state/boltstore"
)

// A second server, with a channel, beside the fake's default one.
const (
	otherGuild   = "2000000000000000002"
	otherChannel = "3000000000000000002"
	adminID      = "4000000000000000009"
	dmChannel    = "3900000000000000001" // a channel of no server: a DM
)

// newsSite serves the pages /article add fetches (testdata/news/pages),
// a PDF, a missing page and one that never answers, and counts the
// requests it gets.
type newsSite struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func newNewsSite(t *testing.T) *newsSite {
	t.Helper()
	s := &newsSite{hits: map[string]int{}}
	page := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "news", "pages", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	ferry, short := page("ferry.html"), page("short.html")
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		switch r.URL.Path {
		case "/news/inishbofin-ferry", "/news/inishbofin-ferry-again":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(ferry)
		case "/news/subscribers":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(short)
		case "/report.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.7 not a web page"))
		case "/slow":
			<-r.Context().Done() // never answers; the fetcher gives up
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// requests returns how many requests the site has had for path.
func (s *newsSite) requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// newsWorld is a bot with /article add: a real index on disk over a
// corpus folder (one article for every server) and the stored articles,
// the feed poller's pipeline to add pages, a bbolt state store, and a
// fake Discord with two servers.
type newsWorld struct {
	*harness
	site   *newsSite
	stored string // the stored articles' folder
}

func startNewsBot(t *testing.T, fetch news.FetchOptions) *newsWorld {
	t.Helper()
	ctx := context.Background()
	data := t.TempDir()
	stored := filepath.Join(data, news.ArticlesDir)
	corpusDir := filepath.Join("testdata", "news", "corpus")
	ix, err := retrieval.Open(ctx, data, corpus.New(), retrieval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	// The corpus folder and the stored articles, listed together, as the
	// bot lists them.
	syncAll := func(ctx context.Context, _ *live.Changed) (retrieval.Changes, error) {
		f, _, err := corpus.ListFolder(ctx, corpusDir)
		if err != nil {
			return retrieval.Changes{}, err
		}
		defer f.Close()
		g, _, err := corpus.ListFolder(ctx, stored)
		switch {
		case err == nil:
			f.Add(g)
		case !errors.Is(err, corpus.ErrNoArticles) && !errors.Is(err, fs.ErrNotExist):
			return retrieval.Changes{}, err
		}
		res, err := ix.SyncFolder(ctx, f)
		return res.Changes, err
	}
	if _, err := syncAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	stories, _, err := news.OpenStore(stored)
	if err != nil {
		t.Fatal(err)
	}
	st, err := boltstore.Open(filepath.Join(data, boltstore.File), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	runner := live.New(live.Options{
		Fetcher: news.NewFetcher(fetch), Articles: stories, Library: live.NewLibrary(ix, syncAll), Store: st,
	})
	fake := discordtest.New(t, discordtest.Config{})
	fake.AddGuild(&discordgo.Guild{ID: otherGuild, Name: "other", Channels: []*discordgo.Channel{
		{ID: otherChannel, GuildID: otherGuild, Type: discordgo.ChannelTypeGuildText, Name: "general"},
	}})
	h := startBotOn(t, fake, ix, Options{DeferAfter: 1500 * time.Millisecond, Store: st, Pages: runner})
	return &newsWorld{harness: h, site: newNewsSite(t), stored: stored}
}

func subOpt(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts}
}

// use dispatches a command in a channel by a member with the permissions
// perms and returns its first response.
func (w *newsWorld) use(channel string, perms int64, name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) discordtest.InteractionResponse {
	w.t.Helper()
	return w.interact(&discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand, ChannelID: channel,
		Member: &discordgo.Member{User: &discordgo.User{ID: adminID, Username: "admin"}, Permissions: perms},
		Data:   discordgo.ApplicationCommandInteractionData{ID: "1", Name: name, Options: opts},
	})
}

// add runs /article add url by a server admin in channel and returns
// the reply: the deferred response as edited.
func (w *newsWorld) add(channel, url string) string {
	w.t.Helper()
	start := time.Now()
	r := w.use(channel, discordgo.PermissionManageGuild, "article", subOpt("add", strOpt("url", url)))
	if r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || !r.Ephemeral {
		w.t.Fatalf("/article add: response type %d, ephemeral %v; want an ephemeral deferral", r.Type, r.Ephemeral)
	}
	it, _ := w.fake.Interaction(r.InteractionID)
	_, err := w.fake.WaitCall(w.wait(), func(c discordtest.Call) bool {
		return c.Is("PATCH", "webhooks/*/*/messages/@original") && strings.Contains(c.Path, it.Token)
	})
	if err != nil {
		w.t.Fatalf("/article add never answered: %v\nlogs:\n%s", err, w.logs)
	}
	w.t.Logf("/article add %s: deferred after %v, answered after %v", url, r.Latency, time.Since(start).Round(time.Millisecond))
	it, _ = w.fake.Interaction(r.InteractionID)
	if it.Original == nil || it.Original.Flags&discordgo.MessageFlagsEphemeral == 0 {
		w.t.Errorf("/article add answered %+v; want an ephemeral message", it.Original)
	}
	return text(it.Original)
}

// choices asks for the autocomplete of a command's focused option (in a
// subcommand when sub is not "") in a channel.
func (w *newsWorld) choices(channel, name, sub, option, typed string) []string {
	w.t.Helper()
	o := strOpt(option, typed)
	o.Focused = true
	opts := []*discordgo.ApplicationCommandInteractionDataOption{o}
	if sub != "" {
		opts = []*discordgo.ApplicationCommandInteractionDataOption{subOpt(sub, o)}
	}
	r := w.interact(&discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommandAutocomplete, ChannelID: channel,
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: name, Options: opts},
	})
	var out []string
	for _, c := range r.Choices {
		out = append(out, c.Name+" = "+c.Value.(string))
	}
	return out
}

const (
	ferryTitle    = "Ferry service to Inishbofin restored after storm"
	ferrySentence = "nine days after a winter storm damaged the pier at Cleggan"
	harbourTitle  = "Harbour bridge reopens after repairs"
)

// TestArticleAddNeedsManageServer: /article add by a member without
// Manage Server (or Administrator) is refused, ephemerally, before any
// fetch; and in a DM.
func TestArticleAddNeedsManageServer(t *testing.T) {
	t.Parallel()
	w := startNewsBot(t, news.FetchOptions{AllowPrivate: true})
	url := w.site.URL + "/news/inishbofin-ferry"
	r := w.use(discordtest.DefaultChannelID, discordgo.PermissionSendMessages, "article", subOpt("add", strOpt("url", url)))
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || !r.Ephemeral || !strings.Contains(r.Data.Content, "Manage Server") {
		t.Errorf("/article add by a member: type %d, ephemeral %v, %q; want an ephemeral refusal naming Manage Server", r.Type, r.Ephemeral, r.Data.Content)
	}
	dm := w.interact(&discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand, ChannelID: dmChannel,
		User: &discordgo.User{ID: adminID, Username: "admin"},
		Data: discordgo.ApplicationCommandInteractionData{ID: "1", Name: "article", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			subOpt("add", strOpt("url", url)),
		}},
	})
	if !dm.Ephemeral || !strings.Contains(dm.Data.Content, "in a server") {
		t.Errorf("/article add in a DM: %q; want an ephemeral refusal", dm.Data.Content)
	}
	// An admin's add goes through: the refusals above came before any fetch.
	if got := w.add(discordtest.DefaultChannelID, url); !strings.Contains(got, "Added") {
		t.Fatalf("/article add by an admin: %q", got)
	}
	if n := w.site.requests("/news/inishbofin-ferry"); n != 1 {
		t.Errorf("the page was fetched %d times; want once, for the admin", n)
	}
}

// TestArticleAddIsTheServersOwn: a page added by a server admin is stored
// as an article file of that server, answered at once by /ask, /article
// (show, the flat form, autocomplete), /quotes and the digest in that
// server, and in none of those in another; the other server still sees
// the corpus folder's article. Adding it again says it is there already.
func TestArticleAddIsTheServersOwn(t *testing.T) {
	t.Parallel()
	w := startNewsBot(t, news.FetchOptions{AllowPrivate: true})
	here, there := discordtest.DefaultChannelID, otherChannel
	const anyone = 0

	got := w.add(here, w.site.URL+"/news/inishbofin-ferry")
	if !strings.Contains(got, "Added") || !strings.Contains(got, ferryTitle) || !strings.Contains(got, "The Western Courier") || strings.Contains(got, "``") {
		t.Fatalf("/article add: %q; want its title, outlet and id in one code span", got)
	}
	// The article file, with this server as its only one.
	files, err := filepath.Glob(filepath.Join(w.stored, "*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("stored files %v, %v; want one", files, err)
	}
	id := strings.TrimSuffix(filepath.Base(files[0]), ".json")
	if !strings.Contains(got, id) {
		t.Errorf("/article add: %q; want the id %s", got, id)
	}
	var stored struct {
		Title string `json:"title"`
		Guild string `json:"guild"`
	}
	if b, err := os.ReadFile(files[0]); err != nil || json.Unmarshal(b, &stored) != nil {
		t.Fatalf("read the stored article: %v", err)
	}
	if stored.Title != ferryTitle || stored.Guild != discordtest.DefaultGuildID {
		t.Errorf("stored article: title %q, guild %q; want %q of server %s", stored.Title, stored.Guild, ferryTitle, discordtest.DefaultGuildID)
	}

	ask := func(channel string) string {
		return text(w.use(channel, anyone, "ask", strOpt("question", "When did the ferry to Inishbofin resume?")).Data)
	}
	if got := ask(here); !strings.Contains(got, ferrySentence) {
		t.Errorf("/ask in the server that added it: %q; want the ferry sentence", got)
	}
	// The reply may repeat the question ("Asked: ... Inishbofin"); the
	// page's own words must not be in it.
	if got := ask(there); strings.Contains(got, ferrySentence) || strings.Contains(got, ferryTitle) || strings.Contains(got, "Cleggan") {
		t.Errorf("/ask in another server: %q; want nothing from the added page", got)
	}

	// /article: the list, show, the flat form of older clients.
	for _, tt := range []struct {
		name    string
		channel string
		opts    []*discordgo.ApplicationCommandInteractionDataOption
		want    []string
		wantNot []string
	}{
		{"list here", here, nil, []string{ferryTitle, harbourTitle}, nil},
		{"show list here", here, []*discordgo.ApplicationCommandInteractionDataOption{subOpt("show")}, []string{ferryTitle, harbourTitle}, nil},
		{"list there", there, nil, []string{harbourTitle}, []string{ferryTitle}},
		{"show here", here, []*discordgo.ApplicationCommandInteractionDataOption{subOpt("show", strOpt("article", id))}, []string{"Key sentences", ferryTitle, "Niamh Walsh"}, nil},
		{"flat form here", here, []*discordgo.ApplicationCommandInteractionDataOption{strOpt("article", id)}, []string{"Key sentences", ferryTitle}, nil},
		{"show there", there, []*discordgo.ApplicationCommandInteractionDataOption{subOpt("show", strOpt("article", id))}, []string{"I don't have that article"}, []string{"Key sentences"}},
		{"flat form there", there, []*discordgo.ApplicationCommandInteractionDataOption{strOpt("article", id)}, []string{"I don't have that article"}, []string{"Key sentences"}},
		{"show the corpus folder's there", there, []*discordgo.ApplicationCommandInteractionDataOption{subOpt("show", strOpt("article", harbourTitle))}, []string{"Key sentences", "Mary Byrne"}, nil},
	} {
		t.Run("article/"+tt.name, func(t *testing.T) {
			r := w.use(tt.channel, anyone, "article", tt.opts...)
			got := text(r.Data)
			for _, s := range tt.want {
				if !strings.Contains(got, s) {
					t.Errorf("/article: %q; want %q in it", got, s)
				}
			}
			for _, s := range tt.wantNot {
				if strings.Contains(got, s) {
					t.Errorf("/article: %q; want no %q", got, s)
				}
			}
		})
	}

	// Autocomplete: the nested "show article:" and /ask's article, and
	// /quotes' speakers.
	for _, tt := range []struct {
		name, channel, cmd, sub, option, typed, want string
		present                                      bool
	}{
		{"show article here", here, "article", "show", "article", "ferry", ferryTitle, true},
		{"show article there", there, "article", "show", "article", "ferry", ferryTitle, false},
		{"show article there, the folder's", there, "article", "show", "article", "bridge", harbourTitle, true},
		{"ask article there", there, "ask", "", "article", "", ferryTitle, false},
		{"speaker here", here, "quotes", "", "speaker", "walsh", "Niamh Walsh", true},
		{"speaker there", there, "quotes", "", "speaker", "walsh", "Niamh Walsh", false},
		{"speaker there, the folder's", there, "quotes", "", "speaker", "byrne", "Mary Byrne", true},
		{"lookup speaker there", there, "lookup", "", "term", "niamh", "Niamh Walsh", false},
		// /lookup's words: the added page's only here (not in another
		// server, nor in a DM), the folder's everywhere.
		{"lookup word here", here, "lookup", "", "term", "inishbo", "inishbofin", true},
		{"lookup word there", there, "lookup", "", "term", "inishbo", "inishbofin", false},
		{"lookup word in a DM", dmChannel, "lookup", "", "term", "clegg", "cleggan", false},
		{"lookup word there, the folder's", there, "lookup", "", "term", "rive", "rivets", true},
		{"lookup word in a DM, the folder's", dmChannel, "lookup", "", "term", "rive", "rivets", true},
		{"lookup second word there", there, "lookup", "", "term", "ferry to inish", "ferry to inishbofin", false},
	} {
		t.Run("autocomplete/"+tt.name, func(t *testing.T) {
			got := w.choices(tt.channel, tt.cmd, tt.sub, tt.option, tt.typed)
			found := strings.Contains(strings.Join(got, "\n"), tt.want)
			if found != tt.present {
				t.Errorf("choices %q: %q there = %v; want %v", got, tt.want, found, tt.present)
			}
		})
	}

	// /quotes: the added page's speaker here only.
	if got := text(w.use(here, anyone, "quotes", strOpt("speaker", "Niamh Walsh")).Data); !strings.Contains(got, "cannot wait another winter") {
		t.Errorf("/quotes here: %q; want her words", got)
	}
	if got := text(w.use(there, anyone, "quotes", strOpt("speaker", "Niamh Walsh")).Data); strings.Contains(got, "cannot wait another winter") || !strings.Contains(got, "I have no quotes") {
		t.Errorf("/quotes in another server: %q; want none of her words", got)
	}
	if got := text(w.use(there, anyone, "quotes", strOpt("speaker", "Mary Byrne")).Data); !strings.Contains(got, "safer now") {
		t.Errorf("/quotes of the folder's speaker in another server: %q; want her words", got)
	}

	// A digest posted now: the added page's in its server only.
	digestHere := w.digestNow(here)
	if !strings.Contains(digestHere, ferryTitle) || !strings.Contains(digestHere, harbourTitle) {
		t.Errorf("digest here: %q; want both articles", digestHere)
	}
	digestThere := w.digestNow(there)
	if strings.Contains(digestThere, ferryTitle) || !strings.Contains(digestThere, harbourTitle) {
		t.Errorf("digest in another server: %q; want the folder's article only", digestThere)
	}

	// Again, at another address of the same story: it is there already.
	if got := w.add(here, w.site.URL+"/news/inishbofin-ferry-again"); !strings.Contains(got, "already have it") || !strings.Contains(got, ferryTitle) {
		t.Errorf("/article add of the same story: %q; want \"already have it\" and its title", got)
	}
	if files, _ := filepath.Glob(filepath.Join(w.stored, "*.json")); len(files) != 1 {
		t.Errorf("%d stored files after adding the same story; want 1", len(files))
	}
}

// digestNow runs /digest now in a channel that is not subscribed and
// returns the digest it posted there.
func (w *newsWorld) digestNow(channel string) string {
	w.t.Helper()
	before := len(w.fake.CallsTo("POST", "channels/"+channel+"/messages"))
	r := w.use(channel, discordgo.PermissionManageGuild, "digest", subOpt("now"))
	if !strings.Contains(text(r.Data), "Posted a digest") {
		w.t.Fatalf("/digest now: %q", text(r.Data))
	}
	calls := w.fake.CallsTo("POST", "channels/"+channel+"/messages")
	if len(calls) != before+1 {
		w.t.Fatalf("/digest now posted %d messages; want 1", len(calls)-before)
	}
	var m discordgo.Message
	if err := calls[len(calls)-1].Decode(&m); err != nil {
		w.t.Fatal(err)
	}
	return text(&m)
}

// TestArticleAddRefusals: a page that cannot be added gets a short
// ephemeral reason, and nothing is stored: a private address (with
// FETCH_ALLOW_PRIVATE off, before any request reaches it), not a web
// page, too little text, an error status, a site that does not answer.
func TestArticleAddRefusals(t *testing.T) {
	t.Parallel()
	private := startNewsBot(t, news.FetchOptions{})
	if got := private.add(discordtest.DefaultChannelID, private.site.URL+"/news/inishbofin-ferry"); !strings.Contains(got, "not one I may fetch") {
		t.Errorf("/article add of a loopback address: %q; want it refused", got)
	}
	if n := private.site.requests("/news/inishbofin-ferry"); n != 0 {
		t.Errorf("the private address was fetched %d times", n)
	}

	w := startNewsBot(t, news.FetchOptions{AllowPrivate: true, Timeout: 2 * time.Second})
	for _, tt := range []struct{ path, want string }{
		{"/report.pdf", "not a web page"},
		{"/news/subscribers", "too little article text"},
		{"/missing", "HTTP 404"},
		{"/slow", "took too long"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			if got := w.add(discordtest.DefaultChannelID, w.site.URL+tt.path); !strings.HasPrefix(got, "I can't add that page: ") || !strings.Contains(got, tt.want) {
				t.Errorf("/article add %s: %q; want %q", tt.path, got, tt.want)
			}
		})
	}
	for _, s := range []*newsWorld{private, w} {
		if files, _ := filepath.Glob(filepath.Join(s.stored, "*.json")); len(files) != 0 {
			t.Errorf("stored %v after refusals", files)
		}
	}
	// Not a web address at all: refused before the pipeline.
	if got := w.add(discordtest.DefaultChannelID, "file:///etc/passwd"); !strings.Contains(got, "not a web address") {
		t.Errorf("/article add file:///: %q; want refused", got)
	}
}
