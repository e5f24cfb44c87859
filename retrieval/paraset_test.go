package retrieval

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	unorm "golang.org/x/text/unicode/norm"

	"github.com/verbatim-bot/verbatim/corpus"
)

// The hard paraphrase development set (testdata/eval/README.md): the
// articles in testdata/eval/news and two question files split by article.
const (
	paraNews    = "testdata/eval/news"
	paraTune    = "news-paraphrase.tune.jsonl"
	paraHeldout = "news-paraphrase.heldout.jsonl"
)

// articleRules are what a folder of evaluation articles must hold.
type articleRules struct {
	minArticles, maxArticles     int // maxArticles 0: no most
	minParagraphs, maxParagraphs int
}

// checkArticleFolder loads the evaluation articles in dir and checks that
// every file reads cleanly, with every header field, and that their
// numbers and paragraphs keep to rules.
func checkArticleFolder(t *testing.T, dir string, rules articleRules) *corpus.Corpus {
	t.Helper()
	c, problems, err := corpus.LoadDir(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("article file: %v", p)
	}
	if n := c.Len(); n < rules.minArticles || rules.maxArticles > 0 && n > rules.maxArticles {
		t.Errorf("%s: %d articles; want %d to %d", dir, n, rules.minArticles, max(rules.maxArticles, rules.minArticles))
	}
	for _, a := range c.Articles() {
		if n := len(a.Paragraphs); n < rules.minParagraphs || n > rules.maxParagraphs {
			t.Errorf("article %s has %d paragraphs; want %d to %d", a.ID, n, rules.minParagraphs, rules.maxParagraphs)
		}
		if a.Title == "" || a.Source == "" || a.URL == "" || a.Published.IsZero() || a.Author == "" {
			t.Errorf("article %s lacks a header field (Title, Source, URL, Published, Author)", a.ID)
		}
	}
	return c
}

// TestParaphraseSetRules checks the rules the paraphrase set was written
// to: every expected substring lies inside exactly one sentence of the
// articles (so it is distinctive, and a quote cannot hit it by chance),
// at least a third of the questions are unanswerable, an answerable
// question shares at most one content word with each sentence that
// answers it (names and numbers apart), and the two files ask about
// different articles. When it fails, fix the questions, not the test.
func TestParaphraseSetRules(t *testing.T) {
	c := checkArticleFolder(t, paraNews, articleRules{minArticles: 12, minParagraphs: 8, maxParagraphs: 15})
	an := newAnalyzer(t)
	names := paraNames(c, an)

	answeredBy := map[string]map[corpus.ArticleID]bool{}
	total, unanswerable := 0, 0
	seen := map[string]string{}
	for _, file := range []string{paraTune, paraHeldout} {
		set := readEval(t, file)
		answeredBy[file] = map[corpus.ArticleID]bool{}
		none, answers := checkParaQuestions(t, c, an, names, file, set, seen)
		for _, s := range answers {
			answeredBy[file][s.Article] = true
		}
		total += len(set.QA)
		unanswerable += none
	}
	if total < 180 {
		t.Errorf("%d questions; want at least 180", total)
	}
	for id := range answeredBy[paraTune] {
		if answeredBy[paraHeldout][id] {
			t.Errorf("article %s answers questions of both %s and %s; the split is by article", id, paraTune, paraHeldout)
		}
	}
	t.Logf("%d articles, %d questions, %d unanswerable; tune asks of %d articles, held-out of %d",
		c.Len(), total, unanswerable, len(answeredBy[paraTune]), len(answeredBy[paraHeldout]))
}

// checkAskedOnce fails when question i of file (from 0), folded and
// lower-cased, was asked before in the files checked (seen, which takes
// it for file).
func checkAskedOnce(t *testing.T, file string, i int, question string, seen map[string]string) {
	t.Helper()
	key := strings.ToLower(corpus.FoldSpace(question))
	if prev, ok := seen[key]; ok {
		t.Errorf("%s: %s is asked again (first in %s)", file, shownQuestion(file, i, question), prev)
	}
	seen[key] = file
}

// shownQuestion is how a rules check names question i (from 0) of file
// in a failure: quoted, but by its number alone in a held-out file, whose
// questions are read once, when it is scored, and not before.
func shownQuestion(file string, i int, question string) string {
	if heldOutFile(file) {
		return fmt.Sprintf("question %d", i+1)
	}
	return strconv.Quote(question)
}

// shownText is how a rules check shows words of file's questions or of
// their answers in a failure: quoted, but not for a held-out file.
func shownText(file, text string) string {
	if heldOutFile(file) {
		return "(held out)"
	}
	return strconv.Quote(text)
}

// heldOutFile reports whether file is the held-out half of a set.
func heldOutFile(file string) bool { return strings.Contains(file, ".heldout.") }

// checkParaQuestions checks the questions of one corpus QA file of a
// paraphrase set against its articles c: none asked again (seen holds the
// questions of the files checked before, and takes this file's); each
// expected substring written as the articles have it, inside exactly one
// sentence, which shares at most one content word with the question
// (names and numbers apart); at least a third of the questions, and not
// all, unanswerable. It returns how many are unanswerable and the
// sentences that answer the others.
func checkParaQuestions(t *testing.T, c *corpus.Corpus, an *Analyzer, names map[string]bool, file string, set *EvalSet, seen map[string]string) (none int, answers []corpus.Sentence) {
	t.Helper()
	none, answers = checkParaItems(t, c, an, names, file, set, seen)
	if 3*none < len(set.QA) {
		t.Errorf("%s: %d of %d questions unanswerable; want at least a third", file, none, len(set.QA))
	}
	return none, answers
}

// checkParaItems is checkParaQuestions without the share of unanswerable
// questions, for a set whose rule for that share is another: it checks
// each question and that not all are unanswerable.
func checkParaItems(t *testing.T, c *corpus.Corpus, an *Analyzer, names map[string]bool, file string, set *EvalSet, seen map[string]string) (none int, answers []corpus.Sentence) {
	t.Helper()
	if set.Kind != EvalCorpusQA {
		t.Fatalf("%s is %s; want corpus QA", file, set.Kind)
	}
	for i, it := range set.QA {
		checkAskedOnce(t, file, i, it.Question, seen)
		if len(it.Expect) == 0 {
			none++
			continue
		}
		q := paraContentTerms(an, it.Question, names)
		shown := shownQuestion(file, i, it.Question)
		for _, sub := range it.Expect {
			if sub != corpus.FoldSpace(sub) {
				t.Errorf("%s: %s expects %s, not as the articles write it (spacing)", file, shown, shownText(file, sub))
			}
			found := paraSentencesWith(c, sub)
			if len(found) != 1 {
				t.Errorf("%s: %s expects %s, which %d sentences of the articles contain; want exactly one", file, shown, shownText(file, sub), len(found))
			}
			for _, s := range found {
				answers = append(answers, s)
				if shared := paraShared(q, paraContentTerms(an, s.Text, names)); len(shared) > 1 {
					t.Errorf("%s: %s shares %d content words %s with its answer %s %s; want at most 1",
						file, shown, len(shared), shownText(file, strings.Join(shared, " ")), s.Ref(), shownText(file, s.Text))
				}
			}
		}
	}
	if none == len(set.QA) {
		t.Errorf("%s: no answerable question", file)
	}
	return none, answers
}

// paraSentencesWith returns the sentences of c whose text contains sub.
func paraSentencesWith(c *corpus.Corpus, sub string) []corpus.Sentence {
	var out []corpus.Sentence
	for _, a := range c.Articles() {
		for _, s := range a.Sentences() {
			if strings.Contains(s.Text, sub) {
				out = append(out, s)
			}
		}
	}
	return out
}

// paraFold lower-cases w and strips its accents: "Zoë" and "zoe" fold alike.
func paraFold(w string) string {
	t := transform.Chain(unorm.NFD, runes.Remove(runes.In(unicode.Mn)), unorm.NFC)
	s, _, err := transform.String(t, w)
	if err != nil {
		return strings.ToLower(w)
	}
	return strings.ToLower(s)
}

// paraCapitalised reports whether w starts with an upper-case letter.
func paraCapitalised(w string) bool {
	for _, r := range w {
		return unicode.IsUpper(r)
	}
	return false
}

// paraNames returns the folded words that the articles write with a
// capital and never in lower case, inside a sentence or headline or, if
// no English word (an's lexicon), first: the names, which a question may
// write in lower case ("jose ferreira"), and the place a story names
// only at the head of its sentences and in its headline ("Penwarra's
// annual regatta", "Skelbrooke general hospital opened").
func paraNames(c *corpus.Corpus, an *Analyzer) map[string]bool {
	capital, lower := map[string]bool{}, map[string]bool{}
	for _, a := range c.Articles() {
		texts := []string{a.Title}
		for _, s := range a.Sentences() {
			texts = append(texts, s.Text)
		}
		for _, text := range texts {
			ws := strings.FieldsFunc(text, notWordRune)
			for i, w := range ws {
				switch {
				case !paraCapitalised(w):
					lower[paraFold(w)] = true
				case i > 0:
					capital[paraFold(w)] = true
				case len(ws) > 1 && paraCapitalised(ws[1]):
					// First, but the first of a name: "Edward Quenby,
					// 71, said"; a word the articles also write in
					// lower case ("The Brackensea ...") is not one.
					capital[paraFold(w)] = true
				default:
					if f := paraFold(w); !an.lex.english(f, stemOf(f)) {
						capital[f] = true
					}
				}
			}
		}
	}
	for w := range lower {
		delete(capital, w)
	}
	return capital
}

// paraContentTerms returns the analysed terms of s (stemmed, stop words out)
// that come from neither a name nor a number. A word is a name when it is
// capitalised anywhere but first, or first before another capitalised
// word, and the articles never write it in lower case.
func paraContentTerms(an *Analyzer, s string, names map[string]bool) map[string]bool {
	raw := an.raw.Analyze([]byte(s))
	out := map[string]bool{}
	for _, tok := range an.text.Analyze([]byte(s)) {
		p := tok.Position - 1
		if p < 0 || p >= len(raw) {
			continue
		}
		w := string(raw[p].Term)
		// A phrasal verb's term is not a word of its own: its verb
		// counts.
		if isPhrasalTerm(string(tok.Term)) || strings.ContainsFunc(w, unicode.IsDigit) || names[paraFold(w)] || (p > 0 && paraCapitalised(w)) {
			continue
		}
		out[string(tok.Term)] = true
	}
	return out
}

// paraShared returns the terms in both a and b, sorted.
func paraShared(a, b map[string]bool) []string {
	var out []string
	for t := range a {
		if b[t] {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// TestShownQuestion checks that a rules check's failure shows a held-out
// file's questions and answers by number alone, and a tuning file's
// whole.
func TestShownQuestion(t *testing.T) {
	for _, tt := range []struct {
		file, question, text string
		wantQ, wantText      string
	}{
		{"news9-paraphrase.heldout.jsonl", "who won", "Ann won.", "question 3", "(held out)"},
		{"summaries2.heldout.jsonl", "who won", "Ann won.", "question 3", "(held out)"},
		{"news9-paraphrase.tune.jsonl", "who won", "Ann won.", `"who won"`, `"Ann won."`},
	} {
		if got := shownQuestion(tt.file, 2, tt.question); got != tt.wantQ {
			t.Errorf("shownQuestion(%q) = %s; want %s", tt.file, got, tt.wantQ)
		}
		if got := shownText(tt.file, tt.text); got != tt.wantText {
			t.Errorf("shownText(%q) = %s; want %s", tt.file, got, tt.wantText)
		}
	}
}
