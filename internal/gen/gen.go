// Package gen makes synthetic news corpora for benchmarks: deterministic,
// seeded, of any size, with sentence lengths and a vocabulary shaped like
// news wire, mixed with real sentences so that the text is not only
// synthetic.
//
// # Shape
//
// Article i of a corpus depends only on the seed, i and the real sentences
// given, so the first thousand articles of a 100,000-article corpus are the
// 1,000-article corpus, and articles can be made in any order or in
// parallel. Each article has about 30 sentences (normally distributed,
// standard deviation 5) in paragraphs of one to three. Sentence lengths
// follow a log-normal law with a mean near 22 words, like news wire. Words
// are drawn from a Zipf law (exponent about 1.1) over a vocabulary made of
// the words of the real sentences, most frequent first, then invented
// words for the long tail. One sentence in eight reports speech ("...,"
// said Firstname Lastname), so that speaker attribution has work to do,
// and one in ten is a real sentence (the seed article's, TrecQA's), copied
// verbatim.
//
// # Questions
//
// [ReadTrecQA] reads the TrecQA files into real sentences and questions,
// with the sentences written as a news article would write them rather
// than tokenised; a question's positive sentences are the ones the corpus
// holds word for word, which makes a corpus question-answering set.
package gen

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ArticleSentences is the mean number of sentences of a generated article.
const ArticleSentences = 30

// PerFolder is how many article files WriteDir puts in one sub-folder.
const PerFolder = 1000

// Generator makes articles. It is safe for concurrent use.
type Generator struct {
	seed  uint64
	real  []string
	vocab []string
	cdf   []float64 // cumulative Zipf weights over vocab
	names []string
}

// vocabSize is the number of distinct words synthetic text draws from.
const vocabSize = 60000

// New returns a generator for the seed, mixing in the real sentences (the
// slice is kept; it may be empty).
func New(seed uint64, real []string) *Generator {
	g := &Generator{seed: seed, real: real}
	g.vocab = vocabulary(seed, real, vocabSize)
	g.cdf = make([]float64, len(g.vocab))
	sum := 0.0
	for i := range g.vocab {
		sum += 1 / math.Pow(float64(i+1), 1.1)
		g.cdf[i] = sum
	}
	for i := range g.cdf {
		g.cdf[i] /= sum
	}
	r := rand.New(rand.NewPCG(seed, 0x6e616d6573))
	for range 400 {
		g.names = append(g.names, title(pseudoWord(r, 2))+" "+title(pseudoWord(r, 3)))
	}
	return g
}

var wordRE = regexp.MustCompile(`^[a-z][a-z'-]*[a-z]$`)

// vocabulary returns the lower-case words of the real sentences, most
// frequent first (ties alphabetical), then invented words up to n.
func vocabulary(seed uint64, real []string, n int) []string {
	freq := map[string]int{}
	for _, s := range real {
		for _, w := range strings.Fields(s) {
			w = strings.ToLower(strings.Trim(w, `.,;:!?"'()`))
			if wordRE.MatchString(w) {
				freq[w]++
			}
		}
	}
	words := make([]string, 0, n)
	for w := range freq {
		words = append(words, w)
	}
	slices.SortFunc(words, func(a, b string) int {
		if c := cmp.Compare(freq[b], freq[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	if len(words) > n {
		words = words[:n]
	}
	seen := make(map[string]bool, n)
	for _, w := range words {
		seen[w] = true
	}
	r := rand.New(rand.NewPCG(seed, 0x766f636162))
	for len(words) < n {
		w := pseudoWord(r, 2+r.IntN(3))
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

var (
	onsets = []string{"b", "br", "c", "ch", "d", "f", "g", "gr", "h", "k", "l", "m", "n", "p", "pr", "r", "s", "st", "t", "tr", "v", "w", "z"}
	vowels = []string{"a", "e", "i", "o", "u", "ai", "ea", "ou"}
	codas  = []string{"", "", "n", "r", "s", "l", "t", "nd", "rk"}
)

// pseudoWord invents a pronounceable word of the given number of syllables.
func pseudoWord(r *rand.Rand, syllables int) string {
	var b strings.Builder
	for range syllables {
		b.WriteString(onsets[r.IntN(len(onsets))])
		b.WriteString(vowels[r.IntN(len(vowels))])
	}
	b.WriteString(codas[r.IntN(len(codas))])
	return b.String()
}

func title(w string) string {
	if w == "" {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

// ID returns the id of article i: its file name without the extension.
func ID(i int) string { return fmt.Sprintf("gen-%06d", i) }

// Article returns the text of article i as a .txt article file: a header
// block, then paragraphs separated by blank lines.
func (g *Generator) Article(i int) []byte {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)+1))
	var b strings.Builder
	day := 1 + i%28
	month := 1 + (i/28)%12
	year := 2000 + (i/336)%25
	fmt.Fprintf(&b, "Title: %s\n", title(g.sentenceWords(r, 4+r.IntN(6))))
	fmt.Fprintf(&b, "Source: The Generated Times\nURL: https://news.example/%s\n", ID(i))
	fmt.Fprintf(&b, "Published: %04d-%02d-%02d\n\n", year, month, day)
	n := max(5, int(math.Round(ArticleSentences+5*r.NormFloat64())))
	for left := n; left > 0; {
		k := min(left, 1+r.IntN(3))
		for j := range k {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(g.sentence(r))
		}
		b.WriteString("\n\n")
		left -= k
	}
	return []byte(b.String())
}

// sentence makes one sentence: a real one, reported speech or narration.
func (g *Generator) sentence(r *rand.Rand) string {
	switch x := r.Float64(); {
	case len(g.real) > 0 && x < 0.1:
		return g.real[r.IntN(len(g.real))]
	case x < 0.225:
		words := g.sentenceWords(r, sentenceLength(r))
		return `"` + title(words) + `," said ` + g.names[r.IntN(len(g.names))] + "."
	default:
		return title(g.sentenceWords(r, sentenceLength(r))) + "."
	}
}

// sentenceLength draws a length in words from a log-normal law with a mean
// near 22, between 4 and 70.
func sentenceLength(r *rand.Rand) int {
	return min(70, max(4, int(math.Round(math.Exp(3.0+0.45*r.NormFloat64())))))
}

// sentenceWords draws n words, with a comma now and then and a number or
// a name here and there.
func (g *Generator) sentenceWords(r *rand.Rand, n int) string {
	var b strings.Builder
	for j := range n {
		if j > 0 {
			if r.IntN(12) == 0 && j < n-1 {
				b.WriteByte(',')
			}
			b.WriteByte(' ')
		}
		switch x := r.IntN(40); {
		case x == 0:
			b.WriteString(strconv.Itoa(1 + r.IntN(2000)))
		case x == 1:
			b.WriteString(g.names[r.IntN(len(g.names))])
		default:
			b.WriteString(g.word(r))
		}
	}
	return b.String()
}

// word draws a word from the Zipf law over the vocabulary.
func (g *Generator) word(r *rand.Rand) string {
	i, _ := slices.BinarySearch(g.cdf, r.Float64())
	return g.vocab[min(i, len(g.vocab)-1)]
}

// WriteDir writes articles 0 to n-1 as .txt files under dir, PerFolder to
// a sub-folder, in parallel. Existing files are overwritten.
func (g *Generator) WriteDir(ctx context.Context, dir string, n int) error {
	for f := 0; f*PerFolder < n; f++ {
		if err := os.MkdirAll(filepath.Join(dir, folder(f)), 0o755); err != nil {
			return err
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				p := filepath.Join(dir, folder(i/PerFolder), ID(i)+".txt")
				if err := os.WriteFile(p, g.Article(i), 0o644); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	return ctx.Err()
}

func folder(f int) string { return fmt.Sprintf("%03d", f) }

// Question is a TrecQA question with its candidate sentences, untokenised.
type Question struct {
	Question  string
	Positives []string // the candidates labelled right
	Negatives []string
}

type trecLine struct {
	Question   string `json:"question"`
	Candidates []struct {
		Text  string `json:"text"`
		Label int    `json:"label"`
	} `json:"candidates"`
}

// ReadTrecQA reads a TrecQA answer-selection file (the JSON Lines of
// retrieval's evaluation files) into questions with untokenised
// candidates.
func ReadTrecQA(r io.Reader) ([]Question, error) {
	var out []Question
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var tl trecLine
		if err := json.Unmarshal([]byte(line), &tl); err != nil {
			return nil, fmt.Errorf("trecqa line %d: %w", len(out)+1, err)
		}
		q := Question{Question: Detokenize(tl.Question)}
		for _, c := range tl.Candidates {
			t := Detokenize(c.Text)
			if c.Label > 0 {
				q.Positives = append(q.Positives, t)
			} else {
				q.Negatives = append(q.Negatives, t)
			}
		}
		out = append(out, q)
	}
	return out, sc.Err()
}

// ReadTrecQAFile is ReadTrecQA on a file.
func ReadTrecQAFile(path string) ([]Question, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	qs, err := ReadTrecQA(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return qs, nil
}

// Sentences returns the distinct candidate sentences of the questions, in
// order of first appearance.
func Sentences(qs []Question) []string {
	seen := map[string]bool{}
	var out []string
	for _, q := range qs {
		for _, group := range [][]string{q.Positives, q.Negatives} {
			for _, s := range group {
				if !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

var detok = strings.NewReplacer(
	"`` ", `"`, " ''", `"`, "-LRB- ", "(", " -RRB-", ")", "-LSB- ", "[", " -RSB-", "]",
	" ,", ",", " .", ".", " :", ":", " ;", ";", " ?", "?", " !", "!", " %", "%",
	" 's", "'s", " n't", "n't", " 're", "'re", " 've", "'ve", " 'm", "'m", " 'll", "'ll", " 'd", "'d",
	"$ ", "$", "<num>", "12",
)

// Detokenize writes a TrecQA sentence as news text: quotes, brackets and
// punctuation joined to their words, numbers (written <num>) as 12.
func Detokenize(s string) string {
	s = detok.Replace(strings.TrimSpace(s))
	return strings.Join(strings.Fields(s), " ")
}
