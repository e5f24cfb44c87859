package retrieval

import (
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

func TestRoleSpan(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		name     string
		question string
		sentence corpus.Sentence
		want     string
	}{
		{"the speaker's role", "Who is Zalmy Khalilzad?",
			corpus.Sentence{Text: "The US ambassador to Iraq, Zalmy Khalilzad, said he met them.", Speaker: "Zalmy Khalilzad", Role: "US ambassador to Iraq"},
			"US ambassador to Iraq"},
		{"a surname alone", "Who was Khalilzad?",
			corpus.Sentence{Text: "The US ambassador to Iraq, Zalmy Khalilzad, said he met them.", Speaker: "Zalmy Khalilzad", Role: "US ambassador to Iraq"},
			"US ambassador to Iraq"},
		{"a role of a title's capitals alone is not trusted", "Who is Karen Doyle?",
			corpus.Sentence{Text: "Chief Fire Officer Karen Doyle said her crews had worked through the night.", Speaker: "Fire Officer Karen Doyle", Role: "Chief"},
			""},
		{"another speaker's role", "Who is Hoshyar Zebari?",
			corpus.Sentence{Text: "The US ambassador to Iraq, Zalmy Khalilzad, said Hoshyar Zebari was right.", Speaker: "Zalmy Khalilzad", Role: "US ambassador to Iraq"},
			""},
		{"a description before the name", "Who is Hoshyar Zebari?",
			corpus.Sentence{Text: "Iraq's foreign minister, Hoshyar Zebari, told reporters there were talks."},
			"Iraq's foreign minister"},
		{"a description after the name, the name without its accent", "Who is Zoe Marchetti?",
			corpus.Sentence{Text: "Zoë Marchetti, the chain's founder, said the sale was good news."},
			"the chain's founder"},
		{"a relative clause after the name", "Who is Ellen Sykes?",
			corpus.Sentence{Text: "Ellen Sykes, who runs the Bridge Street pharmacy, said she had no cash."},
			"who runs the Bridge Street pharmacy"},
		{"a description after a speech verb", "Who is John Smith?",
			corpus.Sentence{Text: "The minister said on Tuesday that his deputy, John Smith, would stand in."},
			"his deputy"},
		{"an agent's description", "Who is Rafael Oduya?",
			corpus.Sentence{Text: "The deal was signed in the capital, Halvik, by Corvasia's trade minister, Rafael Oduya, and others."},
			"Corvasia's trade minister"},
		{"a description after a verb", "Who is Farida Nasser?",
			corpus.Sentence{Text: "He covered the hole and called the county's finds liaison officer, Farida Nasser, who came the next day."},
			"the county's finds liaison officer"},
		{"a phrase of time is no description", "Who is Zoë Marchetti?",
			corpus.Sentence{Text: "On Monday, Zoë Marchetti, 51, said the sale was good news."},
			""},
		{"a phrase of manner is no description", "Who is Marchetti?",
			corpus.Sentence{Text: "Speaking to reporters, Marchetti, who, said little."},
			""},
		{"a relative clause after an age", "Who is Martin Greave?",
			corpus.Sentence{Text: "Professor Martin Greave, 61, who led the tumour biology laboratory, altered images."},
			"who led the tumour biology laboratory"},
		{"where someone is from", "Who is Anaïs Carvell?",
			corpus.Sentence{Text: "Dr Anaïs Carvell, of the local health protection team, said 17 people were ill."},
			"of the local health protection team"},
		{"a place is no description", "Who is Julian Carrow?",
			corpus.Sentence{Text: "Julian Carrow, of Harbour Street, Corran, admitted 14 counts of fraud."},
			""},
		{"an age is no description", "Who is Dilys Carthew?",
			corpus.Sentence{Text: "Dilys Carthew, 74, said the wheel turned."},
			""},
		{"no commas around the name", "Who is Edith Marchbank?",
			corpus.Sentence{Text: "Edith Marchbank started playing again three years ago."},
			""},
		{"the name not in the sentence", "Who is Helen Marsh?",
			corpus.Sentence{Text: "The bank's chief executive, Andrew Kirkby, apologised."},
			""},
		{"not a question of who someone is", "Who is the bank's chief executive?",
			corpus.Sentence{Text: "The bank's chief executive, Andrew Kirkby, apologised."},
			""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := newQuery(an, an.Question(tt.question), AllFeatures, nil)
			sp, ok := roleSpan(q, tt.sentence)
			got := ""
			if ok {
				got = tt.sentence.Text[sp.Start:sp.End]
			}
			if got != tt.want {
				t.Errorf("roleSpan(%q, %q) = %q; want %q", tt.question, tt.sentence.Text, got, tt.want)
			}
		})
	}
}
