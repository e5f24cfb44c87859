package main

import (
	"slices"
	"strings"
)

// spellingRules are the regular differences between British and American
// spelling, as a British part and its American replacement: neighbour
// and neighbor, organise and organize, centre and center, defence and
// defense, catalogue and catalog, programme and program, travelled and
// traveled, manoeuvre and maneuver. A rule may make non-words ("are",
// "aer"): only a pair that WordNet holds in one synset is kept.
var spellingRules = [][2]string{
	{"our", "or"}, {"ise", "ize"}, {"isation", "ization"}, {"yse", "yze"},
	{"re", "er"}, {"ence", "ense"}, {"ogue", "og"}, {"mme", "m"},
	{"ll", "l"}, {"ae", "e"}, {"oe", "e"}, {"grey", "gray"}, {"tyre", "tire"},
	{"plough", "plow"}, {"mould", "mold"}, {"sceptic", "skeptic"},
	{"cheque", "check"}, {"aluminium", "aluminum"}, {"draught", "draft"},
}

// spellings adds the "v" lines: a British spelling and the American one,
// where the rules turn one into the other (one or two of them, at any of
// their places) and WordNet holds both in one synset, so that the pair is
// known to be one word and not two ("colour", "color"; not "hour", "hor").
func (wn *wordnet) spellings(add func(kind string, words ...string)) {
	keys := make([]string, 0, len(wn.syn))
	for k := range wn.syn {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		ss := wn.syn[k]
		for _, a := range ss.words {
			if !plain(a) {
				continue
			}
			for _, b := range variants(a, 2) {
				if b != a && slices.Contains(ss.words, b) && stem(a) != stem(b) {
					add("v", a, b)
				}
			}
		}
	}
}

// variants lists the words the spelling rules make of w, applying up to
// depth of them in turn, each at one place.
func variants(w string, depth int) []string {
	if depth == 0 {
		return nil
	}
	var out []string
	for _, r := range spellingRules {
		for i := 0; ; {
			j := strings.Index(w[i:], r[0])
			if j < 0 {
				break
			}
			j += i
			v := w[:j] + r[1] + w[j+len(r[0]):]
			out = append(out, v)
			out = append(out, variants(v, depth-1)...)
			i = j + 1
		}
	}
	return out
}
