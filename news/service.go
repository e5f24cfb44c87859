package news

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/verbatim-bot/verbatim/corpus"
)

// Counters hears what fetching and polling do, for metrics. Its methods
// must be safe for concurrent use; NopCounters ignores everything.
type Counters interface {
	// FeedPolled is called once per feed poll with its result: "ok",
	// "not_modified" or "error".
	FeedPolled(result string)
	// FeedItemAdded is called for each article added or updated.
	FeedItemAdded()
	// FeedDuplicateDropped is called for each new item found to be an
	// article already stored (same page, or the same story).
	FeedDuplicateDropped()
	// FeedFetchFailed is called for each failed fetch of a feed or page,
	// with its kind (one of FetchKinds).
	FeedFetchFailed(kind string)
}

// NopCounters is a Counters that counts nothing.
type NopCounters struct{}

// FeedPolled implements Counters.
func (NopCounters) FeedPolled(string) {}

// FeedItemAdded implements Counters.
func (NopCounters) FeedItemAdded() {}

// FeedDuplicateDropped implements Counters.
func (NopCounters) FeedDuplicateDropped() {}

// FeedFetchFailed implements Counters.
func (NopCounters) FeedFetchFailed(string) {}

// MaxItemsPerPoll is how many of a feed's newest items one poll looks at;
// older ones are left alone, so that a huge feed cannot start thousands
// of page fetches.
const MaxItemsPerPoll = 100

// Options configure a Service.
type Options struct {
	Logger   *slog.Logger // nil: discard
	Counters Counters     // nil: NopCounters
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// Scope says which Discord servers an article from a feed is
	// answered in, given the feed and the article's title and text: nil
	// for every server, else the servers' ids (NoServer for none: kept,
	// so that the item is not fetched again, but answered nowhere). A nil
	// Scope puts every article in every server.
	Scope func(feedURL, title string, body []string) []string
}

// NoServer is the scope of an article no server asked for (every server
// following its feed filtered it out). Discord ids are never 0.
const NoServer = "0"

// Service fetches feeds and pages and stores their articles. It is safe
// for concurrent use.
type Service struct {
	fetch    *Fetcher
	store    *Store
	log      *slog.Logger
	counters Counters
	now      func() time.Time
	scope    func(feedURL, title string, body []string) []string

	// commit serialises the decision "new, duplicate or update" with the
	// write that follows it, so that two items of the same story fetched
	// at once become one article.
	commit sync.Mutex
}

// NewService returns a Service that fetches with f and stores in s.
func NewService(f *Fetcher, s *Store, o Options) *Service {
	svc := &Service{fetch: f, store: s, log: o.Logger, counters: o.Counters, now: o.Now, scope: o.Scope}
	if svc.log == nil {
		svc.log = slog.New(slog.DiscardHandler)
	}
	if svc.counters == nil {
		svc.counters = NopCounters{}
	}
	if svc.now == nil {
		svc.now = time.Now
	}
	return svc
}

// Store returns the service's store.
func (s *Service) Store() *Store { return s.store }

// Added is an article added (or updated in place) by a poll or an add.
type Added struct {
	ID        corpus.ArticleID
	Title     string
	URL       string
	Source    string
	Published time.Time
	// Updated is true when an article already stored was rewritten.
	Updated bool
	// Fallback is true when the text is the feed's own.
	Fallback bool
}

// Skipped is an item or URL that was not added, and why.
type Skipped struct {
	URL    string
	Reason string
	// Duplicate is the stored article the item or page is (the same page,
	// or the same story); "" when it was skipped for another reason.
	Duplicate corpus.ArticleID
}

// Result is what a poll or an add did.
type Result struct {
	Added   []Added
	Skipped []Skipped
	// NotModified is true when the feed answered 304 Not Modified.
	NotModified bool
}

// PollFeed fetches feedURL with a conditional GET (st's ETag and
// Last-Modified) and stores each new or changed item. It returns what it
// did and the feed's new validators in st. A feed that cannot be fetched
// or parsed gives a *FetchError; problems with single items are reported
// in Result.Skipped.
func (s *Service) PollFeed(ctx context.Context, feedURL string, st PollState) (Result, PollState, error) {
	h := http.Header{}
	h.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5")
	if st.ETag != "" {
		h.Set("If-None-Match", st.ETag)
	}
	if st.LastModified != "" {
		h.Set("If-Modified-Since", st.LastModified)
	}
	resp, err := s.fetch.Get(ctx, feedURL, h)
	if err != nil {
		s.counters.FeedFetchFailed(KindOf(err))
		s.counters.FeedPolled("error")
		return Result{}, st, err
	}
	if resp.Status == http.StatusNotModified {
		s.counters.FeedPolled("not_modified")
		return Result{NotModified: true}, st, nil
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(resp.Body))
	if err != nil {
		s.counters.FeedFetchFailed(KindParse)
		s.counters.FeedPolled("error")
		return Result{}, st, &FetchError{URL: feedURL, Kind: KindParse, Err: fmt.Errorf("not an RSS, Atom or JSON feed: %w", err)}
	}
	st.ETag, st.LastModified = resp.ETag, resp.LastModified
	s.counters.FeedPolled("ok")

	var res Result
	items := oldestFirst(feed.Items)
	if len(items) > MaxItemsPerPoll {
		items = items[len(items)-MaxItemsPerPoll:]
	}
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return res, st, err
		}
		s.item(ctx, feedURL, feed, it, resp.URL, &res)
	}
	return res, st, nil
}

// oldestFirst returns the items oldest first, so that articles are added
// in the order they were published: by date, the undated last, in the
// reverse of the feed's order (feeds list the newest first) among equals.
func oldestFirst(items []*gofeed.Item) []*gofeed.Item {
	out := make([]*gofeed.Item, 0, len(items))
	for i := len(items) - 1; i >= 0; i-- {
		if items[i] != nil {
			out = append(out, items[i])
		}
	}
	date := func(it *gofeed.Item) time.Time {
		switch {
		case it.PublishedParsed != nil:
			return *it.PublishedParsed
		case it.UpdatedParsed != nil:
			return *it.UpdatedParsed
		}
		return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	slices.SortStableFunc(out, func(a, b *gofeed.Item) int { return date(a).Compare(date(b)) })
	return out
}

// feedItem is a feed item reduced to what an article needs.
type feedItem struct {
	feed, guid, link, title, author, outlet string
	published                               time.Time
	text                                    []string // the feed's own text, as paragraphs
	hash                                    string
}

func newFeedItem(feedURL string, feed *gofeed.Feed, it *gofeed.Item, base *url.URL) feedItem {
	fi := feedItem{feed: feedURL, title: corpus.FoldSpace(it.Title), outlet: corpus.FoldSpace(feed.Title)}
	if it.Link != "" {
		if u, err := base.Parse(strings.TrimSpace(it.Link)); err == nil {
			fi.link = u.String()
		}
	}
	fi.guid = strings.TrimSpace(it.GUID)
	if fi.guid == "" {
		fi.guid = NormalizeURL(fi.link)
	}
	if fi.guid == "" {
		fi.guid = "title:" + fi.title
	}
	var names []string
	for _, p := range it.Authors {
		if p != nil && strings.TrimSpace(p.Name) != "" {
			names = append(names, corpus.FoldSpace(p.Name))
		}
	}
	fi.author = strings.Join(names, ", ")
	switch {
	case it.PublishedParsed != nil:
		fi.published = *it.PublishedParsed
	case it.UpdatedParsed != nil:
		fi.published = *it.UpdatedParsed
	}
	content := it.Content
	if len(htmlText(content)) < len(htmlText(it.Description)) {
		content = it.Description
	}
	fi.text = htmlParagraphs(content)
	sum := sha256.New()
	// The link is hashed normalised: feeds that stamp their links with
	// fresh tracking parameters do not change their items by it.
	for _, part := range []string{it.Title, NormalizeURL(it.Link), it.Description, it.Content, it.Updated} {
		sum.Write([]byte(part))
		sum.Write([]byte{0})
	}
	fi.hash = hex.EncodeToString(sum.Sum(nil)[:12])
	if fi.outlet == "" && fi.link != "" {
		if u, err := url.Parse(fi.link); err == nil {
			fi.outlet = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	return fi
}

// item stores one feed item, or notes in res why not.
func (s *Service) item(ctx context.Context, feedURL string, feed *gofeed.Feed, it *gofeed.Item, base *url.URL, res *Result) {
	fi := newFeedItem(feedURL, feed, it, base)
	id, hash, seen := s.store.ByGUID(fi.feed, fi.guid)
	if seen && (hash == fi.hash || hash == aliasHash) {
		return // as last seen: nothing to do, and nothing to report
	}
	if !seen && fi.link != "" {
		s.commit.Lock()
		other, ok := s.store.ByURL(fi.link)
		if ok {
			s.duplicate(other, fi, s.feedScope(fi), "", fi.link, false, res)
		}
		s.commit.Unlock()
		if ok {
			return
		}
	}
	page, pageErr := s.page(ctx, fi.link)
	f := s.articleOf(fi, page, pageErr)
	if len(f.Body) == 0 {
		reason := "no article text in the page or the feed"
		if pageErr != nil {
			reason = "page: " + pageErr.Error() + "; the feed has no text of its own"
		}
		res.Skipped = append(res.Skipped, Skipped{URL: orStr(fi.link, fi.guid), Reason: reason})
		return
	}

	s.commit.Lock()
	defer s.commit.Unlock()
	if seen {
		s.update(id, f, res)
		return
	}
	if _, _, ok := s.store.ByGUID(fi.feed, fi.guid); ok {
		return // another poll of the same feed stored it meanwhile
	}
	for _, u := range []string{fi.link, f.Canonical} {
		if other, ok := s.store.ByURL(u); ok && u != "" {
			s.duplicate(other, fi, f.Guild, f.Source, fi.link, false, res)
			return
		}
	}
	if other, ok := s.store.Similar(strings.Join(f.Body, "\n"), ""); ok {
		s.duplicate(other, fi, f.Guild, f.Source, fi.link, true, res)
		return
	}
	s.add(f, res)
}

// feedScope is the scope of an item of a feed seen before its page is
// read (for a duplicate found by its link): by its feed item's title and
// the feed's own text.
func (s *Service) feedScope(fi feedItem) string {
	if s.scope == nil {
		return ""
	}
	return joinGuilds(s.scope(fi.feed, fi.title, fi.text))
}

// page fetches and extracts the article at link; nil and the error when
// it cannot.
func (s *Service) page(ctx context.Context, link string) (*Page, error) {
	if link == "" {
		return nil, errors.New("the item has no link")
	}
	resp, err := s.fetch.Get(ctx, link, http.Header{"Accept": {"text/html, application/xhtml+xml;q=0.9, */*;q=0.5"}})
	if err != nil {
		s.counters.FeedFetchFailed(KindOf(err))
		return nil, err
	}
	if resp.Body == nil {
		return nil, errors.New("the page answered 304 to a plain request")
	}
	if !isHTML(resp.ContentType) {
		s.counters.FeedFetchFailed(KindParse)
		return nil, &FetchError{URL: link, Kind: KindParse, Err: fmt.Errorf("not a web page (%s)", resp.ContentType)}
	}
	p, err := Extract(resp.Body, resp.ContentType, resp.URL)
	if err != nil && !errors.Is(err, ErrTooShort) {
		s.counters.FeedFetchFailed(KindParse)
	}
	return p, err
}

// isHTML reports whether a Content-Type may be a web page: HTML or XHTML,
// or none said (left to the parser).
func isHTML(contentType string) bool {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	return ct == "" || ct == "text/html" || ct == "application/xhtml+xml" || ct == "text/plain"
}

// articleOf makes the article file of a feed item from its page, or from
// the feed's own text when the page failed or is shorter.
func (s *Service) articleOf(fi feedItem, p *Page, pageErr error) *File {
	f := &File{
		Title: fi.title, Source: fi.outlet, URL: NormalizeURL(fi.link), Author: fi.author,
		GUID: fi.guid, Feed: fi.feed, ItemHash: fi.hash,
	}
	published := fi.published
	usePage := p != nil && (pageErr == nil || words(p.Paragraphs) >= words(fi.text))
	if p != nil {
		f.Canonical = NormalizeURL(p.Canonical)
		if f.Title == "" {
			f.Title = p.Title
		}
		if p.SiteName != "" {
			f.Source = p.SiteName
		}
		if p.Byline != "" {
			f.Author = p.Byline
		}
		if !p.Published.IsZero() {
			published = p.Published
		}
	}
	if usePage {
		f.Body = p.Paragraphs
	} else {
		f.Body, f.Fallback = fi.text, true
		if pageErr != nil {
			s.log.Info("using the feed's text: the page could not be used", "url", fi.link, "err", pageErr)
		}
	}
	if !published.IsZero() {
		f.Published = published.UTC().Format(time.RFC3339)
	}
	if f.Title == "" {
		f.Title = firstWords(f.Body, 12)
	}
	if s.scope != nil {
		f.Guild = joinGuilds(s.scope(fi.feed, f.Title, f.Body))
	}
	return f
}

// joinGuilds is the "guild" field of a list of servers.
func joinGuilds(guilds []string) string { return strings.Join(guilds, ",") }

// mergeGuilds is the scope of an article that two scopes asked for:
// every server when either is, else both lists' servers (NoServer only
// when neither has another).
func mergeGuilds(a, b string) string {
	if a == "" || b == "" {
		return ""
	}
	var out []string
	for _, g := range corpus.ParseGuilds(a + "," + b) {
		if g != NoServer && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	if len(out) == 0 {
		return NoServer
	}
	return joinGuilds(out)
}

// add stores f as a new article. The caller holds s.commit.
func (s *Service) add(f *File, res *Result) {
	now := s.now().UTC().Format(time.RFC3339)
	f.Added = now
	key := f.Feed + "\x00" + f.GUID
	if f.GUID == "" {
		key = NormalizeURL(orStr(f.Canonical, f.URL))
	}
	published, _ := time.Parse(time.RFC3339, f.Published)
	id := s.store.NewID(published, f.Title, key)
	if err := s.store.Put(id, f); err != nil {
		s.log.Error("storing an article failed", "url", f.URL, "err", err)
		res.Skipped = append(res.Skipped, Skipped{URL: f.URL, Reason: "could not be stored: " + err.Error()})
		return
	}
	s.counters.FeedItemAdded()
	res.Added = append(res.Added, addedOf(id, f, false))
}

// update rewrites article id with the new version f, keeping what was
// learnt about it before (other outlets, aliases, when it was added). The
// caller holds s.commit.
func (s *Service) update(id corpus.ArticleID, f *File, res *Result) {
	old, err := s.store.Read(id)
	if err != nil {
		s.log.Error("reading an article to update it failed", "id", id, "err", err)
		res.Skipped = append(res.Skipped, Skipped{URL: f.URL, Reason: "could not be updated: " + err.Error()})
		return
	}
	f.Also, f.Aliases, f.Added = old.Also, old.Aliases, old.Added
	f.Guild = mergeGuilds(f.Guild, old.Guild)
	if f.Fallback && !old.Fallback {
		// The page failed this time: keep its text rather than fall back
		// to the feed's shorter one.
		f.Body, f.Canonical, f.Fallback = old.Body, old.Canonical, false
	}
	f.Updated = s.now().UTC().Format(time.RFC3339)
	if err := s.store.Put(id, f); err != nil {
		s.log.Error("updating an article failed", "id", id, "err", err)
		res.Skipped = append(res.Skipped, Skipped{URL: f.URL, Reason: "could not be updated: " + err.Error()})
		return
	}
	s.counters.FeedItemAdded()
	res.Added = append(res.Added, addedOf(id, f, true))
}

// duplicate records that the item fi (of source, at link) is the article
// stored as id: the item becomes an alias so that it is not fetched
// again, and when it is the same story on another page (sameStory), its
// outlet and link join the article's also list. The caller holds s.commit.
func (s *Service) duplicate(id corpus.ArticleID, fi feedItem, guild, source, link string, sameStory bool, res *Result) {
	s.counters.FeedDuplicateDropped()
	res.Skipped = append(res.Skipped, Skipped{URL: orStr(link, fi.guid), Reason: "duplicate of " + string(id), Duplicate: id})
	old, err := s.store.Read(id)
	if err != nil {
		s.log.Error("reading an article to note a duplicate failed", "id", id, "err", err)
		return
	}
	changed := false
	if g := mergeGuilds(old.Guild, guild); g != old.Guild {
		old.Guild, changed = g, true
	}
	if fi.guid != "" && !(old.Feed == fi.feed && old.GUID == fi.guid) && !hasAlias(old.Aliases, Alias{Feed: fi.feed, GUID: fi.guid}) {
		old.Aliases = append(old.Aliases, Alias{Feed: fi.feed, GUID: fi.guid})
		changed = true
	}
	source = orStr(source, fi.outlet)
	if sameStory && link != "" && NormalizeURL(link) != NormalizeURL(old.URL) && !hasLink(old.Also, link) {
		old.Also = append(old.Also, corpus.Link{Source: source, URL: NormalizeURL(link)})
		old.Aliases = append(old.Aliases, Alias{URL: link})
		changed = true
	}
	if !changed {
		return
	}
	if err := s.store.Put(id, old); err != nil {
		s.log.Error("noting a duplicate failed", "id", id, "err", err)
	}
}

// widen makes article id answered in guild too ("" for every server).
func (s *Service) widen(id corpus.ArticleID, guild string) {
	s.commit.Lock()
	defer s.commit.Unlock()
	f, err := s.store.Read(id)
	if err != nil {
		s.log.Error("reading an article to widen its scope failed", "id", id, "err", err)
		return
	}
	if g := mergeGuilds(f.Guild, guild); g != f.Guild {
		f.Guild = g
		if err := s.store.Put(id, f); err != nil {
			s.log.Error("widening an article's scope failed", "id", id, "err", err)
		}
	}
}

func hasAlias(list []Alias, a Alias) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

func hasLink(list []corpus.Link, link string) bool {
	n := NormalizeURL(link)
	for _, l := range list {
		if NormalizeURL(l.URL) == n {
			return true
		}
	}
	return false
}

// AddURL fetches the page at rawURL, extracts its article and stores it.
// A page already stored (by URL or canonical URL, or as the same story)
// is skipped with the reason. A page that cannot be fetched or holds too
// little text is an error.
//
// guild is the Discord server that asked for it, whose own the article is
// ("" for every server); a page already stored becomes that server's too.
func (s *Service) AddURL(ctx context.Context, rawURL, guild string) (Result, error) {
	var res Result
	rawURL = strings.TrimSpace(rawURL)
	if id, ok := s.store.ByURL(rawURL); ok {
		s.widen(id, guild)
		res.Skipped = append(res.Skipped, Skipped{URL: rawURL, Reason: "already stored as " + string(id), Duplicate: id})
		return res, nil
	}
	p, err := s.page(ctx, rawURL)
	if errors.Is(err, ErrTooShort) {
		return res, fmt.Errorf("%s: %w (%d words; at least %d needed)", rawURL, err, p.Words(), MinWords)
	}
	if err != nil {
		return res, err
	}
	f := &File{
		Title: p.Title, Source: p.SiteName, URL: NormalizeURL(rawURL), Author: p.Byline, Body: p.Paragraphs,
		Canonical: NormalizeURL(p.Canonical), Guild: guild,
	}
	if f.Source == "" {
		if u, err := url.Parse(rawURL); err == nil {
			f.Source = strings.TrimPrefix(u.Hostname(), "www.")
		}
	}
	if !p.Published.IsZero() {
		f.Published = p.Published.UTC().Format(time.RFC3339)
	}
	if f.Title == "" {
		f.Title = firstWords(f.Body, 12)
	}
	s.commit.Lock()
	defer s.commit.Unlock()
	fi := feedItem{outlet: f.Source}
	for _, u := range []string{rawURL, f.Canonical} {
		if other, ok := s.store.ByURL(u); ok && u != "" {
			s.duplicate(other, fi, guild, f.Source, rawURL, false, &res)
			return res, nil
		}
	}
	if other, ok := s.store.Similar(strings.Join(f.Body, "\n"), ""); ok {
		s.duplicate(other, fi, guild, f.Source, rawURL, true, &res)
		return res, nil
	}
	s.add(f, &res)
	return res, nil
}

func addedOf(id corpus.ArticleID, f *File, updated bool) Added {
	a := Added{ID: id, Title: f.Title, URL: f.URL, Source: f.Source, Updated: updated, Fallback: f.Fallback}
	a.Published, _ = time.Parse(time.RFC3339, f.Published)
	return a
}

// htmlParagraphs turns a feed's HTML (or plain) text into paragraphs.
func htmlParagraphs(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	if !strings.Contains(s, "<") {
		var out []string
		for _, p := range strings.Split(s, "\n\n") {
			if t := corpus.FoldSpace(p); t != "" {
				out = append(out, t)
			}
		}
		return out
	}
	doc, err := html.Parse(strings.NewReader("<body>" + s + "</body>"))
	if err != nil {
		return nil
	}
	return paragraphs(doc)
}

// htmlText is the text of a feed's HTML, for comparing lengths.
func htmlText(s string) string { return strings.Join(htmlParagraphs(s), " ") }

func words(paras []string) int {
	n := 0
	for _, p := range paras {
		n += len(strings.Fields(p))
	}
	return n
}

func firstWords(paras []string, n int) string {
	if len(paras) == 0 {
		return ""
	}
	w := strings.Fields(paras[0])
	if len(w) > n {
		return strings.Join(w[:n], " ") + "…"
	}
	return strings.Join(w, " ")
}

func orStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// CheckFeed fetches feedURL and parses it as a feed, storing nothing,
// and returns the feed's title ("" when it has none). A URL that cannot
// be fetched (a refused address or scheme included) or is not a feed
// gives a *FetchError.
func (s *Service) CheckFeed(ctx context.Context, feedURL string) (string, error) {
	resp, err := s.fetch.Get(ctx, feedURL, http.Header{"Accept": {"application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"}})
	if err != nil {
		return "", err
	}
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(resp.Body))
	if err != nil {
		return "", &FetchError{URL: feedURL, Kind: KindParse, Err: errors.New("not an RSS, Atom or JSON feed")}
	}
	return corpus.FoldSpace(feed.Title), nil
}
