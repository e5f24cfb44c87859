package corpus

import (
	"strings"
	"testing"
	"unicode"
)

// who is the expected attribution of one sentence.
type who struct{ speaker, role string }

// nobody is a sentence that reports no one's words.
var nobody = who{}

const (
	khalilzad = "Zalmy Khalilzad"
	zebari    = "Hoshyar Zebari"
	usAmb     = "US ambassador to Iraq"
	iraqFM    = "Iraq's foreign minister"
)

// TestAttributeSpeakersSeed checks every sentence of the default article
// against docs/design.md, "The seed, precisely".
func TestAttributeSpeakersSeed(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	a := c.Articles()[0]
	tests := []struct {
		para, sent int
		want       who
	}{
		{1, 1, nobody},
		{2, 1, who{khalilzad, usAmb}},
		{3, 1, who{khalilzad, usAmb}},
		{4, 1, who{khalilzad, usAmb}},
		{5, 1, nobody},
		{5, 2, nobody},
		{6, 1, nobody},
		{7, 1, who{zebari, iraqFM}},
		{8, 1, who{zebari, iraqFM}},
		{9, 1, nobody},
		{10, 1, who{khalilzad, usAmb}},
		{11, 1, nobody},
		{11, 2, who{"Iraqi officials", ""}},
		{12, 1, nobody},
		{12, 2, nobody},
	}
	if n := len(a.Sentences()); n != len(tests) {
		t.Fatalf("seed has %d sentences; want %d", n, len(tests))
	}
	for _, tt := range tests {
		s, ok := a.Sentence(tt.para, tt.sent)
		if !ok {
			t.Fatalf("no sentence %d.%d", tt.para, tt.sent)
		}
		if s.Speaker != tt.want.speaker {
			t.Errorf("speaker of %d.%d = %q; want %q", tt.para, tt.sent, s.Speaker, tt.want.speaker)
		}
		if s.Role != tt.want.role {
			t.Errorf("role of %d.%d = %q; want %q", tt.para, tt.sent, s.Role, tt.want.role)
		}
	}
}

// attributed parses text as a .txt article (paragraphs separated by blank
// lines) and returns its sentences, attributed.
func attributed(tb testing.TB, text string) []Sentence {
	tb.Helper()
	a, err := Parse("passage", FormatText, []byte(text), nil)
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return a.Sentences()
}

// speakerPassages are short news passages in the styles verbatim meets:
// wire copy, US and UK spelling and punctuation, quotations before and
// after the attribution. want holds one attribution per sentence.
var speakerPassages = []struct {
	name string
	text string
	want []who
}{
	{
		name: "role after name",
		text: "Ban Ki-moon, the UN secretary-general, said the talks would resume next week.",
		want: []who{{"Ban Ki-moon", "UN secretary-general"}},
	},
	{
		name: "quote then said and name with role",
		text: `"We are not going to back down," said Jane Smith, a spokeswoman for the union.`,
		want: []who{{"Jane Smith", "spokeswoman for the union"}},
	},
	{
		name: "a title of three words, the last an officer",
		text: "Chief Fire Officer Karen Doyle said her crews had worked through the night.",
		want: []who{{"Karen Doyle", "Chief Fire Officer"}},
	},
	{
		name: "an age, then a relative clause, before the verb",
		text: "Retired engineer Dilys Carthew, 74, who led the work, said the wheel turned.",
		want: []who{{"Dilys Carthew", "Retired engineer"}},
	},
	{
		name: "an age before who said",
		text: "Among them was Harold Fenwick, 91, who said he had ridden the city's old trams.",
		want: []who{{"Harold Fenwick", ""}},
	},
	{
		name: "a vet speaks",
		text: "A vet at the port said she had probably stayed alive by licking condensation.",
		want: []who{{"vet at the port", ""}},
	},
	{
		name: "a body speaks",
		text: "The coastguard said the ship had strayed almost two miles from the marked channel.",
		want: []who{{"coastguard", ""}},
	},
	{
		name: "quote then title and surname",
		text: `"This is a first step," Mr Khalilzad said.`,
		want: []who{{"Khalilzad", ""}},
	},
	{
		name: "according to a group",
		text: "The plant will close in June, according to company officials.",
		want: []who{{"company officials", ""}},
	},
	{
		name: "UK curly single quotes and a title-only role",
		text: "\u2018We will not be rushed,\u2019 the Taoiseach told the D\u00e1il.",
		want: []who{{"Taoiseach", ""}},
	},
	{
		name: "pronoun across paragraphs after a subject who said nothing",
		text: "Hoshyar Zebari, Iraq's foreign minister, arrived in Cairo on Sunday.\n\nHe said the meeting had been useful.",
		want: []who{nobody, {zebari, iraqFM}},
	},
	{
		name: "negation and refusal",
		text: "Ms Brennan did not say when the report would be published. She declined to comment further.",
		want: []who{nobody, nobody},
	},
	{
		name: "declined to comment, saying",
		text: "The ministry declined to comment, saying the matter was before the courts.",
		want: []who{{"ministry", ""}},
	},
	{
		name: "al- surname with and without title",
		text: "Nouri al-Maliki met tribal leaders in Ramadi on Tuesday.\n\n" +
			"Mr al-Maliki told them the government would rebuild the city.\n\n" +
			"Maliki later said security had improved.",
		want: []who{nobody, {"Nouri al-Maliki", ""}, {"Nouri al-Maliki", ""}},
	},
	{
		name: "two people in one paragraph",
		text: "Gordon Brown, the chancellor, defended the budget. Mr Brown said it was fair. " +
			"Mr Cameron, the Conservative leader, said it was a disgrace.",
		want: []who{nobody, {"Gordon Brown", "chancellor"}, {"Cameron", "Conservative leader"}},
	},
	{
		name: "witnesses",
		text: "Witnesses said the gunmen fled in a white car.",
		want: []who{{"witnesses", ""}},
	},
	{
		name: "police, wire style",
		text: "Police said two men had been arrested.",
		want: []who{{"police", ""}},
	},
	{
		name: "spokesman for a body",
		text: "A spokesman for the Foreign Office said the embassy was open.",
		want: []who{{"spokesman for the Foreign Office", ""}},
	},
	{
		name: "present tense group",
		text: "US officials say the talks are at an early stage.",
		want: []who{{"US officials", ""}},
	},
	{
		name: "they after a group subject",
		text: "The delegates agreed to meet again in Istanbul. They said the next meeting would be larger.",
		want: []who{nobody, {"delegates", ""}},
	},
	{
		name: "who clause",
		text: "Mohamed ElBaradei, who heads the International Atomic Energy Agency, said Iran had not answered key questions.",
		want: []who{{"Mohamed ElBaradei", ""}},
	},
	{
		name: "says with a role and a hospital",
		text: "Dr Sarah Jones, a cardiologist at St James's Hospital, says the results are encouraging.",
		want: []who{{"Sarah Jones", "cardiologist at St James's Hospital"}},
	},
	{
		name: "office title is the role",
		text: "General David Petraeus told reporters in Baghdad that violence had fallen.",
		want: []who{{"David Petraeus", "General"}},
	},
	{
		name: "abbreviated title gives no role",
		text: "Gen. David Petraeus told the Senate that violence had fallen.",
		want: []who{{"David Petraeus", ""}},
	},
	{
		name: "called it with a quotation",
		text: `Mr Obama called the decision "a serious mistake".`,
		want: []who{{"Obama", ""}},
	},
	{
		name: "called for",
		text: "The Pope called for an end to the violence.",
		want: []who{{"Pope", ""}},
	},
	{
		name: "called the police is not speech",
		text: "Neighbours called the police after hearing shouts.",
		want: []who{nobody},
	},
	{
		name: "proposed a thing and proposed that",
		text: "The committee proposed a new timetable. The committee proposed that the vote be delayed.",
		want: []who{nobody, {"committee", ""}},
	},
	{
		name: "curly quotes, inverted, role after name",
		text: "\u201cIt was a constructive meeting,\u201d said Sergei Lavrov, the Russian foreign minister.",
		want: []who{{"Sergei Lavrov", "Russian foreign minister"}},
	},
	{
		name: "quotation across two sentences",
		text: `"We have made progress. There is more to do," Ms Merkel said.`,
		want: []who{{"Merkel", ""}, {"Merkel", ""}},
	},
	{
		name: "standalone quotation after an attribution",
		text: "The mayor, Bill de Blasio, said the city was ready.\n\n\"We have prepared for this for months.\"",
		want: []who{{"Bill de Blasio", "mayor"}, {"Bill de Blasio", "mayor"}},
	},
	{
		name: "bin",
		text: "Osama bin Laden said in a videotape that the attacks would continue.",
		want: []who{{"Osama bin Laden", ""}},
	},
	{
		name: "van, surname with particle",
		text: "Ruud van Nistelrooy said he was happy to stay. Van Nistelrooy added that he had spoken to the manager.",
		want: []who{{"Ruud van Nistelrooy", ""}, {"Ruud van Nistelrooy", ""}},
	},
	{
		name: "lower-case role before the name",
		text: "Dutch prime minister Mark Rutte said the coalition would hold.",
		want: []who{{"Mark Rutte", "Dutch prime minister"}},
	},
	{
		name: "organisation, then it",
		text: "The International Monetary Fund warned that growth would slow. It added that inflation remained a risk.",
		want: []who{{"International Monetary Fund", ""}, {"International Monetary Fund", ""}},
	},
	{
		name: "denied",
		text: "The company denied any wrongdoing.",
		want: []who{{"company", ""}},
	},
	{
		name: "a name that reports nothing",
		text: "Washington broke off ties with Iran after the revolution. Mr Bush met Tony Blair at Camp David.",
		want: []who{nobody, nobody},
	},
	{
		name: "passive and infinitive",
		text: "Mr Smith was told to leave the building. The minister is expected to announce the plan on Monday.",
		want: []who{nobody, nobody},
	},
	{
		name: "refused to say",
		text: "The club refused to say how much it paid.",
		want: []who{nobody},
	},
	{
		name: "according to a person with a role",
		text: "According to Jan Egeland, the UN's humanitarian chief, aid has not reached the area.",
		want: []who{{"Jan Egeland", "UN's humanitarian chief"}},
	},
	{
		name: "according to a description, then the name",
		text: `"The network will be back by Friday", according to the operator, SSE.`,
		want: []who{{"SSE", "operator"}},
	},
	{
		name: "according to a possessive role, then the name",
		text: "The plant will close in June, according to the company's spokesman, John Smith.",
		want: []who{{"John Smith", "company's spokesman"}},
	},
	{
		name: "said a role, then the name",
		text: `"We will not negotiate under fire," said the minister, Ali Hassan.`,
		want: []who{{"Ali Hassan", "minister"}},
	},
	{
		name: "according to a regulator, then the name, mid-sentence",
		text: "Prices will rise by 10 per cent, according to the regulator, Ofgem, which blamed wholesale costs.",
		want: []who{{"Ofgem", "regulator"}},
	},
	{
		name: "according to a description with no name after it",
		text: "The line will reopen on Monday, according to the operator.",
		want: []who{{"operator", ""}},
	},
	{
		name: "asked, then replied with a colon",
		text: `Asked whether he would resign, Mr Olmert replied: "No."`,
		want: []who{{"Olmert", ""}},
	},
	{
		name: "possessive role before the name",
		text: "Mr Putin's spokesman, Dmitry Peskov, said the Kremlin would respond.",
		want: []who{{"Dmitry Peskov", "Mr Putin's spokesman"}},
	},
	{
		name: "estimated that, estimated a thing",
		text: "Analysts estimated that the deal was worth $2bn. Economists estimated the cost at $5bn.",
		want: []who{{"analysts", ""}, nobody},
	},
	{
		name: "added with a number is not speech",
		text: "The index added 2 per cent in early trading.",
		want: []who{nobody},
	},
	{
		name: "described as",
		text: "Mr Ahern described the agreement as historic.",
		want: []who{{"Ahern", ""}},
	},
	{
		name: "she finds the woman past a man",
		text: "Angela Merkel met Nicolas Sarkozy in Paris. Ms Merkel said the euro was safe. " +
			"Mr Sarkozy said France agreed. She added that talks would continue.",
		want: []who{nobody, {"Angela Merkel", ""}, {"Nicolas Sarkozy", ""}, {"Angela Merkel", ""}},
	},
	{
		name: "attribution inside a quotation",
		text: "Kofi Annan spoke to reporters in Geneva.\n\n\"The situation is grave,\" he said, \"but not hopeless.\"",
		want: []who{nobody, {"Kofi Annan", ""}},
	},
	{
		name: "scare quotes report nothing",
		text: `The so-called "road map" was published in 2003.`,
		want: []who{nobody},
	},
	{
		name: "a report is nobody",
		text: "The report says unemployment will rise.",
		want: []who{nobody},
	},
	{
		name: "statement from a ministry",
		text: "A statement from the Ministry of Defence said two soldiers had been injured.",
		want: []who{{"Ministry of Defence", ""}},
	},
	{
		name: "prime minister title",
		text: "Prime Minister Tony Blair said Britain would stand firm.",
		want: []who{{"Tony Blair", "Prime Minister"}},
	},
	{
		name: "initial loses its full stop",
		text: "US President George W. Bush said the mission was not over.",
		want: []who{{"George W Bush", "US President"}},
	},
	{
		name: "never said",
		text: "Mr Jones never said he would resign.",
		want: []who{nobody},
	},
	{
		name: "they with no group",
		text: "They said the road was closed.",
		want: []who{nobody},
	},
	{
		name: "role with an age",
		text: "John Murphy, a 54-year-old farmer from Cavan, said the floods were the worst he had seen.",
		want: []who{{"John Murphy", "54-year-old farmer from Cavan"}},
	},
	{
		name: "the minister refers back",
		text: "Iraq's foreign minister, Hoshyar Zebari, arrived on Sunday. The minister said the talks would be difficult.",
		want: []who{nobody, {zebari, iraqFM}},
	},
	{
		name: "AP dateline",
		text: "WASHINGTON (AP) \u2014 President Barack Obama said Tuesday that the economy was recovering.",
		want: []who{{"Barack Obama", "President"}},
	},
	{
		name: "said inside a quotation is not the attribution",
		text: `"The minister said nothing," the opposition leader complained.`,
		want: []who{{"opposition leader", ""}},
	},
	{
		name: "UK straight single quotes",
		text: "'It was a disgrace,' Mr Ahern said.",
		want: []who{{"Ahern", ""}},
	},
	{
		name: "inverted, role before name",
		text: `"We welcome the talks," said the US ambassador, Zalmy Khalilzad.`,
		want: []who{{khalilzad, "US ambassador"}},
	},
	{
		name: "told the BBC, then he in the next paragraph",
		text: "Tony Blair told the BBC that he had no regrets.\n\nHe insisted the war had been right.",
		want: []who{{"Tony Blair", ""}, {"Tony Blair", ""}},
	},
	{
		name: "but said, after a refusal",
		text: "Ms Clinton refused to discuss the contacts but said progress had been made.",
		want: []who{{"Clinton", ""}},
	},
	{
		name: "US spelling, quoted as saying",
		text: "The newspaper quoted Defense Secretary Robert Gates as saying the drawdown would continue.",
		want: []who{{"Robert Gates", "Defense Secretary"}},
	},
	{
		name: "who clause holding a comma",
		text: "The principal, who spent her career in Corpus Christi, Texas, added that she knew of children killed for their colours.",
		want: []who{{"principal", ""}},
	},
	{
		name: "who without commas",
		text: "The council rejected the plan despite protests from the district's mayor who said it would ruin the square.",
		want: []who{{"district's mayor", ""}},
	},
	{
		name: "a capitalised verb form inside a name",
		text: "Members of NATO have told the United States that there should be no attempt to reopen the debate.",
		want: []who{{"members of NATO", ""}},
	},
	{
		name: "name of a body",
		text: "But Tom Otwell of AARP insists the initials are the name.",
		want: []who{{"Tom Otwell", ""}},
	},
	{
		name: "a person noun the lists lack",
		text: "A former flight dispatcher for Air France said the planes fly at the edge of their capabilities.",
		want: []who{{"former flight dispatcher for Air France", ""}},
	},
	{
		name: "inverted, a role word before the name",
		text: `"There is a misconception about us," said attendee Theresa Contino.`,
		want: []who{{"Theresa Contino", "attendee"}},
	},
	{
		name: "role cut before its relative clause",
		text: "Eric Udel, a New York musician who had just finished a tour of Europe, said he saw the Concorde on fire.",
		want: []who{{"Eric Udel", "New York musician"}},
	},
	{
		name: "an aside that ends with a place is not the subject",
		text: "He moved to Guinea, in West Africa, in 1969, saying America did not belong to him.",
		want: []who{nobody},
	},
	{
		name: "a clause verb with an object does not invert",
		text: "A caucus of like-minded states, under Canadian leadership, demanded an independent court.",
		want: []who{nobody},
	},
	{
		name: "wrote needs a clause",
		text: "Kafka was born in Prague in 1883 and wrote in German. Mr Kafka wrote in his diary that he was tired.",
		want: []who{nobody, {"Kafka", ""}},
	},
	{
		name: "a lone unknown word does not own a later verb",
		text: "Historical displays focus on the early years, noting the role of the Harlem Globetrotters.",
		want: []who{nobody},
	},
	{
		name: "a known surname owns a later verb",
		text: "Bertrand Russell spoke first. Russell confronted Bradley about his past, asking if he knew the history of the scholarship.",
		want: []who{nobody, {"Bertrand Russell", ""}},
	},
	{
		name: "said nothing",
		text: "Mr Kenny said nothing about the leak.",
		want: []who{nobody},
	},
	{
		name: "a title alone is not a name",
		text: `"This is not a case of gang graffiti," said Sgt.`,
		want: []who{nobody},
	},
	{
		name: "Irish ministerial title with its portfolio",
		text: "Minister for Justice Helen McEntee said she was \"deeply shocked\" by the attack. Ms McEntee said more gardaí would be deployed.",
		want: []who{{"Helen McEntee", "Minister for Justice"}, {"Helen McEntee", "Minister for Justice"}},
	},
	{
		name: "a title naming its body, then the surname",
		text: "Senate Majority Leader Chuck Schumer said Tuesday that Democrats would force a vote.\n\n\"We're going to make every senator go on record,\" Schumer told reporters.",
		want: []who{{"Chuck Schumer", "Senate Majority Leader"}, {"Chuck Schumer", "Senate Majority Leader"}},
	},
	{
		name: "US party and state designation, then she",
		text: "Sen. Susan Collins, R-Maine, who has worked with Democrats, said she was open to talks. But she warned that the bill went too far.",
		want: []who{{"Susan Collins", "R-Maine"}, {"Susan Collins", "R-Maine"}},
	},
	{
		name: "an acronym body owns a coordinated verb",
		text: "The CBI, which represents 190,000 firms, welcomed the stability but warned that costs would weigh on hiring.",
		want: []who{{"CBI", ""}},
	},
	{
		name: "noun modifiers of a group",
		text: "Prison gangs have their own way of settling disputes, black gang members said.",
		want: []who{{"black gang members", ""}},
	},
	{
		name: "first of two subjects, then she",
		text: "Mrs Clinton and her husband arrived in Dublin yesterday. She told the D\u00e1il that peace was within reach.",
		want: []who{nobody, {"Clinton", ""}},
	},
	{
		name: "UK quotation running into the next paragraph",
		text: "\u2018We were ambushed,\u2019 said one survivor. \u2018They came from nowhere.\n\n\u2018Nobody helped us.\u2019",
		want: []who{{"survivor", ""}, {"survivor", ""}, {"survivor", ""}},
	},
}

// TestAttributeSpeakersPassages checks hand-written passages: each
// sentence's speaker and role.
func TestAttributeSpeakersPassages(t *testing.T) {
	for _, tt := range speakerPassages {
		t.Run(tt.name, func(t *testing.T) {
			ss := attributed(t, tt.text)
			if len(ss) != len(tt.want) {
				for _, s := range ss {
					t.Logf("%d.%d %q", s.Paragraph, s.Number, s.Text)
				}
				t.Fatalf("%d sentences; want %d", len(ss), len(tt.want))
			}
			for i, s := range ss {
				if s.Speaker != tt.want[i].speaker {
					t.Errorf("speaker of %d.%d = %q; want %q", s.Paragraph, s.Number, s.Speaker, tt.want[i].speaker)
				}
				if s.Role != tt.want[i].role {
					t.Errorf("role of %d.%d = %q; want %q", s.Paragraph, s.Number, s.Role, tt.want[i].role)
				}
			}
		})
	}
}

// FuzzAttributeSpeakers checks that attribution never panics, is
// deterministic, and only reports speakers and roles the text holds: a
// speaker is made of letters, spaces, hyphens and apostrophes, and its
// words appear in that order in the article once titles and full stops
// are set aside; a role is a slice of the text.
func FuzzAttributeSpeakers(f *testing.F) {
	f.Add("The US ambassador to Iraq, Zalmy Khalilzad, said he met them.\n\nHe added: \"It went well.\"")
	f.Add(`"No," said Mr al-Maliki, the prime minister. Police said they had arrived.`)
	f.Fuzz(func(t *testing.T, text string) {
		a, err := Parse("fuzz", FormatText, []byte(text), nil)
		if err != nil {
			return
		}
		var body strings.Builder
		for _, p := range a.Paragraphs {
			body.WriteString(p.Text)
			body.WriteByte('\n')
		}
		// Full stops are dropped ("U.S." is "us") or, where they end a
		// word ("0'.Smith"), split it: a speaker may match either way.
		words := titleFreeWords(body.String())
		split := titleFreeWords(strings.ReplaceAll(body.String(), ".", " "))
		first := a.Sentences()
		attributeSpeakers(a.Paragraphs)
		for i, s := range a.Sentences() {
			if s.Speaker != first[i].Speaker || s.Role != first[i].Role {
				t.Fatalf("sentence %d: second run gives %q/%q, first %q/%q", i, s.Speaker, s.Role, first[i].Speaker, first[i].Role)
			}
			if s.Speaker == "" {
				if s.Role != "" {
					t.Errorf("sentence %d: role %q without a speaker", i, s.Role)
				}
				continue
			}
			for _, r := range s.Speaker {
				if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && !strings.ContainsRune(" -'\u2019", r) {
					t.Errorf("sentence %d: speaker %q holds %q", i, s.Speaker, r)
				}
			}
			if strings.TrimSpace(s.Speaker) != s.Speaker || strings.Contains(s.Speaker, "  ") {
				t.Errorf("sentence %d: speaker %q has stray spaces", i, s.Speaker)
			}
			if sw := titleFreeWords(s.Speaker); len(sw) > 0 && !containsRun(words, sw) && !containsRun(split, sw) {
				t.Errorf("sentence %d: speaker %q is not in the text", i, s.Speaker)
			}
			if s.Role != "" && !strings.Contains(body.String(), s.Role) {
				t.Errorf("sentence %d: role %q is not in the text", i, s.Role)
			}
		}
	})
}

// titleFreeWords returns the lower-cased words of s without full stops,
// without hyphens and apostrophes at their ends, and without titles.
func titleFreeWords(s string) []string {
	fields := strings.FieldsFunc(strings.ToLower(strings.ReplaceAll(s, ".", "")), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && !strings.ContainsRune("-'\u2019", r)
	})
	out := fields[:0]
	for _, w := range fields {
		w = strings.Trim(w, "-'\u2019")
		if w != "" && !courtesyTitles.has(w) && !abbrevTitles.has(w) && !officeTitles.has(w) {
			out = append(out, w)
		}
	}
	return out
}

// containsRun reports whether sub appears in words as a contiguous run.
func containsRun(words, sub []string) bool {
	for i := 0; i+len(sub) <= len(words); i++ {
		match := true
		for j, w := range sub {
			if words[i+j] != w {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// BenchmarkAttributeSpeakers attributes the seed article: 12 paragraphs,
// 15 sentences.
func BenchmarkAttributeSpeakers(b *testing.B) {
	c, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	paras := c.Articles()[0].Paragraphs
	b.ReportAllocs()
	for b.Loop() {
		attributeSpeakers(paras)
	}
}
