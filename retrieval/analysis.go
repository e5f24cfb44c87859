package retrieval

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	regexpchar "github.com/blevesearch/bleve/v2/analysis/char/regexp"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/segment"
)

// Field and analyzer names in the bleve index.
const (
	fieldText    = "text"    // English analysis: stemmed, stop words removed
	fieldExact   = "exact"   // lower-cased words with positions, for phrases
	fieldArticle = "article" // the article id, for scoping a question
	fieldSpeaker = "speaker" // the speaker's name, English analysis
	fieldRecord  = "record"  // the sentence's record (record.go), stored, not indexed

	analyzerText  = "verbatim_en"
	analyzerExact = "verbatim_exact"
	analyzerRaw   = "verbatim_raw"
	stopList      = "verbatim_stop"
	charUS        = "verbatim_us"
	foldFilter    = "verbatim_fold"
	phrasalName   = "verbatim_phrasal"
)

// usPattern finds the United States' short and long names, which the text
// analysis turns into one term, "usa": "US" would otherwise be lower-cased
// into the pronoun "us", and "United States" would become two common
// words. Case matters: "us" the pronoun is left alone.
const usPattern = `\bU(?:\.?S\.?A?|nited States(?: of America)?)\b`

// analysisVersion names the index layout and analysis. Changing either
// must change it, so that indexes on disk are rebuilt; it names the
// versions of the records, of the articles' terms and of their entries. The lexicon is part
// of the analysis (a sentence's answer-type evidence and kinds are stored
// in its record), so its checksum is in the name: an index written with
// another lexicon is rebuilt, not answered from with stale records.
var analysisVersion = fmt.Sprintf("verbatim-index-11/record-%d/terms-%d/entry-%d/lexicon-%08x", recordVersion, termSetVersion, entryVersion, lexiconSourceSum(lexiconBin))

// newMapping returns the index mapping: one document per sentence, nothing
// stored (sentences are served from the corpus in memory), term vectors
// only where phrase queries need positions.
func newMapping() (*mapping.IndexMappingImpl, error) {
	if err := registerFilters(); err != nil {
		return nil, err
	}
	im := bleve.NewIndexMapping()
	words := slices.Sorted(maps.Keys(stopWords()))
	stops := make([]any, len(words))
	for i, w := range words {
		stops[i] = w
	}
	if err := im.AddCustomTokenMap(stopList, map[string]any{"type": tokenmap.Name, "tokens": stops}); err != nil {
		return nil, fmt.Errorf("stop list: %w", err)
	}
	if err := im.AddCustomTokenFilter(stopList, map[string]any{"type": stop.Name, "stop_token_map": stopList}); err != nil {
		return nil, fmt.Errorf("stop filter: %w", err)
	}
	if err := im.AddCustomCharFilter(charUS, map[string]any{"type": regexpchar.Name, "regexp": usPattern, "replace": "USA"}); err != nil {
		return nil, fmt.Errorf("char filter %s: %w", charUS, err)
	}
	err := im.AddCustomAnalyzer(analyzerText, map[string]any{
		"type":         custom.Name,
		"char_filters": []any{charUS},
		"tokenizer":    unicode.Name,
		"token_filters": []any{
			en.PossessiveName,
			lowercase.Name,
			foldFilter,
			phrasalName,
			stopList,
			stemFilter,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("analyzer %s: %w", analyzerText, err)
	}
	err = im.AddCustomAnalyzer(analyzerExact, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{lowercase.Name, foldFilter},
	})
	if err != nil {
		return nil, fmt.Errorf("analyzer %s: %w", analyzerExact, err)
	}
	// The words as written, for ranking (capitals, numbers), cut exactly
	// as the text field's words are, accents folded as there; not used by
	// any field.
	err = im.AddCustomAnalyzer(analyzerRaw, map[string]any{
		"type":          custom.Name,
		"char_filters":  []any{charUS},
		"tokenizer":     unicode.Name,
		"token_filters": []any{foldFilter},
	})
	if err != nil {
		return nil, fmt.Errorf("analyzer %s: %w", analyzerRaw, err)
	}

	article := bleve.NewKeywordFieldMapping()
	article.Analyzer = keyword.Name
	article.Store = false
	article.IncludeInAll = false
	article.DocValues = false

	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fieldText, textField(analyzerText, false))
	doc.AddFieldMappingsAt(fieldExact, textField(analyzerExact, true))
	doc.AddFieldMappingsAt(fieldSpeaker, textField(analyzerText, false))
	doc.AddFieldMappingsAt(fieldArticle, article)
	record := bleve.NewTextFieldMapping()
	record.Index = false
	record.Store = true
	record.IncludeInAll = false
	record.DocValues = false
	doc.AddFieldMappingsAt(fieldRecord, record)
	// No composite _all field: every query names its field, and bleve
	// would otherwise index an empty _all, with term vectors, for every
	// sentence.
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	im.DefaultMapping = doc
	im.DefaultAnalyzer = analyzerText
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	im.ScoringModel = "bm25"
	return im, nil
}

// registerFilters registers the accent-folding, phrasal-verb and stemming token
// filters with bleve, once per process: index mappings name their
// filters, and bleve builds them from its registry when it opens an index.
var registerFilters = sync.OnceValue(func() error {
	err := registry.RegisterTokenFilter(foldFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return foldAccents{}, nil
	})
	if err != nil {
		return fmt.Errorf("token filter %s: %w", foldFilter, err)
	}
	err = registry.RegisterTokenFilter(phrasalName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return phrasalFilter{}, nil
	})
	if err != nil {
		return fmt.Errorf("token filter %s: %w", phrasalName, err)
	}
	return registerStemFilter()
})

// foldAccents is a token filter that folds each token's letters to ASCII
// where they have an ASCII form ("café" to "cafe", "Ø" to "O"; Lucene's
// ASCII folding), so that a word matches with or without its accents.
// It changes only the term: a token's Start and End still point at the
// word in the original text, which is what highlights are cut from.
type foldAccents struct{}

var asciiFold = asciifolding.New()

func (foldAccents) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if !isASCII(t.Term) {
			t.Term = asciiFold.Filter(t.Term)
		}
	}
	return in
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// textField is an indexed, unstored text field; term vectors (positions)
// only when phrase queries need them.
func textField(analyzer string, vectors bool) *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store = false
	f.IncludeTermVectors = vectors
	f.IncludeInAll = false
	f.DocValues = false
	return f
}

// Analyzer turns text into the terms the index holds: the English terms of
// the text field. It is safe for concurrent use.
type Analyzer struct {
	text  analysis.Analyzer
	exact analysis.Analyzer
	raw   analysis.Analyzer
	lex   *lexicon
	// filters are the text analyzer's token filters before its
	// stemmer, which Terms and termsAndWords run themselves (see
	// analysisScratch); nil when the analyzer is not made of the parts
	// they know, and they run it whole.
	filters []analysis.TokenFilter
}

// NewAnalyzer returns the analyzer the index uses.
func NewAnalyzer() (*Analyzer, error) {
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	return analyzerOf(im)
}

func analyzerOf(im *mapping.IndexMappingImpl) (*Analyzer, error) {
	a := &Analyzer{text: im.AnalyzerNamed(analyzerText), exact: im.AnalyzerNamed(analyzerExact), raw: im.AnalyzerNamed(analyzerRaw)}
	if a.text == nil || a.exact == nil || a.raw == nil {
		return nil, fmt.Errorf("index mapping lacks its analyzers")
	}
	a.filters = leanFilters(a.text, a.raw)
	lex, err := loadLexicon(a)
	if err != nil {
		return nil, err
	}
	a.lex = lex
	return a, nil
}

// Terms returns the English terms of s in order: lower-cased, stemmed, stop
// words removed. Terms returns nil for text with no words.
func (a *Analyzer) Terms(s string) []string {
	if a.filters == nil {
		toks := a.text.Analyze([]byte(s))
		if len(toks) == 0 {
			return nil
		}
		out := make([]string, len(toks))
		for i, t := range toks {
			out[i] = string(t.Term)
		}
		return out
	}
	sc := analysisPool.Get().(*analysisScratch)
	defer sc.release()
	toks := sc.text(a, sc.tokenize(s))
	if len(toks) == 0 {
		return nil
	}
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = sc.term(t)
	}
	return out
}

// Words returns the lower-cased words of s in order, nothing removed: the
// terms of the exact-text field.
func (a *Analyzer) Words(s string) []string {
	toks := a.exact.Analyze([]byte(s))
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = string(t.Term)
	}
	return out
}

// extraStopWords are function words bleve's English (Snowball) list lacks:
// the modal verbs, which questions are full of ("when will", "what can")
// and which carry nothing to match ("may" stays: it is also a month); the
// negated auxiliaries typed without an apostrophe; and
// the Penn Treebank's names for brackets ("-LRB-" for "("), which
// tokenised news text such as TrecQA writes and which are punctuation,
// not words.
var extraStopWords = []string{"will", "can", "might", "must", "shall", "lrb", "rrb", "lsb", "rsb", "lcb", "rcb",
	// The negated auxiliaries with the apostrophe left out, as people
	// type questions ("didnt they", "why couldnt"); the list has them
	// with it.
	"dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "hasnt", "havent", "hadnt",
	"cant", "couldnt", "wont", "wouldnt", "shouldnt", "mustnt"}

// stopWords is the stop list of the text field: bleve's English list and
// extraStopWords.
var stopWords = sync.OnceValue(func() analysis.TokenMap {
	tm := analysis.NewTokenMap()
	_ = tm.LoadBytes(en.EnglishStopWords) // compiled in; cannot fail
	for _, w := range extraStopWords {
		tm.AddToken(w)
	}
	return tm
})

// isStopWord reports whether a lower-cased word is an English stop word.
func isStopWord(w string) bool {
	_, ok := stopWords()[w]
	return ok
}

// prepare analyses a sentence for scoring: its terms and where they stand,
// its words, and the answer-type evidence of each word.
func (a *Analyzer) prepare(text string) doc {
	toks := a.text.Analyze([]byte(text))
	raw := a.raw.Analyze([]byte(text))
	d := doc{
		text:  text,
		hash:  textHash(text),
		terms: make([]string, len(toks)),
		tpos:  make([]int, len(toks)),
		words: make([]string, len(raw)),
		ev:    make([]evidence, len(raw)),
	}
	for i, t := range toks {
		d.terms[i] = string(t.Term)
		d.tpos[i] = t.Position - 1
	}
	for i, t := range raw {
		d.words[i] = strings.ToLower(string(t.Term))
	}
	if a.lex != nil {
		for i, t := range raw {
			var prev, next string
			if i > 0 {
				prev = d.words[i-1]
			}
			if i+1 < len(raw) {
				next = d.words[i+1]
			}
			d.ev[i] = a.lex.wordEvidence(string(t.Term), d.words[i], prev, next, i == 0)
			if isStopWord(d.words[i]) {
				continue
			}
			if ks, ok := lookup(a.lex.kinds, d.words[i]); ok {
				d.kinds = append(d.kinds, wordKinds{i, ks})
			}
		}
	}
	return d
}

// termsAndWords returns the analyzed terms of s and, for each, the
// lower-cased word it came from; every word of s as written, cut as the
// text field cuts them (stop words included); and those words
// lower-cased. s is analysed once for all four.
func (a *Analyzer) termsAndWords(s string) (terms, words, raw, lower []string) {
	if a.filters == nil {
		return a.termsAndWordsWhole(s)
	}
	sc := analysisPool.Get().(*analysisScratch)
	defer sc.release()
	toks := sc.tokenize(s)
	// The words as written first: the text's filters lower-case them in
	// place.
	sc.runs.reset()
	for _, t := range toks {
		if isASCII(t.Term) {
			sc.runs.add(t.Term)
		} else {
			sc.runs.add(asciiFold.Filter(t.Term))
		}
	}
	n := len(toks)
	toks = sc.text(a, toks)
	m := len(toks)
	all := make([]string, 2*n+2*m) // one list cut into the four
	raw, lower = all[:n:n], all[n:2*n:2*n]
	terms, words = all[2*n:2*n+m:2*n+m], all[2*n+m:]
	sc.runs.strings(raw)
	sc.runs.reset()
	for _, w := range raw {
		sc.runs.buf = appendLower(sc.runs.buf, w)
		sc.runs.end()
	}
	if sc.runs.same(raw) {
		copy(lower, raw)
	} else {
		sc.runs.strings(lower)
	}
	sc.runs.reset()
	for i, t := range toks {
		sc.runs.add(sc.termBytes(t))
		if p := t.Position - 1; p >= 0 && p < n {
			words[i] = lower[p]
		}
	}
	sc.runs.strings(terms)
	return terms, words, raw, lower
}

// termsAndWordsWhole is termsAndWords through the analyzers, each whole.
func (a *Analyzer) termsAndWordsWhole(s string) (terms, words, raw, lower []string) {
	toks := a.text.Analyze([]byte(s))
	rawToks := a.raw.Analyze([]byte(s))
	raw = make([]string, len(rawToks))
	lower = make([]string, len(rawToks))
	for i, t := range rawToks {
		raw[i] = string(t.Term)
		lower[i] = strings.ToLower(raw[i])
	}
	terms = make([]string, len(toks))
	words = make([]string, len(toks))
	for i, t := range toks {
		terms[i] = string(t.Term)
		if p := t.Position - 1; p >= 0 && p < len(raw) {
			words[i] = strings.ToLower(raw[p])
		}
	}
	return terms, words, raw, lower
}

// byteRuns are runs of bytes written one after another, to be made
// strings all at once: one string, of which each is a part. A
// question's words and terms are many and short.
type byteRuns struct {
	buf  []byte
	ends []int // where each run ends in buf
}

// reset forgets the runs.
func (r *byteRuns) reset() { r.buf, r.ends = r.buf[:0], r.ends[:0] }

// add adds a run of the bytes of b.
func (r *byteRuns) add(b []byte) {
	r.buf = append(r.buf, b...)
	r.end()
}

// end ends a run with the bytes appended to buf since the last.
func (r *byteRuns) end() { r.ends = append(r.ends, len(r.buf)) }

// strings sets dst[i] to run i, as a string: parts of one string.
func (r *byteRuns) strings(dst []string) {
	all := string(r.buf)
	start := 0
	for i, end := range r.ends {
		dst[i] = all[start:end]
		start = end
	}
}

// same reports whether the runs are the strings of ss.
func (r *byteRuns) same(ss []string) bool {
	if len(ss) != len(r.ends) {
		return false
	}
	start := 0
	for i, end := range r.ends {
		if string(r.buf[start:end]) != ss[i] {
			return false
		}
		start = end
	}
	return true
}

// A question is analysed many times over (its content, its focus, its
// acronyms, its words one by one), and bleve's analyzers make a token for
// each word, copy the text for the US char filter whether it matches or
// not, and make two slices for each stem. Terms and termsAndWords run the
// same steps in working memory kept from call to call instead: the char
// filter only where it matches, the unicode tokenizer's cut of the words
// (by the segmenter it uses, into tokens reused), the text analyzer's
// token filters but the last, and the stemmer (stem.go) into reused memory;
// termsAndWords cuts the words once for the text and raw analyzers. What
// they give is what the analyzers give (TestLeanAnalysis holds them to
// it); leanFilters checks that the analyzers are made of the parts they
// know.

// usRegexp is the char filter's pattern; usReplacement what it writes.
var (
	usRegexp      = regexp.MustCompile(usPattern)
	usReplacement = []byte("USA")
)

// leanFilters returns the text analyzer's token filters before its
// stemmer when the text and raw analyzers are as newMapping makes them:
// the US char filter alone, the unicode tokenizer, then for text filters
// ending in the stemmer (stemTokens), for raw the accent folding alone. It returns
// nil otherwise.
func leanFilters(text, raw analysis.Analyzer) []analysis.TokenFilter {
	t, ok1 := text.(*analysis.DefaultAnalyzer)
	r, ok2 := raw.(*analysis.DefaultAnalyzer)
	if !ok1 || !ok2 || len(t.CharFilters) != 1 || len(r.CharFilters) != 1 || len(t.TokenFilters) == 0 ||
		len(r.TokenFilters) != 1 {
		return nil
	}
	if _, ok := t.CharFilters[0].(*regexpchar.CharFilter); !ok {
		return nil
	}
	if _, ok := r.CharFilters[0].(*regexpchar.CharFilter); !ok {
		return nil
	}
	if _, ok := t.Tokenizer.(*unicode.UnicodeTokenizer); !ok {
		return nil
	}
	if _, ok := r.Tokenizer.(*unicode.UnicodeTokenizer); !ok {
		return nil
	}
	if _, ok := r.TokenFilters[0].(foldAccents); !ok {
		return nil
	}
	n := len(t.TokenFilters) - 1
	if _, ok := t.TokenFilters[n].(stemTokens); !ok {
		return nil
	}
	return t.TokenFilters[:n:n]
}

// analysisScratch is the working memory of an analysis, kept from call
// to call in analysisPool: the text's bytes, its tokens, and the stemmer.
// Nothing of it outlives the call that took it.
type analysisScratch struct {
	input  []byte
	tokens []analysis.Token
	stream analysis.TokenStream
	stem   stemmer
	runs   byteRuns
}

var analysisPool = sync.Pool{New: func() any { return new(analysisScratch) }}

// maxScratchText bounds the text whose working memory is kept for the
// next analysis: a long one's is left to the garbage collector.
const maxScratchText = 1 << 14

// release clears what points elsewhere and puts sc back in the pool.
func (sc *analysisScratch) release() {
	if cap(sc.input) > maxScratchText {
		return
	}
	clear(sc.tokens)
	clear(sc.stream)
	analysisPool.Put(sc)
}

// tokenize runs the steps the text and raw analyzers share on s: the US
// char filter and the unicode tokenizer, whose Tokenize it follows.
func (sc *analysisScratch) tokenize(s string) analysis.TokenStream {
	sc.input = append(sc.input[:0], s...)
	input := sc.input
	if usRegexp.Match(input) {
		input = usRegexp.ReplaceAll(input, usReplacement)
	}
	sc.tokens = sc.tokens[:0]
	seg := segment.NewWordSegmenterDirect(input)
	for start, pos := 0, 1; seg.Segment(); {
		b := seg.Bytes()
		end := start + len(b)
		if seg.Type() != segment.None {
			sc.tokens = append(sc.tokens, analysis.Token{Term: b, Start: start, End: end, Position: pos, Type: tokenType(seg.Type())})
			pos++
		}
		start = end
	}
	sc.stream = sc.stream[:0]
	for i := range sc.tokens {
		sc.stream = append(sc.stream, &sc.tokens[i])
	}
	return sc.stream
}

// tokenType is the unicode tokenizer's type of a segment.
func tokenType(t int) analysis.TokenType {
	switch t {
	case segment.Ideo, segment.Kana:
		return analysis.Ideographic
	case segment.Number:
		return analysis.Numeric
	}
	return analysis.AlphaNumeric
}

// text runs the text analyzer's token filters but its stemmer on toks
// (from tokenize), which term then runs.
func (sc *analysisScratch) text(a *Analyzer, toks analysis.TokenStream) analysis.TokenStream {
	for _, f := range a.filters {
		toks = f.Filter(toks)
	}
	return toks
}

// term is the term of a token of text, stemmed as the text analyzer's
// stemmer stems it.
func (sc *analysisScratch) term(t *analysis.Token) string { return string(sc.termBytes(t)) }

// termBytes is term in memory the next call overwrites.
func (sc *analysisScratch) termBytes(t *analysis.Token) []byte {
	if t.KeyWord {
		return t.Term
	}
	return sc.stem.stemLowered(t.Term)
}
