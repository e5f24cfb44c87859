package retrieval

import "testing"

func TestCalledSpan(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		name, question, sentence, want string
	}{
		{"called, in double quotation marks", "What did the mayor call the plan?",
			`The mayor called the plan "a waste of money".`, "a waste of money"},
		{"described, in curly marks", "How did the judge describe the firm?",
			"The judge described the firm as “an obstacle to be cleared”, and ruled against it.", "an obstacle to be cleared"},
		{"dubbed, in single marks", "What did fans dub the striker?",
			"Fans quickly dubbed him ‘the Hammer’ after his debut.", "the Hammer"},
		{"the quotation must follow the verb in its clause", "What did the mayor call the plan?",
			`The mayor called the plan wasteful. "We will fight it," she said.`, ""},
		{"no quotation after the verb", "What did the mayor call the plan?",
			"The mayor called for a vote on the plan.", ""},
		{"an apostrophe is no quotation mark", "What did the mayor call the plan?",
			"The mayor called it the council's worst idea.", ""},
		{"a question that asks no name", "What did the mayor say about the plan?",
			`The mayor called the plan "a waste of money".`, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := newQuery(an, an.Question(tt.question), AllFeatures, nil)
			sp, ok := calledSpan(q, tt.sentence)
			got := ""
			if ok {
				got = tt.sentence[sp.Start:sp.End]
			}
			if got != tt.want {
				t.Errorf("calledSpan(%q, %q) = %q; want %q", tt.question, tt.sentence, got, tt.want)
			}
		})
	}
}
