package retrieval

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/verbatim-bot/verbatim/corpus"
)

// Quote is one sentence quoted in an answer, with its attribution.
type Quote struct {
	corpus.Sentence
	Article *corpus.Article
	// Score is the ranking score; comparable only within one answer.
	Score float64
	// Highlights are the byte ranges of Text that matched a lookup,
	// in order; nil for answers.
	Highlights []Span
	// Answer is the part of Text that fills the slot the question asks
	// for (a date, place, person, number or reason), or "" when the
	// question asks for none or the sentence shows none. It is always a
	// substring of Text, at AnswerSpan.
	Answer     string
	AnswerSpan Span
}

// Span is a byte range [Start, End) of a sentence's text.
type Span struct{ Start, End int }

// Answer is the reply to a question: the sentences that answer it, best
// first, or NoAnswer with the closest sentences as suggestions.
type Answer struct {
	Question string
	// NoAnswer is true when no sentence answers the question; Quotes is
	// then empty and Suggestions holds the closest sentences, which must
	// be shown as near misses, never as the answer.
	NoAnswer    bool
	Quotes      []Quote
	Suggestions []Quote
	// Confidence is the estimated probability, 0 to 1, that the first
	// quote (or, with NoAnswer, the first suggestion) answers the
	// question. NoAnswer is set exactly when it is below the index's
	// threshold.
	Confidence float64
	// evidence is what Confidence was estimated from, for fitting the
	// model (confidencefit.go).
	evidence []float64
}

// Query is a question put to the index.
type Query struct {
	Text string
	// Article scopes the question to one article; "" means every article.
	Article corpus.ArticleID
	// Top is the most quotes wanted; zero means DefaultTop, and it is
	// capped at MaxTop.
	Top int
	// Guild, when not "", answers as in that Discord server: from the
	// articles for every server and that server's own (see
	// corpus.Article.VisibleIn). NoGuild answers as outside any server.
	Guild string
}

// Limits on questions and answers.
const (
	DefaultTop      = 3
	MaxTop          = 10
	MaxQuestionRune = 300 // code points, after trimming
	suggestionCount = 2
	// candidateLimit is how many sentences a question's ranking reads:
	// those that hold a term of every group first, then by BM25. On the
	// generated corpora (BenchmarkEval at 1,000, 10,000 and 100,000
	// articles) 150 answered as well as 200 or a little better, and 100
	// worse at 10,000 and 100,000; the evaluation sets' corpora are too
	// small to reach it.
	candidateLimit = 150
)

// QuestionError explains why a question cannot be asked. Its message is
// short and meant for the person who asked.
type QuestionError struct{ Reason string }

func (e *QuestionError) Error() string { return e.Reason }

// ErrUnknownArticle reports a question scoped to an article the corpus
// does not hold.
var ErrUnknownArticle = errors.New("no such article")

// CheckQuestion returns the question with its white space folded, or a
// *QuestionError when it is empty, longer than MaxQuestionRune code points,
// or has no letter or digit.
func CheckQuestion(s string) (string, error) {
	s = corpus.FoldSpace(stripInvisible(s))
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "", &QuestionError{"The question is empty: ask something about the articles."}
	case n > MaxQuestionRune:
		return "", &QuestionError{fmt.Sprintf("The question is too long (%d characters; the limit is %d).", n, MaxQuestionRune)}
	}
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return "", &QuestionError{"The question has no words in it: ask something about the articles."}
	}
	return s, nil
}

// stripInvisible removes control and format characters (zero-width
// spaces, direction marks) that would otherwise count as content.
func stripInvisible(s string) string {
	if !strings.ContainsFunc(s, isInvisible) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isInvisible(r) {
			if unicode.IsSpace(r) || r == '\n' || r == '\t' {
				return ' '
			}
			return -1
		}
		return r
	}, s)
}

func isInvisible(r rune) bool {
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r)
}

// candidate is a sentence found for a question, prepared for scoring.
type candidate struct {
	s   corpus.Sentence
	a   *corpus.Article
	d   *doc
	res scored
	// bound is the most its score may be, whatever its article holds
	// (see Index.rank).
	bound float64
	// filter is its article's filter of terms (entry.filter), by which
	// rank bounds its score more tightly (see Index.rank).
	filter string
	// part is the sentence's part of its score (see docScore).
	part docScore
}

// Ask answers a question from the index. It returns a *QuestionError for a
// question that cannot be asked and ErrUnknownArticle for a scope the
// corpus lacks; a question nothing answers is not an error but an Answer
// with NoAnswer set.
func (ix *Index) Ask(ctx context.Context, q Query) (*Answer, error) {
	text, err := CheckQuestion(q.Text)
	if err != nil {
		return nil, err
	}
	top := q.Top
	switch {
	case top <= 0:
		top = DefaultTop
	case top > MaxTop:
		top = MaxTop
	}
	ix.mu.RLock()
	avgLen, arts := ix.man.avgLen(), ix.man.Articles
	ix.mu.RUnlock()
	if q.Article != "" {
		if e, ok := arts.get(q.Article); !ok || (q.Guild != "" && !e.Article.VisibleIn(scopeGuild(q.Guild))) {
			return nil, fmt.Errorf("%w: %q", ErrUnknownArticle, q.Article)
		}
	}
	ctx = withScope(ctx, arts, q.Guild)

	ans := &Answer{Question: text, Quotes: []Quote{}, Suggestions: []Quote{}}
	qa := ix.an.Question(text)
	qy, cands, mem, err := ix.query(ctx, qa, q.Article)
	if err != nil {
		return nil, err
	}
	defer mem.release()
	if len(qy.terms) == 0 {
		ans.NoAnswer = true
		return ans, nil
	}
	ranked := ix.rank(qy, cands, avgLen, max(top, rankedScores, suggestionCount), mem)
	if len(ranked) == 0 || ranked[0].res.score <= 0 {
		ans.NoAnswer = true
		return ans, nil
	}
	var scores [rankedScores]float64
	ans.evidence = confEvidence(qy, ranked[0].res, ranked[0].d, appendScores(scores[:0], ranked))
	ans.Confidence = ix.conf.probability(ans.evidence)
	if ans.Confidence >= ix.minConf {
		n := 0 // the quotes to give
		for i, k := range ranked {
			if n < top && (i == 0 || k.res.score > 0) {
				n++
			}
		}
		ans.Quotes = make([]Quote, 0, n)
		for i, k := range ranked {
			if len(ans.Quotes) == top {
				break
			}
			if i == 0 || k.res.score > 0 {
				ans.Quotes = append(ans.Quotes, ix.answerQuote(qy, k))
			}
		}
		return ans, nil
	}
	ans.NoAnswer = true
	ans.Suggestions = make([]Quote, 0, min(suggestionCount, len(ranked)))
	for _, k := range ranked[:min(suggestionCount, len(ranked))] {
		if k.res.score > 0 {
			ans.Suggestions = append(ans.Suggestions, ix.answerQuote(qy, k))
		}
	}
	return ans, nil
}

// rankedScores is how many of the first scores of a question's ranking
// its confidence reads.
const rankedScores = 5

// appendScores appends to dst the scores of the first rankedScores ranked
// candidates, best first.
func appendScores(dst []float64, ranked []*candidate) []float64 {
	for _, k := range ranked[:min(len(ranked), rankedScores)] {
		dst = append(dst, k.res.score-k.res.story)
	}
	return dst
}

// answerQuote quotes a ranked candidate with the words that answer q.
func (ix *Index) answerQuote(q rankQuery, k *candidate) Quote {
	out := k.quote()
	sp, ok := namesakeSpan(q, out.Text)
	if !ok {
		sp, ok = answerSpan(ix.an, q, out.Text)
	}
	if !ok {
		sp, ok = roleSpan(q, out.Sentence)
	}
	if !ok {
		sp, ok = calledSpan(q, out.Text)
	}
	if ok {
		out.AnswerSpan, out.Answer = sp, out.Text[sp.Start:sp.End]
	}
	return out
}

// quote quotes k. Its strings are copies: a candidate's slice memory that
// is reused once the question is answered (see readMemory).
func (k *candidate) quote() Quote {
	s := k.s
	s.Text, s.Speaker, s.Role = strings.Clone(s.Text), strings.Clone(s.Speaker), strings.Clone(s.Role)
	return Quote{Sentence: s, Article: k.a, Score: k.res.score}
}

// query prepares a question for scoring and finds its candidates: the
// sentences that share a term with it, or with the terms its bridges add,
// those that hold every one of its terms (or a bridge of it) first. The
// candidates are made in mem (see readMemory; nil when there are none).
func (ix *Index) query(ctx context.Context, qa Question, article corpus.ArticleID) (q rankQuery, cands []*candidate, mem *readMemory, err error) {
	q, sc := gatherQuery(ix.an, qa, ix.features, ix.wt)
	if len(q.terms) == 0 {
		q.keepBridges(sc, nil)
		return q, nil, nil, nil
	}
	// The terms and their bridges in a list reused from question to
	// question: stats keeps none of it.
	all := termListPool.Get().(*[]string)
	*all = sc.appendTerms(append((*all)[:0], q.terms...))
	st, err := ix.stats(*all)
	clear(*all)
	termListPool.Put(all)
	if err != nil {
		sc.release()
		return rankQuery{}, nil, nil, err
	}
	defer st.release()
	q.keepBridges(sc, st) // drops the bridges no sentence has
	q.setStats(st)
	if text, ok := ix.respell(ctx, qa.Text, qa.Content, q); ok {
		// Asked again as respelled: its words are the articles' now,
		// and no word is respelled twice.
		return ix.query(ctx, ix.an.Question(text), article)
	}
	var slot *slotAsk
	if q.slot != slotNone {
		slot = &slotAsk{fill: func(d *doc) bool { return q.fillsSlot(*d) }, names: q.nameWeights()}
	}
	cands, mem, err = ix.candidates(ctx, q.groups(), q.groupHoldings(), st, article, slot)
	if err != nil {
		return rankQuery{}, nil, nil, err
	}
	// A question typed in lower case has its names back as the sentences
	// write them; its terms, and so its candidates, are the same.
	docs := make([]*doc, len(cands))
	for i, k := range cands {
		docs[i] = k.d
	}
	if text := recaseNames(qa.Text, docs); text != qa.Text {
		q = prepareQueryWith(ix.an, ix.an.Question(text), st, ix.features, ix.wt)
	}
	return q, cands, mem, nil
}

// termListPool keeps lists of terms a question gathers for a moment.
var termListPool = sync.Pool{New: func() any { return new([]string) }}

// emptyStats are the statistics of an empty collection.
type emptyStats struct{}

func (emptyStats) DocCount() int      { return 0 }
func (emptyStats) AvgLen() float64    { return 0 }
func (emptyStats) DocFreq(string) int { return 0 }

// Common terms: a question term held by more than commonShare of the
// sentences, and by more than commonMin, is common. Common terms do not
// find candidates when the question has rarer ones: they only add to the
// score of sentences that hold a rarer term (Lucene's "common terms"
// query). Reading the long lists of sentences that hold them was most of
// the time of a search on large corpora. The ranking still scores every
// term.
const (
	commonShare = 0.01
	commonMin   = 1000
)

// candidates finds the sentences to rank for a question whose terms come
// in groups (a question term and its bridges; see findSentences): at most
// candidateLimit of them, those that hold a term of every group first,
// each with its record read from the index, made in mem (see
// readMemory). The terms of their articles that the ranking needs
// (holdings: see newTermPlan) are read when asked for, by readArticles.
// With slot (a question that asks for a slot: see slotSentences), the
// sentences of its story that fill it are candidates too.
func (ix *Index) candidates(ctx context.Context, groups [][]string, holdings [][]float64, st Stats, article corpus.ArticleID, slot *slotAsk) (cands []*candidate, mem *readMemory, err error) {
	rd, err := ix.reader()
	if err != nil {
		return nil, nil, err
	}
	defer rd.Close()
	fs, err := findSentences(ctx, rd, groups, st, article, candidateLimit)
	if err != nil {
		return nil, nil, err
	}
	found := fs.nums
	recs := records{bi: ix.bi}
	recs.useReader(rd)
	var filter slotFilter
	if slot != nil {
		if filter.more, err = slotSentences(ctx, rd, &recs, fs, slot.names); err != nil {
			return nil, nil, err
		}
		filter.fill = slot.fill
		found = append(found, filter.more...)
	}
	// In the order the index keeps them, which reads their records
	// moving forward; their order is no ranking.
	slices.Sort(found)
	mem = newReadMemory()
	return ix.readHits(found, &recs, newTermPlan(groups, holdings), mem, filter), mem, nil
}

// readHits returns the sentences at the document numbers nums of the
// reader recs reads, in order, each with its article (without paragraphs)
// and its record, ready for scoring once readArticles has given it the
// terms of its article.
// Sentences the index no longer holds (a Sync under way) or cannot read
// are left out. Each hit's id and record are read from its stored fields
// at once, into one buffer that the records' strings slice; the buffer,
// the records, their lists and the candidates are made in mem, reused
// from question to question, so that nothing of a candidate may outlive
// the release of mem but what candidate.quote copies. mem keeps plan
// for readArticles.
//
// Nothing is cached from question to question: a record is read where
// the index keeps it, and decoded, for about what a cache lookup cost.
// The sentences of slot.more are left out unless they fill the slot.
func (ix *Index) readHits(nums []uint64, recs *records, plan *termPlan, mem *readMemory, slot slotFilter) []*candidate {
	ix.mu.RLock()
	arts := ix.man.Articles
	ix.mu.RUnlock()

	hits := mem.hitsFor(len(nums))
	buf, spans := mem.buf[:0], mem.spans[:0]
	for i, num := range nums {
		start := len(buf)
		var idLen, recLen int
		var ok bool
		buf, idLen, recLen, ok = recs.appendAt(buf, num)
		spans = append(spans, hitSpan{start, start + idLen, start + idLen + recLen})
		if !ok {
			hits[i].readByID = true
		}
	}
	mem.buf, mem.spans = buf, spans
	// The records' strings slice buf without a copy: buf is mem's, reused
	// only once mem is released.
	all := unsafe.String(unsafe.SliceData(buf), len(buf))
	// The records' heads say how long their lists are, so that the arena
	// holds them in one chunk of each kind, of the size needed.
	var items listItems
	var last *entry
	var titled uint64
	var filter string
	n := len(plan.groups) // the question's terms
	for i := range hits {
		h := &hits[i]
		if h.readByID {
			id, err := recs.rd.ExternalID(index.NewIndexInternalID(nil, nums[i]))
			if err != nil {
				continue
			}
			h.id = id
		} else {
			sp := spans[i]
			h.id, h.rec = all[sp.start:sp.idEnd], all[sp.idEnd:sp.end]
			if n, ok := recordItems(h.rec); ok {
				for k := range items {
					items[k] += n[k]
				}
			}
		}
		ref, ok := parseDocID(h.id)
		if !ok {
			continue
		}
		// The sentences of an article come one after another: its entry,
		// and what its title holds, are looked up once for them.
		if last == nil || ref.Article != last.Article.ID {
			e, ok := arts.get(ref.Article)
			if !ok {
				continue
			}
			last = e
			if titled = 0; n <= 64 && len(e.title) > 0 {
				titled = plan.titled(e.title, e.titleSig)
			}
			filter = e.filter
		}
		ref.Article = last.Article.ID // the entry's, not a slice of buf
		h.ref, h.a, h.title, h.titled, h.filter = ref, last.Article, last.title, titled, filter
	}

	mem.arena.reserve(items)
	slab := mem.recordsFor(len(hits))
	for i := range hits {
		h := &hits[i]
		if h.a == nil {
			continue
		}
		r := &slab[i]
		if h.readByID || decodeRecordInto(r, h.rec, &mem.arena) != nil {
			if r = recs.loadByID(h.id); r == nil {
				continue
			}
		}
		r.d.title = h.title
		if n <= 64 {
			r.d.titled, r.d.titledFor = h.titled, n
		}
		h.r = r
	}
	mem.arts, mem.plan = arts, plan

	out, cands := mem.candidatesFor(len(hits))
	for i := range hits {
		h := &hits[i]
		if h.r == nil || !slot.keeps(nums[i], &h.r.d) {
			continue
		}
		k := &cands[i]
		*k = candidate{s: h.r.sentence(h.ref), a: h.a, d: &h.r.d, filter: h.filter}
		out = append(out, k)
	}
	return out
}

// readArticles gives each of cands that has none the terms of its
// article that the plan of mem needs, reading those not read yet for an
// earlier call in one transaction (see readArticleTerms). The ranking
// reads them for the candidates that may still be quoted only (see
// Index.rank): on a large corpus most candidates' articles are never
// read.
func (ix *Index) readArticles(mem *readMemory, cands []*candidate) {
	fresh := 0
	for _, k := range cands {
		if k.d.article != nil {
			continue
		}
		if _, ok := mem.terms[k.s.Article]; !ok {
			mem.terms[k.s.Article] = nil
			fresh++
		}
	}
	if fresh > 0 {
		ix.readArticleTerms(mem.arts, mem.terms, mem.plan, &mem.slab)
	}
	for _, k := range cands {
		if k.d.article == nil {
			k.d.article = mem.terms[k.s.Article]
		}
	}
}

// readMemory is the memory readHits makes a question's candidates in:
// the hits as read, their records, the records' lists, the candidates
// and the terms of their articles. It is kept from question to question in readMemoryPool:
// whoever asked for the candidates releases it when done with them, or
// never, when it keeps them (then it is collected as any memory is).
type readMemory struct {
	buf   []byte    // the records as read, which their strings slice
	spans []hitSpan // where each hit's id and record are in buf
	hits  []readHit
	arena recordArena
	recs  []sentenceRecord
	cands []candidate
	out   []*candidate
	parts []termScore // the candidates' docScore terms
	// terms holds the terms read of each candidate's article (nil: not
	// read yet), those plan needs, from the articles in arts.
	terms map[corpus.ArticleID]*termSet
	slab  termSlab // the sets of terms
	plan  *termPlan
	arts  *entries
	// ceil is the ceiling of the candidate rank bounds (ceilingBound),
	// with its room.
	ceil termSet
}

var readMemoryPool = sync.Pool{New: func() any {
	return &readMemory{terms: make(map[corpus.ArticleID]*termSet)}
}}

// newReadMemory takes a readMemory from the pool.
func newReadMemory() *readMemory { return readMemoryPool.Get().(*readMemory) }

// hitsFor returns n zero hits.
func (m *readMemory) hitsFor(n int) []readHit {
	if cap(m.hits) < n {
		m.hits = make([]readHit, n)
	}
	m.hits = m.hits[:n]
	clear(m.hits)
	return m.hits
}

// recordsFor returns n zero records.
func (m *readMemory) recordsFor(n int) []sentenceRecord {
	if cap(m.recs) < n {
		m.recs = make([]sentenceRecord, n)
	}
	m.recs = m.recs[:n]
	return m.recs
}

// termScoresFor returns room for n term scores.
func (m *readMemory) termScoresFor(n int) []termScore {
	if m == nil {
		return make([]termScore, n)
	}
	if cap(m.parts) < n {
		m.parts = make([]termScore, n)
	}
	return m.parts[:n]
}

// candidatesFor returns an empty list of candidates with room for n, and
// n candidates to point to.
func (m *readMemory) candidatesFor(n int) ([]*candidate, []candidate) {
	if cap(m.cands) < n {
		m.cands, m.out = make([]candidate, n), make([]*candidate, 0, n)
	}
	m.cands = m.cands[:n]
	return m.out[:0], m.cands
}

// release clears what points elsewhere and puts m back in the pool; the
// candidates made in it must not be used afterwards.
func (m *readMemory) release() {
	if m == nil {
		return
	}
	clear(m.hits)
	clear(m.recs)
	clear(m.cands)
	clear(m.out[:cap(m.out)])
	clear(m.terms)
	m.slab.reset()
	m.plan, m.arts = nil, nil
	m.ceil.ceilPlan = nil
	m.arena.reset()
	readMemoryPool.Put(m)
}

// readHit is a sentence readHits reads.
type readHit struct {
	id, rec  string // the record encoded, "" when read otherwise
	ref      corpus.Ref
	a        *corpus.Article
	title    []string // the terms of the article's title (entry.title)
	titled   uint64   // the question terms title holds (doc.titled)
	filter   string   // the article's filter of terms (entry.filter)
	r        *sentenceRecord
	readByID bool
}

// hitSpan is where a hit's id and record are in readHits's buffer.
type hitSpan struct{ start, idEnd, end int }

// hit returns the sentence with document id id: its article (without
// paragraphs), its place and its record; false when the index no longer
// holds it (a Sync under way) or cannot read it.
func (ix *Index) hit(id string, recs *records) (*corpus.Article, corpus.Ref, *sentenceRecord, bool) {
	ref, ok := parseDocID(id)
	if !ok {
		return nil, corpus.Ref{}, nil, false
	}
	ix.mu.RLock()
	arts := ix.man.Articles
	ix.mu.RUnlock()
	e, ok := arts.get(ref.Article)
	if !ok {
		return nil, corpus.Ref{}, nil, false
	}
	r := recs.loadByID(id)
	return e.Article, ref, r, r != nil
}

// prepareParagraph prepares every sentence of a paragraph for scoring as
// its record holds it: as prepareSentence does with every feature on.
func (a *Analyzer) prepareParagraph(p corpus.Paragraph) []doc {
	docs := make([]doc, len(p.Sentences))
	for i, s := range p.Sentences {
		docs[i] = a.prepare(s.Text)
		docs[i].position = s.Position
		if s.Speaker != "" || s.Role != "" {
			docs[i].speaker = a.Terms(s.Speaker + " " + s.Role)
		}
	}
	for i := range docs {
		for j := range docs {
			if j != i {
				docs[i].near = append(docs[i].near, docs[j].terms...)
			}
		}
	}
	return docs
}

// rank scores the candidates and returns the first keep of them, best
// first: by score, ties broken by a hash of the text (never by position
// in a file), repeats of the same text (wire copy printed by several
// outlets) dropped.
//
// The terms of a candidate's article are read (readArticles, from mem)
// only while it may still be among the first keep. Each candidate is
// first scored as if its article held every term of the question fully
// (everyTerm), which no article adds more to (see bounded); candidates
// are then scored in full in the order of those bounds: a first few, then
// every one whose bound reaches the keep-th distinct score found, and
// whose bound by its article's filter of terms (ceilingBound) reaches it
// too. The rest could not be quoted: on a large corpus most candidates'
// articles are never read. The first keep, their scores and order, are
// those that scoring every candidate in full gives.
func (ix *Index) rank(q rankQuery, cands []*candidate, avgLen float64, keep int, mem *readMemory) []*candidate {
	q.slots = newTermSlots(q)
	if mem != nil && mem.plan != nil {
		q.plan, q.planFits = mem.plan, mem.plan.fits(&q)
	}
	sc := dedupPool.Get().(*dedupScratch)
	defer dedupPool.Put(sc)
	// A sentence's part of its score is the same whatever its article
	// holds: it is found once.
	room := mem.termScoresFor(len(cands) * len(q.terms))
	for j, k := range cands {
		k.part.terms = room[j*len(q.terms) : j*len(q.terms) : (j+1)*len(q.terms)]
		k.part.rate(q, *k.d, avgLen, ix.features)
	}
	full := func(part []*candidate) {
		ix.readArticles(mem, part)
		q.holdArticles(part)
		for _, k := range part {
			k.res = k.part.withArticle(q, k.d.article, ix.features)
		}
	}
	if len(cands) <= 2*keep || !q.bounded() {
		full(cands)
		sortCandidates(cands)
		return firstDistinct(sc, cands, keep)
	}
	for _, k := range cands {
		k.bound = k.part.withArticle(q, everyTerm, ix.features).score
	}
	// Stable: candidates of equal bounds keep the order they were found in.
	slices.SortStableFunc(cands, func(a, b *candidate) int { return cmp.Compare(b.bound, a.bound) })
	// cands[:done] are scored in full; cands[done:at] are passed over,
	// their ceilings short of a bar that only rises; cands[at:] are not
	// looked at yet.
	done := min(len(cands), 2*keep)
	full(cands[:done])
	for at := done; at < len(cands); {
		sortCandidates(cands[:done])
		start := done
		bar, ok := keptScore(sc, cands[:done], keep)
		if !ok {
			// Too few distinct yet (and so none passed over): the next few.
			done = min(len(cands), done+2*keep)
			at = done
		}
		for ; ok && at < len(cands) && cands[at].bound >= bar; at++ {
			if ix.ceilingBound(q, cands[at], mem) >= bar {
				cands[done], cands[at] = cands[at], cands[done]
				done++
			}
		}
		if done == start {
			break
		}
		full(cands[start:done])
	}
	cands = cands[:done]
	sortCandidates(cands)
	return firstDistinct(sc, cands, keep)
}

// ceilingBound is the most k's score may be, its article holding no
// more of q's terms than its filter of terms may (termPlan.ceilings):
// k.bound where the filter or the plan cannot tell.
func (ix *Index) ceilingBound(q rankQuery, k *candidate, mem *readMemory) float64 {
	if k.filter == "" || mem == nil || q.plan == nil || len(q.plan.groups) > 64 {
		return k.bound
	}
	c := &mem.ceil
	*c = termSet{every: true, ceil: q.plan.ceilings(k.filter, c.ceil[:0]), ceilPlan: q.plan}
	return k.part.withArticle(q, c, ix.features).score
}

// firstDistinct returns the first keep of the sorted cands whose texts
// differ, lower-cased (see dedupScratch), in order.
func firstDistinct(sc *dedupScratch, cands []*candidate, keep int) []*candidate {
	sc.reset()
	out := cands[:0]
	for _, k := range cands {
		if len(out) == keep {
			break
		}
		if sc.add(k.s.Text) {
			out = append(out, k)
		}
	}
	return out
}

// keptScore returns the score of the keep-th of the sorted cands whose
// texts differ, and false when they are fewer.
func keptScore(sc *dedupScratch, cands []*candidate, keep int) (float64, bool) {
	sc.reset()
	n := 0
	for _, k := range cands {
		if sc.add(k.s.Text) {
			if n++; n == keep {
				return k.res.score, true
			}
		}
	}
	return 0, false
}

// dedupScratch tells texts apart as strings.ToLower makes them, without
// a string a text: each is lower-cased into one buffer reused from
// question to question (in dedupPool), and found by the hash of its
// bytes; texts whose hashes are equal are compared whole.
type dedupScratch struct {
	buf   []byte
	ends  []int          // where each text added ends in buf
	first map[uint64]int // the first text added with a hash
	next  []int          // the next text added with the same hash, or -1
}

var dedupPool = sync.Pool{New: func() any { return &dedupScratch{first: map[uint64]int{}} }}

// dedupSeed seeds dedupScratch's hashes; which texts are kept does not
// depend on it.
var dedupSeed = maphash.MakeSeed()

// reset forgets the texts added.
func (sc *dedupScratch) reset() {
	sc.buf, sc.ends, sc.next = sc.buf[:0], sc.ends[:0], sc.next[:0]
	clear(sc.first)
}

// text returns the lower-cased text i.
func (sc *dedupScratch) text(i int) []byte {
	start := 0
	if i > 0 {
		start = sc.ends[i-1]
	}
	return sc.buf[start:sc.ends[i]]
}

// add adds text and reports whether it is new: no text added before is
// the same, lower-cased.
func (sc *dedupScratch) add(text string) bool {
	start := len(sc.buf)
	sc.buf = appendLower(sc.buf, text)
	key := sc.buf[start:]
	sum := maphash.Bytes(dedupSeed, key)
	i, ok := sc.first[sum]
	for ok {
		if bytes.Equal(sc.text(i), key) {
			sc.buf = sc.buf[:start]
			return false
		}
		if sc.next[i] < 0 {
			break
		}
		i = sc.next[i]
	}
	n := len(sc.ends)
	sc.ends = append(sc.ends, len(sc.buf))
	sc.next = append(sc.next, -1)
	if ok {
		sc.next[i] = n // i is the last of its hash
	} else {
		sc.first[sum] = n
	}
	return true
}

// appendLower appends strings.ToLower(s) to dst.
func appendLower(dst []byte, s string) []byte {
	start := len(dst)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return append(dst[:start], strings.ToLower(s)...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// sortCandidates orders scored candidates best first: by score, ties broken
// by the hash of the text, then by reference, for a stable order.
func sortCandidates(cands []*candidate) {
	slices.SortFunc(cands, func(a, b *candidate) int {
		if c := cmp.Compare(b.res.score, a.res.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.d.hash, b.d.hash); c != 0 {
			return c
		}
		return strings.Compare(docID(a.s.Ref()), docID(b.s.Ref()))
	})
}

// indexStats are the collection statistics of the whole index, read from
// one bleve snapshot.
type indexStats struct {
	n      int
	avgLen float64
	df     map[string]int
	// missing is working memory of stats: the terms not counted yet.
	missing []string
}

func (s *indexStats) DocCount() int           { return s.n }
func (s *indexStats) AvgLen() float64         { return s.avgLen }
func (s *indexStats) DocFreq(term string) int { return s.df[term] }

// statsPool keeps the maps of indexStats from question to question: see
// release.
var statsPool = sync.Pool{New: func() any { return &indexStats{df: map[string]int{}} }}

// release gives st's memory back for another question's statistics; st
// must not be used afterwards. Statistics not released are left to the
// garbage collector.
func (s *indexStats) release() {
	clear(s.df)
	clear(s.missing)
	s.missing = s.missing[:0]
	statsPool.Put(s)
}

// stats reads the document frequency of each term from the index, or
// from the counts already read since it last changed. The caller may
// release the statistics when done with them.
func (ix *Index) stats(terms []string) (*indexStats, error) {
	st := statsPool.Get().(*indexStats)
	// The counts are taken before the reader is opened: counts replaced
	// by a change are then never filled from the index before it.
	ix.mu.RLock()
	counts := ix.counts
	st.n, st.avgLen = 0, ix.man.avgLen()
	ix.mu.RUnlock()

	missing, complete := counts.get(st, terms, st.missing[:0])
	st.missing = missing
	if complete {
		return st, nil
	}
	rd, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	n, err := rd.DocCount()
	if err != nil {
		return nil, fmt.Errorf("doc count: %w", err)
	}
	st.n = int(n)
	p, err := newPostings(context.Background(), rd)
	if err != nil {
		return nil, err
	}
	defer p.release()
	for _, t := range missing {
		if st.df[t], err = p.count(t, fieldText); err != nil {
			return nil, err
		}
	}
	counts.put(st, missing)
	return st, nil
}

// termCounts keeps the number of sentences and the document frequencies
// read from the index, so that a question's terms are looked up in the
// index once until it changes.
type termCounts struct {
	mu sync.RWMutex
	n  int // 0: not read yet
	df map[string]int
}

// maxTermCounts bounds the terms kept: past it, the counts start again.
const maxTermCounts = 1 << 16

func newTermCounts() *termCounts { return &termCounts{df: map[string]int{}} }

// get fills st with what is known, appends to missing the terms that are
// not (each once: st holds 0 for them until they are read), and reports
// whether st is complete (nothing is missing, and the number of
// sentences is known).
func (c *termCounts) get(st *indexStats, terms, missing []string) (_ []string, complete bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	st.n = c.n
	start := len(missing)
	for _, t := range terms {
		if _, ok := st.df[t]; ok {
			continue
		}
		df, ok := c.df[t]
		if !ok {
			missing = append(missing, t)
		}
		st.df[t] = df
	}
	return missing, st.n != 0 && len(missing) == start
}

// put keeps the counts of the terms read into st.
func (c *termCounts) put(st *indexStats, terms []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.df)+len(terms) > maxTermCounts {
		clear(c.df)
	}
	c.n = st.n
	for _, t := range terms {
		c.df[t] = st.df[t]
	}
}
