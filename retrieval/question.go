package retrieval

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Question is a question analysed for ranking.
type Question struct {
	Text string
	// Wh is the question word, lower-cased: "who", "what", "when", "where",
	// "why", "how", "which", "whom", "whose"; "" when there is none.
	Wh string
	// WhPhrase is the question word with the words that belong to it
	// ("how many", "what year"), lower-cased; they ask for the answer and
	// are not words an answer contains.
	WhPhrase string
	// Content is the question without its wh-phrase: the words an answer
	// should share.
	Content string
	// Type is the kind of answer asked for; AnswerAny when unknown. Only
	// Analyzer.Question sets it.
	Type AnswerType
	// Expand is the acronym, lower-cased, whose expansion the question
	// asks for ("aarp" in "What does AARP stand for?"), or "".
	Expand string
	// Focus is the lower-cased noun the question asks for, in the
	// singular, when the lexicon knows it: it tells the answer type
	// ("company" in "what record company") or other nouns are kinds of
	// it ("color" in "what is the gang's color"); "" otherwise. Only
	// Analyzer.Question sets it.
	Focus string
}

var whWords = map[string]bool{
	"who": true, "whom": true, "whose": true, "what": true, "which": true,
	"when": true, "where": true, "why": true, "how": true,
}

// contractedWh maps a question word run together with a following "is",
// "are", "has", "will" or "would", as people type it, to the question
// word: "who's", "what're", and, the apostrophe left out, "whos",
// "whats", "wheres".
var contractedWh = map[string]string{
	"whos": "who", "whats": "what", "whens": "when", "wheres": "where", "whys": "why", "hows": "how",
}

// whWordOf returns the question word that lower-cased word lw is or
// begins as a contraction ("who's": "who"), or "".
func whWordOf(lw string) string {
	if whWords[lw] {
		return lw
	}
	if wh, ok := contractedWh[lw]; ok {
		return wh
	}
	if base, suffix, ok := strings.Cut(lw, "'"); ok && whWords[base] {
		switch suffix {
		case "s", "re", "ll", "d", "ve":
			return base
		}
	}
	return ""
}

// leadIn holds the words people put before a question as a request or to
// take a turn in a conversation ("can you tell me who ...", "do you know
// where ...", "hey, when ...", "ok but why ..."), lower-cased. When every
// word before the question word is one of them, they are not words of
// the question: "tell" and "know" are no words an answer shares, and
// unknown to the articles they would count as words it lacks.
var leadIn = map[string]bool{
	"can": true, "could": true, "would": true, "will": true, "do": true, "does": true, "did": true,
	"you": true, "u": true, "please": true, "pls": true, "plz": true, "tell": true, "me": true,
	"know": true, "knows": true, "idea": true, "any": true, "anyone": true, "anybody": true,
	"someone": true, "somebody": true, "i": true, "i'd": true, "id": true, "i'm": true, "im": true,
	"was": true, "like": true, "want": true, "wanna": true, "to": true, "wonder": true,
	"wondering": true, "curious": true, "hey": true, "hi": true, "hello": true, "so": true,
	"ok": true, "okay": true, "and": true, "but": true, "then": true, "well": true, "also": true,
	"just": true, "quick": true, "question": true, "explain": true, "remind": true, "show": true,
	"let": true, "let's": true, "lets": true, "see": true, "find": true, "out": true,
	"thanks": true, "thank": true, "thx": true, "wait": true, "um": true, "uh": true, "oh": true,
}

// isLeadIn reports whether every word of words is a lead-in word.
func isLeadIn(words []string) bool {
	for _, w := range words {
		if !leadIn[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// howWords follow "how" to ask for a quantity: "how many", "how long",
// "how fast": the gradable adjectives and adverbs of measure. They are
// part of the question, not of its subject.
var howWords = map[string]bool{
	"many": true, "much": true, "long": true, "far": true, "old": true,
	"often": true, "big": true, "large": true, "soon": true, "late": true,
	"early": true, "tall": true, "high": true, "deep": true, "wide": true,
	"fast": true, "quickly": true, "slow": true, "heavy": true, "hot": true,
	"cold": true, "warm": true, "small": true, "short": true, "low": true,
	"young": true, "expensive": true, "cheap": true, "thick": true, "chilly": true,
	"strong": true, "close": true, "near": true, "rich": true, "loud": true,
	"bright": true, "frequently": true, "wealthy": true, "fat": true,
}

// AnalyzeQuestion finds the question word and the phrase it heads, and
// leaves the rest as the content to match. It leaves Type unknown:
// Analyzer.Question finds it too.
func AnalyzeQuestion(text string) Question {
	q, _, _ := analyzeQuestion(text)
	return q
}

// Question analyses a question as AnalyzeQuestion does, and finds the type
// of answer it asks for from its question word and focus noun ("what
// city": a place). A question in capitals throughout is read in lower
// case.
func (a *Analyzer) Question(text string) Question {
	if shouted(text) {
		// Capitals throughout say nothing of which words are names:
		// read as lower case, the names come back from the sentences
		// found (recaseNames).
		text = strings.ToLower(text)
	}
	text = expandChat(text)
	q, wh, rest := analyzeQuestion(text)
	if a.lex != nil && wh != "" {
		q.Type, q.Focus = a.lex.questionType(a, wh, rest)
	}
	return q
}

// analyzeQuestion is AnalyzeQuestion, also returning the question word as
// it leads the type ("name" for "Name the ...") and the words after it.
func analyzeQuestion(text string) (q Question, wh string, rest []string) {
	q = Question{Text: text, Content: text}
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
	})
	if len(words) > 1 && strings.EqualFold(words[0], "name") {
		wh, rest = "name", words[1:]
	}
	for i, w := range words {
		lw := whWordOf(strings.ToLower(w))
		if lw == "" {
			continue
		}
		q.Wh = lw
		phrase := []string{w}
		if lw == "how" && i+1 < len(words) && howWords[strings.ToLower(words[i+1])] {
			phrase = append(phrase, words[i+1])
		}
		if n := nameOf(words[i+1:]); n > 0 && (lw == "what" || lw == "which") {
			// "What is the name of X": the answer is a name; "name" is
			// no word it shares.
			phrase = append(phrase, words[i+1:i+1+n]...)
		}
		if k := kindOf(words[i+1:]); k > 0 && (lw == "what" || lw == "which") {
			// "What kind of business": the answer names one; "kind"
			// is no word it shares.
			phrase = append(phrase, words[i+1:i+1+k]...)
		}
		if n := len(words); n >= i+4 && strings.EqualFold(words[n-1], "for") && (strings.EqualFold(words[n-2], "stand") || strings.EqualFold(words[n-2], "stands")) {
			// "What does AARP stand for": the expansion is asked for;
			// "stand for" is no word it shares.
			for _, w := range words[i+1 : n-2] {
				if isAcronym(w) {
					q.Expand = strings.ToLower(w)
				}
			}
			if q.Expand != "" {
				phrase = append(phrase, words[n-2:]...)
			}
		}
		q.WhPhrase = lw
		if len(phrase) > 1 {
			q.WhPhrase += " " + strings.ToLower(strings.Join(phrase[1:], " "))
		}
		if i > 0 && isLeadIn(words[:i]) {
			q.Content = removeWords(text, slices.Concat(words[:i], phrase))
		} else {
			q.Content = removeWords(text, phrase)
		}
		wh, rest = lw, words[i+1:]
		break
	}
	if q.Wh == "" {
		if k := topicRequest(words); k > 0 {
			// "tell me about X", "any news on X": asked as "X" is, its
			// request words no part of what to match.
			q.Content = removeWords(text, words[:k])
		}
	}
	return q, wh, rest
}

// topicWords ask for what the articles say of a topic, before "about",
// "on" or "regarding" and with the lead-in words: "tell me about",
// "anything on", "any news regarding", "more info about".
var topicWords = map[string]bool{
	"anything": true, "something": true, "info": true, "information": true, "news": true,
	"update": true, "updates": true, "details": true, "more": true, "give": true, "get": true,
}

// topicCues end a request for a topic: the topic follows them.
var topicCues = map[string]bool{"about": true, "on": true, "regarding": true}

// topicRequest returns how many words of a question without a question
// word ask for a topic ("tell me about"), its cue word last, and 0 when
// it is no such request: the cue must follow one request word at least
// and lead a topic.
func topicRequest(words []string) int {
	for i, w := range words {
		lw := strings.ToLower(w)
		if topicCues[lw] {
			if i == 0 || i == len(words)-1 {
				return 0
			}
			return i + 1
		}
		if !leadIn[lw] && !topicWords[lw] {
			return 0
		}
	}
	return 0
}

// removeWords removes the first occurrence of the consecutive words from
// text, keeping the rest as it was.
func removeWords(text string, words []string) string {
	for _, w := range words {
		i := indexWord(text, w)
		if i < 0 {
			continue
		}
		text = text[:i] + text[i+len(w):]
	}
	// strings.Join(strings.Fields(text), " "), without the slice.
	var b strings.Builder
	b.Grow(len(text))
	for f := range strings.FieldsSeq(text) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
	}
	return b.String()
}

// indexWord finds w in s as a whole word.
func indexWord(s, w string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return -1
		}
		i += off
		before := i == 0 || !isWordByte(s[i-1])
		after := i+len(w) == len(s) || !isWordByte(s[i+len(w)])
		if before && after {
			return i
		}
		off = i + len(w)
	}
}

func isWordByte(b byte) bool {
	return b == '\'' || b == '-' || b >= 0x80 || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// kindOf returns how many words of rest make "kind of" (or "type of",
// "sort of", with "a" after them), and 0 when they do not.
func kindOf(rest []string) int {
	if len(rest) < 2 || !strings.EqualFold(rest[1], "of") {
		return 0
	}
	switch strings.ToLower(rest[0]) {
	case "kind", "kinds", "type", "types", "sort", "sorts":
	default:
		return 0
	}
	if len(rest) > 2 && (strings.EqualFold(rest[2], "a") || strings.EqualFold(rest[2], "an")) {
		return 3
	}
	return 2
}

// nameOf returns how many words of rest make "is the name of" (with or
// without the verb and the article), and 0 when they do not.
func nameOf(rest []string) int {
	i := 0
	if i < len(rest) && auxiliaries[strings.ToLower(rest[i])] {
		i++
	}
	if i < len(rest) && strings.EqualFold(rest[i], "the") {
		i++
	}
	if i+1 < len(rest) && (strings.EqualFold(rest[i], "name") || strings.EqualFold(rest[i], "names")) && strings.EqualFold(rest[i+1], "of") {
		return i + 2
	}
	return 0
}

// chatWords are the short forms people type in a chat, lower-cased, and
// what they stand for: the words an article writes out.
var chatWords = map[string]string{
	"ppl": "people", "govt": "government", "gov": "government", "fm": "foreign minister",
	"gonna": "will", "wanna": "want to", "gotta": "must", "dunno": "do not know",
	"bc": "because", "cuz": "because", "coz": "because", "u": "you", "ur": "your",
	"yr": "year", "yrs": "years", "hrs": "hours", "mins": "minutes", "tmrw": "tomorrow",
	"tho": "though", "thru": "through", "abt": "about", "intl": "international",
	"dept": "department", "approx": "about", "info": "information",
}

// expandChat writes the chat words of a question (chatWords) out, where
// typed in lower case: "how many ppl left" is asked as "how many people
// left"; "FM" in capitals is a name, not a short form.
func expandChat(text string) string {
	// Only as typed in lower case: "FM" is a name, and the "U" of "U.S."
	// no "you".
	return rewriteWords(text, func(w string) (string, bool) {
		long, ok := chatWords[w]
		return long, ok
	})
}

// rewriteWords returns text with each word (as analyzeQuestion cuts them)
// for which rewrite says so replaced by what it gives; text itself when
// none is.
func rewriteWords(text string, rewrite func(w string) (string, bool)) string {
	var b strings.Builder
	written := 0 // text[:written] is in b
	for at := 0; at < len(text); {
		i := strings.IndexFunc(text[at:], func(r rune) bool { return !notQuestionWordRune(r) })
		if i < 0 {
			break
		}
		start := at + i
		j := strings.IndexFunc(text[start:], notQuestionWordRune)
		if j < 0 {
			j = len(text) - start
		}
		at = start + j
		out, ok := rewrite(text[start:at])
		if !ok {
			continue
		}
		if written == 0 {
			b.Grow(len(text) + utf8.UTFMax)
		}
		b.WriteString(text[written:start])
		b.WriteString(out)
		written = at
	}
	if written == 0 {
		return text
	}
	b.WriteString(text[written:])
	return b.String()
}

// shouted reports whether text is written in capitals throughout: two
// letters or more, none of them lower case.
func shouted(text string) bool {
	upper := 0
	for _, r := range text {
		switch {
		case unicode.IsLower(r):
			return false
		case unicode.IsUpper(r):
			upper++
		}
	}
	return upper >= 2
}

// recaseNames writes the lower-case words of a question that the
// sentences found for it write as names with capitals, as they write
// them: "who is khalilzad" becomes "who is Khalilzad", "what does aarp
// stand for" becomes "what does AARP stand for". The question's analysis
// reads names from capitals; people type questions in lower case. A word
// counts as a name when the sentences write it capitalised, not first in
// the sentence, more often than in lower case. Words with a capital
// already, and stop words, are left as they are.
func recaseNames(text string, docs []*doc) string {
	// A question has few words: their counts are kept in a list, searched
	// in order, in the room of an array unless they are many.
	type tally struct {
		word                 string // lower-cased and folded
		caps, acronym, lower int
	}
	var room [16]tally
	counts := room[:0]
	find := func(w string) *tally {
		for i := range counts {
			if counts[i].word == w {
				return &counts[i]
			}
		}
		return nil
	}
	for w := range strings.FieldsFuncSeq(text, notQuestionWordRune) {
		if strings.ContainsFunc(w, unicode.IsUpper) || isStopWord(w) || whWords[w] {
			continue
		}
		if w = foldWord(w); find(w) == nil {
			counts = append(counts, tally{word: w})
		}
	}
	if len(counts) == 0 {
		return text
	}
	// Most of the candidates' words are none of the question's: their
	// slotBit, not a search, says so.
	var seen [4]uint64
	for _, t := range counts {
		w, b := slotBit(t.word)
		seen[w] |= b
	}
	for _, d := range docs {
		if len(d.ev) != len(d.words) {
			continue
		}
		for j, w := range d.words {
			if k, b := slotBit(w); seen[k]&b == 0 {
				continue
			}
			t := find(w)
			switch {
			case t == nil:
			case d.ev[j]&evCap == 0:
				t.lower++
			case j > 0:
				t.caps++
				if d.ev[j]&evAcronym != 0 {
					t.acronym++
				}
			}
		}
	}
	// The question is written anew from the first word recased on, and
	// only then.
	return rewriteWords(text, func(w string) (string, bool) {
		if strings.ContainsFunc(w, unicode.IsUpper) {
			return "", false
		}
		t := find(foldWord(w))
		if t == nil || t.caps <= t.lower {
			return "", false
		}
		if 2*t.acronym > t.caps {
			return strings.ToUpper(w), true
		}
		r, n := utf8.DecodeRuneInString(w)
		return string(unicode.ToUpper(r)) + w[n:], true
	})
}

// notQuestionWordRune ends a word of a question, as analyzeQuestion cuts
// them.
func notQuestionWordRune(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '-'
}

// foldWord is a word lower-cased and folded to ASCII as the analyzers do.
func foldWord(w string) string {
	w = strings.ToLower(w)
	if !isASCII([]byte(w)) {
		w = string(asciiFold.Filter([]byte(w)))
	}
	return w
}
