//go:build peer

package retrieval

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"unicode"

	porter "github.com/blevesearch/go-porterstemmer"

	"github.com/verbatim-bot/verbatim/corpus"

	_ "modernc.org/sqlite" // the SQLite driver, pure Go
)

// The peer: what a Go developer would otherwise pick for sentence search,
// SQLite's FTS5 with its bm25() ranking, through modernc.org/sqlite (pure
// Go, so it builds where verbatim builds). It indexes the same sentences
// (text and speaker, Porter stemming) and is asked the same questions: the
// question's words less the stop words verbatim drops (a favour to the
// peer: with them, "what" and "the" match most of the corpus), joined by
// OR, best bm25() first, repeated texts dropped as verbatim drops them.
// It has no no-answer threshold: it answers whenever a word matches.
//
// It follows verbatim's common-term rule: a word held by more than
// commonShare of the sentences (and more than commonMin) does not find
// sentences when the question has rarer words. FTS5 has no clause that
// only scores, so such words are left out of the query; its document
// frequencies are read from an fts5vocab table, per question.

// peerEngines are the engines verbatim is compared with.
func peerEngines() []benchEngine { return []benchEngine{fts5Engine} }

var fts5Engine = benchEngine{name: "fts5", version: fts5Schema, build: buildFTS5, open: openFTS5}

const fts5Schema = `CREATE VIRTUAL TABLE sentences USING fts5(
	text, speaker, article UNINDEXED, paragraph UNINDEXED, sentence UNINDEXED,
	tokenize = 'porter unicode61')`

type fts5Index struct {
	db   *sql.DB
	find *sql.Stmt
	df   *sql.Stmt // the number of rows holding a term
	mu   sync.Mutex
	rows int // sentences indexed
}

func openFTS5DB(dir string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", filepath.Join(dir, "fts5.db"))
	if err != nil {
		return nil, err
	}
	for _, p := range []string{"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"} {
		if _, err := db.Exec(p); err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return db, nil
}

func buildFTS5(ctx context.Context, dir, src string) (int, error) {
	f, _, err := corpus.OpenFolder(ctx, src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	db, err := openFTS5DB(dir)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, fts5Schema); err != nil {
		return 0, err
	}
	ix := &fts5Index{db: db}
	files := f.Files()
	rows := 0
	for start := 0; start < len(files); start += buildChunk {
		articles, _, err := f.Load(ctx, files[start:min(start+buildChunk, len(files))])
		if err != nil {
			return 0, err
		}
		for _, a := range articles {
			for _, p := range a.Paragraphs {
				rows += len(p.Sentences)
			}
		}
		if err := ix.insert(ctx, articles); err != nil {
			return 0, err
		}
	}
	// As verbatim merges its segments after a build, FTS5 merges its
	// b-trees into one ('optimize'): a query then reads one of each.
	if _, err := db.ExecContext(ctx, `INSERT INTO sentences(sentences) VALUES('optimize')`); err != nil {
		return 0, fmt.Errorf("fts5 optimize: %w", err)
	}
	return rows, nil
}

func openFTS5(_ context.Context, dir, _ string, _ *corpus.Corpus) (benchIndex, error) {
	db, err := openFTS5DB(dir)
	if err != nil {
		return nil, err
	}
	ix := &fts5Index{db: db}
	if err := ix.prepare(); err != nil {
		db.Close()
		return nil, err
	}
	// A reopened index is ready when it can answer: read its size.
	if err := db.QueryRow(`SELECT count(*) FROM sentences_docsize`).Scan(&ix.rows); err != nil {
		db.Close()
		return nil, err
	}
	return ix, nil
}

func (ix *fts5Index) prepare() error {
	var err error
	if _, err = ix.db.Exec(`CREATE VIRTUAL TABLE IF NOT EXISTS sentences_vocab USING fts5vocab(sentences, 'row')`); err != nil {
		return err
	}
	if ix.find, err = ix.db.Prepare(`SELECT text FROM sentences WHERE sentences MATCH ? ORDER BY rank LIMIT ?`); err != nil {
		return err
	}
	ix.df, err = ix.db.Prepare(`SELECT doc FROM sentences_vocab WHERE term = ?`)
	return err
}

// insert adds the articles' sentences in transactions of batchDocs rows,
// the size of verbatim's bleve batches.
func (ix *fts5Index) insert(ctx context.Context, articles []*corpus.Article) error {
	tx, err := ix.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { tx.Rollback() }()
	stmt, err := tx.Prepare(`INSERT INTO sentences (text, speaker, article, paragraph, sentence) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	rows := 0
	for _, a := range articles {
		for _, p := range a.Paragraphs {
			for _, s := range p.Sentences {
				if _, err := stmt.Exec(s.Text, s.Speaker, string(s.Article), s.Paragraph, s.Number); err != nil {
					return err
				}
				rows++
			}
		}
		if rows >= batchDocs {
			if err := tx.Commit(); err != nil {
				return err
			}
			if tx, err = ix.db.BeginTx(ctx, nil); err != nil {
				return err
			}
			if stmt, err = tx.Prepare(`INSERT INTO sentences (text, speaker, article, paragraph, sentence) VALUES (?, ?, ?, ?, ?)`); err != nil {
				return err
			}
			rows = 0
		}
	}
	return tx.Commit()
}

// fts5Words are the words of a question, lower-cased, stop words
// dropped, each once.
func fts5Words(question string) []string {
	words := strings.FieldsFunc(strings.ToLower(question), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	var out []string
	for _, w := range words {
		if !isStopWord(w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// query is the FTS5 query of a question: its words, each quoted, joined
// by OR, less the common ones when rarer ones are left; "" when no word
// is left.
func (ix *fts5Index) query(ctx context.Context, question string) (string, error) {
	words := fts5Words(question)
	ix.mu.Lock()
	limit := max(commonMin, int(commonShare*float64(ix.rows)))
	ix.mu.Unlock()
	var rare []string
	for _, w := range words {
		var df int
		err := ix.df.QueryRowContext(ctx, porter.StemString(w)).Scan(&df)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("fts5 document frequency of %q: %w", w, err)
		}
		if df <= limit {
			rare = append(rare, w)
		}
	}
	if len(rare) > 0 {
		words = rare
	}
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	return strings.Join(words, " OR "), nil
}

func (ix *fts5Index) ask(ctx context.Context, question string, top int) ([]string, error) {
	q, err := ix.query(ctx, question)
	if err != nil || q == "" {
		return nil, err
	}
	rows, err := ix.find.QueryContext(ctx, q, min(50, top*10))
	if err != nil {
		return nil, fmt.Errorf("fts5 %q: %w", q, err)
	}
	defer rows.Close()
	var out []string
	seen := map[string]bool{}
	for rows.Next() && len(out) < top {
		var text string
		if err := rows.Scan(&text); err != nil {
			return nil, err
		}
		if key := strings.ToLower(text); !seen[key] {
			seen[key] = true
			out = append(out, text)
		}
	}
	return out, rows.Err()
}

func (ix *fts5Index) add(ctx context.Context, _ *corpus.Corpus, a *corpus.Article) error {
	if err := ix.insert(ctx, []*corpus.Article{a}); err != nil {
		return err
	}
	ix.mu.Lock()
	for _, p := range a.Paragraphs {
		ix.rows += len(p.Sentences)
	}
	ix.mu.Unlock()
	return nil
}

// forget does nothing: the peer keeps nothing between questions but
// SQLite's page cache, which stands for the operating system's.
func (ix *fts5Index) forget() {}

func (ix *fts5Index) evaluate(ctx context.Context, items []QAItem) (Metrics, error) {
	return evaluateTexts(ctx, items, ix.ask)
}

func (ix *fts5Index) Close() error {
	for _, st := range []*sql.Stmt{ix.find, ix.df} {
		if st != nil {
			st.Close()
		}
	}
	return ix.db.Close()
}

// evaluateTexts scores an engine that answers with texts, as EvaluateQA
// scores verbatim: no quotes is a no_answer.
func evaluateTexts(ctx context.Context, items []QAItem, ask func(ctx context.Context, q string, top int) ([]string, error)) (Metrics, error) {
	var t qaTally
	for _, it := range items {
		text, err := CheckQuestion(it.Question)
		if err != nil {
			t.m.Skipped++
			continue
		}
		quotes, err := ask(ctx, text, evalDepth)
		if err != nil {
			return Metrics{}, err
		}
		t.add(it.Expect, len(quotes) == 0, len(quotes), func(i int) string { return quotes[i] })
	}
	return t.metrics(), nil
}
