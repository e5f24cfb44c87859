package retrieval

import (
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestAgeGroupMatchesAge checks that a word for a person of an age group
// matches a named person of that age, given as news gives it, and no
// other number: not a person of another age, a date, a count.
func TestAgeGroupMatchesAge(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		word, sentence string
		match          bool
	}{
		{"teenager", "Second was sixth-former Aurelio Stubbington, 16, of Hale.", true},
		{"teenagers", "Second was sixth-former Aurelio Stubbington, 16, of Hale.", true},
		{"octogenarian", "The champion was retired signalman Mordecai Glossop, 80, of Hale.", true},
		{"pensioner", "The winner, aged 71, has played since 1962.", true},
		{"youngster", "The apple was grown by 11-year-old Isla McCrae, who entered it.", true},
		{"teenager", "Opening batsman Ellis Reddish, a 19-year-old apprentice, top-scored.", true},
		{"youngster", "The 11-year-old tree gave 40 apples.", false},
		{"octogenarian", "Second was sixth-former Aurelio Stubbington, 16, of Hale.", false},
		{"teenager", "The show was held on Saturday 17 October.", false},
		{"youngster", "The club has 16 members and 3 boats.", false},
		{"captain", "Second was sixth-former Aurelio Stubbington, 16, of Hale.", false},
	} {
		r, _, ok := ageGroupOf(tt.word)
		var got bool
		if ok {
			d := an.prepare(tt.sentence)
			_, got = personAged(&d, r)
		}
		if got != tt.match {
			t.Errorf("%q in %q: match %v; want %v", tt.word, tt.sentence, got, tt.match)
		}
	}
}

// TestAgeGroupAnswersWhich checks that "which teenager", "which
// octogenarian" ask for a person, and that the person of that age is
// quoted first, though another sentence of the story names a person of
// another age with more of the question's words.
func TestAgeGroupAnswersWhich(t *testing.T) {
	an := newAnalyzer(t)
	for _, w := range []string{"teenager", "octogenarian", "pensioners"} {
		if q := an.Question("which " + w + " won the final"); q.Type != AnswerPerson {
			t.Errorf("which %s: answer type %v; want a person", w, q.Type)
		}
	}
	c := corpus.New(article(t, "marbles", "Title: Hale marbles championship\n\n"+
		"Forty players took part in the Hale marbles championship on Saturday.\n"+
		"The final was won by retired watchmaker Gisella Wagstaff, 82, in under an hour.\n"+
		"Second in the final was sixth-former Aurelio Stubbington, 16.\n"+
		"Referee Ivor Bulmer, 58, said the final was the closest he had seen."))
	ix := memIndex(t, c, Options{})
	for question, right := range map[string]string{
		"which teenager came second":         "Second in the final was sixth-former Aurelio Stubbington, 16.",
		"which octogenarian took the title":  "The final was won by retired watchmaker Gisella Wagstaff, 82, in under an hour.",
		"which teenager played in the final": "Second in the final was sixth-former Aurelio Stubbington, 16.",
	} {
		wantFirst(t, ix, question, right)
	}
}
