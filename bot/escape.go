package bot

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// markdownSpecial are the characters Discord's markdown gives meaning to.
const markdownSpecial = "\\*_~`|>#[]()-+.:!<@&"

// escape makes text render as itself in Discord: markdown, mentions
// ("<@123>", "@everyone"), masked links and headings are shown, not
// interpreted. Bare URLs lose their automatic link ("https\://"). Control
// and invisible format characters are dropped. allowed_mentions already
// stops pings; escaping also stops the text from looking like one.
func escape(s string) string {
	// Invisible characters go first, so that what is left is what the
	// rules below see: ":\x00//" must not slip "://" past them.
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || (unicode.Is(unicode.Cc, r) && r != '\n') {
			return -1
		}
		return r
	}, s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i, r := range s {
		switch {
		case r == '@':
			// "@everyone" and "@here" are the ones that matter; a zero-width
			// joiner after "@" is the documented way to defuse them.
			b.WriteString("@\u200b")
			continue
		case r == ':' && strings.HasPrefix(s[i:], "://"):
			b.WriteString("\\:")
			continue
		case strings.ContainsRune(markdownSpecial, r) && needsEscape(s, i, r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// plain removes control and invisible format characters (direction
// overrides, zero-width spaces) from text shown where markdown does not
// apply, such as footers, and folds its white space.
func plain(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) {
			if unicode.IsSpace(r) {
				return ' '
			}
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// needsEscape limits escaping of characters that are markdown only in some
// places (list markers, headings, numbered lists, emphasis dots), so that
// ordinary prose keeps its look: "-" and "+" and "." only at the start of
// a line, ":" not at all unless it starts a URL (handled by the caller).
func needsEscape(s string, i int, r rune) bool {
	switch r {
	case '-', '+', '.', '!':
		return i == 0 || s[i-1] == '\n'
	case ':':
		return false
	}
	return true
}

// truncate shortens s to at most max bytes of UTF-8, at a sentence end
// when one is near, else at a word boundary, and marks the cut with "…".
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const ellipsis = "\u2026"
	limit := max - len(ellipsis)
	if limit <= 0 {
		if limit == 0 {
			return ellipsis
		}
		return "" // no room even for the ellipsis, which is three bytes
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	head := s[:cut]
	atBoundary := unicode.IsSpace(rune(s[cut]))
	// Prefer the last sentence end in the final third, then a space.
	if i := strings.LastIndexAny(head, ".!?"); i > len(head)*2/3 {
		if i+1 < len(head) {
			// Room for a space before the ellipsis: a sentence end at the
			// very cut has none.
			return head[:i+1] + " " + ellipsis
		}
		return head[:i+1] + ellipsis
	}
	if i := strings.LastIndexFunc(head, unicode.IsSpace); !atBoundary && i > len(head)/2 {
		head = head[:i]
	}
	// A trailing backslash would escape the ellipsis.
	head = strings.TrimRight(head, "\\")
	return strings.TrimRightFunc(head, unicode.IsSpace) + ellipsis
}

// fragmentLink links to a sentence inside its article with a text fragment
// (#:~:text=start,end), which browsers scroll to and highlight. Long
// sentences are matched by their first and last few words. It returns ""
// when the article has no usable http(s) URL.
func fragmentLink(articleURL, sentence string) string {
	u, err := url.Parse(articleURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment, u.RawFragment = "", ""
	words := strings.Fields(sentence)
	const edge = 5
	frag := ":~:text="
	if len(words) <= 2*edge {
		frag += fragmentEscape(strings.Join(words, " "))
	} else {
		frag += fragmentEscape(strings.Join(words[:edge], " ")) + "," +
			fragmentEscape(strings.Join(words[len(words)-edge:], " "))
	}
	return u.String() + "#" + frag
}

// fragmentEscape percent-encodes text for a text directive, including the
// characters the directive's syntax uses ("-", ",", "&").
func fragmentEscape(s string) string {
	e := url.PathEscape(s)
	return strings.NewReplacer("-", "%2D", ",", "%2C", "&", "%26", "(", "%28", ")", "%29").Replace(e)
}

// linkURL makes a URL safe inside a markdown link's parentheses.
func linkURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(u)
}
