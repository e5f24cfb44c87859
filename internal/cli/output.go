package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/verbatim-bot/verbatim/corpus"
	"github.com/verbatim-bot/verbatim/retrieval"
)

// The JSON shapes below are the external contract of --json output
// (docs/design.md): every field always present, "" when unknown, arrays never
// null.

type jsonArticle struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Source    string `json:"source"`
	Agency    string `json:"agency"`
	URL       string `json:"url"`
	Published string `json:"published"`
}

type jsonQuote struct {
	Text      string      `json:"text"`
	Answer    string      `json:"answer"`
	Score     float64     `json:"score"`
	Paragraph int         `json:"paragraph"`
	Sentence  int         `json:"sentence"`
	Speaker   string      `json:"speaker"`
	Role      string      `json:"role"`
	Article   jsonArticle `json:"article"`
}

type jsonAnswer struct {
	Question    string      `json:"question"`
	NoAnswer    bool        `json:"no_answer"`
	Confidence  float64     `json:"confidence"`
	Quotes      []jsonQuote `json:"quotes"`
	Suggestions []jsonQuote `json:"suggestions"`
}

type jsonLookup struct {
	Term   string      `json:"term"`
	Total  int         `json:"total"`
	Quotes []jsonQuote `json:"quotes"`
}

func articleJSON(a *corpus.Article) jsonArticle {
	return jsonArticle{
		ID: string(a.ID), Title: a.Title, Source: a.Source, Agency: a.Agency,
		URL: a.URL, Published: a.Date(),
	}
}

func quotesJSON(qs []retrieval.Quote) []jsonQuote {
	out := make([]jsonQuote, len(qs))
	for i, q := range qs {
		out[i] = jsonQuote{
			Text: q.Text, Answer: q.Answer,
			// Four decimals: enough to order by, stable across platforms.
			Score:     math.Round(q.Score*1e4) / 1e4,
			Paragraph: q.Paragraph, Sentence: q.Number,
			Speaker: q.Speaker, Role: q.Role,
			Article: articleJSON(q.Article),
		}
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// textStyle is how text output marks the answer inside a quote: in bold
// on a terminal, not at all in a file or pipe (where the quote must stay
// exactly as the article has it).
type textStyle struct{ bold bool }

// styleFor is the style of text written to w.
func styleFor(w io.Writer) textStyle { return textStyle{bold: isTerminal(w)} }

// quoteText is q's text with its answer marked in the style.
func (st textStyle) quoteText(q retrieval.Quote) string {
	sp := q.AnswerSpan
	if !st.bold || q.Answer == "" || sp.End > len(q.Text) {
		return q.Text
	}
	return q.Text[:sp.Start] + "\x1b[1m" + q.Text[sp.Start:sp.End] + "\x1b[0m" + q.Text[sp.End:]
}

// writeQuote prints one quote and its attribution as text.
func writeQuote(w io.Writer, n int, q retrieval.Quote) {
	fmt.Fprintf(w, "%d. \u201c%s\u201d\n", n, styleFor(w).quoteText(q))
	if q.Speaker != "" {
		who := q.Speaker
		if q.Role != "" {
			who += ", " + q.Role
		}
		fmt.Fprintf(w, "   \u2014 %s\n", who)
	}
	fmt.Fprintf(w, "   %s\n", attribution(q))
	if q.Article.URL != "" {
		fmt.Fprintf(w, "   %s\n", q.Article.URL)
	}
	// The same story from other outlets (a wire story stored once).
	for _, l := range q.Article.Also {
		fmt.Fprintf(w, "   also: %s\n", strings.TrimSpace(l.Source+" "+l.URL))
	}
}

// attribution is the article line of a quote: title, outlet (and agency),
// date, paragraph.
func attribution(q retrieval.Quote) string {
	a := q.Article
	parts := []string{a.Title}
	outlet := a.Source
	if a.Agency != "" {
		if outlet != "" {
			outlet += " / " + a.Agency
		} else {
			outlet = a.Agency
		}
	}
	if outlet != "" {
		parts = append(parts, outlet)
	}
	if d := a.Date(); d != "" {
		parts = append(parts, d)
	}
	parts = append(parts, fmt.Sprintf("paragraph %d", q.Paragraph))
	return strings.Join(parts, " \u00b7 ")
}

func writeAnswer(w io.Writer, a *retrieval.Answer) {
	if a.NoAnswer {
		fmt.Fprintln(w, "No sentence in the articles answers that.")
		if len(a.Suggestions) > 0 {
			fmt.Fprintln(w, "\nClosest sentences (near misses, not answers):")
			for i, q := range a.Suggestions {
				writeQuote(w, i+1, q)
			}
		}
		return
	}
	for i, q := range a.Quotes {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeQuote(w, i+1, q)
	}
}

func writeLookup(w io.Writer, l *retrieval.Lookup) {
	if len(l.Quotes) == 0 {
		fmt.Fprintf(w, "No sentence contains %q.\n", l.Term)
		return
	}
	if l.Total > len(l.Quotes) {
		fmt.Fprintf(w, "%d sentences contain %q; the first %d:\n\n", l.Total, l.Term, len(l.Quotes))
	} else {
		fmt.Fprintf(w, "%d %s %q:\n\n", l.Total, plural(l.Total, "sentence contains", "sentences contain"), l.Term)
	}
	for i, q := range l.Quotes {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeQuote(w, i+1, q)
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
