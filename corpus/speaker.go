package corpus

import "strings"

// attributeSpeakers sets Speaker and Role on every sentence of an article,
// in article order. A sentence that reports someone's words gets their
// name ("Zalmy Khalilzad", "Iraqi officials"); one that does not gets ""
// for both. The rules follow English news conventions in general, not any
// one article:
//
//   - A reporting verb outside quotation marks ("said", "says", "told",
//     "added", "warned", "urged", "saying" and some eighty more) with a
//     subject before it ("X said", "X, who ..., said", "X also said") or,
//     for the verbs that invert, after it (`"...," said X`), or "according
//     to X", reports X's words. Verbs such as "proposed", "suggested" or
//     "wrote" report speech only with a clause or a quotation after them
//     ("proposed that ..."), not with a plain object ("proposed a
//     meeting"); "called" only as "called for", "called on" or "called it
//     ..."; "described" only with "as" or a quotation.
//   - A reporting verb with no subject of its own ("... but said", ",
//     saying") belongs to the subject that opens the sentence, if that is
//     a person, a group, a body or a name the article knows.
//   - Negated or refused speech is not speech ("did not say", "never
//     said", "declined to comment", "refused to say", "said nothing"); nor
//     is a passive ("was told") or an infinitive ("is expected to say").
//   - A name loses its title ("Mr Khalilzad" is "Khalilzad") and the full
//     stops of its initials ("George W Bush"); a surname, with or without
//     a title, is the full name the article introduced ("Zalmy
//     Khalilzad"), even if first named as an object. A group or body keeps
//     its words without a leading determiner or number ("the delegates" is
//     "delegates", "two witnesses" is "witnesses"); a word capitalised only
//     because it opens the sentence is given in lower case ("Police said"
//     is "police").
//   - "He" and "she" heading a reporting clause are the person most
//     recently named as a speaker or as the subject of a sentence, of a
//     matching gender where a title ("Mr", "Mrs") or an earlier pronoun
//     told it; "they" is the last group so named, "it" the last body; with
//     none, the speaker is "".
//   - An aside between a subject and its verb is skipped: an age, "aged
//     74", "however", a relative clause, or an age and then a relative
//     clause ("Dilys Carthew, 74, who led the work, said"; "Harold
//     Fenwick, 91, who said").
//   - A role comes from apposition ("The US ambassador to Iraq, Zalmy
//     Khalilzad, said"; "Zalmy Khalilzad, the US ambassador, said"), a
//     lower-case role before the name ("foreign minister Hoshyar Zebari")
//     or a spelled-out office title ("President George Bush", "Minister for
//     Justice Helen McEntee"); it stays with the person for the rest of the
//     article. "The minister said" is the person last given that role.
//   - A quotation that runs over several sentences of a paragraph is all
//     its speaker's; a sentence that is only a quotation, with no
//     attribution, is the speaker of the sentence before it, if that one
//     has one.
//
// Known limits: it reads word lists and patterns, not parse trees, so it
// errs where news phrasing is unusual. Two people coordinated as one
// subject ("Mr Obama and Mr Biden said") give the nearer one. A lone
// capitalised word it has not seen introduced ("Smith said") is taken for
// a body (a place or organisation speaking), which "he" never refers to;
// a body introduced by a name and a role ("The water contractor, Brayford
// Civils, said") is taken for a person, so a later "it" does not find it.
// Multi-word place names outside its list of place words ("Sri Lanka")
// can pass for people. A paragraph that carries on a quotation from the
// one before without a quotation mark of its own is read as unquoted. Documents are not speakers ("the report said" gives ""),
// while "a statement from the ministry" gives "ministry". An abbreviated
// title ("Gen.") gives no role, its spelled-out form ("General") does.
//
// It runs in time linear in the article's length.
func attributeSpeakers(paras []Paragraph) {
	st := attribution{ts: make([]token, 0, 64)}
	var prevSpeaker, prevRole string
	for pi := range paras {
		ss := paras[pi].Sentences
		st.quotes = st.quotes[:0]
		var q quoteState
		for si := range ss {
			startsOpen := q.open()
			ss[si].Speaker, ss[si].Role, q = st.sentence(ss[si].Text, q)
			st.quotes = append(st.quotes, sentenceQuotes{
				startsOpen: startsOpen,
				endsOpen:   q.open(),
				onlyQuote:  onlyQuotation(st.ts),
			})
		}
		// A quotation running across sentences is one speaker's: fill
		// its sentences without an attribution from one that has one.
		for a := 0; a < len(ss); {
			b := a + 1
			for b < len(ss) && st.quotes[b-1].endsOpen && st.quotes[b].startsOpen {
				b++
			}
			speaker, role := "", ""
			for k := a; k < b && speaker == ""; k++ {
				speaker, role = ss[k].Speaker, ss[k].Role
			}
			for k := a; k < b; k++ {
				if ss[k].Speaker == "" {
					ss[k].Speaker, ss[k].Role = speaker, role
				}
			}
			a = b
		}
		for si := range ss {
			if ss[si].Speaker == "" && st.quotes[si].onlyQuote {
				ss[si].Speaker, ss[si].Role = prevSpeaker, prevRole
			}
			prevSpeaker, prevRole = ss[si].Speaker, ss[si].Role
		}
	}
}

// sentenceQuotes is how a sentence stands to the quotations of its
// paragraph.
type sentenceQuotes struct {
	startsOpen, endsOpen bool // inside a quotation at its start, at its end
	onlyQuote            bool // every word is inside quotation marks
}

// onlyQuotation reports whether every word of a sentence is quoted.
func onlyQuotation(ts []token) bool {
	words := 0
	for _, t := range ts {
		if t.kind == tWord {
			if !t.quoted {
				return false
			}
			words++
		}
	}
	return words > 0
}

// person is someone an article names.
type person struct {
	name   string
	role   string
	gender byte // 'm', 'f', or 0 when unknown
}

// attribution is the state of attributing one article: who it has named so
// far, and the sentence at hand.
type attribution struct {
	people    []person
	byName    map[string]int // lower-cased full name -> index in people
	bySurname map[string]int // lower-cased surname -> the last person with it
	recent    []int          // people in order of mention, latest last
	group     string         // the last group named, for "they"
	org       string         // the last organisation named, for "it"

	s, lo  string  // the sentence at hand, and its lower-cased copy
	ts     []token // its tokens
	quotes []sentenceQuotes
}

// recentWindow bounds how far back a pronoun or a role looks for its
// person, so that a long article costs no more per sentence than a short
// one.
const recentWindow = 32

// sentence returns the speaker and role of the sentence s and records whom
// it names. q is the quotation state s starts in; sentence returns the
// state it ends in.
func (st *attribution) sentence(s string, q quoteState) (speaker, role string, out quoteState) {
	st.s = s
	st.ts, st.lo, out = tokenize(st.ts[:0], s, q)
	head, headOK := headPhrase(st.ts)
	p, ok := findSpeaker(st.ts, head, headOK && st.headSpeaks(head))
	switch {
	case ok:
		speaker, role = st.resolve(p)
		if strings.ContainsAny(speaker, "0123456789") {
			// Words with digits ("0's aAAer") are no one's name; a
			// speaker is made of letters.
			speaker, role = "", ""
		}
	case headOK:
		st.resolve(head) // a subject who says nothing is still mentioned
	}
	st.learnNames()
	return speaker, role, out
}

// headSpeaks reports whether the subject that opens a sentence is specific
// enough to own a reporting verb that has no subject of its own ("... but
// said"): not a lone capitalised word, other than an acronym, that the
// article has not named as a person before, which is as often an adjective
// or a place ("Historical displays focus on ..., noting").
func (st *attribution) headSpeaks(head phrase) bool {
	if head.kind != pName || head.sTo-head.sFrom > 1 || head.titleTo > head.titleFrom ||
		head.roleTo > head.roleFrom || head.preTo > head.preFrom ||
		st.ts[head.sFrom].flags&fAcronym != 0 || st.ts[head.sFrom].is(orgWords) {
		return true // a person, or a body: "The CBI, which ..., warned"
	}
	key := spanText(st.lo, st.ts, head.sFrom, head.sTo)
	if _, ok := st.byName[key]; ok {
		return true
	}
	_, ok := st.surname(key)
	return ok
}

// learnNames records the full names of people the sentence names anywhere
// outside quotations, so that a later "Mr Sarkozy said" finds "Nicolas
// Sarkozy" even when he was first named as an object. They are not
// mentions: a pronoun does not refer to them.
func (st *attribution) learnNames() {
	ts := st.ts
	for i := 0; i < len(ts); i++ {
		if !nameWord(ts[i]) || i > 0 && nameWord(ts[i-1]) {
			continue
		}
		p, ok := parseNP(ts, i, len(ts), npFull)
		if !ok || p.kind != pName || p.sTo-p.sFrom < 2 {
			continue
		}
		if _, known := st.byName[spanText(st.lo, ts, p.sFrom, p.sTo)]; !known && st.personName(p) {
			st.addPerson(p)
		}
		i = p.to - 1
	}
}

// personName reports whether the name p, not yet known, is a person's
// rather than a body's or a place's: it has a title or a role, or two or
// more words, none in capitals and none like "Ministry" or "North".
func (st *attribution) personName(p phrase) bool {
	ts := st.ts
	if p.titleTo > p.titleFrom || p.roleTo > p.roleFrom || p.preTo > p.preFrom {
		return true
	}
	if p.sTo-p.sFrom < 2 || hasAcronym(ts, p.sFrom, p.sTo) {
		return false
	}
	for k := p.sFrom; k < p.sTo; k++ {
		if ts[k].is(orgWords) || ts[k].is(placeWords) {
			return false
		}
	}
	return true
}

// resolve returns the speaker and role a phrase of the sentence names, and
// records the mention.
func (st *attribution) resolve(p phrase) (speaker, role string) {
	ts := st.ts
	switch p.kind {
	case pPronoun:
		switch p.head {
		case "he", "she":
			g := byte('m')
			if p.head == "she" {
				g = 'f'
			}
			i := st.recentPerson(g)
			if i < 0 {
				return "", ""
			}
			if st.people[i].gender == 0 {
				st.people[i].gender = g
			}
			st.mention(i)
			return st.people[i].name, st.people[i].role
		case "they":
			return st.group, ""
		case "it":
			return st.org, ""
		}
	case pName:
		return st.resolveName(p)
	case pNoun:
		if p.hd&roleNouns != 0 && (p.definite || ts[p.sFrom].cap && p.sFrom > 0) {
			// "the minister said": the person last given that role.
			if i := st.personWithRole(p.head); i >= 0 {
				st.mention(i)
				return st.people[i].name, st.people[i].role
			}
		}
		text := nounText(st.s, ts, p)
		switch {
		case p.hd&groupNouns != 0:
			st.group = text
		case p.hd&orgNouns != 0:
			st.org = text
		case p.hd&roleNouns != 0:
			// "a spokesman": someone unnamed, whom "he" may refer to.
			st.people = append(st.people, person{name: text})
			st.mention(len(st.people) - 1)
		}
		return text, ""
	}
	return "", ""
}

// resolveName returns the person or body a name refers to: a person named
// before under that full name or surname, a new person, or a body.
func (st *attribution) resolveName(p phrase) (speaker, role string) {
	s, ts := st.s, st.ts
	key := spanText(st.lo, ts, p.sFrom, p.sTo)
	if key == "" {
		return "", ""
	}
	i, known := st.byName[key]
	if !known && p.sTo-p.sFrom <= 3 {
		i, known = st.surname(key)
	}
	if !known {
		if !st.personName(p) {
			st.org = spanText(s, ts, p.sFrom, p.sTo)
			return st.org, ""
		}
		i = st.addPerson(p)
	}
	who := &st.people[i]
	switch {
	case p.roleTo > p.roleFrom:
		who.role = roleText(s, ts, p.roleFrom, p.roleTo)
	case p.preTo > p.preFrom:
		who.role = roleText(s, ts, p.preFrom, p.preTo)
	case who.role == "" && officeTitle(ts, p.titleFrom, p.titleTo):
		who.role = s[ts[p.titleFrom].start:ts[p.titleTo-1].end]
	}
	for k := p.titleFrom; k < p.titleTo && who.gender == 0; k++ {
		if ts[k].is(maleTitles) {
			who.gender = 'm'
		} else if ts[k].is(femaleTitles) {
			who.gender = 'f'
		}
	}
	st.mention(i)
	return who.name, who.role
}

// addPerson records a newly named person under their full name and
// surname: the last word, that word without an "al-" prefix, and with the
// particles before it ("bin Laden", "von der Leyen").
func (st *attribution) addPerson(p phrase) int {
	ts := st.ts
	if st.byName == nil {
		st.byName = make(map[string]int)
		st.bySurname = make(map[string]int)
	}
	i := len(st.people)
	st.people = append(st.people, person{name: spanText(st.s, ts, p.sFrom, p.sTo)})
	st.byName[spanText(st.lo, ts, p.sFrom, p.sTo)] = i
	if p.sTo-p.sFrom < 2 {
		return i
	}
	last := spanText(st.lo, ts, p.sTo-1, p.sTo)
	st.bySurname[last] = i
	for _, pre := range namePrefixes {
		if strings.HasPrefix(last, pre) {
			st.bySurname[last[len(pre):]] = i
		}
	}
	k := p.sTo - 2
	for k > p.sFrom && ts[k].is(nameParticles) {
		k--
	}
	if k < p.sTo-2 {
		st.bySurname[spanText(st.lo, ts, k+1, p.sTo)] = i
	}
	return i
}

// surname finds the person a one- to three-word reference ("Khalilzad",
// "al-Maliki", "bin Laden") names.
func (st *attribution) surname(key string) (int, bool) {
	if i, ok := st.bySurname[key]; ok {
		return i, true
	}
	for _, pre := range namePrefixes {
		if strings.HasPrefix(key, pre) {
			if i, ok := st.bySurname[key[len(pre):]]; ok {
				return i, true
			}
		}
	}
	return 0, false
}

func (st *attribution) mention(i int) {
	if n := len(st.recent); n > 0 && st.recent[n-1] == i {
		return
	}
	st.recent = append(st.recent, i)
}

// recentPerson returns the person most recently mentioned whose gender is
// g or unknown, or -1.
func (st *attribution) recentPerson(g byte) int {
	for k := len(st.recent) - 1; k >= 0 && k >= len(st.recent)-recentWindow; k-- {
		i := st.recent[k]
		if gg := st.people[i].gender; gg == 0 || gg == g {
			return i
		}
	}
	return -1
}

// personWithRole returns the person most recently mentioned whose role
// holds the word noun ("minister" in "Iraq's foreign minister"), or -1.
func (st *attribution) personWithRole(noun string) int {
	for k := len(st.recent) - 1; k >= 0 && k >= len(st.recent)-recentWindow; k-- {
		i := st.recent[k]
		if hasWordFold(st.people[i].role, noun) {
			return i
		}
	}
	return -1
}

// hasWordFold reports whether s holds the lower-case word w, in any case.
func hasWordFold(s, w string) bool {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' }) {
		if strings.EqualFold(f, w) {
			return true
		}
	}
	return false
}

// officeTitle reports whether tokens [a, b), a name's title, hold a
// spelled-out office ("President", "Prime Minister"), not only a courtesy
// title or an abbreviation ("Mr", "Gen.").
func officeTitle(ts []token, a, b int) bool {
	for k := a; k < b; k++ {
		if !strings.HasSuffix(ts[k].lo, ".") && ts[k].is(officeTitles) {
			return true
		}
	}
	return false
}

// hasAcronym reports whether tokens [a, b) hold a word in capitals ("UN",
// "NATO"): the name of a body, not a person.
func hasAcronym(ts []token, a, b int) bool {
	for k := a; k < b; k++ {
		if isAcronym(ts[k].text) {
			return true
		}
	}
	return false
}

// nounText returns the words of a common noun phrase as a speaker, without
// its determiner; a first word capitalised only because it opens the
// sentence is lower-cased ("Police said" gives "police").
func nounText(s string, ts []token, p phrase) string {
	text := spanText(s, ts, p.sFrom, p.sTo)
	f := ts[p.sFrom]
	if f.cap && p.sFrom == firstWord(ts) && f.is(speakerNouns|commonModifiers) {
		return f.lo + text[len(f.text):]
	}
	return text
}

// firstWord returns the index of the first word of a sentence, or -1.
func firstWord(ts []token) int {
	for i, t := range ts {
		if t.kind == tWord {
			return i
		}
	}
	return -1
}
