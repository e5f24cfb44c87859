package retrieval

import "strconv"

// A question often names a person by the age group news gives as a
// number: "which teenager came second" of "Aurelio Stubbington, 16",
// "which octogenarian took the crown" of "Gisella Wagstaff, 82". Such a
// word matches the age of a named person in the range it stands for.

// ageRange is the ages, lo to hi, a word for a person of an age group
// stands for.
type ageRange struct{ lo, hi int }

// ageGroups are the words for a person of an age group, and the ages
// they stand for: the decades' Latin names, the teens, and the young
// and old in plain words (a pensioner by the age most are).
var ageGroups = map[string]ageRange{
	"toddler": {1, 3},
	"child":   {1, 17}, "children": {1, 17}, "kid": {1, 17}, "youngster": {1, 17}, "boy": {1, 17}, "girl": {1, 17},
	"schoolboy": {4, 18}, "schoolgirl": {4, 18}, "schoolchild": {4, 18}, "schoolchildren": {4, 18}, "pupil": {4, 18},
	"teen": {13, 19}, "teenager": {13, 19}, "teenage": {13, 19}, "teenaged": {13, 19}, "adolescent": {13, 19},
	"youth": {12, 24}, "twentysomething": {20, 29}, "thirtysomething": {30, 39},
	"quinquagenarian": {50, 59}, "sexagenarian": {60, 69}, "septuagenarian": {70, 79},
	"octogenarian": {80, 89}, "nonagenarian": {90, 99}, "centenarian": {100, 124},
	"pensioner": {60, 124}, "elderly": {65, 124},
}

// ageGroupOf returns the ages the lower-cased word w stands for, plural
// or not, and the word's singular as ageGroups holds it.
func ageGroupOf(w string) (ageRange, string, bool) { return lookupKey(ageGroups, w) }

// personAged returns the place in d of the age of a named person in r:
// a number news gives after a name ("Efa Longworth, 9") or after "aged",
// or as a person's "N-year-old" (namedAge).
func personAged(d *doc, r ageRange) (int, bool) {
	for j := 1; j < len(d.words); j++ {
		if d.ev[j]&evTime != 0 || !isAge(d.words[j]) {
			continue
		}
		// A name inside the sentence: not its first word ("The 11-year-old
		// tree").
		if d.ev[j-1]&evName == 0 && d.words[j-1] != "aged" {
			if _, ok := namedAge(d, j); !ok {
				continue
			}
		}
		if n, err := strconv.Atoi(d.words[j]); err == nil && n >= r.lo && n <= r.hi {
			return j, true
		}
	}
	return 0, false
}

// namedAge reports whether word j of d is a number news gives as the age
// of a person it names by two capitalised words, in "N-year-old" before
// the name ("won by 11-year-old Isla McCrae") or in an apposition after
// it ("Ellis Reddish, a 19-year-old apprentice"), and returns the place
// of the name's first word.
func namedAge(d *doc, j int) (int, bool) {
	if j+2 >= len(d.words) || d.words[j+1] != "year" || d.words[j+2] != "old" || !isAge(d.words[j]) {
		return 0, false
	}
	capital := func(k int) bool { return k >= 0 && k < len(d.words) && d.ev[k]&evCap != 0 && d.ev[k]&evTime == 0 }
	switch {
	case capital(j+3) && capital(j+4):
		return j + 3, true
	case j >= 3 && (d.words[j-1] == "a" || d.words[j-1] == "an") && capital(j-2) && capital(j-3):
		return j - 3, true
	}
	return 0, false
}

// ageOwner returns the word of the name of the person whose age news
// gives as word j of d: the name's last word before the age ("Ruth Amos,
// 61"), its first after an "N-year-old" ("11-year-old Isla McCrae") or
// its last before an apposition ("Osei, a 41-year-old"); false when j is
// no age so given.
func ageOwner(d *doc, j int) (string, bool) {
	if !isAge(d.words[j]) || d.ev[j]&evTime != 0 {
		return "", false
	}
	name := func(k int) bool { return k >= 0 && k < len(d.words) && d.ev[k]&evName != 0 && d.ev[k]&evTime == 0 }
	if j+2 < len(d.words) && d.words[j+1] == "year" && d.words[j+2] == "old" {
		switch {
		case name(j + 3):
			return d.words[j+3], true
		case j >= 2 && (d.words[j-1] == "a" || d.words[j-1] == "an") && (name(j-2) || j == 2 && d.ev[0]&evCap != 0):
			return d.words[j-2], true
		}
		return "", false
	}
	if name(j - 1) {
		return d.words[j-1], true
	}
	return "", false
}

// namesSomeone reports whether q names someone or something: a word
// capitalised inside it, or one no English word is.
func (q rankQuery) namesSomeone() bool {
	for i := range q.terms {
		if q.name != nil && q.name[i] || q.alien != nil && q.alien[i] {
			return true
		}
	}
	return false
}
