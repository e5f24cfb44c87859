// Package news turns news feeds and web pages into verbatim articles:
// it fetches them safely, polls RSS, Atom and JSON feeds, extracts an
// article's text from its page, drops duplicates, and writes each article
// as a .json article file that the corpus package reads.
//
// # Safe fetching
//
// A [Fetcher] fetches only http and https URLs, refuses loopback, private,
// link-local, shared (CGNAT), multicast, unspecified and cloud-metadata
// addresses at connect time (so that a DNS answer that changes between a
// check and the connection cannot get through) and again on every
// redirect, follows at most [MaxRedirects] redirects, caps every body and
// every wait, and names itself in its User-Agent. [FetchOptions.AllowPrivate]
// lifts the address rule only.
//
// # Feeds and pages
//
// [Service.PollFeed] fetches a feed with a conditional GET, and for each
// item not seen before fetches its page, extracts the article
// ([Extract]), and stores it ([Store]). When the page cannot be fetched
// or holds too little text, the feed's own text is stored instead and the
// article is marked as a fallback. [Service.AddURL] adds one page.
//
// # Duplicates
//
// An item is one article however often it is seen: by its feed's GUID, by
// its normalised URL ([NormalizeURL]: tracking parameters and fragments
// removed, host lower-cased), by the page's canonical URL, and by
// near-duplicate text (MinHash over word shingles: the same wire story
// from two outlets is one article that lists both). An item whose feed
// text changes updates its article in place. The article files are the
// record of what was seen: [OpenStore] rebuilds the indexes from them.
//
// # Polling
//
// A [Poller] polls a list of feeds on an interval with jitter, backs off a
// failing feed (honouring Retry-After), keeps each feed's state in a
// [PollStates], and reports what happened through [Counters].
package news
