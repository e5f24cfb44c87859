package corpus

import (
	"cmp"
	"slices"
	"strings"
)

// SpeakerCount is a speaker and the number of sentences that report their
// words.
type SpeakerCount struct {
	Name  string
	Count int
}

// Speakers lists everyone the corpus quotes, the most quoted first (ties
// by name). It is computed once, on first use.
func (c *Corpus) Speakers() []SpeakerCount {
	c.speakersOnce.Do(func() {
		counts := map[string]int{}
		for _, a := range c.articles {
			for _, p := range a.Paragraphs {
				for _, s := range p.Sentences {
					if s.Speaker != "" {
						counts[s.Speaker]++
					}
				}
			}
		}
		c.speakers = make([]SpeakerCount, 0, len(counts))
		for name, n := range counts {
			c.speakers = append(c.speakers, SpeakerCount{name, n})
		}
		slices.SortFunc(c.speakers, func(a, b SpeakerCount) int {
			if d := cmp.Compare(b.Count, a.Count); d != 0 {
				return d
			}
			return strings.Compare(a.Name, b.Name)
		})
	})
	return c.speakers
}

// QuotesBy returns the sentences that report the words of speaker (any
// case), newest article first, then in article order; article, when not
// "", keeps one article's.
func (c *Corpus) QuotesBy(speaker string, article ArticleID) []Sentence {
	var out []Sentence
	for _, a := range c.ByDate() {
		if article != "" && a.ID != article {
			continue
		}
		out = a.AppendQuotesBy(out, speaker)
	}
	return out
}

// ByDate returns the articles newest first (unknown dates last), ties by
// id. The slice is new.
func (c *Corpus) ByDate() []*Article {
	out := slices.Clone(c.articles)
	slices.SortStableFunc(out, func(a, b *Article) int {
		return b.Published.Compare(a.Published)
	})
	return out
}
