package retrieval

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// GoldAnswers maps a question to the words of its answer sentence that
// fill the slot it asks for, chosen by the hand that wrote it ("" when it
// asks for no slot): the judge of the answer words (Quote.Answer).
type GoldAnswers map[string]string

// ReadGoldAnswers reads gold answers in JSON Lines, one {"question": ...,
// "answer": ...} a line; blank lines are ignored.
func ReadGoldAnswers(r io.Reader) (GoldAnswers, error) {
	out := GoldAnswers{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var g struct {
			Question *string `json:"question"`
			Answer   *string `json:"answer"`
		}
		if err := json.Unmarshal([]byte(line), &g); err != nil || g.Question == nil || g.Answer == nil {
			return nil, fmt.Errorf("line %d: not {\"question\": ..., \"answer\": ...}", n)
		}
		out[*g.Question] = *g.Answer
	}
	return out, sc.Err()
}

// AnswerWordsTally counts how the answer words of first quotes agree
// with gold answers, over the answerable questions that have a gold
// answer of some words and whose first quote or near miss is a right
// sentence (the words of a wrong sentence answer nothing).
type AnswerWordsTally struct {
	Questions int `json:"questions"` // answerable, with gold words
	Right     int `json:"right"`     // of those, with a right first sentence
	Exact     int `json:"exact"`     // the answer words are the gold words
	Overlap   int `json:"overlap"`   // one holds the other
	None      int `json:"none"`      // no answer words
	Other     int `json:"other"`     // other words of the sentence
}

// ScoreAnswerWords asks each answerable question of items that gold
// has words for and tallies its first quote's answer words (a near
// miss's when it is declined) against them. A preposition the gold words
// begin with ("on 7 November", "at 1.40am") is left out: the answer
// words never take one.
func (ix *Index) ScoreAnswerWords(ctx context.Context, items []QAItem, gold GoldAnswers) (AnswerWordsTally, error) {
	var t AnswerWordsTally
	for _, it := range items {
		want := gold[it.Question]
		if len(it.Expect) == 0 || want == "" {
			continue
		}
		t.Questions++
		a, err := ix.Ask(ctx, Query{Text: it.Question, Top: 1})
		if err != nil {
			return t, fmt.Errorf("%q: %w", it.Question, err)
		}
		qs := append(a.Quotes, a.Suggestions...)
		if len(qs) == 0 || !containsAny(qs[0].Text, it.Expect) {
			continue
		}
		t.Right++
		want = withoutPreposition(want)
		switch got := qs[0].Answer; {
		case got == want:
			t.Exact++
		case got == "":
			t.None++
		case strings.Contains(got, want) || strings.Contains(want, got):
			t.Overlap++
		default:
			t.Other++
		}
	}
	return t, nil
}

// withoutPreposition returns words without the preposition of time or
// place they begin with, if any and if more follows.
func withoutPreposition(words string) string {
	first, rest, ok := strings.Cut(words, " ")
	if ok && rest != "" && leadingPrepositions[strings.ToLower(first)] {
		return rest
	}
	return words
}

// leadingPrepositions begin a time or a place: "on 7 November", "at
// 1.40am", "in Lowfield", "by next autumn".
var leadingPrepositions = wordSet("on", "at", "in", "by", "from", "since", "until", "during", "near")
