package retrieval

import (
	"bytes"
	"sync"

	"hash/fnv"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// BM25 parameters: the common defaults (Robertson; Lucene).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Feature is one switchable part of the ranking, so that each can be
// measured by turning it off (an ablation).
type Feature uint

// The ranking features. Plain BM25 over the sentence's own terms is always on.
const (
	// FeatureSpeaker counts the words of a sentence's speaker's name and
	// role as words of the sentence: "what did Zebari say" finds the
	// sentences Zebari is quoted in, even those that say "He".
	FeatureSpeaker Feature = 1 << iota
	// FeaturePhrase rewards a sentence that has consecutive question words
	// in the question's order.
	FeaturePhrase
	// FeatureForms lets an irregular form match its base form and the
	// other forms: "met" and "meet", "wrote" and "written" (Porter's
	// stemmer joins only regular ones); and a British spelling the
	// American one: "neighbours" and "neighbors", "defence" and "defense".
	FeatureForms
	// FeatureAliases lets the names of a place match each other, its
	// demonym and its capital: "US", "United States", "America",
	// "American", "Washington"; and a part of a person's name the whole
	// name the question gives ("Mr Pennyfeather" for "osric
	// pennyfeather": nameGroups).
	FeatureAliases
	// FeatureDerived lets derivationally related words match: "invent"
	// and "inventor", "die" and "death" (WordNet).
	FeatureDerived
	// FeatureSynonyms lets synonyms in a common sense match (WordNet),
	// and a rare word's synonyms at a weight of their own (digger,
	// excavator).
	FeatureSynonyms
	// FeatureAnswerType rewards a sentence with the kind of thing the
	// question asks for (a date for "when", a number for "how many", a
	// name for "who"), near the words it shares with the question, and
	// not among the question's own words.
	FeatureAnswerType
	// FeatureProximity rewards a sentence whose matched words stand close
	// together.
	FeatureProximity
	// FeaturePosition rewards a sentence early in its article: a news
	// report says the most in its first sentences.
	FeaturePosition
	// FeatureContext gives a little credit for question words found in
	// the rest of the sentence's paragraph.
	FeatureContext
	// FeatureKinds counts a word that names a kind of the question's
	// focus noun as answer-type evidence: "blue" for "what color",
	// "basketball" for "what sport", "China" for "which country"
	// (WordNet's hypernyms).
	FeatureKinds
	// FeatureAcronyms lets an acronym match the capitalised words that
	// spell it ("AARP", "American Association of Retired Persons"), and
	// rewards those words where the question asks what it stands for.
	FeatureAcronyms
	// FeatureFocus weighs the question's focus noun below its other
	// words: "what country" is answered by a sentence that names Egypt,
	// seldom by one that says "country".
	FeatureFocus
	// FeatureCoverage counts a question word matched through a bridge or
	// the speaker's name in full towards the share of the question a
	// sentence covers (the no-answer decision): the sentence addresses
	// that word; the lower weights of such matches are a preference in
	// ranking, not a doubt that the word is there.
	FeatureCoverage
	// FeatureCauses lets a verb match the verb it causes: "die" matches
	// "killed", "learn" matches "taught" (WordNet).
	FeatureCauses
	// FeatureRelated lets words related more loosely match, at a low
	// weight: the other words of any of the three commonest senses, a
	// hypernym one link away, similar adjectives, derivations ("trip"
	// and "journey", "argue" and "debate"; WordNet).
	FeatureRelated
	// FeatureBackground weighs a question word by how rare it is in
	// English (WordNet's sense-tagged corpus) as well as in the
	// collection, whichever is lower: a word the collection never uses
	// would otherwise weigh the most, and generic words ("happen",
	// "thing") as much as names.
	FeatureBackground
	// FeatureArticle rewards a sentence whose article holds the
	// question's words: a question is asked about one story, and the
	// sentence that answers it in other words shares few of them itself.
	FeatureArticle
	// FeatureQualifiers notices a sentence whose words for the thing
	// asked about are qualified by another place than the question's:
	// "Who is the Iranian foreign minister?" is not answered by "Iraq's
	// foreign minister, Hoshyar Zebari" (evidence for the no-answer
	// decision).
	FeatureQualifiers
	// FeatureMeasures notices a sentence without a number of the
	// measure a question asks for (evidence for the no-answer decision):
	// "How many homes were flooded?" is answered by "600 homes", not by
	// "More than 600 people were moved out of their homes"; "how old" by
	// "81-year-old" or "aged 54"; "how long" by hours, days or miles.
	// People are counted by any name of people for the ranking ("About
	// 300 volunteers" for "how many helpers"), by the question's own
	// for the decision.
	FeatureMeasures
	// FeatureSlot rewards a sentence that holds the kind of thing a
	// question asks for where a sentence can be seen to hold it (a count
	// of the thing asked, an age, a length of time, a distance, a sum of
	// money, a date, a time of day, a street's name: see asksSlot), and
	// makes such sentences of the story the question's words find best
	// candidates even when they share none of its words: "how far is the
	// new school for the ravensgill kids" is answered by "... to
	// Steadbeck Primary, nine miles away". It also rewards a sentence
	// in the tense the question is put in: one that speaks of the future
	// ("will", "would", "plans to", "next year") for "when will the pool
	// reopen", one that does not for "when did it reopen" (tense.go).
	FeatureSlot
	// FeatureSimilar lets words that are used alike match, at the lowest
	// weight of all: GloVe's word vectors put "founded" by
	// "established", "spotted" by "noticed", "sentenced" by "convicted",
	// where WordNet relates none of them (and "autumn" by "spring":
	// the fitted weight is what keeps such a match from counting much).
	FeatureSimilar
	// FeatureSoft measures how close, by GloVe's word vectors, the first
	// sentence's words come to the question's words it does not hold
	// (softShare; evidence for the no-answer decision): "how big was the
	// crowd at the lowbeck concert" is said otherwise by "About 600
	// supporters filled the hall".
	FeatureSoft

	featureEnd
)

// AllFeatures is every feature on: the production ranking.
const AllFeatures = featureEnd - 1

var featureNames = []struct {
	f    Feature
	name string
}{
	{FeatureSpeaker, "speaker"},
	{FeaturePhrase, "phrase"},
	{FeatureForms, "forms"},
	{FeatureAliases, "aliases"},
	{FeatureDerived, "derived"},
	{FeatureSynonyms, "synonyms"},
	{FeatureAnswerType, "answertype"},
	{FeatureProximity, "proximity"},
	{FeaturePosition, "position"},
	{FeatureContext, "context"},
	{FeatureKinds, "kinds"},
	{FeatureAcronyms, "acronyms"},
	{FeatureFocus, "focus"},
	{FeatureCoverage, "coverage"},
	{FeatureCauses, "causes"},
	{FeatureRelated, "related"},
	{FeatureBackground, "background"},
	{FeatureArticle, "article"},
	{FeatureQualifiers, "qualifiers"},
	{FeatureMeasures, "measures"},
	{FeatureSlot, "slot"},
	{FeatureSimilar, "similar"},
	{FeatureSoft, "soft"},
}

// bridgeFeature is the feature that switches each kind of bridge.
var bridgeFeature = [...]Feature{
	bridgeForm:    FeatureForms,
	bridgeAlias:   FeatureAliases,
	bridgeCapital: FeatureAliases,
	bridgeDerived: FeatureDerived,
	bridgeSynonym: FeatureSynonyms,
	bridgeCause:   FeatureCauses,
	bridgeRelated: FeatureRelated,
	bridgeSimilar: FeatureSimilar,
	bridgeRare:    FeatureSynonyms,
}

// Has reports whether every feature of g is on in f.
func (f Feature) Has(g Feature) bool { return f&g == g }

// String names the features that are on, joined by "+"; "none" for none.
func (f Feature) String() string {
	var names []string
	for _, n := range featureNames {
		if f.Has(n.f) {
			names = append(names, n.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, "+")
}

// FeatureNamed returns the feature with the given name, and false if there
// is none.
func FeatureNamed(name string) (Feature, bool) {
	for _, n := range featureNames {
		if n.name == name {
			return n.f, true
		}
	}
	return 0, false
}

// FeatureNames lists the names of the switchable features.
func FeatureNames() []string {
	out := make([]string, len(featureNames))
	for i, n := range featureNames {
		out[i] = n.name
	}
	return out
}

// Stats are the collection statistics BM25 needs: from the whole index when
// answering from a corpus, from the candidate set when ranking candidates.
type Stats interface {
	// DocCount is the number of sentences.
	DocCount() int
	// AvgLen is the mean number of terms per sentence.
	AvgLen() float64
	// DocFreq is the number of sentences that hold term.
	DocFreq(term string) int
}

// doc is a sentence prepared for scoring.
type doc struct {
	text  string
	hash  uint64     // textHash(text): the tie-breaker of equal scores
	terms []string   // analyzed terms, in order
	tpos  []int      // the word position of each term
	words []string   // lower-cased words, in order, for phrases
	ev    []evidence // the answer-type evidence of each word
	// speaker holds the analyzed terms of the speaker's name and role.
	speaker []string
	// position is the sentence's place in its article, from 1; 0 when
	// unknown (a candidate sentence of an answer-selection file).
	position int
	// near holds the analyzed terms of the other sentences of its
	// paragraph.
	near []string
	// kinds lists the words that are a kind of something, by position.
	kinds []wordKinds
	// article holds the terms of the sentence's whole article (shared by
	// its sentences), or nil.
	article *termSet
	// title holds the terms of its article's title, sorted and distinct
	// (titleTerms), or nil.
	title []string
	// titled has bit i set for each question term i that title holds,
	// where titledFor (the question's number of terms, at most 64) says
	// it was worked out: once for an article's sentences as they are
	// read, rather than by a search of title for each candidate.
	titled    uint64
	titledFor int
}

// termSet is the terms of an article (or of the candidates of one
// question, which stand for one): in how many of its sentences each
// occurs. It holds them in df, or, read from the index, in stored: see
// count.
type termSet struct {
	df     map[string]int
	n      int // sentences
	stored *storedTerms
	// every marks the set that stands for an article holding every
	// term of the question fully: the most an article can add to a
	// sentence's score (see Index.rank). With ceil, it stands for an
	// article holding each term of group i of plan ceilPlan at most
	// ceil[i] (see termPlan.ceilings), and every other fully.
	every    bool
	ceil     []float64
	ceilPlan *termPlan
}

// everyTerm is the set that holds every term fully.
var everyTerm = &termSet{every: true}

func newTermSetOf() *termSet { return &termSet{df: map[string]int{}} }

// newTermSet collects the terms of docs.
func newTermSet(docs []doc) *termSet {
	ts := newTermSetOf()
	for _, d := range docs {
		ts.addSentence(d.terms, d.speaker)
	}
	return ts
}

// addSentence counts the distinct terms of one sentence (and its speaker).
func (ts *termSet) addSentence(lists ...[]string) {
	ts.n++
	seen := map[string]bool{}
	for _, terms := range lists {
		for _, t := range terms {
			if !seen[t] {
				seen[t] = true
				ts.df[t]++
			}
		}
	}
}

// local is how distinctive term t is within the set, 0..1: 1 for a term
// one sentence has, less for a term many of its sentences share (the
// story's topic, which tells its sentences apart the least).
func (ts *termSet) local(t string) float64 {
	if ts == nil || ts.n < 2 || ts.every {
		return 1
	}
	df := max(ts.count(t), 1)
	return idf(ts.n, df) / idf(ts.n, 1)
}

// wordKinds are the nouns word pos of a sentence is a kind of.
type wordKinds struct {
	pos   int
	kinds []string
}

// rankQuery is a question prepared for scoring.
type rankQuery struct {
	terms   []string  // distinct analyzed terms, in question order
	idf     []float64 // idf of each term
	words   []string  // lower-cased content words, for phrases
	bridges [][]qbridge
	atype   AnswerType
	wh      string   // the question word, lower-cased, or ""
	focus   string   // the noun asked for ("color"), lower-cased, or ""
	acr     []string // each term's acronym, lower-cased, or ""
	// focusTerm is the focus noun's term when FeatureFocus is on: an
	// answer seldom repeats it ("what country": "Egypt").
	focusTerm string
	// grain is the grain of time the focus asks for ("what year": a
	// year), read once with the question.
	grain timeGrain
	// vec holds, for each term, the number of its word's vector (see
	// softShare), or -1; nil when FeatureSoft is off or no word has one.
	vec    []int32
	expand string      // the acronym whose expansion is asked for, or ""
	qwords sortedWords // lower-cased words of the whole question
	// known tells, for each term, whether the collection holds it or a
	// bridge of it; name whether it is a name or a number in the question.
	known []bool
	name  []bool
	// alien tells, for each term, whether its word is no English word
	// (lexicon.english): in a question typed in lower case, the names
	// of the story's town and people ("quellbridge"); nil without a
	// lexicon.
	alien []bool
	// nameGroup tells, for each term, which person's name it is part of
	// ("osric pennyfeather": both terms the first), or -1; nil when the
	// question names no one by two words (nameGroups).
	nameGroup []int
	// rarity is each term's background idf over the most a word can
	// have, 0..1 (FeatureBackground), or nil.
	rarity []float64
	// held remembers how fully each article holds each term (holding):
	// every candidate of an article asks the same. Not safe for
	// concurrent use, as a query is scored by one goroutine.
	held map[*termSet][]float64
	// plan is the plan the candidates' articles' terms were read by
	// (readMemory's, set by Index.rank), and planFits its fits for q.
	plan     *termPlan
	planFits uint64
	// slots counts a candidate's terms in one pass for score (set by
	// Index.rank; nil: each term is counted by a search of the
	// candidate's).
	slots *termSlots
	// ages tells, for each term, the ages its word stands for where it
	// names an age group ("teenager": ageGroups); nil when none does.
	ages []ageRange
	wt   *weightSet
	// qualified pairs a question term naming a place or its people with
	// a term it qualifies ("Iranian", "minister"), by index
	// (FeatureQualifiers); lex tells places apart.
	qualified [][2]int
	lex       *lexicon
	// measure is what a number question asks to count or measure
	// (FeatureMeasures); counted, for measureCount, the thing counted.
	measure measure
	counted countAsked
	// how is the word after "how" in a number question ("far" in "how
	// far"), for the answer words (answerSpan); "" in any other.
	how string
	// slot is the kind of thing the question asks for that a sentence
	// can be seen to hold: a measure, a sum, a time, a street (asksSlot;
	// FeatureSlot); slotNone for none.
	slot slotKind
	// tense is the time the question is put in ("when will it reopen",
	// "when did it reopen"): a sentence in it is credited (askedTense,
	// inTense; FeatureSlot).
	tense tense
}

// sortedWords is a set of words, sorted: a question's few words, found
// as quickly as in a map without a map's tables.
type sortedWords []string

// has reports whether the set holds w.
func (s sortedWords) has(w string) bool {
	_, ok := slices.BinarySearch(s, w)
	return ok
}

// backgroundSentences is about how many sentences WordNet's sense-tagged
// corpus (SemCor) holds: a word's tag count there stands for its document
// frequency among them.
const backgroundSentences = 20000

// qbridge is a term that may stand for a question term, with its kind
// and its own idf.
type qbridge struct {
	term string
	kind bridgeKind
	idf  float64
}

// scored is a document's score and how much of the question it covers.
type scored struct {
	score float64
	// story is the part of score the article's holding of the
	// question's names gave (weightSet.storyName): the same for every
	// sentence of the story, so the decision reads the scores without
	// it (see appendScores).
	story    float64
	coverage float64 // idf-weighted share of the question's terms matched, 0..1
	// exact is the idf-weighted share matched by the terms themselves,
	// not through bridges or the speaker.
	exact float64
	// names is the share of the question's names and numbers matched; 1
	// when it has none.
	names float64
	// missing is the idf-weighted share of the question's terms the
	// sentence lacks although the collection holds them.
	missing float64
	// typed is the answer-type evidence, 0..1 (answerTypeEvidence).
	typed float64
	// article is the idf-weighted share of the question the sentence's
	// article holds, bridges included.
	article float64
	// content is coverage over the question's words other than its
	// names and numbers (0 when it has no others): what a sentence about
	// the right people must still say to answer.
	content float64
	// cohesion is the share of the question's neighbouring words, both
	// found in the sentence, that the sentence also has near each other
	// (1 when no such pair): "the Iranian foreign minister" is not
	// answered by a sentence with "Iraq's foreign minister" and, further
	// on, "the Iranian delegation".
	cohesion float64
}

// idf is BM25's inverse document frequency (the Lucene variant, never
// negative).
func idf(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// prepareQuery computes the idf of each distinct term: plain BM25's query.
func prepareQuery(terms, words []string, st Stats) rankQuery {
	q := rankQuery{words: words, wt: &defaultWeights}
	q.addTerms(terms, st)
	return q
}

// addTerms adds the terms q lacks, in order, with their idf in st. A
// question has few: they are looked for in q.terms itself.
func (q *rankQuery) addTerms(terms []string, st Stats) {
	q.terms = slices.Grow(q.terms, len(terms))
	q.idf = slices.Grow(q.idf, len(terms))
	for _, t := range terms {
		if slices.Contains(q.terms, t) {
			continue
		}
		q.terms = append(q.terms, t)
		q.idf = append(q.idf, idf(st.DocCount(), st.DocFreq(t)))
	}
}

// hasTerm reports whether terms holds the term t.
func hasTerm(terms []string, t []byte) bool {
	for _, u := range terms {
		if u == string(t) {
			return true
		}
	}
	return false
}

// prepareQueryWith prepares an analysed question for the ranking the
// features select: its content's terms and their idf, its words, its
// answer type, and the terms that may stand for each of its terms (the
// bridges: other inflections, and the lexicon's relations). It ranks
// under weights wt; nil means the shipped ones.
func prepareQueryWith(an *Analyzer, qa Question, st Stats, f Feature, wt *weightSet) rankQuery {
	q, sc := gatherQuery(an, qa, f, wt)
	q.keepBridges(sc, st)
	q.setStats(st)
	return q
}

// newQuery is prepareQueryWith without statistics: setStats must follow.
func newQuery(an *Analyzer, qa Question, f Feature, wt *weightSet) rankQuery {
	q, sc := gatherQuery(an, qa, f, wt)
	q.keepBridges(sc, nil)
	return q
}

// gatherQuery is newQuery with the bridges left in sc, gathered, not yet
// kept: keepBridges must follow. The terms of the statistics keepBridges
// keeps them by are q's terms and sc.terms.
func gatherQuery(an *Analyzer, qa Question, f Feature, wt *weightSet) (rankQuery, *bridgeScratch) {
	if wt == nil {
		wt = &defaultWeights
	}
	terms, surface, raw, lower := an.termsAndWords(qa.Content)
	terms, surface = dropPhrasalHeads(terms, surface)
	q := rankQuery{words: lower, atype: qa.Type, wh: qa.Wh, wt: wt}
	if part, ok := q.clockPart(); ok {
		terms, surface = dropClockWords(terms, surface, part)
	}
	if f.Has(FeatureKinds) {
		q.focus = qa.Focus
	}
	if f.Has(FeatureFocus) && qa.Focus != "" {
		if ts := an.Terms(qa.Focus); len(ts) == 1 {
			q.focusTerm = ts[0]
		}
	}
	q.addTerms(terms, emptyStats{})
	sc := bridgePool.Get().(*bridgeScratch)
	// The word each distinct term came from, lower-cased.
	words := sc.words[:0]
	for _, t := range q.terms {
		words = append(words, surface[slices.Index(terms, t)])
	}
	sc.words = words
	if f.Has(FeatureAcronyms) && (qa.Expand != "" || hasCapitalPair(qa.Content)) {
		q.expand = qa.Expand
		q.acr = make([]string, len(q.terms))
		for _, w := range raw {
			if !isAcronym(w) {
				continue
			}
			if ts := an.Terms(w); len(ts) == 1 {
				if i := slices.Index(q.terms, ts[0]); i >= 0 {
					q.acr[i] = strings.ToLower(w)
				}
			}
		}
	}
	// The question's words, lower-cased and folded as sentence words
	// are, written one after another to be one string.
	capital := make(map[string]bool)
	sc.runs.reset()
	i := 0
	for w := range strings.FieldsFuncSeq(qa.Text, notWordRune) {
		start := len(sc.runs.buf)
		sc.runs.buf = appendLower(sc.runs.buf, w)
		if lw := sc.runs.buf[start:]; !isASCII(lw) {
			sc.runs.buf = append(sc.runs.buf[:start], asciiFold.Filter(lw)...)
		}
		sc.runs.end()
		if r, _ := utf8.DecodeRuneInString(w); (i > 0 && unicode.IsUpper(r)) || unicode.IsDigit(r) {
			capital[strings.ToLower(w)] = true
		}
		i++
	}
	q.qwords = make(sortedWords, i)
	sc.runs.strings(q.qwords)
	// The question's words in order, for the names it gives (nameGroups).
	ordered := slices.Clone(q.qwords)
	slices.Sort(q.qwords)
	q.qwords = slices.Compact(q.qwords)
	q.known = make([]bool, len(q.terms))
	q.name = make([]bool, len(q.terms))
	q.held = make(map[*termSet][]float64)
	if f.Has(FeatureBackground) && an.lex != nil {
		q.rarity = make([]float64, len(q.terms))
	}
	if f.Has(FeatureSoft) {
		q.vec = questionVectors(defaultVectors(), q.terms, words, capital)
	}
	if an.lex != nil {
		q.alien = make([]bool, len(q.terms))
	}
	for i, t := range q.terms {
		q.known[i] = true
		q.name[i] = capital[words[i]]
		if q.alien != nil {
			w, _ := strings.CutSuffix(words[i], "'s")
			q.alien[i] = !an.lex.english(w, t) && !isDigits(w)
		}
		if q.rarity != nil {
			q.rarity[i] = idf(backgroundSentences, an.lex.freq[backgroundTerm(t)]) / idf(backgroundSentences, 0)
		}
	}
	if q.alien != nil {
		q.nameGroup = nameGroups(q.alien, words, ordered)
	}
	for i := range q.terms {
		if r, _, ok := ageGroupOf(words[i]); ok {
			if q.ages == nil {
				q.ages = make([]ageRange, len(q.terms))
			}
			q.ages[i] = r
		}
	}
	if f.Has(FeatureMeasures) && qa.Type == AnswerNumber {
		q.measure, q.counted = measureOf(an, qa, q.terms)
	}
	if qa.Type == AnswerNumber {
		if ws := strings.Fields(qa.WhPhrase); len(ws) == 2 && ws[0] == "how" {
			q.how = ws[1]
		}
	}
	q.grain = q.askedGrain()
	if f.Has(FeatureSlot) {
		q.slot = q.asksSlot()
		q.tense = askedTense(ordered)
	}
	if f.Has(FeatureQualifiers) && an.lex != nil {
		q.lex = an.lex
		q.qualified = qualifiedPairs(an.lex, q.terms, words)
	}
	// Every term's bridges are gathered in working memory reused from
	// question to question; keepBridges copies those it keeps.
	all, ends := sc.all[:0], sc.ends[:0]
	for i, t := range q.terms {
		clear(sc.has)
		add := func(b string, k bridgeKind) {
			if !f.Has(bridgeFeature[k]) || slices.Contains(q.terms, b) || sc.has[b] {
				return
			}
			sc.has[b] = true
			all = append(all, qbridge{term: b, kind: k})
		}
		if f.Has(FeatureForms) {
			sc.forms = appendInflections(sc.forms[:0], words[i])
			for v := range bytes.FieldsSeq(sc.forms) {
				// Stemmed in working memory, and a string made only
				// of a stem that is a new bridge.
				if v = sc.stem.stem(v); string(v) != t && !hasTerm(q.terms, v) && !sc.has[string(v)] {
					add(string(v), bridgeForm)
				}
			}
		}
		if an.lex != nil {
			for _, b := range an.lex.rel[t] {
				add(b.term, b.kind)
			}
		}
		if q.slot == slotMoney && moneyVerbs[t] {
			// "How much did the run bring in": a sum is raised,
			// made, taken or collected alike.
			for _, b := range moneyVerbTerms {
				add(b, bridgeSynonym) // add leaves out t, a question term
			}
		}
		ends = append(ends, len(all))
	}
	sc.all, sc.ends = all, ends
	return q, sc
}

// keepBridges gives q the bridges gathered in sc that the collection of
// st uses (every one when st is nil), in one list cut into each term's,
// and releases sc. On a small collection most bridges are of words it
// never uses: only those kept are copied out of the working memory.
func (q *rankQuery) keepBridges(sc *bridgeScratch, st Stats) {
	defer sc.release()
	q.bridges = make([][]qbridge, len(q.terms))
	// Those kept are moved to the front of sc.all, and ends to where
	// each term's now end.
	n, start := 0, 0
	for i, end := range sc.ends {
		for _, b := range sc.all[start:end] {
			if st != nil {
				if df := st.DocFreq(b.term); df == 0 || tooCommonAlike(b.kind, df, st.DocCount()) {
					continue
				}
			}
			sc.all[n] = b
			n++
		}
		start, sc.ends[i] = end, n
	}
	kept := slices.Clone(sc.all[:n])
	start = 0
	for i, end := range sc.ends {
		if end > start {
			q.bridges[i] = kept[start:end:end]
		}
		start = end
	}
}

// Words used alike (bridgeSimilar) that more than similarShare of the
// sentences hold, and more than similarMin, are dropped: the match of so
// common a word says next to nothing at the bridge's weight, and on a
// large collection reading the sentences that hold them was most of a
// question's time.
const (
	similarShare = 0.001
	similarMin   = 100
)

// tooCommonAlike reports whether a bridge of kind k that df of a
// collection's n sentences hold is a word used alike held by too many of
// them (see similarShare).
func tooCommonAlike(k bridgeKind, df, n int) bool {
	return k == bridgeSimilar && df > max(similarMin, int(similarShare*float64(n)))
}

// bridgeScratch is newQuery's working memory, kept from question to
// question in bridgePool: the bridges gathered, where each term's end in
// that list, and those of the term at hand. Nothing of it outlives the
// query it was taken for.
type bridgeScratch struct {
	all   []qbridge
	ends  []int
	has   map[string]bool
	words []string // the word of each term of the question
	runs  byteRuns // the words of the question
	// forms and stem are where a word's inflections are written and
	// stemmed.
	forms []byte
	stem  stemmer
}

var bridgePool = sync.Pool{New: func() any { return &bridgeScratch{has: map[string]bool{}} }}

// appendTerms appends to dst the terms of the bridges gathered, as
// appendBridgeTerms lists those kept.
func (sc *bridgeScratch) appendTerms(dst []string) []string {
	for _, b := range sc.all {
		dst = append(dst, b.term)
	}
	return dst
}

// release clears what points elsewhere and puts sc back in the pool.
func (sc *bridgeScratch) release() {
	clear(sc.all)
	clear(sc.has)
	clear(sc.words)
	sc.all, sc.ends = sc.all[:0], sc.ends[:0]
	bridgePool.Put(sc)
}

// setStats computes the idf of the question's terms and of their bridges,
// and drops the bridges the collection never uses.
func (q *rankQuery) setStats(st Stats) {
	n := st.DocCount()
	for i, t := range q.terms {
		own := st.DocFreq(t)
		q.idf[i] = idf(n, own)
		if q.rarity != nil {
			q.idf[i] = min(q.idf[i], idf(n, 0)*q.rarity[i])
		}
		if q.bridges == nil {
			continue
		}
		bs := q.bridges[i][:0]
		for _, b := range q.bridges[i] {
			if df := st.DocFreq(b.term); df > 0 && !tooCommonAlike(b.kind, df, n) {
				b.idf = idf(n, df)
				bs = append(bs, b)
			}
		}
		q.bridges[i] = bs
		// A word the collection never uses, whose bridges it does
		// ("American" where the text says "US"), is known, and weighs
		// what they weigh: its own idf would make it the question's
		// heaviest word and any match through a bridge look like a
		// full answer, or its absence like none. Words merely used
		// alike ("autumn" and "spring") say neither.
		known := own > 0
		for _, b := range bs {
			if b.kind == bridgeSimilar {
				continue
			}
			known = true
			if own == 0 {
				q.idf[i] = min(q.idf[i], b.idf)
			}
		}
		if q.known != nil {
			q.known[i] = known
		}
	}
}

// appendInflections appends to dst the regular inflections of a
// lower-cased word and the words it may be an inflection of, each after a
// space, for those the stemmer does not join: "die" gives "died", "dying"
// and "dies", "died" gives "die". Some are not words; they match
// nothing. They are written into one buffer, not made strings, as a
// question's words have a dozen each and few of them are kept.
func appendInflections(dst []byte, w string) []byte {
	n := len(w)
	if n < 3 || strings.ContainsFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) {
		return dst
	}
	// A base is w cut to n bytes, with end after them.
	type base struct {
		n   int
		end string
	}
	bases, nb := [4]base{{n: n}}, 1
	add := func(n int, end string) {
		bases[nb] = base{n, end}
		nb++
	}
	switch {
	case strings.HasSuffix(w, "ied"), strings.HasSuffix(w, "ies"):
		add(n-3, "y")
		add(n-1, "")
	case strings.HasSuffix(w, "ed"):
		add(n-2, "")
		add(n-1, "")
		if n > 4 && w[n-3] == w[n-4] {
			add(n-3, "")
		}
	case strings.HasSuffix(w, "ing") && n > 4:
		add(n-3, "")
		add(n-3, "e")
		if n > 5 && w[n-4] == w[n-5] {
			add(n-4, "")
		}
	case strings.HasSuffix(w, "es"):
		add(n-2, "")
		add(n-1, "")
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		add(n-1, "")
	}
	var buf [32]byte
	for _, b := range bases[1:nb] {
		dst = append(append(append(dst, ' '), w[:b.n]...), b.end...)
	}
	for _, b := range bases[:nb] {
		base := append(append(buf[:0], w[:b.n]...), b.end...)
		// form appends the base with its last cut bytes replaced by
		// end.
		form := func(cut int, end string) {
			dst = append(append(append(dst, ' '), base[:len(base)-cut]...), end...)
		}
		switch {
		case bytes.HasSuffix(base, []byte("ie")):
			form(0, "d")
			form(2, "ying")
			form(0, "s")
		case bytes.HasSuffix(base, []byte("e")):
			form(0, "d")
			form(1, "ing")
			form(0, "s")
		case bytes.HasSuffix(base, []byte("y")):
			form(1, "ied")
			form(1, "ies")
			form(0, "ing")
			form(0, "s")
		default:
			form(0, "ed")
			form(0, "ing")
			form(0, "s")
			form(0, "es")
		}
	}
	return dst
}

func notWordRune(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// bridgeTerms lists the terms the bridges of q add, for finding candidates
// and their statistics.
func (q rankQuery) bridgeTerms() []string {
	return q.appendBridgeTerms(nil)
}

// appendBridgeTerms appends to dst the terms bridgeTerms lists.
func (q rankQuery) appendBridgeTerms(dst []string) []string {
	for _, bs := range q.bridges {
		for _, b := range bs {
			dst = append(dst, b.term)
		}
	}
	return dst
}

// weightSet holds the ranking's weights, one per feature, added to BM25.
// Bridges weigh a match through them against an exact match (1). The
// additive features are in units of the question's mean term idf, so that
// they weigh the same against BM25 on small candidate sets and large
// corpora alike.
type weightSet struct {
	bridge     [bridgeKinds]float64 // by bridgeKind
	speaker    float64
	phrase     float64
	answerType float64
	proximity  float64
	position   float64
	context    float64
	typeReach  float64 // words over which answer-type evidence halves
	acronym    float64 // an acronym matched by the words that spell it
	focus      float64 // the focus noun's share of its BM25 weight
	article    float64 // the share of the question the article holds
	local      float64 // how much a term's weight follows its distinctiveness within the article, 0..1
	slot       float64 // a sentence that holds the kind of thing asked for (FeatureSlot)
	tense      float64 // a sentence in the tense the question is put in (FeatureSlot)
	titled     float64 // a question word the article's title holds and the sentence lacks, 0..1 of its weight
	storyName  float64 // the share of the question's words no English word is (its names) the article holds
}

// bounded reports whether scoring a sentence as if its article held
// every term of q fully (everyTerm) gives at least the score any article
// gives it, so that Index.rank may leave out the candidates whose bound
// falls short: the weights an article's terms scale or add to a score
// are not negative, local at most 1, and no term's idf is negative (then
// each step of score is a sum or product of numbers that do not fall as
// an article holds more, and rounding keeps that order).
func (q rankQuery) bounded() bool {
	w := q.wt
	if w == nil || w.article < 0 || w.storyName < 0 || w.local < 0 || w.local > 1 || w.focus < 0 || w.speaker < 0 || w.acronym < 0 {
		return false
	}
	for _, x := range q.idf {
		if x < 0 {
			return false
		}
	}
	for _, bs := range q.bridges {
		for _, b := range bs {
			if b.idf < 0 {
				return false
			}
		}
	}
	return true
}

// holdArticles remembers, before candidates are scored, how fully their
// articles hold each of q's terms, as articleHolding would one by one: the
// map at about its size and the lists cut from one, not grown an article at
// a time (on a large corpus, a hundred articles a question).
func (q *rankQuery) holdArticles(cands []*candidate) {
	if q.held == nil {
		return
	}
	// At most as many articles as times the article changes.
	n := 0
	var last *termSet
	for _, k := range cands {
		if ts := k.d.article; ts != nil && ts != last {
			n++
		}
		last = k.d.article
	}
	if n == 0 {
		return
	}
	if len(q.held) == 0 {
		q.held = make(map[*termSet][]float64, n)
	}
	m := len(q.terms)
	block := make([]float64, n*m)
	for _, k := range cands {
		ts := k.d.article
		if _, ok := q.held[ts]; ok || ts == nil {
			continue
		}
		hs := block[:m:m]
		block = block[m:]
		for j := range hs {
			hs[j] = ts.holding(q, j)
		}
		q.held[ts] = hs
	}
}

// articleHolding is ts.holding(q, i), remembered per article for the
// query.
func (q *rankQuery) articleHolding(ts *termSet, i int) float64 {
	if ts.every {
		return ts.ceiling(q, i)
	}
	if q.held == nil {
		return ts.holding(q, i)
	}
	hs, ok := q.held[ts]
	if !ok {
		hs = make([]float64, len(q.terms))
		for j := range hs {
			hs[j] = ts.holding(q, j)
		}
		q.held[ts] = hs
	}
	return hs[i]
}

// holding is how fully the set holds question term i: 1 for the term
// itself, else the weight of the best of its bridges the set holds (at
// most 1: see bridgeHolding), 0 for none. A story that only touches
// the question's words through loose relations ("fire" for "happen",
// "region" for "land") holds them at that relation's weight, not as if
// it told of them.
func (ts *termSet) holding(q *rankQuery, i int) float64 {
	if ts.every {
		return ts.ceiling(q, i)
	}
	if st := ts.stored; st != nil && st.plan != nil {
		if h, ok := q.heldByPlan(st, i); ok {
			return h
		}
	}
	if ts.count(q.terms[i]) > 0 {
		return 1
	}
	var best float64
	if q.bridges != nil {
		for _, b := range q.bridges[i] {
			if w := q.bridgeHolding(b); w > best && ts.count(b.term) > 0 {
				best = w
			}
		}
	}
	return best
}

// ceiling is how fully the set every stands for holds term i of q: its
// ceil where it was worked out by q's plan and the plan fits the term,
// else 1.
func (ts *termSet) ceiling(q *rankQuery, i int) float64 {
	if ts.ceil == nil || ts.ceilPlan != q.plan || i >= 64 || q.planFits&(1<<i) == 0 {
		return 1
	}
	return ts.ceil[i]
}

// heldByPlan is termPlan.holding of term i from st's counts, with the
// plan's fit to q found once a question (rank sets planFits) where st
// was read by q's plan, rather than once an article and term.
func (q *rankQuery) heldByPlan(st *storedTerms, i int) (float64, bool) {
	if st.plan != q.plan || i >= 64 {
		return st.plan.holding(st.cnt, q, i)
	}
	if q.planFits&(1<<i) == 0 {
		return 0, false
	}
	return st.plan.bestHeld(i, func(k int) int32 { return st.cnt[k] })
}

// bridgeHolding is how fully a bridge stands for its term where an
// article holds it: its weight, at most 1; 0 for a kind switched off.
func (q rankQuery) bridgeHolding(b qbridge) float64 {
	return min(1, max(0, q.wt.bridge[b.kind]))
}

// groupHoldings returns, for each of q's groups (groups), the holding of
// each of its terms: 1 for the question term, then its bridges'.
func (q rankQuery) groupHoldings() [][]float64 {
	return cutGroups(q, func(int) float64 { return 1 }, q.bridgeHolding)
}

// score rates d for q: BM25 over the sentence's terms with its true length
// (bleve's own BM25 estimates the mean length from the size of the term
// dictionary, which is far off for sentence-sized documents), plus the
// features that are on.
func score(q rankQuery, d doc, avgLen float64, f Feature) scored {
	var room [16]termScore
	ds := docScore{terms: room[:0]}
	ds.rate(q, d, avgLen, f)
	return ds.withArticle(q, d.article, f)
}

// docScore is what score finds of a sentence apart from its article: the
// ranking rates a candidate first as if its article held every term (see
// Index.rank), then with its article, and the sentence's part is the
// same both times. withArticle adds the article's part in the order
// score always added it, so the two give the same scores to the bit.
type docScore struct {
	res   scored      // all but the score and the article's share
	terms []termScore // the question terms the sentence holds, in order
	// addends are what the features add to the terms' BM25 weights, in
	// the order they are added (see withArticle); 0 for a feature off.
	phrase, proximity, typed, expand, position, context, slot, tense float64
	title                                                            float64 // the article's title's part (fromTitle), weighed
	total, unit                                                      float64 // the question's idf, and its mean a term
	norm                                                             float64 // BM25's length norm of the sentence
	ok                                                               bool    // the question has terms
}

// termScore is a question term a sentence holds: its place in the
// question, and the parts of its BM25 weight.
type termScore struct {
	i            int
	w, tidf, ftf float64
}

// rate sets ds to d's part of its score for q.
func (ds *docScore) rate(q rankQuery, d doc, avgLen float64, f Feature) {
	terms := ds.terms[:0]
	*ds = docScore{terms: terms}
	if len(q.terms) == 0 {
		return
	}
	ds.ok = true
	dl := float64(len(d.terms))
	if avgLen <= 0 {
		avgLen = 1
	}
	norm := bm25K1 * (1 - bm25B + bm25B*dl/avgLen)
	var covered, exact, total, nearby, missing float64
	var names, namesHit int
	var other, otherHit float64
	var matched []match
	var tfs []int32
	if q.slots != nil {
		tfs = q.slots.tally(d.terms)
		matched = q.slots.ms[:0]
	}
	for i, t := range q.terms {
		total += q.idf[i]
		isName := q.name != nil && q.name[i]
		if isName {
			names++
		} else {
			other += q.idf[i]
		}
		w, tidf := 1.0, q.idf[i]
		tf := q.termCount(&d, tfs, i)
		if tf > 0 {
			exact += q.idf[i]
		}
		if tf > 0 && len(d.tpos) > 0 {
			matched = appendMatches(matched, d, t, i)
		}
		loose := false // matched through a loose relation only
		if tf == 0 && q.bridges != nil {
			for j, b := range q.bridges[i] {
				bw := q.wt.bridge[b.kind]
				var c int
				if tfs != nil {
					c = int(tfs[q.slots.of[i][j+1]])
				} else {
					c = count(d.terms, b.term)
				}
				if c > 0 && bw > 0 && (tf == 0 || bw > w) {
					tf, w, tidf = c, bw, min(tidf, b.idf)
					loose = b.kind == bridgeRelated || b.kind == bridgeSimilar
					if len(d.tpos) > 0 {
						matched = appendMatches(matched, d, b.term, i)
					}
				}
			}
		}
		if tf == 0 && q.ages != nil && q.ages[i].hi > 0 {
			// A person of the age group asked about: as if by a synonym.
			if p, ok := personAged(&d, q.ages[i]); ok {
				tf, w = 1, q.wt.bridge[bridgeSynonym]
				matched = append(matched, match{p, i})
			}
		}
		if tf == 0 && f.Has(FeatureAcronyms) && q.acr != nil && q.acr[i] != "" {
			if p, ok := expansion(&d, q.acr[i]); ok {
				tf, w = 1, q.wt.acronym
				matched = append(matched, match{p, i})
			}
		}
		if tf == 0 && q.nameGroup != nil && q.nameGroup[i] >= 0 && f.Has(FeatureAliases) && q.holdsNamePart(&d, tfs, i) {
			tf, w = 1, 1
		}
		if tf == 0 && f.Has(FeatureSpeaker) && holds(d.speaker, t) {
			tf, w = 1, q.wt.speaker
		}
		if tf == 0 {
			if f.Has(FeatureContext) && holds(d.near, t) {
				nearby += q.idf[i]
			}
			if q.known == nil || q.known[i] {
				missing += q.idf[i]
			}
			continue
		}
		switch {
		case isName:
			namesHit++
		case loose:
			otherHit += w * q.idf[i]
		default:
			otherHit += q.idf[i]
		}
		if f.Has(FeatureCoverage) && !loose {
			// A loosely related word ("population", "people") is a
			// hint, not the word asked about: it covers at its weight.
			covered += q.idf[i]
		} else {
			covered += w * q.idf[i]
		}
		if t == q.focusTerm {
			w *= q.wt.focus
		}
		if q.storyNameOnce(&d, i, f) && w > q.wt.titled {
			w = q.wt.titled
		}
		terms = append(terms, termScore{i: i, w: w, tidf: tidf, ftf: float64(tf)})
	}
	ds.terms = terms
	unit := total / float64(len(q.terms)) // the mean idf of a question term
	ds.total, ds.unit, ds.norm = total, unit, norm
	if f.Has(FeatureArticle) && q.wt.titled != 0 && len(d.title) > 0 {
		ds.title = q.wt.titled * ds.fromTitle(q, &d)
	}
	if f.Has(FeaturePhrase) && q.wt.phrase != 0 {
		ds.phrase = q.wt.phrase * phraseBonus(q.words, d.words)
	}
	if f.Has(FeatureProximity) {
		ds.proximity = q.wt.proximity * unit * proximity(matched)
	}
	out := scored{names: 1}
	if f.Has(FeatureAnswerType) && (q.atype != AnswerAny || q.focus != "") {
		out.typed = answerTypeEvidence(q, d, matched)
		ds.typed = q.wt.answerType * unit * out.typed
	}
	if q.expand != "" && f.Has(FeatureAcronyms) {
		if _, ok := expansion(&d, q.expand); ok {
			ds.expand = q.wt.answerType * unit
		}
	}
	if f.Has(FeaturePosition) && d.position > 0 && covered > 0 {
		ds.position = q.wt.position * unit / float64(d.position)
	}
	if f.Has(FeatureContext) && total > 0 {
		ds.context = q.wt.context * unit * nearby / total
	}
	if q.slot != slotNone && q.wt.slot != 0 && q.fillsSlot(d) {
		ds.slot = q.wt.slot * unit
	}
	if q.tense != tenseNone && q.wt.tense != 0 && inTense(q.tense, d.words) {
		ds.tense = q.wt.tense * unit
	}
	if total > 0 {
		out.coverage, out.exact, out.missing = covered/total, exact/total, missing/total
	}
	if names > 0 {
		out.names = float64(namesHit) / float64(names)
	}
	if other > 0 {
		out.content = otherHit / other
	}
	out.cohesion = cohesion(matched, len(q.terms))
	ds.res = out
	if q.slots != nil {
		q.slots.ms = matched[:0] // the room, grown, for the next
	}
}

// withArticle returns the score of the sentence ds rated, its article
// holding art (nil: no article is known).
func (ds *docScore) withArticle(q rankQuery, art *termSet, f Feature) scored {
	if !ds.ok {
		return scored{}
	}
	var s, inArticle, namesHeld, names float64
	if art != nil {
		for i := range q.terms {
			h := q.articleHolding(art, i)
			inArticle += h * q.idf[i]
			if q.alien != nil && q.alien[i] {
				names += q.idf[i]
				namesHeld += h * q.idf[i]
			}
		}
	}
	for _, ts := range ds.terms {
		w := ts.w
		if f.Has(FeatureArticle) && art != nil {
			w *= 1 - q.wt.local + q.wt.local*art.local(q.terms[ts.i])
		}
		s += w * ts.tidf * ts.ftf * (bm25K1 + 1) / (ts.ftf + ds.norm)
	}
	s += ds.title // 0 where FeatureArticle is off (rate)
	// Each feature's part is added only where score always added it, so
	// that the sums are the same to the bit.
	if f.Has(FeaturePhrase) && q.wt.phrase != 0 {
		s += ds.phrase
	}
	if f.Has(FeatureProximity) {
		s += ds.proximity
	}
	out := ds.res
	if f.Has(FeatureAnswerType) && (q.atype != AnswerAny || q.focus != "") {
		s += ds.typed
	}
	if q.expand != "" && f.Has(FeatureAcronyms) {
		s += ds.expand
	}
	s += ds.position
	if f.Has(FeatureContext) && ds.total > 0 {
		s += ds.context
	}
	s += ds.slot
	s += ds.tense
	if ds.total > 0 && art != nil {
		out.article = inArticle / ds.total
		if f.Has(FeatureArticle) {
			s += q.wt.article * ds.unit * out.article
			if names > 0 {
				out.story = q.wt.storyName * ds.unit * namesHeld / names
				s += out.story
			}
		}
	}
	out.score = s
	return out
}

// nameGroups finds the people a question names by two or more words
// side by side, none of them an English word (alien) and none but the
// last possessive: "what did osric pennyfeather mistake the animal for",
// "niamh okwuosa's grandfather". News names a person in full once and
// then in part ("Mr Pennyfeather said", "Niamh, who also plays the
// violin"), so a sentence that says one part of the name speaks of the
// person the whole name does (holdsNamePart). A first name that is an
// English word ("Graham", "Beryl") is left out: capitalised, it would
// join the names of a family ("Bill Clinton" and "Hillary Clinton"), and
// on TrecQA's dev questions it cost MAP (0.841 -> 0.834). words are the
// terms' words, ordered the question's words, each lower-cased and
// folded as sentence words are. It returns each term's name's number, or
// -1; nil when there is none.
func nameGroups(alien []bool, words, ordered []string) []int {
	adjacent := func(a, b string) bool {
		for k := 0; k+1 < len(ordered); k++ {
			if strings.TrimSuffix(ordered[k], "'s") == a && strings.TrimSuffix(ordered[k+1], "'s") == b {
				return true
			}
		}
		return false
	}
	var groups []int
	next := 0
	for i := 0; i+1 < len(alien); i++ {
		if !alien[i] || !alien[i+1] || strings.HasSuffix(words[i], "'s") ||
			!adjacent(words[i], strings.TrimSuffix(words[i+1], "'s")) {
			continue
		}
		if groups == nil {
			groups = make([]int, len(alien))
			for k := range groups {
				groups[k] = -1
			}
		}
		if groups[i] < 0 {
			groups[i] = next
			next++
		}
		groups[i+1] = groups[i]
	}
	return groups
}

// termCount is how often d has question term i: from tfs, d's counts of
// the question's terms when Index.rank set q.slots, else by a search of
// d's terms.
func (q *rankQuery) termCount(d *doc, tfs []int32, i int) int {
	if tfs != nil {
		return int(tfs[q.slots.of[i][0]])
	}
	return count(d.terms, q.terms[i])
}

// holdsNamePart reports whether d says another part of the name term i
// of q is part of (nameGroups): its own part it lacks. tfs are as for
// termCount.
func (q *rankQuery) holdsNamePart(d *doc, tfs []int32, i int) bool {
	for j, g := range q.nameGroup {
		if j == i || g != q.nameGroup[i] {
			continue
		}
		if q.termCount(d, tfs, j) > 0 {
			return true
		}
	}
	return false
}

// storyNameOnce reports whether term i of q is a name of d's story that
// d's title holds (a town's name typed in lower case: rankQuery.alien),
// which a sentence that says it weighs no more than at the title's
// weight, as its story's other sentences do (fromTitle): the article is
// credited for its story's names (weightSet.storyName), and the opening,
// which names the story whatever is asked, would otherwise come first
// for saying the town.
func (q *rankQuery) storyNameOnce(d *doc, i int, f Feature) bool {
	return q.alien != nil && q.alien[i] && f.Has(FeatureArticle) && q.wt.titled != 0 &&
		len(d.title) > 0 && d.titleHolds(i, q.terms[i], len(q.terms))
}

// fromTitle is what the sentence ds rated would weigh, by BM25, for the
// question's terms it lacks and its article's title (title) holds, each as
// if it held it once: a news sentence speaks of its story without naming
// it ("The tower, which stands 31 metres tall"), and a question names the
// story ("how high is the garrowfield tower").
func (ds *docScore) fromTitle(q rankQuery, d *doc) float64 {
	var s float64
	held := ds.terms
	for i, t := range q.terms {
		if len(held) > 0 && held[0].i == i {
			held = held[1:]
			continue
		}
		if d.titleHolds(i, t, len(q.terms)) {
			s += q.idf[i] * (bm25K1 + 1) / (1 + ds.norm)
		}
	}
	return s
}

// titleHolds reports whether the title of d's article holds t, term i
// of a question of n terms: from the mask d.titled where it was worked
// out for such a question, else by a search of the title.
func (d *doc) titleHolds(i int, t string, n int) bool {
	if d.titledFor == n {
		return d.titled&(1<<i) != 0
	}
	return titleHolds(d.title, t)
}

// titleHolds reports whether the sorted title terms title hold t.
func titleHolds(title []string, t string) bool {
	_, ok := slices.BinarySearch(title, t)
	return ok
}

// asks reports whether sentence term t stands for a term of the
// question.
func (q rankQuery) asks(t string) bool {
	for i := range q.terms {
		if q.standsFor(i, t) {
			return true
		}
	}
	return false
}

// standsFor reports whether sentence term t is question term i or one of
// its bridges that the ranking weighs.
func (q rankQuery) standsFor(i int, t string) bool {
	if q.terms[i] == t {
		return true
	}
	if q.bridges == nil {
		return false
	}
	for _, b := range q.bridges[i] {
		if b.term == t && q.wt.bridge[b.kind] > 0 {
			return true
		}
	}
	return false
}

// cohesionWindow is how far apart, in words, two matched neighbours of
// the question may stand and still count as said together.
const cohesionWindow = 3

// cohesion is the share of pairs of neighbouring question terms (i, i+1),
// both matched, whose nearest matches lie within cohesionWindow words; 1
// when no pair is matched.
func cohesion(ms []match, terms int) float64 {
	pairs, near := 0, 0
	for i := 0; i+1 < terms; i++ {
		best := math.MaxInt
		for _, a := range ms {
			if a.q != i {
				continue
			}
			for _, b := range ms {
				if b.q == i+1 {
					best = min(best, abs(a.pos-b.pos))
				}
			}
		}
		if best == math.MaxInt {
			continue
		}
		pairs++
		if best <= cohesionWindow {
			near++
		}
	}
	if pairs == 0 {
		return 1
	}
	return float64(near) / float64(pairs)
}

// termSlots numbers a question's terms and their bridges, so that a
// candidate's terms are counted in one pass over them (tally) instead of
// a search of them for each term and bridge: of[i] is the slot of term i
// and then of its bridges, in order.
type termSlots struct {
	slot map[string]int32
	of   [][]int32
	tf   []int32 // the counts of the candidate last tallied
	ms   []match // room for a candidate's matches, reused
	// seen has the bit slotBit sets for each numbered term: most of a
	// sentence's terms are not the question's, and are passed over
	// without hashing them.
	seen [4]uint64
}

// slotBit is the bit of termSlots.seen of a term: of its length and its
// first and last bytes.
func slotBit(t string) (word int, bit uint64) {
	if t == "" {
		return 0, 1
	}
	h := uint(len(t))*31 + uint(t[0])*7 + uint(t[len(t)-1])
	return int(h>>6) & 3, 1 << (h & 63)
}

// newTermSlots numbers q's terms and bridges.
func newTermSlots(q rankQuery) *termSlots {
	ts := &termSlots{slot: make(map[string]int32, len(q.terms)), of: make([][]int32, len(q.terms))}
	number := func(t string) int32 {
		k, ok := ts.slot[t]
		if !ok {
			k = int32(len(ts.slot))
			ts.slot[t] = k
			w, b := slotBit(t)
			ts.seen[w] |= b
		}
		return k
	}
	for i, t := range q.terms {
		of := []int32{number(t)}
		if q.bridges != nil {
			for _, b := range q.bridges[i] {
				of = append(of, number(b.term))
			}
		}
		ts.of[i] = of
	}
	ts.tf = make([]int32, len(ts.slot))
	return ts
}

// tally counts each numbered term in terms and returns the counts by
// slot; they hold until the next tally.
func (ts *termSlots) tally(terms []string) []int32 {
	clear(ts.tf)
	for _, t := range terms {
		if w, b := slotBit(t); ts.seen[w]&b == 0 {
			continue
		}
		if k, ok := ts.slot[t]; ok {
			ts.tf[k]++
		}
	}
	return ts.tf
}

// holds reports whether terms holds t, as slices.Contains does, but
// comparing lengths and first bytes before whole terms: a paragraph's
// terms are searched for every question term a candidate lacks.
func holds(terms []string, t string) bool {
	for _, x := range terms {
		if len(x) == len(t) && (t == "" || x[0] == t[0]) && x == t {
			return true
		}
	}
	return false
}

func count(terms []string, t string) int {
	n := 0
	for _, x := range terms {
		// The lengths and first bytes first: most terms differ there,
		// without a call to compare them whole.
		if len(x) == len(t) && (t == "" || x[0] == t[0]) && x == t {
			n++
		}
	}
	return n
}

// match is a word of a sentence that matches question term q.
type match struct{ pos, q int }

func appendMatches(ms []match, d doc, t string, qi int) []match {
	for j, x := range d.terms {
		if x == t {
			ms = append(ms, match{d.tpos[j], qi})
		}
	}
	return ms
}

// proximity is how tightly the matched question terms sit: the number of
// distinct terms matched, less one, over the width of the shortest window
// of words that holds one of each, less one; 1 for adjacent words, 0 when
// fewer than two terms match.
func proximity(ms []match) float64 {
	if len(ms) < 2 {
		return 0
	}
	// In place: the matches' other readers take them in any order.
	slices.SortFunc(ms, func(a, b match) int { return a.pos - b.pos })
	// distinct[k] counts the matches of question term k in the window.
	var room [32]int
	distinct := room[:0]
	n := 0
	for _, m := range ms {
		for len(distinct) <= m.q {
			distinct = append(distinct, 0)
		}
		if distinct[m.q] == 0 {
			distinct[m.q] = 1
			n++
		}
	}
	if n < 2 {
		return 0
	}
	clear(distinct)
	best, have, lo := math.MaxInt, 0, 0
	for _, m := range ms {
		if distinct[m.q] == 0 {
			have++
		}
		distinct[m.q]++
		for have == n {
			if w := m.pos - ms[lo].pos + 1; w < best {
				best = w
			}
			distinct[ms[lo].q]--
			if distinct[ms[lo].q] == 0 {
				have--
			}
			lo++
		}
	}
	// Two question terms can match one word (through one bridge: "American"
	// and "States" both reach "US"): as close as words can be.
	return min(float64(n-1)/float64(max(best-1, 1)), 1)
}

// answerTypeEvidence is 1 when the sentence has a word of the kind the
// question asks for, right beside the words it shares with the question,
// falling off with the distance; 0 without one. Words of the question
// itself are no evidence.
func answerTypeEvidence(q rankQuery, d doc, ms []match) float64 {
	if q.atype == AnswerDescription && onlyNames(q) {
		return describes(q, d)
	}
	want := wants[q.atype]
	best := 0.0
	at := func(j int) {
		if q.qwords.has(d.words[j]) {
			return
		}
		dist := 8
		for _, m := range ms {
			if x := abs(m.pos - j); x < dist {
				dist = x
			}
		}
		if v := 1 / (1 + float64(dist)/q.wt.typeReach); v > best {
			best = v
		}
	}
	if want != 0 {
		for j, e := range d.ev {
			if e&want != 0 {
				at(j)
			}
		}
	}
	if q.focus != "" {
		for _, k := range d.kinds {
			if slices.Contains(k.kinds, q.focus) {
				at(k.pos)
			}
		}
	}
	return best
}

// onlyNames reports whether every content term of the question is a
// name: "Who is Zebari?", "what does khalilzad do".
func onlyNames(q rankQuery) bool {
	if len(q.terms) == 0 || q.name == nil {
		return false
	}
	for i := range q.terms {
		if !q.name[i] {
			return false
		}
	}
	return true
}

// describes is 1 when the sentence says who the person the question names
// is: it is attributed to them and says their role itself ("Iraq's foreign
// minister, Hoshyar Zebari, told reporters"), not only by an earlier
// sentence ("Mr Zebari did not say ..."); 0 otherwise.
func describes(q rankQuery, d doc) float64 {
	if len(d.speaker) == 0 {
		return 0
	}
	for _, t := range q.terms {
		if !slices.Contains(d.speaker, t) {
			return 0
		}
	}
	for _, t := range d.speaker {
		if !slices.Contains(q.terms, t) && slices.Contains(d.terms, t) {
			return 1
		}
	}
	return 0
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// phraseBonus counts the question's word pairs (neither a stop word) that
// the sentence has side by side.
func phraseBonus(qw, dw []string) float64 {
	if len(qw) < 2 || len(dw) < 2 {
		return 0
	}
	n := 0
	for i := 0; i+1 < len(qw); i++ {
		a, b := qw[i], qw[i+1]
		if isStopWord(a) || isStopWord(b) || pairBefore(qw[:i], a, b) {
			continue
		}
		for j := 0; j+1 < len(dw); j++ {
			if dw[j] == a && dw[j+1] == b {
				n++
				break
			}
		}
	}
	return float64(n)
}

// pairBefore reports whether the words a, b stand side by side in ws: a
// pair the question repeats counts once.
func pairBefore(ws []string, a, b string) bool {
	for i := 0; i+1 < len(ws); i++ {
		if ws[i] == a && ws[i+1] == b {
			return true
		}
	}
	return false
}

// textHash is the stable tie-breaker of equal scores: a hash of the text,
// so that order never depends on where a sentence sits in a file.
func textHash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// bm25Plain is plain BM25 of d for q, with nothing else: the baseline that
// eval --baseline reports.
func bm25Plain(q rankQuery, d doc, avgLen float64) float64 {
	return score(q, d, avgLen, 0).score
}

// setStats are Stats computed from a set of documents, as when ranking the
// candidates of an answer-selection question.
type setStats struct {
	n      int
	avgLen float64
	df     map[string]int
}

func newSetStats(docs []doc) *setStats {
	st := &setStats{n: len(docs), df: make(map[string]int)}
	total := 0
	for _, d := range docs {
		total += len(d.terms)
		seen := make(map[string]bool, len(d.terms))
		for _, t := range d.terms {
			if !seen[t] {
				seen[t] = true
				st.df[t]++
			}
		}
	}
	if st.n > 0 {
		st.avgLen = float64(total) / float64(st.n)
	}
	return st
}

func (s *setStats) DocCount() int           { return s.n }
func (s *setStats) AvgLen() float64         { return s.avgLen }
func (s *setStats) DocFreq(term string) int { return s.df[term] }
