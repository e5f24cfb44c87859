package retrieval

import (
	"context"
	"strings"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

// TestMeasured pins which numbers are of the measure a question asks
// for.
func TestMeasured(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		question, sentence string
		want               bool
	}{
		{"How many homes were flooded?", "About 400 homes were flooded on Friday.", true},
		{"How many homes were flooded?", "About 400 new homes were flooded on Friday.", true},
		{"How many homes were flooded?", "More than 600 people were moved out of their homes.", false},
		{"How many measles cases were there?", "There were 12 measles cases in May.", true},
		{"How many measles cases were there?", "Only 81% of children had the vaccine.", false},
		// A bridge of the counted word counts: "house" for "homes".
		{"How many homes were flooded?", "Water reached 30 houses.", true},
		// A year counts nothing, even before the thing counted.
		{"How many homes were flooded?", "In 2019 homes on the estate were flooded.", false},
		{"How many homes were flooded?", "In 2019 40 homes on the estate were flooded.", true},
		// Heat, speed and weight have their units.
		{"How hot does a jet engine get?", "Jet engines made air travel cheap after the 1950s.", false},
		{"How hot does a jet engine get?", "Its turbine runs at 1,500°C.", true},
		{"How hot does a jet engine get?", "It burns at more than 2,000 degrees.", true},
		// A unit written onto its number.
		{"How warm was the fridge?", "The fridge had been running at 11C, above the limit.", true},
		{"How tall is the tower?", "The tower rises 300m above the bay.", true},
		{"How heavy is a blue whale?", "A blue whale can weigh 150t.", false},
		{"How fast can a cheetah run?", "A cheetah reaches 110km/h in short bursts.", true},
		{"How fast can a cheetah run?", "A cheetah can run 100 metres in under six seconds.", true},
		{"How fast can a cheetah run?", "A cheetah reaches 110 km/h in short bursts.", true},
		{"How fast can a cheetah run?", "Some 7,000 cheetahs are left in the wild.", false},
		{"How heavy is a blue whale?", "A blue whale can weigh 150 tonnes.", true},
		{"How heavy is a blue whale?", "A blue whale can be 30 metres long.", false},
		// News gives an age after the name: "Graham Tolland, 54, said".
		{"How old is Graham Tolland?", "Graham Tolland, 54, said it was a sad day.", true},
		{"How old is Graham Tolland?", "Graham Tolland said 54 people had lost their jobs.", false},
		// A date is an age where it dates a beginning: a birth, not a
		// purchase.
		{"How old is Graham Tolland?", "Graham Tolland, who was born in 1954, said it was a sad day.", true},
		{"How old is Graham Tolland?", "Graham Tolland bought the house in 2019 for 215,000 pounds.", false},
		{"How old is Graham Tolland?", "Tolland, aged 54, said it was a sad day.", true},
		{"How old is the man?", "An 81-year-old man was taken to hospital.", true},
		{"How long does the crossing take?", "The crossing takes 40 minutes.", true},
		{"How long does the crossing take?", "The crossing costs 640,000 a year.", false},
		{"How long does the crossing take?", "The crossing costs 640,000 pounds.", false},
		{"How tall is the tower?", "The tower rises 300 metres above the bay.", true},
		{"How tall is the tower?", "The tower has 300 rooms.", false},
		// A thing's age is often the date it is counted from.
		{"How old is the brooch?", "The brooch dates from around the year 700.", true},
		{"How old is the bridge?", "The bridge was built in 1890.", true},
		{"How old is the fiddle?", "The fiddle was made in Cremona in 1721.", true},
		{"How old is the bridge?", "The bridge was closed for repairs in 2019.", false},
		// "What age" asks how old; the noun after "how much" may name
		// the measure: weight, time.
		{"What age is the brooch?", "The brooch dates from around the year 700.", true},
		{"What age is Graham Tolland?", "Graham Tolland said 54 people had lost their jobs.", false},
		{"At what age did Graham Tolland retire?", "Graham Tolland retired in 2019, aged 61.", true},
		{"At what age did Graham Tolland retire?", "Graham Tolland said 54 people had lost their jobs.", false},
		{"How much weight did the tortoise lose?", "The tortoise lost about 200 grams.", true},
		{"How much weight did the tortoise lose?", "The tortoise, 60, was found by Mr Lyle, 69.", false},
		{"How much time did the clean-up take?", "The clean-up took four workers two days.", true},
		{"How much time did the clean-up take?", "The clean-up filled nine skips.", false},
		{"What did the swan weigh?", "The swan, weighing nearly 11 kilograms, was freed.", true},
		{"What did the swan weigh?", "The swan, aged 9, was freed by 4 volunteers.", false},
		{"How chilly was the water?", "The water was at 6C.", true},
		// "How far" as often asks how far over or behind: no measure.
		{"How far over budget did the scheme go?", "The bill was 65 million more than planned.", true},
		// Other number questions ask for no particular measure.
		{"How much did it cost?", "It cost 640,000 pounds.", true},
		// A count of those who did something names no thing counted:
		// any count may be theirs.
		{"How many came to watch?", "Several thousand people watched from the hills.", true},
		{"How many worked there?", "At its peak it employed 1,100 people.", true},
		{"How many voted against it?", "The council turned the plan down, 31 to 14.", true},
		// A past form WordNet holds as a word of its own is a kind of the
		// people counted.
		{"How many injured people were taken to hospital?", "Some 40 passengers were taken to hospital.", false},
		{"How many injured people were taken to hospital?", "Some 40 injured people were taken to hospital.", true},
		// People are counted by any name of people, unless the count is
		// qualified (above); a year counts nothing.
		{"How many helpers did the work?", "About 300 volunteers did most of the work.", true},
		{"How many people were evacuated from the shop?", "About 200 shoppers and staff were led out.", true},
		{"How many people were evacuated from the shop?", "About 200 of them were led out.", false},
		{"How many people were evacuated from the shop?", "The shop, opened in 1990, was evacuated.", false},
		{"How many people were evacuated from the shop?", "In 2019 shoppers voted to close the shop.", false},
		{"How many people were evacuated from the shop?", "Staff led out 200 shoppers.", true},
		{"How many workers were evacuated?", "Some 23 staff on the night shift were evacuated.", true},
		{"How many workers were evacuated?", "Some 23 cars were evacuated.", false},
		{"How many cars were moved?", "Some 23 staff were moved.", false},
	} {
		// The lexicon that tells nouns of people is the count's own, not
		// the one FeatureQualifiers lends the query.
		for _, f := range []Feature{AllFeatures, AllFeatures &^ FeatureQualifiers} {
			q := newQuery(an, an.Question(tt.question), f, nil)
			got := q.measure == measureNone || q.measured(an.prepare(tt.sentence))
			if got != tt.want {
				t.Errorf("%q / %q (%v): measured %v; want %v", tt.question, tt.sentence, f, got, tt.want)
			}
		}
	}
}

// TestUnmeasuredDeclined checks that a number question is answered when
// the articles give the measure it asks for, and that a sentence without
// it, such as a count of something else, loses most of its confidence
// through FeatureMeasures: declined, where the case says so. The model is
// learned (go run ./internal/fit), so the count's case asks only for the
// evidence: since the ranking weighs the measure too (FeatureSlot), the
// fit leans on it less, and "600 people ... homes" falls from about 0.9
// to about the threshold, not always below it.
func TestUnmeasuredDeclined(t *testing.T) {
	for _, tt := range []struct {
		name, q, right, wrong, want string
		declined                    bool // the sentence without the measure is declined
	}{
		{"count", "How many homes were flooded in Tenbury?",
			"About 400 homes in Tenbury were flooded overnight.",
			"More than 600 people were moved out of their homes in Tenbury overnight.", "400 homes", false},
		// Every word of the question is in the sentence; only the age is
		// not.
		{"age", "How old is Judge Ruth Amos?",
			"Judge Ruth Amos, 61, told the court the fraud had been planned for years.",
			"Judge Ruth Amos told the court the fraud had been planned for years.", "61", true},
		// A date says how old only where it dates a beginning.
		{"age by a date", "How old is Judge Ruth Amos?",
			"Judge Ruth Amos, who was born in 1961, told the court the fraud had been planned for years.",
			"Judge Ruth Amos, who bought the court building in 2019, told the court the fraud had been planned for years.", "1961", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			story := func(s string) *corpus.Corpus {
				return corpus.New(article(t, "a", "Title: Flood\n\n"+s+"\n"+
					"The river rose to its highest level since records began.\n"+
					"Volunteers filled sandbags through the night."))
			}
			ask := func(t *testing.T, c *corpus.Corpus, f Feature) *Answer {
				t.Helper()
				a, err := memIndex(t, c, Options{Features: f}).Ask(context.Background(), Query{Text: tt.q})
				if err != nil {
					t.Fatal(err)
				}
				return a
			}
			if a := ask(t, story(tt.right), AllFeatures); a.NoAnswer || !strings.Contains(first(a.Quotes), tt.want) {
				t.Errorf("with the measure: no answer %v, first %q; want the sentence with %q", a.NoAnswer, first(a.Quotes), tt.want)
			}
			with, without := ask(t, story(tt.wrong), AllFeatures), ask(t, story(tt.wrong), AllFeatures&^FeatureMeasures)
			if tt.declined && !with.NoAnswer {
				t.Errorf("without the measure: answered %q (confidence %.3f); want no answer", first(with.Quotes), with.Confidence)
			}
			if without.NoAnswer || with.Confidence > without.Confidence/2 {
				t.Errorf("without the measure: confidence %.3f, and %.3f (no answer %v) without FeatureMeasures; want it answered there, at more than twice the confidence",
					with.Confidence, without.Confidence, without.NoAnswer)
			}
		})
	}
}

// TestPeopleCountedByAnotherName checks that a count of people by
// another name answers "how many" of people ("About 300 volunteers" for
// "how many helpers"), where without FeatureMeasures a sentence that
// only says the question's words comes first.
func TestPeopleCountedByAnotherName(t *testing.T) {
	c := corpus.New(article(t, "lido", "Title: Lido reopens after 14 years\n\n"+
		"The Fernley lido reopened on Saturday after 14 years.\n"+
		"About 300 volunteers did most of the work on the lido, scraping paint from the pool.\n"+
		"The mayor thanked the helpers who worked on the lido.\n"+
		"Tickets cost £4 and go on sale at the library.\n"))
	const q = "How many helpers worked on the lido?"
	const want = "About 300 volunteers did most of the work on the lido, scraping paint from the pool."
	if got := askTexts(t, memIndex(t, c, Options{Features: AllFeatures}), q, 3); len(got) == 0 || got[0] != want {
		t.Errorf("with FeatureMeasures: first %q; want %q", got, want)
	}
	if got := askTexts(t, memIndex(t, c, Options{Features: AllFeatures &^ FeatureMeasures}), q, 3); len(got) > 0 && got[0] == want {
		t.Errorf("without FeatureMeasures: first %q; want the mayor's sentence first", got[0])
	}
}
