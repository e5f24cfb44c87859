package retrieval

// A question about a named person often names them by what they do as
// well ("where did Solveig Marsland teach", "how long has Maeve Gornall
// led the patrol"), and news introduces a person the same way: "Head
// judge Solveig Marsland, 70, a retired drama teacher, said ...",
// "Patrol leader Maeve Gornall, 58, ...". Such a sentence holds the
// question's name and its other words, and so looks like a full answer,
// though all it says of the person is who they are. roleOnly tells the
// decision when that is all the first sentence shares with the question.

// roleReach is how many describers may stand before the word for the
// person that comes right before a name ("Head judge", "patrol leader").
const roleReach = 2

// describerOpeners are the words a person's role may follow: an article, a
// preposition, a copula ("went to tree surgeon", "was school caretaker").
var describerOpeners = wordSet("a", "an", "the", "to", "by", "of", "for", "with", "from", "and", "as", "was", "is")

// appositionReach is how many words after "a" or "an" an apposition may
// run before its word for the person.
const appositionReach = 5

// roleOnly reports whether the question names a person by two words or
// more, d holds that name, and every other word of the question that d
// matches, of one at least, stands in what d calls the person: the
// capitalised words of the name, a word for a person right before them
// and its describers ("Patrol leader"), or an apposition after the name
// and age ("a retired drama teacher"). A match by any bridge counts, the
// loose ones too: without them the input marked more sentences that say
// more of the person in words merely related, and the fit gave it a
// fourth of the weight.
func (q rankQuery) roleOnly(d *doc) bool {
	if q.nameGroup == nil || q.lex == nil {
		return false
	}
	var role []bool
	for k, t := range d.terms {
		p := d.tpos[k]
		if d.ev[p]&evCap == 0 {
			continue
		}
		for i, g := range q.nameGroup {
			if g >= 0 && q.terms[i] == t {
				if role == nil {
					role = make([]bool, len(d.words))
				}
				q.markRole(d, p, role)
				break
			}
		}
	}
	if role == nil {
		return false
	}
	matched := false
	for k, t := range d.terms {
		for i := range q.terms {
			if q.nameGroup[i] >= 0 || q.name != nil && q.name[i] || !q.standsFor(i, t) {
				continue
			}
			if !role[d.tpos[k]] {
				return false
			}
			matched = true
		}
	}
	return matched
}

// markRole marks in role the words of d that say who the person whose
// name has word p are: the name's run of capitalised words, a word for a
// person right before it with up to roleReach describers before that,
// and an apposition after the name and an age that ends in a word for a
// person.
func (q rankQuery) markRole(d *doc, p int, role []bool) {
	lo, hi := p, p
	for lo > 0 && d.ev[lo-1]&evCap != 0 {
		lo--
	}
	for hi+1 < len(d.words) && d.ev[hi+1]&evCap != 0 {
		hi++
	}
	for k := lo; k <= hi; k++ {
		role[k] = true
	}
	if k := lo - 1; k >= 0 && q.lex.people(d.words[k]) {
		role[k] = true
		first := k
		for j := k - 1; j >= 0 && j >= k-roleReach; j-- {
			w := d.words[j]
			if isStopWord(w) || auxiliaries[w] || q.lex.pastTense(w) || d.ev[j]&evNumber != 0 {
				break
			}
			first = j
		}
		// Describers open the sentence or follow a word a role does
		// ("went to tree surgeon"): in "He beat schoolgirl Anzhela
		// Rudkin" the word before is a verb.
		if first == 0 || first < k && describerOpeners[d.words[first-1]] {
			for j := first; j < k; j++ {
				role[j] = true
			}
		}
	}
	k := hi + 1
	if k < len(d.words) && isAge(d.words[k]) {
		k++
	}
	if k >= len(d.words) || d.words[k] != "a" && d.words[k] != "an" {
		return
	}
	for j := k + 1; j < len(d.words) && j <= k+appositionReach; j++ {
		if q.lex.people(d.words[j]) {
			for m := k + 1; m <= j; m++ {
				role[m] = true
			}
			return
		}
	}
}
