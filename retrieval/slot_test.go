package retrieval

import (
	"context"
	"slices"
	"testing"

	"github.com/verbatim-bot/verbatim/corpus"
)

func TestFillsSlot(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		question, sentence string
		asks, fills        bool
	}{
		// Measures, as the answer words read them.
		{"How old is the caver?", "Gareth Pennock, 34, a surveyor, was exploring a side passage.", true, true},
		// A person's age answers only for that person, where the
		// question names one.
		{"How old is Gareth Pennock?", "Gareth Pennock, 34, a surveyor, was exploring a side passage.", true, true},
		{"How old is Peter Lindqvist?", "Osei, a 41-year-old former nurse, won the seat from Peter Lindqvist.", true, false},
		{"How old is Osei?", "Osei, a 41-year-old former nurse, won the seat from Peter Lindqvist.", true, true},
		{"How old is the new councillor?", "Osei, a 41-year-old former nurse, won the seat.", true, true},
		{"how old is peter lindqvist", "The winner was Ruth Amos, 61, of Hale.", true, false},
		{"How old is Peter Lindqvist?", "Peter Lindqvist was born in 1961.", true, true},
		{"How heavy is the boat?", "The timber, weighing almost two tonnes when wet, was wrapped in sheets.", true, true},
		{"How heavy is the boat?", "The boat was found by a digger driver 14 years ago.", true, false},
		// A length of another dimension is not the one asked for.
		{"How wide is the scarf?", "The scarf is 3.2 miles long.", true, false},
		{"How tall is the tower?", "The tower stands 40 metres high.", true, true},
		{"How deep is the pond?", "The pond is two metres in depth.", true, true},
		{"How deep is the pond?", "The pond is ten metres across.", true, false},
		{"How wide is the scarf?", "The scarf stretches for 3.2 miles.", true, true},
		{"How fast were the gusts?", "Flying stopped when gusts reached 55mph.", true, true},
		{"How many fans went to the final?", "More than 400 fans travelled to the final on six coaches.", true, true},
		// People counted by another name, when the words after "how
		// many" name people and only people, whatever verb follows.
		{"How many kids go there?", "The school has 312 pupils aged four to 11.", true, true},
		{"How many people come to the festival?", "It now draws about 9,000 visitors over two days.", true, true},
		{"How many volunteers toiled on the replica?", "The layout took 23 members six years to build.", true, true},
		{"How many rival ideas did she see off?", "She beat 640 pupils from 38 schools.", true, false},
		{"How many injured walkers were there?", "About 300 people came to watch.", true, false},
		// What a number counts follows it: a stop word or a unit of time
		// ends the reach ("aiming" is used like "targets").
		{"How many targets did she hit?", "She had cooked for thirty years, so aiming came naturally.", true, false},
		{"How many targets did she hit?", "She hit eleven targets with three throws.", true, true},
		// A name with a digit is no count, nor an age a length of time.
		{"How many nations were at the meeting?", "The meeting could include the G8 nations.", true, false},
		{"How long was the boy in hospital?", "The four-year-old boy was taken to hospital.", true, false},
		// How far: a distance.
		{"How far is the new school?", "The children will travel to Steadbeck Primary, nine miles away.", true, true},
		{"How far is the new school?", "The new school has 300 pupils.", true, false},
		// A sum of money, by its sign or its currency.
		{"How much was the landowner fined?", "A landowner has been fined £45,000 by magistrates.", true, true},
		{"How much was the landowner fined?", "He was also told to plant 5 oaks.", true, false},
		{"What did the repairs cost?", "The repairs came to 400 pounds in all.", true, true},
		// A number asked by its money's name is a sum.
		{"What price did the widow pay for the bell?", "She paid £40 to have it recast in 1874.", true, true},
		{"What price did the widow pay for the bell?", "She paid for it to be recast in 1874.", true, false},
		{"What fee do visitors pay?", "Entry is free for children.", true, false},
		// When: a point in time, not a length of it.
		{"When was the boat found?", "Kieran Mossop was clearing silt on 12 May.", true, true},
		{"When was the boat found?", "He had worked there for two years.", true, false},
		{"What day was the pony rescued?", "The pony was pulled free on Sunday evening.", true, true},
		// What time: a time of day.
		{"What time did the fire start?", "The fire broke out at about 2.15am at the plant.", true, true},
		{"At what time was the pony seen?", "A walker saw her at 4 pm by the wall.", true, true},
		{"What time did the fire start?", "The fire broke out on Tuesday at the plant.", true, false},
		{"At what time of the morning did the digger strike it?", "The digger struck it at about 10.40am on 16 June.", true, true},
		{"At what time of the morning did the digger strike it?", "The digger struck it on 16 June.", true, false},
		{"What time of year were the ewes stolen?", "They took the sheep last spring.", true, true},
		// What year, what date, which month: a time of that grain.
		{"What year was the lido built?", "The pool on Weir Lane was built in 1936.", true, true},
		{"In what year did the café begin?", "The café was set up in 2019.", true, true},
		{"In what year did the café begin?", "It has met in the same hut since last year.", true, false},
		{"What year was the lido built?", "The lido will open on 24 May.", true, false},
		{"What year was the lido built?", "Volunteers meet on the first Saturday of every month.", true, false},
		{"What time of year were the ewes stolen?", "The brothers were jailed in 2023.", true, false},
		{"On what date did the tortoise escape?", "He is believed to have escaped on 14 April.", true, true},
		{"What day was the petition delivered?", "The petition was handed in on Tuesday.", true, true},
		{"On what date did the tortoise escape?", "He was given to her in 1979.", true, false},
		{"On what date did the tortoise escape?", "He was last seen on Tuesday.", true, false},
		{"What day was the petition delivered?", "The petition was handed in on 4 May.", true, true},
		{"Which month did the fair open?", "The fair opened in June.", true, true},
		{"Which month did the fair open?", "The fair opened in 2019.", true, false},
		{"When was the lido built?", "The pool was built in 1936.", true, true},
		{"When did the queue start?", "Queues began forming at 5.45am.", true, true},
		{"What year did the queue start?", "Queues began forming at 5.45am.", true, false},
		// Which road: a street's name.
		{"Which road is the lido on?", "The 50-metre pool on Weir Lane was built in 1936.", true, true},
		{"Which road is the lido on?", "The pool was built in 1936 by the council.", true, false},
		// "Where" asks for a street too: local news says where by one.
		{"Where is the creamery?", "The firm, based on Lobb Street, pleaded guilty.", true, true},
		{"Where is the creamery?", "The creamery was fined on Monday.", true, false},
		// What money pays for is said beside the sum (the answer
		// words take the thing).
		{"What will the turbine's earnings pay for?", "The £60,000 a year will pay for loft insulation.", true, true},
		// "Why" asks for a clause of reason.
		{"Why was the scarecrow moved?", "It was taken away because drivers kept stopping.", true, true},
		{"Why was the scarecrow moved?", "The match was called off due to rain.", true, true},
		{"Why was the scarecrow moved?", "It was moved on Tuesday.", true, false},
		{"Why was the scarecrow moved?", "Due east of the village stands a mill.", true, false},
		// "Named after" asks for the words a namesake's marker puts
		// after it.
		{"Who is the hall named after?", "It meets in a room named after Hedda Winterbottom.", true, true},
		{"What is Weir Lane named after?", "The lane was built in memory of the miller.", true, true},
		{"Who is the hall named after?", "The band plays at the town hall after dark.", true, false},
		{"Who is the hall named after?", "Hedda Winterbottom founded the band.", true, false},
		// "Which woman" asks for a namesake too, not a person with an
		// age; "christened" and "dubbed" name as "named" does.
		{"Which woman is the hall named after?", "It meets in a room named after Hedda Winterbottom.", true, true},
		{"Which woman is the hall named after?", "Hedda Winterbottom, 61, founded the band.", true, false},
		{"Who is the hall named after?", "It was christened the Winterbottom Room after Hedda Winterbottom.", true, true},
		// "Who" asks for a person, as news introduces one: by name and
		// age, not the question's own.
		{"Who found the boat?", "It was spotted by digger driver Kieran Mossop, 29, on Friday.", true, true},
		{"Who found the boat?", "Kieran Mossop was clearing silt on 12 May.", true, false},
		{"Who found Kieran Mossop's boat?", "Kieran Mossop, 29, was clearing silt.", true, false},
		{"Who found the boat?", "The boat was found on Saturday 14 March.", true, false},
		// Or by an "N-year-old" before the name or in an apposition
		// after it.
		{"Who grew the biggest apple?", "The apple was grown by 11-year-old Isla McCrae, who entered it.", true, true},
		{"Who top-scored for the club?", "Opening batsman Ellis Reddish, a 19-year-old apprentice, top-scored with 74.", true, true},
		{"Who grew the biggest apple?", "The 11-year-old tree gave 40 apples.", true, false},
		{"What did Isla McCrae grow?", "It was grown by 11-year-old Isla McCrae.", false, false},
		{"Who helped Isla McCrae?", "It was grown by 11-year-old Isla McCrae.", true, false},
		// Other questions ask for no such slot.
		{"What did Kieran Mossop find?", "Kieran Mossop, 29, was clearing silt.", false, false},
		{"Did the boat survive?", "It cost £45,000.", false, false},
	} {
		q := newQuery(an, an.Question(tt.question), AllFeatures, nil)
		if asks := q.slot != slotNone; asks != tt.asks {
			t.Errorf("%q: asks for a slot %v; want %v", tt.question, asks, tt.asks)
		}
		if q.slot == slotNone {
			continue
		}
		if got := q.fillsSlot(an.prepare(tt.sentence)); got != tt.fills {
			t.Errorf("%q / %q: fills the slot %v; want %v", tt.question, tt.sentence, got, tt.fills)
		}
	}
}

// TestSlotSentencesJoinCandidates checks that a sentence that shares no
// word with a question but holds what it asks for (FeatureSlot), in the
// story the question's words find, is quoted, and is not found without
// the feature; and that a sentence of another story that holds such a
// thing is not: a measure for "how far", a person introduced by name and
// age for "who", a namesake for what a thing honours.
func TestSlotSentencesJoinCandidates(t *testing.T) {
	school := corpus.New(
		article(t, "school", "Title: Village school closes\n\n"+
			"Ravensgill Primary School closed on Friday after 151 years.\n"+
			"From September the children will travel by minibus to Steadbeck, nine miles away.\n"+
			"Parents said the school had been the heart of the village."),
		article(t, "race", "Title: Fell race\n\n"+
			"Runners covered 26 miles over the fells above Hollin.\n"+
			"The winner finished in under four hours."),
	)
	band := corpus.New(
		article(t, "band", "Title: Marsby band wins contest\n\n"+
			"Marsby Silver Band won the regional brass championship on Saturday.\n"+
			"The band was conducted by Olwen Tresize, 52, a music teacher.\n"+
			"Rehearsals take place in a room named after Gideon Fairclough.\n"+
			"Supporters cheered from the balcony."),
		article(t, "bakery", "Title: Bakery turns 100\n\n"+
			"Pybus's Bakery in Cragholme handed out free buns.\n"+
			"Mayor Ivor Bulmer, 60, unveiled a plaque above the door."),
	)
	for _, tt := range []struct {
		c                      *corpus.Corpus
		question, right, other string
		// without are the features without which the sentence is not
		// found: the slot, and the words used alike or related that
		// would find it too ("kids" for "children").
		without Feature
	}{
		{school, "how far is the new school for the ravensgill kids",
			"From September the children will travel by minibus to Steadbeck, nine miles away.",
			"Runners covered 26 miles over the fells above Hollin.", FeatureSlot | FeatureSimilar},
		{band, "who leads the marsby musicians",
			"The band was conducted by Olwen Tresize, 52, a music teacher.",
			"Mayor Ivor Bulmer, 60, unveiled a plaque above the door.", FeatureSlot | FeatureSimilar | FeatureRelated},
		{band, "who does the marsby hall honour",
			"Rehearsals take place in a room named after Gideon Fairclough.",
			"Mayor Ivor Bulmer, 60, unveiled a plaque above the door.", FeatureSlot | FeatureSimilar | FeatureRelated},
	} {
		for _, f := range []struct {
			name     string
			features Feature
			quoted   bool
		}{
			{"with the slot", AllFeatures, true},
			{"without it", AllFeatures &^ tt.without, false},
		} {
			t.Run(tt.question+"/"+f.name, func(t *testing.T) {
				texts := askTexts(t, memIndex(t, tt.c, Options{Features: f.features}), tt.question, 5)
				if got := slices.Contains(texts, tt.right); got != f.quoted {
					t.Errorf("quoted %q: %v; want %v (quotes %q)", tt.right, got, f.quoted, texts)
				}
				if slices.Contains(texts, tt.other) {
					t.Errorf("another story's sentence quoted: %q", texts)
				}
			})
		}
	}
}

// askTexts asks ix question for top quotes and returns the texts of its
// quotes and near misses, best first.
func askTexts(t *testing.T, ix *Index, question string, top int) []string {
	t.Helper()
	a, err := ix.Ask(context.Background(), Query{Text: question, Top: top})
	if err != nil {
		t.Fatal(err)
	}
	return quoteTexts(append(a.Quotes, a.Suggestions...))
}

// TestMoneyVerbTermsAreTerms holds moneyVerbTerms, written as stems, to
// the terms the analyzer makes of the verbs' words, so that a change of
// the stemmer cannot leave a verb unbridged unseen.
func TestMoneyVerbTermsAreTerms(t *testing.T) {
	an := newAnalyzer(t)
	var got []string
	for _, w := range []string{"raise", "make", "made", "bring", "brought", "generate", "collect", "earn", "net", "take", "took", "taken", "gather", "fetch", "rake"} {
		ts := an.Terms(w)
		if len(ts) != 1 {
			t.Fatalf("Terms(%q) = %q; want one term", w, ts)
		}
		got = append(got, ts[0])
	}
	if !slices.Equal(got, moneyVerbTerms) {
		t.Errorf("the money verbs' terms are %q; moneyVerbTerms holds %q", got, moneyVerbTerms)
	}
}

// wantFirst checks that ix quotes right first for question.
func wantFirst(t *testing.T, ix *Index, question, right string) {
	t.Helper()
	if texts := askTexts(t, ix, question, 3); len(texts) == 0 || texts[0] != right {
		t.Errorf("%q: quotes %q; want %q first", question, texts, right)
	}
}

// quoteTexts returns the texts of qs, in order.
func quoteTexts(qs []Quote) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Text
	}
	return out
}

// TestClockWordsAskNothing checks that the words that ask for a time of
// day are no terms of the question: a sentence that gives the time seldom
// says them ("at about 7.15am"), and a day's other words stay.
func TestClockWordsAskNothing(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		question string
		want     []string
	}{
		{"What time did the fire start?", []string{"fire", "start"}},
		{"What time of the morning did the fire start?", []string{"fire", "start"}},
		{"What time of day did the fire start on the first day?", []string{"fire", "start", "first", "dai"}},
		{"What time of year did the fire start?", []string{"time", "year", "fire", "start"}},
	} {
		q := newQuery(an, an.Question(tt.question), AllFeatures, nil)
		if !slices.Equal(q.terms, tt.want) {
			t.Errorf("%q: terms %v; want %v", tt.question, q.terms, tt.want)
		}
	}
}

// TestSlotEvidence checks which slots the decision reads (slot_q and
// slot): not a person for "who", a reason for "why" or a street for a
// bare "where", which help find the sentence that answers but say little
// of whether it does (a town answers "where" as well as a street).
func TestSlotEvidence(t *testing.T) {
	an := newAnalyzer(t)
	asked, filled := slices.Index(confFeatureNames, "slot_q"), slices.Index(confFeatureNames, "slot")
	for _, tt := range []struct {
		question, sentence string
		want               float64
	}{
		{"Which road is the creamery on?", "The firm, based on Lobb Street, pleaded guilty.", 1},
		{"How far is the new school?", "The children will travel to Steadbeck Primary, nine miles away.", 1},
		{"Where is the creamery?", "The firm, based on Lobb Street, pleaded guilty.", 0},
		{"Who found the boat?", "It was spotted by digger driver Kieran Mossop, 29, on Friday.", 0},
		{"Why was the scarecrow moved?", "It was taken away because drivers kept stopping.", 0},
	} {
		q := newQuery(an, an.Question(tt.question), AllFeatures, nil)
		d := an.prepare(tt.sentence)
		x := confEvidence(q, scored{}, &d, nil)
		if x[asked] != tt.want || x[filled] != tt.want {
			t.Errorf("%q / %q: slot_q %v, slot %v; want %v", tt.question, tt.sentence, x[asked], x[filled], tt.want)
		}
	}
}

// TestSlotStoryByName checks that the story a slot is looked for in is
// the one the question names (a town typed in lower case), though a
// sentence of another story holds more of its other words and so is
// found first; that without the names (slotStory with none) it is that
// other story; and that the named story's sentence that gives the time,
// which shares no word with the question, is quoted (before, only the
// other story's sentences that give a time joined the candidates).
func TestSlotStoryByName(t *testing.T) {
	ctx := context.Background()
	c := corpus.New(
		article(t, "pool", "Title: Trust saves Threlby baths\n\n"+
			"A trust has agreed to run the Threlby baths for 25 years.\n"+
			"The pool will reopen on Saturday 4 April after repairs to its roof."),
		article(t, "creamery", "Title: Creamery fined over river waste\n\n"+
			"Swimmers were told to stay out of the water on Monday 26 January after waste reached the river.\n"+
			"The firm was fined £85,000."),
	)
	const question = "when can threlby swimmers get back in the water"
	ix := memIndex(t, c, Options{})
	qy := newQuery(ix.an, ix.an.Question(question), ix.features, ix.wt)
	st, err := ix.stats(append(slices.Clip(qy.terms), qy.bridgeTerms()...))
	if err != nil {
		t.Fatal(err)
	}
	qy.setStats(st)
	if qy.slot != slotWhen {
		t.Fatalf("slot %v; want slotWhen", qy.slot)
	}
	rd, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	fs, err := findSentences(ctx, rd, qy.groups(), st, "", candidateLimit)
	if err != nil {
		t.Fatal(err)
	}
	recs := records{bi: ix.bi}
	recs.useReader(rd)
	for _, tt := range []struct {
		name  string
		names []float64
		want  corpus.ArticleID
	}{
		{"by the question's names", qy.nameWeights(), "pool"},
		{"by the best sentence found", nil, "creamery"},
	} {
		if got, ok := slotStory(&recs, fs, tt.names); !ok || got != tt.want {
			t.Errorf("%s: story %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
	right := "The pool will reopen on Saturday 4 April after repairs to its roof."
	if texts := askTexts(t, ix, question, 3); !slices.Contains(texts, right) {
		t.Errorf("quotes %q; want %q among them", texts, right)
	}
}

// TestMoneyVerbs checks that a sum asked for by one verb it is got by is
// found said with another: "how much did the run bring in" is answered
// by what the run raised, not by what entry cost.
func TestMoneyVerbs(t *testing.T) {
	c := corpus.New(article(t, "tractors", "Title: Gorseby tractor run\n\n"+
		"More than 90 vintage tractors took part in the Gorseby run on Sunday.\n"+
		"Entry to the run cost £5 a tractor.\n"+
		"Organisers said the event raised £14,600 for the air ambulance."))
	ix := memIndex(t, c, Options{})
	right := "Organisers said the event raised £14,600 for the air ambulance."
	for _, question := range []string{
		"how much money did the gorseby run bring in",
		"how much money did the gorseby run make",
		"how much did the gorseby run generate",
	} {
		wantFirst(t, ix, question, right)
	}
}
