package corpus

import (
	"unsafe"

	"slices"
	"strings"
	"testing"
)

// splitTests are news-copy cases for SplitSentences. Each input is one
// paragraph; want is the sentences it must give.
var splitTests = []struct {
	name string
	in   string
	want []string
}{
	{"empty", "", nil},
	{"spaces only", " \t\n\u00a0 ", nil},
	{"one sentence", "Talks resume on Monday.", []string{"Talks resume on Monday."}},
	{"no final stop", "Talks resume on Monday", []string{"Talks resume on Monday"}},
	{"white space folded", "  Talks\tresume\n on\u00a0Monday.  They end Friday. ",
		[]string{"Talks resume on Monday.", "They end Friday."}},

	// Abbreviations.
	{"U.S. mid-sentence", "He met the U.S. ambassador on Friday.", []string{"He met the U.S. ambassador on Friday."}},
	{"U.S. before lower case", "The U.S. Army said it would act. Officials agreed.",
		[]string{"The U.S. Army said it would act.", "Officials agreed."}},
	{"U.S. and U.K.", "The U.S. and Iran met. The U.K. did not.", []string{"The U.S. and Iran met.", "The U.K. did not."}},
	{"U.N. Security Council", "He told the U.N. Security Council. Then he left.",
		[]string{"He told the U.N. Security Council.", "Then he left."}},
	{"U.S.-led", "The U.S.-led force, e.g. the Marines, left. She has a Ph.D. in law.",
		[]string{"The U.S.-led force, e.g. the Marines, left.", "She has a Ph.D. in law."}},
	{"titles", "Mr. Smith went to Washington. Mrs. Jones stayed home. Dr. Who arrived.",
		[]string{"Mr. Smith went to Washington.", "Mrs. Jones stayed home.", "Dr. Who arrived."}},
	{"ranks and offices", "Gen. Petraeus spoke. Sen. Clinton and Gov. Schwarzenegger listened.",
		[]string{"Gen. Petraeus spoke.", "Sen. Clinton and Gov. Schwarzenegger listened."}},
	{"stacked ranks", "Lt. Col. John Smith led. Capt. Jones followed.",
		[]string{"Lt. Col. John Smith led.", "Capt. Jones followed."}},
	{"months", "It happened on Jan. 5 and Feb. 6. Then Sept. 11 changed everything.",
		[]string{"It happened on Jan. 5 and Feb. 6.", "Then Sept. 11 changed everything."}},
	{"month and year", "They met on Sept. 11, 2001. It was a Tuesday.",
		[]string{"They met on Sept. 11, 2001.", "It was a Tuesday."}},
	{"day ends sentence", "He left Dec. 24. He returned Jan. 2.", []string{"He left Dec. 24.", "He returned Jan. 2."}},
	{"companies", "Apple Inc. reported results. Microsoft Corp. followed.",
		[]string{"Apple Inc. reported results.", "Microsoft Corp. followed."}},
	{"company ends sentence", "He works for Acme Inc. The company makes bolts.",
		[]string{"He works for Acme Inc.", "The company makes bolts."}},
	{"Co. Ltd.", "The firm, Smith & Co. Ltd., said so. It closed.",
		[]string{"The firm, Smith & Co. Ltd., said so.", "It closed."}},
	{"St.", "The St. Louis team won. St. Patrick's Day came.",
		[]string{"The St. Louis team won.", "St. Patrick's Day came."}},
	{"No. 5", "He lives at No. 5 Downing Street. It is old.",
		[]string{"He lives at No. 5 Downing Street.", "It is old."}},
	{"No. 1 and No one", "It was the No. 1 seller. No one knew why.",
		[]string{"It was the No. 1 seller.", "No one knew why."}},
	{"no ends sentence", "He said no. Then he left.", []string{"He said no.", "Then he left."}},
	{"No ends sentence", "Her answer was No. The talks ended.", []string{"Her answer was No.", "The talks ended."}},
	{"titles before common words", "Dr. Strange said so. Gen. Miles agreed. Mrs. Rich left.",
		[]string{"Dr. Strange said so.", "Gen. Miles agreed.", "Mrs. Rich left."}},
	{"St. as a street", "He lives on Main St. The house is old.", []string{"He lives on Main St.", "The house is old."}},
	{"MS is not Ms.", "She was tested for MS. Folded proteins were found.", []string{"She was tested for MS.", "Folded proteins were found."}},
	{"title after a quote", `"Mr. Brown is here," he said. (Dr. Fox agreed.) Then he left.`,
		[]string{`"Mr. Brown is here," he said.`, "(Dr. Fox agreed.)", "Then he left."}},
	{"U.S. before a capitalised noun", "He met the U.S. Ambassador to China. U.S. Forces Command agreed.",
		[]string{"He met the U.S. Ambassador to China.", "U.S. Forces Command agreed."}},
	{"Vol. p. Fig.", "Vol. 3, p. 45 says it. Fig. 2 shows it.",
		[]string{"Vol. 3, p. 45 says it.", "Fig. 2 shows it."}},

	// Initials.
	{"initials", "J. R. R. Tolkien wrote it. George W. Bush read it.",
		[]string{"J. R. R. Tolkien wrote it.", "George W. Bush read it."}},
	{"initial before a common word", "David J. Fox wrote it. J. Enterprise sold it.",
		[]string{"David J. Fox wrote it.", "J. Enterprise sold it."}},
	{"capital letter ends sentence", "They chose Plan B. The plan failed.", []string{"They chose Plan B.", "The plan failed."}},
	{"middle initial", "John F. Kennedy said so. Mr. J. Smith agreed.",
		[]string{"John F. Kennedy said so.", "Mr. J. Smith agreed."}},

	// Numbers.
	{"decimals and money", "The deal is worth $3.5 billion. Prices rose 2.5% in March.",
		[]string{"The deal is worth $3.5 billion.", "Prices rose 2.5% in March."}},
	{"per cent", "Turnout was 45.6 per cent. Officials said 2.5m voted.",
		[]string{"Turnout was 45.6 per cent.", "Officials said 2.5m voted."}},
	{"year ends sentence", "He was born in 1990. Then he moved.", []string{"He was born in 1990.", "Then he moved."}},
	{"number ends sentence", "It rose to 5. The market fell.", []string{"It rose to 5.", "The market fell."}},
	{"money ends sentence", "The share price rose 3.2 per cent to €4.50. Traders were pleased.",
		[]string{"The share price rose 3.2 per cent to €4.50.", "Traders were pleased."}},
	{"millions end sentence", "It cost £2.3m. That's a lot.", []string{"It cost £2.3m.", "That's a lot."}},
	{"dollars end sentence", "The price was $5. He paid it.", []string{"The price was $5.", "He paid it."}},
	{"score", "The vote was 5-4. It passed.", []string{"The vote was 5-4.", "It passed."}},
	{"starts with digits", "2007 was a hard year. 15 people died. 3.5 million fled.",
		[]string{"2007 was a hard year.", "15 people died.", "3.5 million fled."}},
	{"list numbers", "1. Talks began. 2. Talks ended.", []string{"1. Talks began.", "2. Talks ended."}},
	{"question ends with year", "Was it in 1990? Nobody knows.", []string{"Was it in 1990?", "Nobody knows."}},

	// Quotes.
	{`."`, `"We will win." Then he left.`, []string{`"We will win."`, "Then he left."}},
	{`.'`, `'We will win.' Then he left.`, []string{`'We will win.'`, "Then he left."}},
	{`.”`, "“We will win.” Then he left.", []string{"“We will win.”", "Then he left."}},
	{`?”`, "“Will we win?” Then he left.", []string{"“Will we win?”", "Then he left."}},
	{`!"`, `"We will win!" Then he left.`, []string{`"We will win!"`, "Then he left."}},
	{`.’`, "He said ‘It’s over.’ Then he left.", []string{"He said ‘It’s over.’", "Then he left."}},
	{"comma quote attribution", `"We will win," he said. Then he left.`, []string{`"We will win," he said.`, "Then he left."}},
	{"question quote attribution", `"Will we win?" he asked. Nobody answered.`, []string{`"Will we win?" he asked.`, "Nobody answered."}},
	{"exclamation quote attribution", `"We won!" she shouted. Everyone cheered.`, []string{`"We won!" she shouted.`, "Everyone cheered."}},
	{"curly question attribution", "“Will we win?” he asked. Nobody answered.", []string{"“Will we win?” he asked.", "Nobody answered."}},
	{"starts with quote", `He said it was over. "We are done," he said.`, []string{"He said it was over.", `"We are done," he said.`}},
	{"quote then Mr.", `"It's over," Mr. Smith said. "We lost."`, []string{`"It's over," Mr. Smith said.`, `"We lost."`}},
	{"colon quote", `He said: "It is over." Then silence.`, []string{`He said: "It is over."`, "Then silence."}},
	{"quoted word", `He said "no." Then left.`, []string{`He said "no."`, "Then left."}},
	{"next sentence opens with a quote", `He called it "quackery." 'This will not stand,' she said.`,
		[]string{`He called it "quackery."`, `'This will not stand,' she said.`}},
	{"quoted opener after an abbreviation", `He spoke to Acme Inc. "But nobody listened," he said.`,
		[]string{"He spoke to Acme Inc.", `"But nobody listened," he said.`}},
	{"quote in quote", `He said: "They told me 'go home.'" Then he left.`, []string{`He said: "They told me 'go home.'"`, "Then he left."}},
	{"stop inside quotes mid-sentence", `The "tactical committees." and others met.`, []string{`The "tactical committees." and others met.`}},

	// Ellipses, dashes, parentheses.
	{"ellipsis then capital", "He paused... Then he spoke. Wait… what?", []string{"He paused... Then he spoke.", "Wait… what?"}},
	{"ellipsis then lower case", "He paused... and then spoke.", []string{"He paused... and then spoke."}},
	{"four dots", "It will boost the economy.... Officials agreed.", []string{"It will boost the economy....", "Officials agreed."}},
	{"spaced ellipsis", "He paused . . . then spoke. It ended.", []string{"He paused . . . then spoke.", "It ended."}},
	{"dashes", "The talks - which began Monday - ended. The deal – finally – was done. It — again — failed.",
		[]string{"The talks - which began Monday - ended.", "The deal – finally – was done.", "It — again — failed."}},
	{"dateline", "WASHINGTON (AP) — The U.S. said Monday it would act. Iran said no.",
		[]string{"WASHINGTON (AP) — The U.S. said Monday it would act.", "Iran said no."}},
	{"parentheses", "The minister (who was absent) resigned. (He denied it.) Officials said so.",
		[]string{"The minister (who was absent) resigned.", "(He denied it.)", "Officials said so."}},
	{"abbreviation in parentheses", "The report (published Jan. 3) said so. Others agreed.",
		[]string{"The report (published Jan. 3) said so.", "Others agreed."}},
	{"party labels", "Gov. Smith (R-Texas) spoke. Sen. Doe (D.-N.Y.) replied.",
		[]string{"Gov. Smith (R-Texas) spoke.", "Sen. Doe (D.-N.Y.) replied."}},
	{"questions and exclamations", "Was it true? Nobody knew! He laughed.", []string{"Was it true?", "Nobody knew!", "He laughed."}},
	{"repeated marks", "He won!!! Then he lost. Or not?!", []string{"He won!!!", "Then he lost.", "Or not?!"}},

	// URLs and e-mail addresses.
	{"url mid-sentence", "See http://www.example.com/a.b.html for details. Write to press@example.co.uk today.",
		[]string{"See http://www.example.com/a.b.html for details.", "Write to press@example.co.uk today."}},
	{"url ends sentence", "See www.example.com. Officials said it is new.", []string{"See www.example.com.", "Officials said it is new."}},
	{"e-mail ends sentence", "Email info@example.com. Officials reply fast.", []string{"Email info@example.com.", "Officials reply fast."}},

	// Times.
	{"p.m. before weekday", "The meeting is at 3 p.m. Monday in Geneva.", []string{"The meeting is at 3 p.m. Monday in Geneva."}},
	{"a.m. before weekday", "Results are due at 7 a.m. Tuesday. Analysts expect gains.",
		[]string{"Results are due at 7 a.m. Tuesday.", "Analysts expect gains."}},
	{"a.m. before time zone", "At 10 a.m. GMT the market opened.", []string{"At 10 a.m. GMT the market opened."}},
	{"p.m. before lower case", "It ended at 5 p.m. on Sunday. Then he left.", []string{"It ended at 5 p.m. on Sunday.", "Then he left."}},
	{"p.m. ends sentence", "The meeting ended at 3 p.m. The talks resume tomorrow.",
		[]string{"The meeting ended at 3 p.m.", "The talks resume tomorrow."}},
	{"a.m. ends sentence", "He woke at 6 a.m. Breakfast was served.", []string{"He woke at 6 a.m.", "Breakfast was served."}},
	{"p.m. ends sentence before a name", "He arrived at 9 p.m. Police were waiting.", []string{"He arrived at 9 p.m.", "Police were waiting."}},
	{"time as a modifier", "Hop on the 2 p.m. Concorde and relax. He took a 6 a.m. Flight to Paris.",
		[]string{"Hop on the 2 p.m. Concorde and relax.", "He took a 6 a.m. Flight to Paris."}},
	{"p.m. ends paragraph", "It ended at 5 p.m.", []string{"It ended at 5 p.m."}},
	{"pm without stops", "It was 3.30pm. He left.", []string{"It was 3.30pm.", "He left."}},

	// Stray punctuation stays with its sentence.
	{"lone dash", "He spoke. -", []string{"He spoke. -"}},
}

// Known limits of SplitSentences, kept here rather than as failing tests:
//
//   - An abbreviation that ends a sentence before a capitalised word that is
//     not a common sentence opener stays joined: "He arrived in the U.S.
//     Officials met him." is one sentence, because "the U.S. Congress" reads
//     the same way. Likewise "for Acme Inc. Analysts said ...", "from Palo
//     Alto, Calif. Ahmed Best said ..." and "She has MS. Doctors say ...".
//     Punkt's list of common openers is short (about forty words: "The",
//     "He", "But", "However", ...).
//   - An ellipsis before a capitalised word that is not a common sentence
//     opener does not end a sentence ("The talks ended... Officials left."
//     is one), since quotations use "..." for words left out mid-sentence.
//   - A single capital letter and a full stop before a capitalised word is
//     read as an initial unless that word is a common opener, so "They chose
//     Plan B. Officials agreed." is one sentence.
//   - "a.m." or "p.m." before a capitalised word that is not a weekday,
//     month or time zone ends a sentence unless a determiner comes before
//     the time: "the 7 a.m. BBC bulletin" is one sentence but "at 7 a.m.
//     BBC radio reported it" is two.

func TestSplitSentences(t *testing.T) {
	for _, tt := range splitTests {
		t.Run(tt.name, func(t *testing.T) {
			got := SplitSentences(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("SplitSentences(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

// checkSplit checks the invariants of SplitSentences on one input: no empty
// sentence, no sentence with outer white space, and the sentences joined by
// single spaces give the folded input.
func checkSplit(tb testing.TB, in string) {
	tb.Helper()
	got := SplitSentences(in)
	for i, s := range got {
		if s == "" || strings.TrimSpace(s) != s {
			tb.Errorf("SplitSentences(%q)[%d] = %q; want no empty or untrimmed sentence", in, i, s)
		}
	}
	if joined, want := strings.Join(got, " "), FoldSpace(in); joined != want {
		tb.Errorf("SplitSentences(%q) joined = %q; want FoldSpace(input) %q", in, joined, want)
	}
}

func TestSplitSentencesKeepsText(t *testing.T) {
	for _, tt := range splitTests {
		checkSplit(t, tt.in)
	}
	data, err := seedFS.ReadFile("seed/" + seedID + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	checkSplit(t, string(data))
	for _, line := range strings.Split(string(data), "\n") {
		checkSplit(t, line)
	}
}

func TestFoldSpace(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"a", "a"},
		{" a  b ", "a b"},
		{"a\tb\nc\r\nd", "a b c d"},
		{"a\u00a0\u2003b", "a b"},
		{"\u00a0a\u00a0", "a"},
		{"é  ü", "é ü"},
	}
	for _, tt := range tests {
		if got := FoldSpace(tt.in); got != tt.want {
			t.Errorf("FoldSpace(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenShapes(t *testing.T) {
	dotted := map[string]bool{
		"U.S.": true, "u.s.": true, "a.m.": true, "Ph.D.": true, "D.-N.Y.": true, "U.S.A.": true, "é.é.": true,
		"U.S": false, "Mr.": false, "U.": false, "4.50.": false, "2.3m.": false, "example.com.": false,
		"www.x.y.": false, "U.S.-": false, "U..S.": false, "": false, ".": false, "..": false,
	}
	for in, want := range dotted {
		if got := isDottedAbbrev(in); got != want {
			t.Errorf("isDottedAbbrev(%q) = %v; want %v", in, got, want)
		}
	}
	list := map[string]bool{
		"1.": true, "2)": true, "123.": true,
		"1234.": false, "1": false, ".": false, "a.": false, "1a.": false, "1990?": false, "": false,
	}
	for in, want := range list {
		if got := isListNumber(in); got != want {
			t.Errorf("isListNumber(%q) = %v; want %v", in, got, want)
		}
	}
}

// A parsed article holds its text once: each sentence is a piece of its
// paragraph's text, not a copy.
func TestSentencesShareParagraphText(t *testing.T) {
	a, err := Parse("x", FormatText, []byte(syntheticArticle(3, 1)), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range a.Paragraphs {
		start := uintptr(unsafe.Pointer(unsafe.StringData(p.Text)))
		for _, s := range p.Sentences {
			at := uintptr(unsafe.Pointer(unsafe.StringData(s.Text)))
			if at < start || at+uintptr(len(s.Text)) > start+uintptr(len(p.Text)) {
				t.Errorf("sentence %q is a copy, not a piece of its paragraph", s.Text)
			}
		}
	}
}
