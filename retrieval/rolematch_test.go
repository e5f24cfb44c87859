package retrieval

import "testing"

func TestRoleOnly(t *testing.T) {
	an := newAnalyzer(t)
	for _, tt := range []struct {
		question, sentence string
		want               bool
	}{
		// What the sentence calls the person: an apposition after the
		// name and age, a word for a person before the name and its
		// describers, the capitalised words of the name.
		{"Where did Solveig Marsland teach?", "Head judge Solveig Marsland, 70, a retired drama teacher, said the words were clear.", true},
		{"How long has Maeve Gornall led the patrol?", "Patrol leader Maeve Gornall, 58, a retired dental nurse, said 611 toads crossed.", true},
		{"How long has Ulfric Bramage worked as a farrier?", "Farrier Ulfric Bramage, 34, won with his wife on his back.", true},
		// The sentence says more of the person than who they are.
		{"Where did Solveig Marsland teach?", "Solveig Marsland, 70, taught drama at the Lowther school for 30 years.", false},
		{"How long has Maeve Gornall led the patrol?", "Maeve Gornall has led the patrol since 2009.", false},
		{"How long has Ulfric Bramage worked as a farrier?", "Ulfric Bramage, 34, has shod horses as a farrier since he was 16.", false},
		// A verb before the person's word is no describer of them.
		{"Who did Anzhela Rudkin beat?", "He beat schoolgirl Anzhela Rudkin, 11, in the final.", false},
		// Nothing matched but the name, or no person named by two words.
		{"Where does Solveig Marsland live?", "Solveig Marsland, 70, said the words were clear.", false},
		{"Who did Anzhela Rudkin face in the final?", "In the final she met schoolgirl Anzhela Rudkin, 11.", false},
		{"Where did the judge teach?", "Head judge Solveig Marsland, 70, a retired drama teacher, said the words were clear.", false},
	} {
		q := newQuery(an, an.Question(tt.question), AllFeatures, nil)
		d := an.prepare(tt.sentence)
		if got := q.roleOnly(&d); got != tt.want {
			t.Errorf("%q / %q: roleOnly %v; want %v", tt.question, tt.sentence, got, tt.want)
		}
	}
}
