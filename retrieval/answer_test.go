package retrieval

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestAskSeedDev asks every seed dev question through Ask and holds the
// share answered right (the expected words in the first quote, or no
// answer where none is expected) to a floor: docs/quality.md records
// the figure (21 of 24 since the sixth pass's refit: three unanswerable
// questions answered, two before), and a ranking change that moves more
// is judged there, not here. Each miss is logged.
func TestAskSeedDev(t *testing.T) {
	const minShare = 21.0 / 24
	ix := memIndex(t, seedCorpus(t), Options{})
	set := readEval(t, "seed-questions.dev.jsonl")
	right := 0
	for _, it := range set.QA {
		a, err := ix.Ask(context.Background(), Query{Text: it.Question})
		if err != nil {
			t.Fatalf("Ask(%q): %v", it.Question, err)
		}
		switch {
		case len(it.Expect) == 0 && a.NoAnswer:
			if len(a.Quotes) != 0 {
				t.Errorf("Ask(%q): no_answer with %d quotes; want none", it.Question, len(a.Quotes))
			}
			right++
		case len(it.Expect) == 0:
			t.Logf("miss: Ask(%q) answered %q; want no_answer", it.Question, a.Quotes[0].Text)
		case a.NoAnswer:
			t.Logf("miss: Ask(%q) = no_answer; want a quote with one of %q", it.Question, it.Expect)
		case !containsAny(a.Quotes[0].Text, it.Expect):
			t.Logf("miss: Ask(%q) first quote = %q; want one of %q", it.Question, a.Quotes[0].Text, it.Expect)
		default:
			right++
		}
	}
	if share := float64(right) / float64(len(set.QA)); share < minShare {
		t.Errorf("%d of %d seed dev questions right (%.3f); want at least %.3f", right, len(set.QA), share, minShare)
	}
}

func TestAskAttribution(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{})
	a, err := ix.Ask(context.Background(), Query{Text: "Who is Zalmy Khalilzad?"})
	if err != nil {
		t.Fatal(err)
	}
	if a.NoAnswer || len(a.Quotes) == 0 {
		t.Fatalf("no answer")
	}
	q := a.Quotes[0]
	if !strings.HasPrefix(q.Text, "The US ambassador to Iraq, Zalmy Khalilzad, said") {
		t.Errorf("text = %q", q.Text)
	}
	if q.Paragraph != 2 || q.Number != 1 {
		t.Errorf("at %d.%d; want 2.1", q.Paragraph, q.Number)
	}
	art := q.Article
	if art.Title != "US and Iran talk during conference" || art.Source != "The Irish Times" ||
		art.Agency != "PA" || art.Date() != "2007-03-10" || !strings.HasPrefix(art.URL, "https://www.irishtimes.com/") {
		t.Errorf("article = %+v", art)
	}
	if q.Score <= 0 {
		t.Errorf("score = %v; want > 0", q.Score)
	}
}

func TestAskNoAnswerThreshold(t *testing.T) {
	// The threshold decides, and only it: the same confidence answers
	// at a threshold just below it and declines just above, with the
	// same sentence first, as a quote or as a suggestion.
	const q = "How long has the diplomatic freeze lasted?"
	ask := func(min float64) *Answer {
		t.Helper()
		ix := memIndex(t, seedCorpus(t), Options{MinConfidence: min})
		a, err := ix.Ask(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	conf := ask(1e-9).Confidence
	if conf <= 0 || conf >= 1 {
		t.Fatalf("confidence = %v; want inside (0, 1)", conf)
	}
	below, above := ask(conf*0.999), ask(min(conf*1.001, 0.99999))
	if below.NoAnswer || len(below.Quotes) == 0 || below.Confidence != conf {
		t.Errorf("threshold below the confidence: %+v; want an answer with confidence %v", below, conf)
	}
	if !above.NoAnswer || len(above.Quotes) != 0 || above.Confidence != conf {
		t.Errorf("threshold above the confidence: %+v; want no answer with confidence %v", above, conf)
	}
	if len(above.Suggestions) == 0 || !strings.Contains(above.Suggestions[0].Text, "diplomatic freeze") ||
		above.Suggestions[0].Text != below.Quotes[0].Text {
		t.Errorf("suggestions = %v; want the answer's first sentence, the diplomatic freeze sentence", above.Suggestions)
	}
}

func TestAskNothingMatches(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{})
	for _, q := range []string{"What is the capital of France?", "Who is it?", "xyzzy plugh"} {
		a, err := ix.Ask(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatalf("Ask(%q): %v", q, err)
		}
		if !a.NoAnswer || len(a.Quotes) != 0 || a.Quotes == nil || a.Suggestions == nil {
			t.Errorf("Ask(%q) = %+v; want no_answer with empty, non-nil slices", q, a)
		}
	}
}

func TestAskScopeAndDedupe(t *testing.T) {
	shared := "The minister said the bridge would open in May."
	c := corpus.New(
		article(t, "a", "Title: Bridges\n\n"+shared+"\nThe bridge cost 40 million euro."),
		article(t, "b", "Title: Roads\n\n"+shared+"\nThe road will open in June."),
		article(t, "c", "Title: Tunnels\n\nThe tunnel will open in July, the minister said."),
	)
	ix := memIndex(t, c, Options{})
	ctx := context.Background()

	a, err := ix.Ask(ctx, Query{Text: "When will the bridge open?", Top: 5})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, q := range a.Quotes {
		if q.Text == shared {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the sentence both articles carry is quoted %d times; want once", n)
	}

	a, err = ix.Ask(ctx, Query{Text: "When will it open?", Article: "c", Top: 5})
	if err != nil {
		t.Fatal(err)
	}
	// A one-word question may be declined; its near misses are scoped too.
	got := append(a.Quotes, a.Suggestions...)
	for _, q := range got {
		if q.Article.ID != "c" {
			t.Errorf("scoped to c, got a quote from %s: %q", q.Article.ID, q.Text)
		}
	}
	if len(got) == 0 {
		t.Error("scoped question got no quote and no near miss")
	}

	_, err = ix.Ask(ctx, Query{Text: "When will it open?", Article: "nope"})
	if !errors.Is(err, ErrUnknownArticle) {
		t.Errorf("unknown article: err = %v; want ErrUnknownArticle", err)
	}
}

func TestAskTiesIgnoreFileOrder(t *testing.T) {
	// Two sentences that score the same: their order must follow their
	// text, not which file they sit in.
	s1 := "Officials met in Dublin on Tuesday."
	s2 := "Officials met in Dublin on Friday."
	const question = "Which officials met in Dublin?"
	ask := func(first, second string) []string {
		c := corpus.New(article(t, "a", first), article(t, "b", second))
		ix := memIndex(t, c, Options{})
		a, err := ix.Ask(context.Background(), Query{Text: question, Top: 5})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, q := range a.Quotes {
			out = append(out, q.Text)
		}
		return out
	}
	x, y := ask(s1, s2), ask(s2, s1)
	if len(x) != 2 || strings.Join(x, "|") != strings.Join(y, "|") {
		t.Errorf("order depends on files: %q vs %q", x, y)
	}
}

func TestAskTopBounds(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{MinConfidence: 1e-9})
	for _, tt := range []struct{ top, max int }{{0, DefaultTop}, {1, 1}, {5, 5}, {99, MaxTop}} {
		a, err := ix.Ask(context.Background(), Query{Text: "Iran Iraq US talks Washington", Top: tt.top})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Quotes) > tt.max || len(a.Quotes) == 0 {
			t.Errorf("Top %d: %d quotes; want 1..%d", tt.top, len(a.Quotes), tt.max)
		}
	}
}

func TestCheckQuestion(t *testing.T) {
	long := strings.Repeat("é", MaxQuestionRune+1)
	for _, tt := range []struct {
		name, in, want string
		bad            bool
	}{
		{"plain", "  Who is he?  ", "Who is he?", false},
		{"empty", "", "", true},
		{"spaces", " \t\n ", "", true},
		{"zero width only", "\u200b\u200b\u2060", "", true},
		{"punctuation only", "?!...", "", true},
		{"emoji only", "🙂🙂", "", true},
		{"too long", long, "", true},
		{"at the limit", long[:len(long)-2], long[:len(long)-2], false},
		{"control chars dropped", "Who\x00 is\u200b he?", "Who is he?", false},
		{"other alphabets", "伊朗是谁？", "伊朗是谁？", false},
		{"digits", "1979", "1979", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckQuestion(tt.in)
			var qe *QuestionError
			if tt.bad != errors.As(err, &qe) {
				t.Fatalf("CheckQuestion(%q) error = %v; want error %v", tt.in, err, tt.bad)
			}
			if got != tt.want {
				t.Errorf("CheckQuestion(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestScoreBM25ByHand(t *testing.T) {
	// Three documents; the question's terms are "bridg" and "open".
	docs := []doc{
		{terms: []string{"bridg", "open", "may"}},
		{terms: []string{"road", "open"}},
		{terms: []string{"tunnel", "close", "today", "noon"}},
	}
	st := newSetStats(docs)
	q := prepareQuery([]string{"bridg", "open"}, nil, st)
	avg := 9.0 / 3
	idfBridge := math.Log(1 + (3-1+0.5)/(1+0.5))
	idfOpen := math.Log(1 + (3-2+0.5)/(2+0.5))
	norm := 1.2 * (1 - 0.75 + 0.75*3/avg)
	want := idfBridge*2.2/(1+norm) + idfOpen*2.2/(1+norm)
	got := score(q, docs[0], st.AvgLen(), 0)
	if math.Abs(got.score-want) > 1e-9 {
		t.Errorf("score = %v; want %v", got.score, want)
	}
	if got.coverage != 1 {
		t.Errorf("coverage = %v; want 1", got.coverage)
	}
	got = score(q, docs[1], st.AvgLen(), 0)
	if wantCov := idfOpen / (idfBridge + idfOpen); math.Abs(got.coverage-wantCov) > 1e-9 {
		t.Errorf("coverage = %v; want %v", got.coverage, wantCov)
	}
	if got := score(q, docs[2], st.AvgLen(), 0); got.score != 0 || got.coverage != 0 {
		t.Errorf("unrelated doc scored %+v; want zero", got)
	}
}

func TestFeatureSpeaker(t *testing.T) {
	// "He declined to give details of the contacts ..." is Khalilzad's,
	// though it never names him: with the speaker feature a question
	// naming him finds it first. Words used alike (FeatureSimilar) find
	// its "calling" for "say" too, so both are off in the second case.
	q := "What did Khalilzad say about the contacts?"
	for _, tt := range []struct {
		f    Feature
		want bool
	}{{AllFeatures, true}, {AllFeatures &^ (FeatureSpeaker | FeatureSimilar), false}} {
		ix := memIndex(t, seedCorpus(t), Options{Features: tt.f})
		a, err := ix.Ask(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		got := !a.NoAnswer && strings.HasPrefix(a.Quotes[0].Text, "He declined")
		if got != tt.want {
			t.Errorf("features %v: first quote is the speaker's = %v; want %v (%+v)", tt.f, got, tt.want, a)
		}
	}
}

func TestPhraseBonus(t *testing.T) {
	for _, tt := range []struct {
		q, d string
		want float64
	}{
		{"the diplomatic freeze", "their diplomatic freeze ended", 1},
		{"diplomatic freeze", "a freeze that is diplomatic", 0},
		{"of the", "of the", 0}, // stop words only
		{"shiite militias receive weapons", "shiite militias receive weapons", 3},
	} {
		got := phraseBonus(strings.Fields(tt.q), strings.Fields(tt.d))
		if got != tt.want {
			t.Errorf("phraseBonus(%q, %q) = %v; want %v", tt.q, tt.d, got, tt.want)
		}
	}
}

func TestAppendLower(t *testing.T) {
	for _, s := range []string{"", "Plain ASCII, 12 May.", "ÉCOLE Normale", "İstanbul", "ǅemal ΣΊΣΥΦΟΣ", "mixed Ünïcode AND ascii"} {
		if got, want := string(appendLower([]byte("x"), s)), "x"+strings.ToLower(s); got != want {
			t.Errorf("appendLower(%q) = %q; want %q", s, got, want)
		}
	}
}

// TestWhoIsQuotesTheRole checks that a question naming only a person ("Who
// is Zebari?", "what does khalilzad do") is answered by the sentence that
// says who they are, in its own words, rather than by a shorter one that
// only mentions them.
func TestWhoIsQuotesTheRole(t *testing.T) {
	local := corpus.New(article(t, "a", "Title: Bridge\n\n"+
		"Lopez did not comment on the delay.\n"+
		"The city's mayor, Maria Lopez, said the bridge would open in May.\n"+
		"Lopez said the cost had doubled since the plans were drawn up two years ago."))
	for _, tt := range []struct {
		name     string
		c        *corpus.Corpus
		question string
		want     string
	}{
		{"seed", seedCorpus(t), "Who is Zebari?", "Iraq's foreign minister, Hoshyar Zebari,"},
		{"seed", seedCorpus(t), "what does zebari do", "Iraq's foreign minister, Hoshyar Zebari,"},
		{"seed", seedCorpus(t), "who is khalilzad", "The US ambassador to Iraq, Zalmy Khalilzad,"},
		{"seed", seedCorpus(t), "What does Khalilzad do?", "The US ambassador to Iraq, Zalmy Khalilzad,"},
		{"local", local, "Who is Lopez?", "The city's mayor, Maria Lopez,"},
		{"local", local, "who is maria lopez", "The city's mayor, Maria Lopez,"},
	} {
		t.Run(tt.name+"/"+tt.question, func(t *testing.T) {
			ix := memIndex(t, tt.c, Options{})
			a, err := ix.Ask(context.Background(), Query{Text: tt.question, Top: 3})
			if err != nil {
				t.Fatal(err)
			}
			got := append(a.Quotes, a.Suggestions...)
			if len(got) == 0 || !strings.Contains(got[0].Text, tt.want) {
				t.Errorf("first sentence = %q; want the one with %q", first(got), tt.want)
			}
		})
	}
}

func first(qs []Quote) string {
	if len(qs) == 0 {
		return ""
	}
	return qs[0].Text
}

// TestOtherPlaceDeclined checks that a question about one country's
// office holder is declined when the articles name only another
// country's (and answered when they name the one asked about), and that
// it is FeatureQualifiers that declines it.
func TestOtherPlaceDeclined(t *testing.T) {
	c := corpus.New(article(t, "a", "Title: Trade fair\n\n"+
		"France's trade minister, Jean Dupont, opened the fair on Monday.\n"+
		"The German delegation arrived late on Tuesday and left before the dinner."))
	ask := func(t *testing.T, f Feature, q string) *Answer {
		t.Helper()
		a, err := memIndex(t, c, Options{Features: f}).Ask(context.Background(), Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	if a := ask(t, AllFeatures, "Who is the French trade minister?"); a.NoAnswer || !strings.Contains(first(a.Quotes), "Jean Dupont") {
		t.Errorf("the French trade minister: no answer %v, first %q; want the Dupont sentence", a.NoAnswer, first(a.Quotes))
	}
	if a := ask(t, AllFeatures, "Who is the German trade minister?"); !a.NoAnswer {
		t.Errorf("the German trade minister: answered %q (confidence %.3f); want no answer", first(a.Quotes), a.Confidence)
	}
	if a := ask(t, AllFeatures&^FeatureQualifiers, "Who is the German trade minister?"); a.NoAnswer {
		t.Errorf("without qualifiers, the German trade minister: no answer (confidence %.3f); want the test to show the feature declines it", a.Confidence)
	}
}

// TestAnswersOutliveTheQuestion checks that an answer's text stays as it
// was while later questions reuse the memory its candidates were read
// into (readMemory), from one asker and from several at once.
func TestAnswersOutliveTheQuestion(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{})
	ctx := context.Background()
	items := readEval(t, "seed-questions.paraphrase.jsonl").QA
	if len(items) < 10 {
		t.Fatalf("%d questions; want at least 10", len(items))
	}
	type kept struct {
		ans  *Answer
		copy string
	}
	show := func(a *Answer) string {
		var b strings.Builder
		for _, q := range slices.Concat(a.Quotes, a.Suggestions) {
			fmt.Fprintf(&b, "%s|%d|%d|%s|%s|%s|%s\n", q.Article.ID, q.Paragraph, q.Number, q.Text, q.Speaker, q.Role, q.Answer)
		}
		return b.String()
	}
	var first []kept
	for _, it := range items {
		a, err := ix.Ask(ctx, Query{Text: it.Question})
		if err != nil {
			t.Fatal(err)
		}
		first = append(first, kept{a, strings.Clone(show(a))})
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, it := range slices.Backward(items) {
				if _, err := ix.Ask(ctx, Query{Text: it.Question + " today"}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	quoted := 0
	for i, k := range first {
		if got := show(k.ans); got != k.copy {
			t.Errorf("%q: the answer changed after later questions:\n%s\nwas\n%s", items[i].Question, got, k.copy)
		}
		quoted += len(k.ans.Quotes) + len(k.ans.Suggestions)
	}
	if quoted == 0 {
		t.Fatal("no quote to check")
	}
}

// TestTermSlotsScoreAsSearching checks that a candidate scored with its
// terms tallied in one pass (termSlots) scores exactly as with each term
// and bridge searched for in its terms.
func TestTermSlotsScoreAsSearching(t *testing.T) {
	ix := memIndex(t, seedCorpus(t), Options{})
	ctx := context.Background()
	scoredSome := 0
	for _, it := range readEval(t, "seed-questions.paraphrase.jsonl").QA {
		q, cands, mem, err := ix.query(ctx, ix.an.Question(it.Question), "")
		if err != nil {
			t.Fatal(err)
		}
		ix.readArticles(mem, cands)
		tallied := q
		tallied.slots = newTermSlots(q)
		for _, k := range cands {
			want := score(q, *k.d, ix.man.avgLen(), ix.features)
			if got := score(tallied, *k.d, ix.man.avgLen(), ix.features); !reflect.DeepEqual(got, want) {
				t.Errorf("%q, %q: scored %+v with the terms tallied; %+v searched", it.Question, k.s.Text, got, want)
			}
			scoredSome++
		}
		mem.release()
	}
	if scoredSome < 100 {
		t.Errorf("%d candidates scored; want at least 100", scoredSome)
	}
}
