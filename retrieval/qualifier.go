package retrieval

import "strings"

// A question may name a place's people or a place's possessive before the
// words it asks about ("Who is the Iranian foreign minister?"); a sentence
// that has those words only under another place ("Iraq's foreign
// minister, Hoshyar Zebari") speaks of someone else, however much of the
// question it covers. FeatureQualifiers gives the answerability model
// that evidence (conflict).

// qualifierReach is how many terms after a place term of the question,
// and how many words before a matched term of a sentence, a place
// qualifies: "the Iranian foreign minister", "Iraq's foreign minister".
const qualifierReach = 2

// qualifiedPairs pairs each place term of the question written as a
// qualifier (qualifies) with the terms after it, up to qualifierReach of
// them and before the next place; words holds each term's word.
func qualifiedPairs(lx *lexicon, terms, words []string) [][2]int {
	var out [][2]int
	for i, t := range terms {
		if !lx.placeTerms[t] || !qualifies(lx, words[i]) {
			continue
		}
		for j := i + 1; j < len(terms) && j <= i+qualifierReach; j++ {
			if lx.placeTerms[terms[j]] {
				break
			}
			out = append(out, [2]int{i, j})
		}
	}
	return out
}

// qualifies reports whether a lower-cased word naming a place is written
// as a qualifier: a possessive ("Iraq's") or a people's adjective
// ("Iranian"), not the place's bare name, which may as well be a
// subject or an object ("countries around Iraq give more help").
func qualifies(lx *lexicon, w string) bool {
	if b, ok := strings.CutSuffix(w, "'s"); ok {
		return b != ""
	}
	if b, ok := strings.CutSuffix(w, "’s"); ok {
		return b != ""
	}
	return !lx.places[w]
}

// conflict is the share of the question's qualified terms that the
// sentence has only under other places: every time the sentence has the
// term (or a bridge of it), a place stands just before it, and none of
// those places is the question's. 0 when it has none of them, or has one
// unqualified or qualified alike. The speaker's role counts as the
// sentence's words, as the ranking reads them (FeatureSpeaker): a
// sentence "he" says, whom the article introduced as "The US ambassador
// to Iraq", speaks of the US ambassador, not of "the Iranian ambassador".
func (q rankQuery) conflict(d doc) float64 {
	if len(d.tpos) != len(d.terms) {
		return 0
	}
	var seen, against int
	for _, pr := range q.qualified {
		place, head := q.terms[pr[0]], pr[1]
		found, plain := q.qualifiedIn(place, head, d.terms, func(j int) int { return d.tpos[j] })
		if !plain {
			sf, sp := q.qualifiedIn(place, head, d.speaker, func(j int) int { return j })
			found, plain = found || sf, sp
		}
		if found {
			seen++
			if !plain {
				against++
			}
		}
	}
	if seen == 0 {
		return 0
	}
	return float64(against) / float64(seen)
}

// qualifiedIn reports whether terms (at the word positions pos gives)
// have question term head (or a bridge of it), and whether they have it
// once at least plainly: with no place just before it, or a place like
// place.
func (q rankQuery) qualifiedIn(place string, head int, terms []string, pos func(int) int) (found, plain bool) {
	for j, t := range terms {
		if !q.standsFor(head, t) {
			continue
		}
		found = true
		// The places before it, with nothing between but other words
		// of the question ("Iraq's foreign minister", "US and Iranian
		// envoys"); a sentence's bare name before a word qualifies it,
		// as headlines and news write.
		places, same := 0, false
		for k := j - 1; k >= 0 && pos(j)-pos(k) <= qualifierReach+1; k-- {
			t := terms[k]
			if q.lex.placeTerms[t] {
				places++
				same = same || q.lex.samePlace(place, t)
			} else if !q.asks(t) {
				break
			}
		}
		if places == 0 || same {
			return true, true
		}
	}
	return found, false
}
