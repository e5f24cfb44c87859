package retrieval

import (
	"context"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

func jsonArticle(t *testing.T, id, guild, body string) *corpus.Article {
	t.Helper()
	a, err := corpus.Parse(corpus.ArticleID(id), corpus.FormatJSON,
		[]byte(`{"title": "`+id+`", "guild": "`+guild+`", "body": ["`+body+`"]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestGuildScope: a server's own article is answered in that server only;
// an article for every server everywhere; "" (the command line) sees all.
func TestGuildScope(t *testing.T) {
	ctx := context.Background()
	c := corpus.New(
		jsonArticle(t, "global", "", "The harbour bridge opened in 1932 after eight years of work. “It will carry trains,” said Mary Byrne."),
		jsonArticle(t, "mine", "111", "The harbour tunnel opened in 1992 after five years of work. “It is dry,” said Sean Kelly."),
	)
	ix, err := Open(ctx, t.TempDir(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		guild string
		want  map[corpus.ArticleID]bool
	}{
		{"", map[corpus.ArticleID]bool{"global": true, "mine": true}},
		{"111", map[corpus.ArticleID]bool{"global": true, "mine": true}},
		{"222", map[corpus.ArticleID]bool{"global": true}},
		{NoGuild, map[corpus.ArticleID]bool{"global": true}},
	}
	for _, tt := range tests {
		t.Run("guild="+tt.guild, func(t *testing.T) {
			got := map[corpus.ArticleID]bool{}
			a, err := ix.Ask(ctx, Query{Text: "When did the harbour open?", Guild: tt.guild, Top: 5})
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range append(a.Quotes, a.Suggestions...) {
				got[q.Article.ID] = true
			}
			l, err := ix.LookupIn(ctx, "harbour", "", tt.guild, 10)
			if err != nil {
				t.Fatal(err)
			}
			lgot := map[corpus.ArticleID]bool{}
			for _, q := range l.Quotes {
				lgot[q.Article.ID] = true
			}
			// Who the articles quote, and what: of the articles seen.
			speakers := map[corpus.ArticleID]bool{}
			for _, sp := range ix.SpeakersIn(tt.guild) {
				speakers[map[string]corpus.ArticleID{"Mary Byrne": "global", "Sean Kelly": "mine"}[sp.Name]] = true
			}
			quoted := map[corpus.ArticleID]bool{}
			for _, name := range []string{"mary byrne", "Sean Kelly"} {
				for _, s := range ix.QuotesByIn(name, "", tt.guild) {
					quoted[s.Article] = true
				}
			}
			for _, m := range []map[corpus.ArticleID]bool{got, lgot, speakers, quoted} {
				if len(m) != len(tt.want) {
					t.Errorf("articles answered from = %v; want %v", m, tt.want)
				}
				for id := range tt.want {
					if !m[id] {
						t.Errorf("articles answered from = %v; want %v", m, tt.want)
					}
				}
			}
			_, err = ix.Ask(ctx, Query{Text: "When did the tunnel open?", Article: "mine", Guild: tt.guild})
			if wantErr := !tt.want["mine"]; (err != nil) != wantErr {
				t.Errorf("Ask scoped to another server's article: err = %v; want an error %v", err, wantErr)
			}
		})
	}
}
