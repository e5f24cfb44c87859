package retrieval

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/verbatim-bot/verbatim/corpus"
)

// Seeds for these fuzzers live in testdata/fuzz/<FuzzName>/, so that go
// test replays them (and anything a fuzzing run finds) without -fuzz.

// FuzzCheckQuestion checks that whatever a user types, CheckQuestion
// either refuses it with a *QuestionError or returns a question that is
// non-empty, within the limit, free of control and format characters,
// folded, with a letter or digit, and that checking it again changes
// nothing.
func FuzzCheckQuestion(f *testing.F) {
	f.Add("Who is Hoshyar Zebari?")
	f.Add("\u200b\u202eWho\x00 is he?\u2066")
	f.Add(strings.Repeat("é", MaxQuestionRune+1))
	f.Fuzz(func(t *testing.T, in string) {
		got, err := CheckQuestion(in)
		if err != nil {
			var qe *QuestionError
			if !errors.As(err, &qe) || qe.Reason == "" || got != "" {
				t.Fatalf("CheckQuestion(%q) = %q, %v; want \"\" and a *QuestionError with a reason", in, got, err)
			}
			return
		}
		if n := utf8.RuneCountInString(got); n == 0 || n > MaxQuestionRune {
			t.Errorf("CheckQuestion(%q) = %q: %d code points", in, got, n)
		}
		if strings.ContainsFunc(got, isInvisible) {
			t.Errorf("CheckQuestion(%q) = %q keeps a control or format character", in, got)
		}
		if corpus.FoldSpace(got) != got {
			t.Errorf("CheckQuestion(%q) = %q is not folded", in, got)
		}
		if !strings.ContainsFunc(got, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			t.Errorf("CheckQuestion(%q) = %q has no letter or digit", in, got)
		}
		if again, err := CheckQuestion(got); again != got || err != nil {
			t.Errorf("CheckQuestion(%q) = %q, %v; want it unchanged", got, again, err)
		}
	})
}

// FuzzAnalyzeQuestion checks that question analysis never panics, keeps
// the text, finds a known question word or none, and leaves as content
// only the question's own text.
func FuzzAnalyzeQuestion(f *testing.F) {
	f.Add("What is the name of the US ambassador to Iraq?")
	f.Add("How many people were killed in Baghdad?")
	f.Add("Name the foreign minister.")
	f.Add("who WHOM whose what-which")
	an := newAnalyzer(f)
	f.Fuzz(func(t *testing.T, text string) {
		q := AnalyzeQuestion(text)
		if q.Text != text {
			t.Fatalf("AnalyzeQuestion(%q).Text = %q", text, q.Text)
		}
		if q.Wh != "" && !whWords[q.Wh] {
			t.Errorf("AnalyzeQuestion(%q).Wh = %q, not a question word", text, q.Wh)
		}
		if (q.Wh == "") != (q.WhPhrase == "") || !strings.HasPrefix(q.WhPhrase, q.Wh) {
			t.Errorf("AnalyzeQuestion(%q): Wh %q, WhPhrase %q", text, q.Wh, q.WhPhrase)
		}
		if q.WhPhrase != strings.ToLower(q.WhPhrase) {
			t.Errorf("AnalyzeQuestion(%q).WhPhrase = %q is not lower-case", text, q.WhPhrase)
		}
		if q.Wh == "" && q.Content != text {
			t.Errorf("AnalyzeQuestion(%q).Content = %q; want the text, having no question word", text, q.Content)
		}
		if !subsequence(strings.Join(strings.Fields(q.Content), ""), text) {
			t.Errorf("AnalyzeQuestion(%q).Content = %q is not made of the question's own text", text, q.Content)
		}
		// The analyser reads a shouted question in lower case and
		// chat's short forms spelt out ("tho", "u"), then as
		// AnalyzeQuestion does.
		read := text
		if shouted(read) {
			read = strings.ToLower(read)
		}
		want := AnalyzeQuestion(expandChat(read))
		full := an.Question(text)
		if full.Wh != want.Wh || full.Content != want.Content || full.Type.String() == "" {
			t.Errorf("Analyzer.Question(%q) = %+v; disagrees with AnalyzeQuestion of it as read %+v", text, full, want)
		}
		// A type comes from a question word, or from "Name ..." (the
		// first word, punctuation aside).
		words := strings.FieldsFunc(text, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
		})
		named := len(words) > 1 && strings.EqualFold(words[0], "name")
		if full.Type != AnswerAny && full.Wh == "" && !named {
			t.Errorf("Analyzer.Question(%q) has type %v without a question word", text, full.Type)
		}
	})
}

// subsequence reports whether the bytes of sub appear in s in order.
// Bytes, not runes: joining words of invalid UTF-8 can make a valid rune
// of two stray bytes.
func subsequence(sub, s string) bool {
	i := 0
	for j := 0; j < len(sub); j++ {
		for i < len(s) && s[i] != sub[j] {
			i++
		}
		if i == len(s) {
			return false
		}
		i++
	}
	return true
}

// FuzzAsk puts any text to an index of the seed article: Ask never
// panics, refuses only with a *QuestionError, and answers with sentences
// of the corpus, at most top of them, never both quotes and no_answer.
func FuzzAsk(f *testing.F) {
	f.Add("Who is Hoshyar Zebari?", uint8(3))
	f.Add("What is the population of Tehran?", uint8(0))
	f.Add("\"direct exchanges\" -Iran +US OR AND NOT *", uint8(10))
	f.Add("Iran~2 ^5 field:text /regexp.*/", uint8(200))
	c := seedCorpus(f)
	ix := memIndex(f, c, Options{})
	f.Fuzz(func(t *testing.T, question string, top uint8) {
		a, err := ix.Ask(context.Background(), Query{Text: question, Top: int(top)})
		if err != nil {
			var qe *QuestionError
			if !errors.As(err, &qe) {
				t.Fatalf("Ask(%q) error = %v; want only a *QuestionError", question, err)
			}
			return
		}
		want := int(top)
		switch {
		case want <= 0:
			want = DefaultTop
		case want > MaxTop:
			want = MaxTop
		}
		if len(a.Quotes) > want {
			t.Errorf("Ask(%q, top %d) gave %d quotes", question, top, len(a.Quotes))
		}
		if a.NoAnswer && len(a.Quotes) > 0 {
			t.Errorf("Ask(%q): no_answer with %d quotes", question, len(a.Quotes))
		}
		for _, q := range append(a.Quotes, a.Suggestions...) {
			s, ok := c.Sentence(q.Ref())
			if !ok || s.Text != q.Text {
				t.Errorf("Ask(%q) quotes %q, not a sentence of the corpus", question, q.Text)
			}
		}
	})
}
