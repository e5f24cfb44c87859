package retrieval

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/verbatim-bot/verbatim/corpus"
)

// The functions on a question's way that work in reused memory, rather
// than in strings and slices made for each word, are held here to the
// plain ways they replaced, on every word of the evaluation data.

// testWords returns the distinct words, as written, of the files of
// testdata/eval (held-out halves aside) and some words of edge cases.
func testWords(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	word := regexp.MustCompile(`[\p{L}\p{N}'’-]+`)
	err := filepath.WalkDir(filepath.Join("testdata", "eval"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".heldout.jsonl") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, w := range word.FindAllString(string(data), -1) {
			seen[w] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"", "a", "ie", "ied", "ies", "skiing", "tying", "eyed", "hopped", "hoping", "dyes", "xes",
		"Café", "naïve", "ÆTHER", "İstanbul", "straße", "ΣΟΦΟΣ", "日本", "x\xffy"} {
		seen[w] = true
	}
	return slices.Sorted(func(yield func(string) bool) {
		for w := range seen {
			if !yield(w) {
				return
			}
		}
	})
}

// inflectionsPlain is appendInflections as it was, one string each.
func inflectionsPlain(w string) []string {
	n := len(w)
	if n < 3 || strings.ContainsFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) {
		return nil
	}
	bases := []string{w}
	switch {
	case strings.HasSuffix(w, "ied"), strings.HasSuffix(w, "ies"):
		bases = append(bases, w[:n-3]+"y", w[:n-1])
	case strings.HasSuffix(w, "ed"):
		bases = append(bases, w[:n-2], w[:n-1])
		if n > 4 && w[n-3] == w[n-4] {
			bases = append(bases, w[:n-3])
		}
	case strings.HasSuffix(w, "ing") && n > 4:
		bases = append(bases, w[:n-3], w[:n-3]+"e")
		if n > 5 && w[n-4] == w[n-5] {
			bases = append(bases, w[:n-4])
		}
	case strings.HasSuffix(w, "es"):
		bases = append(bases, w[:n-2], w[:n-1])
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		bases = append(bases, w[:n-1])
	}
	out := slices.Clone(bases[1:])
	for _, b := range bases {
		switch {
		case strings.HasSuffix(b, "ie"):
			out = append(out, b+"d", b[:len(b)-2]+"ying", b+"s")
		case strings.HasSuffix(b, "e"):
			out = append(out, b+"d", b[:len(b)-1]+"ing", b+"s")
		case strings.HasSuffix(b, "y"):
			out = append(out, b[:len(b)-1]+"ied", b[:len(b)-1]+"ies", b+"ing", b+"s")
		default:
			out = append(out, b+"ed", b+"ing", b+"s", b+"es")
		}
	}
	return out
}

func TestInflectionsAsPlain(t *testing.T) {
	var buf []byte
	for _, w := range testWords(t) {
		for _, w := range []string{w, strings.ToLower(w)} {
			buf = appendInflections(buf[:0], w)
			got := strings.Fields(string(buf))
			if want := inflectionsPlain(w); !slices.Equal(got, want) {
				t.Errorf("appendInflections(%q) = %q; want %q", w, got, want)
			}
		}
	}
}

func TestStemmerAsStemOf(t *testing.T) {
	var s stemmer
	for _, w := range testWords(t) {
		for _, w := range []string{w, strings.ToLower(w), foldWord(w)} {
			if got, want := string(s.stemString(w)), stemOf(w); got != want {
				t.Errorf("stemmer: %q stems to %q; stemOf: %q", w, got, want)
			}
		}
	}
}

// testQuestions returns the questions of the corpus question sets of
// testdata/eval (held-out halves aside), each also in lower case.
func testQuestions(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "eval", "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, ".heldout.jsonl") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			var it struct{ Question string }
			if err := json.Unmarshal([]byte(line), &it); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			out = append(out, it.Question, strings.ToLower(it.Question))
		}
	}
	return append(out, "", "?", "who is khalilzad", "what does aarp stand for", "ıstanbul or istanbul", "x\xffy khalilzad")
}

// recaseNamesPlain is recaseNames as it was, with a map of the counts and
// the question always written anew.
func recaseNamesPlain(text string, docs []*doc) string {
	type tally struct{ caps, acronym, lower int }
	var counts map[string]*tally
	for _, w := range strings.FieldsFunc(text, notQuestionWordRune) {
		if strings.ContainsFunc(w, unicode.IsUpper) || isStopWord(w) || whWords[w] {
			continue
		}
		if counts == nil {
			counts = map[string]*tally{}
		}
		counts[foldWord(w)] = &tally{}
	}
	if counts == nil {
		return text
	}
	for _, d := range docs {
		if len(d.ev) != len(d.words) {
			continue
		}
		for j, w := range d.words {
			t := counts[w]
			switch {
			case t == nil:
			case d.ev[j]&evCap == 0:
				t.lower++
			case j > 0:
				t.caps++
				if d.ev[j]&evAcronym != 0 {
					t.acronym++
				}
			}
		}
	}
	var b strings.Builder
	rest := text
	for rest != "" {
		i := strings.IndexFunc(rest, func(r rune) bool { return !notQuestionWordRune(r) })
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i:]
		j := strings.IndexFunc(rest, notQuestionWordRune)
		if j < 0 {
			j = len(rest)
		}
		w := rest[:j]
		rest = rest[j:]
		t := counts[foldWord(w)]
		switch {
		case t == nil || strings.ContainsFunc(w, unicode.IsUpper) || t.caps <= t.lower:
			b.WriteString(w)
		case 2*t.acronym > t.caps:
			b.WriteString(strings.ToUpper(w))
		default:
			r, n := utf8.DecodeRuneInString(w)
			b.WriteRune(unicode.ToUpper(r))
			b.WriteString(w[n:])
		}
	}
	return b.String()
}

func TestRecaseNamesAsPlain(t *testing.T) {
	an := newAnalyzer(t)
	var docs []*doc
	for _, dir := range []string{"news", "news2", "news3", "news4", "news5", "news6", "news7", "news8"} {
		c, _, err := corpus.LoadDir(context.Background(), filepath.Join("testdata", "eval", dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range c.Articles() {
			for _, s := range a.Sentences() {
				d := an.prepare(s.Text)
				docs = append(docs, &d)
			}
		}
	}
	recased := 0
	for _, q := range testQuestions(t) {
		for _, ds := range [][]*doc{docs, docs[:len(docs)/3], nil} {
			got, want := recaseNames(q, ds), recaseNamesPlain(q, ds)
			if got != want {
				t.Errorf("recaseNames(%q) = %q; want %q", q, got, want)
			}
			if got != q {
				recased++
			}
		}
	}
	if recased == 0 {
		t.Error("no question recased: the test tests nothing")
	}
}

// TestLeanAnalysis holds Terms and termsAndWords, which run the analysis
// in working memory, to the text and raw analyzers run whole, on every
// question, sentence and word of the evaluation data and on edge cases.
func TestLeanAnalysis(t *testing.T) {
	an := newAnalyzer(t)
	if an.filters == nil {
		t.Fatal("the analyzers are not made of the parts Terms knows: it runs them whole")
	}
	texts := append(testQuestions(t), testWords(t)...)
	for _, dir := range []string{"news", "news2", "news3", "news4", "news5", "news6", "news7", "news8"} {
		c, _, err := corpus.LoadDir(context.Background(), filepath.Join("testdata", "eval", dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range c.Articles() {
			texts = append(texts, a.Title)
			for _, s := range a.Sentences() {
				texts = append(texts, s.Text, s.Speaker+" "+s.Role)
			}
		}
	}
	for _, a := range seedCorpus(t).Articles() {
		for _, s := range a.Sentences() {
			texts = append(texts, s.Text)
		}
	}
	texts = append(texts, "", " ", "US and U.S. and the U.S.A. and the United States of America, not us; USA's US-led",
		"Iran’s and Iraq＇s and the UN's", "ΣΟΦΟΣ σοφος ΌΣΟΣ", "İstanbul KAYSERİ", "ᴀᴅᴍɪɴ Ⓐ ǅemal ﬁnance",
		"東京 and とうきょう in 2024, 3.5% or $1,200", "café naïve Ærø Øresund", "x\xffy \xe2\x80", "don't won't 'quoted'",
		strings.Repeat("long words ", 3000))
	whole := func(a analysis.Analyzer, s string) []string {
		var out []string
		for _, tok := range a.Analyze([]byte(s)) {
			out = append(out, string(tok.Term))
		}
		return out
	}
	for _, s := range texts {
		if got, want := an.Terms(s), whole(an.text, s); !slices.Equal(got, want) || (got == nil) != (want == nil) {
			t.Errorf("Terms(%q) = %q; the text analyzer gives %q", s, got, want)
		}
		terms, words, raw, lower := an.termsAndWords(s)
		wantTerms, wantWords, wantRaw, wantLower := an.termsAndWordsWhole(s)
		if !slices.Equal(terms, wantTerms) || !slices.Equal(words, wantWords) || !slices.Equal(raw, wantRaw) || !slices.Equal(lower, wantLower) {
			t.Errorf("termsAndWords(%q) = %q, %q, %q, %q; the analyzers give %q, %q, %q, %q", s, terms, words, raw, lower, wantTerms, wantWords, wantRaw, wantLower)
		}
	}
}
